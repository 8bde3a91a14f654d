"""The station head's people at home (issue 18, section 3; frontend/views/people_at_home.js), in one page session:
her station's people listed and searched; a person's address changed, the API's refusal of another field shown
beside it first; a new home code shown once; her service sheet printed with that code (a wrong code refused beside
the field; the PDF asked with the code and the chosen language, and downloaded); her contract ended and a new one
made (the API's refusal of the subsidy beside it), the month's card made from it; a catalogue price changed (a bad
one refused beside it); axe-clean with 44 px targets in landscape and portrait, and in Chinese.

Her browser keeps another zone (São Paulo) than the home's (Asia/Shanghai): the days the screen proposes are the
home's."""
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from .conftest import COMMUNITY, server_after
from .pages import TIMEOUT, api_session, sign_in
from .test_screens import LANDSCAPE, PORTRAIT, check_screen

HOME_ZONE = ZoneInfo("Asia/Shanghai")
BROWSER_ZONE = "America/Sao_Paulo"
SIX_DIGITS = re.compile(r"^\d{6}$")
DISPATCHER = "dispatch1"  # the demo community's station head (backend/demo/community.py; tests/browser/test_dispatch)


@pytest.fixture
def centre(tmp_path, seeded_demo):
    with server_after(tmp_path, seeded_demo, COMMUNITY) as pair:
        yield pair


def both_ways(page, name):
    for size, label in ((PORTRAIT, "portrait"), (LANDSCAPE, "landscape")):
        page.set_viewport_size(size)
        check_screen(page, f"{name} ({label})")


def save(dialog):
    dialog.get_by_test_id("btn-save").click()


