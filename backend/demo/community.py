"""A demo community centre (issue 18): home and community care (居家社区养老, sources 002 and 003) beside the care
home, in its own region and zone: one station with its duty post, a dispatcher (the station head), two carers on
their own phones, a planner and the region's inspector; 20 older people living at home (8 with a family care bed), each with an address,
a phone, a location and a home code; the service catalogue of 003 and a contract for each person.

Made with `seed_community(now)` on a database that already holds the care home (`seed`); tests call it on top of the
demo (tests/api/conftest.py `community`). Returns (logins rows, ids) -- the ids a test or a benchmark needs, so no
test spells the demo's names.
"""
import random
from datetime import date, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from ..domain import homecare_codes, service_catalogue, visits
from ..extensions import db
from ..models import (ContractItem, DutyPost, Home, Region, Resident, ServiceContract, ServiceItem, Unit, User)
from ..services import auth, contracts, feed
from ..services import visits as visit_service
from ..services.context import Ctx
from .home import PASSWORD

TIMEZONE = "Asia/Shanghai"
REGION = ("呼和浩特市", {"ru": "Хух-Хото", "en": "Hohhot", "zh_Hans": "呼和浩特市"})
CENTRE = "新城区海东路街道居家社区养老服务中心"
STATION = ("海东路站", {"ru": "Станция Хайдунлу", "en": "Haidong Road station", "zh_Hans": "海东路站"})
POST = ("海东路站值班", {"ru": "Дежурство станции", "en": "Station desk", "zh_Hans": "海东路站值班"})
#: Where the station is (Hohhot, Xincheng district): the people live within a kilometre or two of it.
STATION_AT = (40.8420, 111.6870)
STAFF = [("dispatch1", "王丽华", "supervisor", "head_of_unit"),
         ("carer1", "李秀英", "nurse", "junior_nurse"),
         ("carer2", "张桂兰", "nurse", "junior_nurse"),
         ("cplanner1", "赵建国", "planner", "social_worker"),
         # the region's inspector (civil affairs): an account of the centre, reading every community home of its
         # region; no station of her own
         ("inspector1", "孙明", "inspector", "inspector")]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ("秀兰", "桂英", "玉珍", "凤英", "淑珍", "德明", "建华", "志强", "国庆", "文华")
STREETS = ("海东路", "新华东街", "兴安北路", "东影北路", "成吉思汗大街")
#: The people's contract items: the catalogue's item codes with a schedule (timed ones make visits).
PACKAGES = (
    (("help_clean", "times", {"times": ["09:00"]}, [1, 4]), ("help_meal", "times", {"times": ["11:30"]}, None)),
    (("help_bath", "times", {"times": ["15:00"]}, [3]), ("health_management", "as_needed", {}, None)),
    (("help_meal", "times", {"times": ["11:30"]}, None), ("emotional_comfort", "times", {"times": ["16:00"]}, [2, 5])),
)
#: The centre's prices (yuan) of the items its contracts use; the rest of the catalogue stays at 0 until it sets them.
PRICES = {"help_clean": 40, "help_meal": 15, "help_bath": 60, "health_management": 0, "emotional_comfort": 30}
PEOPLE = 20
FAMILY_BEDS = 8


def _phone(rng):
    return "13" + "".join(str(rng.randint(0, 9)) for _ in range(9))


