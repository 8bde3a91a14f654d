"""Small factories for tests that build their own data instead of looking up the demo's: a home, a unit, a duty
post, a resident, a card with items, a member of staff of given roles and units, a relative.

Each writes rows with the models directly into db.session and flushes (run inside an app context; the caller
commits). Names are the test's own, so a test asserts on what it made and never on the demo's content (the demo,
backend/demo/, is for people and benchmarks and may change). `small_home` builds a whole small home at once and
answers its ids in the shape of tests/api/conftest.py's `world` (unit1, post1, r1, r2, toilet, nurse1, ...), so
helpers such as `tick` and `push` work on it unchanged.
"""
from datetime import date
from types import SimpleNamespace

from backend.extensions import db
from backend.models import CardItem, CareCard, DutyPost, Home, RelativeLink, Resident, Unit, User
from backend.services import auth, feed

PASSWORD = "factory-password"
#: The demo's zone too: the `clock` fixture (03:00 UTC) is 10:00 local there, on the day tests call DAY.
TIMEZONE = "Asia/Krasnoyarsk"


def _seq():
    """A feed position, so tablets pull the row."""
    return feed.allocate(db.session, 1)


def _add(row):
    db.session.add(row)
    db.session.flush()
    return row


def make_home(name="Test home", timezone=TIMEZONE, locale="ru"):
    return _add(Home(name=name, timezone=timezone, locale=locale))


def make_unit(home, name="Unit A"):
    return _add(Unit(home_id=home.id, name=name))


def make_post(unit, name="Post A"):
    return _add(DutyPost(unit_id=unit.id, name=name))


def make_resident(post, full_name="Resident A", room="101", bed="1", care_group=2, birth_date=date(1940, 1, 1),
                  admitted_on=date(2026, 1, 1)):
    """A resident present on `post` (and its unit)."""
    return _add(Resident(unit_id=post.unit_id, post_id=post.id, full_name=full_name, room=room, bed=bed,
                         birth_date=birth_date, care_group=care_group, status="present", admitted_on=admitted_on,
                         seq=_seq()))


def make_item(card, title="Item", times=("08:00",), category="hygiene", schedule_kind=None, schedule=None,
              measures=None, position=None, instructions=""):
    """A card item; by default done at `times` ("times" schedule). schedule_kind/schedule: any other schedule."""
    kind = schedule_kind or "times"
    if schedule is None:
        schedule = {"times": list(times)} if kind == "times" else {}
    if position is None:
        position = len(card.items) + 1
    item = _add(CardItem(card_id=card.id, category=category, title=title, instructions=instructions,
                         schedule_kind=kind, schedule=schedule, measures=measures, position=position))
    db.session.refresh(card)
    return item


def make_card(resident, month, items=(), status="published", updated_by=None):
    """The resident's card for `month` (any day of it), with `items`: keyword dicts for make_item."""
    card = _add(CareCard(resident_id=resident.id, month=month.replace(day=1), status=status, version=1, seq=_seq(),
                         updated_by=updated_by))
    for fields in items:
        make_item(card, **fields)
    return card


def make_staff(home, username, roles=("nurse",), units=(), full_name=None, password=PASSWORD):
    """A member of staff holding `roles` (the first her main one), working in `units` (none: the whole home)."""
    user = User(username=username, password_hash=auth.hash_password(password), full_name=full_name or username,
                home_id=home.id, units=list(units))
    user.set_roles(tuple(roles))
    return _add(user)


def make_relative(home, username, residents, full_name=None, password=PASSWORD):
    """A relative's account linked to `residents`."""
    user = make_staff(home, username, roles=("relative",), full_name=full_name, password=password)
    for resident in residents:
        db.session.add(RelativeLink(user_id=user.id, resident_id=resident.id))
    db.session.flush()
    return user


#: The items of small_home's cards: the first a timed one (the `toilet` that `tick` records by default).
SMALL_ITEMS = ({"title": "Wash", "times": ("07:30",)},
               {"title": "Drink", "times": ("08:00", "11:00", "14:00", "17:00", "20:00"), "category": "nutrition"},
               {"title": "Temperature", "times": ("07:00",), "category": "vitals", "measures": ["temperature"]},
               {"title": "Leisure", "schedule_kind": "per_shift", "schedule": {"shifts": ["day"]},
                "category": "leisure"})


def small_home(today, items=SMALL_ITEMS, residents=2):
    """A home with one unit and its post, `residents` residents each with a published card for today's month
    holding `items`, and staff: a nurse of the unit, a supervisor, a planner and an administrator (password
    PASSWORD). Commits; returns ids (SimpleNamespace): home, unit1, post1, residents (ids), r1, r2, cards
    ({resident id: card id}), items ({title: item id} of r1's card), toilet (r1's first item) and toilet_slot
    (its first time), users ({username: id}), nurse1, supervisor, planner, admin."""
    home = make_home()
    unit = make_unit(home)
    post = make_post(unit)
    people = [make_resident(post, full_name=f"Resident {n + 1}", room=f"1{n // 2 + 1:02d}", bed=str(n % 2 + 1))
              for n in range(residents)]
    staff = {"nurse": make_staff(home, "nurse-a", units=[unit]),
             "supervisor": make_staff(home, "supervisor-a", roles=("supervisor",)),
             "planner": make_staff(home, "planner-a", roles=("planner",)),
             "admin": make_staff(home, "admin-a", roles=("admin",))}
    cards = {r.id: make_card(r, today, items, updated_by=staff["planner"].id) for r in people}
    first = cards[people[0].id]
    ns = SimpleNamespace(
        home=home.id, unit1=unit.id, post1=post.id, residents=[r.id for r in people], r1=people[0].id,
        r2=people[1].id if len(people) > 1 else None, cards={rid: c.id for rid, c in cards.items()},
        items={i.title: i.id for i in first.items}, toilet=first.items[0].id,
        toilet_slot=(first.items[0].schedule.get("times") or [None])[0],
        users={u.username: u.id for u in staff.values()}, nurse1=staff["nurse"].id,
        supervisor=staff["supervisor"].id, planner=staff["planner"].id, admin=staff["admin"].id,
        usernames={role: u.username for role, u in staff.items()})
    db.session.commit()
    return ns
