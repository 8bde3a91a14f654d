"""The carer's phone (issue 18, section 3 "Carer's phone" and section 5 browser tests (1) and (2)): a community carer
on a 360 x 740 phone whose clock keeps another zone than the home's. (1) An offline visit through a real outage: she
pulls, the server stops, she arrives at a stop of two people living together (one tap, one entry each) with a mocked
location near home, ticks the items on the card (one not done with a reason), writes a note, leaves with who
confirmed and a duration reason; a reload offline keeps it all; the server starts, she syncs: each entry stored once,
signed by her, and the dispatcher's board shows the visit left and verified. (2) Location denied: saved at once,
flagged no location; a location that never answers: saved within 10.5 s; a typed home code verifies.

The world: the demo care home plus the demo community centre (backend/demo/community.py), seeded here with this
day's visits for the first carer; no demo name is spelt (the seed's ids and logins are read back)."""
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests
from playwright.sync_api import expect

from .conftest import CHROMIUM, CHROMIUM_ARGS, axe_violations, server_after
from .pages import TIMEOUT, wait_for_worker
from .test_screens import MIN_TARGET, TARGETS_SMALLER_THAN_MIN
from ..conftest import DEMO_PASSWORD

PHONE = {"width": 360, "height": 740}
LANDSCAPE = {"width": 740, "height": 360}
BROWSER_ZONE = "Europe/Lisbon"  # the home is Asia/Shanghai's

#: Seeds the community centre on the copied demo database and lays out today's visits for the first carer:
#: stop 1, two people at one address and one time (the first with three items a day on her card); then three
#: stops of one person each. Prints what the test needs as JSON.
SEED = r"""
import json
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo
from backend.app import create_app
from backend.demo import community
from backend.extensions import db
from backend.models import CareCard, ContractItem, Resident, ServiceContract, User
from backend.services import contracts, visits as visit_service
from backend.services.context import Ctx

app = create_app()
with app.app_context():
    now = datetime.now(timezone.utc)
    logins, ids = community.seed_community(now)
    db.session.commit()
    role_of = {row[0]: row[1] for row in logins}
    carer = next(u for u, r in role_of.items() if r == "nurse")
    head = next(u for u, r in role_of.items() if r == "supervisor")
    planner = next(u for u, r in role_of.items() if r == "planner")
    a, b, c, d, e = (ids.people[i] for i in (0, 3, 6, 9, 12))
    # her three items every day: the package's items made daily, and a bath at ten
    contract = ServiceContract.query.filter_by(resident_id=a).one()
    for item in ContractItem.query.filter_by(contract_id=contract.id):
        item.days_of_week = None
    db.session.add(ContractItem(contract_id=contract.id, service_item_id=ids.catalogue["help_bath"],
                                schedule_kind="times", schedule={"times": ["10:00"]}, days_of_week=None))
    for username in (carer, head):  # the screens' words in English, the test's language
        User.query.filter_by(username=username).one().locale = "en"
    pa, pb = db.session.get(Resident, a), db.session.get(Resident, b)
    pb.address, pb.lat, pb.lon = pa.address, pa.lat, pa.lon  # two people living together
    db.session.commit()
    zone = ZoneInfo(ids.timezone)
    local = now.astimezone(zone)
    today = local.date()
    start = min(local.hour * 60 + local.minute - local.minute % 5, 20 * 60)
    hhmm = lambda m: f"{min(m, 23 * 60 + 55) // 60:02d}:{min(m, 23 * 60 + 55) % 60:02d}"
    users = {u: db.session.get(User, ids.staff[u]) for u in (carer, head, planner)}
    visits = {}
    for n, (person, key) in enumerate(((a, "a"), (b, "b"), (c, "c"), (d, "d"), (e, "e"))):
        card = contracts.card_from_contract(Ctx(actor=users[head], now=now), person, f"{today:%Y-%m}", publish=True)
        card = db.session.get(CareCard, card["id"] if isinstance(card, dict) else card.id)
        items = [i.id for i in card.items if i.schedule_kind == "times"]
        at = start if n < 2 else start + 30 * (n - 1)
        made = visit_service.create_visit(Ctx(actor=users[head], now=now), {
            "resident_id": person, "day": today, "start_time": hhmm(at), "planned_minutes": 30,
            "item_ids": items, "source": "ad_hoc"})
        visit_service.assign(Ctx(actor=users[head], now=now), made["id"], [ids.staff[carer]])
        visits[key] = {"id": made["id"], "resident_id": person, "items": items}
    db.session.commit()
    people = {k: {"lat": db.session.get(Resident, v["resident_id"]).lat,
                  "lon": db.session.get(Resident, v["resident_id"]).lon} for k, v in visits.items()}
    print(json.dumps({"carer": carer, "head": head, "carer_id": ids.staff[carer], "station": ids.station,
                      "day": today.isoformat(), "visits": visits, "people": people,
                      "code_d": ids.codes[d], "code_e": ids.codes[e]}))
"""


