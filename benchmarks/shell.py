"""App-shell size, fetched from the server as served (`/sw.js` with its version filled in, catalogs built from the
.po files), raw and gzipped (each file on its own at level 6, as a server or proxy would send it).

Three figures, because "the shell" can mean three things:

- start: what the app loads to draw the nurse's first screen (the duty post's residents): the page, the style
  sheet, the manifest and icon, app.js with every module it imports, the duty-post view with its imports, and one
  catalog (the largest, Russian; a tablet reads one language at a time). This is the app shell of the App Shell
  model, and the figure the 100 KB target is read against.
- nurse: start plus every screen a nurse uses (sign-in, lock and PIN, a resident's day, needs attention, settings)
  with their imports: what her shift runs.
- precache: everything the service worker downloads when it installs (every role's screens, the assessment forms,
  all three catalogs): what a tablet downloads once per version, to work offline whoever picks it up.
"""
import gzip
import os
import re
from collections import defaultdict

from backend.shell_graph import NURSE_ROUTES, START_ROUTES, module_graph, routes  # noqa: F401

from .server import REPO

GZIP_LEVEL = 6
LOCALES = ("ru", "zh_Hans", "en")
TARGET_GZIP = 100 * 1024
#: The page's own resources besides the modules.
PAGE_FILES = ("index.html", "css/app.css", "manifest.webmanifest", "icons/icon.svg")
START_CATALOG = "ru"
_PRECACHE = re.compile(r"const PRECACHE = \[(.*?)\];", re.DOTALL)


def _url_for(rel):
    return "/sw.js" if rel == "sw.js" else "/" + rel


def precache_list(frontend_dir):
    with open(os.path.join(frontend_dir, "sw.js"), encoding="utf-8") as fh:
        block = _PRECACHE.search(fh.read()).group(1)
    return [url.lstrip("/") for url in re.findall(r"'([^']+)'", block) if url != "/"]


def _sum(files, paths):
    chosen = [files[p] for p in sorted(paths) if p in files]
    return {"files": len(chosen), "raw": sum(f["raw"] for f in chosen), "gzip": sum(f["gzip"] for f in chosen),
            "paths": [f["path"] for f in chosen], "missing": sorted(set(paths) - set(files))}


def run(client, frontend_dir=None, log=print):
    frontend_dir = frontend_dir or os.path.join(REPO, "frontend")
    paths = []
    for root, _dirs, names in os.walk(frontend_dir):
        for name in names:
            paths.append(os.path.relpath(os.path.join(root, name), frontend_dir).replace(os.sep, "/"))
    files, not_served = [], []
    for rel in sorted(paths):
        status, body = client.get(_url_for(rel))
        if status != 200:
            not_served.append({"path": rel, "status": status, "disk": os.path.getsize(os.path.join(frontend_dir, rel))})
            continue
        ext = os.path.splitext(rel)[1].lstrip(".").lower() or "(none)"
        files.append({"path": rel, "type": ext, "raw": len(body), "gzip": len(gzip.compress(body, GZIP_LEVEL))})
    # each catalog in its two parts (backend/i18n.py): the nurse's app's strings, and the rest
    for path in [f"/i18n/{locale}{part}.json" for locale in LOCALES for part in ("", ".rest")]:
        status, body = client.get(path)
        if status != 200:
            not_served.append({"path": path.lstrip("/"), "status": status, "disk": None})
            continue
        files.append({"path": path.lstrip("/"), "type": "catalog (i18n json)", "raw": len(body),
                      "gzip": len(gzip.compress(body, GZIP_LEVEL))})
    by_type = defaultdict(lambda: {"files": 0, "raw": 0, "gzip": 0})
    for f in files:
        t = by_type[f["type"]]
        t["files"] += 1
        t["raw"] += f["raw"]
        t["gzip"] += f["gzip"]
    total = {"files": len(files), "raw": sum(f["raw"] for f in files), "gzip": sum(f["gzip"] for f in files)}

    by_path = {f["path"]: f for f in files}
    views = routes(frontend_dir)
    start_modules = module_graph(frontend_dir, ["app.js"] + [views[r] for r in START_ROUTES])
    nurse_modules = module_graph(frontend_dir, ["app.js"] + [views[r] for r in NURSE_ROUTES])
    catalog = f"i18n/{START_CATALOG}.json"
    start = _sum(by_path, set(PAGE_FILES) | start_modules | {catalog})
    nurse = _sum(by_path, set(PAGE_FILES) | nurse_modules | {catalog})
    precache = _sum(by_path, set(precache_list(frontend_dir)))
    catalogs = {f"{loc}{part}": by_path.get(f"i18n/{loc}{part}.json") for loc in LOCALES for part in ("", ".rest")}
    log(f"  app shell: start {start['gzip']:,} B gz ({start['files']} files), nurse's screens {nurse['gzip']:,} B gz, "
        f"precache {precache['gzip']:,} B gz ({precache['files']} files); all files {total['raw']:,} B raw"
        + (f"; not served: {', '.join(n['path'] for n in not_served)}" if not_served else ""))
    return {"by_type": dict(sorted(by_type.items(), key=lambda kv: -kv[1]["raw"])), "files": files,
            "not_served": not_served, "total": total, "start": start, "nurse": nurse, "precache": precache,
            "catalogs": catalogs, "start_catalog": START_CATALOG, "target_gzip": TARGET_GZIP,
            "met": nurse["gzip"] < TARGET_GZIP}


