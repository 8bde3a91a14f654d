"""Home devices and alarms (issue 18 §1, §3, §4): the device register (a token shown once, only its hash kept), the
intake authenticated by the device's token alone (401 alike for a missing, wrong or retired token; 422 naming the
field; repeats within 60 s counted once, also when sent at the same moment), the log with its steps and close, and
another home's alarm answering 404. SQLite, or PostgreSQL with TEST_DATABASE_URL."""
import hashlib
import threading

import pytest

from backend.extensions import db
from backend.models import Alarm, AlarmStep, AuditEvent, HomeDevice, Resident, Unit
from backend.services import alarms as alarm_service

from ..conftest import CSRF, LOGINS

#: The `clock` fixture's instant in the community home's zone (Asia/Shanghai): 2026-11-25 11:00.
NOON_SOON = "2026-11-25T11:00:00+08:00"


@pytest.fixture(autouse=True)
def roomy_rate(app):
    """A limit no test reaches by accident (the rate test sets its own)."""
    app.extensions["bedside.alarm_intake_rate"] = alarm_service.IntakeRate(limit=1000)


@pytest.fixture
def dispatcher(community, make_api):
    client = make_api()
    client.login("dispatch1")
    return client


@pytest.fixture
def care_home(app, community):
    """A unit and a resident of the demo's care home (not the community centre's)."""
    with app.app_context():
        unit = Unit.query.filter(Unit.home_id != community.home).order_by(Unit.id).first()
        resident = Resident.query.filter_by(unit_id=unit.id).order_by(Resident.id).first()
        found = unit.id, resident.id
        db.session.remove()
    return found


def register(client, person, kind="sos", label="by the bed"):
    status, body = client.post(f"/api/homecare/people/{person}/devices", {"kind": kind, "label": label})
    assert status == 201, body
    return body


def raise_alarm(app, token, body=None, csrf=True, scheme="Bearer"):
    """A device's request: its token, no session (a fresh client)."""
    headers = dict(CSRF) if csrf else {}
    if token is not None:
        headers["Authorization"] = f"{scheme} {token}"
    response = app.test_client().post("/api/alarms", json=body if body is not None else {"kind": "sos"},
                                      headers=headers)
    return response.status_code, response.get_json(silent=True)


def audit_rows(app, action):
    with app.app_context():
        rows = [(a.actor_id, a.device_id, a.object_id, a.detail)
                for a in AuditEvent.query.filter_by(action=action).order_by(AuditEvent.id)]
        db.session.remove()
    return rows


def alarms_of(app, device_id):
    with app.app_context():
        rows = [(a.id, a.kind, a.raised_at) for a in Alarm.query.filter_by(device_id=device_id).order_by(Alarm.id)]
        db.session.remove()
    return rows


# --- the register --------------------------------------------------------------------------------------------

def test_a_device_token_is_shown_once_and_kept_as_its_hash(app, community, dispatcher):
    person = community.people[0]
    device = register(dispatcher, person, "fall", "bathroom")
    token = device["token"]
    assert len(token) >= 43 and device["kind"] == "fall" and device["active"] is True
    assert device["created_at"].endswith("+00:00")
    status, listed = dispatcher.get(f"/api/homecare/people/{person}/devices")
    assert status == 200 and [d["id"] for d in listed] == [device["id"]]
    assert all("token" not in d and "token_hash" not in d for d in listed)
    with app.app_context():
        row = db.session.get(HomeDevice, device["id"])
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in row.token_hash
        db.session.remove()
    (actor, _device, object_id, detail), = audit_rows(app, "home_device_register")
    assert actor == community.staff["dispatch1"] and object_id == str(device["id"]) and detail["kind"] == "fall"
    status, retired = dispatcher.post(f"/api/homecare/devices/{device['id']}/retire")
    assert status == 200 and retired["active"] is False and "token" not in retired
    assert len(audit_rows(app, "home_device_retire")) == 1


def test_the_register_refuses_an_unknown_kind_and_other_homes(app, community, dispatcher, care_home, make_api):
    status, body = dispatcher.post(f"/api/homecare/people/{community.people[0]}/devices", {"kind": "fire"})
    assert status == 400 and "kind" in body["fields"]
    # a person of the care home is not the dispatcher's
    status, _ = dispatcher.get(f"/api/homecare/people/{care_home[1]}/devices")
    assert status == 404
    status, _ = dispatcher.post(f"/api/homecare/people/{care_home[1]}/devices", {"kind": "sos"})
    assert status == 404
    device = register(dispatcher, community.people[1])
    other = make_api()
    other.login(LOGINS.supervisor1)  # the care home's supervisor
    assert other.post(f"/api/homecare/devices/{device['id']}/retire")[0] == 404
    assert other.get(f"/api/homecare/people/{community.people[1]}/devices")[0] == 404
    carer = make_api()
    carer.login("carer1")
    assert carer.get(f"/api/homecare/people/{community.people[1]}/devices")[0] == 403


