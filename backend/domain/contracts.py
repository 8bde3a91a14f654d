"""Home care (issue 18): the rules of a community home's people at home, its service catalogue and its service
contracts, and how a contract becomes the person's care card. Pure: plain dicts and dates in, errors
({field: Msg}) or plain dicts out; the services (services/homecare.py, services/contracts.py) load and write.

Choices recorded here (ours; the sources are silent):
* Money travels as a string with at most two decimal places ("40.00"), never a float; 0 is a price (the seeded
  catalogue's), a negative one is not. At most 8 digits before the point (the columns are Numeric(10, 2)).
* A person's home location is both coordinates or none; the radius a fix still counts as at her door is
  RADIUS_M (50 to 2,000 m).
* A home code is 4 to 8 digits; only its salted hash is kept (domain/visits.py code_hash).
* A catalogue item's code is one of the guideline's 20 items or the helps (service_catalogue.ITEM_CODES); one of the
  20 keeps the guideline's category (the helps' categories are ours, so a home may file them elsewhere).
* One contract per person at a time: two contracts of a person overlap when their dates share a day (an open end
  runs for ever).
* A contract item becomes one card item (CARD_CATEGORY below): the service's name in the home's language as its
  title, the contract item's schedule and days, the catalogue service's id; a contract that starts or ends inside
  the month bounds its items' valid_from / valid_to.
"""
import re
from calendar import monthrange
from datetime import date
from decimal import Decimal

from . import geo, homecare_codes, schedule, service_catalogue
from .activity_schedule import validate_texts
from .card_generation import CATEGORIES as CARD_CATEGORIES
from .messages import Msg

#: How far (metres) from her home a carer's fix still counts as at her door.
RADIUS_M = (50, 2000)
#: A home code: digits only, this many.
CODE_DIGITS = (4, 8)
#: A generated home code's length.
GENERATED_CODE_DIGITS = 6
#: A service's standard minutes.
STANDARD_MINUTES = (1, 720)
MONEY = re.compile(r"^[0-9]{1,8}(\.[0-9]{1,2})?$")
PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{2,38}$")
PHONE_MESSAGE = Msg("must be a phone number: digits, spaces, brackets and dashes, at most 40")
CODE = re.compile(r"^[0-9]{%d,%d}$" % CODE_DIGITS)
PAPERS = ("intent_signed_on", "assessment_signed_on", "agreement_signed_on", "risk_notice_signed_on")

#: The card item category of a catalogue category (003 §4.2's eight -> the card's, card_generation.CATEGORIES).
CARD_CATEGORY = {
    "professional_care": "hygiene",        # 居家照护, 助浴: personal care
    "meal_assistance": "nutrition",        # 堂食, 送餐, 助餐
    "medical_care": "medication",          # 社区卫生服务: the medical part of a visit
    "health_promotion": "vitals",          # 健康管理: measurements
    "smart_services": "other",             # alarms, remote care: no carer's task of the card's kinds
    "family_support": "other",             # respite, home modification, devices, time bank
    "advisory": "other",
    "spiritual_cultural": "leisure",       # 精神慰藉, 心理慰藉, 养教结合
}
#: Items whose work is not their category's usual one (checked before CARD_CATEGORY).
CARD_CATEGORY_BY_ITEM = {
    "institutional_care": "other",         # a stay, not a task at home
    "short_term_care": "other",
    "medical_contract": "other",           # a month's contract with a doctor
    "rehab_wellness": "mobility",
    "help_walk": "mobility",               # 助行
    "help_clean": "other",                 # 助洁: the home, not the person
    "help_shop": "other",                  # 助购
    "help_medical": "other",               # 助医: going with her to the doctor
}
_GUIDELINE_CATEGORY = {i["code"]: i["category"] for i in service_catalogue.ITEMS}


def card_category(category, item=None):
    """The card item category a catalogue service's card items get."""
    found = CARD_CATEGORY_BY_ITEM.get(item) or CARD_CATEGORY.get(category) or "other"
    return found if found in CARD_CATEGORIES else "other"


# --- money -------------------------------------------------------------------------------------------------------

def parse_money(value):
    """A money string ("40", "40.5", "40.00") as a Decimal with two places, or None when it is not one."""
    if not isinstance(value, str) or not MONEY.fullmatch(value):
        return None
    return Decimal(value).quantize(Decimal("0.01"))


