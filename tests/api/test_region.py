"""The inspector (issue 18, section 3; backend/api/region.py): a region built here -- two community homes in one
region, a third in another region and a care home in the first -- read by the region's inspector: the month by
provider (visits planned / delivered / verified from their entries, people served, family care beds, flags, alarm
acknowledgement times on the region's clock, follow-up calls, satisfaction not passed off, blocked carers), the
settlement as JSON and as CSV with exact amounts, blocking and unblocking a carer of the region. Other roles are
refused (403); an inspector in no region reads nothing and another region's carer is not found (404); a bad month or
format is refused naming its field."""
import csv
import io
from datetime import date, datetime
from types import SimpleNamespace

import pytest
import schemathesis

from backend.extensions import db
from backend.models import (Alarm, AlarmStep, CarerBlock, Entry, FollowUpCall, HomeDevice, Region,
                            ServiceContract, ServiceItem, Visit, VisitCarer)
from backend.services import feed
from backend.services.ids import uuid7

from .. import factories
from .conftest import login_as
from .test_offsets import naive_timestamps
from .test_schemathesis import CHECKS, COOKIE, HEADERS, generated_failures

ZONE = "Asia/Shanghai"
MONTH = "2026-11"
AT = datetime(2026, 11, 1, 0, 0)  # naive UTC: when the rows were made
HOME_AT = (40.842, 111.687)


def _service(home, item, unit, price, minutes=None):
    row = ServiceItem(home_id=home.id, names={"en": f"Service {item}", "zh_Hans": f"服务 {item}"},
                      category="life_care", item=item, standard_minutes=minutes, price=price, unit=unit)
    db.session.add(row)
    db.session.flush()
    return row


def _person(post, name, family_bed_since=None):
    person = factories.make_resident(post, full_name=name)
    person.lat, person.lon, person.radius_m, person.family_bed_since = HOME_AT[0], HOME_AT[1], 200, family_bed_since
    return person


def _card_item(person, service, title):
    card = factories.make_card(person, date(2026, 11, 1))
    item = factories.make_item(card, title=title, times=("09:00",))
    item.service_item_id = service.id
    return item


def _contract(home, person, funding, starts_on, by):
    db.session.add(ServiceContract(home_id=home.id, resident_id=person.id, starts_on=starts_on, funding=funding,
                                   created_by=by.id, created_at=AT))


def _visit(home, person, day, start, carers, items=(), minutes=60, head=None, cancelled=False):
    visit = Visit(home_id=home.id, unit_id=person.unit_id, resident_id=person.id, day=day, start_time=start,
                  planned_minutes=minutes, source="plan", item_ids=[i.id for i in items], created_at=AT,
                  created_by=head.id, cancelled_at=AT if cancelled else None,
                  cancelled_by=head.id if cancelled else None, cancel_reason="in hospital" if cancelled else None,
                  seq=feed.allocate(db.session, 1))
    db.session.add(visit)
    db.session.flush()
    for carer in carers:
        db.session.add(VisitCarer(visit_id=visit.id, carer_id=carer.id, assigned_at=AT, assigned_by=head.id))
    return visit


def _entry(person, author, day, hhmm, kind="visit", **fields):
    db.session.add(Entry(id=uuid7(), seq=feed.allocate(db.session, 1), kind=kind, resident_id=person.id,
                         unit_id=person.unit_id, day=day, author_id=author.id, device_id="phone", client_seq=1,
                         device_time=f"{day.isoformat()}T{hhmm}:00+08:00", received_at=AT, payload_hash="x",
                         key_id="key", **fields))


def _arrive_and_leave(person, carer, visit, arrive, leave, item=None, presence="fix", flags=None):
    where = ({"presence": "fix", "lat": HOME_AT[0], "lon": HOME_AT[1], "accuracy_m": 10} if presence == "fix"
             else {"presence": "none", "presence_reason": "denied"})
    _entry(person, carer, visit.day, arrive, status="arrived", values=dict(where, visit_id=visit.id), flags=flags)
    if item is not None:
        _entry(person, carer, visit.day, arrive, kind="tick", item_id=item.id, slot="09:00", status="done")
    _entry(person, carer, visit.day, leave, status="left", flags=flags,
           values=dict(where, visit_id=visit.id, confirmed_by="person"))


