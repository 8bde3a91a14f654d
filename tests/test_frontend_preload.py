"""index.html preloads exactly the modules the app starts with: app.js's static imports and the duty-post view's
(the nurse's first screen). A module left out is fetched level by level on a slow tablet's cold start; one listed
but no longer imported is downloaded for nothing."""
import re
from pathlib import Path

from benchmarks.shell import module_graph, routes

FRONTEND = Path(__file__).resolve().parents[1] / "frontend"


def test_index_preloads_the_start_modules():
    html = (FRONTEND / "index.html").read_text(encoding="utf-8")
    listed = re.findall(r'<link rel="modulepreload" href="/([^"]+)">', html)
    assert len(listed) == len(set(listed)), "a module is listed twice"
    # a worker's modules load in the worker, not the page: a page's preload would not serve them
    start = module_graph(str(FRONTEND), ["app.js", routes(str(FRONTEND))["home"]], workers=False) - {"app.js"}
    assert set(listed) == start
