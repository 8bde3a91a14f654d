"""A new app version is never applied while entries wait in the outbox, and is applied (with one reload) once
the outbox is empty; the worker's caches never hold an API response."""
import shutil
from pathlib import Path

from playwright.sync_api import expect

from .conftest import ROOT
from .pages import TIMEOUT, expect_pending, open_post, open_resident, sign_in, tick_done, wait_for_worker
from ..conftest import LOGINS

WORKER_STATE = """() => navigator.serviceWorker.getRegistration().then((r) => ({
    waiting: !!r.waiting, active: r.active && r.active.state}))"""


def _release(frontend, tag):
    css = Path(frontend / "css" / "app.css")
    css.write_text(css.read_text(encoding="utf-8") + f"\n/* release {tag} */\n", encoding="utf-8")


def _check_for_update(page):
    page.evaluate("() => navigator.serviceWorker.getRegistration().then((r) => r.update())")


def _serve_copy(server, tmp_path):
    frontend = tmp_path / "frontend"
    shutil.copytree(ROOT / "frontend", frontend)
    server.stop()
    server.env["BEDSIDE_FRONTEND_DIR"] = str(frontend)
    server.start()
    return frontend


def test_update_waits_while_entries_are_unsynced(server, new_context, tmp_path):
    frontend = _serve_copy(server, tmp_path)
    context = new_context()
    page = context.new_page()
    sign_in(page, LOGINS.nurse1)
    open_post(page)
    open_resident(page, 0)
    first_caches = page.evaluate("() => caches.keys()")
    assert len(first_caches) == 1 and first_caches[0].startswith("bedside-shell-")

    server.stop()
    tick_done(page)
    expect_pending(page, 1)
    _release(frontend, 2)
    context.route("**/api/sync/push", lambda route: route.abort())  # pushes keep failing: the entry waits
    server.start()
    _check_for_update(page)
    expect(page.get_by_test_id("update-banner")).to_be_visible(timeout=TIMEOUT)
    page.wait_for_timeout(2000)  # time enough for a wrongly applied update to show
    assert page.evaluate(WORKER_STATE) == {"waiting": True, "active": "activated"}
    assert first_caches[0] in page.evaluate("() => caches.keys()")  # the running version's shell is intact
    expect_pending(page, 1)


def test_update_is_applied_once_the_outbox_is_empty(server, new_context, tmp_path):
    frontend = _serve_copy(server, tmp_path)
    page = new_context().new_page()
    sign_in(page, LOGINS.nurse1)
    open_post(page)
    open_resident(page, 0)
    tick_done(page)
    page.get_by_test_id("sync-now").click()
    expect_pending(page, 0)
    first_caches = page.evaluate("() => caches.keys()")
    _release(frontend, 2)
    server.stop()  # a deployment: the new release's server computes the new shell version
    server.start()
    with page.expect_event("load", timeout=30_000):  # applied at once, with one reload
        _check_for_update(page)
    wait_for_worker(page)
    expect(page.get_by_test_id("sync-pending")).to_be_visible(timeout=TIMEOUT)
    caches = page.evaluate("() => caches.keys()")
    assert len(caches) == 1 and caches != first_caches  # the old shell cache is gone; only ours were touched
    urls = page.evaluate("""async () => { const out = [];
        for (const name of await caches.keys()) {
          for (const req of await (await caches.open(name)).keys()) out.push(new URL(req.url).pathname);
        } return out; }""")
    assert urls and not [u for u in urls if u.startswith("/api/")]


def test_a_first_install_survives_a_flaky_connection(new_context):
    """Files the worker cannot fetch at first are fetched again: one cut is retried inside the install, and an
    install that fails outright is registered again by the page, until the tablet holds its offline copy."""
    context = new_context()
    cut = {"left": 6, "seen": 0}

    def flaky(route):
        if route.request.service_worker is None:  # the page's own request for the file is left alone
            route.continue_()
            return
        cut["seen"] += 1
        if cut["left"]:
            cut["left"] -= 1
            route.abort("connectionreset")
        else:
            route.continue_()

    context.route("**/views/tablets.js", flaky)
    page = context.new_page()
    sign_in(page, LOGINS.nurse1)
    open_post(page)  # waits until the worker controls the page
    # four tries inside the first install (all cut: it fails), then the page registers again: two more cuts
    # and the third try of the second install gets through
    assert cut == {"left": 0, "seen": 7}
    assert len(page.evaluate("() => caches.keys()")) == 1
