"""The planner's board: overdue, due and marked residents; a decision taken from the app's suggestion, on the groups'
definitions and the three assessments side by side, with its grounds, updates the board; admitting a resident puts
them on the board as never assessed."""
import os
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from backend.app import create_app
from backend.domain import care_groups as rules
from backend.domain import forms
from backend.extensions import db
from backend.models import Entry, Resident, User
from backend.services import feed
from backend.services.ids import uuid7

from .conftest import axe_violations
from .pages import TIMEOUT, sign_in
from .test_bedside_loop import HEADERS, _api_session
from ..conftest import LOGINS


def _today():
    return datetime.now(ZoneInfo("Asia/Krasnoyarsk")).date()


def _database_url(server):
    return server.env.get("DATABASE_URL") or "sqlite:///" + os.path.join(server.env["BEDSIDE_INSTANCE"],
                                                                         "bedside.sqlite")


def _prepare(server, residents, today):
    """A condition report's mark and the first assessments for residents[2], written as the server stores them."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": _database_url(server), "SECRET_KEY": "x"})
    with app.app_context():
        planner = User.query.filter_by(username=LOGINS.planner1).one()
        resident = db.session.get(Resident, residents[2])
        resident.needs_reassessment = True
        resident.seq = feed.allocate(db.session, 1)
        observation = {q["id"]: 1 for q in forms.questions(forms.load("adl_observation")) if q["type"] == "rating"}
        observation.update(a25=3, a30=3)
        mmse = {q["id"]: True for q in forms.questions(forms.load("mmse")) if q["type"] == "yes_no"}
        mmse.update(time=5, attention=5, attention_task="serial_sevens")
        for form_id, answers in (("adl_observation", observation), ("mmse", mmse)):
            score = forms.score(forms.load(form_id), answers)
            score.pop("errors")
            seq = feed.allocate(db.session, 1)
            db.session.add(Entry(id=uuid7(), seq=seq, kind="assessment", resident_id=resident.id,
                                 unit_id=resident.unit_id, day=today, author_id=planner.id, device_id="tab-p",
                                 client_seq=seq, device_time=f"{today.isoformat()}T10:00:00+07:00",
                                 received_at=datetime.now(UTC).replace(tzinfo=None), payload_hash="0" * 64, category=form_id,
                                 values=answers, score=score))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("portrait", [False, True], ids=["landscape", "portrait"])
def test_planner_works_the_board(server, new_context, portrait):
    today = _today()
    api = _api_session(server, LOGINS.planner1)
    residents = [r["id"] for r in api.get(server.url + "/api/residents?unit_id=1").json()]
    decisions = [(residents[0], 2, rules.add_months(today, -13)),                                # overdue
                 (residents[1], 1, rules.add_months(today + timedelta(days=10), -18)),           # due
                 (residents[2], 3, rules.add_months(today, -1))]                                 # marked below
    for rid, group, decided in decisions:
        r = api.post(server.url + "/api/care-groups", headers=HEADERS, json={
            "resident_id": rid, "group": group, "decided_on": decided.isoformat(), "reason": "planned",
            "grounds": [rules.GROUNDS[group][0]]})
        assert r.status_code == 201, r.text
    _prepare(server, residents, today)

    page = new_context(portrait=portrait).new_page()
    sign_in(page, LOGINS.planner1)
    row = lambda rid: page.get_by_test_id(f"board-row-{rid}")
    expect(row(residents[0])).to_have_attribute("data-status", "overdue", timeout=TIMEOUT)
    expect(row(residents[1])).to_have_attribute("data-status", "due")
    expect(row(residents[2])).to_have_attribute("data-status", "marked")
    expect(row(residents[3])).to_have_attribute("data-status", "never_assessed")
    expect(row(residents[0])).to_contain_text("Group II")
    expect(page.get_by_test_id("board-count-overdue")).to_have_attribute("data-count", "1")
    first_rows = page.locator("[data-testid^='board-row-']")
    expect(first_rows.first).to_have_attribute("data-status", "overdue")
    assert axe_violations(page) == []
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")

    # the marked resident: the suggestion with its reasons, the team's decision
    page.get_by_test_id(f"board-group-link-{residents[2]}").click()
    suggestion = page.get_by_test_id("group-suggestion")
    expect(suggestion).to_have_attribute("data-group", "2", timeout=TIMEOUT)
    expect(page.get_by_test_id("group-reason-needs_much_help")).to_contain_text("25, 30")
    expect(page.get_by_test_id("group-assessment-mmse")).to_contain_text("30 of 30")
    expect(page.get_by_test_id("group-current")).to_have_attribute("data-group", "3")
    # the tablet's rule (lib/care_group.js) gives the server's group, with the answers it read
    expect(suggestion).to_have_attribute("data-agrees", "true")
    expect(page.get_by_test_id("group-reason-needs_much_help").locator("[data-item='a30']")).to_contain_text(
        "Observation form")
    expect(page.get_by_test_id("group-unseen-behaviour")).to_contain_text("not measured by these forms")
    expect(page.get_by_test_id("group-unseen-no_age_no_barrier")).to_be_visible()
    # the groups in the regulation's words
    expect(page.get_by_test_id("group-definition-3")).to_contain_text("cannot control his or her behaviour")
    expect(page.get_by_test_id("group-definition-1")).to_contain_text("Periodic need for assistance from others")
    # the three assessments side by side: score, band, date and who; the one not done says so
    expect(page.get_by_test_id("group-assessment-adl_observation")).to_contain_text("Help needed with 2 of 29")
    expect(page.get_by_test_id("group-assessment-mmse")).to_have_attribute("data-assessed", "true")
    expect(page.get_by_test_id("group-assessment-mmse")).to_contain_text("no cognitive impairment")
    anb = page.get_by_test_id("group-assessment-age_no_barrier")
    expect(anb).to_have_attribute("data-assessed", "false")
    expect(anb).to_contain_text("Not yet assessed")
    boxes = [page.get_by_test_id(f"group-assessment-{f}").bounding_box()
             for f in ("adl_observation", "mmse", "age_no_barrier")]
    assert boxes[0]["y"] == boxes[1]["y"] == boxes[2]["y"] and boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"], boxes
    assert axe_violations(page) == []
    page.get_by_test_id("group-use-suggestion").click()
    expect(page.get_by_test_id("group-choice-2")).to_have_attribute("aria-checked", "true")
    expect(page.get_by_test_id("group-chosen-definition")).to_contain_text("Regular need for assistance from others")
    page.get_by_test_id("group-reason-choice-unplanned").click()
    page.get_by_test_id("group-note").fill("Team meeting: physician, ward nurse, social rehabilitation specialist.")
    page.get_by_test_id("group-save").click()  # no ground chosen: refused on the tablet
    expect(page.get_by_test_id("group-field-grounds")).to_contain_text("at least one ground")
    expect(page.get_by_test_id("group-current")).to_have_attribute("data-group", "3")
    assert axe_violations(page) == []
    page.get_by_test_id("group-ground-self_care_partly_lost").check()
    page.get_by_test_id("group-ground-regular_need").check()
    page.get_by_test_id("group-save").click()
    expect(page.get_by_test_id("group-current")).to_have_attribute("data-group", "2", timeout=TIMEOUT)
    expect(page.get_by_test_id("group-history").locator(":scope > li")).to_have_count(2)
    expect(page.get_by_test_id("group-history")).to_contain_text("The app had suggested group II.")
    newest = page.get_by_test_id("group-history").locator(":scope > li").first
    expect(newest.locator("[data-testid^='group-decision-grounds-']")).to_have_text(
        "Grounds: Regular need for assistance from others; Ability to care for oneself partly lost")
    expect(page.get_by_test_id("group-reassessment")).to_have_attribute("data-status", "ok")

    page.get_by_test_id("group-back").click()
    expect(row(residents[2])).to_have_attribute("data-status", "ok", timeout=TIMEOUT)
    expect(row(residents[2])).to_have_attribute("data-group", "2")

    # admission
    page.get_by_test_id("board-admit").click()
    dialog = page.get_by_test_id("dialog-admit")
    dialog.get_by_test_id("btn-save").click()
    expect(dialog.locator("#admit-full_name-msg")).not_to_be_empty()
    dialog.get_by_test_id("admit-name").fill("Орлова Вера Ивановна")
    dialog.get_by_test_id("admit-birth").fill("1941-05-09")
    dialog.get_by_test_id("admit-room").fill("101")  # one of the demo's rooms, its free bed
    dialog.get_by_test_id("admit-bed").fill("3")
    dialog.get_by_test_id("btn-save").click()
    expect(dialog).to_have_count(0, timeout=TIMEOUT)
    new_row = page.locator("[data-testid^='board-row-']", has_text="Орлова Вера Ивановна")
    expect(new_row).to_have_attribute("data-status", "never_assessed", timeout=TIMEOUT)