def _alarm(home, person, raised, acknowledged_after=None, by=None):
    device = HomeDevice(home_id=home.id, resident_id=person.id, kind="sos", token_hash=uuid7(), created_at=AT)
    db.session.add(device)
    db.session.flush()
    alarm = Alarm(home_id=home.id, resident_id=person.id, device_id=device.id, kind="sos", raised_at=raised,
                  received_at=raised, raised_minute=raised.replace(second=0))
    db.session.add(alarm)
    db.session.flush()
    if acknowledged_after is not None:
        db.session.add(AlarmStep(alarm_id=alarm.id, step="acknowledged", by_user=by.id,
                                 at=datetime.fromtimestamp(raised.timestamp() + acknowledged_after)))


def _provider(name, region, tag):
    home = factories.make_home(name=name, timezone=ZONE, locale="en")
    home.kind, home.region_id = "community", region.id
    station = factories.make_unit(home, name=f"Station {tag}")
    post = factories.make_post(station, name=f"Desk {tag}")
    head = factories.make_staff(home, f"head-{tag}", roles=("supervisor",), units=[station])
    return home, post, head, station


@pytest.fixture
def region(app):
    """Region A (Asia/Shanghai): provider one (three people, five November visits and two outside it, alarms,
    follow-up calls, a blocked carer) and provider two (one verified visit); a care home in region A too; region B
    with provider three. Inspectors of A and B, and one whose home is in no region."""
    with app.app_context():
        region_a = Region(name="Region A", names={"zh_Hans": "甲区"}, timezone=ZONE)
        region_b = Region(name="Region B", timezone=ZONE)
        db.session.add_all([region_a, region_b])
        db.session.flush()
        one, post1, head1, station1 = _provider("Provider one", region_a, "1")
        two, post2, head2, station2 = _provider("Provider two", region_a, "2")
        three, post3, head3, station3 = _provider("Provider three", region_b, "3")
        care_home = factories.make_home(name="A care home")
        care_home.region_id = region_a.id
        factories.make_staff(care_home, "nobody-region", roles=("inspector",))  # her home is a care home of A
        lost_home = factories.make_home(name="No region home")
        factories.make_staff(lost_home, "lost-inspector", roles=("inspector",))
        inspector_a = factories.make_staff(one, "inspector-a", roles=("inspector",))
        factories.make_staff(three, "inspector-b", roles=("inspector",))
        nurse_a = factories.make_staff(one, "carer-a1", units=[station1])
        nurse_b = factories.make_staff(one, "carer-a2", units=[station1])
        nurse_c = factories.make_staff(two, "carer-c", units=[station2])
        nurse_d = factories.make_staff(three, "carer-d", units=[station3])

        clean = _service(one, "help_clean", "hour", "45.00", minutes=60)
        meal = _service(one, "help_meal", "meal", "12.50")
        bath = _service(two, "help_bath", "visit", "60.00")
        far = _service(three, "help_far", "visit", "99.99")
        a = _person(post1, "Person a", family_bed_since=date(2026, 5, 1))
        b = _person(post1, "Person b", family_bed_since=date(2026, 12, 1))  # a family bed from next month
        c = _person(post1, "Person c")
        d = _person(post2, "Person d", family_bed_since=date(2026, 11, 30))
        e = _person(post3, "Person e", family_bed_since=date(2026, 1, 1))
        _contract(one, a, "government", date(2026, 1, 1), head1)
        _contract(one, b, "self_pay", date(2026, 11, 1), head1)
        _contract(two, d, "ltc_insurance", date(2026, 1, 1), head2)
        _contract(three, e, "government", date(2026, 1, 1), head3)
        clean_a, meal_b = _card_item(a, clean, "Clean"), _card_item(b, meal, "Meal")
        bath_d, far_e = _card_item(d, bath, "Bath"), _card_item(e, far, "Far")

        # provider one: v1 verified (65 min: five quarters of an hour), v2 delivered without location, v3
        # cancelled, v4 verified (a meal), v5 not started; October's and December's visits do not count
        v1 = _visit(one, a, date(2026, 11, 10), "09:00", [nurse_a], [clean_a], head=head1)
        _arrive_and_leave(a, nurse_a, v1, "09:00", "10:05", clean_a)
        v2 = _visit(one, b, date(2026, 11, 11), "11:30", [nurse_a], [meal_b], minutes=30, head=head1)
        _arrive_and_leave(b, nurse_a, v2, "11:30", "12:00", meal_b, presence="none", flags={"no_location": True})
        v3 = _visit(one, a, date(2026, 11, 12), "09:00", [nurse_b], [clean_a], head=head1, cancelled=True)
        v4 = _visit(one, b, date(2026, 11, 13), "11:30", [nurse_b], [meal_b], minutes=30, head=head1)
        _arrive_and_leave(b, nurse_b, v4, "11:30", "11:50", meal_b)
        v5 = _visit(one, c, date(2026, 11, 20), "15:00", [nurse_a], [], head=head1)
        for day in (date(2026, 10, 31), date(2026, 12, 1)):
            outside = _visit(one, a, day, "09:00", [nurse_a], [clean_a], head=head1)
            _arrive_and_leave(a, nurse_a, outside, "09:00", "10:00", clean_a)
        # alarms on Shanghai's clock: 2026-10-31T16:30Z is November 1st there, 15:59Z still October 31st
        _alarm(one, a, datetime(2026, 11, 5, 2, 0), acknowledged_after=120, by=head1)
        _alarm(one, a, datetime(2026, 11, 6, 2, 0), acknowledged_after=600, by=head1)
        _alarm(one, b, datetime(2026, 10, 31, 16, 30))
        _alarm(one, b, datetime(2026, 10, 31, 15, 59), acknowledged_after=5, by=head1)
        calls = ((v1, "confirmed", datetime(2026, 11, 16)), (v4, "not_confirmed", datetime(2026, 11, 17)),
                 (v4, "unreachable", datetime(2026, 11, 16)))  # v4's later call counts
        for visit, result, at in calls:
            db.session.add(FollowUpCall(home_id=one.id, visit_id=visit.id, result=result, called_by=head1.id,
                                        called_at=at))
        db.session.add(CarerBlock(home_id=one.id, carer_id=nurse_b.id, blocked_by=head1.id,
                                  blocked_at=datetime(2026, 11, 15, 1, 0), reason="broke the rules"))
        # provider two: one verified visit (a bath, ltc insurance)
        v7 = _visit(two, d, date(2026, 11, 5), "15:00", [nurse_c], [bath_d], head=head2)
        _arrive_and_leave(d, nurse_c, v7, "15:00", "15:40", bath_d)
        # region B: a verified visit that no inspector of A may see
        v8 = _visit(three, e, date(2026, 11, 5), "15:00", [nurse_d], [far_e], head=head3)
        _arrive_and_leave(e, nurse_d, v8, "15:00", "15:40", far_e)
        db.session.commit()
        ids = SimpleNamespace(region=region_a.id, one=one.id, two=two.id, three=three.id, care_home=care_home.id,
                              visits={"v1": v1.id, "v2": v2.id, "v3": v3.id, "v4": v4.id, "v5": v5.id, "v7": v7.id},
                              people={"a": a.id, "b": b.id, "c": c.id, "d": d.id}, nurse_a=nurse_a.id,
                              nurse_b=nurse_b.id, nurse_c=nurse_c.id, nurse_d=nurse_d.id, head1=head1.id,
                              stations={"one": station1.id, "two": station2.id},
                              inspector_a=inspector_a.id, services={"clean": clean.id, "meal": meal.id,
                                                                    "bath": bath.id})
        db.session.remove()
    return ids


