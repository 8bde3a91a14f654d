"""Every nurse and supervisor screen: accessible (axe-core), 44 px touch targets, portrait and landscape,
and in Russian and Chinese the text the user reads comes from the catalogs."""
import pytest
from playwright.sync_api import expect

from .conftest import axe_violations
from .pages import TIMEOUT, full_catalog, open_post, open_resident, sign_in
from ..conftest import DEMO_PASSWORD, LOGINS

#: Interactive elements smaller than this (CSS px) in either dimension fail.
MIN_TARGET = 44

TARGETS_SMALLER_THAN_MIN = """(min) => [...document.querySelectorAll(
    'button, a[href], input:not([type=hidden]), select, textarea, [role=button]')]
  .filter((el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
                    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'; })
  .filter((el) => { // a checkbox or radio button is tapped through the label that wraps it
                    const target = (el.matches('input[type=checkbox], input[type=radio]') && el.closest('label')) || el;
                    const r = target.getBoundingClientRect();
                    const inline = el.tagName === 'A' && getComputedStyle(el).display === 'inline';
                    return !inline && (r.width < min - 0.5 || r.height < min - 0.5); })
  .map((el) => `${el.tagName.toLowerCase()}[${el.dataset.testid || el.id || el.textContent.trim().slice(0, 20)}]`
               + ` ${Math.round(el.getBoundingClientRect().width)}x${Math.round(el.getBoundingClientRect().height)}`)"""


def check_screen(page, name):
    violations = axe_violations(page)
    assert violations == [], f"{name}: {violations}"
    small = page.evaluate(TARGETS_SMALLER_THAN_MIN, MIN_TARGET)
    assert small == [], f"{name}: touch targets under {MIN_TARGET}px: {small}"
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name}: the page scrolls sideways by {overflow}px"


PORTRAIT = {"width": 800, "height": 1280}
LANDSCAPE = {"width": 1280, "height": 800}


def check_both_ways(page, name, back_to=PORTRAIT):
    """check_screen in portrait and in landscape, then back to `back_to`."""
    for size in (PORTRAIT, LANDSCAPE):
        page.set_viewport_size(size)
        check_screen(page, f"{name} ({size['width']}x{size['height']})")
    page.set_viewport_size(back_to)


@pytest.mark.parametrize("portrait", [True, False], ids=["portrait", "landscape"])
def test_nurse_and_supervisor_screens(new_context, portrait):
    page = new_context(portrait=portrait).new_page()
    page.goto("/")
    expect(page.get_by_test_id("login-username")).to_be_visible(timeout=TIMEOUT)
    check_screen(page, "login")
    sign_in(page, LOGINS.nurse1)
    expect(page.get_by_test_id("post-submit")).to_be_visible(timeout=TIMEOUT)
    check_screen(page, "post picker")
    open_post(page)
    check_screen(page, "residents")
    open_resident(page, 0)
    check_screen(page, "resident day")
    for button, dialog in (("btn-not-done", "dialog-not-done"), ("btn-vitals", "dialog-vitals"),
                           ("btn-note", "dialog-note"), ("btn-condition", "dialog-condition")):
        page.get_by_test_id(button).first.click()
        expect(page.get_by_test_id(dialog)).to_be_visible()
        check_screen(page, dialog)
        page.get_by_test_id(dialog).get_by_test_id("btn-cancel").click()
        expect(page.get_by_test_id(dialog)).to_be_hidden()
    sup = new_context(portrait=portrait).new_page()
    sign_in(sup, LOGINS.supervisor1)
    expect(sup.get_by_test_id("sup-unit")).to_be_visible(timeout=TIMEOUT)
    expect(sup.get_by_test_id("sup-confirm-day")).to_be_visible(timeout=TIMEOUT)
    check_screen(sup, "supervisor day")


