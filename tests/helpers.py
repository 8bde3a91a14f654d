"""Helpers for building entries as a tablet does, and for running the tablet's JS rules in node."""
import itertools
import json
import os
import shutil
import subprocess

from sqlalchemy.engine import make_url

from backend.services.ids import uuid7

_seq = itertools.count(1)


def entry(resident_id, author_id, day="2026-11-25", kind="tick", device_id="tab-1", client_seq=None, **fields):
    e = {"id": uuid7(), "kind": kind, "resident_id": resident_id, "day": day, "author_id": author_id,
         "device_id": device_id, "client_seq": client_seq if client_seq is not None else next(_seq),
         "device_time": f"{day}T10:00:00+07:00"}
    if kind == "tick":
        e.update(status="done")
    e.update(fields)
    return e


def corrections_after_targets(batch):
    """A reordered batch as one tablet could send it: each correction after the entry it corrects."""
    ids = {e["id"] for e in batch}
    placed, out, pending = set(), [], list(batch)
    while pending:
        e = next(e for e in pending if e.get("supersedes") not in ids or e["supersedes"] in placed)
        out.append(e)
        placed.add(e["id"])
        pending.remove(e)
    return out


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_node(script):
    """Run tests/js/<script> with node from the repository root; its stdout is JSON."""
    node = shutil.which("node")
    assert node, "node is required to run the tablet's JS side of the shared cases"
    proc = subprocess.run([node, os.path.join(ROOT, "tests", "js", script)], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def postgres_sibling_url(suffix):
    """A database next to TEST_DATABASE_URL's, named <its name><suffix> (a test creates and drops it), or None when
    the tests do not run on PostgreSQL."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith(("postgresql", "postgres:")):
        return None
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}{suffix}").render_as_string(hide_password=False)
