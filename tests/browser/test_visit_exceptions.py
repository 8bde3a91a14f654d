"""A home visit's exceptions in the browser (issue 18, section 5, scenarios (3), (4), (5) and (7)), on 360 x 740
phones whose zone is not the home's (Asia/Shanghai): axe-clean, 44 px touch targets, no sideways scroll.

- (3) Reassigned while offline: the first carer's phone has pulled her visit and loses the server (every /api/
  request aborted: context.set_offline would not cut the service worker's own fetches); the dispatcher gives the
  visit to the second carer; the first arrives and leaves offline, the second does the visit too. Back online, the
  first phone's push reaches the server but its answer is lost; her pull acknowledges what it brings back and she
  pushes the rest again: both carers' entries kept, each stored once; the first carer's flagged "not the assigned
  carer" on the board; her pull takes the visit off her phone and nothing of hers is stuck in its outbox.
- (4) The second carer's phone clock is two hours off (Playwright's clock): her arrival is pushed and flagged
  "phone clock off" on the board, while her screen's "plan as of" reads the home's clock (the server's time), not
  her phone's nor her browser zone's. She then sets her clock right.
- (5) No access, through the phone: "other reason" wants a note; saved; the board says no access; her screen no
  longer offers an arrival, a departure or the person's items for that visit.
- (7) An alarm from a registered home device (its token shown once) reaches the dispatcher's Alarms tab at its
  next refresh; she records steps and closes it with an outcome; the person's relative, reading Russian on her
  phone, sees it open, then closed with its outcome -- never the address, phone, location, the device's label or
  text, the steps or who handled it.

The world: the demo care home plus the demo community centre (backend/demo/community.py), with this day's visits
laid out here; no demo name is spelt (the seed's ids and logins are read back)."""
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests
from playwright.sync_api import expect

from .conftest import server_after
from .pages import TIMEOUT, api_session, full_catalog, sign_in
from .test_screens import LANDSCAPE, check_screen

HOME_ZONE = ZoneInfo("Asia/Shanghai")
PHONE = {"width": 360, "height": 740}
CARER_ZONE = "Europe/Lisbon"
DISPATCH_ZONE = "America/Sao_Paulo"
RELATIVE_ZONE = "Europe/Moscow"
#: The second carer's phone clock is off by two hours: ahead in the home's morning, behind after noon, so that it
#: stays on the home's day.
CLOCK_OFF = timedelta(hours=2)
SECRET_LABEL = "SECRET-LABEL by the bed"
SECRET_DETAIL = "SECRET-DETAIL pressed twice"
SECRET_STEP_NOTE = "SECRET-STEP her son is on his way"
OUTCOME = "The carer found her well; she had pressed it by mistake."