@pytest.fixture
def world(tmp_path, seeded_demo):
    """A server on a copy of the demo with the community centre and today's visits; (server, what SEED printed)."""
    with server_after(tmp_path, seeded_demo, SEED) as pair:
        yield pair


@pytest.fixture
def phone(pw, world, tmp_path):
    """phone(**context options) -> a page in a persistent profile (kept across a reload), 360 x 740, the browser's
    zone not the home's."""
    live, _ = world
    opened = []

    def make(**options):
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / f"phone-{len(opened)}"), executable_path=CHROMIUM, args=CHROMIUM_ARGS,
            base_url=live.url, viewport=PHONE, has_touch=True, is_mobile=True, service_workers="allow",
            locale="en-GB", timezone_id=BROWSER_ZONE, **options)
        opened.append(context)
        return context, context.pages[0] if context.pages else context.new_page()

    yield make
    for context in opened:
        try:
            context.close()
        except Exception:  # noqa: BLE001 - closed already
            pass


def _sign_in_to_today(page, username):
    page.goto("/")
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(DEMO_PASSWORD)
    page.get_by_test_id("login-submit").click()
    # a browser that is no enrolled tablet: the station's one post, then her visits (the post pull carries them)
    page.get_by_test_id("post-submit").click()
    expect(page.locator("[data-testid^='resident-row-']").first).to_be_visible(timeout=TIMEOUT)
    page.get_by_test_id("nav-today").click()
    expect(page.get_by_test_id("today-list")).to_be_visible(timeout=TIMEOUT)
    wait_for_worker(page)


def _check_screen(page, name):
    for size in (PHONE, LANDSCAPE):
        page.set_viewport_size(size)
        violations = axe_violations(page)
        assert violations == [], f"{name}: {violations}"
        small = page.evaluate(TARGETS_SMALLER_THAN_MIN, MIN_TARGET)
        assert small == [], f"{name}: touch targets under {MIN_TARGET}px: {small}"
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name}: the page scrolls sideways by {overflow}px"
    page.set_viewport_size(PHONE)


def _api(live, username):
    s = requests.Session()
    s.headers["X-Bedside"] = "1"
    r = s.post(live.url + "/api/auth/login", json={"username": username, "password": DEMO_PASSWORD}, timeout=10)
    assert r.status_code == 200, r.text
    return s


def _board(live, seeded):
    s = _api(live, seeded["head"])
    r = s.get(live.url + "/api/visits/board", params={"unit_id": seeded["station"], "day": seeded["day"]}, timeout=10)
    assert r.status_code == 200, r.text
    return {v["id"]: v for v in r.json()["visits"]}


def _pending(page, count):
    expect(page.get_by_test_id("today-plan")).to_have_attribute("data-count", str(count), timeout=TIMEOUT)


def _visit_entries(page):
    """The visit entries on the phone: [{id, status, values, author_id, synced, flags}]."""
    return page.evaluate("""() => import('/lib/db.js').then((db) => db.getAll('entries')).then((all) =>
        all.filter((e) => e.kind === 'visit').map((e) => ({id: e.id, status: e.status, values: e.values,
          author_id: e.author_id, synced: !!e.synced, flags: e.flags || null, device_time: e.device_time})))""")


