"""`bedside backup` / `bedside restore`: equal data after a round trip, a new server epoch, refusal without
--yes, and tablets re-pushing after a restore (runs on SQLite, and on PostgreSQL with TEST_DATABASE_URL)."""
# ruff: noqa: F811  (pytest fixtures imported from tests/api/conftest.py are named as arguments)
import sqlite3
import uuid

from backend.app import create_app
from backend.backup import backup_command, restore_command
from backend.extensions import db
from backend.models import Entry, SyncState

from .api.conftest import DAY, cheap_password_hashes, push, world  # noqa: F401  (fixtures; the hashing one is autouse)
from .helpers import entry as make_entry
from .conftest import LOGINS


def run(app, command, *args):
    result = app.test_cli_runner().invoke(command, [str(a) for a in args])
    return result.exit_code, result.output


def table_rows(app):
    """Every row of every table, as sorted text (the epoch and when sessions ended left out: a restore changes them
    on purpose)."""
    with app.app_context():
        out = {}
        for table in db.Model.metadata.sorted_tables:
            rows = db.session.execute(db.select(table)).mappings().all()
            if table.name in ("sync_state", "user_session"):
                rows = [{k: v for k, v in r.items() if k not in ("epoch", "ended_at")} for r in rows]
            out[table.name] = sorted(repr(sorted(dict(r).items())) for r in rows)
        db.session.remove()
    return out


def epoch(app):
    with app.app_context():
        value = db.session.get(SyncState, 1).epoch
        db.session.remove()
    return value


def entry_ids(app):
    with app.app_context():
        ids = sorted(e.id for e in Entry.query)
        db.session.remove()
    return ids


def notes(world, numbers, device_id="tab-1"):
    return [make_entry(world.r1, world.nurse1, kind="note", note=f"n{n}", device_id=device_id, client_seq=n)
            for n in numbers]


def test_backup_then_restore_gives_equal_data_and_a_new_epoch(demo, world, api, tmp_path):
    api.login(LOGINS.nurse1)
    push(api, notes(world, [1, 2, 3]), post_id=world.post1)
    before, epoch_before = table_rows(demo), epoch(demo)
    path = tmp_path / "backups" / "bedside.backup"
    code, out = run(demo, backup_command, path)
    assert code == 0, out
    assert "Backed up" in out and path.stat().st_size > 0
    push(api, notes(world, [4, 5]), post_id=world.post1)
    code, out = run(demo, restore_command, path, "--yes")
    assert code == 0, out
    assert "Restored" in out and "epoch" in out
    assert table_rows(demo) == before
    assert epoch(demo) != epoch_before


def test_restore_refuses_without_yes_when_the_database_holds_data(demo, world, api, tmp_path):
    api.login(LOGINS.nurse1)
    push(api, notes(world, [1]), post_id=world.post1)
    path = tmp_path / "bedside.backup"
    assert run(demo, backup_command, path)[0] == 0
    push(api, notes(world, [2]), post_id=world.post1)
    held, epoch_before = entry_ids(demo), epoch(demo)
    code, out = run(demo, restore_command, path)
    assert code == 1
    assert "--yes" in out
    assert entry_ids(demo) == held and len(held) == 2
    assert epoch(demo) == epoch_before


def test_restore_refuses_a_missing_or_foreign_file(demo, tmp_path):
    code, out = run(demo, restore_command, tmp_path / "nothing", "--yes")
    assert code == 1 and "no such backup file" in out
    junk = tmp_path / "junk"
    junk.write_bytes(b"not a backup at all")
    code, out = run(demo, restore_command, junk, "--yes")
    assert code == 1 and "neither" in out


def sqlite_app(path, clock):
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "CLOCK": clock,
                       "SECRET_KEY": "test-secret"})


def test_sqlite_restore_into_an_empty_database_needs_no_yes(tmp_path, clock):
    source = sqlite_app(tmp_path / "source.sqlite", clock)
    with source.app_context():
        db.create_all()
        db.session.add(SyncState(id=1, seq=7, epoch=uuid.uuid4().hex))
        db.session.commit()
        db.session.remove()
    backup_file = tmp_path / "copy.backup"
    assert run(source, backup_command, backup_file)[0] == 0
    # the copy is one self-contained SQLite file (no -wal beside it needed)
    conn = sqlite3.connect(backup_file)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("SELECT seq FROM sync_state").fetchone()[0] == 7
    conn.close()
    target = sqlite_app(tmp_path / "fresh.sqlite", clock)
    code, out = run(target, restore_command, backup_file)
    assert code == 0, out
    with target.app_context():
        state = db.session.get(SyncState, 1)
        assert state.seq == 7 and state.epoch != epoch(source)
        db.session.remove()
    for app in (source, target):
        with app.app_context():
            db.engine.dispose()


