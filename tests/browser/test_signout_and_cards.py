"""Signing out never loses unsynced entries; a condition report reaches the supervisor; a planner's card
change reaches the duty-post tablet."""
from playwright.sync_api import expect

from .pages import TIMEOUT, expect_pending, open_post, open_resident, sign_in, tick_done
from .test_bedside_loop import _api_session, _day_view, _today
from ..conftest import LOGINS


def _outbox(page):
    return page.evaluate("() => import('/lib/db.js').then((db) => db.getAll('outbox'))")


def test_sign_out_offline_warns_and_keeps_the_outbox(server, new_context):
    page = new_context().new_page()
    sign_in(page, LOGINS.nurse1)
    open_post(page)
    server.stop()
    resident_id = open_resident(page, 2)
    tick_done(page)
    page.get_by_test_id("btn-condition").click()
    dialog = page.get_by_test_id("dialog-condition")
    dialog.get_by_test_id("condition-fall").click()
    dialog.get_by_test_id("note-text").fill("Found on the floor by the bed at 10:20, no visible injury.")
    dialog.get_by_test_id("btn-save").click()
    expect_pending(page, 2)

    page.get_by_test_id("logout").click()
    warning = page.get_by_test_id("dialog-confirm")
    expect(warning).to_contain_text("2 entries are not synced yet")
    warning.get_by_test_id("btn-save").click()
    expect(page.get_by_test_id("login-username")).to_be_visible(timeout=TIMEOUT)
    assert len(_outbox(page)) == 2
    page.reload()
    expect(page.get_by_test_id("login-username")).to_be_visible(timeout=TIMEOUT)
    assert len(_outbox(page)) == 2  # still there after a reload on the sign-in screen

    server.start()
    sign_in(page, LOGINS.nurse1)
    open_post(page)
    expect_pending(page, 0)
    assert _outbox(page) == []

    view = _day_view(server, _api_session(server, LOGINS.supervisor1), _today())
    [report] = view["condition_reports"]
    assert (report["resident_id"], report["category"]) == (resident_id, "fall")
    row = next(r for r in view["residents"] if r["resident"]["id"] == resident_id)
    assert row["resident"]["needs_reassessment"] is True


def test_planner_edits_a_card_and_the_tablet_receives_it(server, new_context):
    planner = new_context(portrait=False).new_page()
    sign_in(planner, LOGINS.planner1)
    planner.get_by_test_id("nav-cards").click()
    expect(planner.get_by_test_id("cards-resident")).to_be_visible(timeout=TIMEOUT)
    expect(planner.locator("[data-testid^='card-item-']").first).to_be_visible(timeout=TIMEOUT)
    resident_id = int(planner.get_by_test_id("cards-resident").input_value())
    planner.get_by_test_id("btn-add-item").click()
    dialog = planner.get_by_test_id("dialog-item")
    dialog.get_by_test_id("item-category").select_option("leisure")
    dialog.get_by_test_id("item-title").fill("Прогулка во дворе")
    dialog.get_by_test_id("item-kind").select_option("times")
    dialog.get_by_test_id("item-times").fill("99:00")
    dialog.get_by_test_id("btn-save").click()
    expect(dialog).to_contain_text("HH:MM")  # the server's error, next to the field it names
    dialog.get_by_test_id("item-times").fill("23:30")
    dialog.get_by_test_id("btn-save").click()
    expect(dialog).to_be_hidden(timeout=TIMEOUT)
    expect(planner.locator("[data-testid^='card-item-']", has_text="Прогулка во дворе")).to_be_visible()

    page = new_context().new_page()
    sign_in(page, LOGINS.nurse1)
    open_post(page)
    page.get_by_test_id(f"resident-row-{resident_id}").click()
    expect(page.locator("li[data-testid^='cell-']", has_text="Прогулка во дворе")).to_be_visible(timeout=TIMEOUT)
