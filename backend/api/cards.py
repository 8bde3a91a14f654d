from flask import Blueprint
from flask_login import current_user

from ..domain import roles
from ..services import cards as card_service
from . import context
from .registry import Prebuilt, PrebuiltList, route
from .schemas import CardCreateSchema, CardQuerySchema, CardSchema, ItemInputSchema, ItemPatchSchema

bp = Blueprint("cards", __name__, url_prefix="/api/cards")
READ = roles.PLAN_READERS
WRITE = roles.PLANNING


@route(bp, "", roles=READ, summary="A resident's care cards, newest first", query=CardQuerySchema,
       response=CardSchema, many=True)
def list_cards(query):
    reply = PrebuiltList(CardSchema(many=True).dump(card_service.cards_of(current_user, query["resident_id"], query["month"])))
    context.audit_read("resident", query["resident_id"], {"view": "care_cards"})
    return reply


@route(bp, "", ["POST"], roles=WRITE, summary="Create a draft card for a month", body=CardCreateSchema,
       response=CardSchema, status=201)
def create_card(body):
    return card_service.create_card(context.ctx(), body["resident_id"], body["month"],
                                    body["copy_from"])


@route(bp, "/<int:card_id>", roles=READ, summary="One care card", response=CardSchema)
def get_card(card_id):
    card = card_service.get_card(current_user, card_id)
    reply = Prebuilt(CardSchema().dump(card))
    context.audit_read("care_card", card_id, {"resident_id": card.resident_id})
    return reply


@route(bp, "/<int:card_id>/items", ["POST"], roles=WRITE, summary="Add an item", body=ItemInputSchema,
       response=CardSchema, status=201)
def add_item(card_id, body):
    return card_service.add_item(context.ctx(), card_id, body)


@route(bp, "/<int:card_id>/items/<int:item_id>", ["PATCH"], roles=WRITE, summary="Change an item",
       body=ItemPatchSchema, response=CardSchema)
def update_item(card_id, item_id, body):
    return card_service.update_item(context.ctx(), card_id, item_id, body)


@route(bp, "/<int:card_id>/items/<int:item_id>", ["DELETE"], roles=WRITE,
       summary="End an item (a draft's item is deleted)", response=CardSchema)
def end_item(card_id, item_id):
    return card_service.end_item(context.ctx(), card_id, item_id)


@route(bp, "/<int:card_id>/publish", ["POST"], roles=WRITE, summary="Publish the card to the duty post",
       response=CardSchema)
def publish(card_id):
    return card_service.publish(context.ctx(), card_id)