def test_tablet_pushes_again_what_the_restore_lost(demo, world, api, make_api, tmp_path):
    """Push 1-3, back up, push 4-6, restore: the tablet learns the new epoch, the supervisor sees 4-6 missing
    once the tablet pushes 7, and re-pushing everything stores 4-6 again (accepted) and nothing twice."""
    api.login(LOGINS.nurse1)
    first, second, later = notes(world, [1, 2, 3]), notes(world, [4, 5, 6]), notes(world, [7])
    status, page = api.get(f"/api/sync/pull?post_id={world.post1}&cursor=0&device_id=tab-1")
    assert status == 200
    known_epoch = page["server_epoch"]
    push(api, first, post_id=world.post1, outbox_len=3)
    path = tmp_path / "bedside.backup"
    assert run(demo, backup_command, path)[0] == 0
    push(api, second, post_id=world.post1, outbox_len=3)
    code, out = run(demo, restore_command, path, "--yes")
    assert code == 0, out
    assert entry_ids(demo) == sorted(e["id"] for e in first)

    # the restore ended every session: the nurse signs in again (as on the tablet after a restore)
    assert api.get("/api/auth/me")[0] == 401
    signed = dict(api.keyring)
    api.login(LOGINS.nurse1)
    api.keyring.update(signed)  # the tablet still signs with the key it has (its entries are signed already)
    # the tablet's next pull shows another epoch: it starts again from cursor 0 (frontend/lib/sync.js)
    status, page = api.get(f"/api/sync/pull?post_id={world.post1}&cursor=1&device_id=tab-1")
    assert status == 200 and page["server_epoch"] != known_epoch

    # entries 4-6 were acknowledged and left the outbox; the next push (7) lets the supervisor see the hole
    push(api, later, post_id=world.post1, outbox_len=1)
    sup = make_api()
    sup.login(LOGINS.supervisor1)
    status, view = sup.get(f"/api/units/{world.unit1}/days/{DAY}")
    assert status == 200
    assert [d["gaps"] for d in view["devices"] if d["id"] == "tab-1"] == [[[4, 6]]]

    # a tablet that still holds them pushes everything again: the lost ones are accepted, the rest duplicate
    results = push(api, first + second + later, post_id=world.post1, outbox_len=7)
    assert [r["status"] for r in results] == ["duplicate"] * 3 + ["accepted"] * 3 + ["duplicate"]
    assert entry_ids(demo) == sorted(e["id"] for e in first + second + later)
    status, view = sup.get(f"/api/units/{world.unit1}/days/{DAY}")
    assert [d["gaps"] for d in view["devices"] if d["id"] == "tab-1"] == [[]]



def test_entries_signed_with_a_key_issued_after_the_backup_are_taken_back(demo, world, api, make_api, tmp_path):
    """A nurse who signed in only after the backup: her key is not in the restored database. Every entry her
    tablet still holds is accepted after the restore (her key's secret is derived from the server's secret, kept
    outside the database) and flagged for review; an entry claiming another author with that key is refused."""
    path = tmp_path / "bedside.backup"
    assert run(demo, backup_command, path)[0] == 0
    nurse = make_api()
    nurse.login(LOGINS.nurse1, device_id="tab-7")  # a key issued after the backup
    held = [make_entry(world.r1, world.nurse1, kind="note", note=f"after {n}", device_id="tab-7", client_seq=n)
            for n in range(1, 101)]
    nurse.keyring.sign(held)
    forged = make_entry(world.r1, world.nurse2, kind="note", note="not hers", device_id="tab-7", client_seq=101)
    forged["key_id"], forged["sig"] = held[0]["key_id"], held[0]["sig"]
    code, out = run(demo, restore_command, path, "--yes")
    assert code == 0, out
    assert "Ended" in out and "session" in out
    colleague = make_api()
    colleague.login(LOGINS.nurse3, device_id="tab-7")
    results = push(colleague, held + [forged], device_id="tab-7", post_id=world.post1, outbox_len=101)
    assert [r["status"] for r in results] == ["accepted"] * 100 + ["rejected"]
    assert results[-1]["reason"] == "bad_signature"
    with demo.app_context():
        stored = Entry.query.filter(Entry.id.in_([e["id"] for e in held])).all()
        assert len(stored) == 100 and all(e.from_revoked_device for e in stored)
        db.session.remove()
    # her key was not put back: online unlock with it fails, her password issues a new one
    assert nurse.get("/api/auth/me")[0] == 401


def test_a_restore_revives_no_session_that_ended_after_the_backup(demo, world, make_api, tmp_path):
    early, late = make_api(), make_api()
    early.login(LOGINS.supervisor1, device_id="office")
    path = tmp_path / "bedside.backup"
    assert run(demo, backup_command, path)[0] == 0
    assert early.post("/api/auth/logout", {})[0] in (200, 204)  # signed out after the backup
    late.login(LOGINS.planner1, device_id="office-2")                 # signed in after the backup
    code, out = run(demo, restore_command, path, "--yes")
    assert code == 0, out
    assert early.get("/api/auth/me")[0] == 401
    assert late.get("/api/auth/me")[0] == 401
    assert "last recorded change" in out
