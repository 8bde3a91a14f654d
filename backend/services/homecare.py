"""Home care (issue 18): a community home's people at home (their address, phone, location, home code, eligibility,
care level, family care bed) and its service catalogue. Contracts and the card made from them: services/contracts.py.

Rules in backend/domain/contracts.py. Only a community home (home.kind "community") has people at home and a
catalogue: in a care home, and for a resident of a unit the caller may not reach, every call answers 404. A person's
and a catalogue service's changes take a feed position (`seq`): the carers' phones pull them. The home code is
shown once, when it is set; only its salted hash is kept (domain/visits.py code_hash), and no reply or audit row
carries the code.
"""
import secrets

from ..domain import contracts as rules
from ..domain import visits
from ..domain.errors import NotFound, invalid
from ..domain.messages import Msg
from ..extensions import db
from ..models import Home, Resident, ServiceContract, ServiceItem
from . import access, homes
from .publish import published

#: What the dispatcher may change of a person at home.
PERSON_FIELDS = ("address", "phone", "lat", "lon", "radius_m", "lives_alone", "eligibility", "care_level",
                 "family_bed_since")
SERVICE_FIELDS = ("names", "category", "item", "standard_minutes", "price", "unit", "active")


def community_home(actor):
    """The caller's home when it is a community home; otherwise 404 (a care home keeps no home care)."""
    home = db.session.get(Home, actor.home_id)
    if home is None or home.kind != "community":
        raise NotFound(Msg("This home keeps no home care."))
    return home


def get_person(actor, resident_id):
    """A person at home of the caller's community home, in a unit she may reach; otherwise 404."""
    community_home(actor)
    return access.get_resident(actor, resident_id)


def _contract_dict(contract):
    return {"id": contract.id, "starts_on": contract.starts_on, "ends_on": contract.ends_on,
            "funding": contract.funding, "monthly_subsidy": rules.money_text(contract.monthly_subsidy),
            "service_item_ids": [i.service_item_id for i in contract.items]}


def _current_contracts(resident_ids, today):
    """{resident id: the contract in force today, as a summary}."""
    if not resident_ids:
        return {}
    rows = (ServiceContract.query.filter(ServiceContract.resident_id.in_(resident_ids))
            .filter(ServiceContract.starts_on <= today)
            .filter((ServiceContract.ends_on.is_(None)) | (ServiceContract.ends_on >= today))
            .order_by(ServiceContract.starts_on).all())
    return {c.resident_id: _contract_dict(c) for c in rows}


def person_dict(person, home, contract=None):
    """A person at home as the dispatcher sees her: never her home code (only whether she has one). `lang`: the
    language her papers (the service sheet) are printed in unless the dispatcher chooses another: her home's."""
    return {"id": person.id, "full_name": person.full_name, "unit_id": person.unit_id, "post_id": person.post_id,
            "birth_date": person.birth_date, "active": person.active, "status": person.status,
            **{k: getattr(person, k) for k in PERSON_FIELDS},
            "has_home_code": person.home_code_hash is not None, "contract": contract, "lang": home.locale}


def people(actor, unit_id, now):
    """The people at home of one station (or of every station she may reach), each with her contract in force
    today."""
    home = community_home(actor)
    if unit_id is not None:
        unit_ids = [access.get_unit(actor, unit_id).id]
    else:
        unit_ids = access.unit_ids(actor)
    rows = (Resident.query.filter(Resident.unit_id.in_(unit_ids))
            .order_by(Resident.active.desc(), Resident.unit_id, Resident.full_name, Resident.id).all())
    current = _current_contracts([r.id for r in rows], homes.home_today(home, now))
    return [person_dict(r, home, current.get(r.id)) for r in rows]


def person(actor, resident_id, now):
    home = community_home(actor)
    found = get_person(actor, resident_id)
    current = _current_contracts([found.id], homes.home_today(home, now))
    return person_dict(found, home, current.get(found.id))


def _clean_person(data):
    out = dict(data)
    for key in ("address", "phone"):
        if key in out and out[key] is not None:
            out[key] = out[key].strip() or None
    return out


