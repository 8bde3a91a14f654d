"""The resident's day offline (issue 16): what the tablet shows the moment an entry is saved comes from its own
rules (frontend/lib/day.js, lib/vitals.js) and agrees with the server's afterwards. With every API request failing
(the service worker's too), a nurse ticks two slots Done and corrects one of them to Not done, and records blood
pressure above normal: the record is highlighted at once, the late mark is the tablet's, and the resident's day and
her row on the post screen count 1 more done and 1 more not done (a correction counts once). Back online, the supervisor's day view gives the
same numbers and the highlight stays (now the server's)."""
import re

from playwright.sync_api import expect

from .pages import TIMEOUT, cells_with, expect_pending, open_post, open_resident, record_vitals, sign_in, tick_done
from .test_bedside_loop import _api_session, _day_view, _today
from ..conftest import LOGINS

COUNTED = ("done", "not_done", "missing", "due", "upcoming", "away", "late")


def _day_counts(page):
    box = page.get_by_test_id("day-counts")
    expect(box).to_have_attribute("data-done", re.compile(r"^\d+$"), timeout=TIMEOUT)
    return {k: int(box.get_attribute(f"data-{k.replace('_', '-')}")) for k in COUNTED}


def _correct_to_not_done(page, key):
    page.get_by_test_id(key).get_by_test_id("btn-correct").click()
    dialog = page.get_by_test_id("dialog-correct")
    dialog.get_by_test_id("status-not_done").click()
    dialog.get_by_test_id("reason-asleep").click()
    dialog.get_by_test_id("btn-save").click()
    expect(dialog).to_be_hidden(timeout=TIMEOUT)
    expect(page.get_by_test_id(key)).to_have_attribute("data-state", "not_done", timeout=TIMEOUT)


def _flagged_bp(page):
    return page.locator(".record-vitals .value.is-flagged").filter(has_text="165/95")


def test_counts_and_highlight_offline_agree_with_the_server(server, new_context):
    context = new_context()
    page = context.new_page()
    sign_in(page, LOGINS.nurse1)
    open_post(page)
    resident_id = open_resident(page, 0)
    before = _day_counts(page)

    context.route("**/api/**", lambda route: route.abort())  # offline, the service worker's requests too
    first = tick_done(page)
    second = tick_done(page)
    _correct_to_not_done(page, second)
    record_vitals(page, {"bp_systolic": 165, "bp_diastolic": 95})
    expect_pending(page, 4)

    # at once, from the tablet's rules: highlighted, and each cell counted once by its latest entry
    expect(_flagged_bp(page)).to_have_count(1, timeout=TIMEOUT)
    expect(_flagged_bp(page)).to_contain_text("above normal")
    expect(page.get_by_test_id("day-counts")).to_have_attribute("data-not-done", str(before["not_done"] + 1),
                                                                 timeout=TIMEOUT)
    offline = _day_counts(page)
    assert offline["done"] == before["done"] + 1 and offline["not_done"] == before["not_done"] + 1
    assert page.get_by_test_id(first).get_attribute("data-state") == "done"
    first_entry = page.get_by_test_id(first).get_attribute("data-entry")
    first_late = page.get_by_test_id(first).locator(".chip-late").count() == 1  # recorded after its slot's window

    # the post screen reads the same numbers for her
    page.get_by_role("link", name="All residents").click()
    row = page.get_by_test_id(f"resident-row-{resident_id}")
    expect(row).to_have_attribute("data-done", str(offline["done"]), timeout=TIMEOUT)
    expect(row).to_have_attribute("data-not-done", str(offline["not_done"]))
    assert int(row.get_attribute("data-missing")) == offline["missing"]
    assert int(row.get_attribute("data-due")) == offline["due"]
    expect(row.locator(".count-done")).to_contain_text(f"{offline['done']} done")
    expect(row.locator(".count-not-done")).to_contain_text(f"{offline['not_done']} not done")

    # online again: the server counts the same, and its flags keep the highlight
    context.unroute("**/api/**")
    page.get_by_test_id("sync-now").click()
    expect_pending(page, 0)
    view = _day_view(server, _api_session(server, LOGINS.supervisor1), _today())
    her = next(r for r in view["residents"] if r["resident"]["id"] == resident_id)
    counts = her["counts"]
    assert next(c for c in her["cells"] if c["entry"] and c["entry"]["id"] == first_entry)["late"] == first_late
    open_resident_by_id(page, resident_id)
    synced = _day_counts(page)
    # done, not done and late are fixed by what was recorded; the open states may move on at a slot's boundary
    assert {k: counts[k] for k in ("done", "not_done", "late")} == {k: synced[k] for k in ("done", "not_done", "late")}
    assert sum(counts[k] for k in ("missing", "due", "upcoming", "away")) == \
        sum(synced[k] for k in ("missing", "due", "upcoming", "away"))
    assert synced["done"] == offline["done"] and synced["not_done"] == offline["not_done"]
    vitals = next(e for e in view["vitals_alerts"] if e["values"] == {"bp_systolic": 165, "bp_diastolic": 95})
    assert vitals["flags"] == {"bp_systolic": "high", "bp_diastolic": "high"}
    expect(_flagged_bp(page)).to_have_count(1, timeout=TIMEOUT)
    expect(page.locator(".record-vitals [data-state='synced']")).to_have_count(1, timeout=TIMEOUT)


def open_resident_by_id(page, resident_id):
    page.get_by_test_id(f"resident-row-{resident_id}").click()
    expect(cells_with(page, "btn-correct").first).to_be_visible(timeout=TIMEOUT)
