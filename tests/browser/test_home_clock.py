"""One clock for people, the home's (issue 16, finding 1): every time a person reads is on the demo home's clock
(Asia/Krasnoyarsk, UTC+7) whatever the device's zone, and the screen names the home's zone once where the device's
differs. The browsers run in UTC and in America/New_York (west of UTC: there the home's day is often the device's
tomorrow), and every check is made right after sign-in, after a reload and after a change of language: the run that
found the bug read a tick made at 06:43 as 'at 23:43' until a reload, and the day review seven hours late after one.

What the tablet shows is computed here from the moments around each action, on the home's clock (Python's zoneinfo),
never from the browser's."""
import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from backend.demo import TIMEZONE

from .pages import TIMEOUT, expect_pending, open_post, open_resident, sign_in, tick_done
from ..conftest import LOGINS

HOME = ZoneInfo(TIMEZONE)
#: The devices' zones: UTC, and one west of UTC whose date is often a day behind the home's.
DEVICE_ZONES = ["UTC", "America/New_York"]


def now():
    return datetime.now(timezone.utc)


def home_times(start, end):
    """A regular expression matching any home-clock 'HH:MM' between two moments (an action takes a few seconds)."""
    times, t = [], start.replace(second=0, microsecond=0)
    while t <= end + timedelta(seconds=1):
        times.append(t.astimezone(HOME).strftime("%H:%M"))
        t += timedelta(minutes=1)
    return re.compile("|".join(rf"(?<!\d){re.escape(x)}(?!\d)" for x in dict.fromkeys(times)))


def home_day_and_time(start, end):
    """en-GB medium date and short time on the home's clock ('5 Dec 2026, 14:43') for a moment between the two."""
    found, t = [], start.replace(second=0, microsecond=0)
    while t <= end + timedelta(seconds=1):
        local = t.astimezone(HOME)
        found.append(f"{local.day} {local:%b} {local.year}, {local:%H:%M}")
        t += timedelta(minutes=1)
    return re.compile("|".join(re.escape(x) for x in dict.fromkeys(found)))


def open_device(new_context, zone, portrait=True):
    page = new_context(timezone_id=zone, portrait=portrait).new_page()
    page.goto("/")
    assert page.evaluate("() => Intl.DateTimeFormat().resolvedOptions().timeZone") == zone
    return page


def expect_zone_note(page):
    """The screen names the home's zone once: the device keeps another zone's time."""
    note = page.get_by_test_id("zone-note")
    expect(note).to_be_visible(timeout=TIMEOUT)
    expect(note).to_have_attribute("data-zone", TIMEZONE)
    expect(note).to_contain_text("GMT+7")


def nurse_ticks(new_context, zone):
    """A nurse on a tablet in `zone` signs in, opens her post and the first resident, and ticks the first open slot.
    Returns (page, resident id, the cell's test id, the moment before the tick, a pattern of the home-clock times
    the tick may show)."""
    page = open_device(new_context, zone)
    sign_in(page, LOGINS.nurse1)
    open_post(page)
    resident_id = open_resident(page, 0)
    before = now()
    key = tick_done(page)
    made = home_times(before, now())
    # on the server before anyone reads it there (the header's count may still read 0 before it has counted the tick)
    expect(page.get_by_test_id(key).locator("[data-testid^='entry-state-']")).to_have_attribute(
        "data-state", "synced", timeout=TIMEOUT)
    return page, resident_id, key, before, made


@pytest.mark.parametrize("zone", DEVICE_ZONES)
def test_the_nurse_reads_the_home_clock(server, new_context, zone):
    """views/resident.js (the byline of a tick) and views/header.js (last sync), right after sign-in and after a
    reload."""
    page, _resident, key, before, made = nurse_ticks(new_context, zone)
    byline = page.get_by_test_id(key).locator(".byline")
    expect(byline).to_contain_text(made, timeout=TIMEOUT)
    expect_zone_note(page)
    expect_pending(page, 0)
    expect(page.get_by_test_id("sync-last")).to_contain_text(home_times(before, now()), timeout=TIMEOUT)
    page.reload()
    expect(page.get_by_test_id(key).locator(".byline")).to_contain_text(made, timeout=TIMEOUT)
    expect_zone_note(page)


@pytest.mark.parametrize("zone", DEVICE_ZONES)
def test_the_supervisor_reads_the_home_clock(server, new_context, zone):
    """views/supervisor.js: an entry's time and the day's confirmation (its date too: the run read 'Confirmed … at
    4 Dec 2026, 23:44' for the 5 December day) right after sign-in, after a reload and after a change of language."""
    nurse, resident_id, key, _before, made = nurse_ticks(new_context, zone)
    expect_pending(nurse, 0)
    sup = open_device(new_context, zone, portrait=False)
    sign_in(sup, LOGINS.supervisor1)
    cell = sup.get_by_test_id(f"sup-cell-{resident_id}-{key.removeprefix('cell-')}")
    expect(cell).to_contain_text(made, timeout=TIMEOUT)
    expect_zone_note(sup)

    before = now()
    sup.get_by_test_id("sup-confirm-day").click()
    sup.get_by_test_id("dialog-confirm").get_by_test_id("btn-save").click()
    expect(sup.get_by_test_id("sup-locked")).to_be_visible(timeout=TIMEOUT)
    confirmed = home_day_and_time(before, now())
    expect(sup.get_by_test_id("sup-locked")).to_contain_text(confirmed)

    sup.reload()
    expect(cell).to_contain_text(made, timeout=TIMEOUT)
    expect(sup.get_by_test_id("sup-locked")).to_contain_text(confirmed, timeout=TIMEOUT)

    sup.get_by_test_id("nav-settings").click()
    sup.get_by_test_id("lang-ru").click()
    expect(sup.locator("html")).to_have_attribute("lang", "ru", timeout=TIMEOUT)
    sup.get_by_test_id("nav-supervisor").click()
    expect(cell).to_contain_text(made, timeout=TIMEOUT)
    expect(sup.get_by_test_id("sup-locked")).to_contain_text(home_times(before, now()))
    expect_zone_note(sup)
    sup.reload()
    expect(cell).to_contain_text(made, timeout=TIMEOUT)


