"""Shared tablets on the server side: enrolment, the device credential, revocation, PIN unlock online,
and the outbox pushed with the tablet's credential alone."""
from datetime import timedelta

import pytest

from backend.api.input_guard import agent_text
from backend.domain import signing
from backend.extensions import db
from backend.models import AuditEvent, Device, Entry, UserSession

from ..helpers import entry as make_entry
from .conftest import DAY, push, tick
from ..conftest import DEMO_PASSWORD, LOGINS

TABLET = "tab-1"


@pytest.fixture
def enrolled(world, make_api):
    """Tablet tab-1 enrolled for post 1 by the administrator; returns its credential."""
    admin = make_api()
    admin.login(LOGINS.admin1, device_id="office")
    status, reply = admin.post("/api/devices", {"device_id": TABLET, "name": "Первый пост, планшет A",
                                                "post_id": world.post1})
    assert status == 201, reply
    world.admin = admin
    world.credential = reply["credential"]

    def tablet():
        """A client on the enrolled tablet: every request carries its credential."""
        client = make_api()
        client.default_headers = device_headers(world.credential)
        return client
    world.tablet = tablet
    assert reply["device"]["name"] == "Первый пост, планшет A" and reply["device"]["revoked_at"] is None
    return world


def device_headers(credential, device_id=TABLET):
    return {"X-Device-Id": device_id, "X-Device-Key": credential}


def refusals(app, code):
    with app.app_context():
        return [e.detail for e in AuditEvent.query.filter_by(action="refused") if e.detail["error"] == code]


def test_only_an_administrator_enrols_and_lists_tablets(demo, enrolled, make_api):
    nurse = enrolled.tablet()
    nurse.login(LOGINS.nurse1)
    assert nurse.post("/api/devices", {"device_id": "x", "name": "x", "post_id": enrolled.post1})[0] == 403
    assert nurse.get("/api/devices")[0] == 403
    status, listing = enrolled.admin.get("/api/devices")
    assert status == 200 and listing[0]["id"] == TABLET and listing[0]["post_id"] == enrolled.post1
    assert "credential" not in listing[0] and "credential_hash" not in listing[0]


def test_the_outbox_is_pushed_with_the_tablets_credential_alone(demo, enrolled, make_api):
    """Nobody signed in (the screen is locked, or she signed out): the tablet still delivers her entries."""
    enrolled.tablet().login(LOGINS.nurse1)  # she signed in on tab-1 earlier; her key signed the entry
    courier = enrolled.tablet()        # no session at all
    e = tick(enrolled)
    status, reply = courier.post("/api/sync/push", {"device_id": TABLET, "entries": [e]},
                                 headers=device_headers(enrolled.credential))
    assert status == 200, reply
    assert reply["results"][0]["status"] == "accepted" and reply["device_revoked"] is False
    with demo.app_context():
        stored = db.session.get(Entry, e["id"])
        assert (stored.author_id, stored.pushed_by, stored.key_id) == (enrolled.nurse1, None, e["key_id"])
    # The credential opens the outbox only: reading needs a person.
    assert courier.get(f"/api/sync/pull?post_id={enrolled.post1}",
                       headers=device_headers(enrolled.credential))[0] == 401
    # And it speaks for its own tablet only.
    status, reply = courier.post("/api/sync/push", {"device_id": "tab-2", "entries": []},
                                 headers=device_headers(enrolled.credential))
    assert (status, reply["error"]) == (403, "device_mismatch")


def test_a_wrong_credential_is_refused_and_audited(demo, enrolled, make_api):
    status, reply = enrolled.tablet().post("/api/sync/push", {"device_id": TABLET, "entries": []},
                                    headers=device_headers("not-the-credential"))
    assert (status, reply["error"]) == (401, "device_unknown")
    assert refusals(demo, "device_unknown")


