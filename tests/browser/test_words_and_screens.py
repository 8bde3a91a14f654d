"""Issue 16, findings 14-16 in a browser: words and numbers (no literal 'null', states in words, a button that fits its
card), screens that agree with each other (a care group set without a recorded decision, a withdrawn code, the
printed invitation's address, an administrator withdrawing the tablet she holds, browsers named, not numbered) and the
planner's, nurse's and supervisor's smaller ways (Assess straight to the forms, confirmations, drafts, unsaved
carers). The browser's clock runs in UTC while the demo home is in Asia/Krasnoyarsk."""
import re

import pytest
from playwright.sync_api import expect

from .pages import api_session, TIMEOUT, confirm, sign_in, wait_for_worker
from .test_attendance import _setup as attendance_setup
from ..conftest import LOGINS

HEADERS = {"X-Bedside": "1"}


def _session(server, username):
    return api_session(server.url, username)


def _page(new_context, **kwargs):
    return new_context(timezone_id="UTC", **kwargs).new_page()


def _cancel(page):
    dialog = page.get_by_test_id("dialog-confirm")
    dialog.get_by_test_id("btn-cancel").click()
    expect(dialog).to_be_hidden(timeout=TIMEOUT)


@pytest.mark.demo_history
def test_the_board_and_the_group_page_agree_and_the_plan_shows_no_null(server, new_context):
    page = _page(new_context)
    sign_in(page, LOGINS.planner1)
    expect(page.get_by_test_id("board-table")).to_be_visible(timeout=TIMEOUT)
    # a resident with a care group but no recorded decision (the demo sets one at admission)
    row = page.locator("[data-testid^='board-row-'][data-status='never_assessed']:not([data-group=''])").first
    resident = int(row.get_attribute("data-testid").rsplit("-", 1)[1])
    group = row.get_attribute("data-group")
    expect(page.get_by_test_id(f"board-group-undecided-{resident}")).to_have_text("set without a recorded decision")
    page.get_by_test_id(f"board-group-link-{resident}").click()
    expect(page.get_by_test_id("group-current")).to_have_attribute("data-group", group, timeout=TIMEOUT)
    expect(page.get_by_test_id("group-undecided")).to_contain_text("Set without a recorded decision")
    expect(page.get_by_test_id("group-history")).to_have_count(0)  # "No decision has been recorded yet." is true

    # no empty error bar; a missing choice is said by the button, and the choice gets the focus
    error = page.get_by_test_id("group-error")
    expect(error).to_be_hidden()
    page.get_by_test_id("group-save").click()
    expect(error).to_have_text("Choose a care group.")
    expect(page.get_by_test_id("group-field-group")).to_have_text("Choose a care group.")
    assert page.evaluate("() => document.activeElement.dataset.testid") == "group-choice-1"

    # the care plan: no literal 'null' above it; removing a service asks first
    decided = page.locator("[data-testid^='board-row-']")
    page.goto("/#/board")
    first = int(decided.first.get_attribute("data-testid").rsplit("-", 1)[1])
    page.goto(f"/#/plan/{first}")
    expect(page.get_by_test_id("plan-version-line")).to_contain_text("Version", timeout=TIMEOUT)
    assert not [line for line in page.inner_text("main").splitlines() if line.strip() in ("null", "undefined")]
    section = page.locator("details[data-testid^='plan-section-']").filter(
        has=page.get_by_test_id("btn-remove-service")).first
    if section.get_attribute("open") is None:
        section.locator("summary").click()
    services = section.locator("fieldset[data-testid^='service-']")
    count = services.count()
    services.first.get_by_test_id("btn-remove-service").click()
    expect(page.get_by_test_id("dialog-confirm")).to_be_visible(timeout=TIMEOUT)
    _cancel(page)
    expect(services).to_have_count(count)
    services.first.get_by_test_id("btn-remove-service").click()
    confirm(page)
    expect(services).to_have_count(count - 1)


