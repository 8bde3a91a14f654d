"""Carers and the monthly monitoring page in the browser: a supervisor gives the unit's sitter (the carers are the
sitters: 000's norm is the sitter post's) 11 residents of a shift (the warning shows) and saves; she opens the
monitoring page, the figures show with their targets and definitions, and the CSV and PDF links return files; a
unit with no sitter says so. Both screens: axe, 44 px targets, no sideways scrolling."""
import io

import pypdf
import pytest
import requests
from playwright.sync_api import expect

from .pages import TIMEOUT, sign_in
from .test_screens import check_screen
from ..conftest import DEMO_RESIDENTS_PER_POST, LOGINS


@pytest.mark.parametrize("portrait", [True, False], ids=["portrait", "landscape"])
def test_supervisor_assigns_carers_and_reads_the_figures(new_context, server, portrait):
    page = new_context(portrait=portrait).new_page()
    sign_in(page, LOGINS.supervisor1)
    expect(page.get_by_test_id("nav-carers")).to_be_visible(timeout=TIMEOUT)
    page.goto("/#/carers")
    expect(page.get_by_test_id("carers-residents")).to_be_visible(timeout=TIMEOUT)
    selects = page.locator("[data-testid^='carer-of-']")
    expect(selects).to_have_count(DEMO_RESIDENTS_PER_POST, timeout=TIMEOUT)  # 10, then 11, to the sitter
    check_screen(page, "carers")
    # the carers are the unit's sitters (000 item 1.1 set the norm for the sitter post): the demo's unit 1 has one,
    # its junior nurses are not offered
    listed = page.locator("[data-testid^='carer-'][data-sitter]")
    expect(listed).to_have_count(1)
    expect(listed).to_have_attribute("data-sitter", "true")
    carer = listed.get_attribute("data-testid").rsplit("-", 1)[1]
    expect(selects.first.locator("option")).to_have_count(2)  # "no carer" and the sitter
    for i in range(10):
        selects.nth(i).select_option(carer)
    selects.nth(10).select_option("")
    selects.nth(11).select_option("")
    expect(page.get_by_test_id(f"carer-load-{carer}")).to_have_text("10")
    expect(page.get_by_test_id("carers-warning")).to_have_count(0)
    selects.nth(10).select_option(carer)  # the 11th: above the norm
    expect(page.get_by_test_id(f"carer-load-{carer}")).to_have_text("11")
    expect(page.get_by_test_id("carers-warning")).to_be_visible()
    expect(page.get_by_test_id("carers-without")).to_contain_text("1")
    # the norm is said to be source 000's for the sitter post
    expect(page.get_by_test_id("carers-norm")).to_contain_text("000")
    page.get_by_test_id("carers-save").click()
    expect(page.get_by_test_id("carers-saved")).not_to_be_empty(timeout=TIMEOUT)
    expect(page.get_by_test_id("carers-warning")).to_be_visible()
    check_screen(page, "carers with a warning")
    page.reload()
    expect(page.get_by_test_id(f"carer-load-{carer}")).to_have_text("11", timeout=TIMEOUT)

    page.goto("/#/monitoring")
    expect(page.get_by_test_id("monitoring-figures")).to_be_visible(timeout=TIMEOUT)
    for key in ("engagement", "satisfaction", "satisfaction_relatives", "card_completion", "confirmed_days",
                "overdue_reassessments", "caregiver_load"):
        expect(page.get_by_test_id(f"figure-{key}")).to_be_visible()
        expect(page.get_by_test_id(f"figure-definition-{key}")).not_to_be_empty()
    expect(page.get_by_test_id("figure-value-caregiver_load")).to_have_text("11")
    expect(page.get_by_test_id("figure-target-caregiver_load")).to_contain_text("000")  # the sitter post's norm
    # the residents' satisfaction carries the practice's target; the relatives' figure beside it has none
    expect(page.get_by_test_id("figure-target-satisfaction")).to_contain_text("99")
    expect(page.get_by_test_id("figure-target-satisfaction_relatives")).to_be_empty()
    expect(page.get_by_test_id("figure-target-engagement")).to_contain_text("98")
    expect(page.get_by_test_id("monitoring-directions")).to_be_visible()
    expect(page.get_by_test_id("monitoring-comparison")).to_be_visible()
    check_screen(page, "monitoring")

    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    for testid, kind in (("monitoring-csv", "text/csv"), ("monitoring-pdf", "application/pdf")):
        href = page.get_by_test_id(testid).get_attribute("href")
        r = requests.get(server.url + href, cookies=cookies, headers={"X-Bedside": "1"}, timeout=30)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith(kind), (testid, r.status_code)
        if kind == "text/csv":
            assert "caregiver_load" in r.content.decode("utf-8-sig")
            assert "satisfaction_relatives" in r.content.decode("utf-8-sig")
        else:
            text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(r.content)).pages)
            assert "Monthly monitoring" in text or "Ежемесячный мониторинг" in text

    # a unit chosen: the figures follow (unit 2 has no sitter: no sitter load)
    page.get_by_test_id("monitoring-unit").select_option(index=2)
    expect(page.get_by_test_id("figure-value-caregiver_load")).to_have_text("—", timeout=TIMEOUT)

    # unit 2 on the carers screen: no sitter works there, and the screen says so
    page.goto("/#/carers")
    expect(page.get_by_test_id("carers-residents")).to_be_visible(timeout=TIMEOUT)  # unit 1's shift, loaded
    expect(page.get_by_test_id("carers-none")).to_have_count(0)
    page.get_by_test_id("carers-unit").select_option(index=1)
    expect(page.get_by_test_id("carers-none")).to_be_visible(timeout=TIMEOUT)
