"""A month is chosen by its name in the user's language (issue 16, finding 10: an <input type=month> follows the
browser's locale, not the page's). The browser here speaks English and is on UTC; the screens are Russian and
Chinese."""
from datetime import date

from playwright.sync_api import expect

from ..conftest import LOGINS
from .pages import TIMEOUT, sign_in


def test_months_are_named_in_the_screens_language(new_context):
    page = new_context(locale="en", portrait=False).new_page()
    sign_in(page, LOGINS.supervisor1, language="ru")
    page.get_by_test_id("nav-archive").click(timeout=TIMEOUT)
    month = page.get_by_test_id("archive-month")
    expect(month).to_be_visible(timeout=TIMEOUT)
    this_month = date.today().strftime("%Y-%m")
    names = month.locator("option").all_inner_texts()
    assert names and all("20" in n and not n[:1].isdigit() for n in names), names  # "ноябрь 2026 г.", not 2026-11
    assert any(n.startswith(("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
                             "октябрь", "ноябрь", "декабрь")) for n in names), names
    month.select_option(this_month)
    expect(month).to_have_value(this_month)
    box = month.bounding_box()
    assert box["height"] >= 44
    page.get_by_test_id("nav-settings").click()
    page.get_by_test_id("lang-zh_Hans").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans", timeout=TIMEOUT)
    page.get_by_test_id("nav-monitoring").click()
    month = page.get_by_test_id("monitoring-month")
    expect(month).to_be_visible(timeout=TIMEOUT)
    names = month.locator("option").all_inner_texts()
    assert all("年" in n and "月" in n for n in names), names
