"""The region's month for its inspector (issue 18, section 3): the providers' figures, the settlement export (资金结算)
as JSON and CSV, and blocking a carer of the region (黑名单).

Who reads what (docs/domain.md "Inspector"): an inspector is a user of a home in the region; she reads every
community home of her home's region (home.region_id), read-only but for blocking and unblocking their carers. A
person whose home is in no region reads nothing: 404, never another region's data. Another region's carer: 404.

The rules are domain/region_month.py (on visit_board's verification and settlement.rows); here the month is loaded
provider by provider, each table in one query (a region's month may hold some 100,000 visits: nothing is asked per
visit), and rows become dicts.
"""
import csv
import io
import json
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import Text, cast, select

from ..domain import alarms as alarm_rules
from ..domain import clock, places, region_month, roles, visit_board
from ..domain import entries as entry_rules
from ..domain import visits as visit_rules
from ..domain.errors import NotFound
from ..domain.messages import Msg
from ..domain.settlement import UNPRICED_MESSAGES, WHY_MESSAGES
from ..extensions import db
from ..models import (Alarm, AlarmStep, CardItem, CarerBlock, Entry, FollowUpCall, Home, Region, Resident,
                      ServiceContract, ServiceItem, Unit, User, Visit, VisitCarer)
from . import visits as visit_service
from .monitoring import CSV_DELIMITER

#: The entry columns verification reads.
_ENTRY_COLUMNS = ("id", "kind", "resident_id", "day", "item_id", "status", "author_id", "device_time", "values",
                  "flags", "key_id", "supersedes")
#: Card item ids asked for at once (a bound on a query's parameters).
_CHUNK = 2000
FUNDING_MESSAGES = {"government": Msg("Government-funded"), "ltc_insurance": Msg("Long-term care insurance"),
                    "self_pay": Msg("Self-paid"), "mixed": Msg("Mixed funding"), None: Msg("no contract in force")}
UNIT_MESSAGES = {"visit": Msg("per visit"), "hour": Msg("per hour"), "meal": Msg("per meal"), "day": Msg("per day"),
                 "month": Msg("per month")}


# --- where: her region and its providers ------------------------------------------------------------------------

def region_of(actor):
    """The region of her home; none: 404."""
    region_id = db.session.execute(select(Home.region_id).where(Home.id == actor.home_id)).scalar_one_or_none()
    region = db.session.get(Region, region_id) if region_id is not None else None
    if region is None:
        raise NotFound(Msg("No region: your home belongs to none."))
    return region


def providers(region):
    """The community homes of the region, by name."""
    return (Home.query.filter(Home.region_id == region.id, Home.kind == "community")
            .order_by(Home.name, Home.id).all())


def _region_dict(region):
    return {"id": region.id, "name": places.of(region), "timezone": region.timezone}


# --- loading a provider's month (one query per table) ------------------------------------------------------------

def _in_month(home_id, first, last):
    return (Visit.home_id == home_id, Visit.day >= first, Visit.day <= last)


def _visits(home_id, first, last):
    """The month's visits as region_month's dicts (current carers in carer_ids)."""
    where = _in_month(home_id, first, last)
    rows = db.session.execute(select(
        Visit.id, Visit.resident_id, Visit.day, Visit.start_time, Visit.planned_minutes,
        cast(Visit.item_ids, Text).label("item_ids"), Visit.cancelled_at, Visit.location_accepted_at)
        .where(*where).order_by(Visit.day, Visit.start_time, Visit.id))
    items = {}  # a person's visits carry the same few lists: each text read once

    def item_ids(text):
        if text not in items:
            items[text] = tuple(_json(text) or ())
        return list(items[text])
    visits = [{"id": visit_id, "resident_id": person, "day": day, "start_time": start, "planned_minutes": minutes,
               "item_ids": item_ids(text), "cancelled_at": cancelled, "location_accepted": accepted is not None,
               "carer_ids": []} for visit_id, person, day, start, minutes, text, cancelled, accepted in rows]
    by_id = {v["id"]: v for v in visits}
    for visit_id, carer_id in db.session.execute(
            select(VisitCarer.visit_id, VisitCarer.carer_id).join(Visit, Visit.id == VisitCarer.visit_id)
            .where(*where, VisitCarer.unassigned_at.is_(None)).order_by(VisitCarer.id)):
        by_id[visit_id]["carer_ids"].append(carer_id)
    return visits


_DECODER = json.JSONDecoder()
_EMPTY = ("{}", "[]", "null")


def _json(text):
    """A JSON column read as text (cast in the query: the driver's own decoding costs a region's month seconds)."""
    return None if not text or text in _EMPTY else _DECODER.decode(text)


