"""The bedside loop in real Chromium: a nurse works offline through a real outage (the server process is
stopped), reloads, syncs after the restart; the supervisor confirms the day; a second tablet that was
switched off during the confirmation syncs later and its entry is flagged, not lost."""
from datetime import datetime
from zoneinfo import ZoneInfo

import requests
from playwright.sync_api import expect

from .conftest import axe_violations
from .pages import (TIMEOUT, expect_pending, open_post, open_resident, record_vitals, sign_in, tick_done,
                    tick_not_done, write_note)
from ..conftest import DEMO_PASSWORD, LOGINS

HEADERS = {"X-Bedside": "1"}


def _api_session(server, username):
    s = requests.Session()
    r = s.post(server.url + "/api/auth/login", json={"username": username, "password": DEMO_PASSWORD}, headers=HEADERS)
    assert r.status_code == 200, r.text
    return s


def _day_view(server, session, day):
    r = session.get(server.url + f"/api/units/1/days/{day}")
    assert r.status_code == 200, r.text
    return r.json()


def _today():
    return datetime.now(ZoneInfo("Asia/Krasnoyarsk")).date().isoformat()


def test_offline_shift_syncs_and_late_entries_are_flagged(server, new_context, tablet):
    day = _today()
    # Tablet 1 and tablet 2 at the duty post, both loaded while the server is up.
    page = new_context().new_page()
    sign_in(page, LOGINS.nurse1)
    open_post(page)
    second = tablet("b")
    page2 = second.open()
    sign_in(page2, LOGINS.nurse1)
    open_post(page2)

    server.stop()  # a real outage: nothing answers on the port

    resident_id = open_resident(page, 0)
    done_key = tick_done(page)
    # the row is drawn anew without its buttons: the focus goes to the row itself, not back to the page's top
    expect(page.get_by_test_id(done_key)).to_be_focused(timeout=TIMEOUT)
    not_done_key = tick_not_done(page, "asleep")
    record_vitals(page, {"bp_systolic": 150, "bp_diastolic": 85, "pulse": 72})
    write_note(page, "Slept well, ate breakfast.")
    expect_pending(page, 4)
    expect(page.get_by_test_id("sync-offline")).to_be_visible()

    open_resident(page2, 1)
    late_key = tick_done(page2)
    expect_pending(page2, 1)
    second.close()  # tablet 2 is switched off until after the supervisor confirms

    page.reload()  # still offline: the service worker serves the shell, IndexedDB holds the shift
    expect(page.get_by_test_id(done_key)).to_have_attribute("data-state", "done", timeout=TIMEOUT)
    expect(page.get_by_test_id(not_done_key)).to_have_attribute("data-state", "not_done")
    expect_pending(page, 4)
    assert page.locator("[data-testid^='entry-state-'][data-state='local']").count() >= 2

    server.start()
    page.get_by_test_id("sync-now").click()
    expect_pending(page, 0)
    expect(page.locator("[data-testid^='entry-state-'][data-state='synced']").first).to_be_visible()
    assert page.locator("[data-testid^='entry-state-'][data-state='local']").count() == 0

    supervisor_api = _api_session(server, LOGINS.supervisor1)
    view = _day_view(server, supervisor_api, day)
    row = next(r for r in view["residents"] if r["resident"]["id"] == resident_id)
    states = {c["state"] for c in row["cells"] if c["entry"]}
    assert {"done", "not_done"} <= states
    assert any(e["values"] == {"bp_systolic": 150, "bp_diastolic": 85, "pulse": 72} for e in view["vitals_alerts"])
    assert [n["note"] for n in view["notes"]] == ["Slept well, ate breakfast."]

    # The supervisor confirms the day in her own browser.
    sup = new_context(portrait=False).new_page()
    sign_in(sup, LOGINS.supervisor1)
    expect(sup.get_by_test_id("sup-confirm-day")).to_be_visible(timeout=TIMEOUT)
    sup.get_by_test_id("sup-confirm-day").click()
    sup.get_by_test_id("dialog-confirm").get_by_test_id("btn-save").click()
    expect(sup.get_by_test_id("sup-locked")).to_be_visible(timeout=TIMEOUT)
    assert axe_violations(sup) == []

    # Tablet 2 comes back: its nurse signs in again and the outbox it kept goes out.
    page2 = second.open()
    page2.goto("/")
    page2.wait_for_selector("[data-testid=login-username], [data-testid=sync-now]", timeout=TIMEOUT)
    if page2.get_by_test_id("login-username").is_visible():  # the browser closed, so did its session cookie
        sign_in(page2, LOGINS.nurse1)
        page2.get_by_test_id("post-submit").click()
    page2.get_by_test_id("sync-now").click()
    expect_pending(page2, 0)

    view = _day_view(server, supervisor_api, day)
    assert len(view["late_entries"]) == 1
    late = view["late_entries"][0]
    assert late["late_after_confirmation"] is True and late["status"] == "done"
    assert late_key.startswith(f"cell-{late['item_id']}-")
    sup.get_by_test_id("sup-load").click()
    expect(sup.get_by_test_id("sup-late-list").locator("li")).to_have_count(1, timeout=TIMEOUT)
    sup.get_by_test_id("sup-confirm-again").click()
    sup.get_by_test_id("dialog-confirm").get_by_test_id("btn-save").click()
    expect(sup.get_by_test_id("sup-late-list").locator("li")).to_have_count(0, timeout=TIMEOUT)
    assert _day_view(server, supervisor_api, day)["late_entries"] == []
