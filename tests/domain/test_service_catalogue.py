"""The seeded service catalogue: 003 §4.2's 8 categories and 20 items in its order, the helps, three languages."""
from decimal import Decimal

from backend.domain import homecare_codes, service_catalogue as sc

LOCALES = {"ru", "zh_Hans", "en"}


def test_the_eight_categories_of_the_guideline_in_its_order():
    assert [c["section"] for c in sc.CATEGORIES] == [f"4.2.{n}" for n in range(1, 9)]
    assert [c["names"]["zh_Hans"] for c in sc.CATEGORIES] == [
        "专业照护类", "助餐服务类", "医养结合类", "健康促进类", "智能服务类", "家庭支持类", "养老顾问类", "精神文化类"]
    assert len(set(sc.CATEGORY_CODES)) == 8


def test_the_twenty_items_numbered_as_the_source():
    assert [i["number"] for i in sc.ITEMS] == list(range(1, 21))
    by_number = {i["number"]: i for i in sc.ITEMS}
    assert by_number[1]["names"]["zh_Hans"] == "机构照护服务"
    assert by_number[3]["names"]["zh_Hans"] == "居家照护服务"
    assert by_number[10]["names"]["zh_Hans"] == "紧急援助服务"
    assert by_number[20]["names"]["zh_Hans"] == "养教结合服务"
    # items per category as 003 §4.2 lists them: 3, 2, 2, 2, 3, 4, 2, 2
    counts = [sum(1 for i in sc.ITEMS if i["category"] == code) for code in sc.CATEGORY_CODES]
    assert counts == [3, 2, 2, 2, 3, 4, 2, 2]
    # and in the guideline's order: the categories' items follow each other
    assert [i["category"] for i in sc.ITEMS] == sorted((i["category"] for i in sc.ITEMS), key=sc.CATEGORY_CODES.index)


def test_the_helps_are_there():
    helps = ["助餐", "助浴", "助洁", "助医", "助急", "助行", "助购", "心理慰藉"]
    assert [h["names"]["zh_Hans"] for h in sc.HELPS] == helps


def test_every_name_in_three_languages_and_every_code_known():
    for entry in sc.CATEGORIES + sc.ITEMS + sc.HELPS:
        assert set(entry["names"]) == LOCALES, entry["code"]
        assert all(isinstance(n, str) and n.strip() == n and n for n in entry["names"].values()), entry["code"]
    for service in sc.ITEMS + sc.HELPS:
        assert service["category"] in sc.CATEGORY_CODES
        assert service["unit"] in homecare_codes.SERVICE_UNITS
        minutes = service["standard_minutes"]
        assert minutes is None or (isinstance(minutes, int) and 0 < minutes <= 8 * 60)


def test_codes_and_names_unique():
    codes = sc.CATEGORY_CODES + sc.ITEM_CODES
    assert len(codes) == len(set(codes)) == 8 + 20 + 8
    for locale in LOCALES:
        names = [s["names"][locale] for s in sc.ITEMS + sc.HELPS]
        assert len(names) == len(set(names)), locale


def test_seed_rows_give_the_catalogue_to_one_home_at_price_zero():
    rows = sc.seed_rows(7)
    assert len(rows) == 28
    assert [r["item"] for r in rows] == list(sc.ITEM_CODES)
    assert {r["home_id"] for r in rows} == {7}
    assert all(r["price"] == Decimal("0") and r["active"] for r in rows)
    assert set(rows[0]) == {"home_id", "names", "category", "item", "standard_minutes", "price", "unit", "active"}
    rows[0]["names"]["en"] = "changed"  # a home's edit of its row leaves the catalogue as it was
    assert sc.ITEMS[0]["names"]["en"] == "Institutional care"


def test_seed_rows_fit_the_service_item_columns():
    from backend.models import ServiceItem
    columns = ServiceItem.__table__.columns
    for row in sc.seed_rows(1):
        assert set(row) <= set(columns.keys())
        assert len(row["item"]) <= columns["item"].type.length
        assert len(row["category"]) <= columns["category"].type.length
        assert len(row["unit"]) <= columns["unit"].type.length


def test_code_lists_are_distinct_codes():
    for name in ("HOME_KINDS", "ELIGIBILITY", "CARE_LEVELS", "FUNDING", "SERVICE_UNITS", "VISIT_SOURCES",
                 "DEVICE_KINDS", "ALARM_STEPS"):
        codes = getattr(homecare_codes, name)
        assert isinstance(codes, tuple) and codes and len(set(codes)) == len(codes), name
    assert homecare_codes.HOME_KINDS[0] == "residential"  # the default of home.kind
    assert homecare_codes.ALARM_STEPS[-1] == "closed"
