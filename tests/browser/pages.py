"""Steps a person takes in the app, shared by the browser tests."""
import re

import requests

from playwright.sync_api import expect
from ..conftest import DEMO_PASSWORD, DEMO_RESIDENTS_PER_POST, LOGINS

# Waits, not speed checks: the suite's two passes run side by side on two cores (scripts/test.sh).
TIMEOUT = 30_000
#: Installing the service worker precaches every file of the app: slow on a loaded machine.
WORKER_TIMEOUT = 60_000


def sign_in(page, username, password=DEMO_PASSWORD, language=None):
    page.goto("/")
    if language:
        page.get_by_test_id(f"lang-{language}").click()
        # the login form is drawn again in the new language: wait for it before typing
        page.wait_for_function("(lang) => { const b = document.querySelector("
                               "'[data-testid=lang-' + lang.replace('-', '_') + ']');"
                               "return document.documentElement.lang === lang && !!b && "
                               "b.getAttribute('aria-pressed') === 'true'; }", arg=language.replace("_", "-"))
        page.wait_for_load_state("networkidle")
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(password)
    page.get_by_test_id("login-submit").click()


def open_post(page, residents=DEMO_RESIDENTS_PER_POST):
    """Choose the first duty post and wait until its residents are on the tablet and the worker controls it."""
    page.get_by_test_id("post-submit").click()
    expect(page.locator("[data-testid^='resident-row-']")).to_have_count(residents, timeout=TIMEOUT)
    wait_for_worker(page)


def pending(page):
    return int(page.get_by_test_id("sync-pending").get_attribute("data-count"))


def expect_pending(page, count):
    expect(page.get_by_test_id("sync-pending")).to_have_attribute("data-count", str(count), timeout=TIMEOUT)


def open_resident(page, index=0):
    row = page.locator("[data-testid^='resident-row-']").nth(index)
    resident_id = int(row.get_attribute("data-testid").rsplit("-", 1)[1])
    row.click()
    expect(page.locator("[data-testid^='cell-']").first).to_be_visible(timeout=TIMEOUT)
    return resident_id


def cells_with(page, button):
    return page.locator("li[data-testid^='cell-']").filter(has=page.get_by_test_id(button))


def tick_done(page):
    """Tap Done on the first open slot; returns the cell's test id."""
    cell = cells_with(page, "btn-done").first
    key = cell.get_attribute("data-testid")
    cell.get_by_test_id("btn-done").click()
    expect(page.get_by_test_id(key)).to_have_attribute("data-state", "done", timeout=TIMEOUT)
    return key


def tick_not_done(page, reason="asleep"):
    cell = cells_with(page, "btn-not-done").first
    key = cell.get_attribute("data-testid")
    cell.get_by_test_id("btn-not-done").click()
    dialog = page.get_by_test_id("dialog-not-done")
    dialog.get_by_test_id(f"reason-{reason}").click()
    if dialog.get_by_test_id("btn-save").is_visible():
        dialog.get_by_test_id("btn-save").click()
    expect(page.get_by_test_id(key)).to_have_attribute("data-state", "not_done", timeout=TIMEOUT)
    return key


def record_vitals(page, values):
    page.get_by_test_id("btn-vitals").click()
    dialog = page.get_by_test_id("dialog-vitals")
    for measure, value in values.items():
        dialog.get_by_test_id(f"vital-{measure}").fill(str(value))
    dialog.get_by_test_id("btn-save").click()
    expect(dialog).to_be_hidden(timeout=TIMEOUT)


def write_note(page, text):
    page.get_by_test_id("btn-note").click()
    dialog = page.get_by_test_id("dialog-note")
    dialog.get_by_test_id("note-text").fill(text)
    dialog.get_by_test_id("btn-save").click()
    expect(dialog).to_be_hidden(timeout=TIMEOUT)


def local_day(page):
    """The care day the app works on (the home's today)."""
    return page.evaluate("() => import('/lib/session.js').then((m) => m.today())")


