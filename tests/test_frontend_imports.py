"""The tablet's module graph (frontend/**/*.js): no import cycles, and no view imports another view.

Every static `import ... from '...'` / `export ... from '...'` / `import '...'` and every dynamic `import('...')` is
read. A view (frontend/views/*.js) is a screen the router (app.js) loads; what two screens share lives in
frontend/lib/ (form texts: lib/formtext.js, sync marks: lib/marks.js...), so a screen can change without another
breaking and no screen is loaded as a library of another.

Allowed view-to-view imports (SHARED_UI): shared UI components that live beside the views:
- views/dialogs.js: the dialogs and the choice group every recording screen opens (no screen of its own);
- views/header.js: the header app.js draws on every screen (imported by app.js only).
"""
import re
from pathlib import Path

FRONTEND = Path(__file__).resolve().parents[1] / "frontend"
ROUTER = "app.js"
SHARED_UI = {"views/dialogs.js", "views/header.js"}

_STATIC = re.compile(r"""(?:^|[;\n}])\s*(?:import|export)\b[^;'"`()]*?\bfrom\s*['"]([^'"]+)['"]"""
                     r"""|(?:^|[;\n}])\s*import\s*['"]([^'"]+)['"]""")
_DYNAMIC = re.compile(r"""\bimport\(\s*['"]([^'"]+)['"]\s*\)""")
_COMMENT = re.compile(r"/\*.*?\*/|(?<![:'\"\\])//[^\n]*", re.DOTALL)


def _imports(rel):
    src = _COMMENT.sub("", (FRONTEND / rel).read_text(encoding="utf-8"))
    found = set()
    for m in [*_STATIC.finditer(src), *_DYNAMIC.finditer(src)]:
        target = next(g for g in m.groups() if g)
        if not target.startswith("."):
            continue  # absolute URLs are not modules of the shell
        path = (FRONTEND / rel).parent / target
        found.add(path.resolve().relative_to(FRONTEND).as_posix())
    return found


def graph():
    files = sorted(p.relative_to(FRONTEND).as_posix() for p in FRONTEND.rglob("*.js"))
    return {rel: _imports(rel) for rel in files}


def test_the_parser_sees_static_and_dynamic_imports():
    edges = graph()
    assert "lib/sync.js" in edges["app.js"] and "views/resident.js" in edges["app.js"]  # static and import()
    for rel, targets in edges.items():
        for target in targets:
            assert (FRONTEND / target).is_file(), f"{rel} imports {target}, which does not exist"


def test_no_import_cycles():
    edges = graph()
    cycles = []
    state = {}  # rel -> 1 visiting, 2 done
    stack = []

    def visit(rel):
        state[rel] = 1
        stack.append(rel)
        for target in sorted(edges.get(rel, ())):
            if state.get(target) == 1:
                cycles.append(stack[stack.index(target):] + [target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[rel] = 2

    for rel in sorted(edges):
        if rel not in state:
            visit(rel)
    assert cycles == [], "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_no_view_imports_another_view():
    edges = graph()
    wrong = sorted(f"{rel} -> {target}" for rel, targets in edges.items() if rel != ROUTER
                   for target in targets
                   if target.startswith("views/") and target not in SHARED_UI and rel != target)
    assert wrong == [], "a view imports another view (move what they share to frontend/lib/): " + ", ".join(wrong)


def test_shared_ui_is_not_a_screen():
    # an allowed component is never a route of its own, and imports no screen
    app = (FRONTEND / ROUTER).read_text(encoding="utf-8")
    edges = graph()
    for rel in SHARED_UI:
        assert f"import('./{rel}')" not in app.split("const ROUTES")[-1].split("};")[0], rel
        assert not [t for t in edges[rel] if t.startswith("views/")], rel


def test_no_view_touches_the_outbox_store():
    # views read and change the outbox through lib/outbox.js only
    pattern = re.compile(r"""tx\(\s*\[[^\]]*['"]outbox['"]|getAll\(\s*['"]outbox['"]|get\(\s*['"]outbox['"]"""
                         r"""|objectStore\(\s*['"]outbox['"]""")
    wrong = [p.relative_to(FRONTEND).as_posix() for p in sorted((FRONTEND / "views").glob("*.js"))
             if pattern.search(p.read_text(encoding="utf-8"))]
    assert wrong == []
