"""Done acts when the finger lifts (frontend/lib/dom.js onTap), not on the click the browser makes of the lift a
frame later: one tap is one entry, the click is cancelled so it cannot land on the row drawn in its place, a finger
that slides off records nothing, and the keyboard and the mouse still work by click."""
from playwright.sync_api import expect

from .pages import TIMEOUT, cells_with, open_post, open_resident, sign_in
from ..conftest import LOGINS

# Every click that reaches the document, and every entry stored for a cell.
COUNT_CLICKS_JS = """() => {
  window.__clicks = [];
  document.addEventListener('click', (e) => window.__clicks.push(e.target.closest('[data-testid]')?.dataset.testid),
    true);
}"""
ENTRIES_FOR_JS = """async (key) => {
  const [, item, slot] = key.split('-');
  const db = await import('/lib/db.js');
  return (await db.getAll('entries')).filter((e) => e.kind === 'tick' && String(e.item_id) === item
    && String(e.slot) === slot).map((e) => e.status);
}"""


def _resident_day(new_context):
    page = new_context().new_page()
    sign_in(page, LOGINS.nurse1)
    open_post(page)
    open_resident(page, 0)
    page.evaluate(COUNT_CLICKS_JS)
    return page


def _centre(locator):
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_a_tap_on_done_records_once_on_the_lift_and_its_click_never_lands(new_context):
    page = _resident_day(new_context)
    for _ in range(2):  # the second tap lands where the first one's row was redrawn
        cell = cells_with(page, "btn-done").first
        key = cell.get_attribute("data-testid")
        cell.get_by_test_id("btn-done").tap()
        expect(page.get_by_test_id(key)).to_have_attribute("data-state", "done", timeout=TIMEOUT)
        # the entry is stored once, and the browser's click of the tap was cancelled: it reached nothing (not the
        # "Correct" button now drawn where Done was), so no dialog opened
        assert page.evaluate(ENTRIES_FOR_JS, key) == ["done"]
        page.wait_for_timeout(300)
        assert page.evaluate("() => window.__clicks") == []
        expect(page.locator("dialog[open]")).to_have_count(0)
        expect(page.get_by_test_id(key).get_by_test_id("btn-correct")).to_be_visible()


def test_a_finger_that_slides_off_done_records_nothing(new_context):
    page = _resident_day(new_context)
    cell = cells_with(page, "btn-done").first
    key = cell.get_attribute("data-testid")
    x, y = _centre(cell.get_by_test_id("btn-done"))
    cdp = page.context.new_cdp_session(page)
    touch = lambda kind, points: cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})  # noqa: E731
    touch("touchStart", [{"x": x, "y": y}])
    for step in range(1, 6):
        touch("touchMove", [{"x": x + 10 * step, "y": y}])
    touch("touchEnd", [])
    page.wait_for_timeout(500)
    expect(page.get_by_test_id(key)).not_to_have_attribute("data-state", "done")
    assert page.evaluate(ENTRIES_FOR_JS, key) == []
    # the same button, tapped where it is, still records
    cell.get_by_test_id("btn-done").tap()
    expect(page.get_by_test_id(key)).to_have_attribute("data-state", "done", timeout=TIMEOUT)
    assert page.evaluate(ENTRIES_FOR_JS, key) == ["done"]


def test_done_still_works_by_keyboard_and_by_mouse(new_context):
    page = _resident_day(new_context)
    first = cells_with(page, "btn-done").first
    key = first.get_attribute("data-testid")
    first.get_by_test_id("btn-done").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id(key)).to_have_attribute("data-state", "done", timeout=TIMEOUT)
    assert page.evaluate(ENTRIES_FOR_JS, key) == ["done"]
    second = cells_with(page, "btn-done").first
    key2 = second.get_attribute("data-testid")
    second.get_by_test_id("btn-done").click()
    expect(page.get_by_test_id(key2)).to_have_attribute("data-state", "done", timeout=TIMEOUT)
    assert page.evaluate(ENTRIES_FOR_JS, key2) == ["done"]


# The recorder worker's answers reach the page 1.5 s late (the worker itself stores at its own pace).
SLOW_ANSWERS_JS = """
const Real = window.Worker;
window.Worker = class extends Real {
  set onmessage(fn) { super.onmessage = (event) => { const data = event.data; setTimeout(() => fn({data}), 1500); }; }
  get onmessage() { return super.onmessage; }
};
"""


def test_a_tapped_row_shows_done_only_once_its_entry_is_stored(new_context):
    """The row is worked out while the entry is stored, but put up only when the store answers: the screen never
    shows a tick the tablet does not hold."""
    context = new_context()
    context.add_init_script(SLOW_ANSWERS_JS)
    page = context.new_page()
    sign_in(page, LOGINS.nurse1)
    open_post(page)
    open_resident(page, 0)
    cell = cells_with(page, "btn-done").first
    key = cell.get_attribute("data-testid")
    cell.get_by_test_id("btn-done").tap()
    page.wait_for_function(f"async () => ({ENTRIES_FOR_JS})('{key}').then((s) => s.length === 1)", timeout=TIMEOUT)
    # stored by the worker, its answer not yet back: the row is still open
    assert page.get_by_test_id(key).get_attribute("data-state") != "done"
    expect(page.get_by_test_id(key).get_by_test_id("btn-done")).to_be_visible()
    expect(page.get_by_test_id(key)).to_have_attribute("data-state", "done", timeout=TIMEOUT)
    assert page.evaluate(ENTRIES_FOR_JS, key) == ["done"]