def test_an_offline_visit_through_a_real_outage(world, phone):
    live, seeded = world
    a, b = seeded["visits"]["a"], seeded["visits"]["b"]
    near = seeded["people"]["a"]
    context, page = phone(geolocation={"latitude": near["lat"] + 0.0002, "longitude": near["lon"], "accuracy": 15},
                          permissions=["geolocation"])
    _sign_in_to_today(page, seeded["carer"])
    stop = page.get_by_test_id(f"today-stop-{a['id']}")
    expect(stop).to_be_visible(timeout=TIMEOUT)
    # two people at one address: one stop
    expect(stop.get_by_test_id(f"today-visit-{b['id']}")).to_be_visible()
    expect(page.get_by_test_id("today-plan")).to_contain_text("plan as of")
    # the home's clock, not the phone's (Lisbon)
    home_now = datetime.now(ZoneInfo("Asia/Shanghai"))
    plan = page.get_by_test_id("today-plan").inner_text()
    assert any(f"{t:%H:%M}" in plan for t in (home_now, home_now - timedelta(minutes=1))), plan
    for item in a["items"]:
        expect(page.get_by_test_id(f"today-item-{a['id']}-{item}")).to_have_attribute("data-state", "open")
    _check_screen(page, "today")

    live.stop()  # a real outage
    page.get_by_test_id(f"today-arrive-{a['id']}").click()
    expect(page.get_by_test_id(f"today-visit-{a['id']}")).to_have_attribute("data-state", "arrived", timeout=TIMEOUT)
    expect(page.get_by_test_id(f"today-visit-{b['id']}")).to_have_attribute("data-state", "arrived")
    _pending(page, 2)
    arrivals = [e for e in _visit_entries(page) if e["status"] == "arrived"]
    assert sorted(e["values"]["visit_id"] for e in arrivals) == sorted([a["id"], b["id"]])
    assert all(e["values"]["presence"] == "fix" and e["values"]["accuracy_m"] == 15 for e in arrivals)

    # the items on her card: two done, one not done with a reason, and a note
    page.get_by_test_id(f"today-items-{a['id']}").click()
    cells = page.locator("li[data-testid^='cell-']")
    expect(cells.first).to_be_visible(timeout=TIMEOUT)
    for _ in range(2):
        cell = page.locator("li[data-testid^='cell-']").filter(has=page.get_by_test_id("btn-done")).first
        key = cell.get_attribute("data-testid")
        cell.get_by_test_id("btn-done").click()
        expect(page.get_by_test_id(key)).to_have_attribute("data-state", "done", timeout=TIMEOUT)
    cell = page.locator("li[data-testid^='cell-']").filter(has=page.get_by_test_id("btn-not-done")).first
    key = cell.get_attribute("data-testid")
    cell.get_by_test_id("btn-not-done").click()
    page.get_by_test_id("dialog-not-done").get_by_test_id("reason-refused").click()
    if page.get_by_test_id("dialog-not-done").get_by_test_id("btn-save").is_visible():
        page.get_by_test_id("dialog-not-done").get_by_test_id("btn-save").click()
    expect(page.get_by_test_id(key)).to_have_attribute("data-state", "not_done", timeout=TIMEOUT)
    page.get_by_test_id("btn-note").click()
    page.get_by_test_id("dialog-note").get_by_test_id("note-text").fill("Ate well; the bath is for tomorrow.")
    page.get_by_test_id("dialog-note").get_by_test_id("btn-save").click()
    expect(page.get_by_test_id("dialog-note")).to_be_hidden(timeout=TIMEOUT)
    _check_screen(page, "her card on the phone")

    page.get_by_test_id("nav-today").click()
    states = [page.get_by_test_id(f"today-item-{a['id']}-{i}").get_attribute("data-state") for i in a["items"]]
    assert sorted(states) == ["done", "done", "not_done"], states
    expect(page.get_by_test_id(f"today-note-{a['id']}")).to_contain_text("Ate well")

    # leave: right after arriving, far shorter than planned: the duration reason is asked
    page.get_by_test_id(f"today-leave-{a['id']}").click()
    dialog = page.get_by_test_id("dialog-leave")
    expect(dialog.get_by_test_id("leave-open")).to_contain_text("Every item")
    dialog.get_by_test_id("confirmed-family").click()
    dialog.get_by_test_id("leave-duration-reason").fill("She asked to rest; the bath is moved to tomorrow.")
    dialog.get_by_test_id("btn-save").click()
    expect(dialog).to_be_hidden(timeout=TIMEOUT)
    expect(page.get_by_test_id(f"today-visit-{a['id']}")).to_have_attribute("data-state", "left", timeout=TIMEOUT)
    _pending(page, 7)  # two arrivals, three ticks, a note, a departure
    _check_screen(page, "today after the visit")

    # reload offline: what she did is still there, from the phone's own storage
    page.reload()
    expect(page.get_by_test_id(f"today-visit-{a['id']}")).to_have_attribute("data-state", "left", timeout=TIMEOUT)
    expect(page.get_by_test_id(f"today-visit-{b['id']}")).to_have_attribute("data-state", "arrived")
    _pending(page, 7)
    made = _visit_entries(page)

    live.start()
    page.evaluate("() => import('/lib/sync.js').then((s) => s.syncNow())")
    _pending(page, 0)
    board = _board(live, seeded)
    assert board[a["id"]]["state"] == "left", board[a["id"]]
    assert board[a["id"]]["verification"]["verified"] is True, board[a["id"]]
    assert board[b["id"]]["state"] == "arrived", board[b["id"]]
    # each entry stored once, signed by her
    assert len(made) == 3 and len({e["id"] for e in made}) == 3
    stored = board[a["id"]]["events"] + board[b["id"]]["events"]
    assert sorted(e["id"] for e in stored) == sorted(e["id"] for e in made), stored
    assert all(e["author_id"] == seeded["carer_id"] and e["signed"] for e in stored), stored


