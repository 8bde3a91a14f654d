"""Entry contents per kind, which entries stand after corrections, and who may correct what."""
from datetime import date, datetime

import pytest

from backend.domain import entries, vitals

DEF = vitals.load_definition()


def validate(**entry):
    return entries.validate_fields(entry, DEF)


# --- validate_fields -----------------------------------------------------------------------------

def test_tick_done_is_valid():
    assert validate(kind="tick", item_id=1, status="done") == ({}, {})


@pytest.mark.parametrize("reason", entries.REASONS[:-1])
def test_tick_not_done_with_a_reason_is_valid(reason):
    assert validate(kind="tick", item_id=1, status="not_done", reason=reason) == ({}, {})


def test_tick_needs_an_item_and_a_known_status():
    errors, _ = validate(kind="tick", status="maybe")
    assert set(errors) == {"item_id", "status"}
    assert "done, not_done" in errors["status"]
    assert validate(kind="tick", item_id=1)[0] == {"status": "must be one of done, not_done"}


def test_not_done_requires_a_listed_reason():
    assert "a reason is required" in validate(kind="tick", item_id=1, status="not_done")[0]["reason"]
    assert set(validate(kind="tick", item_id=1, status="not_done", reason="lazy")[0]) == {"reason"}


def test_reason_other_requires_a_note():
    assert validate(kind="tick", item_id=1, status="not_done", reason="other")[0] == {
        "note": "describe the reason in a note"}
    assert validate(kind="tick", item_id=1, status="not_done", reason="other", note="   ")[0] == {
        "note": "describe the reason in a note"}
    assert validate(kind="tick", item_id=1, status="not_done", reason="other", note="visitor took her out") == ({}, {})


def test_done_may_not_carry_a_reason():
    assert validate(kind="tick", item_id=1, status="done", reason="asleep")[0] == {
        "reason": "only an item not done has a reason"}


def test_note_length_limit_applies_to_every_kind():
    long = "x" * (entries.NOTE_MAX + 1)
    assert validate(kind="tick", item_id=1, status="done", note=long)[0] == {"note": "at most 2000 characters"}
    assert validate(kind="note", note="x" * entries.NOTE_MAX) == ({}, {})
    assert validate(kind="note", note=long)[0] == {"note": "at most 2000 characters"}


def test_vitals_entry_uses_the_vitals_rules():
    assert validate(kind="vitals", values={"pulse": 110}) == ({}, {"pulse": "high"})
    assert validate(kind="vitals", values={"pulse": 400})[0] == {"pulse": "must be between 25 and 250 /min"}
    assert validate(kind="vitals")[0] == {"values": "at least one measurement is required"}


def test_note_must_not_be_empty():
    assert validate(kind="note", note="")[0] == {"note": "the note is empty"}
    assert validate(kind="note", note=" \n")[0] == {"note": "the note is empty"}
    assert validate(kind="note")[0] == {"note": "the note is empty"}
    assert validate(kind="note", note="slept well") == ({}, {})


def test_condition_needs_a_category_and_a_description():
    assert set(validate(kind="condition")[0]) == {"category", "note"}
    assert validate(kind="condition", category="fall", note="")[0] == {"note": "describe the change"}
    assert set(validate(kind="condition", category="flu", note="fever")[0]) == {"category"}
    for category in entries.CONDITION_CATEGORIES:
        assert validate(kind="condition", category=category, note="seen by the nurse") == ({}, {})


@pytest.mark.parametrize("kind", [None, "", "medication", "TICK"])
def test_unknown_kind(kind):
    errors, _ = validate(kind=kind)
    assert list(errors) == ["kind"]
    assert "tick, vitals, note, condition" in errors["kind"]


# --- standing and latest -------------------------------------------------------------------------

def e(eid, minute, supersedes=None):
    return {"id": eid, "device_time": datetime(2026, 11, 25, minute // 60, minute % 60), "supersedes": supersedes}


def test_standing_drops_superseded_entries_but_keeps_the_rest():
    a, b, c = e("a", 60), e("b", 70, supersedes="a"), e("c", 80)
    assert entries.standing([a, b, c]) == [b, c]
    assert entries.standing([]) == []


def test_a_chain_of_corrections_leaves_only_the_last():
    a, b, c = e("a", 60), e("b", 70, "a"), e("c", 80, "b")
    assert entries.standing([c, a, b]) == [c]


def test_superseding_an_entry_not_in_the_list_removes_nothing():
    a, b = e("a", 60), e("b", 70, "zzz")
    assert entries.standing([a, b]) == [a, b]


def test_latest_by_device_time_then_id():
    early, late = e("b", 60), e("a", 90)
    assert entries.latest([late, early]) is late
    x, y = e("0190-x", 60), e("0190-y", 60)  # same minute: the larger (later UUIDv7) id wins
    assert entries.latest([y, x]) is y
    assert entries.latest([]) is None


# --- check_correction ----------------------------------------------------------------------------

OLD = {"id": "a", "kind": "tick", "resident_id": 1, "day": date(2026, 11, 25), "item_id": 5, "slot": "08:00",
       "author_id": 10}


def test_own_correction_of_the_same_slot_is_allowed():
    new = dict(OLD, id="b", supersedes="a", status="not_done")
    assert entries.check_correction(new, OLD, actor_id=10, is_amendment=False) is None


def test_unknown_target():
    assert entries.check_correction(dict(OLD, id="b"), None, 10, False) == "superseded_unknown"


@pytest.mark.parametrize("field, value", [("resident_id", 2), ("kind", "note"), ("day", date(2026, 11, 24)),
                                          ("item_id", 6), ("slot", "20:00")])
def test_a_correction_must_describe_the_same_thing(field, value):
    new = dict(OLD, id="b", **{field: value})
    assert entries.check_correction(new, OLD, 10, False) == "superseded_mismatch"


def test_only_the_author_corrects_but_a_supervisor_amends():
    new = dict(OLD, id="b")
    assert entries.check_correction(new, OLD, actor_id=11, is_amendment=False) == "not_own_entry"
    assert entries.check_correction(new, OLD, actor_id=11, is_amendment=True) is None


def test_item_and_slot_only_matter_for_ticks():
    old = {"id": "v", "kind": "vitals", "resident_id": 1, "day": date(2026, 11, 25), "author_id": 10,
           "item_id": 5, "slot": "09:00"}
    assert entries.check_correction(dict(old, id="w", item_id=None, slot=None), old, 10, False) is None
