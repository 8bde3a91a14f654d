"""Month close and the archive copy (PDF) of closed care cards.

Closing is the supervisor's act (the head of unit, who does the daily control of the cards); supervisors and
planners may list a unit's month, view a card's grid and print a closed card.
"""
from flask import Blueprint
from flask_login import current_user

from ..domain import roles
from ..services import archive as archive_service
from . import context
from .archive_schemas import (
    CardSheetSchema,
    ClosedCardSchema,
    CloseMonthReplySchema,
    CloseMonthSchema,
    MonthOverviewSchema,
    MonthQuerySchema,
    PdfQuerySchema,
)
from .registry import Prebuilt, route

bp = Blueprint("archive", __name__, url_prefix="/api/archive")
READ = roles.ARCHIVE_READERS
CLOSE = roles.ARCHIVE_CLOSERS


@route(bp, "/months", roles=READ, summary="A unit's care cards of a month: status, closable or why not",
       query=MonthQuerySchema, response=MonthOverviewSchema)
def month(query):
    return archive_service.month_overview(current_user, query["unit_id"], query["month"], context.now())


@route(bp, "/months/close", ["POST"], roles=CLOSE, summary="Close every closable card of a unit's month",
       body=CloseMonthSchema, response=CloseMonthReplySchema)
def close_month(body):
    closed, left = archive_service.close_month(context.ctx(), body["unit_id"], body["month"])
    return {"closed": [c.id for c in closed], "left_open": [c.id for c in left]}


@route(bp, "/cards/<int:card_id>/close", ["POST"], roles=CLOSE,
       summary="Close a card (its month over, its days confirmed): it becomes read-only", response=ClosedCardSchema)
def close_card(card_id):
    return archive_service.close_card(context.ctx(), card_id)


@route(bp, "/cards/<int:card_id>", roles=READ, summary="A card laid out as the paper card (items × days)",
       response=CardSheetSchema)
def sheet(card_id):
    reply = Prebuilt(CardSheetSchema().dump(archive_service.card_sheet(current_user, card_id, context.now())))
    context.audit_read("care_card", card_id, {"view": "archive_sheet"})
    return reply


@route(bp, "/cards/<int:card_id>.pdf", roles=READ, query=PdfQuerySchema,
       summary="The printable copy of a closed card (application/pdf) for the personal file")
def pdf(card_id, query):
    lang = query["lang"] or current_user.locale or current_user.home.locale or "ru"
    if lang not in ("ru", "zh_Hans", "en"):
        lang = "ru"
    return context.pdf_reply(*archive_service.printable_card(
        context.ctx(), card_id, lang, context.pdf_fonts()))