def test_people_at_home(browser, centre):
    server, ids = centre
    url, station, people = server.url, ids["station"], ids["people"]
    head = api_session(url, DISPATCHER)
    assert head.patch(f"{url}/api/auth/me", json={"locale": "en"}, timeout=10).status_code == 200
    listed = head.get(f"{url}/api/homecare/people", params={"unit_id": station}, timeout=10).json()
    person = next(p for p in listed if p["id"] == people[1])
    other = next(p for p in listed if p["id"] != person["id"])
    home_today = datetime.now(UTC).astimezone(HOME_ZONE).date()

    context = browser.new_context(base_url=url, locale="en-GB", timezone_id=BROWSER_ZONE, viewport=LANDSCAPE,
                                  has_touch=True, service_workers="block", accept_downloads=True)
    page = context.new_page()
    sign_in(page, DISPATCHER, language="en")
    page.get_by_test_id("nav-people").click()

    # The list: every person of her station, with whether a contract is in force; the search narrows it.
    rows = page.locator("[data-testid^='person-row-']")
    expect(rows).to_have_count(len(people), timeout=TIMEOUT)
    row = page.get_by_test_id(f"person-row-{person['id']}")
    expect(row).to_have_attribute("data-contract", "yes")
    expect(row).to_contain_text(person["address"])
    both_ways(page, "people at home")
    page.get_by_test_id("people-search").fill(person["full_name"])
    expect(rows).to_have_count(1)
    expect(page.get_by_test_id(f"person-row-{other['id']}")).to_have_count(0)
    page.get_by_test_id("people-search").fill(person["phone"])
    expect(row).to_be_visible()
    page.get_by_test_id("people-search").fill("")
    expect(rows).to_have_count(len(people))
    row.click()

    # Her details: a new address with a phone number the API refuses -- shown beside the phone, nothing saved; then
    # the phone put right, and both are saved.
    expect(page.get_by_role("heading", level=1)).to_have_text(person["full_name"], timeout=TIMEOUT)
    address = page.get_by_test_id("person-address")
    expect(address).to_have_value(person["address"])
    address.fill("7 Riverside Lane, flat 12")
    page.get_by_test_id("person-phone").fill("call her")
    page.get_by_test_id("person-save").click()
    expect(page.locator("#person-phone-msg")).to_contain_text("phone number", timeout=TIMEOUT)
    expect(page.get_by_test_id("person-phone")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#person-address-msg")).to_be_empty()
    stored = head.get(f"{url}/api/homecare/people/{person['id']}", timeout=10).json()
    assert stored["address"] == person["address"] and stored["phone"] == person["phone"]
    page.get_by_test_id("person-phone").fill("0471-555 1234")
    page.get_by_test_id("person-save").click()
    expect(page.get_by_test_id("person-details")).to_contain_text("Her details are saved.", timeout=TIMEOUT)
    expect(page.locator("#person-phone-msg")).to_be_empty()
    stored = head.get(f"{url}/api/homecare/people/{person['id']}", timeout=10).json()
    assert (stored["address"], stored["phone"]) == ("7 Riverside Lane, flat 12", "0471-555 1234")

    # A new home code: asked first, then shown once, in large digits.
    page.get_by_test_id("person-new-code").click()
    confirm = page.get_by_test_id("dialog-confirm")
    expect(confirm).to_be_visible(timeout=TIMEOUT)
    save(confirm)
    value = page.get_by_test_id("home-code-value")
    expect(value).to_have_text(SIX_DIGITS, timeout=TIMEOUT)
    code = value.inner_text().strip()
    expect(page.get_by_test_id("person-has-code")).to_contain_text("She has a home code")
    both_ways(page, "a person, her new code")

    # Her service sheet with that code: her home's language proposed, English chosen; a wrong code refused beside
    # the field; the right one prints -- a PDF, asked for with the code (in the body, never the URL).
    page.get_by_test_id("home-code-print").click()
    sheet = page.get_by_test_id("dialog-sheet")
    expect(sheet).to_be_visible(timeout=TIMEOUT)
    expect(sheet.get_by_test_id(f"sheet-lang-{person['lang']}")).to_have_attribute("aria-checked", "true")
    expect(sheet.get_by_test_id("sheet-code")).to_have_value(code)
    check_screen(page, "the sheet's dialog")
    sheet.get_by_test_id("sheet-lang-en").click()
    wrong = "0000"  # a generated code has six digits
    sheet.get_by_test_id("sheet-code").fill(wrong)
    save(sheet)
    expect(page.locator("#sheet-code-msg")).to_contain_text("does not match", timeout=TIMEOUT)
    expect(sheet.get_by_test_id("sheet-code")).to_have_attribute("aria-invalid", "true")
    sheet.get_by_test_id("sheet-code").fill(code)
    with page.expect_download(timeout=60_000) as download, \
            page.expect_response(lambda r: r.url.endswith(f"/api/homecare/people/{person['id']}/sheet.pdf"),
                                 timeout=60_000) as answer:
        save(sheet)
    response = answer.value
    assert response.status == 200 and response.headers["content-type"].startswith("application/pdf")
    assert response.request.post_data_json == {"lang": "en", "code": code}
    assert code not in response.url
    assert download.value.suggested_filename.endswith(".pdf")
    expect(sheet).to_be_hidden(timeout=TIMEOUT)
    expect(page.get_by_test_id("sheet-open")).to_have_attribute("href", re.compile(r"^blob:"))

    # Shown once: gone when she is done, and after a reload; the API never gives it.
    page.get_by_test_id("home-code-done").click()
    expect(page.get_by_test_id("home-code")).to_have_count(0)
    page.reload()
    expect(page.get_by_test_id("person-has-code")).to_contain_text("She has a home code", timeout=TIMEOUT)
    expect(page.get_by_test_id("home-code-value")).to_have_count(0)
    assert code not in page.content()
    assert "code" not in head.get(f"{url}/api/homecare/people/{person['id']}", timeout=10).json()

    # Her contract ended today (the home's day proposed), a new one from tomorrow: a subsidy the API refuses is shown
    # beside it; then it is saved with its service twice a week at two times.
    current = person["contract"]["id"]
    page.get_by_test_id(f"contract-end-{current}").click()
    end = page.get_by_test_id("dialog-contract-end")
    expect(end).to_be_visible(timeout=TIMEOUT)
    expect(end.get_by_test_id("contract-end-day")).to_have_attribute("data-iso", home_today.isoformat())
    save(end)
    expect(end).to_be_hidden(timeout=TIMEOUT)
    page.get_by_test_id("contract-new").click()
    form = page.get_by_test_id("dialog-contract")
    expect(form).to_be_visible(timeout=TIMEOUT)
    tomorrow = (home_today + timedelta(days=1)).isoformat()
    expect(form.get_by_test_id("contract-starts")).to_have_attribute("data-iso", tomorrow)
    form.get_by_test_id("contract-funding").select_option("ltc_insurance")
    form.get_by_test_id("contract-subsidy").fill("a lot")
    form.get_by_test_id("contract-agreement").fill(home_today.isoformat())
    form.get_by_test_id("item-times-0").fill("10:00, 16:30")
    form.get_by_test_id("item-dow-0-2").check()
    form.get_by_test_id("item-dow-0-5").check()
    check_screen(page, "the contract's dialog")
    save(form)
    expect(page.locator("#contract-subsidy-msg")).not_to_be_empty(timeout=TIMEOUT)
    expect(form.get_by_test_id("contract-subsidy")).to_have_attribute("aria-invalid", "true")
    form.get_by_test_id("contract-subsidy").fill("250")
    save(form)
    expect(form).to_be_hidden(timeout=TIMEOUT)
    made = head.get(f"{url}/api/homecare/people/{person['id']}/contracts", timeout=10).json()
    new = made[0]
    assert new["id"] != current and new["starts_on"] == tomorrow and new["funding"] == "ltc_insurance"
    assert new["monthly_subsidy"] == "250.00" and new["agreement_signed_on"] == home_today.isoformat()
    assert [(i["schedule"], i["days_of_week"]) for i in new["items"]] == [({"times": ["10:00", "16:30"]}, [2, 5])]
    assert next(c for c in made if c["id"] == current)["ends_on"] == home_today.isoformat()
    expect(page.get_by_test_id(f"contract-{new['id']}")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id(f"contract-end-{current}")).to_have_count(0)

    # This month's card from her contracts, a draft.
    page.get_by_test_id("contract-card").click()
    card = page.get_by_test_id("dialog-card")
    expect(card).to_be_visible(timeout=TIMEOUT)
    expect(card.get_by_test_id("card-month-this")).to_have_attribute("aria-checked", "true")
    save(card)
    result = page.get_by_test_id("card-result").locator("[data-status]")
    expect(result).to_have_attribute("data-status", "draft", timeout=TIMEOUT)
    assert int(result.get_attribute("data-items")) >= 1
    both_ways(page, "a person, her contracts")

    # The catalogue: a price with three decimals refused beside it, then changed.
    services = head.get(f"{url}/api/homecare/catalogue", timeout=10).json()
    service = next(s for s in services if s["active"])
    page.get_by_test_id("person-back").click()
    page.get_by_test_id("people-tab-catalogue").click()
    edit = page.get_by_test_id(f"service-edit-{service['id']}")
    expect(edit).to_be_visible(timeout=TIMEOUT)
    both_ways(page, "the catalogue")
    edit.click()
    dialog = page.get_by_test_id("dialog-service")
    expect(dialog).to_be_visible(timeout=TIMEOUT)
    dialog.get_by_test_id("service-price").fill("12.345")
    save(dialog)
    expect(page.locator("#service-price-msg")).not_to_be_empty(timeout=TIMEOUT)
    dialog.get_by_test_id("service-price").fill("45.5")
    save(dialog)
    expect(dialog).to_be_hidden(timeout=TIMEOUT)
    expect(page.get_by_test_id(f"service-price-{service['id']}")).to_contain_text("45.50", timeout=TIMEOUT)
    assert next(s for s in head.get(f"{url}/api/homecare/catalogue", timeout=10).json()
                if s["id"] == service["id"])["price"] == "45.50"

    # In Chinese: her language chosen in Settings; the catalogue and the person's screen in it, as clean.
    page.get_by_test_id("nav-settings").click()
    page.get_by_test_id("lang-zh_Hans").click()
    page.wait_for_function("() => document.documentElement.lang === 'zh-Hans'")
    page.get_by_test_id("nav-people").click()
    page.get_by_test_id("people-tab-catalogue").click()
    expect(page.get_by_test_id(f"service-edit-{service['id']}")).to_have_text("修改", timeout=TIMEOUT)
    both_ways(page, "the catalogue, in Chinese")
    page.evaluate(f"location.hash = '#/people/{person['id']}'")
    expect(page.get_by_test_id(f"contract-{new['id']}")).to_be_visible(timeout=TIMEOUT)
    both_ways(page, "a person, in Chinese")
    context.close()