#: Seeds the community centre on the copied demo database and lays out today's visits: V (person 0, the first
#: carer, to be reassigned), X (person 1, the first carer, with the items of her card: no access), W (person 2, the
#: second carer: her phone's clock); person 3 has a relative who reads Russian. Prints what the test needs.
SEED = r"""
import json
from datetime import datetime, timezone
from zoneinfo import ZoneInfo
from backend.app import create_app
from backend.demo import community
from backend.extensions import db
from backend.models import CareCard, RelativeLink, Resident, User
from backend.services import contracts, visits as visit_service
from backend.services.context import Ctx

app = create_app()
with app.app_context():
    now = datetime.now(timezone.utc)
    logins, ids = community.seed_community(now)
    db.session.commit()
    carer, carer2 = [u for u, r, _s in logins if r == "nurse"][:2]
    head = next(u for u, r, _s in logins if r == "supervisor")
    users = {u: db.session.get(User, ids.staff[u]) for u in (carer, carer2, head)}
    for user in users.values():  # the screens' words in English, the test's language
        user.locale = "en"
    relative = User(username="relative18", password_hash=users[carer].password_hash, full_name="Relative",
                    home_id=ids.home, locale="ru")
    relative.set_roles(("relative",))
    db.session.add(relative)
    db.session.flush()
    db.session.add(RelativeLink(user_id=relative.id, resident_id=ids.people[3]))
    db.session.commit()
    local = now.astimezone(ZoneInfo(ids.timezone))
    today = local.date()
    start = min(local.hour * 60 + local.minute - local.minute % 5, 22 * 60)
    hhmm = lambda m: f"{min(m, 23 * 60 + 55) // 60:02d}:{min(m, 23 * 60 + 55) % 60:02d}"
    card = contracts.card_from_contract(Ctx(actor=users[head], now=now), ids.people[1], f"{today:%Y-%m}",
                                        publish=True)
    card = db.session.get(CareCard, card["id"] if isinstance(card, dict) else card.id)
    items = [i.id for i in card.items if i.schedule_kind == "times"]
    visits = {}
    for key, person, who, at, minutes, item_ids in (("v", ids.people[0], carer, start, 5, []),
                                                    ("x", ids.people[1], carer, start + 30, 30, items),
                                                    ("w", ids.people[2], carer2, start, 5, [])):
        made = visit_service.create_visit(Ctx(actor=users[head], now=now), {
            "resident_id": person, "day": today, "start_time": hhmm(at), "planned_minutes": minutes,
            "item_ids": item_ids, "source": "ad_hoc"})
        visit_service.assign(Ctx(actor=users[head], now=now), made["id"], [ids.staff[who]])
        r = db.session.get(Resident, person)
        visits[key] = {"id": made["id"], "resident_id": person, "items": item_ids, "lat": r.lat, "lon": r.lon,
                       "name": r.full_name}
    db.session.commit()
    p = db.session.get(Resident, ids.people[3])
    print(json.dumps({"carer": carer, "carer2": carer2, "head": head, "relative": relative.username,
                      "staff": ids.staff, "station": ids.station, "day": today.isoformat(), "visits": visits,
                      "person": {"id": p.id, "name": p.full_name, "address": p.address, "phone": p.phone,
                                 "lat": p.lat, "lon": p.lon},
                      "staff_names": [u.full_name for u in users.values()]}))
"""


@pytest.fixture(scope="module")
def world(tmp_path_factory, seeded_demo):
    """(server, what SEED printed): one server for the module's two tests, which touch different people (a server
    and its seed cost seconds of CI)."""
    with server_after(tmp_path_factory.mktemp("visit-exceptions"), seeded_demo, SEED) as pair:
        yield pair


def phone_context(browser, live, **options):
    return browser.new_context(base_url=live.url, viewport=PHONE, has_touch=True, is_mobile=True,
                               service_workers="allow", locale="en-GB", timezone_id=CARER_ZONE, **options)


def near(visit):
    return {"latitude": visit["lat"] + 0.0002, "longitude": visit["lon"], "accuracy": 15}


def sign_in_to_today(page, username):
    sign_in(page, username)
    # a browser that is no enrolled tablet: the station's one post, then her visits (the post pull carries them)
    page.get_by_test_id("post-submit").click()
    expect(page.locator("[data-testid^='resident-row-']").first).to_be_visible(timeout=TIMEOUT)
    page.get_by_test_id("nav-today").click()
    expect(page.get_by_test_id("today-list")).to_be_visible(timeout=TIMEOUT)


def to_send(page, count):
    """Her line "plan as of hh:mm · N to send" counts the entries waiting and those held."""
    expect(page.get_by_test_id("today-plan")).to_have_attribute("data-count", str(count), timeout=TIMEOUT)


def sync(page):
    """The phone's next sync (push, then pull), waited for; what failed stays in its outbox (to_send shows it)."""
    page.evaluate("() => import('/lib/sync.js').then((s) => s.syncNow())")


def visit_entries(page):
    return page.evaluate("""() => import('/lib/db.js').then((db) => db.getAll('entries')).then((all) =>
        all.filter((e) => e.kind === 'visit').map((e) => ({id: e.id, status: e.status, values: e.values,
          synced: !!e.synced, device_time: e.device_time})))""")


