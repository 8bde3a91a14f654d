"""Care cards: a planner creates, edits and publishes them; tablets receive them through the feed."""
from datetime import timedelta

from ..domain import card_generation, schedule
from ..domain.errors import Conflict, Invalid, NotFound
from ..domain.messages import Msg
from ..extensions import db
from ..models import CardItem, CareCard
from . import access, homes
from .publish import published

CATEGORIES = card_generation.CATEGORIES


def _check_schedule(data):
    errors = schedule.validate(data["schedule_kind"], data.get("schedule"), data.get("days_of_week"))
    if errors:
        raise Invalid(Msg("Please check: %(fields)s", fields=", ".join(sorted(errors))), errors)


def cards_of(actor, resident_id, month=None):
    """A resident's cards, newest first; `month` (any day of it): only that month's."""
    access.get_resident(actor, resident_id)
    query = CareCard.query.filter_by(resident_id=resident_id)
    if month is not None:
        query = query.filter_by(month=month.replace(day=1))
    return query.order_by(CareCard.month.desc(), CareCard.version.desc()).all()


def get_card(actor, card_id):
    card = db.session.get(CareCard, card_id)
    if card is None or card.resident.unit_id not in access.unit_ids(actor):
        raise NotFound(Msg("No such care card."))
    return card


def writable_card(actor, card_id):
    """A card that may still change: a closed card is the archive copy and stays as it was closed."""
    card = get_card(actor, card_id)
    if card.status == "closed":
        raise Conflict(Msg("This month's card is closed and can no longer be changed."), code="card_closed")
    return card


def _touch(w, card, bump_version):
    if bump_version and card.status == "published":
        card.version += 1
    w.number(card)
    card.updated_at = w.ctx.now.replace(tzinfo=None)
    card.updated_by = w.ctx.actor.id


def create_card(ctx, resident_id, month, copy_from=None):
    actor = ctx.actor
    resident = access.get_resident(actor, resident_id)
    month = month.replace(day=1)
    if not resident.active and (resident.left_on is None or month > resident.left_on):
        raise Conflict(Msg("Her stay has ended (discharge or death): no new cards are made."), code="stay_ended")
    if CareCard.query.filter_by(resident_id=resident_id, month=month).first():
        raise Conflict(Msg("This resident already has a card for that month."),
                       {"month": Msg("This resident already has a card for that month.")},
                       code="exists")
    with published(ctx) as w:
        s = w.session
        card = CareCard(resident_id=resident_id, month=month, status="draft", version=1)
        _touch(w, card, False)
        s.add(card)
        s.flush()
        source = get_card(actor, copy_from) if copy_from else None
        for item in (source.items if source else []):
            if item.valid_to is None:
                s.add(CardItem(card_id=card.id, **{k: getattr(item, k) for k in (
                    "category", "title", "instructions", "schedule_kind", "schedule", "days_of_week", "measures",
                    "position")}))
        w.audit("card_create", "care_card", card.id,
                detail={"resident_id": resident_id, "month": month.isoformat()})
    return card


def add_item(ctx, card_id, data):
    actor = ctx.actor
    card = writable_card(actor, card_id)
    _check_schedule(data)
    with published(ctx) as w:
        s = w.session
        position = max([i.position for i in card.items] + [0]) + 1
        item = CardItem(card_id=card.id, position=data.pop("position", None) or position, **data)
        if card.status == "published":
            item.valid_from = max(card.month, homes.home_today(card, ctx.now))
        s.add(item)
        _touch(w, card, True)
        s.flush()
        w.audit("card_item_add", "card_item", item.id, detail={"card_id": card.id})
    return card


def update_item(ctx, card_id, item_id, data):
    actor = ctx.actor
    card = writable_card(actor, card_id)
    item = next((i for i in card.items if i.id == item_id), None)
    if item is None:
        raise NotFound(Msg("No such item on this card."))
    merged = {"schedule_kind": data.get("schedule_kind", item.schedule_kind),
              "schedule": data.get("schedule", item.schedule),
              "days_of_week": data.get("days_of_week", item.days_of_week)}
    _check_schedule(merged)
    with published(ctx) as w:
        for key, value in data.items():
            setattr(item, key, value)
        _touch(w, card, True)
        w.audit("card_item_update", "card_item", item.id, detail={"fields": sorted(data)})
    return card


def end_item(ctx, card_id, item_id, last_day=None):
    """Remove an item from the rest of the month. What was recorded for it stays."""
    actor = ctx.actor
    card = writable_card(actor, card_id)
    item = next((i for i in card.items if i.id == item_id), None)
    if item is None:
        raise NotFound(Msg("No such item on this card."))
    with published(ctx) as w:
        s = w.session
        if card.status == "draft":
            s.delete(item)
        else:
            item.valid_to = last_day or (homes.home_today(card, ctx.now) - timedelta(days=1))
        _touch(w, card, True)
        w.audit("card_item_end", "card_item", item_id)
    db.session.refresh(card)
    return card


def publish(ctx, card_id):
    actor = ctx.actor
    card = writable_card(actor, card_id)
    if not card.items:
        raise Invalid(Msg("A card needs at least one item before it is published."),
                      {"items": Msg("A card needs at least one item before it is published.")})
    with published(ctx) as w:
        card.status = "published"
        _touch(w, card, False)
        w.audit("card_publish", "care_card", card.id)
    return card

