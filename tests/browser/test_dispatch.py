"""The station head's screen (issue 18, sections 3 and 5 (6)): in a community home her browser -- in another zone
than the home's Asia/Shanghai -- generates a week's visits from the month's cards, assigns a carer, cancels a visit
with a reason, adds visits by hand (the API's refusal shown beside the field it names), and today's board tells a
carer who is late (her phone synced since the start, no arrival) from one whose phone is silent (no sync since before
the start: since when), and shows an arrival with its flag, whose carer's reason for no location she accepts; an
alarm is acknowledged and closed. Axe-clean, 44 px targets, landscape and portrait.

The server's clock is the real one: the visits of the board are added for 20 minutes ago, and the carer's phone that
stays silent is seeded as having last pulled two hours ago (there is no other way to be silent since before a start
20 minutes back)."""
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests
from playwright.sync_api import expect

from backend.domain import signing

from ..helpers import entry as make_entry
from .conftest import server_after
from .pages import TIMEOUT, api_session, sign_in
from .test_screens import LANDSCAPE, PORTRAIT, check_screen

HOME_ZONE = ZoneInfo("Asia/Shanghai")
BROWSER_ZONE = "America/Sao_Paulo"  # 11 hours behind the home: another calendar day for part of it

# Run inside the app: the community centre beside the demo care home (unless `bedside demo` made it already), and
# carer2's own phone, last synced two hours ago. Prints the ids the test needs.
SEED = r"""
import json
from datetime import UTC, datetime, timedelta
from backend.app import create_app
from backend.demo import community
from backend.extensions import db
from backend.models import Device, Home, Resident, Unit, User

app = create_app()
with app.app_context():
    now = datetime.now(UTC)
    home = Home.query.filter_by(kind="community").first()
    if home is None:
        community.seed_community(now)
        db.session.commit()
        home = Home.query.filter_by(kind="community").first()
    station = Unit.query.filter_by(home_id=home.id).order_by(Unit.id).first()
    staff = {u.username: u.id for u in User.query.filter_by(home_id=home.id)}
    people = [r.id for r in Resident.query.filter_by(unit_id=station.id, active=True).order_by(Resident.id)]
    at = (now - timedelta(hours=2)).replace(tzinfo=None, microsecond=0)
    for device in Device.query.filter_by(last_user_id=staff["carer2"]):
        device.last_pull_at = device.last_push_at = at
    db.session.add(Device(id="carer2-phone", home_id=home.id, first_seen=at, last_seen=at, last_pull_at=at,
                          last_user_id=staff["carer2"], max_client_seq=0, outbox_len=0))
    db.session.commit()
    print(json.dumps({"station": station.id, "staff": staff, "people": people, "silent_since": at.isoformat()}))
"""


@pytest.fixture
def centre(tmp_path, seeded_demo):
    """The demo care home and the community centre on one server: (server, ids)."""
    with server_after(tmp_path, seeded_demo, SEED) as pair:
        yield pair


def hhmm(at):
    return at.astimezone(HOME_ZONE).strftime("%H:%M")


def visit_id(api, url, unit_id, day, resident_id, start_time):
    found = api.get(f"{url}/api/visits", params={"unit_id": unit_id, "from": day, "to": day}, timeout=10).json()
    return next(v["id"] for v in found if v["resident_id"] == resident_id and v["start_time"] == start_time
                and v["source"] == "ad_hoc")


def choose_day(page, day):
    page.get_by_test_id("dispatch-day").fill(day)
    page.get_by_test_id("dispatch-day").press("Tab")


def add_visit(page, person, day, start, minutes):
    page.get_by_test_id("week-add").click()
    dialog = page.get_by_test_id("dialog-visit")
    expect(dialog).to_be_visible(timeout=TIMEOUT)
    dialog.get_by_test_id("visit-person").select_option(str(person))
    dialog.get_by_test_id("visit-day").fill(day)
    dialog.get_by_test_id("visit-time").fill(start)
    dialog.get_by_test_id("visit-minutes").fill(str(minutes))
    dialog.get_by_test_id("btn-save").click()
    return dialog