def money_text(value):
    """A stored amount as the API gives it: "40.00" (None stays None)."""
    if value is None:
        return None
    return str(Decimal(value).quantize(Decimal("0.01")))


def _money_error():
    return Msg("must be an amount of at least 0 as text, with at most 2 decimal places (\"40.00\")")


# --- people at home ----------------------------------------------------------------------------------------------

def _whole(value, low, high):
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _one_of(errors, data, key, options):
    if data.get(key) is not None and data[key] not in options:
        errors[key] = Msg("must be one of %(options)s", options=", ".join(options))


def validate_person(data):
    """A person at home's details (the stored ones with the change merged in)."""
    errors = {}
    lat, lon = data.get("lat"), data.get("lon")
    if (lat is None) != (lon is None):
        errors["lon" if lon is None else "lat"] = Msg("latitude and longitude are given together, or neither")
    elif lat is not None and not geo.valid_fix(lat, lon):
        bad_lat = not geo.valid_fix(lat, 0)
        errors["lat" if bad_lat else "lon"] = (Msg("must be a latitude from -90 to 90") if bad_lat
                                               else Msg("must be a longitude from -180 to 180"))
    if not _whole(data.get("radius_m"), *RADIUS_M):
        errors["radius_m"] = Msg("must be a whole number of metres from %(low)s to %(high)s", low=RADIUS_M[0],
                                 high=RADIUS_M[1])
    _one_of(errors, data, "eligibility", homecare_codes.ELIGIBILITY)
    _one_of(errors, data, "care_level", homecare_codes.CARE_LEVELS)
    phone = data.get("phone")
    if phone is not None and (not isinstance(phone, str) or not PHONE.fullmatch(phone)):
        errors["phone"] = PHONE_MESSAGE
    if data.get("lives_alone") is not None and not isinstance(data["lives_alone"], bool):
        errors["lives_alone"] = Msg("must be true or false")
    return errors


def validate_code(code):
    """A home code the dispatcher chose: 4 to 8 digits."""
    if not isinstance(code, str) or not CODE.fullmatch(code):
        return {"code": Msg("must be %(low)s to %(high)s digits", low=CODE_DIGITS[0], high=CODE_DIGITS[1])}
    return {}


# --- the catalogue -----------------------------------------------------------------------------------------------

def validate_service(data):
    """A catalogue service (the stored one with the change merged in); `price` as the API's string."""
    errors = validate_texts(data.get("names"), "names", True)
    category, item = data.get("category"), data.get("item")
    if category not in service_catalogue.CATEGORY_CODES:
        errors["category"] = Msg("must be one of %(options)s", options=", ".join(service_catalogue.CATEGORY_CODES))
    if item not in service_catalogue.ITEM_CODES:
        errors["item"] = Msg("must be an item or help of the guideline's catalogue")
    elif category in service_catalogue.CATEGORY_CODES and _GUIDELINE_CATEGORY.get(item, category) != category:
        errors["item"] = Msg("the guideline files this item under %(category)s", category=_GUIDELINE_CATEGORY[item])
    minutes = data.get("standard_minutes")
    if minutes is not None and not _whole(minutes, *STANDARD_MINUTES):
        errors["standard_minutes"] = Msg("must be a whole number from %(low)s to %(high)s", low=STANDARD_MINUTES[0],
                                         high=STANDARD_MINUTES[1])
    if parse_money(data.get("price")) is None:
        errors["price"] = _money_error()
    if data.get("unit") not in homecare_codes.SERVICE_UNITS:
        errors["unit"] = Msg("must be one of %(options)s", options=", ".join(homecare_codes.SERVICE_UNITS))
    return errors


def service_title(names, locale):
    """A service's name in the home's language, else in the first language that has one."""
    names = names or {}
    for language in (locale, "en", "ru", "zh_Hans"):
        text = (names.get(language) or "").strip()
        if text:
            return text[:200]
    return "?"


# --- contracts ---------------------------------------------------------------------------------------------------

