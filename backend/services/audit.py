"""Appending to the audit log, as a hash chain (domain/audit_chain.py).

Appends are serialised on the feed's row lock (`feed.lock`): a transaction that appends takes it, then reads the
last hash, so concurrent writers (threads or gunicorn workers) extend the chain one after another and ids grow in
chain order. Callers that already hold the lock in this transaction (every feed write does) pay one extra no-op
UPDATE of the same row.
"""
from dataclasses import dataclass

from sqlalchemy import select, text

from ..domain import audit_chain
from ..models import AuditEvent
from . import feed
from .bulk import insert_rows


@dataclass(frozen=True)
class Actor:
    """Who acts, read once: a signed-in user's id and role outside the ORM, so a write transaction (whose opening
    commit expires loaded objects) does not query the user again to write her audit row."""
    id: int
    role: str

    @classmethod
    def of(cls, user):
        return None if user is None else cls(user.id, user.role)


#: An object's id is at most this long. The one longer id is a sign-in name nobody holds (login_failed,
#: login_throttled): it may fill the username column (80); its first 64 characters are kept, as SQLite kept them all
#: and PostgreSQL refused the row (a 500, and no audit of the attempt).
OBJECT_ID_MAX = AuditEvent.object_id.type.length


def row(actor, action, object_type=None, object_id=None, detail=None, device_id=None, address=None, at=None):
    return {"at": at.replace(tzinfo=None), "actor_id": getattr(actor, "id", None), "role": getattr(actor, "role", None),
            "device_id": device_id, "address": address, "action": action, "object_type": object_type,
            "object_id": None if object_id is None else str(object_id)[:OBJECT_ID_MAX], "detail": detail}


def _head(session):
    """The newest row's hash. Must run after the lock, in a statement of its own (a fresh snapshot)."""
    last = session.execute(text("SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1")).scalar()
    return last or audit_chain.GENESIS


def record_many(session, rows, locked=False):
    """Append rows (dicts from `row`) in order, inside the caller's transaction. `locked`: the caller has taken
    the feed lock in this transaction already (feed.lock), which saves the no-op UPDATE."""
    if not rows:
        return
    if not locked:
        feed.lock(session)
    audit_chain.extend(_head(session), rows)
    insert_rows(session, AuditEvent.__table__, rows)


def record(session, actor, action, object_type=None, object_id=None, **kwargs):
    record_many(session, [row(actor, action, object_type, object_id, **kwargs)])


def record_alone(ctx, action, object_type=None, object_id=None, detail=None):
    """Append one row in a transaction of its own (reads and refusals, which write nothing else)."""
    from .publish import audited  # publish builds on this module
    with audited(ctx) as w:
        w.audit(action, object_type, object_id, detail=detail)


def read(ctx, object_type, object_id, detail=None):
    """A read of a resident's record (day view, care cards)."""
    record_alone(ctx, "read", object_type, object_id, detail=detail)


def refused(ctx, route, method, status, code, args=None):
    """A request the API refused: 401/403, or 404 for an object that is missing or not the caller's."""
    detail = {"route": route, "method": method, "status": status, "error": code}
    if args:
        detail["args"] = {k: v for k, v in args.items()}
    record_alone(ctx, "refused", "route", route[:64], detail=detail)


def chain_rows(session, batch=1000):
    """Every audit row as a dict, in id order, for audit_chain.verify (streamed in batches)."""
    columns = [AuditEvent.__table__.c[name] for name in ("id", "prev_hash", "hash") + audit_chain.FIELDS]
    last_id = 0
    while True:
        result = session.execute(select(*columns).where(AuditEvent.id > last_id).order_by(AuditEvent.id)
                                 .limit(batch)).mappings().all()
        if not result:
            return
        for r in result:
            yield dict(r)
        last_id = result[-1]["id"]