def assign(page, visit, carer):
    page.get_by_test_id(f"week-assign-{visit}").click()
    dialog = page.get_by_test_id("dialog-assign")
    expect(dialog).to_be_visible(timeout=TIMEOUT)
    for box in dialog.locator("input[type=checkbox]").all():
        box.uncheck()
    dialog.get_by_test_id(f"assign-carer-{carer}").check()
    dialog.get_by_test_id("btn-save").click()
    expect(dialog).to_be_hidden(timeout=TIMEOUT)


def test_the_board_tells_late_from_phone_silent(browser, centre):
    server, ids = centre
    url, station, staff, people = server.url, ids["station"], ids["staff"], ids["people"]
    now = datetime.now(UTC)
    start_at = (now - timedelta(minutes=20)).astimezone(HOME_ZONE)
    day = start_at.date().isoformat()          # the day of the board's visits (the home's calendar)
    start = start_at.strftime("%H:%M")
    arrived_start = hhmm(now - timedelta(minutes=10))
    next_week = (start_at.date() + timedelta(days=7)).isoformat()

    # Set-up through the API: this month's and next week's cards from the contracts, published.
    head = api_session(url, "dispatch1")
    assert head.patch(f"{url}/api/auth/me", json={"locale": "en"}, timeout=10).status_code == 200  # read in English
    months = {start_at.strftime("%Y-%m"), (start_at.date() + timedelta(days=13)).strftime("%Y-%m")}
    for person in people:
        for month in sorted(months):
            r = head.post(f"{url}/api/homecare/people/{person}/card", json={"month": month, "publish": True},
                          timeout=30)
            assert r.status_code in (200, 201, 409), r.text
    carers = {c["id"]: c["full_name"] for c in head.get(f"{url}/api/homecare/carers", params={"unit_id": station},
                                                         timeout=10).json()}
    carer1, carer2 = staff["carer1"], staff["carer2"]

    context = browser.new_context(base_url=url, locale="en-GB", timezone_id=BROWSER_ZONE, viewport=LANDSCAPE,
                                  has_touch=True, service_workers="block")
    page = context.new_page()
    sign_in(page, "dispatch1", language="en")
    expect(page.get_by_test_id("dispatch-tab-board")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id("board-counts")).to_be_visible(timeout=TIMEOUT)

    # The week: generate next week's visits from the cards.
    page.get_by_test_id("dispatch-tab-week").click()
    choose_day(page, next_week)
    page.get_by_test_id("week-generate").click()
    made = page.get_by_test_id("week-result").locator("[data-made]")
    expect(made).to_be_visible(timeout=TIMEOUT)
    assert int(made.get_attribute("data-made")) > 0
    rows = page.locator("[data-testid^='week-visit-']")
    expect(rows.first).to_be_visible(timeout=TIMEOUT)
    check_screen(page, "the week")
    first, second = (int(rows.nth(n).get_attribute("data-testid").rsplit("-", 1)[1]) for n in (0, 1))

    # Assign carer1 (choosing nobody is refused beside the field); the week shows her.
    page.get_by_test_id(f"week-assign-{first}").click()
    dialog = page.get_by_test_id("dialog-assign")
    expect(dialog).to_be_visible(timeout=TIMEOUT)
    check_screen(page, "assign dialog")
    dialog.get_by_test_id("btn-save").click()
    expect(dialog.locator(".field-msg")).to_contain_text("Choose one to three carers.")
    dialog.get_by_test_id(f"assign-carer-{carer1}").check()
    dialog.get_by_test_id("btn-save").click()
    expect(dialog).to_be_hidden(timeout=TIMEOUT)
    expect(page.get_by_test_id(f"week-carers-{first}")).to_have_text(carers[carer1], timeout=TIMEOUT)

    # Cancel another: a reason is required; the visit stays, cancelled, with it.
    page.get_by_test_id(f"week-cancel-{second}").click()
    dialog = page.get_by_test_id("dialog-cancel-visit")
    expect(dialog).to_be_visible(timeout=TIMEOUT)
    dialog.get_by_test_id("btn-save").click()
    expect(dialog.locator(".field-msg")).to_contain_text("A reason is required.")
    dialog.get_by_test_id("cancel-reason").fill("in hospital this week")
    dialog.get_by_test_id("btn-save").click()
    expect(dialog).to_be_hidden(timeout=TIMEOUT)
    row = page.get_by_test_id(f"week-visit-{second}")
    expect(row).to_have_attribute("data-cancelled", "true", timeout=TIMEOUT)
    expect(row).to_contain_text("in hospital this week")
    assert page.get_by_test_id(f"week-cancel-{second}").count() == 0

    # Visits added by hand for today, 20 and 10 minutes ago; the API's refusal is shown beside the field it names.
    choose_day(page, day)
    late_person, silent_person, arrived_person = people[0], people[1], people[2]
    dialog = add_visit(page, late_person, day, start, 1)
    minutes_msg = page.locator("#visit-minutes-msg")
    expect(minutes_msg).not_to_be_empty(timeout=TIMEOUT)
    expect(dialog.get_by_test_id("visit-minutes")).to_have_attribute("aria-invalid", "true")
    dialog.get_by_test_id("visit-minutes").fill("30")
    dialog.get_by_test_id("btn-save").click()
    expect(dialog).to_be_hidden(timeout=TIMEOUT)
    for person, at in ((silent_person, start), (arrived_person, arrived_start)):
        expect(add_visit(page, person, day, at, 30)).to_be_hidden(timeout=TIMEOUT)
    late = visit_id(head, url, station, day, late_person, start)
    silent = visit_id(head, url, station, day, silent_person, start)
    arrived = visit_id(head, url, station, day, arrived_person, arrived_start)
    for visit, carer in ((late, carer1), (silent, carer2), (arrived, carer1)):
        expect(page.get_by_test_id(f"week-assign-{visit}")).to_be_visible(timeout=TIMEOUT)
        assign(page, visit, carer)
        expect(page.get_by_test_id(f"week-carers-{visit}")).to_have_text(carers[carer], timeout=TIMEOUT)

    # carer1's phone pushes her arrival at the third visit, signed (no code typed: presence "none"): her phone has
    # synced since the start of the first.
    phone = requests.Session()
    phone.headers.update({"X-Bedside": "1"})
    login = phone.post(f"{url}/api/auth/login", json={"username": "carer1", "password": "demo",
                                                      "device_id": "carer1-phone"}, timeout=10).json()
    key = login["signing_key"]
    tapped = datetime.now(UTC).astimezone(HOME_ZONE).isoformat(timespec="seconds")
    entry = make_entry(arrived_person, carer1, day=day, kind="visit", device_id="carer1-phone", client_seq=1,
                       device_time=tapped, status="arrived",
                       values={"visit_id": arrived, "presence": "none", "presence_reason": "no_code"})
    entry["key_id"] = key["id"]
    entry["sig"] = signing.sign(signing.decode_key(key["secret"]), entry)
    pushed = phone.post(f"{url}/api/sync/push", json={"device_id": "carer1-phone", "entries": [entry],
                                                      "device_now": tapped}, timeout=10)
    assert pushed.status_code == 200, pushed.text
    assert pushed.json()["results"][0]["status"] == "accepted", pushed.text

    # The board: late, phone silent since two hours ago (the home's clock, not the browser's), arrived and flagged.
    page.get_by_test_id("dispatch-tab-board").click()
    page.get_by_test_id("dispatch-refresh").click()
    expect(page.get_by_test_id(f"board-visit-{late}")).to_have_attribute("data-state", "late", timeout=TIMEOUT)
    expect(page.get_by_test_id(f"board-state-{late}")).to_contain_text("carer late")
    expect(page.get_by_test_id(f"board-visit-{late}")).to_contain_text(start)
    silent_since = datetime.fromisoformat(ids["silent_since"]).replace(tzinfo=UTC)
    expect(page.get_by_test_id(f"board-visit-{silent}")).to_have_attribute("data-state", "phone_silent")
    # since hh:mm on the home's clock (with its date before it when that was another day: near midnight)
    expect(page.get_by_test_id(f"board-state-{silent}")).to_contain_text("carer's phone silent since ")
    expect(page.get_by_test_id(f"board-state-{silent}")).to_contain_text(hhmm(silent_since))
    expect(page.get_by_test_id(f"board-visit-{arrived}")).to_have_attribute("data-state", "arrived")
    expect(page.get_by_test_id(f"board-flags-{arrived}")).to_contain_text("no location")
    expect(page.get_by_test_id(f"board-verified-{arrived}")).to_have_attribute("data-verified", "false")
    expect(page.get_by_test_id(f"board-verified-{arrived}")).to_contain_text("not verified: lacks")
    for state in ("late", "phone_silent", "arrived"):
        assert int(page.get_by_test_id(f"board-count-{state}").get_attribute("data-count")) >= 1
    # each state in words and with a mark of its own (not colour alone)
    assert page.get_by_test_id(f"board-state-{late}").locator(".dstate-mark").inner_text() != \
        page.get_by_test_id(f"board-state-{silent}").locator(".dstate-mark").inner_text()
    check_screen(page, "the board (landscape)")
    page.set_viewport_size(PORTRAIT)
    check_screen(page, "the board (portrait)")
    page.set_viewport_size(LANDSCAPE)

    # The station head accepts the carer's reason (no code): the location then counts; the board says who and why.
    page.get_by_test_id(f"board-accept-{arrived}").click()
    dialog = page.get_by_test_id("dialog-accept-location")
    expect(dialog).to_be_visible(timeout=TIMEOUT)
    dialog.get_by_test_id("accept-reason").fill("she forgot the code; her daughter confirmed by phone")
    dialog.get_by_test_id("btn-save").click()
    expect(dialog).to_be_hidden(timeout=TIMEOUT)
    expect(page.get_by_test_id(f"board-accepted-{arrived}")).to_contain_text("her daughter confirmed",
                                                                              timeout=TIMEOUT)
    expect(page.get_by_test_id(f"board-verified-{arrived}")).not_to_contain_text("the location")
    assert page.get_by_test_id(f"board-accept-{arrived}").count() == 0

    # An alarm from a home device reaches the station's log: acknowledged, then closed with its outcome.
    device = head.post(f"{url}/api/homecare/people/{late_person}/devices", json={"kind": "sos"}, timeout=10).json()
    raised = requests.post(f"{url}/api/alarms", json={"kind": "sos"},
                           headers={"Authorization": f"Bearer {device['token']}"}, timeout=10)
    assert raised.status_code == 201, raised.text
    alarm = raised.json()["id"]
    page.get_by_test_id("dispatch-tab-alarms").click()
    row = page.get_by_test_id(f"alarm-{alarm}")
    expect(row).to_have_attribute("data-open", "true", timeout=TIMEOUT)
    expect(row).to_contain_text("not acknowledged")
    check_screen(page, "alarms")
    page.get_by_test_id(f"alarm-{alarm}-acknowledged").click()
    expect(row).not_to_contain_text("not acknowledged", timeout=TIMEOUT)
    expect(row).to_contain_text("Acknowledged at")
    page.get_by_test_id(f"alarm-close-{alarm}").click()
    dialog = page.get_by_test_id("dialog-close-alarm")
    expect(dialog).to_be_visible(timeout=TIMEOUT)
    dialog.get_by_test_id("btn-save").click()
    expect(dialog.locator(".field-msg")).to_contain_text("Describe the outcome.")
    dialog.get_by_test_id("alarm-outcome").fill("pressed by mistake, she is well")
    dialog.get_by_test_id("alarm-false").check()
    dialog.get_by_test_id("btn-save").click()
    expect(dialog).to_be_hidden(timeout=TIMEOUT)
    expect(row).to_have_attribute("data-open", "false", timeout=TIMEOUT)
    expect(row).to_contain_text("false alarm")
    context.close()
