"""A person at home's service sheet printed (issue 18, the dispatcher's "一本清"): one A4 page she keeps at home
with the centre and her station, her details, the contract in force, its services (standard, price and unit,
schedule) and her home code as a QR code with its digits (backend/pdf_service_sheet.py draws it).

The home code is never kept, only its salted hash (domain/visits.py code_hash): the sheet carries the code only when
the caller gives it and it matches the hash (a wrong one is refused naming `code`); otherwise the code's place says
to ask the station. The read is audited (never with the code). The station's phone number (unit.phone) is printed
when the administrator gave it; the sheet always names the station and the centre.
"""
from .. import pdf_card, pdf_service_sheet
from ..domain import places, visits
from ..domain.errors import invalid
from ..domain.messages import Msg
from ..models import ServiceContract, ServiceItem
from . import audit, homecare, homes


def _contract_in_force(resident_id, today):
    return (ServiceContract.query.filter_by(resident_id=resident_id)
            .filter(ServiceContract.starts_on <= today)
            .filter((ServiceContract.ends_on.is_(None)) | (ServiceContract.ends_on >= today))
            .order_by(ServiceContract.starts_on.desc(), ServiceContract.id.desc()).first())


def check_code(person, code):
    """The code to print: None when none is given; a given code must match her home code's hash (400 `code`)."""
    if code is None:
        return None
    code = code.strip()
    if (not code or not person.home_code_hash or not person.home_code_salt
            or visits.code_hash(person.home_code_salt, code) != person.home_code_hash):
        raise invalid({"code": Msg("does not match her home code")})
    return code


def sheet(ctx, resident_id, code=None):
    """The sheet's data: the centre, the station, the person, the contract in force today with its items (each
    with its catalogue service) and the code to print (or None)."""
    home = homecare.community_home(ctx.actor)
    person = homecare.get_person(ctx.actor, resident_id)
    code = check_code(person, code)
    today = homes.home_today(home, ctx.now)
    contract = _contract_in_force(person.id, today)
    items = []
    if contract is not None:
        services = {s.id: s for s in ServiceItem.query.filter(
            ServiceItem.id.in_([i.service_item_id for i in contract.items])).all()} if contract.items else {}
        items = [{"names": services[i.service_item_id].names or {},
                  "standard_minutes": services[i.service_item_id].standard_minutes,
                  "price": services[i.service_item_id].price, "unit": services[i.service_item_id].unit,
                  "schedule_kind": i.schedule_kind, "schedule": i.schedule or {}, "days_of_week": i.days_of_week}
                 for i in contract.items if i.service_item_id in services]
    return {"home": home.name, "unit": places.of(person.unit), "station_phone": person.unit.phone,
            "timezone": home.timezone, "today": today,
            "person": {"full_name": person.full_name, "address": person.address, "phone": person.phone},
            "contract": None if contract is None else {
                "starts_on": contract.starts_on, "ends_on": contract.ends_on, "funding": contract.funding,
                "monthly_subsidy": contract.monthly_subsidy},
            "items": items, "code": code}


def printable_sheet(ctx, resident_id, lang, fonts, code=None):
    """(PDF bytes, file name, font warnings); the read is audited (whether the code was printed, never the code)."""
    data = sheet(ctx, resident_id, code)
    audit.read(ctx, "resident", resident_id,
               detail={"view": "service_sheet_pdf", "lang": lang, "with_code": data["code"] is not None})
    pdf, warnings = pdf_service_sheet.render(data, lang, pdf_card.resolve_fonts(fonts), printed_at=ctx.now)
    return pdf, f"service-sheet-{resident_id}.pdf", warnings
