"""The station head's follow-up calls (回访, issue 18, section 3): a visit finished today (its carer's phone pushed the
arrival and the departure) is in the week's sample; in the Follow-up calls tab of her screen -- her browser in another
zone than the home's -- she sees the person, the number to call, the carer and the time, records the call as
confirmed with the home-care satisfaction questionnaire (a question left unanswered is refused by the server and shown
beside it), and the list then shows the result, the score and the band, the call's time on the home's clock. Axe-clean,
44 px targets."""
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests
from playwright.sync_api import expect

from backend.domain import signing

from ..helpers import entry as make_entry
from .conftest import COMMUNITY, server_after
from .pages import TIMEOUT, api_session, sign_in
from .test_screens import LANDSCAPE, check_screen

HOME_ZONE = ZoneInfo("Asia/Shanghai")
BROWSER_ZONE = "America/Sao_Paulo"  # 11 hours behind the home
QUESTIONS = ("punctual", "as_agreed", "manner", "clean_safe", "listened", "overall")


@pytest.fixture
def centre(tmp_path, seeded_demo):
    with server_after(tmp_path, seeded_demo, COMMUNITY) as pair:
        yield pair


def finish_a_visit(url, head, station, person, carer, start_at):
    """A visit added for `start_at` (the home's clock), assigned to the carer, arrived at and left from her phone
    (signed entries); returns its id."""
    day = start_at.date().isoformat()
    made = head.post(f"{url}/api/visits", json={"resident_id": person, "day": day,
                                                "start_time": start_at.strftime("%H:%M"), "planned_minutes": 30},
                     timeout=10)
    assert made.status_code == 201, made.text
    visit = made.json()["id"]
    assert head.post(f"{url}/api/visits/{visit}/assign", json={"carer_ids": [carer]}, timeout=10).status_code == 200
    phone = requests.Session()
    phone.headers.update({"X-Bedside": "1"})
    login = phone.post(f"{url}/api/auth/login", json={"username": "carer1", "password": "demo",
                                                      "device_id": "carer1-phone"}, timeout=10).json()
    key = login["signing_key"]
    entries = []
    for n, (status, minutes, extra) in enumerate((("arrived", 1, {}), ("left", 30, {"confirmed_by": "person"})), 1):
        at = (start_at + timedelta(minutes=minutes)).isoformat(timespec="seconds")
        e = make_entry(person, carer, day=day, kind="visit", device_id="carer1-phone", client_seq=n, device_time=at,
                       status=status, values=dict({"visit_id": visit, "presence": "none",
                                                   "presence_reason": "no_code"}, **extra))
        e["key_id"] = key["id"]
        e["sig"] = signing.sign(signing.decode_key(key["secret"]), e)
        entries.append(e)
    now = datetime.now(UTC).astimezone(HOME_ZONE).isoformat(timespec="seconds")
    pushed = phone.post(f"{url}/api/sync/push", json={"device_id": "carer1-phone", "entries": entries,
                                                      "device_now": now}, timeout=10)
    assert pushed.status_code == 200, pushed.text
    assert [r["status"] for r in pushed.json()["results"]] == ["accepted", "accepted"], pushed.text
    return visit


