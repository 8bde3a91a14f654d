"""The tablet in headless Chromium, its CPU slowed 4x through the Chrome DevTools Protocol
(`Emulation.setCPUThrottlingRate`, set on every page) to stand in for a cheap tablet, and unthrottled for reference.

- Offline cold start: the nurse's tablet was set up online (an administrator enrols it, nurse1 signs in with her
  password and chooses a PIN, the first sync ends); then the server is stopped, the browser is closed, and the app is
  opened again: from navigation start to the resident list drawn with its handlers attached (the app's mark
  `bedside:residents-interactive`) and to the next painted frame.
- Tick: taps on "Done" through the real UI (a touch down and up sent through the DevTools Protocol, as a touch
  screen sends it), each timed from the lift (the pointerup's time stamp, which the click the browser makes of the
  tap shares) to its IndexedDB transaction committed (the app's mark `bedside:recorded`) and to the frame that
  shows the cell as done (a requestAnimationFrame and a task after the redraw). Beside it the browser's own floor,
  on a probe button: a tap that only repaints, and one that reads IndexedDB once before repainting.
- Backlog: entries recorded offline through the app's own `record` (lib/outbox.js) (the path a tap takes: signed with her key,
  stored in the entries and the outbox in one transaction), then the network is back and the nurse taps "Sync now":
  the time until the outbox is empty.
- Full pull: a fresh browser signs in and chooses the duty post whose month of history was pushed through the API;
  the time the app takes to fetch the first pull and apply it to IndexedDB (the app's measures `bedside:pull` and
  `bedside:pull-apply`).

    .venv/bin/python -m benchmarks.tablet [--size tiny|quick|full] [--json FILE] [--frontend DIR]
    .venv/bin/python -m benchmarks.tablet --ticks 60 [--ticks-ref 0] [--frontend DIR] [--json FILE]   # the tick alone

--frontend serves another copy of frontend/ (e.g. `git archive <rev> frontend`, with the app's marks added), for a
before/after comparison on the same machine.

No timed assertions: the run fails only on wrong answers (a tick not stored, an outbox not emptied, a pull that
did not bring the post).
"""
import argparse
import json
import math
import os
import statistics
import tempfile
import time
from datetime import timedelta

from playwright.sync_api import expect, sync_playwright

from .pull import push_entries
from .server import BenchmarkError, Server, get_json
from .workload import EntryFactory, read_layout

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
#: The cheap tablet: 4x slower than this machine's core. 1 = the reference, unthrottled.
THROTTLE = 4
RATES = (THROTTLE, 1)
VIEWPORT = {"width": 800, "height": 1280}
TIMEOUT = 60_000
PIN = "2468"
#: The tablet's sessions outlive the run (the idle lock would otherwise lock her between cold starts).
SERVER_ENV = {"IDLE_LOCK_SECONDS": "86400"}
TARGETS = {"cold_start_ms": 1000, "tick_p95_ms": 50, "backlog_s": 5.0, "backlog_entries": 1200}

SIZES = {
    # cold starts per rate; ticks at 4x and unthrottled; ticks per fresh server (the post has 304 open slots a
    # day); backlog entries per rate; fresh tablets pulling per rate; days of history behind the full pull; probe
    # taps per rate and kind for the browser's floor
    "tiny": {"cold_starts": 1, "ticks": 3, "ticks_ref": 2, "round": 5, "backlog": 20, "pulls": 1, "month_days": 2,
             "floor_taps": 2},
    "quick": {"cold_starts": 2, "ticks": 60, "ticks_ref": 20, "round": 280, "backlog": 300, "pulls": 1,
              "month_days": 30, "floor_taps": 15},
    "full": {"cold_starts": 5, "ticks": 500, "ticks_ref": 100, "round": 300, "backlog": 1200, "pulls": 3,
             "month_days": 30, "floor_taps": 30},
}

# Installed in every document before the app's scripts: the painted frame after the resident list is interactive,
# and a waiter for one tick (pointerdown on Done -> commit mark -> the cell drawn as done -> next painted frame).
HARNESS_JS = r"""
(() => {
  performance.setResourceTimingBufferSize(100000);  // the default 250 fills up during a long run
  const mark = performance.mark.bind(performance);
  const afterPaint = (fn) => requestAnimationFrame(() => setTimeout(fn, 0));
  performance.mark = (name, options) => {
    const entry = mark(name, options);
    if (name === 'bedside:residents-interactive') {
      afterPaint(() => { mark('bench:residents-painted'); console.debug('bench:residents-painted'); });
    }
    return entry;
  };
  window.__bench = {
    arm(key) {
      this.result = new Promise((resolve, reject) => {
        setTimeout(() => reject(new Error(`no painted tick for ${key} within 30 s`)), 30000);
        let t0 = null;
        let down = null;
        let drawn = null;
        const heard = {};  // when the page was handed the lift's pointerup and its click (if any)
        const onTap = (event) => {
          if (!(event.target.closest && event.target.closest('[data-testid="btn-done"]'))) return;
          if (event.type === 'pointerdown' && down === null) down = event.timeStamp;
          // The tap is timed from the lift: the pointerup (the app acts on it, lib/dom.js onTap), or the click the
          // browser makes of it (the same time stamp) where the app waits for that.
          if ((event.type === 'pointerup' || event.type === 'click') && t0 === null) t0 = event.timeStamp;
          if (event.type !== 'pointerdown' && !(event.type in heard)) heard[event.type] = performance.now();
        };
        const check = () => {
          const el = document.querySelector(`[data-testid="${key}"]`);
          if (t0 === null || drawn !== null || !el || el.dataset.state !== 'done') return;
          drawn = performance.now();
          observer.disconnect();
          for (const type of ['pointerdown', 'pointerup', 'click']) document.removeEventListener(type, onTap, true);
          afterPaint(() => {
            const painted = performance.now();
            const commit = performance.getEntriesByName('bedside:recorded').find((m) => m.startTime >= t0);
            resolve({committed: commit ? commit.startTime - t0 : null, drawn: drawn - t0, painted: painted - t0,
                     pressed: down === null ? null : t0 - down,
                     heard: Object.fromEntries(Object.entries(heard).map(([type, at]) => [type, at - t0]))});
          });
        };
        const observer = new MutationObserver(check);
        observer.observe(document.documentElement, {subtree: true, childList: true, attributes: true,
          attributeFilter: ['data-state']});
        for (const type of ['pointerdown', 'pointerup', 'click']) document.addEventListener(type, onTap, true);
      });
    },
  };
})();
"""