def test_assess_from_the_board_goes_straight_to_the_forms_and_keeps_drafts(server, new_context):
    page = _page(new_context)
    sign_in(page, LOGINS.planner1)
    expect(page.get_by_test_id("board-table")).to_be_visible(timeout=TIMEOUT)
    row = page.locator("[data-testid^='board-row-']").first
    resident = int(row.get_attribute("data-testid").rsplit("-", 1)[1])
    page.get_by_test_id(f"board-assess-link-{resident}").click()
    # no detour through "choose a post" and the resident list
    expect(page.get_by_test_id("assess-list")).to_be_visible(timeout=TIMEOUT)
    assert page.url.endswith(f"#/assess/{resident}")
    expect(page.get_by_test_id("post-submit")).to_have_count(0)

    # a draft: seen in the list, continued, never thrown away without asking
    page.get_by_test_id("assess-open-age_no_barrier").click()
    expect(page.get_by_test_id("assess-form")).to_have_attribute("data-form", "age_no_barrier", timeout=TIMEOUT)
    page.get_by_test_id("ans-weight_loss-yes").click()
    page.get_by_test_id("assess-back").click()
    expect(page.get_by_test_id("assess-has-draft-age_no_barrier")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id("assess-open-age_no_barrier")).to_contain_text("Continue")
    page.get_by_test_id("assess-open-age_no_barrier").click()
    expect(page.get_by_test_id("assess-draft")).to_be_visible(timeout=TIMEOUT)
    page.get_by_test_id("btn-draft-discard").click()
    _cancel(page)
    expect(page.get_by_test_id("ans-weight_loss-yes")).to_have_attribute("aria-checked", "true")

    # "n questions left" takes her to the first question without an answer
    page.set_viewport_size({"width": 800, "height": 600})
    left = page.get_by_test_id("assess-left")
    expect(left).to_have_attribute("data-left", "6")
    left.click()
    focused = page.evaluate("() => document.activeElement.dataset.testid")
    assert focused == "q-vision_hearing", focused
    expect(page.get_by_test_id("q-vision_hearing")).to_be_in_viewport()
    for qid in ("vision_hearing", "falls", "mood", "memory", "incontinence", "moving"):
        button = page.get_by_test_id(f"ans-{qid}-no")
        if button.get_attribute("aria-checked") != "true":
            button.click()
    page.get_by_test_id("btn-save-assessment").click()
    # saved: back on the forms, not on the resident's day
    expect(page.get_by_test_id("assess-list")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id("assess-last-age_no_barrier")).to_be_visible()
    expect(page.get_by_test_id("assess-has-draft-age_no_barrier")).to_have_count(0)


@pytest.mark.demo_history
def test_the_month_selector_names_every_state_and_follows_a_publication(server, new_context):
    planner = _session(server, LOGINS.planner1)
    unit = planner.get(server.url + "/api/units", timeout=10).json()[0]["id"]
    residents = planner.get(server.url + f"/api/residents?unit_id={unit}", timeout=10).json()
    closed = next(r["id"] for r in residents
                  if any(c["status"] == "closed" for c in
                         planner.get(server.url + f"/api/cards?resident_id={r['id']}", timeout=10).json()))
    page = _page(new_context)
    sign_in(page, LOGINS.planner1)
    expect(page.get_by_test_id("board-table")).to_be_visible(timeout=TIMEOUT)
    page.goto(f"/#/cards/{closed}")
    months = page.get_by_test_id("cards-month")
    expect(months.locator("option").first).to_be_attached(timeout=TIMEOUT)
    texts = months.locator("option").all_inner_texts()
    assert any(t.endswith("— Closed") for t in texts) and not any(t.endswith("— closed") for t in texts), texts

    months.select_option("")  # a new card, generated from the plan
    page.get_by_test_id("cards-generate").click()
    expect(page.get_by_test_id("btn-publish")).to_be_visible(timeout=TIMEOUT)
    chosen = months.locator("option:checked")
    expect(chosen).to_contain_text("— Draft")
    page.get_by_test_id("btn-publish").click()
    confirm(page)
    expect(page.get_by_test_id("btn-publish")).to_be_hidden(timeout=TIMEOUT)
    expect(months.locator("option:checked")).to_contain_text("— Published")  # without a reload


