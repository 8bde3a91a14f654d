"""Vital signs: plausible ranges refuse typing errors, normal ranges only flag, decimals and the BP pair."""
import pytest

from backend.domain import vitals

DEF = vitals.load_definition()


def check(**values):
    return vitals.check(values, DEF)


def test_the_definition_file_is_the_shared_one():
    assert DEF["id"] == "vitals"
    assert set(DEF["measures"]) >= {"bp_systolic", "bp_diastolic", "pulse", "temperature", "spo2"}
    assert DEF["pairs"] == [["bp_systolic", "bp_diastolic"]]


def test_normal_values_give_no_errors_and_no_flags():
    assert check(bp_systolic=120, bp_diastolic=80, pulse=72, temperature=36.6, spo2=97) == ({}, {})


@pytest.mark.parametrize("name, value", [
    ("pulse", 24), ("pulse", 251), ("temperature", 31.9), ("temperature", 43.1), ("spo2", 101), ("spo2", 49),
    ("glucose", 0.5), ("respiratory_rate", 61)])
def test_implausible_values_are_refused_with_the_range_and_unit(name, value):
    errors, flags = check(**{name: value})
    spec = DEF["measures"][name]
    low, high = spec["plausible"]
    assert errors == {name: f"must be between {low} and {high} {spec['unit']}"}
    assert flags == {}


@pytest.mark.parametrize("name, value", [("pulse", 25), ("pulse", 250), ("temperature", 32), ("temperature", 43),
                                         ("spo2", 100), ("spo2", 50)])
def test_plausible_bounds_are_inclusive(name, value):
    errors, _ = check(**{name: value})
    assert errors == {}


@pytest.mark.parametrize("name, value, flag", [
    ("pulse", 59, "low"), ("pulse", 101, "high"), ("temperature", 35.8, "low"), ("temperature", 37.1, "high"),
    ("spo2", 94, "low"), ("glucose", 7.9, "high"), ("respiratory_rate", 11, "low")])
def test_values_outside_the_normal_range_stand_but_are_flagged(name, value, flag):
    assert check(**{name: value}) == ({}, {name: flag})


@pytest.mark.parametrize("name, value", [("pulse", 60), ("pulse", 100), ("temperature", 35.9), ("temperature", 37.0)])
def test_normal_bounds_are_not_flagged(name, value):
    assert check(**{name: value}) == ({}, {})


def test_decimals_per_measure():
    assert check(temperature=36.6) == ({}, {})
    assert check(temperature=36.65)[0] == {"temperature": "at most 1 decimal places"}
    assert check(pulse=72.5)[0] == {"pulse": "at most 0 decimal places"}
    assert check(pulse=72.0) == ({}, {})  # a float with no fraction is a whole number
    assert check(glucose=5.4) == ({}, {})


@pytest.mark.parametrize("value", ["72", None, True, [72], {"v": 72}])
def test_non_numbers_are_refused(value):
    assert check(pulse=value)[0] == {"pulse": "must be a number"}


def test_unknown_measure_is_refused_by_name():
    errors, _ = check(pulse=70, weight=80)
    assert errors == {"weight": "unknown measurement"}


@pytest.mark.parametrize("values", [{}, None, [], "pulse=70"])
def test_at_least_one_measurement(values):
    assert vitals.check(values, DEF) == ({"values": "at least one measurement is required"}, {})


def test_blood_pressure_needs_both_numbers():
    assert check(bp_systolic=120)[0] == {"bp_diastolic": "systolic and diastolic pressure are recorded together"}
    assert check(bp_diastolic=80)[0] == {"bp_systolic": "systolic and diastolic pressure are recorded together"}


def test_systolic_must_exceed_diastolic():
    assert check(bp_systolic=80, bp_diastolic=80)[0] == {"bp_systolic": "systolic pressure must be greater than diastolic"}
    assert check(bp_systolic=70, bp_diastolic=90)[0] == {"bp_systolic": "systolic pressure must be greater than diastolic"}
    assert check(bp_systolic=81, bp_diastolic=80)[0] == {}


def test_pair_order_rule_is_skipped_when_a_half_is_already_wrong():
    # the diastolic value is implausible: only that error is reported, no comparison with a bad number
    errors, _ = check(bp_systolic=120, bp_diastolic=200)
    assert set(errors) == {"bp_diastolic"}


def test_flags_and_errors_combine_per_measure():
    errors, flags = check(bp_systolic=180, bp_diastolic=100, pulse=300, spo2=90)
    assert set(errors) == {"pulse"}
    assert flags == {"bp_systolic": "high", "bp_diastolic": "high", "spo2": "low"}