SYNC_STATE_JS = """async () => {
  const sync = await import('/lib/sync.js');
  const db = await import('/lib/db.js');
  const s = await sync.status();
  return {pending: s.pending, rejected: s.rejected, syncing: s.syncing, online: s.online,
          cursorPost: (await db.getMeta('cursor_post')) ?? null, device: await db.getMeta('device_id'),
          outbox: (await db.getAll('outbox')).length};
}"""

RECORD_JS = """async (list) => {
  const sync = await import('/lib/sync.js');
  const outbox = await import('/lib/outbox.js');
  for (let i = 0; i < list.length; i += 50) await outbox.record(list.slice(i, i + 50));
  return (await sync.status()).pending;
}"""

# Resolves when a 'status' event finds the outbox empty, timed from the tap on "Sync now".
ARM_PUSH_JS = """() => {
  window.__push = new Promise((resolve, reject) => {
    setTimeout(() => reject(new Error('the outbox was not empty within 120 s')), 120000);
    let t0 = null;
    const button = document.querySelector('[data-testid="sync-now"]');
    button.addEventListener('pointerdown', (event) => { t0 = event.timeStamp; }, {once: true, capture: true});
    import('/lib/sync.js').then((sync) => {
      const check = async () => {
        if (t0 === null) return;
        const s = await sync.status();
        if (s.pending === 0 && !s.syncing) {
          sync.events.removeEventListener('status', check);
          resolve(performance.now() - t0);
        }
      };
      sync.events.addEventListener('status', check);
    });
  });
}"""

RESOURCES_JS = """(path) => performance.getEntriesByType('resource').filter((r) => new URL(r.name).pathname === path)
  .map((r) => ({start: r.startTime, duration: r.duration, transfer: r.transferSize, encoded: r.encodedBodySize,
                decoded: r.decodedBodySize}))"""


def _stats(values):
    values = sorted(values)
    if not values:
        return None
    def pct(p):
        return values[min(len(values) - 1, max(0, math.ceil(p / 100 * len(values)) - 1))]
    return {"n": len(values), "min": values[0], "p50": statistics.median(values), "p95": pct(95),
            "max": values[-1], "mean": statistics.fmean(values)}


class Browser:
    """Playwright's Chromium with a persistent profile per tablet (its IndexedDB and service worker survive a
    restart of the browser, as on a real tablet)."""

    def __init__(self, pw, server_url, work_dir):
        self.pw = pw
        self.url = server_url
        self.work_dir = work_dir
        self.count = 0

    def profile(self):
        self.count += 1
        return os.path.join(self.work_dir, f"profile-{self.count}")

    def open(self, profile, offline=False):
        ctx = self.pw.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, base_url=self.url, viewport=VIEWPORT,
            has_touch=True, service_workers="allow", locale="en-GB")
        ctx.set_default_timeout(TIMEOUT)
        if offline:
            cut(ctx)
        ctx.add_init_script(HARNESS_JS)
        return ctx


def cut(ctx):
    """No network for this tablet: every request, the service worker's included, fails as offline."""
    ctx.route("**/*", lambda route: route.abort("internetdisconnected"))


def page_of(ctx, rate):
    page = ctx.pages[0] if ctx.pages else ctx.new_page()
    page.cdp = ctx.new_cdp_session(page)
    throttle(page, rate)
    return page


def throttle(page, rate):
    page.cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
    page.rate = rate


def _sign_in(page, username, base=""):
    page.goto(base + "/")
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill("demo")
    page.get_by_test_id("login-submit").click()


def _rows(page):
    return page.locator("[data-testid^='resident-row-']")


def sync_state(page):
    return page.evaluate(SYNC_STATE_JS)


def wait_synced(page, timeout=TIMEOUT / 1000):
    """Until the first pull is stored and nothing is waiting or being sent."""
    deadline = time.monotonic() + timeout
    while True:
        s = sync_state(page)
        if s["cursorPost"] is not None and not s["syncing"] and s["pending"] == 0:
            return s
        if time.monotonic() > deadline:
            raise BenchmarkError(f"the tablet did not finish syncing: {s}")
        page.wait_for_timeout(200)


