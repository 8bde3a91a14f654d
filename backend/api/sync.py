from flask import Blueprint, current_app
from flask_login import current_user
from marshmallow import ValidationError

from ..domain import roles
from ..domain.sync import Decision
from ..services import sync as sync_service
from ..services.feed import state
from ..extensions import db
from . import context
from .registry import route
from .schemas import EntryInSchema, PullQuerySchema, PullSchema, PushReplySchema, PushSchema

bp = Blueprint("sync", __name__, url_prefix="/api/sync")
_entry_schema = EntryInSchema()


def _load_entries(raw_entries):
    """Parse each entry on its own: a malformed entry is refused by name, the rest of the batch goes on."""
    parsed, refused = [], {}
    for index, raw in enumerate(raw_entries):
        try:
            parsed.append(_entry_schema.load(raw))
        except ValidationError as exc:
            eid = raw.get("id") if isinstance(raw.get("id"), str) else f"#{index}"
            refused[index] = Decision(eid, "rejected", "invalid", {k: " ".join(v) if isinstance(v, list) else str(v)
                                                                   for k, v in exc.messages.items()})
    return parsed, refused


@route(bp, "/push", ["POST"], roles=roles.RECORDERS, summary="Push entries; idempotent on each entry's id",
       body=PushSchema, response=PushReplySchema)
def push(body):
    parsed, refused = _load_entries(body["entries"])
    decisions = iter(sync_service.push(current_user, body["device_id"], body["post_id"], body["outbox_len"],
                                       parsed, context.now(), context.vitals_definition(), context.address()))
    results = [refused[i] if i in refused else next(decisions) for i in range(len(body["entries"]))]
    return {"server_epoch": state(db.session).epoch, "received_at": context.now(), "results": results}


@route(bp, "/pull", roles=roles.RECORDERS, summary="Changes for a duty post after a cursor",
       query=PullQuerySchema, response=PullSchema)
def pull(query):
    return sync_service.pull(current_user, query["post_id"], query["cursor"], query["limit"], context.now(),
                             current_app.config["PULL_HISTORY_DAYS"], query["device_id"] or context.device_id())