def test_the_dispatcher_records_a_follow_up_call_with_the_questionnaire(browser, centre):
    server, ids = centre
    url, station, staff, people = server.url, ids["station"], ids["staff"], ids["people"]
    start_at = (datetime.now(UTC) - timedelta(minutes=90)).astimezone(HOME_ZONE).replace(second=0, microsecond=0)
    day = start_at.date()
    monday = (day - timedelta(days=day.weekday())).isoformat()
    head = api_session(url, "dispatch1")
    assert head.patch(f"{url}/api/auth/me", json={"locale": "en"}, timeout=10).status_code == 200
    mine = finish_a_visit(url, head, station, people[0], staff["carer1"], start_at)
    sample = head.get(f"{url}/api/visits/follow-ups", params={"unit_id": station, "week_start": monday},
                      timeout=10).json()
    assert sample["finished"] >= 1 and sample["sample_size"] >= 1
    # the sample is drawn at random from the week's finished visits: ours, unless the demo finished others too
    chosen = [v for v in sample["visits"] if v["in_sample"]]
    visit = next((v for v in chosen if v["id"] == mine), chosen[0])
    target = visit["id"]

    context = browser.new_context(base_url=url, locale="en-GB", timezone_id=BROWSER_ZONE, viewport=LANDSCAPE,
                                  has_touch=True, service_workers="block")
    page = context.new_page()
    sign_in(page, "dispatch1", language="en")
    expect(page.get_by_test_id("dispatch-tab-follow_ups")).to_be_visible(timeout=TIMEOUT)
    page.get_by_test_id("dispatch-day").fill(day.isoformat())
    page.get_by_test_id("dispatch-day").press("Tab")
    page.get_by_test_id("dispatch-tab-follow_ups").click()
    expect(page.get_by_test_id("dispatch-tab-follow_ups")).to_have_attribute("aria-pressed", "true")

    # the week's sample: the person, her number as a link to call, the carer, the time; not called yet
    week = page.get_by_test_id("followup-week")
    expect(week).to_have_attribute("data-sample", str(sample["sample_size"]), timeout=TIMEOUT)
    row = page.get_by_test_id(f"followup-{target}")
    expect(row).to_have_attribute("data-result", "")
    expect(row).to_contain_text(visit["person"]["full_name"])
    expect(row).to_contain_text(visit["start_time"])
    expect(row).to_contain_text(visit["carers"][0]["full_name"])
    expect(page.get_by_test_id(f"followup-phone-{target}")).to_have_attribute("href",
                                                                              "tel:" + visit["person"]["phone"])
    expect(page.get_by_test_id(f"followup-result-{target}")).to_contain_text("Not called yet")
    check_screen(page, "follow-up calls")

    # the call: its result is required; the questionnaire appears for a call that reached someone
    page.get_by_test_id(f"followup-record-{target}").click()
    dialog = page.get_by_test_id("dialog-follow-up")
    expect(dialog).to_be_visible(timeout=TIMEOUT)
    questions = dialog.get_by_test_id("followup-questions")
    expect(questions).to_be_hidden()
    dialog.get_by_test_id("btn-save").click()
    expect(dialog.locator("#followup-result-msg")).to_contain_text("Choose the call's result.")
    dialog.get_by_test_id("followup-call-unreachable").click()
    expect(questions).to_be_hidden()
    dialog.get_by_test_id("followup-call-confirmed").click()
    expect(questions).to_be_visible()
    expect(dialog.get_by_test_id("followup-call-confirmed")).to_have_attribute("aria-checked", "true")
    for qid in QUESTIONS[:-1]:
        dialog.get_by_test_id(f"followup-ans-{qid}-satisfied").click()
    dialog.get_by_test_id("followup-ans-manner-partly").click()  # she changes her answer
    dialog.get_by_test_id("followup-note").fill("her daughter answered")
    # one question left: the server refuses naming it, and the message is beside it
    dialog.get_by_test_id("btn-save").click()
    expect(dialog.get_by_test_id("followup-error-overall")).to_contain_text("an answer is required",
                                                                           timeout=TIMEOUT)
    expect(dialog.get_by_test_id("followup-error-punctual")).to_be_empty()
    check_screen(page, "follow-up call dialog with the server's refusal")
    dialog.get_by_test_id("followup-ans-overall-satisfied").click()
    dialog.get_by_test_id("btn-save").click()
    expect(dialog).to_be_hidden(timeout=TIMEOUT)

    # the list: the result, the score and the band; the time on the home's clock
    expect(row).to_have_attribute("data-result", "confirmed", timeout=TIMEOUT)
    expect(row).to_have_attribute("data-band", "satisfied")
    result = page.get_by_test_id(f"followup-result-{target}")
    expect(result).to_contain_text("Confirmed")
    expect(result).to_contain_text("11 of 12 points")
    expect(result).to_contain_text("her daughter answered")
    expect(row).to_contain_text("Satisfaction: Satisfied")
    stored = head.get(f"{url}/api/visits/follow-ups", params={"unit_id": station, "week_start": monday},
                      timeout=10).json()
    call = next(v for v in stored["visits"] if v["id"] == target)["calls"][-1]
    assert call["answers"] == dict(dict.fromkeys(QUESTIONS, "satisfied"), manner="partly")
    assert (call["score"]["total"], call["score"]["band"]) == (11, "satisfied")
    assert call["called_at"].endswith("+08:00")
    expect(result).to_contain_text(call["called_at"][11:16])  # hh:mm of the home's clock, not the browser's
    context.close()