def _entries(home_id, first, last):
    """The standing visit entries and ticks, on the month's days, of the people the month's visits are for. A
    tick's values and flags are not read (verification reads its item, status, author and day): left empty."""
    people = select(Visit.resident_id).where(*_in_month(home_id, first, last))
    cols = [cast(getattr(Entry, c), Text) if c in ("values", "flags") else getattr(Entry, c) for c in _ENTRY_COLUMNS]
    rows = db.session.execute(select(*cols).where(Entry.resident_id.in_(people), Entry.day >= first,
                                                  Entry.day <= last, Entry.kind.in_((visit_rules.KIND, "tick"))))
    found = []
    for entry_id, kind, person, day, item_id, status, author, at, values, flags, key_id, supersedes in rows:
        visit = kind == visit_rules.KIND
        values = _json(values) if visit else None
        found.append({"id": entry_id, "kind": kind, "resident_id": person, "day": str(day), "item_id": item_id,
                      "status": status, "author_id": author, "device_time": at,
                      "values": values if isinstance(values, dict) else {},
                      "flags": (_json(flags) if visit else None) or {}, "key_id": key_id, "supersedes": supersedes})
    return entry_rules.standing(found)


def _people(home_id):
    rows = db.session.execute(select(Resident.id, Resident.full_name, Resident.lat, Resident.lon, Resident.radius_m,
                                     Resident.family_bed_since, Resident.left_on)
                              .join(Unit, Unit.id == Resident.unit_id).where(Unit.home_id == home_id))
    return {r.id: {"id": r.id, "full_name": r.full_name, "lat": r.lat, "lon": r.lon, "radius_m": r.radius_m,
                   "family_bed_since": r.family_bed_since, "left_on": r.left_on} for r in rows}


def _alarms(home_id, start, end):
    """The alarms raised in [start, end) with their steps ((step, at), in order)."""
    first, last = alarm_rules.utc_naive(start), alarm_rules.utc_naive(end)
    where = (Alarm.home_id == home_id, Alarm.raised_at >= first, Alarm.raised_at < last)
    alarms = {r.id: {"received_at": r.received_at, "false_alarm": r.false_alarm, "steps": []}
              for r in db.session.execute(select(Alarm.id, Alarm.received_at, Alarm.false_alarm).where(*where))}
    for alarm_id, step, at in db.session.execute(select(AlarmStep.alarm_id, AlarmStep.step, AlarmStep.at).join(
            Alarm, Alarm.id == AlarmStep.alarm_id).where(*where).order_by(AlarmStep.id)):
        alarms[alarm_id]["steps"].append((step, at))
    return list(alarms.values())


def _calls(home_id, first, last):
    """The follow-up calls of the month's visits, with their questionnaire's score (None without one)."""
    return [{"visit_id": r.visit_id, "result": r.result, "called_at": r.called_at, "score": r.score}
            for r in db.session.execute(select(FollowUpCall.visit_id, FollowUpCall.result, FollowUpCall.called_at,
                                               FollowUpCall.score)
                                        .join(Visit, Visit.id == FollowUpCall.visit_id)
                                        .where(*_in_month(home_id, first, last)).order_by(FollowUpCall.id))]


def _blocks(home_id):
    return [{"id": b.id, "carer_id": b.carer_id, "home_id": b.home_id, "blocked_at": b.blocked_at,
             "blocked_by": b.blocked_by, "reason": b.reason, "lifted_at": b.lifted_at, "lifted_by": b.lifted_by}
            for b in CarerBlock.query.filter(CarerBlock.home_id == home_id).order_by(CarerBlock.blocked_at,
                                                                                     CarerBlock.id)]


def _carers(home_id):
    """The provider's carers (active staff holding the nurse role), by name."""
    return (User.query.filter(User.home_id == home_id, User.active.is_(True), User.holding(roles.NURSE))
            .order_by(User.full_name, User.id).all())


def _names(user_ids):
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all())


def _month_of(home, first, last):
    """A provider's month: its visits checked (region_month.check_visits) and what the figures read."""
    people = _people(home.id)
    visits = _visits(home.id, first, last)
    checked = region_month.check_visits(visits, _entries(home.id, first, last), people, home.timezone)
    return visits, checked, people


# --- the month --------------------------------------------------------------------------------------------------

def _block_dict(block, names, tz):
    return {"id": block["id"], "carer_id": block["carer_id"], "carer_name": names.get(block["carer_id"]),
            "home_id": block["home_id"], "reason": block["reason"],
            "blocked_at": clock.in_zone(block["blocked_at"], tz), "blocked_by_name": names.get(block["blocked_by"]),
            "lifted_at": clock.in_zone(block["lifted_at"], tz), "lifted_by_name": names.get(block["lifted_by"]),
            "standing": block["lifted_at"] is None}


