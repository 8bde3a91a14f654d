"""After the server is restored from a backup, the tablet notices the new epoch and pushes again what it
had sent since: nothing the nurse recorded is lost, nothing is stored twice."""
from playwright.sync_api import expect

from .pages import TIMEOUT, cells_with, expect_pending, open_post, open_resident, sign_in, tick_done
from .test_bedside_loop import _api_session, _day_view, _today
from ..conftest import LOGINS


def _stored_entry_ids(server):
    view = _day_view(server, _api_session(server, LOGINS.supervisor1), _today())
    return sorted(c["entry"]["id"] for r in view["residents"] for c in r["cells"] if c["entry"])


def test_entries_lost_by_a_restore_are_pushed_again(server, new_context, tmp_path):
    page = new_context().new_page()
    sign_in(page, LOGINS.nurse1)
    open_post(page)
    open_resident(page, 0)
    tick_done(page)
    tick_done(page)
    page.get_by_test_id("sync-now").click()
    expect_pending(page, 0)
    backup = tmp_path / "bedside.backup"
    server.bedside("backup", str(backup))
    tick_done(page)
    tick_done(page)
    page.get_by_test_id("sync-now").click()
    expect_pending(page, 0)
    before = _stored_entry_ids(server)
    assert len(before) == 4

    server.stop()
    server.bedside("restore", str(backup), "--yes")  # the last two entries are gone from the server
    server.start()
    assert len(_stored_entry_ids(server)) == 2

    # the restore ended every session (none that ended after the backup may work again): she signs in again, and
    # what her tablet holds waited for her
    sign_in(page, LOGINS.nurse1)
    open_post(page)
    for _ in range(3):  # the first sync learns the new epoch and queues the sent entries again
        page.get_by_test_id("sync-now").click()
        page.wait_for_timeout(500)
    expect_pending(page, 0)
    assert _stored_entry_ids(server) == before
    open_resident(page, 0)
    expect(cells_with(page, "btn-correct")).to_have_count(4, timeout=TIMEOUT)