@pytest.mark.parametrize("portrait", [True, False], ids=["portrait", "landscape"])
def test_shared_tablet_screens(new_context, portrait):
    """Tablets (administrator), choosing a PIN, the lock screen, the PIN pad and a wrong PIN."""
    page = new_context(portrait=portrait).new_page()
    sign_in(page, LOGINS.admin1)
    expect(page.get_by_test_id("enrol-name")).to_be_visible(timeout=TIMEOUT)
    check_screen(page, "tablets")
    page.get_by_test_id("enrol-name").fill("Планшет")
    page.get_by_test_id("enrol-submit").click()
    expect(page.get_by_test_id("enrolled-as")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("[data-testid^='revoke-']")).to_have_count(1, timeout=TIMEOUT)
    check_screen(page, "tablets, enrolled")
    page.get_by_test_id("logout").click()
    expect(page.get_by_test_id("lock-screen")).to_be_visible(timeout=TIMEOUT)
    page.get_by_test_id("lock-password").click()
    page.get_by_test_id("login-username").fill(LOGINS.nurse1)
    page.get_by_test_id("login-password").fill(DEMO_PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("pin-new")).to_be_visible(timeout=TIMEOUT)
    check_screen(page, "choose PIN")
    page.get_by_test_id("pin-new").fill("2468")
    page.get_by_test_id("pin-again").fill("2468")
    page.get_by_test_id("pin-submit").click()
    expect(page.get_by_test_id("switch-user")).to_be_visible(timeout=TIMEOUT)
    page.get_by_test_id("switch-user").click()
    expect(page.get_by_test_id(f"person-{LOGINS.nurse1}")).to_be_visible(timeout=TIMEOUT)
    check_screen(page, "lock screen")
    page.get_by_test_id(f"person-{LOGINS.nurse1}").click()
    page.get_by_test_id("unlock-pin").fill("1111")
    page.get_by_test_id("unlock-submit").click()
    expect(page.get_by_test_id("unlock-error")).to_be_visible(timeout=TIMEOUT)
    check_screen(page, "PIN pad, wrong PIN")
    for left in (3, 2, 1):
        page.get_by_test_id("unlock-pin").fill("1111")
        page.get_by_test_id("unlock-submit").click()
        expect(page.get_by_test_id("unlock-error")).to_contain_text(f"{left} attempt", timeout=TIMEOUT)
    page.get_by_test_id("unlock-pin").fill("1111")
    page.get_by_test_id("unlock-submit").click()  # the fifth wrong PIN: her key is erased
    expect(page.get_by_test_id("unlock-error")).to_contain_text("Sign in with your password", timeout=TIMEOUT)
    page.get_by_test_id("unlock-back").click()
    expect(page.get_by_test_id("lock-screen")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id(f"person-{LOGINS.nurse1}")).to_have_count(0)


@pytest.mark.parametrize("language,html_lang", [("ru", "ru"), ("zh_Hans", "zh-Hans")])
def test_screens_read_in_the_chosen_language(server, new_context, language, html_lang):
    catalog = full_catalog(server.url, language)

    def translated(msgid):
        assert msgid in catalog, f"{msgid!r} has no {language} translation"
        return catalog[msgid]

    page = new_context().new_page()
    sign_in(page, LOGINS.nurse1, language=language)
    expect(page.locator("html")).to_have_attribute("lang", html_lang, timeout=TIMEOUT)
    expect(page.get_by_role("heading", name=translated("Choose your duty post"))).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id("post-submit")).to_have_text(translated("Start"))
    open_post(page)
    open_resident(page, 0)
    expect(page.get_by_test_id("btn-note")).to_contain_text(translated("Note"))
    expect(page.get_by_test_id("btn-condition")).to_contain_text(translated("Report a change in condition"))
    expect(page.get_by_test_id("btn-done").first).to_contain_text(translated("Done"))
    # The choice is the user's: the server answers in it too.
    assert page.evaluate("() => fetch('/api/auth/me').then((r) => r.json()).then((u) => u.locale)") == language
    sup = new_context().new_page()
    sign_in(sup, LOGINS.supervisor1, language=language)
    expect(sup.get_by_test_id("sup-confirm-day")).to_contain_text(translated("Confirm day for the unit"),
                                                                   timeout=TIMEOUT)
    check_screen(sup, f"supervisor day ({language})")
