"""A new app version waits while entries are unsynced and is applied once the outbox is empty; the
worker's caches never hold an API response."""
import shutil
from pathlib import Path

from playwright.sync_api import expect

from .conftest import ROOT
from .pages import TIMEOUT, expect_pending, open_post, open_resident, sign_in, tick_done

VERSION = "() => fetch('/version.json').then((r) => r.json()).then((v) => v.version)"
WORKER_VERSION = """() => navigator.serviceWorker.controller
    ? fetch('/sw.js', {cache: 'no-store'}).then(() => caches.keys()) : []"""


def test_update_waits_for_an_empty_outbox(server, new_context, tmp_path):
    frontend = tmp_path / "frontend"
    shutil.copytree(ROOT / "frontend", frontend)
    server.stop()
    server.env["BEDSIDE_FRONTEND_DIR"] = str(frontend)
    server.start()

    context = new_context()
    page = context.new_page()
    sign_in(page, "nurse1")
    open_post(page)
    open_resident(page, 0)
    first_caches = page.evaluate("() => caches.keys()")
    assert len(first_caches) == 1 and first_caches[0].startswith("bedside-shell-")

    server.stop()
    tick_done(page)                       # an entry waits in the outbox
    expect_pending(page, 1)
    css = Path(frontend / "css" / "app.css")
    css.write_text(css.read_text(encoding="utf-8") + "\n/* release 2 */\n", encoding="utf-8")
    context.route("**/api/sync/push", lambda route: route.abort())  # pushes fail: the entry stays unsynced
    server.start()
    page.evaluate("() => navigator.serviceWorker.getRegistration().then((r) => r.update())")
    expect(page.get_by_test_id("update-banner")).to_be_visible(timeout=TIMEOUT)
    page.wait_for_timeout(1500)  # time enough for a wrongly applied update to show
    assert page.evaluate("() => navigator.serviceWorker.getRegistration().then((r) => !!r.waiting)")
    assert first_caches[0] in page.evaluate("() => caches.keys()")  # the running version's shell is intact
    expect_pending(page, 1)

    context.unroute("**/api/sync/push")
    with page.expect_event("load", timeout=TIMEOUT):  # the update is applied after the sync, with a reload
        page.get_by_test_id("sync-now").click()
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=TIMEOUT)
    expect_pending(page, 0)
    caches = page.evaluate("() => caches.keys()")
    assert len(caches) == 1 and caches != first_caches  # the old shell cache is gone, only ours were touched
    urls = page.evaluate("""async () => { const out = [];
        for (const name of await caches.keys()) {
          for (const req of await (await caches.open(name)).keys()) out.push(new URL(req.url).pathname);
        } return out; }""")
    assert urls and not [u for u in urls if u.startswith("/api/")]