# --- the intake ----------------------------------------------------------------------------------------------

def test_missing_wrong_and_retired_tokens_get_the_same_401(app, community, dispatcher):
    device = register(dispatcher, community.people[0])
    assert raise_alarm(app, device["token"])[0] == 201
    dispatcher.post(f"/api/homecare/devices/{device['id']}/retire")
    answers = [raise_alarm(app, None), raise_alarm(app, "not-a-token"), raise_alarm(app, device["token"]),
               raise_alarm(app, device["token"], scheme="Basic"), raise_alarm(app, "")]
    assert {status for status, _ in answers} == {401}
    assert len({repr(sorted(body.items())) for _, body in answers}) == 1, answers
    # a signed-in person is no device: her session opens nothing here
    assert dispatcher.post("/api/alarms", {"kind": "sos"})[0] == 401
    assert len(alarms_of(app, device["id"])) == 1


def test_an_alarm_is_stored_with_its_device_as_who_and_a_repeat_counts_once(app, community, dispatcher):
    device = register(dispatcher, community.people[2], "bracelet")
    status, first = raise_alarm(app, device["token"], {"kind": "fall", "detail": "no movement for 30 s"})
    assert status == 201 and first["repeat"] is False
    status, again = raise_alarm(app, device["token"], {"kind": "fall"})
    assert (status, again) == (200, {"id": first["id"], "repeat": True})
    (actor, who, object_id, detail), = audit_rows(app, "alarm_raise")
    assert actor is None and who == f"home_device:{device['id']}" and object_id == str(first["id"])
    assert detail["detail"] == "no movement for 30 s" and detail["resident_id"] == community.people[2]
    assert len(audit_rows(app, "alarm_repeat")) == 1
    # another kind from the same device is another alarm
    status, sos = raise_alarm(app, device["token"], {"kind": "sos"})
    assert status == 201 and sos["id"] != first["id"]
    # the dispatcher's log reads what the device said (the first raise's text; a repeat's stays in the audit)
    log = {a["id"]: a for a in dispatcher.get("/api/alarms?open=true")[1]}
    assert (log[first["id"]]["detail"], log[sos["id"]]["detail"]) == ("no movement for 30 s", None)


def test_an_unknown_type_is_422_naming_kind(app, community, dispatcher):
    token = register(dispatcher, community.people[0])["token"]
    for body, field in (({"kind": "fire"}, "kind"), ({}, "kind"), ({"kind": "sos", "at": "yesterday"}, "at"),
                        ({"kind": "sos", "at": "2026-11-25T11:00:00"}, "at"),  # no offset
                        ({"kind": "sos", "detail": "x" * 501}, "detail")):
        status, reply = raise_alarm(app, token, body)
        assert status == 422 and field in reply["fields"] and reply["error"] == "validation_error", (body, reply)
    # a wrong token is told nothing about the body
    assert raise_alarm(app, "wrong", {"kind": "fire"})[0] == 401


@pytest.mark.parametrize("first, second, repeat", [
    ("11:00:10", "11:00:59", True),    # the same minute
    ("11:00:50", "11:01:20", True),    # 30 s apart across a minute's end: the window, not the minute, decides
    ("11:00:00", "11:00:59", True),
    ("11:00:30", "11:01:30", False),   # 60 s apart: a new alarm
    ("11:00:59", "11:02:00", False),
])
def test_the_repeat_window_on_both_sides_of_a_minute(app, community, dispatcher, clock, first, second, repeat):
    clock.set("2026-11-25T11:03:00+08:00")
    token = register(dispatcher, community.people[3])["token"]
    s1, a = raise_alarm(app, token, {"kind": "sos", "at": f"2026-11-25T{first}+08:00"})
    s2, b = raise_alarm(app, token, {"kind": "sos", "at": f"2026-11-25T{second}+08:00"})
    assert s1 == 201
    assert (s2, b["repeat"], b["id"] == a["id"]) == ((200, True, True) if repeat else (201, False, False))
    # and the other way round: a late repeat of an earlier alarm
    s3, c = raise_alarm(app, token, {"kind": "sos", "at": f"2026-11-25T{first}+08:00"})
    assert (s3, c["id"]) == (200, a["id"])


