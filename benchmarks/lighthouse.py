"""Lighthouse (the npm package pinned in benchmarks/lighthouse/, run on this machine's Chromium) on the nurse's
screens: performance, accessibility, best practices.

The screens need a tablet in a given state, so Chromium is started here with a remote-debugging port and a
temporary profile; Playwright connects to it over CDP to set the state up (admin1 enrols the tablet, nurse1 signs in
with her password and chooses a PIN, the first sync ends), disconnects, and the Lighthouse CLI runs against the same
browser with `--disable-storage-reset` so the tablet keeps its IndexedDB, service worker and unlocked person.
Lighthouse's defaults otherwise: mobile form factor, simulated throttling (slow 4G, 4x CPU), one run per screen.

    (cd benchmarks/lighthouse && npm ci)      # once; node_modules is git-ignored
    .venv/bin/python -m benchmarks.lighthouse [--json FILE] [--keep-reports DIR]
"""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import requests
from playwright.sync_api import expect, sync_playwright

from .server import REPO, BenchmarkError, Server
from .tablet import CHROMIUM, CHROMIUM_ARGS, SERVER_ENV, _rows, set_up_nurse

LH_DIR = os.path.join(REPO, "benchmarks", "lighthouse")
LH_CLI = os.path.join(LH_DIR, "node_modules", "lighthouse", "cli", "index.js")
CATEGORIES = ("performance", "accessibility", "best-practices")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 95}


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Chromium:
    """This machine's Chromium, headless, on a debugging port with its own profile (kept between starts)."""

    def __init__(self, profile):
        self.profile = profile
        self.port = None
        self.proc = None

    def __enter__(self):
        self.port = _free_port()
        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless", f"--remote-debugging-port={self.port}", f"--user-data-dir={self.profile}",
             "--remote-allow-origins=*", *CHROMIUM_ARGS, "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(f"http://127.0.0.1:{self.port}/json/version", timeout=1).ok:
                    return self
            except requests.RequestException:
                time.sleep(0.2)
        self.__exit__()
        raise BenchmarkError("Chromium did not open its debugging port")

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # its own process group: the browser and its children
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=15)
        self.proc = None

    def page(self, pw):
        """Playwright connected over CDP: (browser, the profile's page)."""
        browser = pw.chromium.connect_over_cdp(f"http://127.0.0.1:{self.port}")
        ctx = browser.contexts[0]
        page = ctx.pages[0] if ctx.pages else ctx.new_page()
        page.set_default_timeout(60_000)
        return browser, page


