"""A demo care home (`bedside demo`): two units with a duty post and 12 residents each, their care plans and
care-group histories, this month's cards generated from the plans, last month's recorded and confirmed, the
activity catalogue, timetable, programmes and weeks of attendance, a year of satisfaction questionnaires, today's
carer assignments, an open invitation code for a relative, and logins. Nothing in it is stamped after `now`
(tests/test_demo.py seeds it at several clocks); what lies ahead is only what is planned (the timetable's coming
events, this month's card items, goals' review dates, the invitation's expiry).

One module per concept: home.py (home, units, posts, rooms, staff, invitation), residents.py, plans.py (card
items, plans, cards), assessments.py (assessments, care-group decisions), history.py (last month's entries and
confirmations), activities.py (catalogue, timetable, programmes, attendance), figures.py (satisfaction surveys,
carer assignments). Tests build their own data with tests/factories.py; the demo is for people and benchmarks."""
import random
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from ..extensions import db
from ..models import User
from ..services import feed
from . import activities, assessments, figures, home, plans, residents
from . import history as last_month
from .home import PASSWORD, TIMEZONE, NotEmpty

__all__ = ["NotEmpty", "PASSWORD", "TIMEZONE", "seed"]


def seed(now=None, rng=None, history=False):
    """Create the demo home. Returns (username, role, where) rows for the printed logins.

    history: also what the planners' work has left -- care plans (the cards name the plan they came from),
    care-group decisions giving the board every status, and last month recorded, confirmed and one card closed
    (the `bedside demo` command's default). Tests start from this month's cards alone.
    """
    home.refuse_if_not_empty()
    rng = rng or random.Random(7)
    now = (now or datetime.now(UTC)).astimezone(UTC)
    today = now.astimezone(ZoneInfo(TIMEZONE)).date()
    the_home, units = home.make_home()
    seq = feed.allocate(db.session, 1000)
    people, seq = residents.make_residents(units, today, seq, rng)
    home.make_rooms(units, people)
    logins = home.make_staff(the_home, units, people)
    planner = User.query.filter_by(username="planner1").one()
    residents.admissions(people, planner)
    plans.make_cards(people, planner, today, now, seq, history)
    if history:
        _history(the_home, units, people, planner, today, now, rng, logins)
    db.session.commit()
    return logins


def _history(the_home, units, people, planner, today, now, rng, logins):
    """What the planners', supervisors' and activity staff's work has left (seed's history=True)."""
    assessments.make_assessments(people, planner, today, rng)
    assessments.demo_history(db.session, people, planner, today)
    last_month.demo_closed_month(db.session, now)
    staff = {u.username: u for u in User.query.filter_by(home_id=the_home.id)}
    activities.demo_activities(db.session, the_home, units, people, staff["activities1"], today, now=now)
    db.session.flush()
    activities.demo_attendance(db.session, people, staff["activities1"], today)
    figures.demo_surveys(db.session, people, [staff["relative1"]], staff["activities1"], today, now=now)
    figures.demo_carers(db.session, [u for _, u, _ in units],
                        {units[0][1].id: [staff["nurse1"], staff["nurse3"]], units[1][1].id: [staff["nurse2"]]},
                        people, today, assigned_by=staff["supervisor1"].id, now=now)
    unit_one = [r for r in people if r.unit_id == units[0][1].id]
    code = home.demo_invitations(db.session, unit_one, staff["supervisor1"], now)
    logins.append((code, "invitation", f"a relative's sign-up code (#/join) for {unit_one[1].full_name}"))
