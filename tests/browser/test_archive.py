"""Month close in the browser: a supervisor closes last month's card of a resident whose days are confirmed,
views the closed grid, and the PDF link returns a PDF."""
from datetime import date, timedelta

import requests
from playwright.sync_api import expect

from .pages import TIMEOUT, sign_in
from .test_screens import check_screen
from ..conftest import DEMO_PASSWORD, LOGINS

CSRF = {"X-Bedside": "1"}


def _session(server, username):
    s = requests.Session()
    s.headers.update(CSRF)
    r = s.post(f"{server.url}/api/auth/login", json={"username": username, "password": DEMO_PASSWORD}, timeout=10)
    assert r.status_code == 200, r.text
    return s, r.json()


def _last_month_card(server):
    """A resident of unit 1 whose card of last month is published with every day confirmed: the demo's own (its
    history has last month recorded and confirmed), else planner1 copies resident 1's card to last month and
    supervisor1 confirms every day of it. Returns (unit id, resident id, last month's first day)."""
    planner, _ = _session(server, LOGINS.planner1)
    unit = planner.get(f"{server.url}/api/units", timeout=10).json()[0]["id"]
    resident = planner.get(f"{server.url}/api/residents", params={"unit_id": unit}, timeout=10).json()[0]["id"]
    cards = planner.get(f"{server.url}/api/cards", params={"resident_id": resident}, timeout=10).json()
    first = date.fromisoformat(cards[0]["month"])  # newest first: this month's
    month = (first - timedelta(days=1)).replace(day=1)
    supervisor, _ = _session(server, LOGINS.supervisor1)
    overview = supervisor.get(f"{server.url}/api/archive/months", params={"unit_id": unit,
                                                                           "month": month.strftime("%Y-%m")},
                              timeout=10).json()
    ready = [r for r in overview["residents"] if r["closable"]]
    if ready:
        return unit, ready[0]["resident_id"], month
    r = planner.post(f"{server.url}/api/cards", json={"resident_id": resident, "month": month.isoformat(),
                                                      "copy_from": cards[0]["id"]}, timeout=10)
    assert r.status_code == 201, r.text
    card = r.json()
    assert planner.post(f"{server.url}/api/cards/{card['id']}/publish", timeout=10).status_code == 200
    day = month
    while day < first:
        r = supervisor.post(f"{server.url}/api/units/{unit}/days/{day.isoformat()}/confirm", json={}, timeout=10)
        assert r.status_code == 201, r.text
        day += timedelta(days=1)
    return unit, resident, month


def test_supervisor_closes_last_month_and_prints_it(server, new_context):
    unit, resident, month = _last_month_card(server)
    page = new_context(portrait=False).new_page()
    sign_in(page, LOGINS.supervisor1)
    expect(page.get_by_test_id("nav-archive")).to_be_visible(timeout=TIMEOUT)
    page.get_by_test_id("nav-archive").click()
    expect(page.get_by_test_id("archive-month")).to_have_value(month.strftime("%Y-%m"), timeout=TIMEOUT)
    expect(page.get_by_test_id(f"archive-close-{resident}")).to_be_visible(timeout=TIMEOUT)
    check_screen(page, "archive")
    page.get_by_test_id(f"archive-close-{resident}").click()
    expect(page.get_by_test_id("dialog-confirm")).to_be_visible()
    page.get_by_test_id("dialog-confirm").get_by_test_id("btn-save").click()
    expect(page.get_by_test_id(f"archive-status-{resident}")).to_have_text("Closed", timeout=TIMEOUT)
    pdf = page.get_by_test_id(f"archive-pdf-{resident}")
    expect(pdf).to_be_visible()
    href = pdf.get_attribute("href")
    response = page.request.get(href)  # the browser's own session cookie, as the link uses it
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    page.get_by_test_id(f"archive-view-{resident}").click()
    expect(page.get_by_test_id("archive-grid")).to_be_visible(timeout=TIMEOUT)
    rows = page.get_by_test_id("archive-grid").locator("tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() > 5
    check_screen(page, "archive grid")
