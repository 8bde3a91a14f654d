"""The domain package is pure: importing it loads neither Flask nor the database layer."""
import subprocess
import sys


def test_domain_imports_neither_flask_nor_sqlalchemy():
    code = ("import sys, backend.domain.days, backend.domain.entries, backend.domain.roles, "
            "backend.domain.schedule, backend.domain.sync, backend.domain.vitals, backend.domain.audit_chain, "
            "backend.domain.forms, backend.domain.csv_import, backend.domain.errors, backend.domain.clock\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy', 'flask_sqlalchemy', "
            "'marshmallow', 'werkzeug'))\n"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