def enrolled_tablet(browser):
    """A tablet enrolled by admin1 for the first post; nurse1 signed in with her password and chose a PIN; the
    service worker controls the page and the first sync is done. Returns (profile, context, page)."""
    profile = browser.profile()
    ctx = browser.open(profile)
    page = page_of(ctx, 1)
    set_up_nurse(page)
    return profile, ctx, page


def set_up_nurse(page, base=""):
    """On a fresh browser: admin1 enrols it for the first post, signs out; nurse1 signs in with her password and
    chooses a PIN; wait until the service worker controls the page and the first sync is done."""
    _sign_in(page, "admin1", base)
    page.get_by_test_id("enrol-name").fill("Benchmark tablet")
    page.get_by_test_id("enrol-submit").click()
    expect(page.get_by_test_id("enrolled-as")).to_be_visible()
    page.get_by_test_id("logout").click()
    page.get_by_test_id("lock-password").click()
    page.get_by_test_id("login-username").fill("nurse1")
    page.get_by_test_id("login-password").fill("demo")
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("pin-new").fill(PIN)
    page.get_by_test_id("pin-again").fill(PIN)
    page.get_by_test_id("pin-submit").click()
    expect(_rows(page).first).to_be_visible()
    page.wait_for_function("() => !!navigator.serviceWorker && navigator.serviceWorker.controller !== null")
    wait_synced(page)


# --- cold start ---------------------------------------------------------------------------------------------

def cold_start(browser, profile, rate):
    """Open the closed tablet with no network; figures in ms from navigation start."""
    ctx = browser.open(profile, offline=True)
    try:
        page = page_of(ctx, rate)
        # Waited for through the console: a wait_for_function would load Playwright's own (large) script into the
        # page while it starts, and at 4x that alone costs hundreds of milliseconds of its main thread.
        with page.expect_console_message(lambda m: m.text == "bench:residents-painted"):
            page.goto("/", wait_until="commit")
        figures = page.evaluate("""() => {
          const at = (name) => { const e = performance.getEntriesByName(name)[0]; return e ? e.startTime : null; };
          const nav = performance.getEntriesByType('navigation')[0];
          const fcp = performance.getEntriesByName('first-contentful-paint')[0];
          return {interactive: at('bedside:residents-interactive'), painted: at('bench:residents-painted'),
                  fcp: fcp ? fcp.startTime : null, dom_content_loaded: nav.domContentLoadedEventEnd,
                  worker_start: nav.workerStart, response_end: nav.responseEnd,
                  scripts: performance.getEntriesByType('resource').filter((r) => r.initiatorType === 'script'
                    || r.name.endsWith('.js')).length,
                  rows: document.querySelectorAll('[data-testid^="resident-row-"]').length};
        }""")
    finally:
        ctx.close()
    if not figures["rows"]:
        raise BenchmarkError("the offline cold start drew no resident")
    return figures


# --- ticks --------------------------------------------------------------------------------------------------

def _rates_for(n_throttled, n_ref):
    """Spread the unthrottled ticks evenly among the throttled ones (both see the same growing tablet)."""
    total = n_throttled + n_ref
    out = []
    for i in range(total):
        ref_so_far = sum(1 for r in out if r == 1)
        out.append(1 if n_ref and ref_so_far < round((i + 1) * n_ref / total) else THROTTLE)
    return out


# A probe button on the resident's day: what any tap costs in this browser before the app does anything (its time
# stamp to the handler, to the next painted frame), and with one IndexedDB read in between.
PROBE_JS = """() => {
  const b = document.createElement('button');
  b.id = 'bench-probe';
  b.textContent = 'probe';
  b.className = 'btn';
  document.body.append(b);
  b.addEventListener('click', async (event) => {
    const handler = performance.now() - event.timeStamp;
    if (window.__probeRead) await (await import('/lib/db.js')).getMeta('client_seq');
    b.textContent = String(Math.random());
    requestAnimationFrame(() => setTimeout(() => {
      window.__probeDone({handler, painted: performance.now() - event.timeStamp});
    }, 0));
  });
}"""


