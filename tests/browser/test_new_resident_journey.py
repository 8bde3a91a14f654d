"""Issue 4's whole chain in one browser run: a planner admits a new resident, assesses her on a tablet (the
observation form and MMSE), takes the care group the app suggests, writes the care plan, generates this month's
card from it and publishes it; a nurse at the duty post then records on that card through a real outage, and the
entry reaches the server exactly once."""
import json
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect

from .conftest import axe_violations
from .pages import TIMEOUT, expect_pending, open_post, sign_in
from .test_care_plan import _add_service
from ..conftest import DEMO_PASSWORD, LOGINS

pytestmark = pytest.mark.browser
FORMS = Path(__file__).resolve().parents[2] / "frontend" / "forms"
NAME = "Лаврентьева Зоя Ивановна"


def _questions(form_id):
    definition = json.loads((FORMS / f"{form_id}.json").read_text(encoding="utf-8"))
    return [q for section in definition["sections"] for q in section["questions"]]


def _fill(page, form_id, rating=None, number=None):
    """Answer every question of a form the way a planner would tap it: ratings and short number ranges as
    buttons (the given level, or a number's maximum), the first option of a choice, yes to yes/no questions, text
    where it is required."""
    for q in _questions(form_id):
        if page.get_by_test_id(f"q-{q['id']}").get_attribute("data-shown") == "false":
            continue
        if q["type"] == "rating":
            page.get_by_test_id(f"ans-{q['id']}-{rating}").click()
        elif q["type"] == "number":
            value = q["max"] if number is None else min(q["max"], number)
            button = page.get_by_test_id(f"ans-{q['id']}-{value}")
            if button.count():
                button.click()
            else:
                page.get_by_test_id(f"ans-{q['id']}").fill(str(value))
        elif q["type"] == "choice":
            page.get_by_test_id(f"ans-{q['id']}-{q['options'][0]['value']}").click()
        elif q["type"] == "yes_no":
            page.get_by_test_id(f"ans-{q['id']}-yes").click()
        elif q["type"] == "text" and q.get("required"):
            page.get_by_test_id(f"ans-{q['id']}").fill("—")


def _session(server, username):
    s = requests.Session()
    s.headers.update({"X-Bedside": "1"})
    assert s.post(f"{server.url}/api/auth/login", json={"username": username, "password": DEMO_PASSWORD},
                  timeout=10).status_code == 200
    return s


