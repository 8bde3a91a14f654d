"""The monitoring forms of 001 on the tablet, through a real outage: activity staff reach a resident's monitoring
forms from the attendance row, fill the interview, the observation of service delivery and the specialist's short
report offline (no clinical form is offered), they reach the server once, and the head of the home reads them on the
monthly monitoring page. Axe and touch targets on each form."""
from playwright.sync_api import expect

from .pages import TIMEOUT, sign_in, wait_for_worker
from .test_attendance import _local, _setup
from .test_screens import check_screen
from ..conftest import LOGINS

MONITORING = ("milieu_observation", "milieu_interview", "specialist_report")


def _answer(page, choices=(), texts=()):
    for qid, value in choices:
        page.get_by_test_id(f"ans-{qid}-{value}").click()
    for qid, text in texts:
        page.get_by_test_id(f"ans-{qid}").fill(text)


def _open(page, resident, form):
    page.get_by_test_id(f"assess-open-{form}").click()
    expect(page.get_by_test_id("assess-form")).to_have_attribute("data-form", form, timeout=TIMEOUT)


def _save_and_return(page, session_id, resident):
    page.get_by_test_id("btn-save-assessment").click()
    expect(page.get_by_test_id("att-day")).to_be_visible(timeout=TIMEOUT)
    page.get_by_test_id(f"att-open-{session_id}").click()
    page.get_by_test_id(f"att-forms-{resident}").click()
    expect(page.get_by_test_id("assess-list")).to_be_visible(timeout=TIMEOUT)


def test_activity_staff_fill_the_monitoring_forms_offline_and_the_month_counts_them(server, new_context):
    _api, session_id, _activity, (r1, _r2, _r3), _r4 = _setup(server)
    page = new_context().new_page()
    sign_in(page, LOGINS.activities1)
    expect(page.get_by_test_id(f"att-session-{session_id}")).to_be_visible(timeout=TIMEOUT)
    wait_for_worker(page)
    server.stop()  # the whole round offline

    page.get_by_test_id(f"att-open-{session_id}").click()
    page.get_by_test_id(f"att-forms-{r1}").click()
    expect(page.get_by_test_id("assess-list")).to_be_visible(timeout=TIMEOUT)
    for form in MONITORING + ("satisfaction_resident",):
        expect(page.get_by_test_id(f"assess-open-{form}")).to_be_visible()
    expect(page.get_by_test_id("assess-open-mmse")).to_have_count(0)  # no clinical form for activity staff

    _open(page, r1, "milieu_interview")
    _answer(page, [("attitude", "positive"), ("benefit", "yes"), ("communication", "same"),
                   ("interests", "cultural_leisure"), ("interests", "work_therapy")],
            [("wishes", "Больше прогулок")])
    expect(page.get_by_test_id("assess-band")).to_have_attribute("data-band", "positive")
    check_screen(page, "interview (monitoring form)")
    _save_and_return(page, session_id, r1)

    _open(page, r1, "milieu_observation")
    _answer(page, [("direction", "cultural_leisure"), ("format", "active"), ("as_scheduled", "yes"),
                   ("in_full", "yes"), ("contact", "yes"), ("interior", "no"), ("social_medical", "yes"),
                   ("psychological", "yes"), ("engagement", "active")], [("remark", "В зале темно")])
    expect(page.get_by_test_id("assess-band")).to_have_attribute("data-band", "remarks")
    check_screen(page, "observation of service delivery")
    _save_and_return(page, session_id, r1)

    _open(page, r1, "specialist_report")
    _answer(page, [("directions", "work_therapy"), ("self_care", "improved"), ("interests", "improved"),
                   ("communication", "unchanged"), ("emotional", "unchanged"), ("conflict", "unchanged")],
            [("sessions", "6")])
    page.get_by_test_id("btn-save-assessment").click()  # the summary is required: not saved, the question named
    expect(page.get_by_test_id("q-error-summary")).not_to_be_empty(timeout=TIMEOUT)
    _answer(page, texts=[("summary", "Посильный труд в мастерской")])
    expect(page.get_by_test_id("assess-band")).to_have_attribute("data-band", "positive")
    check_screen(page, "specialist's short report")
    page.get_by_test_id("btn-save-assessment").click()
    expect(page.get_by_test_id("att-day")).to_be_visible(timeout=TIMEOUT)
    local = {e["category"]: e for e in _local(page, "assessment")}
    assert sorted(local) == sorted(MONITORING) and not any(e["synced"] for e in local.values())
    assert local["milieu_interview"]["values"]["interests"] == ["cultural_leisure", "work_therapy"]
    expect(page.get_by_test_id("att-pending")).to_have_attribute("data-count", "3")

    server.start()
    page.get_by_test_id("att-sync-now").click()
    expect(page.get_by_test_id("att-pending")).to_have_attribute("data-count", "0", timeout=TIMEOUT)
    synced = {e["category"]: e for e in _local(page, "assessment")}
    assert {k: (e["synced"], e["score"]["band"]) for k, e in synced.items()} == {
        "milieu_interview": (True, "positive"), "milieu_observation": (True, "remarks"),
        "specialist_report": (True, "positive")}

    head = new_context(portrait=False).new_page()
    sign_in(head, LOGINS.supervisor1)
    expect(head.get_by_test_id("nav-monitoring")).to_be_visible(timeout=TIMEOUT)
    head.get_by_test_id("nav-monitoring").click()
    milieu = head.get_by_test_id("monitoring-milieu")
    expect(milieu).to_be_visible(timeout=TIMEOUT)
    expect(milieu.get_by_test_id("figure-fraction-monitoring_observations")).to_have_text("0 of 1")
    expect(milieu.get_by_test_id("figure-fraction-environment_interior")).to_have_text("0 of 1")
    expect(milieu.get_by_test_id("figure-fraction-environment_psychological")).to_have_text("1 of 1")
    expect(milieu.get_by_test_id("figure-fraction-monitoring_attitude")).to_have_text("1 of 1")
    expect(milieu.get_by_test_id("figure-fraction-monitoring_dynamics")).to_have_text("1 of 1")
    expect(milieu.get_by_test_id("figure-definition-monitoring_interviewed")).to_contain_text("001")
    check_screen(head, "monitoring with the milieu-therapy forms")