def audit(port, url, out_path):
    """One Lighthouse run; returns the parsed report."""
    if not os.path.exists(LH_CLI):
        raise BenchmarkError(f"Lighthouse is not installed: run `npm ci` in {LH_DIR}")
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    done = subprocess.run(
        ["node", LH_CLI, url, f"--port={port}", "--disable-storage-reset", "--output=json",
         f"--output-path={out_path}", f"--only-categories={','.join(CATEGORIES)}", "--max-wait-for-load=60000",
         "--quiet"], env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0 or not os.path.exists(out_path):
        raise BenchmarkError(f"lighthouse failed on {url}: {done.stderr[-2000:]}")
    with open(out_path, encoding="utf-8") as fh:
        return json.load(fh)


def summary(report):
    """Scores (0-100), the timings behind performance, and the audits that lost points."""
    cats = report["categories"]
    scores = {c: round(cats[c]["score"] * 100) if cats[c]["score"] is not None else None for c in CATEGORIES}
    audits = report["audits"]
    metrics = {k: audits[k]["numericValue"] for k in ("first-contentful-paint", "largest-contentful-paint",
                                                      "total-blocking-time", "cumulative-layout-shift",
                                                      "speed-index", "interactive") if k in audits}
    failing = []
    for c in CATEGORIES:
        for ref in cats[c]["auditRefs"]:
            a = audits.get(ref["id"])
            if a and ref.get("weight", 0) > 0 and a.get("score") is not None and a["score"] < 1:
                failing.append({"category": c, "id": a["id"], "title": a["title"], "score": a["score"],
                                "display": a.get("displayValue", "")})
    return {"scores": scores, "metrics": metrics, "failing": failing,
            "final_url": report.get("finalDisplayedUrl") or report.get("finalUrl"),
            "lighthouse": report.get("lighthouseVersion"), "user_agent": report.get("environment", {}).get(
                "hostUserAgent")}


def run(size=None, work_dir=None, log=print, keep_reports=None, frontend_dir=None):
    """size: accepted for the suite's sake (one Lighthouse run per screen whatever the size). frontend_dir: serve
    another copy of frontend/ (before/after comparisons)."""
    started = time.time()
    env = dict(SERVER_ENV, **({"BEDSIDE_FRONTEND_DIR": os.path.abspath(frontend_dir)} if frontend_dir else {}))
    results = {"screens": [], "targets": TARGETS,
               "settings": "Lighthouse defaults: mobile form factor, simulated throttling (slow 4G, 4x CPU), "
                           "one run per screen, storage kept (--disable-storage-reset)"}
    with tempfile.TemporaryDirectory(prefix="bedside-lh-", dir=work_dir) as work, \
            Server(base_dir=work, env=env) as srv, sync_playwright() as pw:
        reports = keep_reports or os.path.join(work, "reports")
        os.makedirs(reports, exist_ok=True)

        def screen(chrome, name, url):
            log(f"  lighthouse: {name} ({url})")
            report = audit(chrome.port, srv.url + url, os.path.join(reports, f"{len(results['screens']) + 1}-"
                                                                        f"{url.strip('/#').replace('/', '-') or 'root'}.json"))
            s = summary(report)
            s.update(name=name, url=url)
            results["screens"].append(s)
            log("    " + ", ".join(f"{c} {v}" for c, v in s["scores"].items()))

        # A browser nobody signed in on: the sign-in screen.
        with Chromium(os.path.join(work, "fresh")) as chrome:
            browser, page = chrome.page(pw)
            page.goto(srv.url + "/")
            expect(page.get_by_test_id("login-username")).to_be_visible()
            page.wait_for_function("() => !!navigator.serviceWorker && navigator.serviceWorker.controller !== null")
            browser.close()
            screen(chrome, "Sign-in", "/#/login")
        # The nurse's tablet: her residents, a resident's day (where she ticks), then locked: the lock screen.
        with Chromium(os.path.join(work, "tablet")) as chrome:
            browser, page = chrome.page(pw)
            set_up_nurse(page, srv.url)
            resident = _rows(page).first.get_attribute("data-testid").rsplit("-", 1)[1]
            browser.close()
            screen(chrome, "Duty post: the residents", "/#/home")
            screen(chrome, "A resident's day (ticking)", f"/#/resident/{resident}")
            browser, page = chrome.page(pw)
            page.goto(srv.url + "/#/home")
            page.get_by_test_id("switch-user").click()
            expect(page.get_by_test_id("lock-screen")).to_be_visible()
            browser.close()
            screen(chrome, "Lock screen (who is using the tablet)", "/#/lock")
        results["lighthouse"] = results["screens"][0]["lighthouse"] if results["screens"] else None
        results["chromium"] = results["screens"][0]["user_agent"] if results["screens"] else None
    results["met"] = {s["name"]: all((s["scores"][c] or 0) >= TARGETS[c] for c in CATEGORIES)
                      for s in results["screens"]}
    results["seconds"] = time.time() - started
    return results


def markdown(results):
    t = results["targets"]
    out = ["## Lighthouse: the nurse's screens", "",
           f"Lighthouse {results.get('lighthouse') or ''} (npm, pinned in `benchmarks/lighthouse/`) against this "
           "machine's headless Chromium. The tablet's state is set up first through Playwright over CDP (admin1 "
           "enrols it, nurse1 signs in and sets a PIN, the first sync ends); Lighthouse then loads each screen with "
           "`--disable-storage-reset`, so the service worker, IndexedDB and the unlocked person stay. "
           f"{results['settings']}.", "",
           "| Screen | URL | Performance | Accessibility | Best practices | FCP, ms | LCP, ms | TBT, ms | CLS |",
           "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for s in results["screens"]:
        sc, m = s["scores"], s["metrics"]
        out.append(f"| {s['name']} | `{s['url']}` | {sc['performance']} | {sc['accessibility']} | "
                   f"{sc['best-practices']} | {m.get('first-contentful-paint', 0):,.0f} | "
                   f"{m.get('largest-contentful-paint', 0):,.0f} | {m.get('total-blocking-time', 0):,.0f} | "
                   f"{m.get('cumulative-layout-shift', 0):.3f} |")
    ok = all(results["met"].values())
    out += ["", f"Targets: accessibility {t['accessibility']}, best practices and performance at least "
            f"{t['best-practices']} — {'**met** on every screen' if ok else '**missed** on ' + ', '.join(n for n, v in results['met'].items() if not v)}.",
            ""]
    losing = [(s["name"], f) for s in results["screens"] for f in s["failing"]]
    if losing:
        out += ["Audits that cost points:", ""]
        out += [f"- {name}: {f['category']} — {f['title']} ({f['display'] or 'score ' + format(f['score'], '.2f')})"
                for name, f in losing]
        out.append("")
    return "\n".join(out)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.lighthouse", description=__doc__.split("\n")[0])
    parser.add_argument("--json", help="write the summary here")
    parser.add_argument("--keep-reports", help="keep Lighthouse's own JSON reports in this folder")
    parser.add_argument("--frontend", help="serve this copy of frontend/ instead (before/after comparisons)")
    args = parser.parse_args(argv)
    if args.keep_reports:
        shutil.rmtree(args.keep_reports, ignore_errors=True)
    results = run(keep_reports=args.keep_reports and os.path.abspath(args.keep_reports), frontend_dir=args.frontend)
    print(markdown(results))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(results, fh, indent=1)


if __name__ == "__main__":
    main()
