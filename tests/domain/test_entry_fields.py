"""One definition of an entry's fields per side (backend/domain/entry_fields.py, frontend/lib/entry_fields.js), and
the two agree: what the tablet sends, what it must send and what the signature covers, in the signature's order.
Everything else on the server that lists an entry's fields is derived from the definition, or checked against it
here."""
from types import SimpleNamespace

from backend.api import entry_input
from backend.api.schemas import EntryInSchema
from backend.domain import entry_fields, signing
from backend.domain import sync as sync_rules
from backend.models import Entry
from backend.services import sync as sync_service

from ..helpers import run_node


def test_the_tablet_and_the_server_agree_on_the_entry_fields():
    got = run_node("run_entry_fields.mjs")
    assert [f["name"] for f in got["fields"]] == got["sent"] == list(entry_fields.SENT)
    assert got["required"] == list(entry_fields.REQUIRED)
    assert got["signed"] == got["signing"] == list(entry_fields.SIGNED)
    for f in got["fields"]:
        server = entry_fields.BY_NAME[f["name"]]
        assert (f["required"], f["signed"]) == (server.required, server.signed), f


def test_the_server_derives_its_lists_from_the_definition():
    # the signature's text and the payload hash: the signed fields, in the order every stored signature used
    assert signing.SIGNED_FIELDS == sync_rules.CLIENT_FIELDS == entry_fields.SIGNED == (
        "id", "kind", "resident_id", "item_id", "day", "slot", "status", "reason", "note", "values", "category",
        "supersedes", "author_id", "device_id", "client_seq", "device_time")
    assert entry_input._FIELDS == entry_fields.SENT and entry_input._REQUIRED == entry_fields.REQUIRED
    assert sync_service.ENTRY_COLUMNS == entry_fields.PULLED
    # every column of the entry table is defined, and nothing else
    assert sorted(entry_fields.COLUMNS) == sorted(c.name for c in Entry.__table__.columns)


def test_the_documented_entry_and_the_stored_row_follow_the_definition():
    schema = EntryInSchema()
    assert set(schema.fields) == set(entry_fields.SENT)
    assert {name for name, f in schema.fields.items() if f.required} == set(entry_fields.REQUIRED)
    assert all(f.metadata.get("description") for f in schema.fields.values())
    sent = {name: None for name in entry_fields.SENT}
    decision = SimpleNamespace(flags=None, late=False, payload_hash="h", revoked_device=False, score=None)
    row = sync_service._entry_row(sent, decision, seq=1, unit_id=1, pushed_by=None, received=None)
    assert set(row) == set(entry_fields.COLUMNS)