def arrive_and_leave(page, visit_id):
    page.get_by_test_id(f"today-arrive-{visit_id}").click()
    expect(page.get_by_test_id(f"today-visit-{visit_id}")).to_have_attribute("data-state", "arrived",
                                                                            timeout=TIMEOUT)
    page.get_by_test_id(f"today-leave-{visit_id}").click()
    dialog = page.get_by_test_id("dialog-leave")
    dialog.get_by_test_id("confirmed-person").click()
    dialog.get_by_test_id("btn-save").click()
    expect(dialog).to_be_hidden(timeout=TIMEOUT)
    expect(page.get_by_test_id(f"today-visit-{visit_id}")).to_have_attribute("data-state", "left", timeout=TIMEOUT)


def board(live, head, seeded):
    r = head.get(live.url + "/api/visits/board", params={"unit_id": seeded["station"], "day": seeded["day"]},
                 timeout=10)
    assert r.status_code == 200, r.text
    return {v["id"]: v for v in r.json()["visits"]}


def hhmm_near(at, zone=HOME_ZONE):
    """hh:mm in `zone` at `at` and in the two minutes before (the pull that the screen tells may be that old)."""
    local = at.astimezone(zone)
    return {f"{local - timedelta(minutes=m):%H:%M}" for m in range(3)}