def validate_contract(data):
    """A contract's fields (the stored ones with the change merged in), its items aside; `monthly_subsidy` as the
    API's string or None."""
    errors = {}
    if not isinstance(data.get("starts_on"), date):
        errors["starts_on"] = Msg("the first day is required")
    elif data.get("ends_on") is not None and data["ends_on"] < data["starts_on"]:
        errors["ends_on"] = Msg("must not be before the first day")
    if data.get("funding") not in homecare_codes.FUNDING:
        errors["funding"] = Msg("must be one of %(options)s", options=", ".join(homecare_codes.FUNDING))
    if data.get("monthly_subsidy") is not None and parse_money(data["monthly_subsidy"]) is None:
        errors["monthly_subsidy"] = _money_error()
    return errors


def validate_contract_items(items):
    """A contract's items: [{service_item_id, schedule_kind, schedule, days_of_week}]; errors name
    items.<n>.<field> (a schedule's parameters: items.<n>.schedule.<name>). Whether the service is the home's is the
    service's check."""
    errors = {}
    for n, item in enumerate(items):
        found = schedule.validate(item.get("schedule_kind"), item.get("schedule"), item.get("days_of_week"))
        for key, message in found.items():
            where = key if key in ("schedule_kind", "days_of_week") else f"schedule.{key}"
            errors[f"items.{n}.{where}"] = message
    return errors


def overlaps(start_a, end_a, start_b, end_b):
    """Whether two date ranges (ends included; None: open) share a day."""
    return (end_b is None or start_a <= end_b) and (end_a is None or start_b <= end_a)


def first_overlap(starts_on, ends_on, others):
    """The first of `others` ({starts_on, ends_on, ...}) whose dates share a day with these, or None."""
    for other in sorted(others, key=lambda o: o["starts_on"]):
        if overlaps(starts_on, ends_on, other["starts_on"], other["ends_on"]):
            return other
    return None


def month_of(text):
    """"YYYY-MM" -> the month's first day, or None."""
    if not isinstance(text, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}", text):
        return None
    year, month = int(text[:4]), int(text[5:])
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return date(year, month, 1)


def current(contracts, day):
    """The contract in force on `day` ({starts_on, ends_on, ...}), or None."""
    return next((c for c in contracts if c["starts_on"] <= day and (c["ends_on"] is None or day <= c["ends_on"])),
                None)


def card_items(contracts, services, month, locale):
    """The card items a month's card gets from the person's contracts: one per item of each contract in force in
    the month, in the contracts' order and their items' order. `contracts`: [{starts_on, ends_on, items: [{
    service_item_id, schedule_kind, schedule, days_of_week}]}]; `services`: {id: {names, category, item}}.
    A contract that starts (ends) inside the month makes its items valid from (to) that day."""
    first = month.replace(day=1)
    last = first.replace(day=monthrange(first.year, first.month)[1])
    out = []
    for contract in sorted(contracts, key=lambda c: c["starts_on"]):
        if not overlaps(contract["starts_on"], contract["ends_on"], first, last):
            continue
        valid_from = contract["starts_on"] if contract["starts_on"] > first else None
        valid_to = contract["ends_on"] if contract["ends_on"] is not None and contract["ends_on"] < last else None
        for item in contract["items"]:
            service = services[item["service_item_id"]]
            out.append({"category": card_category(service["category"], service["item"]),
                        "title": service_title(service["names"], locale), "instructions": "",
                        "schedule_kind": item["schedule_kind"], "schedule": dict(item["schedule"] or {}),
                        "days_of_week": list(item["days_of_week"]) if item["days_of_week"] else None,
                        "measures": None, "valid_from": valid_from, "valid_to": valid_to,
                        "service_item_id": item["service_item_id"]})
    return out


#: The fields that tell one generated card item from another (a draft's refresh keeps an item whose are equal).
CARD_ITEM_KEYS = ("service_item_id", "category", "title", "schedule_kind", "schedule", "days_of_week", "valid_from",
                  "valid_to")


def refresh_plan(existing, wanted):
    """How a draft card's contract items become `wanted`: (ids of existing items to remove, wanted items to add).
    `existing`: the draft's items that came from a contract ({id} and CARD_ITEM_KEYS); items added by hand (no
    service_item_id) are not given and stay. Equal items are kept, each matched once."""
    left = list(existing)
    add = []
    for item in wanted:
        key = tuple(item[k] for k in CARD_ITEM_KEYS)
        match = next((e for e in left if tuple(e[k] for k in CARD_ITEM_KEYS) == key), None)
        if match is None:
            add.append(item)
        else:
            left.remove(match)
    return [e["id"] for e in left], add