def _public(figures, names, tz):
    out = {k: v for k, v in figures.items() if k != "alarm_seconds"}
    out["blocked"] = {"count": figures["blocked"]["count"],
                      "carers": [_block_dict(b, names, tz) for b in figures["blocked"]["carers"]]}
    return out


def month(ctx, month):
    """Her region's month by provider (region_month.provider_figures) and its total, with each provider's carers
    (whether each is blocked now: she may block or unblock them)."""
    region = region_of(ctx.actor)
    tz = ZoneInfo(region.timezone)
    first, last = region_month.month_days(month)
    start, end = region_month.month_bounds(month, region.timezone)
    rows, all_figures = [], []
    for home in providers(region):
        visits, checked, people = _month_of(home, first, last)
        blocks = _blocks(home.id)
        figures = region_month.provider_figures(month, region.timezone, visits, checked, people,
                                                _alarms(home.id, start, end), _calls(home.id, first, last), blocks)
        all_figures.append(figures)
        carers = _carers(home.id)
        standing = {b["carer_id"] for b in blocks if b["lifted_at"] is None}
        rows.append((home, figures, [{"id": u.id, "full_name": u.full_name, "blocked": u.id in standing}
                                     for u in carers]))
    total = region_month.region_total(all_figures)
    names = _names({i for b in total["blocked"]["carers"] for i in (b["carer_id"], b["blocked_by"], b["lifted_by"])})
    return {"region": _region_dict(region), "month": first, "first_day": first, "last_day": last,
            "now": ctx.now.astimezone(tz), "satisfaction_target": region_month.SATISFACTION_TARGET,
            "providers": [dict(_public(figures, names, tz), home_id=home.id, name=home.name, carers=carers)
                          for home, figures, carers in rows],
            "total": _public(total, names, tz)}


# --- the settlement ---------------------------------------------------------------------------------------------

def _prices(home_id, item_ids):
    """{card item id: settlement's price dict} from the service items the card items are of (the catalogue's price
    and unit now), and the provider's services by id."""
    prices, ids = {}, sorted(item_ids)
    for n in range(0, len(ids), _CHUNK):
        for row in db.session.execute(select(CardItem.id, ServiceItem.id.label("service"), ServiceItem.price,
                                             ServiceItem.unit, ServiceItem.standard_minutes)
                                      .join(ServiceItem, ServiceItem.id == CardItem.service_item_id)
                                      .where(CardItem.id.in_(ids[n:n + _CHUNK]))):
            prices[row.id] = {"price": row.price, "unit": row.unit, "service": row.service,
                              "standard_minutes": row.standard_minutes}
    services = {}
    for row in db.session.execute(select(ServiceItem.id, ServiceItem.names, ServiceItem.item)
                                  .where(ServiceItem.home_id == home_id)):
        names = dict(row.names or {})
        fallback = next((names[k] for k in places.LANGUAGES if names.get(k)), row.item)
        services[row.id] = {"item": row.item, "name": places.PlaceName(fallback, names)}
    return prices, services


def _contracts(home_id):
    by_person = {}
    for row in db.session.execute(select(ServiceContract.id, ServiceContract.resident_id, ServiceContract.starts_on,
                                         ServiceContract.ends_on, ServiceContract.funding)
                                  .where(ServiceContract.home_id == home_id)):
        by_person.setdefault(row.resident_id, []).append({"id": row.id, "starts_on": row.starts_on,
                                                          "ends_on": row.ends_on, "funding": row.funding})
    return by_person


def _why(codes):
    return [WHY_MESSAGES.get(c) or visit_board.ELEMENT_MESSAGES.get(c) or c for c in codes]