def test_reassigned_offline_clock_off_and_no_access(browser, world):
    live, seeded = world
    v, x, w = (seeded["visits"][k] for k in "vxw")
    head = api_session(live.url, seeded["head"])

    # The first carer's phone pulls her day: V and X.
    first_ctx = phone_context(browser, live, geolocation=near(v), permissions=["geolocation"])
    first = first_ctx.new_page()
    sign_in_to_today(first, seeded["carer"])
    for visit in (v, x):
        expect(first.get_by_test_id(f"today-visit-{visit['id']}")).to_have_attribute("data-state", "planned",
                                                                                    timeout=TIMEOUT)
    for item in x["items"]:
        expect(first.get_by_test_id(f"today-item-{x['id']}-{item}")).to_have_attribute("data-state", "open")
    assert first.get_by_test_id(f"today-visit-{w['id']}").count() == 0

    # She loses the server; meanwhile the dispatcher gives V to the second carer.
    network = {"down": True, "pushes": []}

    def first_phones_network(route):
        """Down: nothing reaches the server. Up again: her first push reaches it and its answer is lost."""
        if network["down"]:
            route.abort("internetdisconnected")
            return
        if "/api/sync/push" in route.request.url:
            network["pushes"].append({e["id"] for e in route.request.post_data_json["entries"]})
            if len(network["pushes"]) == 1:
                route.fetch()  # the server stores them
                route.abort("connectionreset")
                return
        route.continue_()

    first_ctx.route("**/api/**", first_phones_network)
    r = head.post(f"{live.url}/api/visits/{v['id']}/assign", json={"carer_ids": [seeded["staff"][seeded["carer2"]]]},
                  timeout=10)
    assert r.status_code == 200, r.text

    # (3) offline, she still has V: she arrives and leaves.
    arrive_and_leave(first, v["id"])
    to_send(first, 2)

    # (5) no access at X: "other reason" wants a note; then saved, and the visit offers nothing more.
    first.get_by_test_id(f"today-no-access-{x['id']}").click()
    dialog = first.get_by_test_id("dialog-no-access")
    expect(dialog).to_be_visible(timeout=TIMEOUT)
    check_screen(first, "no access dialog")
    dialog.get_by_test_id("btn-save").click()
    expect(dialog).to_contain_text("Choose a reason.")
    dialog.get_by_test_id("no-access-other").click()
    dialog.get_by_test_id("btn-save").click()
    expect(dialog).to_contain_text("Describe the reason in the note.")
    dialog.get_by_test_id("no-access-note").fill("The door was locked; a neighbour says she is at her son's.")
    dialog.get_by_test_id("btn-save").click()
    expect(dialog).to_be_hidden(timeout=TIMEOUT)
    block = first.get_by_test_id(f"today-visit-{x['id']}")
    expect(block).to_have_attribute("data-state", "no_access", timeout=TIMEOUT)
    to_send(first, 3)
    for offered in (f"today-arrive-{x['id']}", f"today-leave-{x['id']}", f"today-no-access-{x['id']}",
                    f"today-items-{x['id']}"):
        assert first.get_by_test_id(offered).count() == 0, offered
    [no_access] = [e for e in visit_entries(first) if e["status"] == "no_access"]
    assert no_access["values"] == {"visit_id": x["id"]}
    check_screen(first, "today offline, after a no access")

    # (4) the second carer's phone, its clock two hours off; the plan names V (reassigned to her) and W.
    real_now = datetime.now(UTC)
    off = CLOCK_OFF if real_now.astimezone(HOME_ZONE).hour < 12 else -CLOCK_OFF
    second_ctx = phone_context(browser, live, geolocation=near(w), permissions=["geolocation"])
    second_ctx.clock.install(time=real_now + off)
    second = second_ctx.new_page()
    sign_in_to_today(second, seeded["carer2"])
    for visit in (v, w):
        expect(second.get_by_test_id(f"today-visit-{visit['id']}")).to_have_attribute("data-state", "planned",
                                                                                     timeout=TIMEOUT)
    phone_now = datetime.fromtimestamp(second.evaluate("() => Date.now()") / 1000, UTC)
    assert abs(phone_now - datetime.now(UTC) - off) < timedelta(minutes=1), phone_now
    # "plan as of hh:mm": the home's clock of the pull (the server's time), not her phone's, nor Lisbon's
    expect(second.get_by_test_id("today-plan")).to_contain_text("plan as of")
    plan = second.get_by_test_id("today-plan").inner_text()
    assert any(t in plan for t in hhmm_near(datetime.now(UTC))), plan
    assert not any(t in plan for t in hhmm_near(phone_now) | hhmm_near(datetime.now(UTC), ZoneInfo(CARER_ZONE))), plan
    second.get_by_test_id(f"today-arrive-{w['id']}").click()
    expect(second.get_by_test_id(f"today-visit-{w['id']}")).to_have_attribute("data-state", "arrived",
                                                                              timeout=TIMEOUT)
    [arrival] = [e for e in visit_entries(second) if e["values"]["visit_id"] == w["id"]]
    assert abs(datetime.fromisoformat(arrival["device_time"]) - datetime.now(UTC) - off) < timedelta(minutes=1)
    sync(second)
    to_send(second, 0)
    check_screen(second, "today, the phone's clock off")
    # She sets her clock right, then does V, which is hers now.
    second_ctx.clock.set_system_time(datetime.now(UTC))
    second_ctx.set_geolocation(near(v))
    arrive_and_leave(second, v["id"])
    sync(second)
    to_send(second, 0)

    # Back online: the first phone's push reaches the server, its answer is lost. Her pull brings X's entry back
    # (acknowledged by it); V's person left her pull, so V's two entries are pushed again.
    network["down"] = False
    sync(first)
    sync(first)
    to_send(first, 0)
    pushes = network["pushes"]
    at_v = {e["id"] for e in visit_entries(first) if e["values"]["visit_id"] == v["id"]}
    assert len(pushes[0]) == 3 and len(at_v) == 2 and at_v <= set().union(*pushes[1:]), pushes

    stored = board(live, head, seeded)
    mine = {e["id"]: e for e in visit_entries(first)}
    events_v = {e["id"]: e for e in stored[v["id"]]["events"]}
    assert len(stored[v["id"]]["events"]) == len(events_v) == 4, stored[v["id"]]["events"]
    by_first = {i for i, e in events_v.items() if e["author_id"] == seeded["staff"][seeded["carer"]]}
    assert by_first == {i for i, e in mine.items() if e["values"]["visit_id"] == v["id"]}, (by_first, mine)
    for entry_id, e in events_v.items():
        assert e["signed"], e
        assert ("not_assigned" in (e["flags"] or {})) == (entry_id in by_first), e
        assert "clock_off" not in (e["flags"] or {}), e
    assert stored[v["id"]]["state"] == "left", stored[v["id"]]
    assert "clock_off" in stored[w["id"]]["flags"] and "not_assigned" not in stored[w["id"]]["flags"]
    assert stored[x["id"]]["state"] == "no_access", stored[x["id"]]
    [x_event] = stored[x["id"]]["events"]
    assert x_event["id"] == no_access["id"] and x_event["reason"] == "other", x_event

    # Her next pull took V (and its person) off her phone; her entries stay, sent; nothing is held.
    expect(first.get_by_test_id(f"today-visit-{v['id']}")).to_have_count(0, timeout=TIMEOUT)
    expect(first.get_by_test_id(f"today-visit-{x['id']}")).to_have_attribute("data-state", "no_access")
    assert first.evaluate("() => import('/lib/db.js').then((db) => db.getAll('visits'))"
                          ".then((all) => all.map((v) => v.id))") == [x["id"]]
    assert all(e["synced"] for e in visit_entries(first)) and len(visit_entries(first)) == 3
    assert first.evaluate("() => import('/lib/outbox.js').then((o) => o.counts())") == {"pending": 0, "rejected": 0}
    check_screen(first, "today after the reassigned visit left")

    # The dispatcher's board shows the three: V flagged (the first carer's entries), W's clock, X without access.
    ctx = browser.new_context(base_url=live.url, locale="en-GB", timezone_id=DISPATCH_ZONE, viewport=LANDSCAPE,
                              has_touch=True, service_workers="block")
    page = ctx.new_page()
    sign_in(page, seeded["head"])
    expect(page.get_by_test_id(f"board-visit-{v['id']}")).to_have_attribute("data-state", "left", timeout=TIMEOUT)
    expect(page.get_by_test_id(f"board-flags-{v['id']}").locator("[data-flag=not_assigned]")).to_contain_text(
        "not the assigned carer")
    expect(page.get_by_test_id(f"board-flags-{w['id']}").locator("[data-flag=clock_off]")).to_contain_text(
        "phone clock off")
    expect(page.get_by_test_id(f"board-visit-{x['id']}")).to_have_attribute("data-state", "no_access")
    expect(page.get_by_test_id(f"board-state-{x['id']}")).to_contain_text("no access to her home")
    check_screen(page, "the board with the exceptions")
    page.set_viewport_size(PHONE)
    check_screen(page, "the board at phone size")
    for context in (first_ctx, second_ctx, ctx):
        context.close()


