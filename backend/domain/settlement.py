"""Home visits (issue 18, section 3: the settlement export, 资金结算): what a region's (or a provider's) month of visits
comes to by funding source. Verified visits only are billed; the others are listed apart with why. Plain dicts in,
plain dicts out; amounts are Decimal, never float.

visits: dicts with id, resident_id, day, funding (the contract's: government | ltc_insurance | self_pay | mixed;
None when unknown), item_ids (card item ids), items_done (optional: the items ticked done by its carer,
visit_board.items_done -- billed instead of item_ids when given), minutes (delivered: visit_board.delivered_minutes),
cancelled_at, missing (optional: verification's missing elements, the "why" of an unverified visit).
prices: {card item id: {"price": Decimal or text, "unit": one of UNITS, "service": what the item is (the service
item's id: lines and per-day / per-month fees group by it; default the card item id), "standard_minutes":
optional, the weight of an hourly item's share}}.
verified_ids: the ids of the verified visits (visit_board.verification).

Quantities by unit:
- visit, meal: one per verified visit that delivered the item (a meal item delivers one meal);
- hour: the visit's delivered minutes rounded UP to the quarter hour (a started quarter is billed: 50 min -> 1 h;
  0 min -> nothing), in hours. Several hourly items in one visit share its quarters -- the carer's time is billed
  once -- in proportion to their standard minutes (DEFAULT_MINUTES when none), whole quarters by the largest
  remainder (ties: the item listed first);
- day: once per person, service and day; month: once per person, service and calendar month, however many
  verified visits delivered it.
A line's amount = unit price x its total quantity, rounded once to the fen (0.01, half up); a row's amount is the
sum of its lines'.
"""
import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from . import homecare_codes
from .messages import Msg
from .visit_plan import DEFAULT_MINUTES

UNITS = homecare_codes.SERVICE_UNITS
FUNDING_ORDER = homecare_codes.FUNDING
QUARTER = 15
FEN = Decimal("0.01")
#: Why a visit is not billed, besides verification's missing elements (visit_board.ELEMENT_MESSAGES).
WHY_MESSAGES = {
    "cancelled": Msg("the visit was cancelled"),
    "not_verified": Msg("the visit is not verified"),
}
#: Why a verified visit's item is not billed.
UNPRICED_MESSAGES = {
    "no_price": Msg("the item has no price"),
    "unknown_unit": Msg("the item's price is not per visit, hour, meal, day or month"),
    "no_minutes": Msg("the visit's delivered minutes are not known"),
}


def _money(value):
    return value if isinstance(value, Decimal) else Decimal(str(value))


def quarters(minutes):
    """Delivered minutes -> billed quarter hours (rounded up)."""
    return math.ceil(minutes / QUARTER) if minutes and minutes > 0 else 0


def share_quarters(total, weights):
    """`total` whole quarters shared in proportion to `weights` (positive ints), largest remainder first (ties: the
    first listed); the shares sum to total."""
    whole = sum(weights)
    exact = [Fraction(total * w, whole) for w in weights]
    shares = [math.floor(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[:total - sum(shares)]:
        shares[i] += 1
    return shares


def _period(unit, day):
    text = str(day)
    return text[:7] if unit == "month" else text[:10]


def rows(visits, prices, verified_ids):
    """{"rows": [...], "unverified": [...], "unpriced": [...]}.

    rows: one per funding source with a verified visit (FUNDING_ORDER, then others by name; None last): {"funding",
    "visits": verified visits, "people": distinct persons, "minutes": delivered minutes, "items": items delivered
    (visit x item), "amount": Decimal, "lines": [{"service", "unit", "unit_price", "quantity" (Decimal: hours for
    unit hour), "items", "amount"}] sorted by service}.
    unverified: [{"visit_id", "resident_id", "day", "funding", "why": [codes]}] -- cancelled visits (["cancelled"])
    and those not in verified_ids (their `missing`, or ["not_verified"]), in the visits' order.
    unpriced: [{"visit_id", "item_id", "why"}] -- a verified visit's item that cannot be billed (UNPRICED_MESSAGES)."""
    verified_ids = set(verified_ids)
    groups, unverified, unpriced, charged = {}, [], [], set()
    for visit in visits:
        if visit.get("cancelled_at") or visit["id"] not in verified_ids:
            why = ["cancelled"] if visit.get("cancelled_at") else list(visit.get("missing") or ["not_verified"])
            unverified.append({"visit_id": visit["id"], "resident_id": visit.get("resident_id"),
                               "day": visit.get("day"), "funding": visit.get("funding"), "why": why})
            continue
        group = groups.setdefault(visit.get("funding"), {"visits": 0, "people": set(), "minutes": 0, "items": 0,
                                                         "lines": {}})
        group["visits"] += 1
        group["people"].add(visit.get("resident_id"))
        minutes = visit.get("minutes")
        group["minutes"] += minutes or 0
        billed = visit["items_done"] if "items_done" in visit else (visit.get("item_ids") or [])
        hourly = []
        for item_id in billed:
            price = (prices or {}).get(item_id)
            if not price or price.get("price") is None:
                unpriced.append({"visit_id": visit["id"], "item_id": item_id, "why": "no_price"})
                continue
            unit = price.get("unit")
            if unit not in UNITS:
                unpriced.append({"visit_id": visit["id"], "item_id": item_id, "why": "unknown_unit"})
                continue
            if unit == "hour":
                if minutes is None:
                    unpriced.append({"visit_id": visit["id"], "item_id": item_id, "why": "no_minutes"})
                else:
                    hourly.append((item_id, price))
                continue
            service = price.get("service", item_id)
            if unit in ("day", "month"):
                key = (visit.get("funding"), visit.get("resident_id"), service, unit, _period(unit, visit["day"]))
                if key in charged:
                    group["items"] += 1
                    continue
                charged.add(key)
            _add(group, service, unit, _money(price["price"]), Decimal(1))
        if hourly:
            weights = [_weight(price) for _, price in hourly]
            for (item_id, price), share in zip(hourly, share_quarters(quarters(minutes), weights)):
                _add(group, price.get("service", item_id), "hour", _money(price["price"]), Decimal(share) / 4)
    return {"rows": [_row(funding, groups[funding]) for funding in sorted(groups, key=_funding_key)],
            "unverified": unverified, "unpriced": unpriced}


def _weight(price):
    value = price.get("standard_minutes")
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else DEFAULT_MINUTES


def _add(group, service, unit, unit_price, quantity):
    line = group["lines"].setdefault((str(service), unit, unit_price),
                                     {"service": service, "unit": unit, "unit_price": unit_price,
                                      "quantity": Decimal(0), "items": 0})
    line["quantity"] += quantity
    line["items"] += 1
    group["items"] += 1


def _funding_key(funding):
    if funding in FUNDING_ORDER:
        return (0, FUNDING_ORDER.index(funding), "")
    return (1, 0, str(funding)) if funding is not None else (2, 0, "")


def _row(funding, group):
    lines = []
    for key in sorted(group["lines"], key=lambda k: (k[0], k[1], k[2])):
        line = dict(group["lines"][key])
        line["amount"] = (line["unit_price"] * line["quantity"]).quantize(FEN, rounding=ROUND_HALF_UP)
        lines.append(line)
    return {"funding": funding, "visits": group["visits"], "people": len(group["people"]),
            "minutes": group["minutes"], "items": group["items"],
            "amount": sum((line["amount"] for line in lines), Decimal("0.00")), "lines": lines}
