"""Home care (issue 18): service contracts (服务协议) of a community home's people at home, and the care card a
month's contracts make.

A contract: its dates (one contract per person at a time: overlapping dates are refused, naming starts_on), its
funding and monthly subsidy, the days its four papers were signed, and its items (a catalogue service with a card
item's schedule, checked by domain/schedule.py). Contracts are not pulled by the phones: their writes are audited,
not numbered (but written under the feed lock, so that the overlap check and the write are one); the card is what
reaches the phones.

The card: POST .../card makes the person's card for a month (or refreshes it while it is a draft) from the contract
items in force that month, one card item per contract item (domain/contracts.py card_items), through
services/cards.py (create_card, add_item, end_item, publish), so a card made from a contract is a card like any
other. Items added to the draft by hand (no service_item_id) stay. A published or closed card is not rewritten.
"""
from ..domain import contracts as rules
from ..domain.errors import Conflict, NotFound, invalid
from ..domain.messages import Msg
from ..extensions import db
from ..models import CareCard, ContractItem, ServiceContract, ServiceItem
from . import access, cards, homecare
from .publish import audited, published

CONTRACT_FIELDS = ("starts_on", "ends_on", "funding", "monthly_subsidy") + rules.PAPERS
ITEM_FIELDS = ("service_item_id", "schedule_kind", "schedule", "days_of_week")


def item_dict(item, services):
    service = services.get(item.service_item_id)
    return {"id": item.id, **{k: getattr(item, k) for k in ITEM_FIELDS},
            "service": None if service is None else {"names": service.names, "category": service.category,
                                                     "item": service.item, "unit": service.unit,
                                                     "price": rules.money_text(service.price)}}


def contract_dict(contract, services=None):
    if services is None:
        ids = {i.service_item_id for i in contract.items}
        services = {s.id: s for s in ServiceItem.query.filter(ServiceItem.id.in_(ids))} if ids else {}
    return {"id": contract.id, "resident_id": contract.resident_id,
            **{k: getattr(contract, k) for k in CONTRACT_FIELDS},
            "monthly_subsidy": rules.money_text(contract.monthly_subsidy), "created_by": contract.created_by,
            "created_at": contract.created_at, "items": [item_dict(i, services) for i in contract.items]}


def contracts_of(actor, resident_id):
    """Her contracts, the newest first."""
    homecare.get_person(actor, resident_id)
    rows = (ServiceContract.query.filter_by(resident_id=resident_id)
            .order_by(ServiceContract.starts_on.desc(), ServiceContract.id.desc()).all())
    ids = {i.service_item_id for c in rows for i in c.items}
    services = {s.id: s for s in ServiceItem.query.filter(ServiceItem.id.in_(ids))} if ids else {}
    return [contract_dict(c, services) for c in rows]


def get_contract(actor, contract_id):
    home = homecare.community_home(actor)
    contract = db.session.get(ServiceContract, contract_id)
    if contract is None or contract.home_id != home.id:
        raise NotFound(Msg("No such contract."))
    access.get_resident(actor, contract.resident_id)  # a station she may not reach: not hers
    return contract


def _check_items(home_id, items, allowed_inactive=()):
    errors = rules.validate_contract_items(items)
    ids = {i["service_item_id"] for i in items}
    services = {s.id: s for s in ServiceItem.query.filter(ServiceItem.id.in_(ids))} if ids else {}
    for n, item in enumerate(items):
        service = services.get(item["service_item_id"])
        if service is None or service.home_id != home_id:
            errors[f"items.{n}.service_item_id"] = Msg("not a service of this home's catalogue")
        elif not service.active and service.id not in allowed_inactive:
            errors[f"items.{n}.service_item_id"] = Msg("this service is no longer offered")
    return errors


def _check_overlap(resident_id, starts_on, ends_on, contract_id=None):
    others = [{"id": c.id, "starts_on": c.starts_on, "ends_on": c.ends_on}
              for c in ServiceContract.query.filter_by(resident_id=resident_id)
              if c.id != contract_id]
    other = rules.first_overlap(starts_on, ends_on, others)
    if other is not None:
        message = Msg("her contract of %(starts_on)s runs on these days: end it first", starts_on=other[
            "starts_on"].isoformat())
        raise Conflict(Msg("One contract at a time: these dates overlap another of her contracts."),
                       {"starts_on": message}, code="contract_overlap")


def _checked(home, person, merged, items, allowed_inactive=()):
    errors = rules.validate_contract(merged)
    if items is not None:
        errors.update(_check_items(home.id, items, allowed_inactive))
    if errors:
        raise invalid(errors)
    if not person.active and person.left_on is not None and merged["starts_on"] > person.left_on:
        raise Conflict(Msg("Her stay has ended (discharge or death): no new contracts are made."),
                       {"starts_on": Msg("after the end of her stay")}, code="stay_ended")


def _set_fields(contract, data):
    for key in CONTRACT_FIELDS:
        if key in data:
            value = data[key]
            setattr(contract, key, rules.parse_money(value) if key == "monthly_subsidy" and value is not None
                    else value)


def _add_items(session, contract, items):
    for item in items:
        session.add(ContractItem(contract_id=contract.id, service_item_id=item["service_item_id"],
                                 schedule_kind=item["schedule_kind"], schedule=item.get("schedule") or {},
                                 days_of_week=sorted(item["days_of_week"]) if item.get("days_of_week") else None))


