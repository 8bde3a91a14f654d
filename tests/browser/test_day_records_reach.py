"""The resident's day (issue 16, finding 10): her vital signs and notes of the day are listed below the cells,
thirty and more of them; one tap takes the nurse there, on a portrait tablet."""
from playwright.sync_api import expect

from .pages import TIMEOUT, open_post, open_resident, sign_in, write_note
from ..conftest import LOGINS


def test_one_tap_brings_the_days_notes_into_view(new_context):
    page = new_context().new_page()
    sign_in(page, LOGINS.nurse1)
    open_post(page)
    open_resident(page, 0)
    write_note(page, "Asked for her glasses twice.")
    note = page.locator("li.record-note", has_text="Asked for her glasses twice.")
    expect(note).to_have_count(1, timeout=TIMEOUT)
    page.evaluate("() => window.scrollTo(0, 0)")
    in_view = "(el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }"
    assert not note.evaluate(in_view)  # below the cells: out of sight from the top of the day
    page.get_by_test_id("btn-other-records").click()
    page.wait_for_function(f"() => ({in_view})(document.querySelector('li.record-note'))", timeout=TIMEOUT)
    box = page.get_by_test_id("btn-other-records").bounding_box()
    assert box["height"] >= 44