def test_revoking_a_tablet_stops_its_credential_and_sessions_at_once(demo, enrolled, make_api):
    nurse = enrolled.tablet()
    nurse.login(LOGINS.nurse1)  # on tab-1
    headers = device_headers(enrolled.credential)
    assert nurse.get("/api/auth/me", headers=headers)[0] == 200
    unsynced = tick(enrolled)  # made before the revocation, still in the tablet's outbox
    nurse.keyring.sign([unsynced])
    status, device = enrolled.admin.post(f"/api/devices/{TABLET}/revoke", {})
    assert status == 200 and device["revoked_at"] is not None
    # the session cookie on that tablet, even without the credential, is dead
    assert nurse.get("/api/auth/me")[0] == 401
    # the credential opens nothing...
    for method, path in (("GET", "/api/auth/me"), ("GET", f"/api/sync/pull?post_id={enrolled.post1}"),
                         ("GET", "/api/auth/challenge")):
        status, reply = nurse.call(method, path, headers=headers)
        assert (status, reply["error"]) == (401, "device_revoked"), path
    # ...and nobody signs in on it again
    status, reply = enrolled.tablet().post("/api/auth/login", {"username": LOGINS.nurse1, "password": DEMO_PASSWORD,
                                                        "device_id": TABLET})
    assert (status, reply["error"]) == (401, "device_revoked")
    # but the entries it still holds are handed over, flagged for review, never dropped
    status, reply = enrolled.tablet().post("/api/sync/push", {"device_id": TABLET, "entries": [unsynced]},
                                    headers=headers)
    assert status == 200 and reply["device_revoked"] is True
    assert reply["results"][0]["status"] == "accepted"
    with demo.app_context():
        assert db.session.get(Entry, unsynced["id"]).from_revoked_device is True
    supervisor = make_api()  # in the office
    supervisor.login(LOGINS.supervisor1, device_id="office")
    status, view = supervisor.get(f"/api/units/{enrolled.unit1}/days/{DAY}")
    assert [e["id"] for e in view["from_revoked_devices"]] == [unsynced["id"]]
    assert next(d for d in view["devices"] if d["id"] == TABLET)["revoked"] is True
    # then it wipes itself and says so
    assert enrolled.tablet().post("/api/devices/wiped", {}, headers=headers)[0] == 200
    status, listing = enrolled.admin.get("/api/devices")
    assert listing[0]["wiped_at"] is not None
    assert refusals(demo, "device_revoked")


def test_a_revoked_tablet_cannot_be_enrolled_again_by_mistake(demo, enrolled):
    enrolled.admin.post(f"/api/devices/{TABLET}/revoke", {})
    status, reply = enrolled.admin.post("/api/devices", {"device_id": TABLET, "name": "again",
                                                         "post_id": enrolled.post1})
    assert (status, reply["error"]) == (409, "device_revoked")


def _unlock(client, user_id, key, credential, challenge=None, purpose="unlock", device_id=TABLET):
    if challenge is None:
        challenge = client.get("/api/auth/challenge")[1]["challenge"]
    key_id, secret = key
    body = {"user_id": user_id, "key_id": key_id, "challenge": challenge,
            "proof": signing.proof(secret, purpose, challenge, user_id, device_id)}
    return client.post("/api/auth/unlock", body, headers=device_headers(credential, device_id))


def test_a_pin_unlock_online_gives_the_person_a_session_without_her_password(demo, enrolled, make_api, clock):
    tablet = enrolled.tablet()
    tablet.login(LOGINS.nurse1)
    key = tablet.keyring[(enrolled.nurse1, TABLET)]
    tablet.post("/api/auth/logout")
    assert tablet.get("/api/auth/me")[0] == 401
    status, me = _unlock(tablet, enrolled.nurse1, key, enrolled.credential)
    assert status == 200 and me["id"] == enrolled.nurse1 and me["signing_key"] is None
    assert me["tablet"] == {"pin_valid_days": 14, "idle_lock_seconds": 300, "pin_max_failures": 5}
    assert tablet.get("/api/auth/me")[1]["username"] == LOGINS.nurse1
    with demo.app_context():
        assert AuditEvent.query.filter_by(action="unlock", actor_id=enrolled.nurse1).count() == 1


def test_switching_user_ends_the_previous_persons_session(demo, enrolled, make_api):
    tablet = enrolled.tablet()
    tablet.login(LOGINS.nurse1)
    tablet.login(LOGINS.supervisor1)
    nurse_key = tablet.keyring[(enrolled.nurse1, TABLET)]
    status, me = _unlock(tablet, enrolled.nurse1, nurse_key, enrolled.credential)
    assert status == 200 and me["id"] == enrolled.nurse1
    with demo.app_context():
        live = UserSession.query.filter(UserSession.ended_at.is_(None)).all()
        assert [s.user_id for s in live if s.device_id == TABLET] == [enrolled.nurse1]


@pytest.mark.parametrize("case", ["wrong_key", "someone_elses_key", "stale_challenge", "forged_challenge",
                                  "not_enrolled", "other_purpose"])
