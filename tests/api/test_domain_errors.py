"""Refusals raised by the services as domain errors (backend/domain/errors.py) reach the reader in her language:
the message, the fields, the plural of a count and the problems carried in `extra`, as before the move."""
from pathlib import Path

from babel.messages.pofile import read_po

from .test_import import admin, staff_files  # noqa: F401 -- the fixture

ROOT = Path(__file__).resolve().parents[2]


def _ru():
    with open(ROOT / "translations" / "ru" / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return read_po(fh, locale="ru")


def test_a_service_refusal_is_translated_for_her(admin, world):  # noqa: F811
    staff_with_errors, _corrected = staff_files(world)
    admin.patch("/api/auth/me", {"locale": "ru"})
    catalog = _ru()
    status, body = admin.post("/api/staff/999999/reset-pin", {})
    assert (status, body["error"]) == (404, "not_found")
    assert body["message"] == catalog["No such member of staff."].string

    status, body = admin.post("/api/import/staff", {"csv": staff_with_errors, "dry_run": False})
    assert (status, body["error"]) == (400, "import_invalid")
    count = len(body["problems"])
    forms = catalog[("%(num)d problem in the file: nothing was imported.",
                     "%(num)d problems in the file: nothing was imported.")].string
    assert body["message"] in {form % {"num": count} for form in forms}
    assert body["fields"]["csv"] == body["message"]
    assert body["problems"][-1]["message"] == catalog["The same login as line %(line)d."].string % {"line": 2}

    status, reply = admin.post("/api/import/staff", {"csv": staff_with_errors, "dry_run": True})
    assert status == 200 and reply["problems"] == body["problems"]
