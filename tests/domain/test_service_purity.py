"""The services import no web framework: they raise domain errors (backend/domain/errors.py), which the API maps to
HTTP and translates in one place (backend/errors.py), and get what they need of the request as arguments."""
import ast
from pathlib import Path

SERVICES = Path(__file__).resolve().parents[2] / "backend" / "services"
FORBIDDEN = ("flask", "flask_babel", "flask_login", "werkzeug")
#: backend modules that are the web layer: errors.py (ApiError) and i18n.py (the request's language).
FORBIDDEN_LOCAL = ("errors", "i18n")


def _imports(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield 0, alias.name
        elif isinstance(node, ast.ImportFrom):
            yield node.level, node.module or ""


def test_services_import_no_web_framework():
    bad = []
    for path in sorted(SERVICES.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        for level, name in _imports(ast.parse(source)):
            top = name.split(".")[0]
            if level == 0 and top in FORBIDDEN or level == 2 and name in FORBIDDEN_LOCAL:
                bad.append(f"{path.name}: {'.' * level}{name}")
            if level == 0 and name.startswith("backend.") and name.split(".")[1] in FORBIDDEN_LOCAL:
                bad.append(f"{path.name}: {name}")
        if "ApiError" in source:
            bad.append(f"{path.name}: ApiError")
    assert bad == []


def test_the_check_sees_what_it_forbids():
    tree = ast.parse("from flask import g\nimport werkzeug.security\nfrom ..errors import ApiError\n")
    assert list(_imports(tree)) == [(0, "flask"), (0, "werkzeug.security"), (2, "errors")]