def finger_tap(page, locator):
    """A finger's tap on the element's centre: one touch down and up through Chrome DevTools Protocol, as the
    browser gets it from a touch screen. Playwright's own `tap()` first checks the target and, during the tap, runs
    its hit-target listeners in the page (pointerdown and pointerup: about 3 ms of main thread a tap at 4x) that no
    finger brings; the element is scrolled into view and measured before the clock starts."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    point = {"x": box["x"] + box["width"] / 2, "y": box["y"] + box["height"] / 2}
    page.cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [point]})
    page.cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def input_floor(page, taps):
    """{mode: {rate: [painted ms]}} for `taps` taps per rate on a button that only repaints ('tap') or first reads
    one value from IndexedDB ('tap + one read')."""
    page.evaluate(PROBE_JS)
    out = {}
    for mode, read in (("tap", False), ("tap + one read", True)):
        out[mode] = {}
        for rate in RATES:
            throttle(page, rate)
            page.evaluate("(read) => { window.__probeRead = read; }", read)
            got = []
            for _i in range(taps):
                page.evaluate("() => { window.__probe = new Promise((resolve) => { window.__probeDone = resolve; }); }")
                finger_tap(page, page.locator("#bench-probe"))
                got.append(page.evaluate("() => window.__probe")["painted"])
            out[mode][rate] = got
    throttle(page, 1)
    page.evaluate("() => document.getElementById('bench-probe').remove()")
    return out


def tick_round(browser, rates, log, env=SERVER_ENV, floor_taps=0):
    """One fresh server and tablet; a tap on Done per rate in `rates`, resident after resident. Returns the ticks by
    rate, and (floor_taps > 0) the input floor measured on the first resident's day."""
    out = {r: [] for r in RATES}
    floor = None
    with Server(base_dir=browser.work_dir, env=env) as srv:
        browser.url = srv.url
        _profile, ctx, page = enrolled_tablet(browser)
        try:
            device = sync_state(page)["device"]
            ids = [int(t.rsplit("-", 1)[1]) for t in
                   (_rows(page).nth(i).get_attribute("data-testid") for i in range(_rows(page).count()))]
            done = 0
            for rid in ids:
                if done == len(rates):
                    break
                page.get_by_test_id(f"resident-row-{rid}").click()
                expect(page.locator("li[data-testid^='cell-']").first).to_be_visible()
                if floor_taps and floor is None:
                    floor = input_floor(page, floor_taps)
                open_cells = page.locator("li[data-testid^='cell-']").filter(has=page.get_by_test_id("btn-done"))
                while done < len(rates) and open_cells.count():
                    cell = open_cells.first
                    key = cell.get_attribute("data-testid")
                    throttle(page, rates[done])
                    page.evaluate("(key) => window.__bench.arm(key)", key)
                    finger_tap(page, cell.get_by_test_id("btn-done"))
                    result = page.evaluate("() => window.__bench.result")
                    if result["committed"] is None:
                        raise BenchmarkError(f"tick {key}: no commit mark after the tap")
                    out[rates[done]].append(result)
                    done += 1
                throttle(page, 1)
                page.get_by_role("link", name="All residents").click()
                expect(_rows(page).first).to_be_visible()
            if done < len(rates):
                raise BenchmarkError(f"only {done} open slots for {len(rates)} ticks")
            stored = page.evaluate("""async (device) => {
              const db = await import('/lib/db.js');
              const session = await import('/lib/session.js');
              const day = session.today();
              return (await db.getAll('entries')).filter((e) => e.kind === 'tick' && e.device_id === device
                && e.day === day).length;
            }""", device)
            page.get_by_test_id("sync-now").click()
            wait_synced(page)
            with srv.client("nurse1", device_id="bench-reader") as client:
                layout = read_layout(client)
                snap = get_json(client, f"/api/sync/pull?post_id={layout.post_id}&cursor=0")
            on_server = sum(1 for e in snap["entries"] if e["device_id"] == device and e["kind"] == "tick"
                            and e["day"] == layout.today.isoformat())
        finally:
            ctx.close()
    if stored != len(rates) or on_server != len(rates):
        raise BenchmarkError(f"{len(rates)} ticks tapped, {stored} stored on the tablet, {on_server} on the server")
    log(f"    round: {len(rates)} ticks stored on the tablet and pushed")
    return out, floor


# --- backlog ------------------------------------------------------------------------------------------------

def backlog_fields(factory, first_day, count):
    """`count` entries of whole past days (every slot of every card item), as the fields a tap gives lib/outbox.js record."""
    out, day = [], first_day
    while len(out) < count:
        for e in factory.day(day):
            f = {k: e[k] for k in ("kind", "day", "resident_id", "item_id", "slot") if k in e}
            for k in ("status", "reason", "values"):
                if e.get(k) is not None:
                    f[k] = e[k]
            out.append(f)
        day -= timedelta(days=1)
    return out[:count], day


def push_backlog(ctx, page, fields, rate):
    """Record `fields` offline, reconnect, tap Sync now; seconds until the outbox is empty."""
    cut(ctx)
    throttle(page, 1)  # recording is not what is timed here
    pending = page.evaluate(RECORD_JS, fields)
    if pending < len(fields):
        raise BenchmarkError(f"{len(fields)} entries recorded offline, {pending} in the outbox")
    # Let a failing retry end first: a push already under way would hold the sync lock over the reconnect.
    deadline = time.monotonic() + 30
    while sync_state(page)["syncing"] and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    ctx.unroute("**/*")
    throttle(page, rate)
    page.evaluate(ARM_PUSH_JS)
    before = len(page.evaluate(RESOURCES_JS, "/api/sync/push"))
    page.get_by_test_id("sync-now").tap()
    ms = page.evaluate("() => window.__push")
    pushes = page.evaluate(RESOURCES_JS, "/api/sync/push")[before:]
    throttle(page, 1)
    state = sync_state(page)
    if state["pending"] or state["outbox"]:
        raise BenchmarkError(f"after the push the outbox still holds {state['outbox']} entries")
    return {"entries": len(fields), "seconds": ms / 1000, "requests": len(pushes),
            "request_seconds": sum(p["duration"] for p in pushes) / 1000, "outbox_after": state["outbox"]}


# --- full pull ----------------------------------------------------------------------------------------------