def test_an_alarm_from_intake_to_the_board_to_the_family(browser, world):
    live, seeded = world
    person = seeded["person"]
    head = api_session(live.url, seeded["head"])
    device = head.post(f"{live.url}/api/homecare/people/{person['id']}/devices",
                       json={"kind": "sos", "label": SECRET_LABEL}, timeout=10)
    assert device.status_code == 201, device.text
    token = device.json()["token"]
    listed = head.get(f"{live.url}/api/homecare/people/{person['id']}/devices", timeout=10).json()
    assert [d["id"] for d in listed] == [device.json()["id"]] and "token" not in listed[0]  # shown once

    # The dispatcher has the Alarms tab open (a phone in her hand) before the alarm comes.
    ctx = browser.new_context(base_url=live.url, locale="en-GB", timezone_id=DISPATCH_ZONE, viewport=PHONE,
                              has_touch=True, is_mobile=True, service_workers="block")
    ctx.clock.install()
    page = ctx.new_page()
    sign_in(page, seeded["head"])
    expect(page.get_by_test_id("dispatch-tab-alarms")).to_be_visible(timeout=TIMEOUT)
    page.get_by_test_id("dispatch-tab-alarms").click()
    expect(page.get_by_test_id("dispatch-body")).to_contain_text("No alarms", timeout=TIMEOUT)

    raised = requests.post(f"{live.url}/api/alarms", json={"kind": "sos", "detail": SECRET_DETAIL},
                           headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert raised.status_code == 201, raised.text
    alarm = raised.json()["id"]
    wrong = requests.post(f"{live.url}/api/alarms", json={"kind": "sos"},
                          headers={"Authorization": "Bearer not-a-token"}, timeout=10)
    assert wrong.status_code == 401, wrong.text

    # Her tab refreshes by itself (a minute later on her clock).
    page.clock.run_for(61_000)
    row = page.get_by_test_id(f"alarm-{alarm}")
    expect(row).to_have_attribute("data-open", "true", timeout=TIMEOUT)
    expect(row).to_contain_text("not acknowledged")
    expect(row).to_contain_text(person["name"])
    check_screen(page, "an open alarm at phone size")

    # The relative sees it open, in Russian, at phone size.
    catalog = full_catalog(live.url, "ru")
    family_ctx = browser.new_context(base_url=live.url, locale="en-GB", timezone_id=RELATIVE_ZONE, viewport=PHONE,
                                     has_touch=True, is_mobile=True, service_workers="block")
    family = family_ctx.new_page()
    sign_in(family, seeded["relative"], language="ru")
    shown = family.locator("[data-testid=family-alarm]")
    expect(shown).to_have_count(1, timeout=TIMEOUT)
    expect(shown).to_have_attribute("data-open", "true")
    expect(shown).to_contain_text(catalog["SOS alarm button"])
    expect(shown).to_contain_text(catalog["Open: the station is dealing with it"])

    # Her steps, then the close with its outcome.
    for step, words in (("acknowledged", "Acknowledged at"), ("family_told", "family told"),
                        ("carer_sent", "carer sent")):
        page.get_by_test_id(f"alarm-{alarm}-{step}").click()
        expect(row).to_contain_text(words, timeout=TIMEOUT)
    expect(row).not_to_contain_text("not acknowledged")
    # a second call to the family, with a note (recorded beside her screen: the log's API)
    r = head.post(f"{live.url}/api/alarms/{alarm}/steps", json={"step": "family_told", "note": SECRET_STEP_NOTE},
                  timeout=10)
    assert r.status_code == 200, r.text
    page.get_by_test_id("dispatch-refresh").click()
    expect(row).to_contain_text(SECRET_STEP_NOTE, timeout=TIMEOUT)
    page.get_by_test_id(f"alarm-close-{alarm}").click()
    dialog = page.get_by_test_id("dialog-close-alarm")
    expect(dialog).to_be_visible(timeout=TIMEOUT)
    dialog.get_by_test_id("btn-save").click()
    expect(dialog.locator(".field-msg")).to_contain_text("Describe the outcome.")
    check_screen(page, "the close dialog at phone size")
    dialog.get_by_test_id("alarm-outcome").fill(OUTCOME)
    dialog.get_by_test_id("btn-save").click()
    expect(dialog).to_be_hidden(timeout=TIMEOUT)
    expect(row).to_have_attribute("data-open", "false", timeout=TIMEOUT)
    expect(row).to_contain_text(OUTCOME)
    logged = head.get(f"{live.url}/api/alarms", params={"unit_id": seeded["station"]}, timeout=10).json()
    [closed] = [a for a in logged if a["id"] == alarm]
    assert [s["step"] for s in closed["steps"]] == ["acknowledged", "family_told", "carer_sent", "family_told",
                                                    "closed"], closed
    assert closed["false_alarm"] is False and closed["outcome"] == OUTCOME

    # The relative's view, read again: closed, with the outcome; nothing of the handling or of where she lives.
    family.reload()
    expect(shown).to_have_attribute("data-open", "false", timeout=TIMEOUT)
    expect(shown).to_contain_text(OUTCOME)
    expect(shown).to_contain_text(catalog["Closed %(time)s"].split("%(time)s")[0].strip())
    expect(shown).not_to_contain_text(catalog["False alarm"])
    text = family.get_by_test_id("family-view").inner_text()
    for private in (person["address"], person["phone"], str(person["lat"]), str(person["lon"]), SECRET_LABEL,
                    SECRET_DETAIL, SECRET_STEP_NOTE, *seeded["staff_names"], catalog["carer sent"],
                    catalog["family told"], "SECRET", "null", "undefined"):
        assert private not in text, private
    check_screen(family, "the relative's alarms in Russian")
    for context in (ctx, family_ctx):
        context.close()
