"""A planner writes a care plan with one service per periodicity (a monthly one among them), saves it, generates next
month's card from it, reviews and publishes the card; then changes the plan and sees what changed between the two versions."""
import re

import pytest
import requests
from playwright.sync_api import expect

from .conftest import axe_violations
from .pages import TIMEOUT, sign_in
from ..conftest import DEMO_PASSWORD, LOGINS

pytestmark = pytest.mark.browser

SERVICES = [  # (section, name, preset, category)
    ("communication", "Беседа с соцработником", "twice_a_day", "leisure"),
    ("mobility", "Поворот в постели", "every_2_hours", "mobility"),
    ("mobility", "Гигиенический душ", "daily", "hygiene"),
    ("nutrition", "Взвешивание", "mon_thu", "other"),
    ("sleep_leisure", "Прогулка на свежем воздухе", "as_needed", "leisure"),
]


def _admit(server):
    """A new resident of unit 1 (the demo's residents already have a plan): admitted by the planner."""
    s = requests.Session()
    s.headers.update({"X-Bedside": "1"})
    assert s.post(f"{server.url}/api/auth/login", json={"username": LOGINS.planner1, "password": DEMO_PASSWORD},
                  timeout=10).status_code == 200
    unit = s.get(f"{server.url}/api/units", timeout=10).json()[0]["id"]
    post = next(p["id"] for p in s.get(f"{server.url}/api/posts", timeout=10).json() if p["unit_id"] == unit)
    r = s.post(f"{server.url}/api/residents", json={"full_name": "Яковлева Анна Петровна", "unit_id": unit,
                                                     "post_id": post, "room": "102", "bed": "3"}, timeout=10)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _open_section(page, sid):
    section = page.get_by_test_id(f"plan-section-{sid}")
    if section.get_attribute("open") is None:
        section.locator("summary").click()
    return section


def _add_service(page, sid, name, preset, category):
    section = _open_section(page, sid)
    section.get_by_test_id(f"btn-add-service-{sid}").click()
    service = section.locator("fieldset[data-testid^='service-']").last
    service.get_by_test_id("service-name").fill(name)
    service.get_by_test_id("service-preset").select_option(preset)
    service.get_by_test_id("service-category").select_option(category)
    return service


