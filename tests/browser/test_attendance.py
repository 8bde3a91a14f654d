"""Activity staff mark a group session's attendance through a real outage: the residents present in one step, each
one's engagement, the entries wait in the outbox and reach the server exactly once; the residents without activity
for seven days are flagged on the tablet; a resident's satisfaction questionnaire is reachable from the screen."""
from datetime import datetime
from zoneinfo import ZoneInfo

import requests
from playwright.sync_api import expect

from .pages import TIMEOUT, sign_in, sync_tablet, wait_for_worker
from .test_screens import check_screen
from ..conftest import DEMO_PASSWORD, LOGINS

HEADERS = {"X-Bedside": "1"}
SURVEY = ("room", "care", "food", "activities", "staff", "safety", "family", "overall")


def _setup(server):
    """As activities1 through the API: an art-therapy event today for the whole home, in three residents'
    programmes. Returns (the API session, session id, activity id, the three residents, a fourth resident)."""
    api = requests.Session()
    r = api.post(server.url + "/api/auth/login", json={"username": LOGINS.activities1, "password": DEMO_PASSWORD},
                 headers=HEADERS)
    assert r.status_code == 200, r.text
    today = datetime.now(ZoneInfo(r.json()["timezone"])).date().isoformat()
    r = api.post(server.url + "/api/activities/catalogue", headers=HEADERS, json={
        "name": {"ru": "Живопись (тест)", "zh_Hans": "绘画（测试）", "en": "Painting (test)"},
        "direction": "cultural_leisure", "mode": "active", "format": "group", "place": "Hall"})
    assert r.status_code == 201, r.text
    activity_id = r.json()["id"]
    r = api.post(server.url + "/api/activities/sessions", headers=HEADERS, json={
        "activity_id": activity_id, "kind": "event", "on_date": today, "start_time": "23:00",
        "duration_minutes": 45, "title": {"ru": "Живопись (тест)", "zh_Hans": "绘画（测试）",
                                          "en": "Painting (test)"}})
    assert r.status_code == 201, r.text
    session_id = r.json()["id"]
    residents = api.get(server.url + "/api/attendance/day", headers=HEADERS).json()["residents"]
    chosen = [x["id"] for x in residents[:3]]
    for rid in chosen:
        r = api.post(server.url + "/api/activities/programmes", headers=HEADERS,
                     json={"resident_id": rid, "activity_id": activity_id, "goal": "joy"})
        assert r.status_code == 201, r.text
    return api, session_id, activity_id, chosen, residents[5]["id"]


def _attendance_on_server(api, server, session_id):
    page = api.get(server.url + "/api/attendance/pull?cursor=0", headers=HEADERS).json()
    return [e for e in page["entries"] if (e["values"] or {}).get("session_id") == session_id]


def _local(page, kind):
    return page.evaluate("""(kind) => import('/lib/db.js').then((db) => db.getAll('entries'))
        .then((list) => list.filter((e) => e.kind === kind))""", kind)


