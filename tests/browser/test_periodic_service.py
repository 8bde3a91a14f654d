"""A service less often than daily (issue 17, finding 2): the planner adds a monthly item in the card editor, the
duty-post tablet offers it with its schedule, the nurse records it, and the supervisor's day view shows it done for
its period."""
from playwright.sync_api import expect

from .conftest import axe_violations
from .pages import TIMEOUT, open_new_item_dialog, open_post, sign_in
from .test_bedside_loop import _api_session, _day_view, _today
from ..conftest import LOGINS


def test_a_monthly_item_from_the_card_editor_is_offered_and_recorded_on_the_tablet(server, new_context):
    planner = new_context(portrait=False).new_page()
    sign_in(planner, LOGINS.planner1)
    resident_id, dialog = open_new_item_dialog(planner)
    dialog.get_by_test_id("item-category").select_option("hygiene")
    dialog.get_by_test_id("item-title").fill("Стрижка у парикмахера")
    dialog.get_by_test_id("item-kind").select_option("monthly")
    expect(dialog.get_by_test_id("item-month-day")).to_be_visible()
    expect(dialog.get_by_test_id("item-dow-1")).to_be_hidden()  # no days of the week for a monthly service
    dialog.get_by_test_id("item-kind").select_option("every_days")
    dialog.get_by_test_id("item-every-days").fill("0")
    dialog.get_by_test_id("btn-save").click()
    expect(dialog).to_contain_text("1 to 366", timeout=TIMEOUT)  # the server names the field
    dialog.get_by_test_id("item-kind").select_option("dates")  # given dates: picked one by one
    dialog.get_by_test_id("item-date-input").fill(_today())
    dialog.get_by_test_id("item-date-add").click()
    chip = dialog.get_by_test_id(f"item-date-{_today()}")
    expect(chip).to_be_visible()
    box = chip.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    assert axe_violations(planner) == []
    chip.click()  # removed again
    expect(chip).to_have_count(0)
    dialog.get_by_test_id("item-kind").select_option("monthly")
    dialog.get_by_test_id("item-month-day").select_option("")  # once in the month, any day
    dialog.get_by_test_id("btn-save").click()
    expect(dialog).to_be_hidden(timeout=TIMEOUT)
    row = planner.locator("[data-testid^='card-item-']", has_text="Стрижка у парикмахера")
    expect(row).to_contain_text("once in the month, any day")

    page = new_context().new_page()
    sign_in(page, LOGINS.nurse1)
    open_post(page)
    page.get_by_test_id(f"resident-row-{resident_id}").click()
    cell = page.locator("li[data-testid^='cell-']", has_text="Стрижка у парикмахера")
    expect(cell).to_be_visible(timeout=TIMEOUT)
    expect(cell).to_have_attribute("data-state", "due")
    expect(cell.locator(".cell-time")).to_have_text("once in the month, any day")
    assert axe_violations(page) == []
    cell.get_by_test_id("btn-done").click()
    expect(cell).to_have_attribute("data-state", "done", timeout=TIMEOUT)
    expect(page.get_by_test_id("sync-pending")).to_have_attribute("data-count", "0", timeout=TIMEOUT)

    view = _day_view(server, _api_session(server, LOGINS.supervisor1), _today())
    mine = next(r for r in view["residents"] if r["resident"]["id"] == resident_id)
    item = next(i for i in mine["items"] if i["title"] == "Стрижка у парикмахера")
    [cell] = [c for c in mine["cells"] if c["item_id"] == item["id"]]
    assert cell["state"] == "done" and cell["slot"] == "p:" + _today()[:8] + "01"
