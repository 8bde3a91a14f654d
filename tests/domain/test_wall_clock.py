"""What a person types as the home's time on any device becomes the same instant on the server: the tablet's
`wallClockToISO` (frontend/lib/time.js) agrees with Python's zoneinfo, across zones and clock changes."""
import json
import os
from datetime import datetime
from zoneinfo import ZoneInfo

from ..helpers import run_node

CASES = [("2026-11-25T09:00", "Asia/Krasnoyarsk"), ("2026-11-25T23:59", "Asia/Shanghai"),
         ("2026-01-01T00:00", "Europe/Moscow"), ("2026-07-01T23:15", "America/New_York"),
         ("2026-12-31T12:30", "Asia/Kolkata"), ("2026-03-08T12:00", "America/New_York"),
         ("2026-10-25T04:00", "Europe/Berlin"), ("2026-06-30T00:05", "Pacific/Chatham")]


def test_wall_clock_to_an_instant_as_python_reads_it(monkeypatch):
    monkeypatch.setenv("WALL_CLOCK_CASES", json.dumps(CASES))
    got = run_node("run_wall_clock.mjs")
    for (local, zone), text in zip(CASES, got):
        expected = datetime.fromisoformat(local).replace(tzinfo=ZoneInfo(zone))
        seen = datetime.fromisoformat(text)
        assert seen == expected and seen.utcoffset() == expected.utcoffset(), (local, zone, text)
        assert text.startswith(local)
    assert os.environ["WALL_CLOCK_CASES"]
