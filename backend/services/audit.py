"""Appending to the audit log."""
from sqlalchemy import insert

from ..models import AuditEvent
from .bulk import insert_rows


def row(actor, action, object_type=None, object_id=None, detail=None, device_id=None, address=None, at=None):
    return {"at": at.replace(tzinfo=None), "actor_id": getattr(actor, "id", None), "role": getattr(actor, "role", None),
            "device_id": device_id, "address": address, "action": action, "object_type": object_type,
            "object_id": None if object_id is None else str(object_id), "detail": detail}


def record(session, actor, action, object_type=None, object_id=None, **kwargs):
    session.execute(insert(AuditEvent), [row(actor, action, object_type, object_id, **kwargs)])


def record_many(session, rows):
    insert_rows(session, AuditEvent.__table__, rows)
