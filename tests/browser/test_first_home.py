"""Issue 13 in one browser run: a new home from an EMPTY database (`bedside init`, `bedside setup`) through its first
shift and a resident's whole stay. The administrator sets up the organisation, the staff and the duty-post tablet;
the planner (one-time password, then her own) admits two residents, assesses one, writes her plan and publishes
this month's card; two nurses sign in for the first time on the shared tablet (own password, PIN) and record; one
of them is disabled (her session ends, the tablet stops offering her, her entry keeps her name); the resident goes
to hospital, comes back, moves room and is discharged, each reaching the tablet at its next sync, and her record
and this month's card stay readable. The browser runs in another time zone than the home: times shown are the
home's. Also the CSV import screen on the demo home."""
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests
from playwright.sync_api import expect

from .pages import (
    TIMEOUT,
    add_staff,
    choose_own_password,
    choose_pin,
    confirm,
    create_unit_post_and_rooms,
    expect_pending,
    open_post,
    sign_in,
    sign_in_as_admin,
    staff_row,
    sync_tablet,
    tick_done,
    wait_for_worker,
    write_note,
)
from .test_admin_staff import KEY_GONE
from .test_bedside_loop import HEADERS
from .test_care_plan import _add_service
from .test_new_resident_journey import _fill
from .test_screens import LANDSCAPE, PORTRAIT, check_both_ways, check_screen
from ..conftest import DEMO_PASSWORD, LOGINS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: Zones a home may be in, spread over the day: the test picks the one whose local time is closest to 13:00, so the
#: day holds past and future slots and the run never crosses the home's midnight.
ZONES = ["Pacific/Kiritimati", "Pacific/Auckland", "Pacific/Noumea", "Australia/Sydney", "Asia/Tokyo",
         "Asia/Shanghai", "Asia/Krasnoyarsk", "Asia/Novosibirsk", "Asia/Dhaka", "Asia/Tashkent", "Asia/Dubai",
         "Europe/Moscow", "Europe/Kaliningrad", "Europe/Berlin", "Europe/London", "Atlantic/Azores",
         "America/Noronha", "America/Sao_Paulo", "America/Halifax", "America/New_York", "America/Chicago",
         "America/Denver", "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu", "Pacific/Pago_Pago"]
BROWSER_ZONES = ["America/New_York", "UTC", "Asia/Tokyo"]

ADMIN, ADMIN_NAME, ADMIN_PASSWORD = "zavhoz", "Соколовская Ирина Павловна", "Зелёная лампа над столом 1987"
HOME = "Пансионат «Рассвет»"
UNIT, POST = "Отделение 1", "Пост А"
PLANNER = ("Орлова Вера Николаевна", "orlova", "planner")
SUPERVISOR = ("Рыбкина Нина Сергеевна", "belova", "supervisor")
NURSE_A = ("Кузнецова Анна Ивановна", "kuznetsova", "nurse")
NURSE_B = ("Морозкина Ольга Петровна", "morozova", "nurse")
OWN = {"orlova": "Утренний туман 4471", "belova": "Старый мост у реки 93", "kuznetsova": "Синяя чашка чая 58",
       "morozova": "Тёплый шарф зимой 206"}
PINS = {"kuznetsova": "2468", "morozova": "1357"}
RESIDENT_A = "Лаврентьева Зоя Ивановна"
RESIDENT_B = "Тихонова Мария Семёновна"
NOTE = "Пила хорошо, настроение ровное."


def _home_zone():
    now = datetime.now(ZoneInfo("UTC"))

    def distance(zone):
        local = now.astimezone(ZoneInfo(zone))
        return abs(local.hour * 60 + local.minute - 13 * 60)
    return min(ZONES, key=distance)


def _browser_zone(home):
    now = datetime.now(ZoneInfo("UTC"))
    return next(z for z in BROWSER_ZONES if now.astimezone(ZoneInfo(z)).utcoffset() != now.astimezone(home).utcoffset())


