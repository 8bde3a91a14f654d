"""Home care's pure rules (backend/domain/contracts.py): money as text, a person's details, catalogue services,
contracts (one at a time), and the card items a month's contracts make."""
from datetime import date
from decimal import Decimal

from backend.domain import card_generation, contracts as rules, service_catalogue

PERSON = {"lat": 40.84, "lon": 111.68, "radius_m": 200, "eligibility": "dibao", "care_level": "semi",
          "phone": "+86 471 123-4567", "lives_alone": True}
SERVICE = {"names": {"ru": "Уборка"}, "category": "professional_care", "item": "help_clean",
           "standard_minutes": 60, "price": "40.00", "unit": "hour"}


def test_money_travels_as_text_with_two_places():
    assert rules.parse_money("40") == Decimal("40.00") and rules.money_text(Decimal("40")) == "40.00"
    assert rules.parse_money("0.5") == Decimal("0.50") and rules.parse_money("99999999.99") == Decimal("99999999.99")
    for bad in (40, 40.0, "-1", "1.234", "1e3", " 40", "40.", "", "123456789", None, "NaN", "40\n", "４０"):
        assert rules.parse_money(bad) is None, bad
    assert rules.money_text(None) is None


def test_a_persons_details():
    assert rules.validate_person(PERSON) == {}
    assert rules.validate_person(dict(PERSON, lat=None, lon=None)) == {}
    assert set(rules.validate_person(dict(PERSON, lat=90.5))) == {"lat"}
    assert set(rules.validate_person(dict(PERSON, lon=-180.1))) == {"lon"}
    assert set(rules.validate_person(dict(PERSON, lat=None))) == {"lat"}
    assert set(rules.validate_person(dict(PERSON, lon=None))) == {"lon"}
    assert set(rules.validate_person(dict(PERSON, lat=True))) == {"lat"}
    for radius in (49, 2001, 200.0, None):
        assert set(rules.validate_person(dict(PERSON, radius_m=radius))) == {"radius_m"}
    assert rules.validate_person(dict(PERSON, radius_m=50)) == rules.validate_person(dict(PERSON, radius_m=2000)) == {}
    assert set(rules.validate_person(dict(PERSON, eligibility="poor", care_level="bedridden", phone="call me"))) == {
        "eligibility", "care_level", "phone"}


def test_a_home_code_is_four_to_eight_digits():
    assert rules.validate_code("0042") == rules.validate_code("12345678") == {}
    for bad in ("123", "123456789", "12a4", " 1234", "", None, 1234, "1234\n", "１２３４"):
        assert set(rules.validate_code(bad)) == {"code"}, bad


def test_a_catalogue_service():
    assert rules.validate_service(SERVICE) == {}
    assert set(rules.validate_service(dict(SERVICE, names={}))) == {"names"}
    assert set(rules.validate_service(dict(SERVICE, names={"ru": "  "}))) == {"names"}
    assert set(rules.validate_service(dict(SERVICE, category="laundry", unit="week", price="-3",
                                           standard_minutes=0))) == {"category", "unit", "price", "standard_minutes"}
    assert set(rules.validate_service(dict(SERVICE, item="gardening"))) == {"item"}
    # one of the guideline's 20 keeps its category; a help may be filed elsewhere
    assert set(rules.validate_service(dict(SERVICE, item="home_care", category="advisory"))) == {"item"}
    assert rules.validate_service(dict(SERVICE, item="help_clean", category="family_support")) == {}
    assert rules.validate_service(dict(SERVICE, standard_minutes=None, price="0")) == {}


def test_a_contract_and_its_items():
    ok = {"starts_on": date(2026, 11, 1), "ends_on": None, "funding": "mixed", "monthly_subsidy": "300"}
    assert rules.validate_contract(ok) == {}
    assert set(rules.validate_contract(dict(ok, ends_on=date(2026, 10, 31), funding="charity",
                                            monthly_subsidy="3,00"))) == {"ends_on", "funding", "monthly_subsidy"}
    assert set(rules.validate_contract(dict(ok, starts_on=None))) == {"starts_on"}
    items = [{"service_item_id": 1, "schedule_kind": "times", "schedule": {"times": ["09:00"]}, "days_of_week": [1]},
             {"service_item_id": 2, "schedule_kind": "times", "schedule": {"times": ["9am"]}, "days_of_week": [8]},
             {"service_item_id": 3, "schedule_kind": "weekly", "schedule": {}, "days_of_week": None}]
    assert set(rules.validate_contract_items(items)) == {"items.1.schedule.times", "items.1.days_of_week",
                                                         "items.2.schedule_kind"}


