"""Vital-sign validation driven by frontend/forms/vitals.json (the tablet uses the same file)."""
import json
import os

from .messages import Msg

DEFINITION_PATH = os.path.join(os.path.dirname(__file__), "..", "..", "frontend", "forms", "vitals.json")


def load_definition(path=DEFINITION_PATH):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def check(values, definition):
    """Validate measured values.

    Returns (errors, flags): errors maps a measure to a message (the entry is refused);
    flags maps a measure to 'low' or 'high' when outside the normal range (the entry stands).
    """
    measures = definition["measures"]
    errors, flags = {}, {}
    if not isinstance(values, dict) or not values:
        return {"values": Msg("at least one measurement is required")}, {}
    for name, value in values.items():
        spec = measures.get(name)
        if spec is None:
            errors[name] = Msg("unknown measurement")
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            errors[name] = Msg("must be a number")
            continue
        low, high = spec["plausible"]
        if not low <= value <= high:
            errors[name] = Msg("must be between %(low)s and %(high)s %(unit)s", low=low, high=high, unit=spec["unit"])
            continue
        if round(value, spec["decimals"]) != value:
            errors[name] = Msg("at most %(n)s decimal places", n=spec["decimals"])
            continue
        nlow, nhigh = spec["normal"]
        if value < nlow:
            flags[name] = "low"
        elif value > nhigh:
            flags[name] = "high"
    # The only pair is blood pressure (vitals.json), so its messages name it.
    for first, second in definition.get("pairs", []):
        if (first in values) != (second in values):
            errors[second if first in values else first] = Msg("systolic and diastolic pressure are recorded together")
        elif first in values and first not in errors and second not in errors and values[first] <= values[second]:
            errors[first] = Msg("systolic pressure must be greater than diastolic")
    return errors, flags
