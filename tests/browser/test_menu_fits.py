"""Issue 16 §7: the menu never leaves the screen. For every role of the demo home, in Russian, Chinese and English, on
a phone (390 x 844), a tablet both ways (768 x 1024, 1024 x 768) and a desktop (1280 x 800), every entry of the menu
(its screens, Settings, Switch user, Sign out) lies whole inside the viewport, is at least 44 px each way, and the
page does not scroll sideways; the menu is axe-core clean. One browser and one profile for the whole test: each role
signs in, goes through the three languages (Settings) and the four sizes, and signs out. The browser's time zone
(UTC) is not the home's (Asia/Krasnoyarsk)."""
from playwright.sync_api import expect

from ..conftest import LOGINS
from .conftest import AXE_JS
from .pages import TIMEOUT, sign_in

SIZES = [(390, 844), (768, 1024), (1024, 768), (1280, 800)]
LANGUAGES = [("ru", "ru"), ("zh_Hans", "zh-Hans"), ("en", "en")]
#: Each role of the demo home, and the test id of a screen of hers that shows when she is signed in.
ROLES = [(LOGINS.nurse1, "post-submit"), (LOGINS.supervisor1, "sup-unit"), (LOGINS.planner1, "nav-board"),
         (LOGINS.activities1, "att-day"), (LOGINS.admin1, "enrol-name"), (LOGINS.relative1, "family-view"),
         (LOGINS.specialist1, "nav-board")]

#: The menu's entries that are not whole inside the viewport or are smaller than 44 px; and the page's sideways
#: scroll.
OUTSIDE = """() => {
  window.scrollTo(0, 0);
  const vw = document.documentElement.clientWidth, vh = window.innerHeight;
  const entries = [...document.querySelectorAll('#app-header nav .nav-link')];
  const bad = entries.map((e) => {
    const r = e.getBoundingClientRect();
    return {id: e.dataset.testid, left: Math.round(r.left), right: Math.round(r.right), top: Math.round(r.top),
            bottom: Math.round(r.bottom), width: Math.round(r.width), height: Math.round(r.height)};
  }).filter((b) => b.width < 44 || b.height < 44 || b.left < 0 || b.right > vw || b.top < 0 || b.bottom > vh);
  return {count: entries.length, ids: entries.map((e) => e.dataset.testid), bad,
          sideways: document.documentElement.scrollWidth - document.documentElement.clientWidth};
}"""


def _axe_menu(page):
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document.getElementById('app-header'), "
                           "{resultTypes: ['violations']})")
    return [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in result["violations"]
            if v["impact"] in ("serious", "critical")]


def _choose_language(page, code, html_lang):
    page.evaluate("() => { location.hash = '#/settings'; }")
    page.get_by_test_id(f"lang-{code}").click()
    page.wait_for_function("(l) => document.documentElement.lang === l", arg=html_lang, timeout=TIMEOUT)
    expect(page.get_by_test_id(f"lang-{code}")).to_have_attribute("aria-pressed", "true", timeout=TIMEOUT)
    expect(page.get_by_test_id("logout")).to_be_visible(timeout=TIMEOUT)


def test_every_menu_entry_stays_on_screen_for_every_role_language_and_size(browser, server):
    ctx = browser.new_context(base_url=server.url, locale="en-GB", timezone_id="UTC", has_touch=True,
                              viewport={"width": 1280, "height": 800}, service_workers="block")
    problems = []
    try:
        page = ctx.new_page()
        for username, first_screen in ROLES:
            page.set_viewport_size({"width": 1280, "height": 800})
            sign_in(page, username)
            expect(page.get_by_test_id(first_screen)).to_be_visible(timeout=TIMEOUT)
            if first_screen == "post-submit":  # a nurse works at a post: its Residents link joins her menu
                page.get_by_test_id("post-submit").click()
                expect(page.get_by_test_id("nav-home")).to_be_visible(timeout=TIMEOUT)
            for code, html_lang in LANGUAGES:
                _choose_language(page, code, html_lang)
                for width, height in SIZES:
                    page.set_viewport_size({"width": width, "height": height})
                    page.wait_for_function("() => new Promise((r) => requestAnimationFrame(() => r(true)))")
                    found = page.evaluate(OUTSIDE)
                    assert found["count"] >= 3 and "logout" in found["ids"] and "nav-settings" in found["ids"], found
                    if found["bad"] or found["sideways"] > 0:
                        problems.append((username, code, f"{width}x{height}", found["bad"], found["sideways"]))
                    if (code, width) == ("ru", 390):
                        violations = _axe_menu(page)
                        if violations:
                            problems.append((username, code, f"{width}x{height}", "axe", violations))
            page.evaluate("() => { location.hash = '#/logout'; }")
            expect(page.get_by_test_id("login-username")).to_be_visible(timeout=TIMEOUT)
    finally:
        ctx.close()
    assert problems == []
