"""One enrolled tablet, two nurses, no connection: PIN unlock, switching, the idle lock, per-person drafts,
sign-out and reload keep the outbox, and every entry reaches the server once, attributed to its author.
A revoked tablet hands over its outbox and only then wipes itself."""
import time
from collections import Counter

import requests
from playwright.sync_api import expect

from .pages import TIMEOUT, expect_pending, open_post, open_resident, sign_in, tick_done, wait_for_worker
from .test_bedside_loop import HEADERS, _api_session, _day_view, _today
from ..conftest import DEMO_RESIDENTS_PER_POST, DEMO_PASSWORD, LOGINS

IDLE_SECONDS = 8


def _meta(page, key):
    return page.evaluate("(k) => import('/lib/db.js').then((db) => db.getMeta(k))", key)


def _store(page, name):
    return page.evaluate("(n) => import('/lib/db.js').then((db) => db.getAll(n))", name)


def enrol(page, name="Первый пост — планшет A"):
    sign_in(page, LOGINS.admin1)
    page.get_by_test_id("enrol-name").fill(name)
    page.get_by_test_id("enrol-submit").click()
    expect(page.get_by_test_id("enrolled-as")).to_contain_text(name, timeout=TIMEOUT)
    page.get_by_test_id("logout").click()
    expect(page.get_by_test_id("lock-screen")).to_be_visible(timeout=TIMEOUT)


