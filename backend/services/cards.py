"""Care cards: a planner creates, edits and publishes them; tablets receive them through the feed."""
from datetime import timedelta


from ..database import write_transaction
from ..domain import card_generation, clock, schedule
from ..domain.errors import Conflict, Invalid, NotFound
from ..domain.messages import Msg
from ..extensions import db
from ..models import CardItem, CareCard
from . import access, audit, feed

CATEGORIES = card_generation.CATEGORIES


def _check_schedule(data):
    errors = schedule.validate(data["schedule_kind"], data.get("schedule"), data.get("days_of_week"))
    if errors:
        raise Invalid(Msg("Please check: %(fields)s", fields=", ".join(sorted(errors))), errors)


def cards_of(actor, resident_id):
    access.get_resident(actor, resident_id)
    return CareCard.query.filter_by(resident_id=resident_id).order_by(CareCard.month.desc()).all()


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


def _home_today(card, now):
    """Today in the home's time zone: items start and end on care days, not UTC days."""
    return clock.today_of(card.resident.unit.home.timezone, now)


def _touch(s, card, actor, now, bump_version):
    if bump_version and card.status == "published":
        card.version += 1
    card.seq = feed.allocate(s, 1)
    card.updated_at = now.replace(tzinfo=None)
    card.updated_by = actor.id


def create_card(actor, resident_id, month, now, copy_from=None):
    resident = access.get_resident(actor, resident_id)
    month = month.replace(day=1)
    if not resident.active and (resident.left_on is None or month > resident.left_on):
        raise Conflict(Msg("Her stay has ended (discharge or death): no new cards are made."), code="stay_ended")
    if CareCard.query.filter_by(resident_id=resident_id, month=month).first():
        raise Conflict(Msg("This resident already has a card for that month."),
                       {"month": Msg("This resident already has a card for that month.")},
                       code="exists")
    with write_transaction() as s:
        feed.lock(s)
        card = CareCard(resident_id=resident_id, month=month, status="draft", version=1)
        _touch(s, card, actor, now, False)
        s.add(card)
        s.flush()
        source = get_card(actor, copy_from) if copy_from else None
        for item in (source.items if source else []):
            if item.valid_to is None:
                s.add(CardItem(card_id=card.id, **{k: getattr(item, k) for k in (
                    "category", "title", "instructions", "schedule_kind", "schedule", "days_of_week", "measures",
                    "position")}))
        audit.record(s, actor, "card_create", "care_card", card.id, at=now,
                     detail={"resident_id": resident_id, "month": month.isoformat()})
    return card


def add_item(actor, card_id, data, now):
    card = writable_card(actor, card_id)
    _check_schedule(data)
    with write_transaction() as s:
        feed.lock(s)
        position = max([i.position for i in card.items] + [0]) + 1
        item = CardItem(card_id=card.id, position=data.pop("position", None) or position, **data)
        if card.status == "published":
            item.valid_from = max(card.month, _home_today(card, now))
        s.add(item)
        _touch(s, card, actor, now, True)
        s.flush()
        audit.record(s, actor, "card_item_add", "card_item", item.id, at=now, detail={"card_id": card.id})
    return card


def update_item(actor, card_id, item_id, data, now):
    card = writable_card(actor, card_id)
    item = next((i for i in card.items if i.id == item_id), None)
    if item is None:
        raise NotFound(Msg("No such item on this card."))
    merged = {"schedule_kind": data.get("schedule_kind", item.schedule_kind),
              "schedule": data.get("schedule", item.schedule),
              "days_of_week": data.get("days_of_week", item.days_of_week)}
    _check_schedule(merged)
    with write_transaction() as s:
        feed.lock(s)
        for key, value in data.items():
            setattr(item, key, value)
        _touch(s, card, actor, now, True)
        audit.record(s, actor, "card_item_update", "card_item", item.id, at=now, detail={"fields": sorted(data)})
    return card


def end_item(actor, card_id, item_id, now, last_day=None):
    """Remove an item from the rest of the month. What was recorded for it stays."""
    card = writable_card(actor, card_id)
    item = next((i for i in card.items if i.id == item_id), None)
    if item is None:
        raise NotFound(Msg("No such item on this card."))
    with write_transaction() as s:
        feed.lock(s)
        if card.status == "draft":
            s.delete(item)
        else:
            item.valid_to = last_day or (_home_today(card, now) - timedelta(days=1))
        _touch(s, card, actor, now, True)
        audit.record(s, actor, "card_item_end", "card_item", item_id, at=now)
    db.session.refresh(card)
    return card


def publish(actor, card_id, now):
    card = writable_card(actor, card_id)
    if not card.items:
        raise Invalid(Msg("A card needs at least one item before it is published."),
                      {"items": Msg("A card needs at least one item before it is published.")})
    with write_transaction() as s:
        feed.lock(s)
        card.status = "published"
        _touch(s, card, actor, now, False)
        audit.record(s, actor, "card_publish", "care_card", card.id, at=now)
    return card