def first_pull(browser, rate):
    """A fresh browser: nurse1 signs in with her password and chooses the duty post; its first pull, timed."""
    ctx = browser.open(browser.profile())
    try:
        page = page_of(ctx, 1)
        _sign_in(page, "nurse1")
        expect(page.get_by_test_id("post-submit")).to_be_visible()
        throttle(page, rate)
        page.get_by_test_id("post-submit").tap()
        expect(_rows(page).first).to_be_visible()
        throttle(page, 1)
        page.wait_for_function("() => performance.getEntriesByName('bedside:pull').length > 0")
        figures = page.evaluate("""async () => {
          const db = await import('/lib/db.js');
          const m = (name) => performance.getEntriesByName(name).map((e) => e.duration);
          const pulls = performance.getEntriesByType('resource').filter((r) => r.name.includes('/api/sync/pull'));
          return {pull_ms: m('bedside:pull'), apply_ms: m('bedside:pull-apply'),
                  fetch_ms: pulls.map((r) => r.duration), transfer: pulls.map((r) => r.transferSize),
                  decoded: pulls.map((r) => r.decodedBodySize),
                  entries: (await db.getAll('entries')).length, residents: (await db.getAll('residents')).length,
                  cards: (await db.getAll('cards')).length};
        }""")
    finally:
        ctx.close()
    return figures


# --- the run ------------------------------------------------------------------------------------------------

def run(size="quick", work_dir=None, log=print, frontend_dir=None):
    """frontend_dir: serve another copy of frontend/ (a before/after comparison on the same machine)."""
    p = SIZES[size]
    env = dict(SERVER_ENV, **({"BEDSIDE_FRONTEND_DIR": os.path.abspath(frontend_dir)} if frontend_dir else {}))
    started = time.time()
    results = {"size": size, "params": p, "throttle": THROTTLE, "targets": TARGETS,
               "chromium": None, "cold_start": {}, "ticks": {}, "backlog": {}, "pull": {}}
    # The service worker's own fetches must go through context.route() too (microsoft/playwright#2311): read by the
    # Playwright driver when it starts.
    os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")
    with tempfile.TemporaryDirectory(prefix="bedside-tablet-", dir=work_dir) as work, sync_playwright() as pw:
        browser = Browser(pw, None, work)
        # A: the nurse's tablet: backlogs pushed online, then the server stops and the tablet starts cold.
        log(f"[tablet 1/3] backlog of {p['backlog']:,} entries per rate, then {p['cold_starts']} offline cold "
            "starts per rate")
        with Server(base_dir=work, env=env) as srv:
            browser.url = srv.url
            profile, ctx, page = enrolled_tablet(browser)
            results["chromium"] = ctx.browser.version if ctx.browser else page.evaluate("navigator.userAgent")
            with srv.client("nurse1", device_id="bench-backlog") as client:
                layout = read_layout(client)
                factory = EntryFactory(layout, seed=11)
            for rate in RATES:
                # From today back (about 3.3 days of one post at the full size): the server refuses an entry whose
                # tablet clock is more than three days from its care day (issue 14), so the backlog stays within
                # them; each rate records the same slots again, as a second tablet would.
                fields, _day = backlog_fields(factory, layout.today, p["backlog"])
                r = push_backlog(ctx, page, fields, rate)
                results["backlog"][rate] = r
                log(f"    {rate}x: {r['entries']:,} entries pushed in {r['seconds']:.2f} s "
                    f"({r['requests']} requests, {r['request_seconds']:.2f} s of them waiting on the server)")
            with srv.client("nurse1", device_id="bench-backlog") as client:
                snap = get_json(client, f"/api/sync/pull?post_id={layout.post_id}&cursor=0")
            results["backlog"]["server_has_today"] = len(snap["entries"])
            ctx.close()
        starts = {r: [] for r in RATES}
        for _i in range(p["cold_starts"]):
            for rate in RATES:
                starts[rate].append(cold_start(browser, profile, rate))
        for rate in RATES:
            results["cold_start"][rate] = {
                "runs": starts[rate],
                **{k: _stats([s[k] for s in starts[rate]]) for k in ("interactive", "painted")},
                # Chromium does not always report a first contentful paint for a start (seen in a quick run in the
                # test command): the median is of the starts that have one, None when none has.
                "fcp": _stats([s["fcp"] for s in starts[rate] if s["fcp"] is not None])}
            s = results["cold_start"][rate]
            log(f"    {rate}x: resident list interactive at {s['interactive']['p50']:.0f} ms (median of "
                f"{s['interactive']['n']}), painted {s['painted']['p50']:.0f} ms")
        # B: ticks, on fresh servers (a day has a limited number of open slots).
        log(f"[tablet 2/3] {p['ticks']} ticks at {THROTTLE}x and {p['ticks_ref']} unthrottled")
        samples = {r: [] for r in RATES}
        floor = None
        left = {THROTTLE: p["ticks"], 1: p["ticks_ref"]}
        rounds = 0
        while left[THROTTLE] or left[1]:
            share = min(1.0, p["round"] / (left[THROTTLE] + left[1]))
            n4, n1 = math.ceil(left[THROTTLE] * share), math.floor(left[1] * share)
            got, round_floor = tick_round(browser, _rates_for(n4, n1), log, env,
                                          floor_taps=0 if rounds else p["floor_taps"])
            floor = floor or round_floor
            rounds += 1
            for rate in RATES:
                samples[rate] += got[rate]
            left = {THROTTLE: left[THROTTLE] - n4, 1: left[1] - n1}
        for rate in RATES:
            results["ticks"][rate] = {k: _stats([t[k] for t in samples[rate]]) for k in ("committed", "drawn", "painted")}
            s = results["ticks"][rate]
            log(f"    {rate}x: tap -> painted p50 {s['painted']['p50']:.1f} ms, p95 {s['painted']['p95']:.1f} ms "
                f"(committed p50 {s['committed']['p50']:.1f} ms) over {s['painted']['n']} ticks")
        results["ticks"]["rounds"] = rounds
        results["ticks"]["floor"] = {mode: {rate: _stats(v) for rate, v in by_rate.items()}
                                     for mode, by_rate in (floor or {}).items()}
        # C: a fresh tablet's first pull of a post with a month of history.
        log(f"[tablet 3/3] first pull of a duty post with {p['month_days']} days of history, {p['pulls']} fresh "
            "browsers per rate")
        with Server(base_dir=work, env=env) as srv:
            browser.url = srv.url
            with srv.client("nurse1") as client:
                layout = read_layout(client)
                factory = EntryFactory(layout, seed=3)
                month = factory.days(layout.today, p["month_days"])
                push_entries(client, layout, month, layout.device_id)
            pulls = {r: [] for r in RATES}
            for _i in range(p["pulls"]):
                for rate in RATES:
                    pulls[rate].append(first_pull(browser, rate))
        for rate in RATES:
            runs = pulls[rate]
            if any(not r["entries"] or not r["residents"] for r in runs):
                raise BenchmarkError(f"a first pull brought nothing: {runs}")
            results["pull"][rate] = {
                "runs": runs, "total_ms": _stats([sum(r["pull_ms"]) for r in runs]),
                "apply_ms": _stats([sum(r["apply_ms"]) for r in runs]),
                "fetch_ms": _stats([sum(r["fetch_ms"]) for r in runs]),
                "entries": runs[0]["entries"], "residents": runs[0]["residents"], "cards": runs[0]["cards"],
                "transfer": runs[0]["transfer"], "decoded": runs[0]["decoded"]}
            s = results["pull"][rate]
            log(f"    {rate}x: {s['entries']:,} entries, {s['residents']} residents: {s['total_ms']['p50']:.0f} ms "
                f"(fetch {s['fetch_ms']['p50']:.0f} ms, apply {s['apply_ms']['p50']:.0f} ms)")
        results["pull"]["month_entries"] = len(month)
    results["seconds"] = time.time() - started
    results["met"] = met(results)
    return results