def test_activity_staff_mark_a_group_session_offline_and_it_syncs_once(server, new_context):
    api, session_id, activity_id, (r1, r2, r3), r4 = _setup(server)
    page = new_context().new_page()
    sign_in(page, LOGINS.activities1)
    row = page.get_by_test_id(f"att-session-{session_id}")
    expect(row).to_be_visible(timeout=TIMEOUT)
    expect(row).to_have_attribute("data-cancelled", "false")
    wait_for_worker(page)
    # Nobody took part in anything yet: everyone is flagged
    expect(page.get_by_test_id(f"att-idle-{r1}")).to_be_visible()
    check_screen(page, "attendance day, portrait")

    server.stop()  # a real outage from here on

    page.get_by_test_id(f"att-open-{session_id}").click()
    expect(page.locator("[data-testid^='att-row-']")).to_have_count(3, timeout=TIMEOUT)  # the programme's three
    check_screen(page, "attendance marking, portrait")
    page.get_by_test_id("att-all-present").click()  # one step: everyone present, active
    for rid in (r1, r2, r3):
        expect(page.get_by_test_id(f"att-row-{rid}")).to_have_attribute("data-engagement", "active")
        expect(page.get_by_test_id(f"att-present-{rid}")).to_be_checked()
    page.get_by_test_id(f"att-eng-{r2}-passive").click()
    page.get_by_test_id(f"att-eng-{r3}-absent").click()
    expect(page.get_by_test_id(f"att-present-{r3}")).not_to_be_checked()
    page.get_by_test_id("att-save").click()  # absent without a reason: not saved
    expect(page.get_by_test_id("att-error")).not_to_be_empty()
    assert _local(page, "attendance") == []
    page.get_by_test_id(f"att-reason-{r3}-ill").click()
    page.get_by_test_id(f"att-minutes-{r1}").fill("40")
    page.get_by_test_id(f"att-note-{r2}").fill("listened to the music")
    page.get_by_test_id("att-add-select").select_option(str(r4))  # someone who came without a programme line
    page.get_by_test_id("att-add").click()
    expect(page.get_by_test_id(f"att-row-{r4}")).to_have_attribute("data-engagement", "active")
    page.set_viewport_size({"width": 1280, "height": 800})
    check_screen(page, "attendance marking, landscape")
    page.set_viewport_size({"width": 800, "height": 1280})
    page.get_by_test_id("att-save").click()

    for rid in (r1, r2, r3, r4):
        expect(page.get_by_test_id(f"att-state-{rid}")).to_have_attribute("data-state", "local", timeout=TIMEOUT)
    expect(page.get_by_test_id("att-pending")).to_have_attribute("data-count", "4")
    local = {e["resident_id"]: e for e in _local(page, "attendance")}
    assert {rid: (e["status"], e["reason"], e["values"]["minutes"], e["synced"]) for rid, e in local.items()} == {
        r1: ("active", None, 40, False), r2: ("passive", None, None, False), r3: ("absent", "ill", None, False),
        r4: ("active", None, None, False)}
    assert local[r2]["note"] == "listened to the music"
    assert all(e["values"] == {"session_id": session_id, "activity_id": activity_id,
                               "minutes": e["values"]["minutes"]} for e in local.values())
    # Offline, the flag follows the tablet's own entries: those who took part are no longer flagged
    page.get_by_test_id("att-back").click()
    expect(page.get_by_test_id(f"att-idle-{r3}")).to_be_visible(timeout=TIMEOUT)
    for rid in (r1, r2, r4):
        expect(page.get_by_test_id(f"att-idle-{rid}")).to_have_count(0)
    check_screen(page, "attendance day offline")

    server.start()
    page.get_by_test_id("att-sync-now").click()
    expect(page.get_by_test_id("att-pending")).to_have_attribute("data-count", "0", timeout=TIMEOUT)
    page.get_by_test_id("att-sync-now").click()  # a second sync sends nothing again
    expect(page.get_by_test_id("att-pending")).to_have_attribute("data-count", "0", timeout=TIMEOUT)
    stored = _attendance_on_server(api, server, session_id)
    assert sorted(e["id"] for e in stored) == sorted(e["id"] for e in local.values())  # each exactly once
    assert all(e["author_id"] == local[r1]["author_id"] for e in stored)
    page.get_by_test_id(f"att-open-{session_id}").click()
    for rid in (r1, r2, r3, r4):
        expect(page.get_by_test_id(f"att-state-{rid}")).to_have_attribute("data-state", "synced", timeout=TIMEOUT)
    idle = api.get(server.url + "/api/attendance/idle", headers=HEADERS).json()["residents"]
    assert {r1, r2, r4}.isdisjoint({x["resident_id"] for x in idle}) and r3 in {x["resident_id"] for x in idle}

    # The resident's satisfaction questionnaire, filled with her on the tablet
    page.get_by_test_id(f"att-questionnaire-{r3}").click()
    expect(page.get_by_test_id("assess-form")).to_have_attribute("data-form", "satisfaction_resident",
                                                                   timeout=TIMEOUT)
    for qid in SURVEY:
        page.get_by_test_id(f"ans-{qid}-satisfied").click()
    check_screen(page, "residents' questionnaire")
    page.get_by_test_id("btn-save-assessment").click()
    expect(page.get_by_test_id("att-day")).to_be_visible(timeout=TIMEOUT)
    page.get_by_test_id("att-sync-now").click()
    expect(page.get_by_test_id("att-pending")).to_have_attribute("data-count", "0", timeout=TIMEOUT)
    [survey] = _local(page, "assessment")
    assert survey["synced"] is True and survey["score"]["band"] == "satisfied"
    # ...but no clinical form
    page.goto(f"/#/assess/{r3}/mmse")
    expect(page.get_by_test_id("assess-not-allowed")).to_be_visible(timeout=TIMEOUT)


