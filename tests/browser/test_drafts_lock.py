"""Issue 16, finding 12: nothing typed is lost at the idle lock. A planner's unsaved care-plan changes are kept as her
own draft on the tablet: the idle lock, then her PIN, bring her back to the plan with her text -- also after the
locked tablet was reloaded; someone else unlocking starts afresh and never sees it; saving clears it; a draft started
from an older version is offered, never applied over a newer one. A nurse's vital signs, typed in their dialog when the
tablet locked, are back in the dialog after her PIN. The browser's zone (UTC) is not the home's (Asia/Krasnoyarsk)."""
import time

import pytest
from playwright.sync_api import expect

from ..conftest import LOGINS
from .conftest import axe_violations
from .pages import (TIMEOUT, api_session, choose_pin, open_new_item_dialog, open_resident, shorten_idle_lock, sign_in,
                    utc_context)
from .test_shared_tablet import enrol, password_then_pin

pytestmark = pytest.mark.browser

IDLE_SECONDS = 4
LOCK_WAIT = (IDLE_SECONDS + 15) * 1000
PINS = {LOGINS.planner1: "8642", LOGINS.supervisor1: "9753", LOGINS.nurse1: "2468"}
TYPED = "Жалуется на боль в пояснице по утрам; ходит с ходунками"


def _context(browser, server):
    return utc_context(browser, server, 1280, 900)


def _idle_lock(server):
    shorten_idle_lock(server, IDLE_SECONDS)


def _password_then_pin(page, username):
    page.get_by_test_id("lock-password").click()
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill("demo")
    page.get_by_test_id("login-submit").click()
    choose_pin(page, PINS[username])
    _awake(page)
    expect(page.get_by_test_id("switch-user")).to_be_visible(timeout=TIMEOUT)


def _awake(page, on=True):
    """Keep the tablet from locking while the test reads the screen (a key event every half second), or stop."""
    page.evaluate("""(on) => {
        clearInterval(window.__awake);
        if (on) window.__awake = setInterval(() => document.dispatchEvent(new KeyboardEvent('keydown')), 500);
    }""", on)


def _wait_for_lock(page):
    _awake(page, False)
    expect(page.get_by_test_id("lock-screen")).to_be_visible(timeout=LOCK_WAIT)


def _unlock(page, username):
    page.get_by_test_id(f"person-{username}").click()
    page.get_by_test_id("unlock-pin").fill(PINS[username])
    page.get_by_test_id("unlock-submit").click()
    _awake(page)
    expect(page.get_by_test_id("lock-screen")).to_have_count(0, timeout=TIMEOUT)


def _open_hash(page, route):
    page.evaluate("(r) => { location.hash = r; }", f"#/{route}")


def _her_drafts(page, username):
    """The draft keys kept on this tablet for `username` (lib/people.js: the 'people' store)."""
    return page.evaluate("""async (name) => {
        const db = await import('/lib/db.js');
        const people = await db.getAll('people');
        const her = people.find((p) => p.user && p.user.username === name);
        return her ? Object.keys(her.drafts || {}) : [];
    }""", username)


def _wait_for_drafts(page, username, prefix, present):
    """Until `username` has (present) or has not a draft whose key starts with `prefix` on the tablet."""
    deadline = time.monotonic() + TIMEOUT / 1000
    while any(k.startswith(prefix) for k in _her_drafts(page, username)) != present:
        assert time.monotonic() < deadline, f"{username}'s drafts {prefix}*: expected present={present}"
        page.wait_for_timeout(200)


def _a_resident(server):
    s = api_session(server.url, LOGINS.planner1)
    unit = s.get(f"{server.url}/api/units", timeout=10).json()[0]["id"]
    resident = s.get(f"{server.url}/api/residents", params={"unit_id": unit}, timeout=10).json()[0]["id"]
    return s, resident