def test_a_device_clock_far_off_takes_the_server_time(app, community, dispatcher, clock):
    device = register(dispatcher, community.people[4])
    status, _ = raise_alarm(app, device["token"], {"kind": "smoke", "at": "2026-11-25T13:00:00+08:00"})
    assert status == 201
    (_id, _kind, raised_at), = alarms_of(app, device["id"])
    assert raised_at == clock().replace(tzinfo=None)
    (_, _, _, detail), = audit_rows(app, "alarm_raise")
    assert detail["clock_off"] is True and detail["device_at"] == "2026-11-25T13:00:00+08:00"


def _all_at_once(send, count=2):
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(i):
        barrier.wait()
        results[i] = send(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.mark.parametrize("times", [("11:00:30", "11:00:30"), ("11:00:59.900", "11:01:00.100")])
def test_duplicates_sent_at_the_same_moment_are_stored_once(app, community, dispatcher, times):
    device = register(dispatcher, community.people[5], "gas")
    answers = _all_at_once(lambda i: raise_alarm(app, device["token"],
                                                 {"kind": "gas", "at": f"2026-11-25T{times[i]}+08:00"}))
    assert sorted(status for status, _ in answers) == [200, 201], answers
    assert len({body["id"] for _, body in answers}) == 1
    assert len(alarms_of(app, device["id"])) == 1


def test_the_unique_minute_stores_one_when_the_window_check_is_raced(app, community, dispatcher, monkeypatch):
    """Had both requests passed the window check (as if no lock held them apart), the unique (device, kind,
    minute) refuses the second insert, and that request answers as a repeat."""
    device = register(dispatcher, community.people[6])
    status, first = raise_alarm(app, device["token"], {"kind": "door", "at": "2026-11-25T11:00:10+08:00"})
    assert status == 201
    looked = []
    real = alarm_service._stored_repeat

    def blind_once(*args):
        looked.append(args)
        return None if len(looked) == 1 else real(*args)

    monkeypatch.setattr(alarm_service, "_stored_repeat", blind_once)
    status, second = raise_alarm(app, device["token"], {"kind": "door", "at": "2026-11-25T11:00:40+08:00"})
    assert (status, second) == (200, {"id": first["id"], "repeat": True})
    assert len(alarms_of(app, device["id"])) == 1


def test_a_device_sending_too_fast_is_held(app, community, dispatcher):
    now = [100.0]
    app.extensions["bedside.alarm_intake_rate"] = alarm_service.IntakeRate(limit=3, clock=lambda: now[0])
    token = register(dispatcher, community.people[7])["token"]
    statuses = [raise_alarm(app, token)[0] for _ in range(4)]
    assert statuses == [201, 200, 200, 429]
    other = register(dispatcher, community.people[8])["token"]
    assert raise_alarm(app, other)[0] == 201  # counted per token
    now[0] += 1.01
    assert raise_alarm(app, token)[0] == 200


def test_a_device_sends_no_csrf_header(app, community, dispatcher):
    token = register(dispatcher, community.people[9])["token"]
    assert raise_alarm(app, token, csrf=False)[0] == 201
    # every other write still needs it
    response = app.test_client().post("/api/alarms/1/close", json={"outcome": "x"},
                                      headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403


# --- the log, its steps, the close --------------------------------------------------------------------------

def test_steps_follow_their_rules_and_the_log_tells_the_time_to_acknowledge(app, community, dispatcher, clock):
    person = community.people[10]
    device = register(dispatcher, person, "sos", "pendant")
    _, raised = raise_alarm(app, device["token"], {"kind": "sos"})
    alarm = raised["id"]
    status, log = dispatcher.get("/api/alarms?open=true")
    assert status == 200 and [a["id"] for a in log] == [alarm]
    row = log[0]
    assert row["person"]["id"] == person and row["device"]["label"] == "pendant" and row["open"] is True
    assert row["acknowledge_seconds"] is None and row["steps"] == [] and row["unit_id"] == community.station
    assert row["raised_at"].endswith("+00:00")
    clock.set("2026-11-25T11:01:30+08:00")
    status, row = dispatcher.post(f"/api/alarms/{alarm}/steps", {"step": "acknowledged", "note": "on the phone"})
    assert status == 200 and row["acknowledge_seconds"] == 90 and row["steps"][0]["by_user"] == \
        community.staff["dispatch1"]
    status, again = dispatcher.post(f"/api/alarms/{alarm}/steps", {"step": "acknowledged"})
    assert (status, again["error"]) == (409, "already_acknowledged")
    for step in ("family_told", "family_told", "emergency_called", "carer_sent"):
        assert dispatcher.post(f"/api/alarms/{alarm}/steps", {"step": step})[0] == 200
    status, bad = dispatcher.post(f"/api/alarms/{alarm}/steps", {"step": "forgotten"})
    assert status == 400 and "step" in bad["fields"]
    status, closed = dispatcher.post(f"/api/alarms/{alarm}/close", {"outcome": "pressed by mistake",
                                                                     "false_alarm": True})
    assert status == 200 and closed["open"] is False and closed["false_alarm"] is True
    assert closed["outcome"] == "pressed by mistake" and closed["closed_at"].endswith("+00:00")
    assert [s["step"] for s in closed["steps"]] == ["acknowledged", "family_told", "family_told", "emergency_called",
                                                    "carer_sent", "closed"]
    for path, body in ((f"/api/alarms/{alarm}/steps", {"step": "family_told"}),
                       (f"/api/alarms/{alarm}/close", {"outcome": "again"})):
        status, reply = dispatcher.post(path, body)
        assert (status, reply["error"]) == (409, "alarm_closed")
    assert dispatcher.get("/api/alarms?open=true")[1] == []
    assert [a["id"] for a in dispatcher.get("/api/alarms?open=false")[1]] == [alarm]
    assert len(audit_rows(app, "alarm_step")) == 6


def test_a_step_on_an_unacknowledged_alarm_acknowledges_it(app, community, dispatcher):
    device = register(dispatcher, community.people[11], "water")
    _, raised = raise_alarm(app, device["token"], {"kind": "water"})
    status, row = dispatcher.post(f"/api/alarms/{raised['id']}/steps", {"step": "carer_sent", "note": "carer2"})
    assert status == 200
    assert [(s["step"], s["note"]) for s in row["steps"]] == [("acknowledged", None), ("carer_sent", "carer2")]
    status, row = dispatcher.post(f"/api/alarms/{raised['id']}/steps", {"step": "closed", "note": "tap closed"})
    assert status == 200 and row["open"] is False and row["outcome"] == "tap closed" and row["false_alarm"] is False


def test_the_log_by_unit_and_days(app, community, dispatcher, clock, care_home):
    device = register(dispatcher, community.people[12])
    _, raised = raise_alarm(app, device["token"], {"kind": "sos"})
    assert [a["id"] for a in dispatcher.get(f"/api/alarms?unit_id={community.station}")[1]] == [raised["id"]]
    assert dispatcher.get(f"/api/alarms?unit_id={care_home[0]}")[0] == 404
    assert dispatcher.get("/api/alarms?from=2026-11-26&to=2026-11-30")[1] == []
    assert [a["id"] for a in dispatcher.get("/api/alarms?from=2026-11-25&to=2026-11-25")[1]] == [raised["id"]]
    status, reply = dispatcher.get("/api/alarms?from=2026-11-25&to=2026-11-20")
    assert status == 400 and "to" in reply["fields"]
    status, reply = dispatcher.get("/api/alarms?from=2026-01-01&to=2026-11-25")
    assert status == 400 and "to" in reply["fields"]


def test_another_homes_alarm_is_404(app, community, dispatcher, make_api):
    device = register(dispatcher, community.people[13])
    _, raised = raise_alarm(app, device["token"], {"kind": "sos"})
    other = make_api()
    other.login(LOGINS.supervisor1)  # a supervisor of the care home
    assert other.get("/api/alarms")[1] == []
    assert other.post(f"/api/alarms/{raised['id']}/steps", {"step": "acknowledged"})[0] == 404
    assert other.post(f"/api/alarms/{raised['id']}/close", {"outcome": "x"})[0] == 404
    assert dispatcher.post("/api/alarms/999999/steps", {"step": "acknowledged"})[0] == 404
    carer = make_api()
    carer.login("carer1")
    assert carer.get("/api/alarms")[0] == 403
    assert carer.post(f"/api/alarms/{raised['id']}/steps", {"step": "acknowledged"})[0] == 403
    with app.app_context():
        assert AlarmStep.query.count() == 0
        db.session.remove()
