"""The app shell's module graph, read from frontend/ as the browser loads it: which modules a route's view brings
with it through static imports (and the workers they start), and which routes are the nurse's shift.

Used by the server to split the catalogs (backend/i18n.py: the strings of the nurse's modules come with the app
shell, the rest when another screen is first opened), by benchmarks/shell.py to measure the shell, and by
tests/test_frontend_preload.py. One definition of "the nurse's app": NURSE_ROUTES.
"""
import os
import re

#: The nurse's routes (frontend/app.js ROUTES): the duty post first, then the rest of her shift.
START_ROUTES = ("home",)
NURSE_ROUTES = ("login", "lock", "unlock", "pin", "home", "posts", "resident", "attention", "settings")

_IMPORT = re.compile(r"""(?:^|[;\n])\s*(?:import|export)\s[^;'"]*?from\s*['"](\.{1,2}/[^'"]+)['"]"""
                     r"""|(?:^|[;\n])\s*import\s*['"](\.{1,2}/[^'"]+)['"]""")
# a worker the module starts (lib/outbox.js's recorder): loaded by every page that records, so counted with it
_WORKER = re.compile(r"""new Worker\(new URL\(['"](\.{1,2}/[^'"]+)['"],\s*import\.meta\.url\)""")
_ROUTE = re.compile(r"""(\w+): \(\) => import\('\./([^']+)'\)""")


def static_imports(frontend_dir, rel, workers=True):
    """Modules `rel` imports statically, and (workers=True) the workers it starts (relative to frontend/)."""
    with open(os.path.join(frontend_dir, rel), encoding="utf-8") as fh:
        src = fh.read()
    out = set()
    for m in [*_IMPORT.finditer(src), *(_WORKER.finditer(src) if workers else ())]:
        target = m.group(1) or (m.group(2) if m.re is _IMPORT else None)
        out.add(os.path.normpath(os.path.join(os.path.dirname(rel), target)).replace(os.sep, "/"))
    return out


def module_graph(frontend_dir, roots, workers=True):
    """Every module reachable from `roots` through static imports (and, workers=True, the workers they start)."""
    seen, todo = set(), list(roots)
    while todo:
        rel = todo.pop()
        if rel not in seen:
            seen.add(rel)
            todo.extend(static_imports(frontend_dir, rel, workers))
    return seen


def routes(frontend_dir):
    """app.js's route -> view module."""
    with open(os.path.join(frontend_dir, "app.js"), encoding="utf-8") as fh:
        return dict(_ROUTE.findall(fh.read()))


def nurse_modules(frontend_dir):
    """The modules of the nurse's app: app.js and her routes' views, with everything they import."""
    views = routes(frontend_dir)
    return module_graph(frontend_dir, ["app.js"] + [views[r] for r in NURSE_ROUTES])
