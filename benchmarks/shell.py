"""App-shell size: every file under frontend/ and the three catalogs, fetched from the server as served."""
import gzip
import os
from collections import defaultdict

from .server import REPO

GZIP_LEVEL = 6
LOCALES = ("ru", "zh_Hans", "en")


def _url_for(rel):
    return "/sw.js" if rel == "sw.js" else "/" + rel


def run(client, frontend_dir=None, log=print):
    frontend_dir = frontend_dir or os.path.join(REPO, "frontend")
    paths = []
    for root, _dirs, files in os.walk(frontend_dir):
        for name in files:
            paths.append(os.path.relpath(os.path.join(root, name), frontend_dir).replace(os.sep, "/"))
    files, not_served = [], []
    for rel in sorted(paths):
        status, body = client.get(_url_for(rel))
        if status != 200:
            not_served.append({"path": rel, "status": status, "disk": os.path.getsize(os.path.join(frontend_dir, rel))})
            continue
        ext = os.path.splitext(rel)[1].lstrip(".").lower() or "(none)"
        files.append({"path": rel, "type": ext, "raw": len(body), "gzip": len(gzip.compress(body, GZIP_LEVEL))})
    for locale in LOCALES:
        path = f"/i18n/{locale}.json"
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
    log(f"  app shell: {total['files']} files, {total['raw']:,} B raw, {total['gzip']:,} B gzipped"
        + (f"; not served: {', '.join(n['path'] for n in not_served)}" if not_served else ""))
    return {"by_type": dict(sorted(by_type.items(), key=lambda kv: -kv[1]["raw"])), "files": files,
            "not_served": not_served, "total": total}