def test_the_planners_care_plan_draft_survives_the_lock_a_reload_and_is_hers_alone(browser, server):
    _idle_lock(server)
    planner, resident = _a_resident(server)
    route = f"plan/{resident}"
    state = "plan-header-current_state"
    ctx = _context(browser, server)
    try:
        page = ctx.new_page()
        enrol(page)
        _password_then_pin(page, LOGINS.supervisor1)
        page.get_by_test_id("switch-user").click()
        _password_then_pin(page, LOGINS.planner1)

        # she writes in the care plan and walks away without saving
        _open_hash(page, route)
        expect(page.get_by_test_id("plan-title")).to_be_visible(timeout=TIMEOUT)
        expect(page.get_by_test_id("draft-restored")).to_have_count(0)
        page.get_by_test_id(state).fill(TYPED)
        page.get_by_test_id("plan-note").fill("Боль в пояснице")
        _wait_for_lock(page)
        assert page.get_by_test_id(state).count() == 0  # nobody's data on the lock screen

        # her PIN brings her back to the plan, her text in it, and says so
        _unlock(page, LOGINS.planner1)
        page.wait_for_function("(h) => location.hash === h", arg=f"#/{route}", timeout=TIMEOUT)
        expect(page.get_by_test_id(state)).to_have_value(TYPED, timeout=TIMEOUT)
        expect(page.get_by_test_id("plan-note")).to_have_value("Боль в пояснице")
        expect(page.get_by_test_id("draft-restored")).to_contain_text("Your unsaved changes were restored")
        assert axe_violations(page) == []

        # the tablet is reloaded while locked: the same again
        _wait_for_lock(page)
        page.reload()
        expect(page.get_by_test_id("lock-screen")).to_be_visible(timeout=TIMEOUT)
        _unlock(page, LOGINS.planner1)
        page.wait_for_function("(h) => location.hash === h", arg=f"#/{route}", timeout=TIMEOUT)
        expect(page.get_by_test_id(state)).to_have_value(TYPED, timeout=TIMEOUT)

        # someone else unlocks after her idle lock: her own first screen, and the plan without the planner's text
        _wait_for_lock(page)
        _unlock(page, LOGINS.supervisor1)
        page.wait_for_function("() => location.hash === '#/supervisor'", timeout=TIMEOUT)
        _open_hash(page, route)
        expect(page.get_by_test_id("plan-title")).to_be_visible(timeout=TIMEOUT)
        expect(page.get_by_test_id(state)).not_to_have_value(TYPED)
        expect(page.get_by_test_id("draft-restored")).to_have_count(0)
        assert _her_drafts(page, LOGINS.supervisor1) == []

        # back to the planner (the supervisor's unlock took the way back): the draft waits on the plan
        page.get_by_test_id("switch-user").click()
        _unlock(page, LOGINS.planner1)
        page.wait_for_function("() => location.hash === '#/board'", timeout=TIMEOUT)
        _open_hash(page, route)
        expect(page.get_by_test_id(state)).to_have_value(TYPED, timeout=TIMEOUT)
        assert [k for k in _her_drafts(page, LOGINS.planner1) if k.startswith(f"plan:{resident}:")]

        # she saves: the draft is gone, the text is the plan's now
        page.get_by_test_id("btn-save-plan").click()
        expect(page.get_by_test_id("plan-saved")).to_contain_text("saved", timeout=TIMEOUT)
        expect(page.get_by_test_id("draft-restored")).to_have_count(0)
        expect(page.get_by_test_id(state)).to_have_value(TYPED)
        _wait_for_drafts(page, LOGINS.planner1, f"plan:{resident}:", False)

        # a draft started from a version that is no longer the latest is offered, not applied
        page.get_by_test_id(state).fill(TYPED + " — и в коленях")
        _wait_for_drafts(page, LOGINS.planner1, f"plan:{resident}:", True)
        current = planner.get(f"{server.url}/api/care-plans/{resident}", timeout=10).json()
        number = current["version"]["number"]
        content = current["content"]
        content["header"]["social"] = "Навещает дочь по субботам"
        r = planner.post(f"{server.url}/api/care-plans/{resident}/versions", timeout=10,
                         json={"content": content, "note": "из кабинета", "base_version": number})
        assert r.status_code in (200, 201), r.text
        _open_hash(page, "board")  # the plan drawn anew
        expect(page.get_by_test_id("plan-title")).to_have_count(0, timeout=TIMEOUT)
        _open_hash(page, route)
        expect(page.get_by_test_id("draft-older")).to_be_visible(timeout=TIMEOUT)
        expect(page.get_by_test_id("draft-older")).to_contain_text(f"version {number + 1} was saved since")
        expect(page.get_by_test_id(state)).to_have_value(TYPED)
        expect(page.get_by_test_id("plan-header-social")).to_have_value("Навещает дочь по субботам")
        page.get_by_test_id("draft-use").click()
        expect(page.get_by_test_id(state)).to_have_value(TYPED + " — и в коленях", timeout=TIMEOUT)
        expect(page.get_by_test_id("draft-restored")).to_be_visible()
        page.wait_for_timeout(1000)  # longer than a draft's debounce: nothing left over from the old screen erases it
        assert _her_drafts(page, LOGINS.planner1) == [f"plan:{resident}:{number + 1}"]
        # discarding asks first
        page.get_by_test_id("draft-discard").click()
        page.get_by_test_id("dialog-confirm").get_by_test_id("btn-save").click()
        expect(page.get_by_test_id("draft-restored")).to_have_count(0, timeout=TIMEOUT)
        expect(page.get_by_test_id(state)).to_have_value(TYPED)
    finally:
        ctx.close()


