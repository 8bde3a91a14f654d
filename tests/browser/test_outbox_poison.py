"""The tablet never stalls behind one entry (issue 14): an entry the server fails on, waiting among good ones, is
set aside -- the good ones reach the server in order, the bad one is held in Needs attention with the server's
answer and a button to send it again; sent again once the server takes it, it syncs."""
import json

from playwright.sync_api import expect

from .pages import TIMEOUT, expect_pending, open_post, open_resident, sign_in, write_note
from .test_bedside_loop import _api_session, _day_view, _today
from ..conftest import LOGINS

MARKER = "POISON-14"
SERVER_ERROR = {"error": "server_error", "message": "Something went wrong on the server. Nothing was lost."}


def _outbox(page):
    return page.evaluate("() => import('/lib/db.js').then((db) => db.getAll('outbox'))")


def _notes_on_server(server):
    view = _day_view(server, _api_session(server, LOGINS.supervisor1), _today())
    return {n["note"] for n in view["notes"]}


def test_one_entry_the_server_fails_on_does_not_hold_up_the_others(server, new_context):
    context = new_context()
    page = context.new_page()
    sign_in(page, LOGINS.nurse1)
    open_post(page)
    open_resident(page, 0)

    # recorded while pushes cannot get through (the service worker's too: tests/browser/conftest.py)
    context.route("**/api/sync/push", lambda route: route.abort())
    texts = ["first good note", "second good note", f"{MARKER} the server fails on this one", "third good note",
             "fourth good note"]
    for text in texts:
        write_note(page, text)
    expect_pending(page, 5)
    poisoned = next(o for o in _outbox(page) if MARKER in (o["entry"]["note"] or ""))

    pushes = []

    def server_fails_on_the_marker(route):
        body = route.request.post_data or ""
        pushes.append([e["note"] for e in json.loads(body)["entries"]])
        if MARKER in body:
            route.fulfill(status=500, content_type="application/json", body=json.dumps(SERVER_ERROR))
        else:
            route.continue_()

    context.unroute("**/api/sync/push")
    context.route("**/api/sync/push", server_fails_on_the_marker)
    page.get_by_test_id("sync-now").click()

    # the good ones are on the server; the bad one, after a few tries alone, is held
    expect(page.get_by_test_id("attention-count")).to_have_text("1", timeout=TIMEOUT)
    expect_pending(page, 0)
    good = {t for t in texts if MARKER not in t}
    assert good <= _notes_on_server(server)
    assert not [n for n in _notes_on_server(server) if MARKER in n]
    # each request carried its entries in the order they were recorded, and the good ones went in that order
    order = {t: i for i, t in enumerate(texts)}
    assert all([order[n] for n in p] == sorted(order[n] for n in p) for p in pushes)
    through = [n for p in pushes if MARKER not in " ".join(p) for n in p]
    assert through == sorted(through, key=order.get)
    alone = [p for p in pushes if p == [texts[2]]]
    assert len(alone) >= 3, pushes  # held after its third failure alone (lib/outbox.js HOLD_AFTER)

    page.get_by_test_id("nav-attention").click()
    item = page.get_by_test_id(f"attention-item-{poisoned['id']}")
    expect(item).to_be_visible(timeout=TIMEOUT)
    expect(item.get_by_test_id("attention-reason")).to_contain_text(
        "The server failed on this entry each time it was sent.")
    expect(item.get_by_test_id("attention-answer")).to_contain_text("500")
    expect(item.get_by_test_id("attention-answer")).to_contain_text(SERVER_ERROR["message"])
    held = next(o for o in _outbox(page) if o["id"] == poisoned["id"])
    assert held["state"] == "rejected" and held["reason"] == "server_error"
    assert held["answer"]["status"] == 500 and held["lone_failures"] == 3

    # the server takes it now: sent again, it syncs
    context.unroute("**/api/sync/push")
    item.get_by_test_id("btn-retry").click()
    expect(page.get_by_test_id("attention-count")).to_be_hidden(timeout=TIMEOUT)
    expect(page.locator("[data-testid^='attention-item-']")).to_have_count(0, timeout=TIMEOUT)
    expect_pending(page, 0)
    assert _outbox(page) == []
    assert texts[2] in _notes_on_server(server)


def test_an_entry_the_server_refuses_is_held_at_once_and_the_rest_syncs(server, new_context):
    """A real refusal, no route faking it: text with a NUL character makes the server refuse the whole push (400,
    backend/api/input_guard.py). The entry is found alone and held at once, its field named; the others sync."""
    context = new_context()
    page = context.new_page()
    sign_in(page, LOGINS.nurse1)
    open_post(page)
    resident_id = open_resident(page, 0)
    context.route("**/api/sync/push", lambda route: route.abort())
    write_note(page, "a good note before")
    bad = page.evaluate("""([rid, text]) => Promise.all([import('/lib/outbox.js'), import('/lib/session.js')])
        .then(([outbox, session]) => outbox.record([{kind: 'note', day: session.today(), resident_id: rid, note: text}]))
        .then(([entry]) => entry)""",
                        [resident_id, "broken \u0000 text"])
    write_note(page, "a good note after")
    expect_pending(page, 3)

    context.unroute("**/api/sync/push")
    page.get_by_test_id("sync-now").click()
    expect(page.get_by_test_id("attention-count")).to_have_text("1", timeout=TIMEOUT)
    expect_pending(page, 0)
    assert {"a good note before", "a good note after"} <= _notes_on_server(server)

    page.get_by_test_id("nav-attention").click()
    item = page.get_by_test_id(f"attention-item-{bad['id']}")
    expect(item.get_by_test_id("attention-reason")).to_contain_text("Some values were not accepted.", timeout=TIMEOUT)
    expect(item.get_by_test_id("attention-answer")).to_contain_text("400")
    expect(item.get_by_test_id("attention-field-note")).to_contain_text("NUL")
    held = next(o for o in _outbox(page) if o["id"] == bad["id"])
    assert held["state"] == "rejected" and held["reason"] == "validation_error" and held["lone_failures"] == 1
