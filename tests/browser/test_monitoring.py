"""Carers and the monthly monitoring page in the browser: a supervisor gives one carer 11 residents of a shift (the
warning shows) and saves; she opens the monitoring page, the figures show with their targets and definitions, and
the CSV and PDF links return files. Both screens: axe, 44 px targets, no sideways scrolling."""
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
    expect(selects).to_have_count(DEMO_RESIDENTS_PER_POST, timeout=TIMEOUT)  # 10, then 11, to one carer; 1 to another
    check_screen(page, "carers")
    carer = selects.first.locator("option").nth(1).get_attribute("value")
    other = selects.first.locator("option").nth(2).get_attribute("value")
    for i in range(10):
        selects.nth(i).select_option(carer)
    expect(page.get_by_test_id(f"carer-load-{carer}")).to_have_text("10")
    expect(page.get_by_test_id("carers-warning")).to_have_count(0)
    selects.nth(10).select_option(carer)  # the 11th: above the norm
    expect(page.get_by_test_id(f"carer-load-{carer}")).to_have_text("11")
    expect(page.get_by_test_id("carers-warning")).to_be_visible()
    selects.nth(11).select_option(other)
    expect(page.get_by_test_id("carers-without")).not_to_contain_text("1")
    page.get_by_test_id("carers-save").click()
    expect(page.get_by_test_id("carers-saved")).not_to_be_empty(timeout=TIMEOUT)
    expect(page.get_by_test_id("carers-warning")).to_be_visible()
    check_screen(page, "carers with a warning")
    page.reload()
    expect(page.get_by_test_id(f"carer-load-{carer}")).to_have_text("11", timeout=TIMEOUT)

    page.goto("/#/monitoring")
    expect(page.get_by_test_id("monitoring-figures")).to_be_visible(timeout=TIMEOUT)
    for key in ("engagement", "satisfaction", "card_completion", "confirmed_days", "overdue_reassessments",
                "caregiver_load"):
        expect(page.get_by_test_id(f"figure-{key}")).to_be_visible()
        expect(page.get_by_test_id(f"figure-definition-{key}")).not_to_be_empty()
    expect(page.get_by_test_id("figure-value-caregiver_load")).to_have_text("11")
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
        else:
            text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(r.content)).pages)
            assert "Monthly monitoring" in text or "Ежемесячный мониторинг" in text

    # a unit chosen: the figures follow
    page.get_by_test_id("monitoring-unit").select_option(index=2)
    expect(page.get_by_test_id("figure-value-caregiver_load")).not_to_have_text("11", timeout=TIMEOUT)