def _at(section, rate):
    """A figure by rate (int keys in a run, str keys once read back from JSON)."""
    return section.get(rate, section.get(str(rate)))


def met(results):
    t, thr = results["targets"], results["throttle"]
    out = {}
    cs = _at(results["cold_start"], thr)
    if cs:
        out["cold_start"] = cs["interactive"]["p50"] < t["cold_start_ms"]
    ticks = _at(results["ticks"], thr)
    if ticks and ticks["painted"]:
        out["tick_p95"] = ticks["painted"]["p95"] < t["tick_p95_ms"]
    bl = _at(results["backlog"], thr)
    if bl:
        out["backlog"] = (bl["seconds"] < t["backlog_s"]) if bl["entries"] >= t["backlog_entries"] else None
    return out


def _ms(x):
    return "–" if x is None else f"{x:,.0f}"


def _pair(s, a="p50", b="p95"):
    return "–" if not s else f"{s[a]:,.0f} / {s[b]:,.0f}"


def _verdict(flag):
    return "**met**" if flag else ("not at this size" if flag is None else "**missed**")


def markdown(results):
    p, t, thr = results["params"], results["targets"], results["throttle"]
    m = results.get("met") or met(results)
    cs4, cs1 = _at(results["cold_start"], thr), _at(results["cold_start"], 1)
    tk4, tk1 = _at(results["ticks"], thr), _at(results["ticks"], 1)
    bl4, bl1 = _at(results["backlog"], thr), _at(results["backlog"], 1)
    pl4, pl1 = _at(results["pull"], thr), _at(results["pull"], 1)
    out = ["## Tablet: headless Chromium with the CPU slowed 4×", "",
           f"Chromium {results.get('chromium') or ''}, headless, {VIEWPORT['width']}×{VIEWPORT['height']} with touch, "
           "driven by Playwright; every page's CPU slowed "
           f"{thr}× through the Chrome DevTools Protocol (`Emulation.setCPUThrottlingRate`) to stand in for a cheap "
           "tablet, and the same unthrottled for reference. The demo's duty post (12 residents) served by gunicorn "
           f"on SQLite. Size `{results['size']}`, {results.get('seconds', 0):.0f} s.", "",
           f"| Measure | Target at {thr}× | {thr}× | Unthrottled | Verdict |", "|---|---|---:|---:|---|",
           f"| Offline cold start to the interactive resident list, ms: median (min–max) of {cs4['interactive']['n']} | "
           f"under {t['cold_start_ms']:,} | {_ms(cs4['interactive']['p50'])} ({_ms(cs4['interactive']['min'])}–"
           f"{_ms(cs4['interactive']['max'])}) | {_ms(cs1['interactive']['p50'])} | {_verdict(m.get('cold_start'))} |",
           f"| A tick, tap to painted, ms: p50 / p95 of {tk4['painted']['n']} at {thr}×, {tk1['painted']['n']} unthrottled | "
           f"p95 under {t['tick_p95_ms']} | {_pair(tk4['painted'])} | {_pair(tk1['painted'])} | "
           f"{_verdict(m.get('tick_p95'))} |",
           f"| Backlog of {bl4['entries']:,} entries pushed after reconnecting, s | {t['backlog_entries']:,} under "
           f"{t['backlog_s']:.0f} | {bl4['seconds']:.2f} | {bl1['seconds']:.2f} | {_verdict(m.get('backlog'))} |",
           f"| A duty post's first pull fetched and applied, ms (median of {pl4['total_ms']['n']}) | – | "
           f"{_ms(pl4['total_ms']['p50'])} | {_ms(pl1['total_ms']['p50'])} | – |", ""]
    out += ["### Offline cold start", "",
            "The tablet is set up online (admin1 enrols it, nurse1 signs in with her password and sets a PIN, the first "
            "sync ends); then the server is stopped. Each start launches the browser on that profile with no network "
            "and opens `/`: the service worker answers from its cache, the app reads IndexedDB. Times from navigation "
            "start to the first contentful paint, to the resident list drawn with its handlers (the app's mark "
            "`bedside:residents-interactive`) and to the next painted frame. The browser's own launch is not counted; "
            "the wait for the mark goes through the console, not a Playwright script in the page.", "",
            "| CPU | Starts | First paint, ms | List interactive, ms: median (min–max) | Painted, ms |",
            "|---|---:|---:|---:|---:|"]
    for rate, s in ((thr, cs4), (1, cs1)):
        out.append(f"| {rate}× | {s['interactive']['n']} | {_ms(s['fcp']['p50'] if s['fcp'] else None)} | "
                   f"{_ms(s['interactive']['p50'])} ({_ms(s['interactive']['min'])}–{_ms(s['interactive']['max'])}) | "
                   f"{_ms(s['painted']['p50'])} |")
    out += ["", "### A tick", "",
            "Taps on \"Done\" on a resident's day through the real UI, slot after slot, resident after resident, on a "
            f"fresh server and tablet every {p['round']} taps (the post has 304 open slots a day); the unthrottled taps "
            f"are spread among the throttled ones ({results['ticks'].get('rounds', '?')} rounds). A tap is a touch down "
            "and up on the button's centre sent through Chrome DevTools Protocol, as from a touch screen (Playwright's "
            "`tap` runs hit-target listeners of its own in the page during the tap). Each is timed from the lift's "
            "event time stamp (as the browser's Event Timing counts it) to its entry committed to IndexedDB with its "
            "outbox row (`bedside:recorded`), to the cell drawn as done, and to the next painted frame (a "
            "requestAnimationFrame and a task after the redraw). ms, p50 / p95 (max):", "",
            "| CPU | Ticks | Committed | Drawn | **Painted** |", "|---|---:|---:|---:|---:|"]
    for rate, s in ((thr, tk4), (1, tk1)):
        out.append(f"| {rate}× | {s['painted']['n']} | {_pair(s['committed'])} | {_pair(s['drawn'])} | "
                   f"**{_pair(s['painted'])}** ({_ms(s['painted']['max'])}) |")
    floor = results["ticks"].get("floor") or {}
    if floor:
        out += ["", "The browser's own floor, measured on the same screen with a probe button: a tap whose handler "
                "only changes its text, and one that first reads one value from IndexedDB on the page (whose "
                "database answers wait for the page's frames; a tick's entry is stored by the recorder worker "
                "instead). Tap to painted, ms, p50 / p95:", "",
                f"| Probe | {thr}× | Unthrottled |", "|---|---:|---:|"]
        for mode, by_rate in floor.items():
            out.append(f"| {mode} | {_pair(_at(by_rate, thr))} | {_pair(_at(by_rate, 1))} |")
    out += ["", "### Backlog after reconnecting", "",
            "Entries of whole past days (every slot of every card item, vital signs with values) recorded offline "
            "through the app's own `record` (lib/outbox.js) from `page.evaluate`, 50 per call (signed with nurse1's key, stored "
            "with their outbox rows in one transaction: the path a tap takes), while every request fails as offline "
            "(`context.route` aborts them all, the service worker's included). Then the network is back and she taps "
            "\"Sync now\": the time from the tap until the outbox is empty (batches of 200, one request after the "
            "other, each reply applied to IndexedDB).", "",
            "| CPU | Entries | Seconds | Requests | Of which the requests, s | Entries/s |", "|---|---:|---:|---:|---:|---:|"]
    for rate, s in ((thr, bl4), (1, bl1)):
        out.append(f"| {rate}× | {s['entries']:,} | {s['seconds']:.2f} | {s['requests']} | {s['request_seconds']:.2f} | "
                   f"{s['entries'] / s['seconds']:,.0f} |")
    pl = results["pull"]
    out += ["", "### A duty post's first pull", "",
            f"The post's month ({pl['month_entries']:,} entries over {p['month_days']} days) is pushed through the API "
            "first; then a fresh browser signs in as nurse1 and chooses the post, and the app makes its first pull "
            "(the snapshot: residents, care cards, staff, and the entries of today and the history window). Total is "
            "the app's measure `bedside:pull` (request to the last page stored); fetch is the request's own time "
            "(server and transfer, gzipped); apply is the IndexedDB transaction (`bedside:pull-apply`).", "",
            "| CPU | Fresh tablets | Entries / residents / cards | Transferred, KiB | Total, ms | Fetch, ms | Apply, ms |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    for rate, s in ((thr, pl4), (1, pl1)):
        out.append(f"| {rate}× | {s['total_ms']['n']} | {s['entries']:,} / {s['residents']} / {s['cards']} | "
                   f"{sum(s['transfer']) / 1024:,.1f} | {_ms(s['total_ms']['p50'])} | {_ms(s['fetch_ms']['p50'])} | "
                   f"{_ms(s['apply_ms']['p50'])} |")
    out += ["", "Reading:", ""] + [f"- {line}" for line in reading(results)] + [""]
    return "\n".join(out)


def reading(results):
    thr = results["throttle"]
    cs4, cs1 = _at(results["cold_start"], thr), _at(results["cold_start"], 1)
    tk4, tk1 = _at(results["ticks"], thr), _at(results["ticks"], 1)
    bl4 = _at(results["backlog"], thr)
    pl4 = _at(results["pull"], thr)
    lines = [f"Offline, the throttled tablet shows its interactive resident list {cs4['interactive']['p50']:,.0f} ms "
             f"after navigation starts ({cs1['interactive']['p50']:,.0f} ms unthrottled): "
             f"{cs4['interactive']['p50'] / cs1['interactive']['p50']:.1f}× longer, not 4×, since the service worker, "
             "the database and the browser's own processes are not slowed."]
    floor = results["ticks"].get("floor") or {}
    if tk4["painted"]:
        line = (f"A tick is painted {tk4['painted']['p50']:,.0f} ms after the tap at p50 and {tk4['painted']['p95']:,.0f} ms "
                f"at p95 ({tk1['painted']['p50']:,.0f} / {tk1['painted']['p95']:,.0f} ms unthrottled); its entry is "
                f"committed after {tk4['committed']['p50']:,.0f} ms (p50).")
        if floor.get("tap") and floor.get("tap + one read"):
            bare, read = _at(floor["tap"], thr), _at(floor["tap + one read"], thr)
            line += (f" A tap that only repaints is painted at {bare['p50']:,.0f} / {bare['p95']:,.0f} ms here, one "
                     f"that reads IndexedDB once on the page at {read['p50']:,.0f} / {read['p95']:,.0f}: a tap reaches "
                     "the page up to a frame after its time stamp and is painted in a later frame, and the page's "
                     "database answers wait for its frames. The tick stores its entry in the recorder worker and "
                     "works its row out meanwhile, so it is painted about as soon as a bare repaint.")
        lines.append(line)
    lines.append(f"{bl4['entries']:,} entries go out at {bl4['entries'] / bl4['seconds']:,.0f} entries/s at {thr}×; "
                 f"{bl4['request_seconds'] / bl4['seconds']:.0%} of that time is the requests themselves (the server "
                 "checks every signature), the rest the tablet reading its outbox and applying the replies.")
    lines.append(f"A fresh tablet's first pull brings {pl4['entries']:,} entries, {pl4['residents']} residents and "
                 f"{pl4['cards']} care cards in {sum(pl4['transfer']) / 1024:,.1f} KiB; storing them takes "
                 f"{pl4['apply_ms']['p50']:,.0f} ms of its {pl4['total_ms']['p50']:,.0f} ms at {thr}×.")
    return lines


def ticks_only(ticks, ticks_ref=0, work_dir=None, log=print, frontend_dir=None):
    """Only the tick (part B of `run`), `ticks` at 4x and `ticks_ref` unthrottled on one fresh server and tablet: the
    A/B comparison of two trees alternated in one sitting (docs/benchmarks.md). Returns {rate: stats by measure}."""
    env = dict(SERVER_ENV, **({"BEDSIDE_FRONTEND_DIR": os.path.abspath(frontend_dir)} if frontend_dir else {}))
    with tempfile.TemporaryDirectory(prefix="bedside-ticks-", dir=work_dir) as work, sync_playwright() as pw:
        got, _floor = tick_round(Browser(pw, None, work), _rates_for(ticks, ticks_ref), log, env)
    return {rate: {**{k: _stats([t[k] for t in got[rate]]) for k in ("committed", "drawn", "painted")},
                   "painted_ms": [t["painted"] for t in got[rate]]}
            for rate in RATES if got[rate]}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.tablet", description=__doc__.split("\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="quick")
    parser.add_argument("--json", help="write the raw figures here")
    parser.add_argument("--frontend", help="serve this copy of frontend/ instead (before/after comparisons)")
    parser.add_argument("--ticks", type=int, default=0,
                        help="only this many ticks at 4x (and --ticks-ref unthrottled) on one fresh tablet")
    parser.add_argument("--ticks-ref", type=int, default=0)
    args = parser.parse_args(argv)
    if args.ticks:
        stats = ticks_only(args.ticks, args.ticks_ref, frontend_dir=args.frontend)
        for rate, by in stats.items():
            print(f"{rate}x: " + ", ".join(f"{k} p50 {s['p50']:.1f} p95 {s['p95']:.1f} max {s['max']:.1f} (n {s['n']})"
                                           for k, s in by.items() if k != "painted_ms"))
        if args.json:
            with open(args.json, "w", encoding="utf-8") as fh:
                json.dump(stats, fh, indent=1, default=str)
        return
    results = run(args.size, frontend_dir=args.frontend)
    print(markdown(results))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(results, fh, indent=1, default=str)


if __name__ == "__main__":
    main()