def test_the_month_by_provider(region, make_api):
    inspector = login_as(make_api, "inspector-a")
    status, month = inspector.get(f"/api/region/month?month={MONTH}")
    assert status == 200, month
    assert month["region"] == {"id": region.region, "name": "Region A", "timezone": ZONE}
    assert (month["month"], month["first_day"], month["last_day"]) == (MONTH, "2026-11-01", "2026-11-30")
    assert month["now"] == "2026-11-25T11:00:00+08:00"  # the clock's instant on the region's clock
    # the community homes of region A only: not the care home of A, not region B's provider
    assert [p["name"] for p in month["providers"]] == ["Provider one", "Provider two"]
    one, two = month["providers"]
    assert one["visits"] == {"planned": 4, "cancelled": 1, "delivered": 2 + 1, "verified": 2,
                             "share_delivered": 0.75, "share_verified": 2 / 3}
    assert (one["people_served"], one["family_beds"]) == (2, 1)
    assert {k: v for k, v in one["flags"].items() if v} == {"no_location": 1}
    assert one["alarms"] == {"alarms": 3, "acknowledged": 2, "false_alarms": 0, "median_seconds": 120,
                             "p90_seconds": 600, "median_minutes": 2.0, "p90_minutes": 10.0}
    assert one["follow_up"] == {"made": 2, "confirmed": 1, "not_confirmed": 1, "unreachable": 0,
                                "share_confirmed": 0.5}
    # calls without a questionnaire: satisfaction is not recorded, not a share of the confirmed calls
    assert one["satisfaction"] == {"n": 0, "satisfied": 0, "share": None, "target": 0.95, "met": None,
                                   "available": False, "reason": "not_collected"}
    assert one["blocked"]["count"] == 1
    block, = one["blocked"]["carers"]
    assert (block["carer_id"], block["carer_name"], block["reason"], block["standing"]) == (
        region.nurse_b, "carer-a2", "broke the rules", True)
    assert block["blocked_at"] == "2026-11-15T09:00:00+08:00" and block["lifted_at"] is None
    assert {c["id"]: c["blocked"] for c in one["carers"]} == {region.nurse_a: False, region.nurse_b: True}
    assert two["visits"]["verified"] == 1 and (two["people_served"], two["family_beds"]) == (1, 1)
    assert two["alarms"]["median_seconds"] is None and two["visits"]["share_verified"] == 1.0
    total = month["total"]
    assert total["visits"] == {"planned": 5, "cancelled": 1, "delivered": 4, "verified": 3,
                               "share_delivered": 0.8, "share_verified": 0.75}
    assert (total["people_served"], total["family_beds"], total["blocked"]["count"]) == (3, 2, 1)
    assert total["alarms"]["median_seconds"] == 120 and total["satisfaction"]["share"] is None
    assert list(naive_timestamps(month)) == []
    # region B's inspector sees region B only
    other = login_as(make_api, "inspector-b")
    status, month_b = other.get(f"/api/region/month?month={MONTH}")
    assert status == 200 and [p["name"] for p in month_b["providers"]] == ["Provider three"]
    assert month_b["total"]["visits"]["verified"] == 1


