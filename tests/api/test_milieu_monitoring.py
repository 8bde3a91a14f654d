"""The monitoring forms of the milieu-therapy practice (001: observation of service delivery, interview,
specialist's short report): filled by activity staff at a resident, pushed as assessments, counted on the monthly
monitoring page, its CSV and its PDF."""
import csv
import io

import pypdf

from backend.extensions import db
from backend.models import Entry

from ..conftest import LOGINS
from ..helpers import entry as make_entry
from .conftest import push

HELD = {"interior": True, "social_medical": True, "psychological": True}
DELIVERED = {"direction": "cultural_leisure", "format": "active", "as_scheduled": True, "in_full": True,
             "contact": True, "engagement": "active"}
INTERVIEW = {"attitude": "positive", "benefit": "yes", "communication": "same"}  # 5 of 6: positive
REPORT = {"directions": ["work_therapy"], "sessions": 8, "self_care": "improved", "interests": "unchanged",
          "communication": "improved", "emotional": "unchanged", "conflict": "unchanged",
          "summary": "Занятия по плану"}  # 7 of 10: positive


def form(world, rid, name, values, day="2026-11-20"):
    return make_entry(rid, world.users[LOGINS.activities1], day=day, kind="assessment", category=name,
                      values=values)


def milieu(reply):
    return {f["key"]: (f["numerator"], f["denominator"]) for f in reply["milieu"]}


def test_activity_staff_fill_the_monitoring_forms_and_the_month_counts_them(demo, world, api, make_api):
    r1, r1b, r2 = world.residents[world.unit1][0], world.residents[world.unit1][1], world.r2
    api.login(LOGINS.activities1)
    forms = [form(world, r1, "milieu_observation", dict(DELIVERED, **HELD), day="2026-11-03"),
             form(world, r1b, "milieu_observation", {**DELIVERED, **HELD, "interior": False, "remark": "Темно в зале"}),
             form(world, r1, "milieu_interview", dict(INTERVIEW, communication="less")),  # 4: neutral
             form(world, r1, "milieu_interview", INTERVIEW, day="2026-11-21"),  # her latest: positive
             form(world, r2, "specialist_report", REPORT)]
    results = push(api, forms)
    assert [(r["status"], r["score"]["band"]) for r in results] == [
        ("accepted", "no_remarks"), ("accepted", "remarks"), ("accepted", "neutral"), ("accepted", "positive"),
        ("accepted", "positive")], results
    # a junior nurse fills none of them; an unfinished report names the missing answer
    nurse = make_api()
    nurse.login(LOGINS.nurse1)
    [refused] = push(nurse, [make_entry(r1, world.nurse1, kind="assessment", category="milieu_interview",
                                        values=INTERVIEW)])
    assert (refused["status"], refused["reason"]) == ("rejected", "not_permitted")
    [unfinished] = push(api, [form(world, r2, "specialist_report", {k: v for k, v in REPORT.items() if k != "summary"})])
    assert unfinished["status"] == "rejected" and unfinished["fields"] == {"values.summary": "an answer is required"}
    with demo.app_context():
        assert Entry.query.filter(Entry.category.in_(("milieu_observation", "milieu_interview",
                                                      "specialist_report"))).count() == 5
        db.session.remove()

    reader = make_api()
    reader.login(LOGINS.supervisor1)
    status, reply = reader.get("/api/monitoring/month?month=2026-11")
    assert status == 200, reply
    n = reply["residents"]
    assert milieu(reply) == {"monitoring_observations": (1, 2), "environment_interior": (1, 2),
                             "environment_social_medical": (2, 2), "environment_psychological": (2, 2),
                             "monitoring_interviewed": (1, n), "monitoring_attitude": (1, 1),
                             "monitoring_reported": (1, n), "monitoring_dynamics": (1, 1)}
    assert all(f["title"] and f["definition"] for f in reply["milieu"])
    status, unit1 = reader.get(f"/api/monitoring/month?month=2026-11&unit_id={world.unit1}")
    assert milieu(unit1)["monitoring_reported"] == (0, unit1["residents"])  # the report is of unit 2's resident
    status, before = reader.get("/api/monitoring/month?month=2026-10")
    assert milieu(before)["monitoring_observations"] == (0, 0)

    response = reader.client.get("/api/monitoring/month.csv?month=2026-11&lang=en", headers={"X-Bedside": "1"})
    rows = {row[0]: row for row in csv.reader(io.StringIO(response.get_data(as_text=True)))}
    assert rows["monitoring_observations"][1:5] == ["Observations of service delivery without remarks", "50%", "1",
                                                    "2"]
    response = reader.client.get("/api/monitoring/month.pdf?month=2026-11&lang=ru", headers={"X-Bedside": "1"})
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.data)).pages)
    assert "Мониторинг милиотерапии" in " ".join(text.split())