@pytest.mark.parametrize("zone", DEVICE_ZONES)
def test_the_confirmation_reads_the_home_clock_on_the_tablet(server, new_context, zone):
    """views/resident.js: the lock notice ('Confirmed by … at 14:44') after the confirmation reaches the tablet."""
    nurse, _resident, _key, _before, _made = nurse_ticks(new_context, zone)
    expect_pending(nurse, 0)
    sup = open_device(new_context, zone, portrait=False)
    sign_in(sup, LOGINS.supervisor1)
    before = now()
    sup.get_by_test_id("sup-confirm-day").click()
    sup.get_by_test_id("dialog-confirm").get_by_test_id("btn-save").click()
    expect(sup.get_by_test_id("sup-locked")).to_be_visible(timeout=TIMEOUT)
    confirmed = home_times(before, now())
    nurse.get_by_test_id("sync-now").click()
    expect(nurse.get_by_test_id("lock-notice")).to_contain_text(confirmed, timeout=TIMEOUT)
    nurse.reload()
    expect(nurse.get_by_test_id("lock-notice")).to_contain_text(confirmed, timeout=TIMEOUT)


# --- dates in the user's language (finding 10) and Chinese dates kept whole (finding 8) ---------------------------

#: The language's pattern of a date (lib/dateinput.js, from Intl): how each language writes 5 December 2026.
DATE_TEXT = {"ru": ("%d.%m.%Y", "ДД.ММ.ГГГГ"), "en": ("%d/%m/%Y", "DD/MM/YYYY"), "zh_Hans": ("%Y/%m/%d", "YYYY/MM/DD")}


@pytest.mark.parametrize("language", ["ru", "zh_Hans"])
def test_a_date_is_typed_and_shown_in_her_language(server, new_context, language):
    """The day review's day (views/supervisor.js, lib/dateinput.js): in the user's language, not the browser's (the
    browser here is English, in New York); typed in that pattern it chooses the day, a wrong date is refused."""
    pattern, placeholder = DATE_TEXT[language]
    sup = open_device(new_context, "America/New_York", portrait=False)
    sign_in(sup, LOGINS.supervisor1, language=language)
    day = sup.get_by_test_id("sup-day")
    expect(day).to_be_visible(timeout=TIMEOUT)
    today = datetime.now(HOME).date()
    expect(day).to_have_value(today.strftime(pattern))
    expect(day).to_have_attribute("placeholder", placeholder)
    yesterday = today - timedelta(days=1)
    with sup.expect_request(lambda r: f"/days/{yesterday.isoformat()}" in r.url, timeout=TIMEOUT):
        day.fill(yesterday.strftime(pattern))
        day.press("Enter")
        day.blur()
    expect(day).to_have_attribute("data-iso", yesterday.isoformat())
    expect(day).to_have_value(yesterday.strftime(pattern))
    day.fill("31.02.2026" if language == "ru" else "2026/02/31")
    assert day.evaluate("(el) => el.validity.valid") is False
    assert placeholder in day.evaluate("(el) => el.validationMessage")
    later = today + timedelta(days=3)  # after today: the day review refuses it as the date input's max did
    day.fill(later.strftime(pattern))
    assert day.evaluate("(el) => el.validity.valid") is False


#: Each text run of a date (a text node) on one line: the number of distinct line tops of its rectangles.
LINES_OF_DATES = """(selector) => [...document.querySelectorAll(selector)].flatMap((el) => [...el.childNodes]
  .filter((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim())
  .map((n) => { const r = document.createRange(); r.selectNodeContents(n);
                const tops = new Set([...r.getClientRects()].map((x) => Math.round(x.top)));
                return {text: n.textContent, lines: tops.size}; }))"""


def test_chinese_dates_wrap_as_whole_units_on_a_phone(server, new_context):
    """The relative's week on a phone in Chinese (views/family.js, css/app.css): '12月7日周一' and '10日周四' are never
    cut between their characters."""
    from .test_family import _an_event_in_two_days
    _an_event_in_two_days(server)
    page = new_context(locale="zh-CN", timezone_id="America/New_York").new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, LOGINS.relative1, language="zh_Hans")
    expect(page.get_by_test_id("family-week")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id("family-event").first).to_be_visible(timeout=TIMEOUT)
    expect_zone_note(page)
    runs = page.evaluate(LINES_OF_DATES, ".family-days .choice, .view-family .cell-time")
    assert runs and all(run["lines"] == 1 for run in runs), runs