def test_the_settlement_as_json_with_exact_amounts(region, make_api):
    inspector = login_as(make_api, "inspector-a")
    status, reply = inspector.get(f"/api/region/settlement?month={MONTH}")
    assert status == 200, reply
    one, two = reply["providers"]
    assert [(r["funding"], r["visits"], r["people"], r["minutes"], r["items"], r["amount"]) for r in one["rows"]] == [
        ("government", 1, 1, 65, 1, "56.25"), ("self_pay", 1, 1, 20, 1, "12.50")]
    clean_line, = one["rows"][0]["lines"]
    assert clean_line == {"service_item_id": region.services["clean"], "item": "help_clean",
                          "service": "Service help_clean", "unit": "hour", "unit_price": "45.00",
                          "quantity": "1.25", "items": 1, "amount": "56.25"}
    assert one["amount"] == "68.75"
    why = {u["visit_id"]: u["why"] for u in one["unverified"]}
    assert why == {region.visits["v2"]: ["location"], region.visits["v3"]: ["cancelled"],
                   region.visits["v5"]: ["service", "person", "day", "location", "carer", "times"]}
    v2 = next(u for u in one["unverified"] if u["visit_id"] == region.visits["v2"])
    assert (v2["person_name"], v2["day"], v2["funding"]) == ("Person b", "2026-11-11", "self_pay")
    assert v2["why_text"] == ["presence at her home is not shown: no fix within the radius, no right code, "
                              "no accepted reason"]
    assert [(r["funding"], r["amount"]) for r in two["rows"]] == [("ltc_insurance", "60.00")]
    total = reply["total"]
    assert [(r["funding"], r["amount"]) for r in total["rows"]] == [("government", "56.25"),
                                                                     ("ltc_insurance", "60.00"),
                                                                     ("self_pay", "12.50")]
    assert (total["visits"], total["amount"], total["unverified"], total["unpriced"]) == (3, "128.75", 3, 0)
    assert list(naive_timestamps(reply)) == []