def _kb(x):
    return f"{x / 1024:,.1f}"


def markdown(sh):
    """The report's section on the app shell."""
    target = sh.get("target_gzip", TARGET_GZIP)
    out = ["## App shell", "",
           "Every file fetched from the server as served (`/sw.js` with its version filled in, the catalogs "
           "`/i18n/<language>.json` built from the .po files). Gzip: each file on its own at level 6, summed (as a "
           "server or proxy compressing each response sends them). Module lists follow the static `import` "
           "statements from `app.js` and the routes' view modules.", "",
           "| What | Files | KiB raw | KiB gzip |", "|---|---:|---:|---:|"]
    rows = [("Start: page, CSS, manifest, icon, `app.js` and its imports, the duty-post view and its imports, "
             f"the `{sh['start_catalog']}` catalog (what draws the nurse's first screen)", sh["start"]),
            ("**The nurse's app**: start plus sign-in, lock and PIN, a resident's day, needs attention, settings — "
             "the app shell the target is read against", sh["nurse"]),
            ("Service-worker precache: every role's screens, the assessment forms, all three catalogs (what a "
             "tablet downloads once per version)", sh["precache"])]
    for name, s in rows:
        out.append(f"| {name} | {s['files']} | {_kb(s['raw'])} | {_kb(s['gzip'])} |")
    verdict = "**met**" if sh["nurse"]["gzip"] < target else "**missed**"
    out += ["", f"Target: app shell under {target // 1024} KB gzipped — {verdict} for the nurse's app: "
            f"{_kb(sh['nurse']['gzip'])} KiB (its first screen {_kb(sh['start']['gzip'])} KiB); the whole precache "
            f"{_kb(sh['precache']['gzip'])} KiB "
            f"({'under' if sh['precache']['gzip'] < target else 'over'} the target).", "",
            "By type (every file served):", "", "| Type | Files | KiB raw | KiB gzip |", "|---|---:|---:|---:|"]
    for ext, t in sh["by_type"].items():
        out.append(f"| {ext} | {t['files']} | {_kb(t['raw'])} | {_kb(t['gzip'])} |")
    tot = sh["total"]
    out.append(f"| **Total** | **{tot['files']}** | **{_kb(tot['raw'])}** | **{_kb(tot['gzip'])}** |")
    cats = sh.get("catalogs") or {}
    if cats:
        out += ["", "Catalogs (the tablet's own strings only; English only where it differs from the source text; "
                "`<locale>` the nurse's app's strings, part of the shell, `<locale>.rest` the others, fetched before "
                "another screen is first drawn): "
                + ", ".join(f"`{loc}` {_kb(c['raw'])} KiB ({_kb(c['gzip'])} gz)" for loc, c in cats.items() if c)
                + "."]
    if sh["not_served"]:
        out += ["", "Not served (not part of the shell, or failing): " + ", ".join(
            f"`{n['path']}` (HTTP {n['status']})" for n in sh["not_served"]) + "."]
    largest = sorted(sh["files"], key=lambda f: -f["gzip"])[:8]
    out += ["", "Largest files (gzipped): " + ", ".join(f"`{f['path']}` {_kb(f['gzip'])} KiB ({_kb(f['raw'])} raw)"
                                                         for f in largest) + "."]
    return "\n".join(out + [""])
