"""The resident's personal file («личное дело по СДУ», 004 §3.3; issue 17 §8): her record, assessments, care-group
decisions with their grounds, plan versions with what each changed, and her closed cards -- on screen (JSON) and
printed, in the reader's words; read by the team that keeps it (supervisors and planners) and audited."""
import re
from pathlib import Path

from backend.domain import care_groups as rules
from backend.extensions import db
from backend.models import AuditEvent, Resident

from .conftest import login_as
from .test_archive_print import RAW, closed_card, pdf_text

CARE_GROUP_JS = (Path(__file__).resolve().parents[2] / "frontend" / "lib" / "care_group.js").read_text(encoding="utf-8")


def test_the_file_gathers_what_the_team_documented(small, make_api, clock, app):
    supervisor, card = closed_card(small, make_api, clock)
    planner = login_as(make_api, small.usernames["planner"])
    with app.app_context():
        db.session.get(Resident, small.r1).categories = ["geriatric", "palliative"]
        db.session.commit()
    status, body = planner.post("/api/care-groups", {"resident_id": small.r1, "group": 3, "decided_on": "2026-12-01",
                                                     "reason": "unplanned", "note": "после падения",
                                                     "grounds": ["constant_need", "disorientation"]})
    assert status == 201, body
    status, found = planner.get(f"/api/residents/{small.r1}/file")
    assert status == 200, found
    assert found["resident"]["categories"] == ["geriatric", "palliative"]
    assert [a["form_id"] for a in found["assessments"]] == ["age_no_barrier"]
    assert found["assessments"][0]["score"]["total"] == 3
    [decision] = found["decisions"]
    assert (decision["group"], decision["grounds"], decision["reason"]) == (3, ["constant_need", "disorientation"],
                                                                            "unplanned")
    assert [(c["id"], c["month"]) for c in found["closed_cards"]] == [(card, "2026-11-01")]
    assert found["closed_cards"][0]["closed_at"].endswith("+00:00") and found["closed_cards"][0]["closed_by_name"]
    assert found["stay_events"] == [] or found["stay_events"][0]["kind"] == "admission"
    with app.app_context():
        assert AuditEvent.query.filter_by(action="read", object_id=str(small.r1)).filter(
            AuditEvent.detail["view"].as_string() == "personal_file").count() == 1


def test_the_printed_file_reads_as_a_document(small, make_api, clock, app):
    supervisor, card = closed_card(small, make_api, clock)
    planner = login_as(make_api, small.usernames["planner"])
    with app.app_context():
        db.session.get(Resident, small.r1).categories = ["geriatric"]
        db.session.commit()
    assert planner.post("/api/care-groups", {"resident_id": small.r1, "group": 3, "decided_on": "2026-12-01",
                                             "reason": "unplanned", "grounds": ["disorientation"]})[0] == 201
    texts = {}
    for lang in ("ru", "zh_Hans", "en"):
        response = supervisor.client.get(f"/api/residents/{small.r1}/file.pdf?lang={lang}",
                                         headers={"X-Bedside": "1"})
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        texts[lang] = pdf_text(response.data)
    for lang in ("ru", "zh_Hans"):
        for raw in RAW + ["geriatric", "disorientation", "unplanned", "constant_need"]:
            assert raw not in texts[lang], (lang, raw)
        assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", texts[lang]), lang
    en = texts["en"]
    assert "Personal file" in en and "Geriatric" in en and "III" in en and "(disorientation)" in en
    assert "3 of 7 · Probable pre-frailty" in en and "November 2026" in en
    assert "Возраст не помеха" in texts["ru"] and "ноябрь 2026" in texts["ru"].lower()


def test_only_the_team_that_keeps_it_reads_it(small, make_api):
    nurse = login_as(make_api, small.usernames["nurse"])
    assert nurse.get(f"/api/residents/{small.r1}/file")[0] == 403
    admin = login_as(make_api, small.usernames["admin"])
    assert admin.get(f"/api/residents/{small.r1}/file")[0] == 403
    planner = login_as(make_api, small.usernames["planner"])
    assert planner.get("/api/residents/999999/file")[0] == 404


def test_the_printed_grounds_are_the_tablets_words():
    js = dict(re.findall(r"^\s+([a-z_]+): gettext\('([^']+)'\),?$",
                         CARE_GROUP_JS.split("export const groundLabel", 1)[1].split("}[code]", 1)[0], re.M))
    every = {g for codes in rules.GROUNDS.values() for g in codes}
    assert set(js) == every
    python = _source_msgids()
    assert python == js


def _source_msgids():
    """The msgids of pdf_file's grounds, read from its source (gettext needs an app to run)."""
    text = (Path(__file__).resolve().parents[2] / "backend" / "pdf_file.py").read_text(encoding="utf-8")
    block = text.split('"grounds": {', 1)[1].split("},", 1)[0]
    pairs = re.findall(r'"([a-z_]+)": _\(((?:"[^"]*"\s*)+)\)', block)
    return {code: "".join(re.findall(r'"([^"]*)"', parts)) for code, parts in pairs}