def _fetch(page, method, path, body=None):
    """The API with the page's own session (its cookie), as the app calls it."""
    return page.evaluate("""async ([method, path, body]) => {
        const r = await fetch(path, {method, headers: {'Content-Type': 'application/json', 'X-Bedside': '1'},
                                     body: body === null ? undefined : JSON.stringify(body)});
        let data = null;
        try { data = await r.json(); } catch (_) { /* no body */ }
        return {status: r.status, body: data};
    }""", [method, path, body])


def _login(url, username, password):
    s = requests.Session()
    s.headers.update(HEADERS)
    r = s.post(f"{url}/api/auth/login", json={"username": username, "password": password}, timeout=10)
    assert r.status_code == 200, r.text
    return s, r.json()["id"]


def _first_sign_in_from_lock(page, username, temporary):
    """On the enrolled tablet's lock screen: her one-time password, her own password, then her PIN."""
    page.get_by_test_id("lock-password").click()
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(temporary)
    page.get_by_test_id("login-submit").click()
    choose_own_password(page, temporary, OWN[username])
    choose_pin(page, PINS[username])
    expect(page.get_by_test_id("header-post")).to_have_text(POST, timeout=TIMEOUT)


def _unlock(page, username, locked=False):
    """Switch user (unless the lock screen is up already), her name, her PIN."""
    if not locked:
        page.get_by_test_id("switch-user").click()
    page.get_by_test_id(f"person-{username}").click()
    page.get_by_test_id("unlock-pin").fill(PINS[username])
    page.get_by_test_id("unlock-submit").click()
    expect(page.get_by_test_id("header-post")).to_have_text(POST, timeout=TIMEOUT)


def _office_sign_in(page, username, temporary, ready):
    """A first sign-in in an office browser (not an enrolled tablet): her own password; a PIN only if asked."""
    sign_in(page, username, temporary)
    choose_own_password(page, temporary, OWN[username])
    page.wait_for_selector(f"[data-testid=pin-new], [data-testid={ready}]", timeout=TIMEOUT)
    if page.get_by_test_id("pin-new").is_visible():
        choose_pin(page, "9876")
    expect(page.get_by_test_id(ready)).to_be_visible(timeout=TIMEOUT)


def _stay_dialog(page, action):
    page.get_by_test_id(f"stay-action-{action}").click()
    if action in ("discharge", "death"):
        confirm(page)
    dialog = page.get_by_test_id("dialog-stay")
    expect(dialog).to_be_visible(timeout=TIMEOUT)
    return dialog


def _save_stay(page, dialog, status):
    dialog.get_by_test_id("btn-save").click()
    expect(dialog).to_be_hidden(timeout=TIMEOUT)
    expect(page.get_by_test_id("stay-status")).to_have_attribute("data-status", status, timeout=TIMEOUT)


def _tablet_row(tablet, resident_id):
    """After the tablet's next sync: its post screen's row of the resident (drawn again from IndexedDB)."""
    sync_tablet(tablet)
    tablet.get_by_test_id("nav-home").click()
    return tablet.get_by_test_id(f"resident-row-{resident_id}")


def _hhmm(iso, zone):
    return datetime.fromisoformat(iso).astimezone(zone).strftime("%H:%M")


def test_a_new_home_from_an_empty_database_through_its_first_shift_and_a_stay(empty_server, browser):
    # 1. The home, from an empty database, in a zone where it is about 13:00 now; the browsers elsewhere.
    home_zone_name = _home_zone()
    zone = ZoneInfo(home_zone_name)
    browser_zone_name = _browser_zone(zone)
    empty_server.bedside("init")
    empty_server.bedside("setup", "--home-name", HOME, "--timezone", home_zone_name, "--locale", "ru",
                         "--admin-username", ADMIN, "--admin-name", ADMIN_NAME, "--password-stdin",
                         input=ADMIN_PASSWORD + "\n")
    empty_server.start()
    now = datetime.now(zone)
    assert 9 <= now.hour <= 17, f"{home_zone_name}: {now}"  # the zone list leaves at most an hour either side
    today = now.date()
    yesterday, two_days_ago, three_days_ago = (today - timedelta(days=n) for n in (1, 2, 3))
    url = empty_server.url
    # nothing but the administrator: no demo
    assert requests.post(f"{url}/api/auth/login", headers=HEADERS, timeout=10,
                         json={"username": LOGINS.admin1, "password": DEMO_PASSWORD}).status_code in (400, 401)

    contexts = []

    def context(portrait=True):
        ctx = browser.new_context(base_url=url, locale="en-GB", timezone_id=browser_zone_name, has_touch=True,
                                  viewport=PORTRAIT if portrait else LANDSCAPE, service_workers="allow")
        contexts.append(ctx)
        return ctx.new_page()

    try:
        _first_home(url, context, zone, today, yesterday, two_days_ago, three_days_ago)
    finally:
        for ctx in contexts:
            ctx.close()