def test_vital_signs_typed_in_the_dialog_are_back_in_it_after_her_pin(browser, server):
    _idle_lock(server)
    ctx = _context(browser, server)
    try:
        page = ctx.new_page()
        enrol(page)
        password_then_pin(page, LOGINS.nurse1, PINS[LOGINS.nurse1])
        _awake(page)
        resident = open_resident(page, 1)
        page.get_by_test_id("btn-vitals").click()
        dialog = page.get_by_test_id("dialog-vitals")
        dialog.get_by_test_id("vital-pulse").fill("96")
        dialog.get_by_test_id("vital-temperature").fill("37,9")
        _wait_for_lock(page)
        expect(page.get_by_test_id("dialog-vitals")).to_have_count(0)

        _unlock(page, LOGINS.nurse1)
        page.wait_for_function("(h) => location.hash === h", arg=f"#/resident/{resident}", timeout=TIMEOUT)
        dialog = page.get_by_test_id("dialog-vitals")
        expect(dialog).to_be_visible(timeout=TIMEOUT)
        expect(dialog.get_by_test_id("vital-pulse")).to_have_value("96", timeout=TIMEOUT)
        expect(dialog.get_by_test_id("vital-temperature")).to_have_value("37,9")
        expect(dialog.get_by_test_id("draft-restored")).to_be_visible()
        assert axe_violations(page) == []
        dialog.get_by_test_id("btn-save").click()
        expect(dialog).to_have_count(0, timeout=TIMEOUT)
        _wait_for_drafts(page, LOGINS.nurse1, "vitals:", False)
        # opened again: empty, no notice
        page.get_by_test_id("btn-vitals").click()
        dialog = page.get_by_test_id("dialog-vitals")
        expect(dialog.get_by_test_id("vital-pulse")).to_have_value("")
        expect(dialog.get_by_test_id("draft-restored")).to_have_count(0)
        dialog.get_by_test_id("btn-cancel").click()
    finally:
        ctx.close()


def test_the_card_editors_item_dialog_keeps_her_draft_until_it_is_saved(browser, server):
    """The DOM way (lib/drafts.js keepForm) on the care-card editor: a closed dialog keeps what she typed, the same
    dialog opened again puts it back and says so; "Discard changes" asks first; a save clears it. On an office
    browser, signed in with her password, after a reload."""
    ctx = _context(browser, server)
    try:
        page = ctx.new_page()
        sign_in(page, LOGINS.planner1)
        resident, dialog = open_new_item_dialog(page)
        dialog.get_by_test_id("item-category").select_option("leisure")
        dialog.get_by_test_id("item-title").fill("Прогулка во дворе")
        dialog.get_by_test_id("item-times").fill("11:30")
        expect(dialog.get_by_test_id("draft-restored")).to_have_count(0)
        _wait_for_drafts(page, LOGINS.planner1, "card-item:", True)
        dialog.get_by_test_id("btn-cancel").click()

        page.reload()
        _open_hash(page, f"cards/{resident}")
        expect(page.locator("[data-testid^='card-item-']").first).to_be_visible(timeout=TIMEOUT)
        page.get_by_test_id("btn-add-item").click()
        dialog = page.get_by_test_id("dialog-item")
        expect(dialog.get_by_test_id("item-title")).to_have_value("Прогулка во дворе", timeout=TIMEOUT)
        expect(dialog.get_by_test_id("item-category")).to_have_value("leisure")
        expect(dialog.get_by_test_id("item-times")).to_have_value("11:30")
        expect(dialog.get_by_test_id("draft-restored")).to_be_visible()
        assert axe_violations(page) == []

        # "Discard changes" asks; no keeps it
        dialog.get_by_test_id("draft-discard").click()
        page.get_by_test_id("dialog-confirm").get_by_test_id("btn-cancel").click()
        expect(dialog.get_by_test_id("item-title")).to_have_value("Прогулка во дворе")
        dialog.get_by_test_id("draft-discard").click()
        page.get_by_test_id("dialog-confirm").get_by_test_id("btn-save").click()
        expect(dialog.get_by_test_id("draft-restored")).to_have_count(0, timeout=TIMEOUT)
        expect(dialog.get_by_test_id("item-title")).to_have_value("")
        _wait_for_drafts(page, LOGINS.planner1, "card-item:", False)

        # typed again and saved: nothing kept
        dialog.get_by_test_id("item-category").select_option("leisure")
        dialog.get_by_test_id("item-title").fill("Чтение газеты вслух")
        dialog.get_by_test_id("item-times").fill("16:00")
        _wait_for_drafts(page, LOGINS.planner1, "card-item:", True)
        dialog.get_by_test_id("btn-save").click()
        expect(dialog).to_be_hidden(timeout=TIMEOUT)
        expect(page.locator("[data-testid^='card-item-']", has_text="Чтение газеты вслух")).to_be_visible(timeout=TIMEOUT)
        _wait_for_drafts(page, LOGINS.planner1, "card-item:", False)
        page.get_by_test_id("btn-add-item").click()
        dialog = page.get_by_test_id("dialog-item")
        expect(dialog.get_by_test_id("item-title")).to_have_value("")
        expect(dialog.get_by_test_id("draft-restored")).to_have_count(0)
    finally:
        ctx.close()