def test_plan_to_published_card_then_a_change_and_its_diff(server, new_context):
    resident_id = _admit(server)
    page = new_context(portrait=False).new_page()
    sign_in(page, LOGINS.planner1)
    expect(page.get_by_test_id("logout")).to_be_attached(timeout=TIMEOUT)
    page.goto("/#/plan")  # the chooser: unit, resident
    page.get_by_test_id("plan-resident").select_option(str(resident_id))
    page.get_by_test_id("plan-open").click()
    expect(page.get_by_test_id("plan-title")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id("plan-version-line")).to_contain_text("No plan yet")
    page.get_by_test_id("plan-header-ippsu-number").fill("2451-17")
    page.get_by_test_id("plan-header-ippsu-date").fill("2026-01-15")
    page.get_by_test_id("plan-header-physical").fill("Передвигается с ходунками")
    labels = {}
    for sid, name, preset, category in SERVICES:
        service = _add_service(page, sid, name, preset, category)
        labels[preset] = service.get_by_test_id("service-label").inner_text()
    assert labels["twice_a_day"] == "twice a day: 09:00, 18:00"
    assert labels["every_2_hours"] == "every 2 h from 00:00"
    assert labels["as_needed"] == "as needed"
    assert re.search(r"only Mon.*Thu", labels["mon_thu"]), labels["mon_thu"]
    # a service less often than daily (issue 17, finding 2): monthly, on the 15th; no days of the week to tick
    haircut = _add_service(page, "safety", "Стрижка", "as_needed", "hygiene")
    haircut.get_by_test_id("service-kind").select_option("monthly")
    expect(haircut.get_by_test_id("service-label")).to_have_text("once in the month, any day")
    expect(haircut.get_by_test_id("service-dow-1")).to_have_count(0)
    haircut.get_by_test_id("service-month-day").select_option("15")
    expect(haircut.get_by_test_id("service-label")).to_have_text("monthly, on day 15")
    expect(haircut.get_by_test_id("service-preset")).to_have_value("custom")
    mobility = _open_section(page, "mobility")
    mobility.get_by_test_id("btn-add-row-mobility").click()
    row = mobility.locator("fieldset[data-testid^='row-']").last
    row.get_by_test_id("row-problem").fill("Риск падений")
    row.get_by_test_id("row-goal").fill("Без падений в течение месяца")
    row.get_by_test_id("row-review-on").fill("2027-02-01")
    page.get_by_test_id("plan-note").fill("Первая версия")
    page.get_by_test_id("btn-save-plan").click()
    expect(page.get_by_test_id("plan-version-line")).to_contain_text("Version 1", timeout=TIMEOUT)
    assert axe_violations(page) == []

    page.get_by_test_id("btn-generate-card").click()
    items = page.locator("[data-testid^='card-item-'][data-plan]")
    expect(items).to_have_count(6, timeout=TIMEOUT)
    expect(page.get_by_test_id("card-plan-note")).to_be_visible()
    table = page.locator("table.data-table")
    expect(table).to_contain_text("twice a day: 09:00, 18:00")
    expect(table).to_contain_text("monthly, on day 15")
    expect(table).to_contain_text("once per shift: Day shift")
    page.get_by_test_id("btn-publish").click()
    page.get_by_test_id("dialog-confirm").get_by_test_id("btn-save").click()
    expect(page.get_by_test_id("btn-publish")).to_be_hidden(timeout=TIMEOUT)
    expect(page.locator(".panel-head .sub").first).to_contain_text("Published")

    page.get_by_test_id("link-plan").click()
    expect(page.get_by_test_id("plan-version-line")).to_contain_text("Version 1", timeout=TIMEOUT)
    communication = _open_section(page, "communication")
    service = communication.locator("fieldset[data-testid^='service-']").first
    service.get_by_test_id("service-times").fill("08:00, 20:00")
    expect(service.get_by_test_id("service-label")).to_have_text("twice a day: 08:00, 20:00")
    page.get_by_test_id("plan-note").fill("Сдвинуть беседы")
    page.get_by_test_id("btn-save-plan").click()
    expect(page.get_by_test_id("plan-version-line")).to_contain_text("Version 2", timeout=TIMEOUT)
    expect(page.get_by_test_id("plan-saved")).to_contain_text("1 ended")  # next month's card followed the plan
    page.get_by_test_id("compare-from").select_option("1")
    page.get_by_test_id("compare-to").select_option("2")
    page.get_by_test_id("btn-compare").click()
    change = page.get_by_test_id("diff-change")
    expect(change).to_have_count(1, timeout=TIMEOUT)
    expect(change).to_have_attribute("data-change", "service_changed")
    expect(change).to_contain_text("Беседа с соцработником")
    expect(change).to_contain_text("twice a day: 09:00, 18:00 → twice a day: 08:00, 20:00")
    page.get_by_test_id("version-1").get_by_role("link").click()
    expect(page.get_by_test_id("plan-old-version")).to_be_visible(timeout=TIMEOUT)
    assert axe_violations(page) == []

    portrait = new_context(portrait=True).new_page()
    sign_in(portrait, LOGINS.planner1)
    expect(portrait.get_by_test_id("logout")).to_be_attached(timeout=TIMEOUT)
    portrait.goto(page.url.rsplit("/", 1)[0])  # the current version
    expect(portrait.get_by_test_id("plan-version-line")).to_contain_text("Version 2", timeout=TIMEOUT)
    width = portrait.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 800, width  # no sideways scrolling in portrait
