"""A planner fills an assessment on a tablet through a real outage: the form renders from its definition, the
score and band update as she answers, an unfinished form is not saved, the saved assessment waits in the outbox
and reaches the server exactly once, where the server's score equals the tablet's."""
import requests
from playwright.sync_api import expect

from .conftest import axe_violations
from .pages import TIMEOUT, expect_pending, open_post, sign_in
from .test_screens import MIN_TARGET, TARGETS_SMALLER_THAN_MIN

HEADERS = {"X-Bedside": "1"}
YES = ("weight_loss", "falls", "memory")
NO = ("vision_hearing", "mood", "incontinence")  # "moving" is left for last


def _check(page, name):
    assert axe_violations(page) == [], name
    assert page.evaluate(TARGETS_SMALLER_THAN_MIN, MIN_TARGET) == [], name
    assert page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


def _outbox_entries(page):
    return page.evaluate("""() => import('/lib/db.js').then((db) => db.getAll('entries'))
        .then((list) => list.filter((e) => e.kind === 'assessment'))""")


def test_a_planner_assesses_offline_and_the_server_keeps_its_own_equal_score(server, new_context):
    page = new_context().new_page()
    sign_in(page, "planner1")
    page.get_by_test_id("nav-posts").click()
    open_post(page)
    row = page.locator("[data-testid^='resident-row-']").first
    resident_id = int(row.get_attribute("data-testid").rsplit("-", 1)[1])
    row.click()
    # A planner reads the day but does not tick; she has the assessments.
    expect(page.get_by_test_id("btn-assess")).to_be_visible(timeout=TIMEOUT)
    assert page.get_by_test_id("btn-done").count() == 0 and page.get_by_test_id("btn-vitals").count() == 0
    page.get_by_test_id("btn-assess").click()
    expect(page.get_by_test_id("assess-open-age_no_barrier")).to_be_visible(timeout=TIMEOUT)
    _check(page, "assessment forms")

    server.stop()  # a real outage from here on

    page.get_by_test_id("assess-open-age_no_barrier").click()
    form = page.get_by_test_id("assess-form")
    expect(form).to_have_attribute("data-form", "age_no_barrier", timeout=TIMEOUT)
    total = page.get_by_test_id("assess-total")
    expect(total).to_have_attribute("data-total", "0")
    expect(page.get_by_test_id("assess-left")).to_have_attribute("data-left", "7")
    _check(page, "assessment form")
    for n, qid in enumerate(YES, 1):
        page.get_by_test_id(f"ans-{qid}-yes").click()
        expect(total).to_have_attribute("data-total", str(n))  # the score follows the answers
    for qid in NO:
        page.get_by_test_id(f"ans-{qid}-no").click()
    expect(page.get_by_test_id("assess-band")).to_have_count(0)  # no band before the form is complete
    page.get_by_test_id("btn-save-assessment").click()  # one question unanswered: not saved
    expect(page.get_by_test_id("assess-save-error")).to_be_visible()
    expect(page.get_by_test_id("q-error-moving")).to_have_text("an answer is required")
    expect_pending(page, 0)
    page.get_by_test_id("ans-moving-yes").click()
    expect(total).to_have_attribute("data-total", "4")
    page.get_by_test_id("ans-moving-no").click()  # changed her mind
    expect(total).to_have_attribute("data-total", "3")
    expect(page.get_by_test_id("assess-band")).to_have_attribute("data-band", "pre_frailty")
    expect(page.get_by_test_id("q-error-moving")).to_have_text("")
    _check(page, "assessment form, complete")
    page.get_by_test_id("btn-save-assessment").click()

    # Back on the resident's day: the assessment is on the tablet, waiting.
    record = page.locator("[data-testid^='record-assessment-']")
    expect(record).to_have_count(1, timeout=TIMEOUT)
    expect(record).to_have_attribute("data-total", "3")
    expect(record).to_have_attribute("data-band", "pre_frailty")
    expect_pending(page, 1)
    [local] = _outbox_entries(page)
    assert local["synced"] is False and local["score"]["total"] == 3 and local["values"] == {
        **{q: True for q in YES}, **{q: False for q in NO}, "moving": False}

    server.start()
    page.get_by_test_id("sync-now").click()
    expect_pending(page, 0)
    page.get_by_test_id("sync-now").click()  # a second sync sends nothing again
    expect_pending(page, 0)

    api = requests.Session()
    r = api.post(server.url + "/api/auth/login", json={"username": "supervisor1", "password": "demo"},
                 headers=HEADERS)
    assert r.status_code == 200, r.text
    rows = api.get(server.url + f"/api/assessments?resident_id={resident_id}").json()
    assert [row["id"] for row in rows] == [local["id"]]  # stored exactly once
    [stored] = rows
    assert stored["author_name"] == "Андрей Николаевич Зуев" and stored["answers"] == local["values"]
    [synced] = _outbox_entries(page)
    assert synced["synced"] is True
    for key in ("total", "subscores", "band", "complete"):
        assert stored["score"][key] == local["score"][key] == synced["score"][key], key

    # The list of forms shows the result the server holds.
    page.get_by_test_id("btn-assess").click()
    last = page.get_by_test_id("assess-last-age_no_barrier")
    expect(last).to_have_attribute("data-band", "pre_frailty", timeout=TIMEOUT)
    expect(last).to_contain_text("3 of 7 points")
