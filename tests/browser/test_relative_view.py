"""Issue 16 §6: a relative's first sign-in on her own phone. Relatives never see staff menus or device details; her
language is hers from the first screen (the sign-in screen, shown in her phone's language), and the schedule's
titles follow it; the line under the resident's name holds the home and the unit, nothing else ("nullnull"). The
phone's time zone (UTC) is not the home's (Asia/Krasnoyarsk)."""
import requests
from playwright.sync_api import expect

from ..conftest import CSRF, DEMO_PASSWORD, LOGINS
from .pages import TIMEOUT, sign_in
from .test_screens import check_screen

PHONE = {"width": 390, "height": 844}


def test_a_relatives_first_sign_in_is_in_her_language_without_staff_menus_or_device_details(browser, server):
    # relative1 has never chosen a language (the demo leaves it empty); her phone speaks Chinese
    ctx = browser.new_context(base_url=server.url, locale="zh-CN", timezone_id="UTC", viewport=PHONE, has_touch=True,
                              is_mobile=True, service_workers="block")
    try:
        page = ctx.new_page()
        page.goto("/")
        expect(page.locator("html")).to_have_attribute("lang", "zh-Hans", timeout=TIMEOUT)  # the sign-in screen
        page.get_by_test_id("login-username").fill(LOGINS.relative1)
        page.get_by_test_id("login-password").fill(DEMO_PASSWORD)
        page.get_by_test_id("login-submit").click()

        view = page.get_by_test_id("family-view")
        expect(view).to_be_visible(timeout=TIMEOUT)
        expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")  # still hers after signing in
        expect(page.get_by_test_id("family-today")).to_contain_text("早餐", timeout=TIMEOUT)  # breakfast, in Chinese
        expect(page.get_by_test_id("family-today")).not_to_contain_text("Завтрак")
        assert "null" not in view.inner_text()
        # the server keeps the language she read from the first screen on: the titles follow it on any device
        assert page.evaluate("() => fetch('/api/auth/me').then((r) => r.json()).then((u) => u.locale)") == "zh_Hans"

        # her menu: her screens, Settings, Sign out; no staff menus
        menu = page.locator("#app-header nav .nav-link")
        assert sorted(menu.evaluate_all("(els) => els.map((e) => e.dataset.testid)")) == \
            ["logout", "nav-family", "nav-settings"]
        expect(page.get_by_test_id("sync-pending")).to_be_hidden()
        check_screen(page, "family view, first sign-in")

        # her settings: her language, her account, her password; nothing of a tablet
        page.get_by_test_id("nav-settings").click()
        expect(page.get_by_test_id("settings-version")).to_be_visible(timeout=TIMEOUT)
        for staff_only in ("settings-device", "settings-pending", "settings-persist"):
            expect(page.get_by_test_id(staff_only)).to_have_count(0)
        check_screen(page, "settings, relative")

        # she chooses English: the page and the schedule's titles follow
        page.get_by_test_id("lang-en").click()
        expect(page.locator("html")).to_have_attribute("lang", "en", timeout=TIMEOUT)
        page.get_by_test_id("nav-family").click()
        expect(page.get_by_test_id("family-today")).to_contain_text("Breakfast", timeout=TIMEOUT)
    finally:
        ctx.close()


def test_a_member_of_staff_still_sees_the_tablet_in_settings(server, browser):
    ctx = browser.new_context(base_url=server.url, locale="en-GB", timezone_id="UTC", service_workers="block")
    try:
        page = ctx.new_page()
        sign_in(page, LOGINS.activities1)
        expect(page.get_by_test_id("nav-attention")).to_be_visible(timeout=TIMEOUT)
        expect(page.get_by_test_id("switch-user")).to_be_visible()
        page.get_by_test_id("nav-settings").click()
        for staff_only in ("settings-device", "settings-pending", "settings-persist"):
            expect(page.get_by_test_id(staff_only)).to_be_visible(timeout=TIMEOUT)
        # her account had no language either: the one of the screen she signed in on (English) is hers now
        s = requests.Session()
        s.headers.update(CSRF)
        me = s.post(server.url + "/api/auth/login", json={"username": LOGINS.activities1,
                                                         "password": DEMO_PASSWORD}).json()
        assert me["locale"] == "en"
    finally:
        ctx.close()


def test_when_her_server_session_ends_a_relative_is_asked_to_sign_in_again(browser, server):
    """Her own phone has no lock screen: a session the server ended (expired, or her password changed elsewhere)
    brings her to the sign-in screen, not to a page whose every request fails."""
    ctx = browser.new_context(base_url=server.url, locale="en-GB", timezone_id="UTC", viewport=PHONE, has_touch=True,
                              is_mobile=True, service_workers="block")
    try:
        page = ctx.new_page()
        sign_in(page, LOGINS.relative1)
        expect(page.get_by_test_id("family-view")).to_be_visible(timeout=TIMEOUT)
        ctx.clear_cookies()  # the server no longer knows this browser
        page.reload()
        expect(page.get_by_test_id("login-username")).to_be_visible(timeout=TIMEOUT)
        expect(page.get_by_test_id("family-view")).to_have_count(0)
    finally:
        ctx.close()