def test_one_contract_at_a_time():
    d = date
    assert rules.overlaps(d(2026, 1, 1), None, d(2030, 1, 1), None)
    assert rules.overlaps(d(2026, 1, 1), d(2026, 1, 31), d(2026, 1, 31), None)
    assert not rules.overlaps(d(2026, 1, 1), d(2026, 1, 31), d(2026, 2, 1), None)
    assert not rules.overlaps(d(2026, 3, 1), None, d(2026, 1, 1), d(2026, 2, 28))
    others = [{"id": 1, "starts_on": d(2026, 1, 1), "ends_on": d(2026, 1, 31)},
              {"id": 2, "starts_on": d(2026, 3, 1), "ends_on": None}]
    assert rules.first_overlap(d(2026, 2, 1), d(2026, 2, 28), others) is None
    assert rules.first_overlap(d(2026, 1, 15), None, others)["id"] == 1
    assert rules.current(others, d(2026, 2, 10)) is None and rules.current(others, d(2027, 1, 1))["id"] == 2


def test_months():
    assert rules.month_of("2026-11") == date(2026, 11, 1)
    for bad in ("2026-13", "2026-1", "26-11", "2026-11-01", None, "1999-12"):
        assert rules.month_of(bad) is None, bad


def test_every_catalogue_service_has_a_card_category():
    for s in service_catalogue.ITEMS + service_catalogue.HELPS:
        assert rules.card_category(s["category"], s["code"]) in card_generation.CATEGORIES
    assert set(rules.CARD_CATEGORY) == set(service_catalogue.CATEGORY_CODES)
    assert rules.card_category("meal_assistance", "help_meal") == "nutrition"
    assert rules.card_category("professional_care", "help_bath") == "hygiene"
    assert rules.card_category("professional_care", "help_walk") == "mobility"
    assert rules.card_category("spiritual_cultural", "help_comfort") == "leisure"
    assert rules.card_category("nonsense") == "other"


def test_the_title_is_the_homes_language_first():
    names = {"ru": "Помощь", "en": "Help", "zh_Hans": "助"}
    assert rules.service_title(names, "zh_Hans") == "助" and rules.service_title(names, "ru") == "Помощь"
    assert rules.service_title({"ru": "Помощь"}, "zh_Hans") == "Помощь"


def test_card_items_of_a_month():
    services = {7: {"names": {"en": "Meals"}, "category": "meal_assistance", "item": "help_meal"},
                8: {"names": {"en": "Bath"}, "category": "professional_care", "item": "help_bath"}}
    meal = {"service_item_id": 7, "schedule_kind": "times", "schedule": {"times": ["11:30"]}, "days_of_week": None}
    bath = {"service_item_id": 8, "schedule_kind": "times", "schedule": {"times": ["15:00"]}, "days_of_week": [3]}
    old = {"starts_on": date(2026, 1, 1), "ends_on": date(2026, 11, 10), "items": [meal]}
    new = {"starts_on": date(2026, 11, 11), "ends_on": None, "items": [meal, bath]}
    gone = {"starts_on": date(2025, 1, 1), "ends_on": date(2025, 12, 31), "items": [bath]}
    made = rules.card_items([new, gone, old], services, date(2026, 11, 1), "en")
    assert [(i["service_item_id"], i["valid_from"], i["valid_to"]) for i in made] == [
        (7, None, date(2026, 11, 10)), (7, date(2026, 11, 11), None), (8, date(2026, 11, 11), None)]
    assert made[2] == {"category": "hygiene", "title": "Bath", "instructions": "", "schedule_kind": "times",
                       "schedule": {"times": ["15:00"]}, "days_of_week": [3], "measures": None,
                       "valid_from": date(2026, 11, 11), "valid_to": None, "service_item_id": 8}
    assert rules.card_items([new], services, date(2026, 12, 1), "en")[0]["valid_from"] is None
    assert rules.card_items([gone], services, date(2026, 11, 1), "en") == []


def test_a_drafts_refresh_keeps_what_is_equal():
    wanted = [{k: None for k in rules.CARD_ITEM_KEYS} | {"service_item_id": n, "title": f"s{n}"} for n in (1, 2, 2)]
    existing = [dict(wanted[0], id=10), dict(wanted[1], id=11), dict(wanted[1], id=12, title="old"),
                dict(wanted[1], id=13)]
    remove, add = rules.refresh_plan(existing, wanted)
    assert remove == [12] and add == []
    remove, add = rules.refresh_plan(existing[:1], wanted)
    assert remove == [] and add == wanted[1:]
