"""The planner's and the archive's screens on the whole demo home (`bedside demo`: plans, care-group histories,
assessments, last month recorded and one card closed): what a home sees on its first day, accessible (axe-core),
44 px touch targets and no sideways scrolling, in portrait and landscape."""
import pytest
import requests
from playwright.sync_api import expect

from .pages import TIMEOUT, open_post, sign_in
from .test_screens import check_screen
from ..conftest import DEMO_PASSWORD, LOGINS

pytestmark = [pytest.mark.browser, pytest.mark.demo_history]


@pytest.mark.parametrize("portrait", [True, False], ids=["portrait", "landscape"])
def test_planner_screens_on_the_whole_demo(server, new_context, portrait):
    page = new_context(portrait=portrait).new_page()
    sign_in(page, LOGINS.planner1)
    # The board: the demo's histories give every status.
    expect(page.get_by_test_id("board-table")).to_be_visible(timeout=TIMEOUT)
    for status in ("overdue", "due", "marked", "never_assessed", "ok"):
        expect(page.locator(f"[data-testid^='board-row-'][data-status='{status}']").first).to_be_attached()
    check_screen(page, "board")
    row = page.locator("[data-testid^='board-row-'][data-status='ok']").first
    resident_id = int(row.get_attribute("data-testid").rsplit("-", 1)[1])

    page.goto(f"/#/group/{resident_id}")
    expect(page.get_by_test_id("group-suggestion")).to_be_visible(timeout=TIMEOUT)
    assert page.get_by_test_id("group-suggestion").get_attribute("data-group") in {"1", "2", "3", "4"}
    expect(page.locator("[data-testid^='group-history-']").first).to_be_visible()
    # the groups in 004's words, the three assessments side by side, the grounds of each decision
    expect(page.get_by_test_id("group-definition-4")).to_contain_text("(intensive care)")
    expect(page.get_by_test_id("group-assessments").locator("[data-testid^='group-assessment-']")).to_have_count(3)
    expect(page.locator("[data-testid^='group-decision-grounds-']").first).to_contain_text("Grounds: ")
    expect(page.get_by_test_id("group-unseen-behaviour")).to_be_visible()
    check_screen(page, "care group")
    page.get_by_test_id("group-choice-3").click()
    expect(page.get_by_test_id("group-ground-behaviour_not_controlled")).to_be_visible()
    check_screen(page, "care group, grounds of group III")

    page.get_by_test_id("nav-posts").click()  # assessments are made at the duty post, from the tablet's data
    open_post(page)
    page.goto(f"/#/assess/{resident_id}")
    expect(page.get_by_test_id("assess-last-mmse")).to_be_visible(timeout=TIMEOUT)
    check_screen(page, "assessments")

    page.goto(f"/#/plan/{resident_id}")
    expect(page.get_by_test_id("plan-version-line")).to_contain_text("Version 1", timeout=TIMEOUT)
    check_screen(page, "care plan")

    page.goto(f"/#/cards/{resident_id}")
    expect(page.locator("[data-testid^='card-item-'][data-plan]").first).to_be_visible(timeout=TIMEOUT)
    check_screen(page, "care card from the plan")

    # Her personal file (004 §3.3), from her record: the decisions, assessments and plan version gathered
    page.goto(f"/#/stay/{resident_id}")
    page.get_by_test_id("stay-file").click()
    expect(page.get_by_test_id("file-title")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("[data-testid^='file-decision-']").first).to_be_visible()
    expect(page.locator("[data-testid^='file-assessment-']").first).to_be_visible()
    expect(page.get_by_test_id("file-version-1")).to_be_visible()
    assert f"/api/residents/{resident_id}/file.pdf" in page.get_by_test_id("file-pdf").get_attribute("href")
    check_screen(page, "personal file")

    # The archive: last month, one card closed, its PDF readable.
    page.get_by_test_id("nav-archive").click()
    closed = page.locator("[data-testid^='archive-pdf-']").first
    expect(closed).to_be_visible(timeout=TIMEOUT)
    check_screen(page, "archive")
    href = closed.get_attribute("href")
    s = requests.Session()
    s.headers.update({"X-Bedside": "1"})
    assert s.post(f"{server.url}/api/auth/login", json={"username": LOGINS.planner1, "password": DEMO_PASSWORD},
                  timeout=10).status_code == 200
    pdf = s.get(server.url + href, timeout=30)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize("portrait", [True, False], ids=["portrait", "landscape"])
def test_milieu_therapy_family_and_figures_screens_on_the_whole_demo(server, new_context, portrait):
    """Activity staff, the supervisor's carers and monitoring, staff invitations and a relative's view, on the
    demo's three weeks of attendance, a year of questionnaires and today's carer assignments."""
    staff = new_context(portrait=portrait).new_page()
    sign_in(staff, LOGINS.activities1)
    expect(staff.get_by_test_id("att-list")).to_be_visible(timeout=TIMEOUT)  # her start screen
    expect(staff.locator("[data-testid^='att-idle-']").first).to_be_visible()  # the demo leaves some idle
    check_screen(staff, "attendance")
    staff.get_by_test_id("nav-activities").click()
    expect(staff.locator("[data-testid^='act-item-']").first).to_be_visible(timeout=TIMEOUT)
    expect(staff.locator("[data-testid^='occ-'][data-cancelled='true']").first).to_be_attached()
    check_screen(staff, "activities and timetable")
    staff.get_by_test_id("nav-invitations").click()
    expect(staff.get_by_test_id("invite-issue")).to_be_visible(timeout=TIMEOUT)
    check_screen(staff, "invitations")

    sup = new_context(portrait=portrait).new_page()
    sign_in(sup, LOGINS.supervisor1)
    expect(sup.get_by_test_id("sup-unit")).to_be_visible(timeout=TIMEOUT)
    sup.get_by_test_id("nav-carers").click()
    expect(sup.get_by_test_id("carers-warning")).to_be_visible(timeout=TIMEOUT)  # the demo's carer with 11
    check_screen(sup, "carers")
    sup.get_by_test_id("nav-monitoring").click()
    expect(sup.get_by_test_id("figure-value-engagement").or_(
        sup.locator("[data-testid^='figure-value-']").first)).to_be_visible(timeout=TIMEOUT)
    expect(sup.locator("[data-testid^='comparison-']").first).to_be_visible()
    check_screen(sup, "monitoring")

    relative = new_context(portrait=portrait).new_page()
    sign_in(relative, LOGINS.relative1)
    expect(relative.get_by_test_id("family-today")).to_be_visible(timeout=TIMEOUT)
    expect(relative.locator("[data-testid='family-took-part']").first).to_be_visible()
    check_screen(relative, "family view")
