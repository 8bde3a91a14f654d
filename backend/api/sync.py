import uuid

from flask import Blueprint, current_app
from flask_babel import gettext as _

from .. import i18n
from ..domain import roles
from ..domain.messages import Msg
from ..domain.sync import Decision
from ..errors import ApiError
from ..services import sync as sync_service
from . import context, entry_input
from .registry import Prebuilt, route
from .schemas import PullQuerySchema, PullSchema, PushReplySchema, PushSchema

bp = Blueprint("sync", __name__, url_prefix="/api/sync")


NOT_AN_OBJECT = {"entry": Msg("must be an object")}


def _load_entries(raw_entries):
    """Parse each entry on its own: a malformed entry is refused by name, the rest of the batch goes on. The answer
    names it by the id as sent (the tablet finds its outbox row by it), or by its position when it has no usable
    one."""
    parsed, refused = [], {}
    for index, raw in enumerate(raw_entries):
        if not isinstance(raw, dict):
            refused[index] = Decision(f"#{index}", "rejected", "invalid", NOT_AN_OBJECT)
            continue
        entry, errors = entry_input.parse(raw)
        respelled = _respelled(raw, errors)
        if respelled is not None:
            entry, errors = respelled
        if errors:
            eid = raw.get("id")
            if not isinstance(eid, str) or len(eid) > 64 or not entry_input.clean_text(eid):
                eid = f"#{index}"
            refused[index] = Decision(eid, "rejected", "invalid", errors)
        else:
            parsed.append(entry)
    return parsed, refused


def _respelled(raw, errors):
    """Another spelling of a UUID as an entry's id (upper case, no hyphens...): the entry parsed under the one
    spelling, remembering the id as sent (`sent_id`), so that the rules answer `duplicate` or `id_conflict` when
    that id is stored and refuse it otherwise (domain/sync.py judge). None when the id is not the only problem."""
    if set(errors) != {"id"} or not isinstance(raw.get("id"), str) or len(raw["id"]) > 64:
        return None
    try:
        canonical = str(uuid.UUID(raw["id"]))
    except ValueError:
        return None
    entry, errors = entry_input.parse(dict(raw, id=canonical))
    if errors:
        return None
    entry["sent_id"] = raw["id"]
    return entry, errors


@route(bp, "/push", ["POST"], roles=roles.STAFF, device=True, body=PushSchema, response=PushReplySchema,
       summary="Push entries; idempotent on each entry's id. The outbox belongs to the tablet: whoever is signed "
               "in (or the enrolled tablet's credential alone) may push it; each entry's signature proves its author")
def push(body):
    device = context.device()
    if device is not None and device.id != body["device_id"]:
        raise ApiError(403, "device_mismatch", _("The device id does not match the tablet's credential."),
                       {"device_id": _("not this tablet's id")})
    context.claim_device(body["device_id"])
    ctx = context.ctx(device=body["device_id"])
    parsed, refused = _load_entries(body["entries"])
    decisions, epoch = sync_service.push(ctx, body["post_id"], body["outbox_len"], parsed,
                                         context.vitals_definition(), current_app.config["SECRET_KEY"], device,
                                         body["device_now"])
    decisions = iter(decisions)
    results = [_result(refused[i] if i in refused else next(decisions)) for i in range(len(body["entries"]))]
    # Built here in PushReplySchema's shape: dumping 500 results through marshmallow was a tenth of a push.
    return Prebuilt(server_epoch=epoch, device_revoked=device is not None and device.revoked_at is not None,
                    received_at=ctx.now.isoformat(), results=results)


def _result(d):
    result = {"id": d.id, "status": d.status, "reason": d.reason, "fields": i18n.translate_fields(d.fields),
              "late": d.late, "flags": d.flags}
    if d.score is not None:  # an accepted assessment: the server's score, which the tablet then shows
        result["score"] = d.score
    return result


@route(bp, "/pull", roles=roles.POST_PULLERS, summary="Changes for a duty post after a cursor",
       query=PullQuerySchema, response=PullSchema)
def pull(query):
    ctx = context.ctx(device=query["device_id"] or context.device_id())
    context.claim_device(ctx.device_id)
    return sync_service.pull(ctx, query["post_id"], query["cursor"], query["limit"],
                             current_app.config["PULL_HISTORY_DAYS"])
