"""Distances on the Earth for home visits (issue 18): where a carer's location fix lies against the person's home.

A fix is kept rounded to ROUND_DIGITS decimal places of a degree (about 11 m of latitude, less of longitude away
from the equator): enough to tell "at the door" from "across town", not a route. The tablet's twin is
frontend/lib/visits.js (`distanceM`, `roundFix`), kept equal by the shared cases of tests/fixtures/visit_cases.json.
"""
import math

#: The mean Earth radius (IUGG), metres: the haversine's sphere.
EARTH_RADIUS_M = 6371008.8
#: Decimal places a fix is rounded to (1e-4 degree: about 11 m north-south).
ROUND_DIGITS = 4


def valid_fix(lat, lon):
    """Whether (lat, lon) are finite numbers within the Earth's ranges (booleans are not numbers)."""
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in (lat, lon))
    return numbers and -90 <= lat <= 90 and -180 <= lon <= 180


def round_fix(value):
    """A coordinate rounded half away from zero to ROUND_DIGITS places (JS Math.round differs on negative halves;
    both sides use this rule)."""
    scale = 10 ** ROUND_DIGITS
    return math.copysign(math.floor(abs(value) * scale + 0.5), value) / scale


def distance_m(lat1, lon1, lat2, lon2):
    """The great-circle distance in metres between two fixes (haversine), rounded to the metre."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return round(2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a))))
