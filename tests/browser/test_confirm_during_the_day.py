"""Confirming a day before it is over (issue 16, finding 3): the confirmation covers what was recorded up to its
moment; the tablet goes on offering every slot still open, says what the confirmation covered, and what the nurse
records afterwards is not late. The supervisor is told before she confirms, and can confirm again later. The
browsers are on UTC; the demo home is on Asia/Krasnoyarsk (docs/domain.md, Confirmation)."""
from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from .pages import api_session, TIMEOUT, cells_with, expect_pending, open_post, open_resident, sign_in, tick_done
from ..conftest import LOGINS

HEADERS = {"X-Bedside": "1"}


def _session(server, username):
    return api_session(server.url, username)


def test_a_day_confirmed_before_its_end_stays_open_for_what_is_ahead(server, new_context):
    day = datetime.now(ZoneInfo("Asia/Krasnoyarsk")).date().isoformat()
    supervisor = _session(server, LOGINS.supervisor1)
    unit = supervisor.get(server.url + "/api/units", timeout=10).json()[0]["id"]

    # the supervisor, in her browser, is told what confirming now covers
    sup = new_context(portrait=False).new_page()
    sign_in(sup, LOGINS.supervisor1)
    expect(sup.get_by_test_id("sup-confirm-day")).to_be_visible(timeout=TIMEOUT)
    sup.get_by_test_id("sup-confirm-day").click()
    dialog = sup.get_by_test_id("dialog-confirm")
    expect(dialog).to_contain_text("The day is not over yet")
    dialog.get_by_test_id("btn-cancel").click()

    page = new_context().new_page()
    sign_in(page, LOGINS.nurse1)
    open_post(page)
    open_resident(page, 0)
    offered = cells_with(page, "btn-done").count()
    assert offered > 0

    status = supervisor.post(server.url + f"/api/units/{unit}/days/{day}/confirm", json={}, timeout=10).status_code
    assert status == 201
    page.get_by_test_id("sync-now").click()
    notice = page.get_by_test_id("lock-notice")
    expect(notice).to_have_attribute("data-whole", "false", timeout=TIMEOUT)
    expect(notice).not_to_contain_text("can no longer be corrected")
    assert cells_with(page, "btn-done").count() == offered  # nothing was closed by the confirmation
    key = tick_done(page)
    page.get_by_test_id("sync-now").click()
    expect_pending(page, 0)
    view = supervisor.get(server.url + f"/api/units/{unit}/days/{day}", timeout=10).json()
    mine = [c for r in view["residents"] for c in r["cells"] if c["entry"] and key.startswith(f"cell-{c['item_id']}-")]
    assert mine and view["late_entries"] == []  # recorded after the confirmation: not late
    assert view["day_over"] is False and view["unit_confirmed"] and not view["unit_confirmed_whole"]

    sup.reload()
    locked = sup.get_by_test_id("sup-locked")
    expect(locked).to_have_attribute("data-whole", "false", timeout=TIMEOUT)
    expect(sup.get_by_test_id("sup-confirm-day")).to_be_visible()  # she confirms again at the end of the day