def update_person(ctx, resident_id, data):
    """Change her home-care details; the phones pull her again (her location and radius judge a carer's fix)."""
    found = get_person(ctx.actor, resident_id)
    data = _clean_person(data)
    merged = {k: getattr(found, k) for k in PERSON_FIELDS} | data
    errors = rules.validate_person(merged)
    if errors:
        raise invalid(errors)
    changed = sorted(k for k in data if getattr(found, k) != data[k])
    if changed:
        with published(ctx) as w:
            for key in changed:
                setattr(found, key, data[key])
            w.number(found)
            w.audit("homecare_person_update", "resident", found.id, detail={"fields": changed})
    return person(ctx.actor, resident_id, ctx.now)


def set_home_code(ctx, resident_id, code=None):
    """A fresh salt and the code's hash (a generated code when none is given). Returns the code: the one time it
    is shown. The phones pull the new salt; a carer's old code no longer verifies."""
    found = get_person(ctx.actor, resident_id)
    generated = code is None
    if generated:
        code = f"{secrets.randbelow(10 ** rules.GENERATED_CODE_DIGITS):0{rules.GENERATED_CODE_DIGITS}d}"
    else:
        errors = rules.validate_code(code)
        if errors:
            raise invalid(errors)
    salt = secrets.token_hex(16)
    with published(ctx) as w:
        found.home_code_salt = salt
        found.home_code_hash = visits.code_hash(salt, code)
        w.number(found)
        w.audit("homecare_code_set", "resident", found.id, detail={"generated": generated})
    return {"resident_id": found.id, "code": code, "generated": generated}


# --- the catalogue -----------------------------------------------------------------------------------------------

def service_dict(item):
    return {"id": item.id, "names": item.names, "category": item.category, "item": item.item,
            "standard_minutes": item.standard_minutes, "price": rules.money_text(item.price), "unit": item.unit,
            "active": item.active}


def catalogue(actor, include_inactive=True):
    """The home's services, in the catalogue's order (the guideline's, then the home's own additions)."""
    home = community_home(actor)
    query = ServiceItem.query.filter_by(home_id=home.id)
    if not include_inactive:
        query = query.filter_by(active=True)
    return [service_dict(i) for i in query.order_by(ServiceItem.id)]


def get_service(actor, service_id):
    home = community_home(actor)
    item = db.session.get(ServiceItem, service_id)
    if item is None or item.home_id != home.id:
        raise NotFound(Msg("No such service."))
    return item


def _clean_service(data):
    out = dict(data)
    if "names" in out:
        out["names"] = {k: v.strip() for k, v in (out["names"] or {}).items() if isinstance(v, str) and v.strip()}
    if rules.parse_money(out.get("price")) is not None:
        out["price"] = rules.money_text(rules.parse_money(out["price"]))  # "40" and "40.00" are one price
    return out


def create_service(ctx, data):
    home = community_home(ctx.actor)
    data = _clean_service(data)
    errors = rules.validate_service(data)
    if errors:
        raise invalid(errors)
    with published(ctx) as w:
        item = ServiceItem(home_id=home.id, names=data["names"], category=data["category"], item=data["item"],
                           standard_minutes=data.get("standard_minutes"), price=rules.parse_money(data["price"]),
                           unit=data["unit"], active=data.get("active", True))
        w.number(item)
        w.session.add(item)
        w.session.flush()
        w.audit("service_item_create", "service_item", item.id,
                detail={"item": item.item, "category": item.category, "price": rules.money_text(item.price)})
    return service_dict(item)


def update_service(ctx, service_id, data):
    item = get_service(ctx.actor, service_id)
    data = _clean_service(data)
    stored = service_dict(item)
    merged = {k: stored[k] for k in SERVICE_FIELDS} | data
    errors = rules.validate_service(merged)
    if errors:
        raise invalid(errors)
    changed = sorted(k for k in data if stored[k] != data[k])
    if changed:
        with published(ctx) as w:
            detail = {"fields": changed}
            for key in changed:
                setattr(item, key, rules.parse_money(data[key]) if key == "price" else data[key])
            if "price" in changed:
                detail["price"] = [stored["price"], data["price"]]
            w.number(item)
            w.audit("service_item_update", "service_item", item.id, detail=detail)
    return service_dict(item)