def seed_community(now, rng=None):
    """The community centre (see the module's text). Returns (logins, ids)."""
    rng = rng or random.Random(18)
    today = now.astimezone(ZoneInfo(TIMEZONE)).date()
    region = Region(name=REGION[0], names=REGION[1], timezone=TIMEZONE)
    db.session.add(region)
    db.session.flush()
    home = Home(name=CENTRE, timezone=TIMEZONE, locale="zh_Hans", kind="community", region_id=region.id)
    db.session.add(home)
    db.session.flush()
    station = Unit(home_id=home.id, name=STATION[0], names=STATION[1], phone="0471-6281234")
    db.session.add(station)
    db.session.flush()
    post = DutyPost(unit_id=station.id, name=POST[0], names=POST[1])
    db.session.add(post)
    db.session.flush()
    hashed = auth.hash_password(PASSWORD)
    staff, logins = {}, []
    for username, name, role, job in STAFF:
        inspector = role == "inspector"
        user = User(username=username, password_hash=hashed, full_name=name, home_id=home.id,
                    units=[] if inspector else [station], post=job, locale="zh_Hans")
        user.set_roles((role,))
        db.session.add(user)
        db.session.flush()
        staff[username] = user
        logins.append((username, role, REGION[0] if inspector else STATION[0]))
    catalogue = {}
    for row in service_catalogue.seed_rows(home.id):
        item = ServiceItem(**dict(row, price=PRICES.get(row["item"], row["price"])))
        db.session.add(item)
        catalogue[item.item] = item
    db.session.flush()
    seq = feed.allocate(db.session, PEOPLE + 10)
    people = []
    for n in range(PEOPLE):
        salt = f"{rng.getrandbits(64):016x}"
        code = f"{rng.randint(0, 9999):04d}"
        lat = round(STATION_AT[0] + rng.uniform(-0.012, 0.012), 4)
        lon = round(STATION_AT[1] + rng.uniform(-0.015, 0.015), 4)
        person = Resident(
            unit_id=station.id, post_id=post.id, full_name=SURNAMES[n] + GIVEN[n % len(GIVEN)], room="", bed="",
            birth_date=date(today.year - rng.randint(62, 94), rng.randint(1, 12), rng.randint(1, 28)), seq=seq + n,
            status="present", admitted_on=today - timedelta(days=rng.randint(30, 900)),
            address=f"{STREETS[n % len(STREETS)]}{rng.randint(1, 180)}号{rng.randint(1, 6)}单元{rng.randint(101, 1502)}",
            phone=_phone(rng), lat=lat, lon=lon, radius_m=homecare_codes.DEFAULT_RADIUS_M,
            home_code_salt=salt, home_code_hash=visits.code_hash(salt, code), lives_alone=n % 3 == 0,
            eligibility=homecare_codes.ELIGIBILITY[n % len(homecare_codes.ELIGIBILITY)],
            care_level=homecare_codes.CARE_LEVELS[n % len(homecare_codes.CARE_LEVELS)],
            family_bed_since=today - timedelta(days=60 + 7 * n) if n < FAMILY_BEDS else None)
        db.session.add(person)
        people.append((person, code))
    db.session.flush()
    created = now.astimezone(ZoneInfo("UTC")).replace(tzinfo=None, microsecond=0)
    for n, (person, _code) in enumerate(people):
        contract = ServiceContract(
            home_id=home.id, resident_id=person.id, starts_on=today - timedelta(days=30 + n),
            funding=homecare_codes.FUNDING[n % len(homecare_codes.FUNDING)],
            monthly_subsidy=300 if n % 2 == 0 else None, intent_signed_on=today - timedelta(days=40 + n),
            assessment_signed_on=today - timedelta(days=35 + n), agreement_signed_on=today - timedelta(days=30 + n),
            risk_notice_signed_on=today - timedelta(days=30 + n), created_by=staff["cplanner1"].id,
            created_at=created)
        db.session.add(contract)
        db.session.flush()
        for code, kind, schedule, weekdays in PACKAGES[n % len(PACKAGES)]:
            db.session.add(ContractItem(contract_id=contract.id, service_item_id=catalogue[code].id,
                                        schedule_kind=kind, schedule=schedule, days_of_week=weekdays))
    db.session.flush()
    ids = SimpleNamespace(region=region.id, home=home.id, station=station.id, post=post.id,
                          staff={u: s.id for u, s in staff.items()}, people=[p.id for p, _ in people],
                          codes={p.id: c for p, c in people}, catalogue={k: v.id for k, v in catalogue.items()},
                          family_beds=[p.id for p, _ in people[:FAMILY_BEDS]], timezone=TIMEZONE)
    return logins, ids


def plan_the_week(ids, now):
    """What the centre's planner and dispatcher do first (through the services, as on their screens): this month's
    card of each person from her contract, published; the visits of this week from today, generated from the cards
    and given to the two carers in turn. Returns the number of visits made."""
    planner = db.session.get(User, ids.staff["cplanner1"])
    head = db.session.get(User, ids.staff["dispatch1"])
    today = now.astimezone(ZoneInfo(TIMEZONE)).date()
    for person_id in ids.people:
        contracts.card_from_contract(Ctx(actor=planner, now=now), person_id, f"{today:%Y-%m}", publish=True)
    made = visit_service.generate(Ctx(actor=head, now=now), ids.station, today - timedelta(days=today.weekday()))
    carers = [ids.staff["carer1"], ids.staff["carer2"]]
    for n, visit in enumerate(made["made"]):
        visit_service.assign(Ctx(actor=head, now=now), visit["id"], [carers[n % 2]])
    return len(made["made"])