def create_contract(ctx, resident_id, data):
    actor = ctx.actor
    home = homecare.community_home(actor)
    person = homecare.get_person(actor, resident_id)
    merged = {k: data.get(k) for k in CONTRACT_FIELDS}
    items = list(data.get("items") or [])
    _checked(home, person, merged, items)
    with published(ctx) as w:  # the feed lock orders two dispatchers' contracts: no overlap slips between them
        _check_overlap(resident_id, merged["starts_on"], merged["ends_on"])
        contract = ServiceContract(home_id=home.id, resident_id=person.id, created_by=actor.id,
                                   created_at=ctx.now.replace(tzinfo=None))
        _set_fields(contract, merged)
        w.session.add(contract)
        w.session.flush()
        _add_items(w.session, contract, items)
        w.audit("contract_create", "service_contract", contract.id,
                detail={"resident_id": person.id, "starts_on": contract.starts_on.isoformat(),
                        "ends_on": contract.ends_on.isoformat() if contract.ends_on else None,
                        "funding": contract.funding, "items": len(items)})
    db.session.refresh(contract)
    return contract_dict(contract)


def _audit_value(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def update_contract(ctx, contract_id, data):
    """Change its dates (end it: ends_on), funding, subsidy or papers; `items` replaces its items."""
    actor = ctx.actor
    home = homecare.community_home(actor)
    contract = get_contract(actor, contract_id)
    person = access.get_resident(actor, contract.resident_id)
    stored = {k: getattr(contract, k) for k in CONTRACT_FIELDS} | {
        "monthly_subsidy": rules.money_text(contract.monthly_subsidy), "id": contract.id}
    merged = stored | {k: v for k, v in data.items() if k in CONTRACT_FIELDS}
    if merged["monthly_subsidy"] is not None and rules.parse_money(merged["monthly_subsidy"]) is not None:
        merged["monthly_subsidy"] = rules.money_text(rules.parse_money(merged["monthly_subsidy"]))
    items = data.get("items")
    _checked(home, person, merged, items, {i.service_item_id for i in contract.items})
    changed = sorted(k for k in CONTRACT_FIELDS if k in data and merged[k] != stored[k])
    if not changed and items is None:
        return contract_dict(contract)
    with published(ctx) as w:
        _check_overlap(contract.resident_id, merged["starts_on"], merged["ends_on"], contract.id)
        _set_fields(contract, {k: merged[k] for k in changed})
        detail = {"fields": changed, **{k: _audit_value(merged[k]) for k in changed if k != "monthly_subsidy"}}
        if items is not None:
            for old in list(contract.items):
                w.session.delete(old)
            w.session.flush()
            _add_items(w.session, contract, items)
            detail["items"] = len(items)
        w.audit("contract_ended" if changed == ["ends_on"] and merged["ends_on"] is not None and items is None
                else "contract_update", "service_contract", contract.id, detail=detail)
    db.session.refresh(contract)
    return contract_dict(contract)


# --- the card ----------------------------------------------------------------------------------------------------

def _wanted_items(home, person, month):
    rows = ServiceContract.query.filter_by(resident_id=person.id).all()
    contracts = [{"starts_on": c.starts_on, "ends_on": c.ends_on,
                  "items": [{k: getattr(i, k) for k in ITEM_FIELDS} for i in c.items]} for c in rows]
    ids = {i["service_item_id"] for c in contracts for i in c["items"]}
    services = {s.id: {"names": s.names, "category": s.category, "item": s.item}
                for s in ServiceItem.query.filter(ServiceItem.id.in_(ids))} if ids else {}
    return rules.card_items(contracts, services, month, home.locale)


def card_from_contract(ctx, resident_id, month_text, publish=False):
    """The person's card for the month ("YYYY-MM") from the contracts in force in it: made, or refreshed while a
    draft; published when asked. Returns the card."""
    actor = ctx.actor
    home = homecare.community_home(actor)
    person = homecare.get_person(actor, resident_id)
    month = rules.month_of(month_text)
    if month is None:
        raise invalid({"month": Msg("must be a month as YYYY-MM")})
    card = CareCard.query.filter_by(resident_id=person.id, month=month).first()
    if card is not None and card.status != "draft":
        raise Conflict(Msg("Her card for %(month)s is already published: change it on the card.", month=month_text),
                       {"month": Msg("the card of this month is published already")}, code="card_published")
    wanted = _wanted_items(home, person, month)
    if not wanted:
        raise Conflict(Msg("No contract of hers is in force in %(month)s.", month=month_text),
                       {"month": Msg("no contract with services is in force this month")}, code="no_contract")
    made = card is None
    if made:
        card = cards.create_card(ctx, person.id, month)
    existing = [{"id": i.id, **{k: getattr(i, k) for k in rules.CARD_ITEM_KEYS}} for i in card.items
                if i.service_item_id is not None]
    remove, add = rules.refresh_plan(existing, wanted)
    for item_id in remove:
        card = cards.end_item(ctx, card.id, item_id)
    for item in add:
        card = cards.add_item(ctx, card.id, dict(item))
    with audited(ctx) as w:
        w.audit("contract_card", "care_card", card.id,
                detail={"resident_id": person.id, "month": month.isoformat(), "made": made, "added": len(add),
                        "removed": len(remove), "publish": bool(publish)})
    if publish:
        card = cards.publish(ctx, card.id)
    db.session.refresh(card)
    return card

