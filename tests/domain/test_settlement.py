"""The settlement rows (资金结算) of home visits by funding source (issue 18; domain/settlement.py): Decimal amounts."""
from datetime import date
from decimal import Decimal

from backend.domain import settlement

PRICES = {
    1: {"price": Decimal("0.10"), "unit": "visit", "service": "wash"},
    2: {"price": "45.00", "unit": "hour", "service": "clean", "standard_minutes": 60},
    3: {"price": "12.50", "unit": "meal", "service": "meal"},
    4: {"price": "300.00", "unit": "month", "service": "bed"},
    5: {"price": "30.00", "unit": "hour", "service": "escort", "standard_minutes": 30},
    6: {"price": "20.00", "unit": "day", "service": "day_care"},
    7: {"price": None, "unit": "visit"},
    8: {"price": "1.00", "unit": "week"},
    # next month's card item for the same bed service
    14: {"price": "300.00", "unit": "month", "service": "bed"},
}


def visit(visit_id, items, minutes=60, funding="government", resident=7, day=date(2024, 5, 6), **fields):
    return dict({"id": visit_id, "resident_id": resident, "day": day, "funding": funding, "item_ids": items,
                 "minutes": minutes, "cancelled_at": None}, **fields)


def only_row(result):
    assert len(result["rows"]) == 1
    return result["rows"][0]


def test_visit_unit_sums_exactly_in_decimal():
    result = settlement.rows([visit(i, [1]) for i in (1, 2, 3)], PRICES, {1, 2, 3})
    row = only_row(result)
    assert row["amount"] == Decimal("0.30") and isinstance(row["amount"], Decimal)  # 0.1 * 3 in float is not 0.3
    assert row["lines"] == [{"service": "wash", "unit": "visit", "unit_price": Decimal("0.10"),
                             "quantity": Decimal(3), "items": 3, "amount": Decimal("0.30")}]
    assert (row["funding"], row["visits"], row["people"], row["minutes"], row["items"]) == ("government", 3, 1,
                                                                                           180, 3)
    assert result["unverified"] == [] and result["unpriced"] == []


def test_hours_round_up_to_the_quarter_hour():
    cases = {50: Decimal(1), 60: Decimal(1), 61: Decimal("1.25"), 75: Decimal("1.25"), 1: Decimal("0.25"),
             0: Decimal(0)}
    for minutes, hours in cases.items():
        line = only_row(settlement.rows([visit(1, [2], minutes=minutes)], PRICES, {1}))["lines"][0]
        assert line["quantity"] == hours, minutes
        assert line["amount"] == (Decimal("45.00") * hours).quantize(Decimal("0.01"))
    assert settlement.quarters(None) == 0


def test_hourly_items_share_the_visits_quarters_by_their_standard_minutes():
    # 95 min -> 7 quarters; weights 60:30 -> 4.67 : 2.33 -> 5 and 2 quarters
    row = only_row(settlement.rows([visit(1, [2, 5], minutes=95)], PRICES, {1}))
    by_service = {line["service"]: line for line in row["lines"]}
    assert by_service["clean"]["quantity"] == Decimal("1.25") and by_service["escort"]["quantity"] == Decimal("0.5")
    assert row["amount"] == Decimal("56.25") + Decimal("15.00")
    assert settlement.share_quarters(3, [30, 30, 30]) == [1, 1, 1]
    assert settlement.share_quarters(2, [30, 30, 30]) == [1, 1, 0]  # ties: the first listed
    assert sum(settlement.share_quarters(11, [7, 13, 29])) == 11


def test_meals_count_per_visit_months_and_days_once_per_person_and_period():
    visits = [visit(1, [3, 4, 6]), visit(2, [3, 4, 6], day=date(2024, 5, 6)),
              visit(3, [3, 4, 6], day=date(2024, 5, 20)), visit(4, [4], resident=8),
              visit(5, [14], day=date(2024, 6, 3))]
    row = only_row(settlement.rows(visits, PRICES, {1, 2, 3, 4, 5}))
    lines = {line["service"]: line for line in row["lines"]}
    assert lines["meal"]["quantity"] == 3 and lines["meal"]["amount"] == Decimal("37.50")
    assert lines["bed"]["quantity"] == 3 and lines["bed"]["amount"] == Decimal("900.00")  # 7 in May, 8, 7 in June
    assert lines["day_care"]["quantity"] == 2 and lines["day_care"]["amount"] == Decimal("40.00")
    assert row["amount"] == Decimal("977.50")
    assert row["items"] == 11 and row["people"] == 2


def test_rows_per_funding_source_in_order_and_items_done_instead_of_planned():
    visits = [visit(1, [1], funding="self_pay"), visit(2, [1], funding="government"),
              visit(3, [1, 3], funding="ltc_insurance", items_done=[3]), visit(4, [1], funding=None),
              visit(5, [1], funding="charity")]
    result = settlement.rows(visits, PRICES, {1, 2, 3, 4, 5})
    assert [r["funding"] for r in result["rows"]] == ["government", "ltc_insurance", "self_pay", "charity", None]
    ltc = result["rows"][1]
    assert [line["service"] for line in ltc["lines"]] == ["meal"] and ltc["amount"] == Decimal("12.50")
    assert sum(r["amount"] for r in result["rows"]) == Decimal("12.90")  # 4 x 0.10 + 12.50


def test_unverified_and_cancelled_are_listed_apart_with_why():
    visits = [visit(1, [1]), visit(2, [1], missing=["location", "times"]), visit(3, [1]),
              visit(4, [1], cancelled_at="2024-05-06T01:00:00Z")]
    result = settlement.rows(visits, PRICES, {1, 4})
    assert only_row(result)["visits"] == 1
    assert result["unverified"] == [
        {"visit_id": 2, "resident_id": 7, "day": date(2024, 5, 6), "funding": "government",
         "why": ["location", "times"]},
        {"visit_id": 3, "resident_id": 7, "day": date(2024, 5, 6), "funding": "government", "why": ["not_verified"]},
        {"visit_id": 4, "resident_id": 7, "day": date(2024, 5, 6), "funding": "government", "why": ["cancelled"]},
    ]


def test_items_that_cannot_be_billed_are_listed():
    visits = [visit(1, [1, 7, 8, 99]), visit(2, [2], minutes=None)]
    result = settlement.rows(visits, PRICES, {1, 2})
    assert result["unpriced"] == [{"visit_id": 1, "item_id": 7, "why": "no_price"},
                                  {"visit_id": 1, "item_id": 8, "why": "unknown_unit"},
                                  {"visit_id": 1, "item_id": 99, "why": "no_price"},
                                  {"visit_id": 2, "item_id": 2, "why": "no_minutes"}]
    assert only_row(result)["amount"] == Decimal("0.10")
    assert set(settlement.UNPRICED_MESSAGES) == {u["why"] for u in result["unpriced"]}


def test_rounding_once_per_line_to_the_fen():
    prices = {1: {"price": "10.01", "unit": "hour", "service": "s"}}
    # 3 visits of 15 min: 0.75 h x 10.01 = 7.5075 -> 7.51 (once, not 2.50 x 3 = 7.50)
    row = only_row(settlement.rows([visit(i, [1], minutes=15) for i in (1, 2, 3)], prices, {1, 2, 3}))
    assert row["lines"][0]["quantity"] == Decimal("0.75") and row["amount"] == Decimal("7.51")


def test_nothing_in_nothing_out():
    assert settlement.rows([], PRICES, set()) == {"rows": [], "unverified": [], "unpriced": []}
