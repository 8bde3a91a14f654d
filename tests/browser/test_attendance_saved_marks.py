"""Issue 16 §11: saved attendance is never overwritten by a side effect. After Save the marking screen shows each
saved mark as its row's state (engagement, reason, minutes, note); "mark all present" fills only the residents not
marked yet; a saved mark changes only when a person changes that resident's mark (one correction entry, superseding
hers). The browser's time zone (UTC) is not the home's (Asia/Krasnoyarsk)."""
import time

from playwright.sync_api import expect

from ..conftest import LOGINS
from .pages import TIMEOUT, sign_in
from .test_attendance import HEADERS, _attendance_on_server, _local, _setup


def _row(page, rid):
    return page.get_by_test_id(f"att-row-{rid}")


def _saved(page, count):
    page.wait_for_function("(n) => import('/lib/db.js').then((db) => db.getAll('entries'))"
                           ".then((l) => l.filter((e) => e.kind === 'attendance').length === n)", arg=count,
                           timeout=TIMEOUT)
    return _local(page, "attendance")


def test_saved_marks_show_as_the_rows_state_and_mark_all_fills_only_the_others(server, browser):
    api, session_id, activity_id, (r1, r2, r3), r4 = _setup(server)
    r = api.post(server.url + "/api/activities/programmes", headers=HEADERS,
                 json={"resident_id": r4, "activity_id": activity_id, "goal": "joy"})
    assert r.status_code == 201, r.text
    ctx = browser.new_context(base_url=server.url, locale="en-GB", timezone_id="UTC", has_touch=True,
                              viewport={"width": 800, "height": 1280}, service_workers="block")
    try:
        page = ctx.new_page()
        sign_in(page, LOGINS.activities1)
        page.get_by_test_id(f"att-open-{session_id}").click()
        expect(page.locator("[data-testid^='att-row-']")).to_have_count(4, timeout=TIMEOUT)

        # r1 active for 40 minutes, r2 passive, r3 absent (ill); r4 not marked yet
        page.get_by_test_id(f"att-present-{r1}").check()
        page.get_by_test_id(f"att-minutes-{r1}").fill("40")
        page.get_by_test_id(f"att-eng-{r2}-passive").click()
        page.get_by_test_id(f"att-eng-{r3}-absent").click()
        page.get_by_test_id(f"att-reason-{r3}-ill").click()
        page.get_by_test_id("att-save").click()
        first = {e["resident_id"]: e for e in _saved(page, 3)}
        assert {rid: (e["status"], e["reason"], e["values"]["minutes"]) for rid, e in first.items()} == {
            r1: ("active", None, 40), r2: ("passive", None, None), r3: ("absent", "ill", None)}

        # The screen comes back with the saved marks as the rows' state
        expect(_row(page, r1)).to_have_attribute("data-engagement", "active", timeout=TIMEOUT)
        expect(page.get_by_test_id(f"att-present-{r1}")).to_be_checked()
        expect(page.get_by_test_id(f"att-minutes-{r1}")).to_have_value("40")
        expect(_row(page, r2)).to_have_attribute("data-engagement", "passive")
        expect(page.get_by_test_id(f"att-eng-{r2}-passive")).to_have_attribute("aria-checked", "true")
        expect(_row(page, r3)).to_have_attribute("data-engagement", "absent")
        expect(page.get_by_test_id(f"att-reason-{r3}-ill")).to_have_attribute("aria-checked", "true")
        expect(page.get_by_test_id(f"att-present-{r3}")).not_to_be_checked()
        expect(_row(page, r4)).to_have_attribute("data-engagement", "")

        # "Mark all present" fills r4 only; Save writes r4's mark and nothing else
        page.get_by_test_id("att-all-present").click()
        expect(_row(page, r4)).to_have_attribute("data-engagement", "active")
        for rid, engagement in ((r1, "active"), (r2, "passive"), (r3, "absent")):
            expect(_row(page, rid)).to_have_attribute("data-engagement", engagement)
        page.get_by_test_id("att-save").click()
        after = _saved(page, 4)
        assert sorted(e["id"] for e in after if e["resident_id"] != r4) == sorted(e["id"] for e in first.values())
        [new] = [e for e in after if e["resident_id"] == r4]
        assert new["status"] == "active" and new["supersedes"] is None

        # Save again with nothing changed: nothing is written
        expect(_row(page, r4)).to_have_attribute("data-engagement", "active", timeout=TIMEOUT)
        page.get_by_test_id("att-save").click()
        expect(page.get_by_test_id("att-error")).not_to_be_empty()
        assert len(_local(page, "attendance")) == 4

        # A deliberate change of r2's mark is one correction entry, superseding hers; r1 keeps her 40 minutes
        page.get_by_test_id(f"att-eng-{r2}-active").click()
        page.get_by_test_id("att-save").click()
        last = _saved(page, 5)
        [correction] = [e for e in last if e["supersedes"] == first[r2]["id"]]
        assert correction["resident_id"] == r2 and correction["status"] == "active"
        expect(_row(page, r2)).to_have_attribute("data-engagement", "active", timeout=TIMEOUT)
        expect(page.get_by_test_id(f"att-minutes-{r1}")).to_have_value("40")
    finally:
        ctx.close()


def test_a_snapshot_asked_before_a_push_landed_keeps_the_pushed_marks(server, browser):
    """A snapshot pull replaces what the feed holds. When a push is acknowledged while the snapshot is on its way,
    the snapshot (read on the server before the push) lacks those entries: the tablet keeps them, never shows a saved
    mark vanishing until the next pull (CI caught the marks of `test_saved_marks...` gone after Save)."""
    api, session_id, _activity, (r1, _r2, _r3), _r4 = _setup(server)
    ctx = browser.new_context(base_url=server.url, locale="en-GB", timezone_id="UTC", has_touch=True,
                              viewport={"width": 800, "height": 1280}, service_workers="block")
    try:
        page = ctx.new_page()
        sign_in(page, LOGINS.activities1)
        page.get_by_test_id(f"att-open-{session_id}").click()
        expect(page.locator("[data-testid^='att-row-']")).to_have_count(3, timeout=TIMEOUT)
        stale = api.get(server.url + "/api/attendance/pull?cursor=0", headers=HEADERS).text  # before the mark
        page.route("**/api/sync/push", lambda route: route.abort())  # the mark waits in the outbox
        page.get_by_test_id(f"att-present-{r1}").check()
        page.get_by_test_id("att-save").click()
        [mark] = _saved(page, 1)
        assert mark["synced"] is not True
        page.unroute("**/api/sync/push")

        def late_snapshot(route):
            # asked before the push below; answered, with what the server held then, after it was acknowledged
            time.sleep(1.5)
            route.fulfill(status=200, content_type="application/json", body=stale)

        page.route("**/api/attendance/pull**", late_snapshot)
        page.evaluate("""async () => {
            const db = await import('/lib/db.js'); const sync = await import('/lib/sync.js');
            await db.setMeta('att_cursor', 0);
            const pulling = sync.pullAttendance({force: true});
            await new Promise((r) => setTimeout(r, 200));
            await sync.flush();
            await pulling;
        }""")
        page.unroute("**/api/attendance/pull**")
        assert [e["id"] for e in _attendance_on_server(api, server, session_id)] == [mark["id"]]
        [kept] = _local(page, "attendance")
        assert kept["id"] == mark["id"] and kept["synced"] is True
        expect(_row(page, r1)).to_have_attribute("data-engagement", "active", timeout=TIMEOUT)
    finally:
        ctx.close()