#: In the page: when the Arrive button of visit `id` was tapped and when her stop showed her arrived (ms).
TIMED = """(id) => {
  window.__arrival = {};
  document.addEventListener('click', (event) => {
    if (event.target.closest(`[data-testid=today-arrive-${id}]`)) window.__arrival.tap = performance.now();
  }, true);
  new MutationObserver(() => {
    const el = document.querySelector(`[data-testid=today-visit-${id}]`);
    if (el && el.dataset.state === 'arrived' && !window.__arrival.shown) window.__arrival.shown = performance.now();
  }).observe(document.body, {subtree: true, childList: true, attributes: true});
}"""


def test_arrival_without_location_and_with_the_home_code(world, phone):
    live, seeded = world
    c, d, e = (seeded["visits"][k] for k in "cde")
    # no permission given: the browser denies at once
    context, page = phone()
    _sign_in_to_today(page, seeded["carer"])
    expect(page.get_by_test_id(f"today-stop-{c['id']}")).to_be_visible(timeout=TIMEOUT)
    started = time.monotonic()
    page.get_by_test_id(f"today-arrive-{c['id']}").click()
    expect(page.get_by_test_id(f"today-visit-{c['id']}")).to_have_attribute("data-state", "arrived", timeout=TIMEOUT)
    assert time.monotonic() - started < 3
    expect(page.get_by_test_id(f"today-flag-{c['id']}")).to_contain_text("without location")
    [denied] = [x for x in _visit_entries(page) if x["values"]["visit_id"] == c["id"]]
    assert denied["values"] == {"visit_id": c["id"], "presence": "none", "presence_reason": "denied"}

    # a location that never answers: saved within 10.5 s, without location
    context.add_init_script("navigator.geolocation.getCurrentPosition = () => {};")
    page.reload()
    expect(page.get_by_test_id(f"today-stop-{d['id']}")).to_be_visible(timeout=TIMEOUT)
    page.evaluate(TIMED, d["id"])
    page.get_by_test_id(f"today-arrive-{d['id']}").click()
    expect(page.get_by_test_id("today-locating")).to_be_visible()
    expect(page.get_by_test_id(f"today-visit-{d['id']}")).to_have_attribute("data-state", "arrived", timeout=12_000)
    timed = page.evaluate("() => window.__arrival")
    assert timed["shown"] - timed["tap"] < 10_500, timed
    [waited] = [x for x in _visit_entries(page) if x["values"]["visit_id"] == d["id"]]
    assert waited["values"]["presence_reason"] == "timeout"

    # the home code typed while the location is looked for
    page.get_by_test_id(f"today-arrive-{e['id']}").click()
    page.get_by_test_id("today-code").fill(seeded["code_e"])
    page.get_by_test_id("today-code-save").click()
    expect(page.get_by_test_id(f"today-visit-{e['id']}")).to_have_attribute("data-state", "arrived", timeout=TIMEOUT)
    [coded] = [x for x in _visit_entries(page) if x["values"]["visit_id"] == e["id"]]
    assert coded["values"]["presence"] == "code" and len(coded["values"]["code_hash"]) == 64
    _check_screen(page, "today, arrived three times")

    page.evaluate("() => import('/lib/sync.js').then((s) => s.syncNow())")
    _pending(page, 0)
    flags = {x["values"]["visit_id"]: x["flags"] or {} for x in _visit_entries(page)}
    assert "no_location" in flags[c["id"]] and "no_location" in flags[d["id"]]
    assert "wrong_code" not in flags[e["id"]] and "no_location" not in flags[e["id"]]
    board = _board(live, seeded)
    assert "no_location" in board[c["id"]]["flags"], board[c["id"]]
    assert "wrong_code" not in board[e["id"]]["flags"], board[e["id"]]
