"""Which unit an activity staff member's tablet asks the attendance pull for (frontend/lib/sync.js attendanceUnit;
docs/sync.md, "The attendance feed's scope"): the enrolled tablet's post's unit when she works there, else none --
the server then answers for the units she works in (services/attendance.py pull; none: the whole home)."""
import json

from ..helpers import run_node

POST_IN_2 = {"id": 7, "name": "Пост второго этажа", "unit_id": 2, "unit_name": "Отделение второго этажа"}
CASES = [
    ({"unit_ids": []}, POST_IN_2, 2),          # the whole home's organiser on unit 2's tablet: unit 2
    ({"unit_ids": [1, 2]}, POST_IN_2, 2),      # one of her units
    ({"unit_ids": [1]}, POST_IN_2, None),      # not hers: her own units (the server's default)
    ({"unit_ids": [1]}, None, None),           # not an enrolled tablet
    ({"unit_ids": []}, None, None),            # ... the whole home
    ({}, POST_IN_2, 2),                        # stored before units were sent: as the whole home
    ({"unit_ids": []}, {"id": 7, "name": "Пост второго этажа"}, None),  # an enrolment without its unit
    (None, POST_IN_2, 2),
]


def test_the_tablet_asks_for_the_enrolled_posts_unit_when_she_works_there(monkeypatch):
    monkeypatch.setenv("SCOPE_CASES", json.dumps([[user, post] for user, post, _ in CASES]))
    assert run_node("run_attendance_scope.mjs") == [unit for _, _, unit in CASES]