def numbers(text):
    return [int(n) for n in re.findall(r"\d+", text)]


def wait_for_worker(page):
    """Until the service worker controls the page (it has precached the app: the tablet works offline from here)."""
    try:
        page.wait_for_function("() => !!navigator.serviceWorker && navigator.serviceWorker.controller !== null",
                               timeout=WORKER_TIMEOUT)
    except Exception as exc:
        state = page.evaluate("""() => navigator.serviceWorker.getRegistration().then((r) => r ? {
            installing: r.installing && r.installing.state, waiting: r.waiting && r.waiting.state,
            active: r.active && r.active.state} : 'no registration')""")
        raise AssertionError(f"the service worker does not control the page: {state}") from exc


def confirm(page):
    """Say yes in the open confirmation dialog."""
    dialog = page.get_by_test_id("dialog-confirm")
    dialog.get_by_test_id("btn-save").click()
    expect(dialog).to_be_hidden(timeout=TIMEOUT)


def sync_tablet(page):
    """The tablet's next sync (push, then pull), waited for."""
    page.evaluate("() => import('/lib/sync.js').then((s) => s.syncNow())")


def staff_row(page, username):
    """The row of an account on the administrator's staff screen."""
    row = page.locator(f"li[data-testid^='staff-row-'][data-username='{username}']")
    expect(row).to_be_visible(timeout=TIMEOUT)
    return row


def org_unit(page, name):
    """A unit's section on the organisation screen, and its id."""
    section = page.locator("section.org-unit").filter(has=page.get_by_role("heading", name=name, exact=True))
    expect(section).to_be_visible(timeout=TIMEOUT)
    return section, int(section.get_attribute("data-testid").rsplit("-", 1)[1])


def add_room(page, unit_id, name, beds, post=None):
    page.get_by_test_id(f"org-room-add-{unit_id}").click()
    dialog = page.get_by_test_id("dialog-room")
    dialog.get_by_test_id("room-name").fill(name)
    if post:
        dialog.get_by_test_id("room-post").select_option(label=post)
    dialog.get_by_test_id("room-beds").fill(beds)
    dialog.get_by_test_id("btn-save").click()
    expect(dialog).to_be_hidden(timeout=TIMEOUT)


def create_unit_post_and_rooms(page, unit, post, rooms):
    """As the administrator, on the organisation screen: a unit, a duty post in it and its rooms [(name, beds)].
    Returns the unit's id and the post's name."""
    page.get_by_test_id("nav-organisation").click()
    page.get_by_test_id("org-unit-new").fill(unit)
    page.get_by_test_id("org-unit-add").click()
    section, unit_id = org_unit(page, unit)
    section.get_by_test_id(f"org-post-new-{unit_id}").fill(post)
    section.get_by_test_id(f"org-post-add-{unit_id}").click()
    expect(section.locator("li[data-testid^='org-post-']").filter(has_text=post)).to_have_count(1, timeout=TIMEOUT)
    for name, beds in rooms:
        add_room(page, unit_id, name, beds, post=post)
        expect(section.locator("li[data-testid^='org-room-']").filter(has_text=name)).to_have_count(1, timeout=TIMEOUT)
    return unit_id, post


def sign_in_as_admin(page, username=LOGINS.admin1, language=None):
    """Sign in as an administrator and wait until her first screen (Tablets) is drawn whole."""
    sign_in(page, username, language=language)
    expect(page.get_by_test_id("enrol-submit")).to_be_visible(timeout=TIMEOUT)


def choose_roles_and_units(page, prefix, role, also=(), unit_ids=None):
    """In the staff form (prefix "staff-new") or the edit dialog ("staff-edit"): her main role, exactly the other roles
    `also`, and, unless unit_ids is None (left as the form has them), exactly these units (none: the whole home)."""
    page.get_by_test_id(f"{prefix}-role").select_option(role)
    others = page.get_by_test_id(f"{prefix}-roles").locator(f"input[data-testid^='{prefix}-also-']")
    for box in others.all():
        if box.is_visible():
            box.set_checked(box.get_attribute("value") in also)
    if unit_ids is not None:
        wanted = {str(u) for u in unit_ids}
        for box in page.get_by_test_id(f"{prefix}-units").locator("input[type=checkbox]").all():
            box.set_checked(box.get_attribute("value") in wanted)