def password_then_pin(page, username, pin):
    page.get_by_test_id("lock-password").click()
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(DEMO_PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("pin-new").fill(pin)
    page.get_by_test_id("pin-again").fill(pin)
    page.get_by_test_id("pin-submit").click()
    expect(page.locator("[data-testid^='resident-row-']")).to_have_count(DEMO_RESIDENTS_PER_POST, timeout=TIMEOUT)


def switch_to(page, username, pin):
    """The two taps of a user switch (switch, her name), then her PIN."""
    page.get_by_test_id("switch-user").click()
    page.get_by_test_id(f"person-{username}").click()
    page.get_by_test_id("unlock-pin").fill(pin)
    page.get_by_test_id("unlock-submit").click()
    expect(page.locator("[data-testid^='resident-row-']")).to_have_count(DEMO_RESIDENTS_PER_POST, timeout=TIMEOUT)


def open_note(page):
    page.get_by_test_id("btn-note").click()
    return page.get_by_test_id("dialog-note")


def user_ids(server):
    out = {}
    for name in (LOGINS.nurse1, LOGINS.nurse3):
        r = requests.post(server.url + "/api/auth/login", json={"username": name, "password": DEMO_PASSWORD},
                          headers=HEADERS)
        out[name] = r.json()["id"]
    return out


def test_two_nurses_share_one_tablet_offline(server, new_context):
    server.env["IDLE_LOCK_SECONDS"] = str(IDLE_SECONDS)
    server.stop()
    server.start()
    ids = user_ids(server)
    page = new_context().new_page()
    enrol(page)
    password_then_pin(page, LOGINS.nurse1, "2468")
    wait_for_worker(page)
    page.get_by_test_id("switch-user").click()
    password_then_pin(page, LOGINS.nurse3, "1357")

    server.stop()  # the rest of the shift has no connection
    # nurse1 unlocks with her PIN (one wrong try first), ticks, starts a note and leaves it unfinished
    page.get_by_test_id("switch-user").click()
    page.get_by_test_id(f"person-{LOGINS.nurse1}").click()
    page.get_by_test_id("unlock-pin").fill("0000")
    page.get_by_test_id("unlock-submit").click()
    expect(page.get_by_test_id("unlock-error")).to_contain_text("4 attempts left", timeout=TIMEOUT)
    page.get_by_test_id("unlock-pin").fill("2468")
    page.get_by_test_id("unlock-submit").click()
    expect(page.locator("[data-testid^='resident-row-']")).to_have_count(DEMO_RESIDENTS_PER_POST, timeout=TIMEOUT)
    resident_id = open_resident(page, 0)
    tick_done(page)
    note = open_note(page)
    note.get_by_test_id("note-text").fill("Жалуется на боль в колене — уточнить у врача")
    note.get_by_test_id("btn-cancel").click()

    # she walks away: after the idle time the screen locks and shows nobody's data
    page.wait_for_timeout(IDLE_SECONDS * 1000 + 1500)
    expect(page.get_by_test_id("lock-screen")).to_be_visible(timeout=TIMEOUT)
    assert page.locator("[data-testid^='cell-'], [data-testid^='resident-row-']").count() == 0
    assert page.get_by_test_id("header-post").count() == 0

    # nurse3 unlocks: none of nurse1's own data (her draft) is visible to her
    page.get_by_test_id(f"person-{LOGINS.nurse3}").click()
    page.get_by_test_id("unlock-pin").fill("1357")
    page.get_by_test_id("unlock-submit").click()
    expect(page.locator("[data-testid^='resident-row-']")).to_have_count(DEMO_RESIDENTS_PER_POST, timeout=TIMEOUT)
    page.get_by_test_id(f"resident-row-{resident_id}").click()
    note = open_note(page)
    expect(note.get_by_test_id("note-text")).to_have_value("")
    note.get_by_test_id("note-text").fill("Поела хорошо, настроение ровное")
    note.get_by_test_id("btn-save").click()
    expect(note).to_be_hidden(timeout=TIMEOUT)
    tick_done(page)
    expect_pending(page, 3)

    # back to nurse1 (two taps and her PIN): her draft is still hers
    switch_to(page, LOGINS.nurse1, "2468")
    page.get_by_test_id(f"resident-row-{resident_id}").click()
    note = open_note(page)
    expect(note.get_by_test_id("note-text")).to_have_value("Жалуется на боль в колене — уточнить у врача")
    note.get_by_test_id("btn-cancel").click()

    made = {e["id"]: e["author_id"] for e in _store(page, "outbox") for e in [e["entry"]]}
    assert Counter(made.values()) == {ids[LOGINS.nurse1]: 1, ids[LOGINS.nurse3]: 2}

    # nurse1 signs out (offline, warned): the outbox stays, and so it does through a reload
    page.get_by_test_id("logout").click()
    page.get_by_test_id("dialog-confirm").get_by_test_id("btn-save").click()
    expect(page.get_by_test_id("lock-screen")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id(f"person-{LOGINS.nurse1}")).to_have_count(0)  # her PIN is gone: password next time
    expect(page.get_by_test_id(f"person-{LOGINS.nurse3}")).to_be_visible()
    page.reload()
    expect(page.get_by_test_id("lock-screen")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id("lock-pending")).to_contain_text("3")
    assert len(_store(page, "outbox")) == 3

    # the connection returns: the locked tablet pushes with its own credential, nobody signed in
    server.start()
    page.evaluate("() => import('/lib/sync.js').then((s) => s.syncNow())")
    deadline = time.monotonic() + 30
    while _store(page, "outbox") and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    assert _store(page, "outbox") == []
    view = _day_view(server, _api_session(server, LOGINS.supervisor1), _today())
    stored = [c["entry"] for r in view["residents"] for c in r["cells"] if c["entry"]] + view["notes"]
    seen = Counter(e["id"] for e in stored if e["id"] in made)
    assert seen == Counter(made.keys())  # each exactly once
    assert {e["id"]: e["author_id"] for e in stored if e["id"] in made} == made


def test_a_revoked_tablet_wipes_itself_only_once_its_outbox_is_empty(server, new_context):
    context = new_context()
    page = context.new_page()
    enrol(page, "Планшет, который потеряют")
    password_then_pin(page, LOGINS.nurse1, "8642")
    wait_for_worker(page)
    context.route("**/api/sync/push", lambda route: route.abort())  # pushes cannot get through for now
    open_resident(page, 1)
    tick_done(page)
    tick_done(page)
    expect_pending(page, 2)
    device_id = _meta(page, "device_id")

    admin = _api_session(server, LOGINS.admin1)
    r = admin.post(server.url + f"/api/devices/{device_id}/revoke", json={}, headers=HEADERS)
    assert r.status_code == 200, r.text

    # next contact: the tablet learns it was withdrawn, hides everything, but keeps what it could not send
    page.evaluate("() => import('/lib/sync.js').then((s) => s.syncNow())")
    expect(page.get_by_test_id("withdrawn")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id("withdrawn")).to_contain_text("being sent")
    expect(page.get_by_test_id("withdrawn")).to_have_attribute("data-state", "sending")
    page.wait_for_timeout(1500)
    assert len(_store(page, "outbox")) == 2
    assert page.locator("[data-testid^='resident-row-'], [data-testid^='cell-']").count() == 0

    # the way is free again: it hands the two entries over, then erases itself
    context.unroute("**/api/sync/push")
    page.evaluate("() => import('/lib/sync.js').then((s) => s.syncNow())")
    # (the waiting text says "then its data will be erased" too: wait for the state, not a word)
    expect(page.get_by_test_id("withdrawn")).to_have_attribute("data-state", "erased", timeout=30_000)
    expect(page.get_by_test_id("withdrawn")).to_contain_text("erased from the tablet")
    assert _store(page, "outbox") == [] and _store(page, "people") == [] and _store(page, "entries") == []
    assert _meta(page, "enrolment") is None
    devices = admin.get(server.url + "/api/devices", headers=HEADERS).json()
    mine = next(d for d in devices if d["id"] == device_id)
    assert mine["revoked_at"] and mine["wiped_at"]
    view = _day_view(server, admin_or_supervisor(server), _today())
    flagged = [c["entry"] for r in view["residents"] for c in r["cells"]
               if c["entry"] and c["entry"].get("from_revoked_device")]
    assert len(flagged) == 2
    assert sorted(e["id"] for e in view["from_revoked_devices"]) == sorted(e["id"] for e in flagged)


def admin_or_supervisor(server):
    return _api_session(server, LOGINS.supervisor1)


RECORD_BURST_JS = """async ({n, tag, resident}) => {
  const outbox = await import('/lib/outbox.js');
  const session = await import('/lib/session.js');
  const day = session.today();
  const made = [];
  for (let i = 0; i < n; i++) {
    const [e] = await outbox.record([{kind: 'note', day, resident_id: resident, note: `${tag} ${i}`}]);
    made.push(e.client_seq);
  }
  return made;
}"""


def test_two_tabs_recording_at_once_never_share_a_number(server, new_context):
    """Each tab remembers the last number it gave and checks it in the same transaction as its writes (no round
    trip first): when the other tab took it meanwhile, the whole write is undone and numbered again."""
    context = new_context()
    first = context.new_page()
    sign_in(first, LOGINS.nurse1)
    open_post(first)
    resident = open_resident(first, 0)
    second = context.new_page()
    second.goto(server.url + "/")
    expect(second.locator("[data-testid^='resident-row-']")).to_have_count(DEMO_RESIDENTS_PER_POST, timeout=TIMEOUT)
    burst = lambda page, n, tag: page.evaluate(RECORD_BURST_JS, {"n": n, "tag": tag, "resident": resident})  # noqa: E731
    # one number given in each tab, so both remember a last number before the race
    assert burst(first, 1, "A") == [1]
    assert burst(second, 1, "B") == [2]
    start = "([js, arg]) => { window.__burst = (0, eval)(js)(arg); }"
    first.evaluate(start, [RECORD_BURST_JS, {"n": 25, "tag": "A", "resident": resident}])
    second.evaluate(start, [RECORD_BURST_JS, {"n": 25, "tag": "B", "resident": resident}])
    a = first.evaluate("() => window.__burst")
    b = second.evaluate("() => window.__burst")
    assert len(a) == len(b) == 25 and not set(a) & set(b)
    # the entries store keeps every entry (the outbox empties as they are pushed)
    notes = [e for e in _store(first, "entries") if e["kind"] == "note"]
    assert sorted(e["client_seq"] for e in notes) == list(range(1, 53))  # none given twice, none skipped
    assert sorted(e["note"] for e in notes) == sorted([f"A {i}" for i in range(25)] + [f"B {i}" for i in range(25)]
                                                      + ["A 0", "B 0"])


# In place of the recorder worker (lib/recorder.js): one that takes requests, never answers them, and dies.
DYING_WORKER_JS = """
window.Worker = class extends EventTarget {
  constructor() { super(); window.__workerRequests = 0; }
  postMessage() {
    window.__workerRequests += 1;
    setTimeout(() => this.onerror && this.onerror(new ErrorEvent('error', {message: 'worker died'})), 200);
  }
  terminate() {}
};
"""


def test_entries_are_stored_on_the_page_when_the_recorder_worker_dies(server, new_context):
    """A tap's entries go to the recorder worker; when it dies with them unanswered, the page stores them itself,
    and everything after: each entry once, numbers without a gap."""
    context = new_context()
    context.add_init_script(DYING_WORKER_JS)
    page = context.new_page()
    sign_in(page, LOGINS.nurse1)
    open_post(page)
    resident = open_resident(page, 0)
    # bounded: entries the page never stores would leave the call waiting for ever
    bounded = ("([js, arg]) => Promise.race([(0, eval)(js)(arg), new Promise((_, reject) => "
               "setTimeout(() => reject(new Error('not stored within 20 s')), 20000))])")
    assert page.evaluate(bounded, [RECORD_BURST_JS, {"n": 3, "tag": "A", "resident": resident}]) == [1, 2, 3]
    assert page.evaluate("() => window.__workerRequests") == 1  # the first went to the worker, which died
    tick_done(page)
    notes = sorted((e["client_seq"], e["note"]) for e in _store(page, "entries") if e["kind"] == "note")
    assert notes == [(1, "A 0"), (2, "A 1"), (3, "A 2")]
    ticks = [e["client_seq"] for e in _store(page, "entries") if e["kind"] == "tick"]
    assert ticks == [4]
    assert page.evaluate("() => window.__workerRequests") == 1
