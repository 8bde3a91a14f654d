"""The domain package is pure: importing it loads neither Flask nor the database layer."""
import subprocess
import sys


def test_domain_imports_neither_flask_nor_sqlalchemy():
    """Every module of backend/domain, the new ones included as they come."""
    code = ("import importlib, pkgutil, sys, backend.domain as d\n"
            "for m in pkgutil.iter_modules(d.__path__): importlib.import_module('backend.domain.' + m.name)\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy', 'flask_sqlalchemy', "
            "'marshmallow', 'werkzeug'))\n"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