def add_staff(page, full_name, username, role, unit_id=None, also=(), unit_ids=None):
    """As the administrator, on the staff screen: a new account (main role `role`, other roles `also`; in the unit
    `unit_id`, or the units `unit_ids`, else the form's default); returns her one-time password (shown once)."""
    page.get_by_test_id("staff-new-name").fill(full_name)
    page.get_by_test_id("staff-new-username").fill(username)
    if unit_ids is None and unit_id is not None:
        unit_ids = [unit_id]
    choose_roles_and_units(page, "staff-new", role, also, unit_ids)
    page.get_by_test_id("staff-new-submit").click()
    expect(page.get_by_test_id("staff-secret")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id("staff-secret-username")).to_have_text(username)
    temporary = page.get_by_test_id("staff-secret-password").inner_text().strip()
    expect(staff_row(page, username)).to_have_attribute("data-state", "must_change")
    page.get_by_test_id("staff-secret-done").click()
    expect(page.get_by_test_id("staff-secret")).to_have_count(0)
    return temporary


def choose_own_password(page, temporary, new_password):
    """On the forced screen after a sign-in with a one-time password: her own password."""
    expect(page.get_by_test_id("pw-forced")).to_be_visible(timeout=TIMEOUT)
    page.get_by_test_id("pw-current").fill(temporary)
    page.get_by_test_id("pw-new").fill(new_password)
    page.get_by_test_id("pw-again").fill(new_password)
    page.get_by_test_id("pw-submit").click()
    expect(page.get_by_test_id("pw-forced")).to_have_count(0, timeout=TIMEOUT)


def choose_pin(page, pin):
    expect(page.get_by_test_id("pin-new")).to_be_visible(timeout=TIMEOUT)
    page.get_by_test_id("pin-new").fill(pin)
    page.get_by_test_id("pin-again").fill(pin)
    page.get_by_test_id("pin-submit").click()


def full_catalog(url, language):
    """A language's whole catalog as the browser gets it: the nurse's app's part and the rest (backend/i18n.py)."""
    return {**requests.get(f"{url}/i18n/{language}.json", timeout=10).json()["messages"],
            **requests.get(f"{url}/i18n/{language}.rest.json", timeout=10).json()["messages"]}


def api_session(url, username, password=DEMO_PASSWORD):
    """A requests session signed in as `username` (the API beside the browser: setting up, checking)."""
    s = requests.Session()
    s.headers.update({"X-Bedside": "1"})
    r = s.post(url + "/api/auth/login", json={"username": username, "password": password}, timeout=10)
    assert r.status_code == 200, r.text
    return s


def utc_context(browser, server, width=800, height=1280):
    """A touch tablet's browser in UTC (the demo home is in Krasnoyarsk), no service worker."""
    return browser.new_context(base_url=server.url, locale="en-GB", timezone_id="UTC", has_touch=True,
                               viewport={"width": width, "height": height}, service_workers="block")


def shorten_idle_lock(server, seconds):
    """Restart the server with an idle lock of `seconds` (the tablets read it at sign-in)."""
    server.env["IDLE_LOCK_SECONDS"] = str(seconds)
    server.stop()
    server.start()


def open_new_item_dialog(page):
    """The planner's card editor, its first resident's card, "Add item": (resident id, the dialog)."""
    page.get_by_test_id("nav-cards").click()
    expect(page.locator("[data-testid^='card-item-']").first).to_be_visible(timeout=TIMEOUT)
    resident_id = int(page.get_by_test_id("cards-resident").input_value())
    page.get_by_test_id("btn-add-item").click()
    return resident_id, page.get_by_test_id("dialog-item")