def test_a_withdrawn_code_and_the_printed_slip(server, new_context):
    page = _page(new_context)
    sign_in(page, LOGINS.supervisor1)
    expect(page.get_by_test_id("nav-invitations")).to_be_visible(timeout=TIMEOUT)
    page.get_by_test_id("nav-invitations").click()
    expect(page.get_by_test_id("invite-resident")).to_be_visible(timeout=TIMEOUT)
    page.get_by_test_id("invite-issue").click()
    expect(page.get_by_test_id("invite-code")).to_be_visible(timeout=TIMEOUT)
    # the slip says where to open the app: this server's own address
    expect(page.get_by_test_id("invite-address")).to_contain_text(server.url + "/#/join")
    page.emulate_media(media="print")
    expect(page.get_by_test_id("invite-address")).to_be_visible()
    page.emulate_media(media="screen")
    row = page.locator("[data-testid^='invite-row-'][data-status='open']").first
    code_id = row.get_attribute("data-testid").rsplit("-", 1)[1]
    expect(row).to_contain_text("Valid")
    page.get_by_test_id(f"invite-withdraw-{code_id}").click()
    confirm(page)
    row = page.get_by_test_id(f"invite-row-{code_id}")
    expect(row).to_have_attribute("data-status", "withdrawn", timeout=TIMEOUT)
    me = _session(server, LOGINS.supervisor1).get(server.url + "/api/auth/me", timeout=10).json()
    expect(page.get_by_test_id(f"invite-withdrawn-by-{code_id}")).to_contain_text(me["full_name"])
    expect(page.get_by_test_id(f"invite-used-by-{code_id}")).to_have_text("—")  # nobody used it


def test_an_administrator_withdraws_the_tablet_she_holds_and_signs_in_again(server, new_context):
    # a browser that only synced: named by what is known of it, not by its raw id
    nurse = _page(new_context)
    sign_in(nurse, LOGINS.nurse2)
    nurse.get_by_test_id("post-submit").click()
    expect(nurse.locator("[data-testid^='resident-row-']").first).to_be_visible(timeout=TIMEOUT)
    browser_id = nurse.evaluate("() => import('/lib/db.js').then((db) => db.getMeta('device_id'))")
    nurse.evaluate("() => import('/lib/sync.js').then((s) => s.syncNow())")

    page = _page(new_context)
    sign_in(page, LOGINS.admin1)
    page.get_by_test_id("enrol-name").fill("Tab A")
    page.get_by_test_id("enrol-submit").click()
    expect(page.get_by_test_id("enrolled-as")).to_contain_text("Tab A", timeout=TIMEOUT)
    name = page.get_by_test_id(f"device-name-{browser_id}")
    expect(name).to_be_visible(timeout=TIMEOUT)
    # its browser as the server noted it (Playwright's Chromium) and who used it last; the raw id only below, small
    nurse2 = _session(server, LOGINS.nurse2).get(server.url + "/api/auth/me", timeout=10).json()["full_name"]
    expect(name).to_contain_text(nurse2)
    assert browser_id not in name.inner_text() and "Chrome" in name.inner_text(), name.inner_text()
    expect(page.get_by_test_id(f"device-id-{browser_id}")).to_contain_text(browser_id)

    wait_for_worker(page)
    here = page.evaluate("() => import('/lib/db.js').then((db) => db.getMeta('device_id'))")
    page.get_by_test_id(f"revoke-{here}").click()
    expect(page.get_by_test_id("dialog-confirm")).to_contain_text("the tablet you are holding")
    confirm(page)
    withdrawn = page.get_by_test_id("withdrawn")
    expect(withdrawn).to_have_attribute("data-state", "erased", timeout=30_000)
    expect(withdrawn).to_contain_text("erased from the tablet")
    # a reload does not contradict it ("being sent" again): the browser starts afresh
    page.reload()
    expect(page.get_by_test_id("login-username")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id("withdrawn")).to_have_count(0)

    # the way forward, straight from the screen
    page.goto("/#/withdrawn")
    expect(page.get_by_test_id("login-username")).to_be_visible(timeout=TIMEOUT)  # not withdrawn any more
    sign_in(page, LOGINS.admin1)
    expect(page.get_by_test_id("enrol-submit")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("main")).to_contain_text("This tablet is not enrolled.")