def test_the_settlement_as_csv(region, make_api):
    inspector = login_as(make_api, "inspector-a")
    response = inspector.client.get(f"/api/region/settlement?month={MONTH}&format=csv&lang=en",
                                    headers={"X-Bedside": "1"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="settlement-2026-11-region-' in response.headers["Content-Disposition"]
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark: Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["Provider", "Row type", "Funding", "Service", "Priced per", "Price", "Quantity", "Visits",
                       "People", "Minutes", "Items", "Amount", "Visit", "Person", "Day", "Why"]
    body = rows[1:]
    assert ["Provider one", "billed by funding source", "Government-funded", "", "", "", "", "1", "1", "65", "1",
            "56.25", "", "", "", ""] in body
    assert ["Provider one", "service line", "Government-funded", "Service help_clean", "per hour", "45.00", "1.25",
            "", "", "", "1", "56.25", "", "", "", ""] in body
    assert ["Provider two", "billed by funding source", "Long-term care insurance", "", "", "", "", "1", "1",
            "40", "1", "60.00", "", "", "", ""] in body
    unverified = [r for r in body if r[1] == "not verified, not billed"]
    assert sorted(int(r[12]) for r in unverified) == sorted(region.visits[v] for v in ("v2", "v3", "v5"))
    cancelled = next(r for r in unverified if int(r[12]) == region.visits["v3"])
    assert (cancelled[13], cancelled[14], cancelled[15]) == ("Person a", "2026-11-12", "the visit was cancelled")
    totals = [(r[0], r[2], r[11]) for r in body if r[1] == "region total by funding source"]
    assert totals == [("Region A", "Government-funded", "56.25"), ("Region A", "Long-term care insurance", "60.00"),
                      ("Region A", "Self-paid", "12.50")]
    assert not any("Provider three" in r for r in body)
    # in Chinese: the region's and the services' names in it; in Russian, `;` between cells (Excel's there) and the
    # names as entered where they have none in Russian
    response = inspector.client.get(f"/api/region/settlement?month={MONTH}&format=csv&lang=zh_Hans",
                                    headers={"X-Bedside": "1"})
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[-1][0] == "甲区" and rows[-1][11] == "12.50"
    assert any(r[3] == "服务 help_clean" for r in rows)
    response = inspector.client.get(f"/api/region/settlement?month={MONTH}&format=csv&lang=ru",
                                    headers={"X-Bedside": "1"})
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))
    assert len(rows[0]) == 16 and rows[-1][0] == "Region A" and rows[-1][11] == "12.50"


def test_blocking_a_carer_of_the_region(region, make_api):
    inspector = login_as(make_api, "inspector-a")
    status, reply = inspector.post(f"/api/region/carers/{region.nurse_c}/block", {"reason": "complaints"})
    assert status == 200, reply
    assert (reply["id"], reply["blocked"], reply["block"]["reason"]) == (region.nurse_c, True, "complaints")
    assert reply["block"]["blocked_at"] == "2026-11-25T11:00:00+08:00"
    assert reply["block"]["blocked_by_name"] == "inspector-a"
    assert inspector.post(f"/api/region/carers/{region.nurse_c}/block", {"reason": "again"})[0] == 409
    status, month = inspector.get(f"/api/region/month?month={MONTH}")
    two = month["providers"][1]
    assert two["carers"] == [{"id": region.nurse_c, "full_name": "carer-c", "blocked": True}]
    assert [b["blocked_by_name"] for b in two["blocked"]["carers"]] == ["inspector-a"]
    # the station head sees who blocked her and why
    head = login_as(make_api, "head-2")
    status, carers = head.get(f"/api/homecare/carers?unit_id={region.stations['two']}")
    assert status == 200 and carers[0]["block"]["blocked_by_name"] == "inspector-a"
    status, reply = inspector.post(f"/api/region/carers/{region.nurse_c}/unblock", {})
    assert (status, reply["blocked"]) == (200, False)
    assert inspector.post(f"/api/region/carers/{region.nurse_c}/unblock", {})[0] == 409
    # another region's carer, a station head, nobody: not found
    assert inspector.post(f"/api/region/carers/{region.nurse_d}/block", {"reason": "x"})[0] == 404
    assert inspector.post(f"/api/region/carers/{region.head1}/block", {"reason": "x"})[0] == 404
    assert inspector.post("/api/region/carers/999999/unblock", {})[0] == 404
    # a reason is required, and named
    status, reply = inspector.post(f"/api/region/carers/{region.nurse_a}/block", {"reason": "  "})
    assert status == 400 and set(reply["fields"]) == {"reason"}


