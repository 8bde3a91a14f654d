"""The printed closed card reads as a document for the personal file (issue 16, finding 13): every entry in the
reader's words (statuses, reasons, named measurements with units, a change in condition by its name), assessments
with their form's title, score and band instead of raw answers, dates and times in the locale's form, weekdays that
cannot be confused, and only the care card's documentation (no attendance, no assessment in the entry lists)."""
import io
import re
from datetime import date

import pypdf

from ..helpers import entry as make_entry
from .conftest import login_as, push

NOVEMBER = [date(2026, 11, d) for d in range(1, 31)]
AGE = {"weight_loss": True, "vision_hearing": False, "falls": True, "mood": False, "memory": True,
       "incontinence": False, "moving": False}
RAW = ["True", "False", "None", "bp_systolic", "bp_diastolic", "temperature", "not_done", "asleep",
       "weight_loss", "vision_hearing", "age_no_barrier", "pre_frailty", "shift:", "attendance"]


def pdf_text(data):
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def closed_card(small, make_api, clock):
    nurse = login_as(make_api, small.usernames["nurse"])
    planner = login_as(make_api, small.usernames["planner"])

    def at(day, hhmm):
        return f"{day}T{hhmm}:00+07:00"
    entries = [
        make_entry(small.r1, small.nurse1, day="2026-11-03", item_id=small.toilet, slot="07:30",
                   device_time=at("2026-11-03", "07:35")),
        make_entry(small.r1, small.nurse1, day="2026-11-04", item_id=small.toilet, slot="07:30", status="not_done",
                   reason="asleep", device_time=at("2026-11-04", "07:40")),
        make_entry(small.r1, small.nurse1, day="2026-11-05", kind="vitals",
                   values={"bp_systolic": 165, "bp_diastolic": 95, "pulse": 72}, device_time=at("2026-11-05", "09:00")),
        make_entry(small.r1, small.nurse1, day="2026-11-06", kind="condition", category="fall",
                   note="Found on the floor by the bed", device_time=at("2026-11-06", "03:10")),
        make_entry(small.r1, small.nurse1, day="2026-11-07", kind="note", note="Visited by her daughter",
                   device_time=at("2026-11-07", "16:00")),
    ]
    assert [r["status"] for r in push(nurse, entries)] == ["accepted"] * len(entries)
    assessment = make_entry(small.r1, small.planner, day="2026-11-10", kind="assessment", category="age_no_barrier",
                            values=dict(AGE), device_time=at("2026-11-10", "11:00"))
    assert push(planner, [assessment])[0]["status"] == "accepted"
    clock.set("2026-12-02T10:00:00+07:00")
    supervisor = login_as(make_api, small.usernames["supervisor"])
    for d in NOVEMBER:
        status, body = supervisor.post(f"/api/units/{small.unit1}/days/{d.isoformat()}/confirm", {})
        assert status == 201, body
    card = small.cards[small.r1]
    status, body = supervisor.post(f"/api/archive/cards/{card}/close")
    assert status == 200, body
    return supervisor, card


def test_the_printed_card_reads_as_a_document_in_russian_and_chinese(small, make_api, clock):
    supervisor, card = closed_card(small, make_api, clock)
    texts = {}
    for lang in ("ru", "zh_Hans", "en"):
        response = supervisor.client.get(f"/api/archive/cards/{card}.pdf?lang={lang}", headers={"X-Bedside": "1"})
        assert response.status_code == 200
        texts[lang] = pdf_text(response.data)
    for lang in ("ru", "zh_Hans"):
        text = texts[lang]
        for raw in RAW:
            assert raw not in text, (lang, raw)
        assert not re.search(r"\[['\"\d]|\{['\"]", text), lang  # no Python list or dict
        assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text), lang  # no ISO date
        assert "165/95" in text and "Found on the floor by the bed" in text and "Visited by her daughter" in text
    ru, zh, en = texts["ru"], texts["zh_Hans"], texts["en"]
    # measurements by name, with units and the out-of-range word; the reason and the change by name
    assert "Пульс 72" in ru and "выше нормы" in ru and "Спит" in ru and "Падение" in ru
    assert "脉搏 72" in zh
    assert "Blood pressure 165/95 mmHg (above normal)" in en and "Pulse 72 /min" in en
    assert "Fall: Found on the floor by the bed" in en
    # the assessment: its form's title, score and band (3 of 7, pre-frailty), never its answers
    assert "Age Is No Barrier" in en and "3 of 7 · Probable pre-frailty" in en
    assert "Возраст не помеха" in ru and "3 из 7 · Вероятная преастения" in ru and "可能为衰弱前期" in zh
    # dates in the locale's form; weekdays unambiguous (Sunday and Tuesday are not both "В")
    assert "3 нояб." in ru and "11月3日" in zh and "Nov 3" in en and "1 янв. 1940" in ru  # day columns: day and month
    assert "вс" in ru and "вт" in ru and "周日" in zh
