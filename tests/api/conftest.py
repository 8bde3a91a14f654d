"""Ids of the demo home that API tests need, looked up once per test by structure (ids differ between databases;
the demo's names may change: a test that needs a name reads it here, in `world.names`), and `small`: a home built
by tests/factories.py for tests that need no demo."""
from datetime import date
from types import SimpleNamespace

import pytest
from werkzeug.security import generate_password_hash

from backend.extensions import db
from backend.models import CareCard, DutyPost, Resident, Unit, User

from .. import factories
from ..helpers import entry as make_entry
from ..conftest import LOGINS

DAY = "2026-11-25"  # the `clock` fixture's day in the demo home's zone (10:00 in Krasnoyarsk)


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch):
    """The demo's passwords are hashed with a cheap pbkdf2 so the many sign-ins stay fast. Checking still goes
    through werkzeug's check_password_hash, which reads the method from the stored hash."""
    monkeypatch.setattr("backend.services.auth.hash_password",
                        lambda password: generate_password_hash(password, method="pbkdf2:sha256:1000"))


@pytest.fixture
def world(demo):
    with demo.app_context():
        users = {u.username: u.id for u in User.query.all()}
        units = [u.id for u in Unit.query.order_by(Unit.id)]
        posts = {p.unit_id: p.id for p in DutyPost.query.all()}
        residents = {u: [r.id for r in Resident.query.filter_by(unit_id=u).order_by(Resident.id)] for u in units}
        # names as the demo spells them, for tests that must type or read one
        names = SimpleNamespace(units={u.id: u.name for u in Unit.query}, posts={p.id: p.name for p in DutyPost.query},
                                staff={u.username: u.full_name for u in User.query},
                                residents={r.id: r.full_name for r in Resident.query})
        cards = {}
        for unit_residents in residents.values():
            for rid in unit_residents:
                # this month's: the newest (a demo seeded with its history has last month's too)
                card = CareCard.query.filter_by(resident_id=rid).order_by(CareCard.month.desc()).first()
                cards[rid] = {"id": card.id, "items": {i.title: (i.id, i.schedule_kind, i.schedule)
                                                       for i in card.items}}
                first = next(i for i in card.items if i.schedule_kind == "times")
                cards[rid]["first_timed"] = (first.id, first.schedule["times"][0])  # (item id, its first slot)
        db.session.remove()
    unit1, unit2 = units
    r1 = residents[unit1][0]
    toilet, toilet_slot = cards[r1]["first_timed"]  # the first resident's first timed item (the demo: 07:30)
    return SimpleNamespace(users=users, names=names, unit1=unit1, unit2=unit2, post1=posts[unit1], post2=posts[unit2],
                           residents=residents, cards=cards, r1=r1, r2=residents[unit2][0], toilet=toilet,
                           toilet_slot=toilet_slot, nurse1=users[LOGINS.nurse1], nurse2=users[LOGINS.nurse2],
                           supervisor=users[LOGINS.supervisor1])


@pytest.fixture
def small(app):
    """A home of tests/factories.py (no demo): one unit and post, two residents with this month's cards (items
    factories.SMALL_ITEMS), a nurse, a supervisor, a planner and an administrator; ids in `world`'s shape."""
    with app.app_context():
        built = factories.small_home(date.fromisoformat(DAY))
        db.session.remove()
    return built


def login_as(make_api, username, password=factories.PASSWORD):
    """Another client, signed in (factories' password by default)."""
    client = make_api()
    client.login(username, password)
    return client


def tick(world, **fields):
    """A tick by nurse1 for the first resident of unit 1 at the first slot of her first timed item, `toilet`
    (the demo's morning toilet at 07:30), unless overridden; recorded five minutes after the slot."""
    fields.setdefault("item_id", world.toilet)
    at = fields.setdefault("slot", world.toilet_slot) or world.toilet_slot  # notes and vitals: no slot
    if "device_time" not in fields:  # on the entry's day
        hour, minute = divmod(int(at[:2]) * 60 + int(at[3:5]) + 5, 60)
        fields["device_time"] = f"{fields.get('day', DAY)}T{hour:02d}:{minute:02d}:00+07:00"
    return make_entry(fields.pop("resident_id", world.r1), fields.pop("author_id", world.nurse1), **fields)


def push(api, entries, device_id="tab-1", post_id=None, **extra):
    body = {"device_id": device_id, "entries": entries, **extra}
    if post_id is not None:
        body["post_id"] = post_id
    status, reply = api.post("/api/sync/push", body)
    assert status == 200, reply
    return reply["results"]