def test_a_tablet_of_the_previous_version_keeps_its_outbox_through_the_upgrade(server, new_context):
    """IndexedDB version 3 (before attendance) -> 4: the new stores appear, the outbox and the people stay."""
    page = new_context().new_page()
    page.goto("/version.json")  # same origin, no app loaded: the database is made by hand as version 3 had it
    page.evaluate("""() => new Promise((resolve, reject) => {
        const open = indexedDB.open('bedside', 3);
        open.onupgradeneeded = () => {
          const db = open.result;
          db.createObjectStore('meta');
          db.createObjectStore('residents', {keyPath: 'id'});
          db.createObjectStore('cards', {keyPath: 'id'}).createIndex('resident_id', 'resident_id');
          db.createObjectStore('entries', {keyPath: 'id'}).createIndex('by_resident_day', ['resident_id', 'day']);
          db.createObjectStore('outbox', {keyPath: 'id'});
          db.createObjectStore('confirmations', {keyPath: 'id'});
          db.createObjectStore('staff', {keyPath: 'id'});
          db.createObjectStore('sent', {keyPath: 'id'}).createIndex('acked_at', 'acked_at');
          db.createObjectStore('people', {keyPath: 'id'});
        };
        open.onsuccess = () => {
          const t = open.result.transaction(['outbox', 'people'], 'readwrite');
          t.objectStore('outbox').put({id: 'waiting-1', client_seq: 7, state: 'pending', entry: {id: 'waiting-1'}});
          t.objectStore('people').put({id: 99, user: {id: 99, role: 'nurse'}});
          t.oncomplete = () => { open.result.close(); resolve(); };
          t.onerror = () => reject(t.error);
        };
        open.onerror = () => reject(open.error);
    })""")
    page.goto("/")
    expect(page.get_by_test_id("login-username")).to_be_visible(timeout=TIMEOUT)
    state = page.evaluate("""() => import('/lib/db.js').then(async (db) => {
        const conn = await db.openDB();
        return {version: conn.version, stores: [...conn.objectStoreNames].sort(),
                outbox: (await db.getAll('outbox')).map((o) => o.id), people: (await db.getAll('people')).map((p) => p.id)};
    })""")
    # 5: the outbox's state_seq index (counts and batches without reading every entry); 6: home visits
    assert state["version"] == 6
    assert {"att_residents", "activities", "sessions", "session_changes", "programme", "visits",
            "catalogue"} <= set(state["stores"])
    assert state["outbox"] == ["waiting-1"] and state["people"] == [99]


ATT_RESIDENTS = "() => import('/lib/db.js').then((db) => db.getAll('att_residents')).then((l) => l.map((r) => r.id))"


def test_an_enrolled_tablet_pulls_its_posts_unit_only_from_a_fresh_snapshot(server, new_context):
    """Issue 16: activity staff pulled the whole home. On a tablet enrolled at a post, the attendance feed is that
    post's unit's (docs/sync.md, "The attendance feed's scope"); the cursor of the whole home's feed means nothing
    for it, so the tablet starts again from a snapshot and keeps no other unit's resident."""
    staff = requests.Session()
    r = staff.post(server.url + "/api/auth/login", json={"username": LOGINS.activities1, "password": DEMO_PASSWORD},
                   headers=HEADERS)
    assert r.status_code == 200, r.text
    admin = requests.Session()
    r = admin.post(server.url + "/api/auth/login", json={"username": LOGINS.admin1, "password": DEMO_PASSWORD},
                   headers=HEADERS)
    assert r.status_code == 200, r.text
    post = admin.get(server.url + "/api/posts", headers=HEADERS).json()[-1]  # the last unit's post
    units = {}
    for x in staff.get(server.url + "/api/attendance/pull?cursor=0", headers=HEADERS).json()["residents"]:
        units.setdefault(x["unit_id"], set()).add(x["id"])
    assert len(units) > 1 and post["unit_id"] in units

    page = new_context().new_page()
    pulls = []
    page.on("request", lambda req: pulls.append(req.url) if "/api/attendance/pull" in req.url else None)
    sign_in(page, LOGINS.activities1)  # an office browser: the units she works in (none: the whole home)
    expect(page.get_by_test_id("att-day")).to_be_visible(timeout=TIMEOUT)  # pulled
    sync_tablet(page)  # and the sync of her sign-in done: nothing in flight from here
    assert set(page.evaluate(ATT_RESIDENTS)) == set().union(*units.values())
    assert pulls and all("unit_id" not in url for url in pulls)

    # enrolled at the post (the credential through the API, kept as the enrolment screen keeps it)
    device_id = page.evaluate("() => import('/lib/db.js').then((db) => db.getMeta('device_id'))")
    r = admin.post(server.url + "/api/devices", headers=HEADERS,
                   json={"device_id": device_id, "name": "Activities tablet", "post_id": post["id"]})
    assert r.status_code == 201, r.text
    page.evaluate("(record) => import('/lib/people.js').then((p) => p.saveEnrolment(record))",
                  {"device_id": device_id, "credential": r.json()["credential"], "name": "Activities tablet",
                   "post": post})
    pulls.clear()
    page.evaluate("() => import('/lib/sync.js').then((s) => s.pullAttendance())")
    assert pulls and all(f"unit_id={post['unit_id']}" in url for url in pulls)
    assert "cursor=0" in pulls[0]  # another scope: a snapshot
    assert set(page.evaluate(ATT_RESIDENTS)) == units[post["unit_id"]]
    # the next pull goes on from the unit's own cursor
    pulls.clear()
    page.evaluate("() => import('/lib/sync.js').then((s) => s.pullAttendance())")
    assert pulls and "cursor=0" not in pulls[0] and f"unit_id={post['unit_id']}" in pulls[0]