def test_the_withdrawn_screen_offers_to_sign_in_again(server, new_context):
    page = _page(new_context)
    sign_in(page, LOGINS.admin1)
    page.get_by_test_id("enrol-name").fill("Tab B")
    page.get_by_test_id("enrol-submit").click()
    expect(page.get_by_test_id("enrolled-as")).to_contain_text("Tab B", timeout=TIMEOUT)
    wait_for_worker(page)
    here = page.evaluate("() => import('/lib/db.js').then((db) => db.getMeta('device_id'))")
    page.get_by_test_id(f"revoke-{here}").click()
    confirm(page)
    expect(page.get_by_test_id("withdrawn")).to_have_attribute("data-state", "erased", timeout=30_000)
    page.get_by_test_id("withdrawn-sign-in").click()
    expect(page.get_by_test_id("login-username")).to_be_visible(timeout=TIMEOUT)
    sign_in(page, LOGINS.admin1)
    expect(page.get_by_test_id("enrol-submit")).to_be_visible(timeout=TIMEOUT)


def test_the_open_button_fits_its_session_card_in_russian(server, new_context):
    _api, session_id, _activity, _residents, _other = attendance_setup(server)
    page = _page(new_context, locale="ru-RU")
    sign_in(page, LOGINS.activities1, language="ru")
    row = page.get_by_test_id(f"att-session-{session_id}")
    expect(row).to_be_visible(timeout=TIMEOUT)
    button = page.get_by_test_id(f"att-open-{session_id}")
    box, card = button.bounding_box(), row.bounding_box()
    assert box["x"] >= card["x"] and box["x"] + box["width"] <= card["x"] + card["width"], (box, card)
    fits = button.evaluate("(b) => b.scrollWidth <= b.clientWidth")
    assert fits, button.inner_text()


def test_carers_changes_are_not_lost_silently(server, new_context):
    page = _page(new_context)
    sign_in(page, LOGINS.supervisor1)
    expect(page.get_by_test_id("logout")).to_be_attached(timeout=TIMEOUT)
    page.goto("/#/carers")
    expect(page.get_by_test_id("carers-residents")).to_be_visible(timeout=TIMEOUT)
    select = page.locator("select[data-testid^='carer-of-']").first
    resident = select.get_attribute("data-testid")
    values = [v for v in select.locator("option").evaluate_all("(os) => os.map((o) => o.value)")]
    current = select.input_value()
    other = next(v for v in values if v != current)
    select.select_option(other)

    # another shift: asked first; "cancel" keeps the shift and the change
    page.get_by_test_id("carers-shift").select_option("night")
    expect(page.get_by_test_id("dialog-confirm")).to_be_visible(timeout=TIMEOUT)
    _cancel(page)
    expect(page.get_by_test_id("carers-shift")).to_have_value("day")
    expect(page.get_by_test_id(resident)).to_have_value(other)

    # leaving the screen keeps the change until she is back to save or discard it
    page.goto("/#/supervisor")
    expect(page.locator("main")).not_to_contain_text("Carers on a shift", timeout=TIMEOUT)
    page.goto("/#/carers")
    expect(page.get_by_test_id("carers-unsaved")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id(resident)).to_have_value(other)
    page.get_by_test_id("carers-discard").click()
    expect(page.get_by_test_id(resident)).to_have_value(current)
    expect(page.get_by_test_id("carers-unsaved")).to_have_count(0)


def test_monitoring_percentages_in_the_locales_number_format(server, new_context):
    page = _page(new_context, locale="ru-RU")
    sign_in(page, LOGINS.supervisor1, language="ru")
    expect(page.get_by_test_id("logout")).to_be_attached(timeout=TIMEOUT)
    page.goto("/#/monitoring")
    main = page.locator("main")
    expect(main).to_contain_text("%", timeout=TIMEOUT)
    assert not re.search(r"\d\.\d\s?%", main.inner_text()), main.inner_text()[:2000]