def test_a_new_resident_from_first_assessment_to_a_card_ticked_offline(server, new_context):
    planner = new_context(portrait=False).new_page()
    sign_in(planner, LOGINS.planner1)
    expect(planner.get_by_test_id("board-admit")).to_be_visible(timeout=TIMEOUT)  # the planner starts here

    # Admission: the new resident is on the board as never assessed.
    planner.get_by_test_id("board-admit").click()
    dialog = planner.get_by_test_id("dialog-admit")
    dialog.get_by_test_id("admit-name").fill(NAME)
    dialog.get_by_test_id("admit-birth").fill("1940-03-08")
    dialog.get_by_test_id("admit-room").fill("103")  # one of the demo's rooms, its free bed
    dialog.get_by_test_id("admit-bed").fill("3")
    dialog.get_by_test_id("btn-save").click()
    row = planner.locator("[data-testid^='board-row-']", has_text=NAME)
    expect(row).to_have_attribute("data-status", "never_assessed", timeout=TIMEOUT)
    resident_id = int(row.get_attribute("data-testid").rsplit("-", 1)[1])

    # Assessments on the tablet, at the duty post, as entries through the outbox.
    planner.get_by_test_id("nav-posts").click()
    open_post(planner, residents=13)
    planner.goto(f"/#/assess/{resident_id}/adl_observation")
    expect(planner.get_by_test_id("assess-form")).to_have_attribute("data-form", "adl_observation", timeout=TIMEOUT)
    _fill(planner, "adl_observation", rating=4)  # needs complete help everywhere
    planner.get_by_test_id("btn-save-assessment").click()  # back on the forms, the result beside its form
    expect(planner.get_by_test_id("assess-last-adl_observation")).to_be_visible(timeout=TIMEOUT)
    planner.get_by_test_id("assess-open-mmse").click()
    expect(planner.get_by_test_id("assess-form")).to_have_attribute("data-form", "mmse", timeout=TIMEOUT)
    _fill(planner, "mmse", number=1)
    expect(planner.get_by_test_id("assess-band")).to_be_visible()
    mmse_total = int(planner.get_by_test_id("assess-total").get_attribute("data-total"))
    planner.get_by_test_id("btn-save-assessment").click()
    expect(planner.get_by_test_id("assess-list")).to_be_visible(timeout=TIMEOUT)
    expect_pending(planner, 0)
    stored = {a["form_id"]: a for a in _session(server, LOGINS.supervisor1).get(
        f"{server.url}/api/assessments", params={"resident_id": resident_id}, timeout=10).json()}
    assert set(stored) == {"adl_observation", "mmse"}
    assert stored["mmse"]["score"]["total"] == mmse_total  # the server's own score equals the tablet's

    # The care group: the suggestion, with its reasons, taken by a person.
    planner.goto(f"/#/group/{resident_id}")
    suggestion = planner.get_by_test_id("group-suggestion")
    expect(suggestion).to_have_attribute("data-group", "4", timeout=TIMEOUT)
    planner.get_by_test_id("group-use-suggestion").click()
    planner.get_by_test_id("group-reason-choice-initial").click()
    planner.get_by_test_id("group-ground-self_care_lost").check()  # the grounds, from group IV's definition
    planner.get_by_test_id("group-ground-mobility_lost").check()
    planner.get_by_test_id("group-save").click()
    expect(planner.get_by_test_id("group-current")).to_have_attribute("data-group", "4", timeout=TIMEOUT)
    expect(planner.locator("[data-testid^='group-history-']")).to_have_count(1)
    assert axe_violations(planner) == []

    # The care plan: two services; then this month's card from it, reviewed and published.
    planner.goto(f"/#/plan/{resident_id}")
    expect(planner.get_by_test_id("plan-version-line")).to_contain_text("No plan yet", timeout=TIMEOUT)
    _add_service(planner, "mobility", "Поворот в постели", "every_2_hours", "mobility")
    _add_service(planner, "sleep_leisure", "Прогулка в кресле-коляске", "as_needed", "leisure")
    planner.get_by_test_id("plan-note").fill("Первая версия")
    planner.get_by_test_id("btn-save-plan").click()
    expect(planner.get_by_test_id("plan-version-line")).to_contain_text("Version 1", timeout=TIMEOUT)
    planner.goto(f"/#/cards/{resident_id}")
    planner.get_by_test_id("cards-generate").click()  # the month offered is this one: she has no card yet
    expect(planner.locator("[data-testid^='card-item-'][data-plan]")).to_have_count(2, timeout=TIMEOUT)
    planner.get_by_test_id("btn-publish").click()
    planner.get_by_test_id("dialog-confirm").get_by_test_id("btn-save").click()
    expect(planner.get_by_test_id("btn-publish")).to_be_hidden(timeout=TIMEOUT)

    # The nurse's tablet receives the card and records on it with the server down.
    nurse = new_context().new_page()
    sign_in(nurse, LOGINS.nurse1)
    open_post(nurse, residents=13)
    nurse.get_by_test_id(f"resident-row-{resident_id}").click()
    walk = nurse.locator("[data-testid^='asneeded-']", has_text="Прогулка в кресле-коляске")
    expect(walk).to_be_visible(timeout=TIMEOUT)
    server.stop()
    try:
        walk.get_by_test_id("btn-record").click()
        expect_pending(nurse, 1)
        expect(nurse.locator("[data-testid^='entry-state-']").first).to_have_attribute("data-state", "local")
    finally:
        server.start()
    nurse.get_by_test_id("sync-now").click()
    expect_pending(nurse, 0)
    supervisor = _session(server, LOGINS.supervisor1)
    day = nurse.evaluate("() => import('/lib/session.js').then((m) => m.today())")
    view = supervisor.get(f"{server.url}/api/units/1/days/{day}", timeout=10).json()
    row = next(r for r in view["residents"] if r["resident"]["id"] == resident_id)
    recorded = [c["entry"] for c in row["cells"] if c["entry"]]
    assert [(e["status"], e["author_id"]) for e in recorded] == [("done", recorded[0]["author_id"])]