def test_who_may_read_the_region(region, make_api):
    # an inspector in no region, or whose home is a care home of the region (not a provider), reads no provider
    # of another region: 404 for the first, her region's providers for the second
    lost = login_as(make_api, "lost-inspector")
    for path in (f"/api/region/month?month={MONTH}", f"/api/region/settlement?month={MONTH}",
                 f"/api/region/settlement?month={MONTH}&format=csv"):
        status, reply = lost.get(path)
        assert status == 404, (path, reply)
    assert lost.post(f"/api/region/carers/{region.nurse_a}/block", {"reason": "x"})[0] == 404
    in_care_home = login_as(make_api, "nobody-region")
    status, month = in_care_home.get(f"/api/region/month?month={MONTH}")
    assert status == 200 and [p["home_id"] for p in month["providers"]] == [region.one, region.two]
    # the station head, a carer: refused
    for username in ("head-1", "carer-a1"):
        client = login_as(make_api, username)
        assert client.get(f"/api/region/month?month={MONTH}")[0] == 403
        assert client.get(f"/api/region/settlement?month={MONTH}&format=csv")[0] == 403
        assert client.post(f"/api/region/carers/{region.nurse_c}/block", {"reason": "x"})[0] == 403
    # the inspector may not dispatch, read the station's board or its people
    inspector = login_as(make_api, "inspector-a")
    assert inspector.get(f"/api/homecare/carers?unit_id={region.stations['one']}")[0] == 403
    assert inspector.get(f"/api/homecare/people/{region.people['a']}")[0] == 403
    assert inspector.get("/api/activities/catalogue")[0] == 403
    status, me = inspector.get("/api/auth/me")
    assert status == 200 and me["can"] == ["inspect_region"]


def test_a_bad_query_is_refused_naming_its_field(region, make_api):
    inspector = login_as(make_api, "inspector-a")
    for path, field in (("/api/region/month?month=2026-13", "month"), ("/api/region/month?month=26-11", "month"),
                        ("/api/region/month", "month"), (f"/api/region/settlement?month={MONTH}&format=xml", "format"),
                        (f"/api/region/settlement?month={MONTH}&lang=de", "lang"),
                        ("/api/region/settlement?month=1999-12&format=csv", "month")):
        status, reply = inspector.get(path)
        assert status == 400 and reply["error"] == "validation_error" and set(reply["fields"]) == {field}, path


@pytest.mark.slow
def test_the_inspectors_routes_keep_to_the_document(region, make_api, app):
    """Schemathesis on the region's routes as the region's inspector (tests/api/test_schemathesis.py walks every
    route as the demo's people, who are refused these): generated valid and broken inputs, real carers among them;
    no server error, every reply as documented."""
    client = login_as(make_api, "inspector-a")
    cookies = {COOKIE: client.client.get_cookie(COOKIE).value}
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operations = [op for op in (result.ok() for result in schema.get_all_operations())
                  if op.path.startswith("/api/region/")]
    assert len(operations) == 4
    by_path = {op.path: op for op in operations}
    # valid calls first (generation seldom makes a month the schema takes): each answered as documented
    carer = {"carer_id": region.nurse_c}
    for path, fields in (("/api/region/month", {"query": {"month": MONTH}}),
                         ("/api/region/settlement", {"query": {"month": MONTH}}),
                         ("/api/region/settlement", {"query": {"month": MONTH, "format": "csv", "lang": "ru"}}),
                         ("/api/region/carers/{carer_id}/block", {"path_parameters": carer, "body": {"reason": "x"}}),
                         ("/api/region/carers/{carer_id}/unblock", {"path_parameters": carer})):
        response = by_path[path].Case(**fields).call_and_validate(headers=dict(HEADERS), cookies=dict(cookies),
                                                                   checks=CHECKS)
        assert response.status_code == 200, (path, response.text[:300])
    failures, _calls = generated_failures(operations, carer, cookies)
    assert not failures, "\n\n".join(failures)