def _first_home(url, context, zone, today, yesterday, two_days_ago, three_days_ago):
    # 2. The administrator, on the tablet: organisation, staff (one-time passwords), the tablet; signs out.
    tablet = context()
    sign_in(tablet, ADMIN, ADMIN_PASSWORD)
    expect(tablet.get_by_test_id("enrol-submit")).to_be_visible(timeout=TIMEOUT)
    assert tablet.evaluate("() => Intl.DateTimeFormat().resolvedOptions().timeZone") != str(zone)
    unit_id, _post = create_unit_post_and_rooms(tablet, UNIT, POST, [("101", "1, 2"), ("102", "1, 2")])
    # the home as `bedside setup` made it
    expect(tablet.get_by_test_id("org-home-name")).to_have_value(HOME)
    expect(tablet.get_by_test_id("org-home-timezone")).to_have_value(str(zone))
    expect(tablet.get_by_test_id("org-home-locale")).to_have_value("ru")
    tablet.get_by_test_id("nav-staff").click()
    expect(staff_row(tablet, ADMIN)).to_have_attribute("data-state", "active")
    temporary = {username: add_staff(tablet, name, username, role, unit_id)
                 for name, username, role in (PLANNER, SUPERVISOR, NURSE_A, NURSE_B)}
    assert len(set(temporary.values())) == 4
    tablet.get_by_test_id("nav-tablets").click()
    tablet.get_by_test_id("enrol-name").fill("Пост А — планшет")
    tablet.get_by_test_id("enrol-post").select_option(label=f"{POST} — {UNIT}")
    tablet.get_by_test_id("enrol-submit").click()
    expect(tablet.get_by_test_id("enrolled-as")).to_contain_text(POST, timeout=TIMEOUT)
    tablet.get_by_test_id("logout").click()
    expect(tablet.get_by_test_id("lock-screen")).to_be_visible(timeout=TIMEOUT)

    # 3. The planner, in the office: her own password; admits two residents on the board (one admitted three days
    # ago), assesses her, writes her plan, publishes this month's card.
    planner = context(portrait=False)
    _office_sign_in(planner, "orlova", temporary["orlova"], "board-admit")

    def admit(name, birth, room, bed, admitted_on=None):
        planner.get_by_test_id("board-admit").click()
        dialog = planner.get_by_test_id("dialog-admit")
        dialog.get_by_test_id("admit-name").fill(name)
        dialog.get_by_test_id("admit-birth").fill(birth)
        dialog.get_by_test_id("admit-room").fill(room)
        dialog.get_by_test_id("admit-bed").fill(bed)
        expect(dialog.get_by_test_id("admit-date")).to_have_attribute("data-iso", today.isoformat())  # home's today
        if admitted_on:
            dialog.get_by_test_id("admit-date").fill(admitted_on.isoformat())
        dialog.get_by_test_id("btn-save").click()
        expect(dialog).to_be_hidden(timeout=TIMEOUT)
        row = planner.locator("[data-testid^='board-row-']", has_text=name)
        expect(row).to_have_attribute("data-status", "never_assessed", timeout=TIMEOUT)
        return int(row.get_attribute("data-testid").rsplit("-", 1)[1])

    resident_a = admit(RESIDENT_A, "1938-05-12", "101", "1")
    resident = admit(RESIDENT_B, "1936-11-02", "101", "2", admitted_on=three_days_ago)
    record = _fetch(planner, "GET", f"/api/residents/{resident}")["body"]["resident"]
    assert (record["admitted_on"], record["room"], record["bed"]) == (three_days_ago.isoformat(), "101", "2")
    dialog = planner.get_by_test_id("dialog-admit")
    # a room the unit does not have, then a bed that is taken: each said beside its field
    planner.get_by_test_id("board-admit").click()
    dialog.get_by_test_id("admit-name").fill("Третья Проба Ивановна")
    dialog.get_by_test_id("admit-room").fill("999")
    dialog.get_by_test_id("admit-bed").fill("1")
    dialog.get_by_test_id("btn-save").click()
    expect(planner.locator("#admit-room-msg")).not_to_be_empty(timeout=TIMEOUT)
    dialog.get_by_test_id("admit-room").fill("101")
    dialog.get_by_test_id("admit-bed").fill("2")
    dialog.get_by_test_id("btn-save").click()
    expect(planner.locator("#admit-bed-msg")).not_to_be_empty(timeout=TIMEOUT)
    dialog.get_by_test_id("btn-cancel").click()
    planner.reload()
    expect(planner.locator("[data-testid^='board-row-']")).to_have_count(2, timeout=TIMEOUT)

    planner.get_by_test_id("nav-posts").click()
    open_post(planner, residents=2)
    planner.goto(f"/#/assess/{resident}/pain_nrs")
    expect(planner.get_by_test_id("assess-form")).to_have_attribute("data-form", "pain_nrs", timeout=TIMEOUT)
    _fill(planner, "pain_nrs", number=3)
    planner.get_by_test_id("btn-save-assessment").click()  # back on the forms
    expect(planner.get_by_test_id("assess-last-pain_nrs")).to_be_visible(timeout=TIMEOUT)
    expect_pending(planner, 0)

    planner.goto(f"/#/plan/{resident}")
    line = planner.get_by_test_id("plan-version-line")
    expect(line).to_be_visible(timeout=TIMEOUT)
    no_plan = line.inner_text()
    _add_service(planner, "communication", "Беседа с соцработником", "twice_a_day", "leisure")
    planner.get_by_test_id("plan-note").fill("Первая версия")
    planner.get_by_test_id("btn-save-plan").click()
    expect(line).not_to_have_text(no_plan, timeout=TIMEOUT)
    planner.goto(f"/#/cards/{resident}")
    planner.get_by_test_id("cards-generate").click()
    expect(planner.locator("[data-testid^='card-item-'][data-plan]")).to_have_count(1, timeout=TIMEOUT)
    # one item of her own on the draft: the whole month (she was here before the plan's items begin, today)
    planner.get_by_test_id("btn-add-item").click()
    item = planner.get_by_test_id("dialog-item")
    item.get_by_test_id("item-category").select_option("nutrition")
    item.get_by_test_id("item-title").fill("Стакан воды")
    item.get_by_test_id("item-kind").select_option("times")
    item.get_by_test_id("item-times").fill("08:00, 14:00, 20:00")
    item.get_by_test_id("btn-save").click()
    expect(item).to_be_hidden(timeout=TIMEOUT)
    expect(planner.locator("[data-testid^='card-item-']")).to_have_count(2, timeout=TIMEOUT)
    planner.get_by_test_id("btn-publish").click()
    confirm(planner)
    expect(planner.get_by_test_id("btn-publish")).to_be_hidden(timeout=TIMEOUT)

    # 4. Nurse A's first sign-in on the tablet: own password, PIN, her post; a Done and a note, synced.
    _first_sign_in_from_lock(tablet, "kuznetsova", temporary["kuznetsova"])
    expect(tablet.locator("[data-testid^='resident-row-']")).to_have_count(2, timeout=TIMEOUT)
    wait_for_worker(tablet)
    tablet.get_by_test_id(f"resident-row-{resident}").click()
    expect(tablet.locator("[data-testid^='cell-']").first).to_be_visible(timeout=TIMEOUT)
    done_a = tick_done(tablet)
    write_note(tablet, NOTE)
    tablet.get_by_test_id("sync-now").click()
    expect_pending(tablet, 0)

    # 5. Nurse B on the same tablet: Switch user, her one-time password, own password, PIN; she records. Then A.
    tablet.get_by_test_id("switch-user").click()
    expect(tablet.get_by_test_id("lock-screen")).to_be_visible(timeout=TIMEOUT)
    expect(tablet.get_by_test_id("person-kuznetsova")).to_be_visible()
    _first_sign_in_from_lock(tablet, "morozova", temporary["morozova"])
    tablet.get_by_test_id(f"resident-row-{resident}").click()
    expect(tablet.get_by_test_id(done_a)).to_have_attribute("data-state", "done", timeout=TIMEOUT)
    done_b = tick_done(tablet)
    tablet.get_by_test_id("sync-now").click()
    expect_pending(tablet, 0)
    _unlock(tablet, "kuznetsova")
    nurse_b, nurse_b_id = _login(url, "morozova", OWN["morozova"])
    assert nurse_b.get(f"{url}/api/auth/me", timeout=10).status_code == 200

    # the administrator, in her office, disables nurse B: her session ends; the tablet drops her at its next sync
    office = context(portrait=False)
    sign_in(office, ADMIN, ADMIN_PASSWORD)
    expect(office.get_by_test_id("enrol-submit")).to_be_visible(timeout=TIMEOUT)
    office.get_by_test_id("nav-staff").click()
    row = staff_row(office, "morozova")
    assert row.get_attribute("data-testid") == f"staff-row-{nurse_b_id}"
    row.get_by_test_id(f"staff-disable-{nurse_b_id}").click()
    confirm(office)
    expect(staff_row(office, "morozova")).to_have_attribute("data-state", "disabled", timeout=TIMEOUT)
    assert nurse_b.get(f"{url}/api/auth/me", timeout=10).status_code == 401
    sync_tablet(tablet)
    tablet.wait_for_function(KEY_GONE, arg=nurse_b_id, timeout=TIMEOUT)
    tablet.get_by_test_id("switch-user").click()
    expect(tablet.get_by_test_id("person-kuznetsova")).to_be_visible(timeout=TIMEOUT)
    expect(tablet.get_by_test_id("person-morozova")).to_have_count(0)
    _unlock(tablet, "kuznetsova", locked=True)

    # her entry keeps her name in the supervisor's day view, at the home's time of day
    supervisor = context(portrait=False)
    _office_sign_in(supervisor, "belova", temporary["belova"], "sup-unit")
    sup_api, _sid = _login(url, "belova", OWN["belova"])
    view = sup_api.get(f"{url}/api/units/{unit_id}/days/{today.isoformat()}", timeout=10).json()
    mine = next(r for r in view["residents"] if r["resident"]["id"] == resident)
    by_b = [c for c in mine["cells"] if c["entry"] and c["entry"]["author_id"] == nurse_b_id]
    assert len(by_b) == 1 and by_b[0]["state"] == "done", mine["cells"]
    assert done_b.startswith(f"cell-{by_b[0]['item_id']}-")
    _, nurse_a_id = _login(url, "kuznetsova", OWN["kuznetsova"])
    assert any(c["entry"]["author_id"] == nurse_a_id and f"cell-{c['item_id']}-{c['slot']}" == done_a
               for c in mine["cells"] if c["entry"]), mine["cells"]
    assert [(n["note"], n["author_id"]) for n in view["notes"]] == [(NOTE, nurse_a_id)]
    cell = by_b[0]
    shown = supervisor.get_by_test_id(f"sup-cell-{resident}-{cell['item_id']}-{cell['slot']}")
    expect(shown).to_contain_text(NURSE_B[0], timeout=TIMEOUT)
    device_time = cell["entry"]["device_time"]
    # the author's line, not the slot's time before the title (which may read like the browser's hour)
    who = shown.locator(".hint")
    expect(who).to_contain_text(_hhmm(device_time, zone))
    browser_zone = ZoneInfo(supervisor.evaluate("() => Intl.DateTimeFormat().resolvedOptions().timeZone"))
    assert _hhmm(device_time, browser_zone) not in who.inner_text()

    # 6. Her stay, on the Stays screen (the planner): hospital two days ago 09:00, back today 08:00.
    def both(name):
        check_both_ways(planner, name, back_to=LANDSCAPE)

    planner.goto("/#/home")
    planner.get_by_test_id("nav-residents").click()
    expect(planner.get_by_test_id(f"residents-row-{resident}")).to_be_visible(timeout=TIMEOUT)
    expect(planner.locator("[data-testid^='residents-row-']")).to_have_count(2)
    both("stays")
    planner.get_by_test_id(f"residents-row-{resident}").click()
    expect(planner.get_by_test_id("stay-status")).to_have_attribute("data-status", "present", timeout=TIMEOUT)
    expect(planner.locator("[data-testid^='stay-event-']")).to_have_count(1)
    both("stay record")
    dialog = _stay_dialog(planner, "absence")
    both("stay dialog")
    dialog.get_by_test_id("stay-absence").select_option("hospital")
    dialog.get_by_test_id("stay-at").fill(f"{two_days_ago.isoformat()}T09:00")
    dialog.get_by_test_id("btn-save").click()  # no reason: refused beside the field
    expect(dialog.locator("#stay-reason-msg")).not_to_be_empty(timeout=TIMEOUT)
    dialog.get_by_test_id("stay-reason").fill("Пневмония, госпитализирована")
    _save_stay(planner, dialog, "away")
    absence = planner.locator("[data-testid^='stay-event-'][data-kind='absence']")
    expect(absence).to_contain_text("09:00", timeout=TIMEOUT)  # the home's time, not the browser's
    went = datetime.combine(two_days_ago, datetime.min.time(), zone).replace(hour=9)
    assert went.astimezone(browser_zone).strftime("%H:%M") not in absence.inner_text()
    expect(_tablet_row(tablet, resident)).to_be_visible(timeout=TIMEOUT)
    expect(tablet.get_by_test_id(f"resident-away-{resident}")).to_be_visible(timeout=TIMEOUT)

    dialog = _stay_dialog(planner, "return")
    dialog.get_by_test_id("stay-at").fill(f"{today.isoformat()}T08:00")
    _save_stay(planner, dialog, "present")

    # her categories of service recipient (004 §1.1), ticked in the details and shown on her record
    dialog = _stay_dialog(planner, "details")
    dialog.get_by_test_id("stay-category-geriatric").check()
    dialog.get_by_test_id("stay-category-mental_disorder").check()
    before = planner.get_by_test_id("stay-categories").inner_text()
    _save_stay(planner, dialog, "present")
    expect(planner.get_by_test_id("stay-categories")).not_to_have_text(before, timeout=TIMEOUT)
    record = sup_api.get(f"{url}/api/residents/{resident}", timeout=10).json()
    assert record["resident"]["categories"] == ["mental_disorder", "geriatric"]

    # yesterday she was away all day: none of her slots is missed, each is 'away'
    view = sup_api.get(f"{url}/api/units/{unit_id}/days/{yesterday.isoformat()}", timeout=10).json()
    day_row = next(r for r in view["residents"] if r["resident"]["id"] == resident)
    timed = [c for c in day_row["cells"] if c["slot"]]
    if yesterday.month == today.month:  # her card is this month's: yesterday's slots are on it
        assert len(timed) == 3, day_row["cells"]
    assert {c["state"] for c in timed} <= {"away"}, day_row["cells"]
    assert not day_row["counts"].get("missing"), day_row["counts"]
    supervisor.get_by_test_id("sup-day").fill(yesterday.isoformat())
    supervisor.get_by_test_id("sup-day").dispatch_event("change")
    cells = supervisor.get_by_test_id(f"sup-resident-{resident}").locator(".sup-cell")
    expect(cells).to_have_count(len(day_row["cells"]), timeout=TIMEOUT)
    expect(supervisor.get_by_test_id(f"sup-resident-{resident}").locator(".sup-cell[data-state='missing']")) \
        .to_have_count(0)
    # the day before, the 08:00 slot was missed (she left at 09:00), the later ones not
    view = sup_api.get(f"{url}/api/units/{unit_id}/days/{two_days_ago.isoformat()}", timeout=10).json()
    day_row = next(r for r in view["residents"] if r["resident"]["id"] == resident)
    if two_days_ago.month == today.month:
        assert sorted((c["time"], c["state"]) for c in day_row["cells"] if c["slot"]) == [
            ("08:00", "missing"), ("14:00", "away"), ("20:00", "away")]
    # the tablet shows her as present again
    expect(_tablet_row(tablet, resident)).to_be_visible(timeout=TIMEOUT)
    expect(tablet.get_by_test_id(f"resident-away-{resident}")).to_have_count(0, timeout=TIMEOUT)

    # a move to the other room
    dialog = _stay_dialog(planner, "move")
    dialog.get_by_test_id("stay-room").fill("102")
    dialog.get_by_test_id("stay-bed").fill("1")
    _save_stay(planner, dialog, "present")
    expect(planner.get_by_test_id("stay-place")).to_contain_text("102", timeout=TIMEOUT)
    expect(_tablet_row(tablet, resident).locator(".room-num")).to_have_text("102", timeout=TIMEOUT)

    # discharge: the post no longer lists her; her record and this month's card stay
    dialog = _stay_dialog(planner, "discharge")
    dialog.get_by_test_id("stay-reason").fill("Переезд к дочери")
    _save_stay(planner, dialog, "discharged")
    sync_tablet(tablet)
    tablet.get_by_test_id("nav-home").click()
    expect(tablet.get_by_test_id(f"resident-row-{resident_a}")).to_be_visible(timeout=TIMEOUT)
    expect(tablet.get_by_test_id(f"resident-row-{resident}")).to_have_count(0, timeout=TIMEOUT)
    planner.goto("/#/residents")
    expect(planner.get_by_test_id(f"residents-row-{resident}")).to_have_count(0, timeout=TIMEOUT)
    planner.get_by_test_id("residents-stay-ended").click()
    expect(planner.get_by_test_id(f"residents-row-{resident}")).to_be_visible(timeout=TIMEOUT)
    both("stays, ended")
    planner.get_by_test_id(f"residents-row-{resident}").click()
    expect(planner.get_by_test_id("stay-status")).to_have_attribute("data-status", "discharged", timeout=TIMEOUT)
    kinds = [e.get_attribute("data-kind") for e in planner.locator("[data-testid^='stay-event-']").all()]
    # (her categories' details change is dated to the second it was made, the move to the minute typed: either order)
    assert [k for k in kinds if k != "details"] == ["discharge", "move", "return", "absence", "admission"], kinds
    assert kinds.count("details") == 1, kinds
    both("stay record, ended")
    planner.get_by_test_id("nav-archive").click()
    planner.get_by_test_id("archive-month").select_option(today.strftime("%Y-%m"))
    expect(planner.get_by_test_id(f"archive-row-{resident}")).to_be_visible(timeout=TIMEOUT)