def test_an_unlock_without_the_persons_key_is_refused(demo, enrolled, make_api, clock, case):
    tablet = enrolled.tablet()
    tablet.login(LOGINS.nurse1)
    tablet.login(LOGINS.supervisor1)
    key = tablet.keyring[(enrolled.nurse1, TABLET)]
    credential, challenge, purpose = enrolled.credential, None, "unlock"
    if case == "wrong_key":
        key = (key[0], b"\0" * 32)
    elif case == "someone_elses_key":
        key = tablet.keyring[(enrolled.supervisor, TABLET)]
    elif case == "stale_challenge":
        challenge = tablet.get("/api/auth/challenge")[1]["challenge"]
        clock.now += timedelta(minutes=3)
    elif case == "forged_challenge":
        challenge = "made-up"
    elif case == "other_purpose":
        purpose = "something else"
    status, reply = (_unlock(tablet, enrolled.nurse1, key, credential, challenge, purpose)
                     if case != "not_enrolled" else make_api().post("/api/auth/unlock", {
                         "user_id": enrolled.nurse1, "key_id": key[0], "challenge": "c", "proof": "p"}))
    assert status == 401
    assert reply["error"] == ("device_unknown" if case == "not_enrolled" else "unlock_refused")


def test_relatives_and_other_non_signers_get_no_signing_key(demo, make_api):
    for username in (LOGINS.relative1, LOGINS.admin1):
        reply = make_api().login(username)
        assert reply["signing_key"] is None
    # a planner signs the assessments she fills on a tablet (docs/domain.md, assessments); activity staff sign
    # the attendance they mark (docs/domain.md, attendance)
    assert make_api().login(LOGINS.planner1)["signing_key"] is not None
    assert make_api().login(LOGINS.activities1)["signing_key"] is not None


def test_a_forged_author_is_refused_visibly_and_nothing_is_stored(demo, world, make_api):
    """nurse2 has a key on this tablet; she cannot sign an entry that says nurse1 made it."""
    tablet = make_api()
    tablet.login(LOGINS.nurse1)
    tablet.login(LOGINS.nurse2)
    forged = make_entry(world.r1, world.nurse1, kind="note", note="not hers")
    key_id, secret = tablet.keyring[(world.nurse2, TABLET)]
    forged.update(key_id=key_id, sig=signing.sign(secret, forged))
    [result] = push(tablet, [forged])
    assert (result["status"], result["reason"]) == ("rejected", "bad_signature")
    assert "author" in result["fields"]["author_id"]
    with demo.app_context():
        assert db.session.get(Entry, forged["id"]) is None
        [audited] = AuditEvent.query.filter_by(action="entries_push").all()
        assert audited.detail["rejected"] == [{"id": forged["id"], "reason": "bad_signature"}]


def test_a_signed_entry_keeps_its_signature_for_later_checks(demo, world, api):
    api.login(LOGINS.nurse1)
    e = tick(world)
    push(api, [e])
    _, secret = api.keyring[(world.nurse1, TABLET)]
    with demo.app_context():
        stored = db.session.get(Entry, e["id"])
        as_sent = {name: getattr(stored, name) for name in signing.SIGNED_FIELDS}
        assert signing.verify(secret, as_sent, stored.signature)
    assert DAY == e["day"]


def test_another_browser_cannot_claim_an_enrolled_tablets_id(demo, enrolled, make_api):
    """Without the tablet's credential, its id can be used neither to sign in, nor to push, nor to pull: else a
    browser could rewrite the tablet's record (highest entry number, waiting count) and hide its gaps."""
    impostor = make_api()
    status, reply = impostor.post("/api/auth/login", {"username": LOGINS.nurse1, "password": DEMO_PASSWORD,
                                                      "device_id": TABLET})
    assert (status, reply["error"], list(reply["fields"])) == (403, "device_mismatch", ["device_id"])
    impostor.login(LOGINS.nurse1, device_id="browser-7")
    e = tick(enrolled, device_id=TABLET, client_seq=50)
    enrolled.tablet().login(LOGINS.nurse1)  # her real key on the tablet: the entry itself is genuine
    status, reply = impostor.post("/api/sync/push", {"device_id": TABLET, "outbox_len": 99, "entries": [e]})
    assert (status, reply["error"]) == (403, "device_mismatch")
    status, _ = impostor.get(f"/api/sync/pull?post_id={enrolled.post1}&device_id={TABLET}")
    assert status == 403
    # relaying the tablet's entry under the browser's own id is fine: the entry keeps its device and author
    [result] = push(impostor, [e], device_id="browser-7")
    assert result["status"] == "accepted"
    with demo.app_context():
        tablet = db.session.get(Device, TABLET)
        assert (tablet.max_client_seq, tablet.outbox_len) == (0, 0)


ANDROID_CHROME = ("Mozilla/5.0 (Linux; Android 14; SM-X200) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/131.0.0.0 Safari/537.36")
WINDOWS_FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"