def settlement(ctx, month):
    """Her region's settlement of the month by provider and funding source (region_month.settlement_of): the
    verified visits billed (visits, people, minutes, items, amount; lines by service, unit and price), the others
    listed apart with why, the items that cannot be billed; the region's total by funding source."""
    region = region_of(ctx.actor)
    first, last = region_month.month_days(month)
    out, results = [], []
    for home in providers(region):
        visits, checked, people = _month_of(home, first, last)
        contracts = _contracts(home.id)
        for v in visits:
            v["funding"] = region_month.funding_on(contracts.get(v["resident_id"], []), v["day"])
        prices, services = _prices(home.id, {i for v in visits for i in v["item_ids"]})
        result = region_month.settlement_of(visits, checked, prices)
        results.append(result)
        rows = []
        for row in result["rows"]:
            lines = [dict(line, service_item_id=line["service"], item=services.get(line["service"], {}).get("item"),
                          service=services.get(line["service"], {}).get("name")) for line in row["lines"]]
            rows.append(dict(row, lines=lines))
        unverified = [dict(u, person_name=(people.get(u["resident_id"]) or {}).get("full_name"),
                           why_text=_why(u["why"])) for u in result["unverified"]]
        unpriced = [dict(u, why_text=UNPRICED_MESSAGES.get(u["why"], u["why"])) for u in result["unpriced"]]
        out.append({"home_id": home.id, "name": home.name, "rows": rows, "unverified": unverified,
                    "unpriced": unpriced, "amount": sum((r["amount"] for r in rows), Decimal("0.00"))})
    return {"region": _region_dict(region), "month": first, "first_day": first, "last_day": last,
            "providers": out, "total": region_month.settlement_total(results)}


CSV_COLUMNS = (Msg("Provider"), Msg("Row type"), Msg("Funding"), Msg("Service"), Msg("Priced per"),
               Msg("Price"), Msg("Quantity"), Msg("Visits"), Msg("People"), Msg("Minutes"), Msg("Items"),
               Msg("Amount"), Msg("Visit"), Msg("Person"), Msg("Day"), Msg("Why"))
RECORD_MESSAGES = {"billed": Msg("billed by funding source"), "line": Msg("service line"),
                   "unverified": Msg("not verified, not billed"), "unpriced": Msg("item not billed"),
                   "total": Msg("region total by funding source")}


def _text(value):
    """A cell: exact decimal text for amounts and quantities, '' for None."""
    return "" if value is None else str(value)


def settlement_csv(ctx, month, lang, translator):
    """The settlement as CSV (text, file name): a header row, then per provider its billed rows by funding source,
    their service lines, the visits not verified (with why) and the items not billed; the region's total by funding
    source last. Amounts are exact decimal text (no float, no thousands separator)."""
    data = settlement(ctx, month)
    tr = translator(lang)

    def funding(code):
        return tr(FUNDING_MESSAGES.get(code, Msg(code)))

    def record(code):
        return tr(RECORD_MESSAGES[code])

    rows = []
    for p in data["providers"]:
        for row in p["rows"]:
            rows.append([p["name"], record("billed"), funding(row["funding"]), "", "", "", "", row["visits"],
                         row["people"], row["minutes"], row["items"], row["amount"], "", "", "", ""])
            for line in row["lines"]:
                rows.append([p["name"], record("line"), funding(row["funding"]),
                             places.name_in(line["service"], lang) or line["item"] or line["service_item_id"],
                             tr(UNIT_MESSAGES.get(line["unit"], Msg(line["unit"]))), line["unit_price"],
                             line["quantity"], "", "", "", line["items"], line["amount"], "", "", "", ""])
        for u in p["unverified"]:
            rows.append([p["name"], record("unverified"), funding(u["funding"]), "", "", "", "", "", "", "", "", "",
                         u["visit_id"], u["person_name"], u["day"], "; ".join(tr(m) for m in u["why_text"])])
        for u in p["unpriced"]:
            rows.append([p["name"], record("unpriced"), "", u["item_id"], "", "", "", "", "", "", "", "",
                         u["visit_id"], "", "", tr(u["why_text"])])
    region_name = places.name_in(data["region"]["name"], lang)
    for row in data["total"]["rows"]:
        rows.append([region_name, record("total"), funding(row["funding"]), "", "", "", "", row["visits"],
                     row["people"], row["minutes"], row["items"], row["amount"], "", "", "", ""])
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_DELIMITER.get(lang, ","))
    writer.writerow([tr(m) for m in CSV_COLUMNS])
    writer.writerows([[_text(cell) for cell in row] for row in rows])
    return out.getvalue(), f"settlement-{data['month']:%Y-%m}-region-{data['region']['id']}.csv"


# --- blocking the region's carers --------------------------------------------------------------------------------

def _region_carer(actor, carer_id):
    """A carer (nurse role) of a community home of her region; anyone else: 404."""
    region = region_of(actor)
    user = db.session.get(User, carer_id)
    home = db.session.get(Home, user.home_id) if user is not None else None
    if home is None or home.region_id != region.id or home.kind != "community" or not user.has_role(roles.NURSE):
        raise NotFound(Msg("No such carer."))
    return user


def block(ctx, carer_id, reason):
    """Block a carer of the region (services/visits.py block: the dispatcher sees who and why)."""
    return visit_service.block(ctx, carer_id, reason, reach=_region_carer)


def unblock(ctx, carer_id):
    return visit_service.unblock(ctx, carer_id, reach=_region_carer)