def _import_files(first_unit, second_unit):
    """(a staff file with mistakes, the corrected file) for a home with these units (the demo's, by name)."""
    bad = ("Логин;ФИО;Роль;Отделение\n"
           f"ershova.a;Ершова Анна Сергеевна;Младшая медсестра;{first_unit}\n"
           f"petrova.o;;Садовник;{first_unit}\n"
           "sidorova.e;Сидорова Елена Павловна;Палатная медсестра;Отделение 9\n")
    good = ("Логин;ФИО;Роль;Отделение\n"
            f"ershova.a;Ершова Анна Сергеевна;Младшая медсестра;{first_unit}\n"
            f"petrova.o;Петрова Ольга Ивановна;Младшая медсестра;{first_unit}\n"
            f"sidorova.e;Сидорова Елена Павловна;Палатная медсестра;{second_unit}\n")
    return bad, good


def _choose_file(page, text, name="staff.csv"):
    page.get_by_test_id("import-file").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": text.encode("utf-8")}])
    expect(page.get_by_test_id("import-check")).to_be_enabled(timeout=TIMEOUT)


def test_import_screen(server, new_context):
    page = new_context(portrait=False).new_page()
    sign_in_as_admin(page)
    before = _fetch(page, "GET", "/api/staff")["body"]
    units = _fetch(page, "GET", "/api/organisation")["body"]["units"]
    import_bad, import_good = _import_files(units[0]["name"], units[1]["name"])
    page.goto("/#/import")
    expect(page.get_by_test_id("import-kind-staff")).to_have_attribute("aria-pressed", "true", timeout=TIMEOUT)
    expect(page.get_by_test_id("import-check")).to_be_disabled()

    # a file with mistakes: every problem by line and column, nothing written
    _choose_file(page, import_bad)
    page.get_by_test_id("import-check").click()
    expect(page.get_by_test_id("import-summary")).to_have_attribute("data-valid", "false", timeout=TIMEOUT)
    problems = page.get_by_test_id("import-problems").locator("tbody tr")
    found = [tuple(td.inner_text().strip() for td in row.locator("td").all()[:2]) for row in problems.all()]
    assert found == [("3", "ФИО"), ("3", "Роль"), ("4", "Отделение")], found
    expect(page.get_by_test_id("import-run")).to_be_disabled()
    check_screen(page, "import, problems")
    assert len(_fetch(page, "GET", "/api/staff")["body"]) == len(before)

    # corrected: checked clean, imported; the one-time passwords shown once
    _choose_file(page, import_good)
    expect(page.get_by_test_id("import-summary")).to_have_count(0)
    page.get_by_test_id("import-check").click()
    expect(page.get_by_test_id("import-summary")).to_have_attribute("data-valid", "true", timeout=TIMEOUT)
    expect(page.get_by_test_id("import-problems")).to_have_count(0)
    page.get_by_test_id("import-run").click()
    accounts = page.get_by_test_id("import-accounts")
    expect(accounts).to_be_visible(timeout=TIMEOUT)
    expect(accounts.locator("tbody tr")).to_have_count(3)
    passwords = {}
    for username in ("ershova.a", "petrova.o", "sidorova.e"):
        cells = page.get_by_test_id(f"import-account-{username}").locator("td").all()
        passwords[username] = cells[3].inner_text().strip()
        assert len(passwords[username]) >= 8
    check_screen(page, "import, one-time passwords")
    after = _fetch(page, "GET", "/api/staff")["body"]
    assert len(after) == len(before) + 3
    made = {a["username"]: a for a in after}
    assert made["sidorova.e"]["role"] == "supervisor" and made["petrova.o"]["must_change_password"] is True
    r = requests.post(f"{server.url}/api/auth/login", headers=HEADERS, timeout=10,
                      json={"username": "petrova.o", "password": passwords["petrova.o"]})
    assert r.status_code == 200 and r.json()["must_change_password"] is True

    # the same file again: all three already here, nothing to import, nothing changed
    _choose_file(page, import_good)
    page.get_by_test_id("import-check").click()
    summary = page.get_by_test_id("import-summary")
    expect(summary).to_have_attribute("data-valid", "true", timeout=TIMEOUT)
    assert 3 in [int(n) for n in re.findall(r"\d+", summary.inner_text())]
    expect(page.get_by_test_id("import-run")).to_be_disabled()
    again = _fetch(page, "POST", "/api/import/staff", {"csv": import_good, "dry_run": False})
    assert again["status"] == 200 and again["body"]["created"] == 0 and again["body"]["unchanged"] == 3, again
    assert _fetch(page, "GET", "/api/staff")["body"] == after