def _listed(admin, device_id):
    status, listing = admin.get("/api/devices")
    assert status == 200, listing
    [row] = [d for d in listing if d["id"] == device_id]
    return row


def test_a_browser_that_synced_is_listed_by_its_browser_and_last_person(demo, world, make_api):
    """Finding 15: an unenrolled device is told apart by the browser it last synced from and by who used it, not
    by its raw id alone. A push, a duty post's pull and the attendance pull each note them."""
    admin = make_api()
    admin.login(LOGINS.admin1, device_id="office")
    nurse = make_api()
    nurse.default_headers = {"User-Agent": ANDROID_CHROME}
    nurse.login(LOGINS.nurse1, device_id="browser-7")
    [result] = push(nurse, [tick(world, device_id="browser-7")], device_id="browser-7")  # its first contact
    assert result["status"] == "accepted"
    row = _listed(admin, "browser-7")
    assert (row["user_agent"], row["last_user_name"], row["name"]) == (
        ANDROID_CHROME, world.names.staff[LOGINS.nurse1], None)
    # the next person pulls there from another browser: the row follows her
    other = make_api()
    other.default_headers = {"User-Agent": WINDOWS_FIREFOX}
    other.login(LOGINS.nurse2, device_id="browser-7")
    status, _ = other.get(f"/api/sync/pull?post_id={world.post2}&device_id=browser-7")
    assert status == 200
    row = _listed(admin, "browser-7")
    assert (row["user_agent"], row["last_user_name"]) == (WINDOWS_FIREFOX, world.names.staff[LOGINS.nurse2])
    organiser = make_api()
    organiser.default_headers = {"User-Agent": ANDROID_CHROME}
    organiser.login(LOGINS.activities1, device_id="browser-7")
    assert organiser.get("/api/attendance/pull?device_id=browser-7")[0] == 200
    row = _listed(admin, "browser-7")
    assert (row["user_agent"], row["last_user_name"]) == (ANDROID_CHROME, world.names.staff[LOGINS.activities1])
    # a request without the header keeps what is known
    quiet = make_api()
    quiet.default_headers = {"User-Agent": ""}
    quiet.login(LOGINS.nurse1, device_id="browser-7")
    assert quiet.get(f"/api/sync/pull?post_id={world.post1}&device_id=browser-7")[0] == 200
    assert _listed(admin, "browser-7")["user_agent"] == ANDROID_CHROME


@pytest.mark.parametrize("agent, kept", [
    ("Chrome/131 " + "x" * 5000, ("Chrome/131 " + "x" * 5000)[:300]),
    ("Chrome/131\x00 Android\x01\x7f 14", "Chrome/131 Android 14"),
    # a UTF-8 header as the server reads it (Latin-1): read back as UTF-8
    ("Chrome/131 планшет".encode().decode("latin-1"), "Chrome/131 планшет"),
    ("\x00\x01", None),
], ids=["oversized", "nul-and-controls", "utf8-bytes", "nothing-left"])
def test_a_hostile_user_agent_is_cleaned_and_cut_never_refused(demo, world, make_api, agent, kept):
    admin = make_api()
    admin.login(LOGINS.admin1, device_id="office")
    nurse = make_api()
    nurse.default_headers = {"User-Agent": agent}
    nurse.login(LOGINS.nurse1, device_id="browser-8")
    [result] = push(nurse, [tick(world, device_id="browser-8")], device_id="browser-8")
    assert result["status"] == "accepted"
    assert nurse.get(f"/api/sync/pull?post_id={world.post1}&device_id=browser-8")[0] == 200
    row = _listed(admin, "browser-8")
    assert row["user_agent"] == kept
    with demo.app_context():
        assert db.session.get(Device, "browser-8").user_agent == kept


def test_a_user_agent_with_a_lone_surrogate_is_cleaned():
    """No HTTP server hands the app a lone surrogate in a header (headers are read as Latin-1: every character is
    below U+0100), so the API test above cannot send one; the cleaning drops it all the same."""
    assert agent_text("Chrome/131 \ud800Android") == "Chrome/131 Android"
    assert agent_text("  ") is None and agent_text(None) is None


def test_enrolling_on_the_tablet_notes_its_browser(demo, world, make_api):
    admin = make_api()
    admin.default_headers = {"User-Agent": ANDROID_CHROME}
    admin.login(LOGINS.admin1, device_id="tab-9")
    status, reply = admin.post("/api/devices", {"device_id": "tab-9", "name": "Планшет B у окна",
                                                "post_id": world.post1})
    assert status == 201, reply
    assert reply["device"]["user_agent"] == ANDROID_CHROME
    assert _listed(admin, "tab-9")["user_agent"] == ANDROID_CHROME
