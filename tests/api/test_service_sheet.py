"""A person at home's printed service sheet (issue 18, "一本清"; POST /api/homecare/people/<id>/sheet.pdf,
backend/pdf_service_sheet.py): her services with their prices and schedules in the print language, and her home code
as a QR code with its digits only when the caller gives the right code."""
import io
import re

import pypdf
import pytest

from backend.domain import contracts
from backend.extensions import db
from backend.models import AuditEvent, ContractItem, Resident, ServiceContract, ServiceItem, Unit, User

ASK = {"ru": "Спросите", "en": "Ask the station", "zh_Hans": "请向服务站"}


def _flat(text):
    return re.sub(r"\s+", "", text or "")


@pytest.fixture
def sheet(demo, community, make_api):
    """A person at home, her code, her contract's services ({lang: [(name, price)]}), the dispatcher's and a carer's
    clients, and a care home's resident."""
    with demo.app_context():
        by_role = {db.session.get(User, uid).role: username for username, uid in community.staff.items()}
        person = community.people[0]
        contract = ServiceContract.query.filter_by(resident_id=person).one()
        services = [db.session.get(ServiceItem, i.service_item_id)
                    for i in ContractItem.query.filter_by(contract_id=contract.id)]
        community.services = {lang: [((s.names or {}).get(lang) or s.names.get("en"), contracts.money_text(s.price))
                                     for s in services] for lang in ("ru", "zh_Hans", "en")}
        community.care_home_resident = Resident.query.join(Unit).filter(Unit.home_id != community.home).first().id
    community.person, community.code = person, community.codes[person]
    community.dispatcher, community.carer = make_api(), make_api()
    community.dispatcher.login(by_role["supervisor"])
    community.carer.login(by_role["nurse"])
    return community


def _pdf(client, person, body):
    return client.client.post(f"/api/homecare/people/{person}/sheet.pdf", json=body, headers={"X-Bedside": "1"})


def _text(response):
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    return "\n".join(p.extract_text() for p in reader.pages), reader


@pytest.mark.parametrize("lang", ["ru", "zh_Hans", "en"])
def test_sheet_in_each_language(sheet, lang):
    response = _pdf(sheet.dispatcher, sheet.person, {"lang": lang, "code": sheet.code})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    if response.headers.get("X-Bedside-Warning") == "cjk_font_missing":
        pytest.skip("no CJK font on this machine")
    text, reader = _text(response)
    flat = _flat(text)
    assert sheet.services[lang]
    for name, price in sheet.services[lang]:
        assert _flat(name) in flat, (name, text[:2000])
        assert price in text, (price, text[:2000])
    assert sheet.code in text
    assert sum(len(p.images) for p in reader.pages) >= 1
    assert _flat(ASK[lang]) not in flat


def test_without_the_code_the_sheet_says_to_ask_the_station(demo, sheet):
    response = _pdf(sheet.dispatcher, sheet.person, {"lang": "en"})
    assert response.status_code == 200
    text, reader = _text(response)
    assert ASK["en"] in text
    assert sheet.code not in text
    assert sum(len(p.images) for p in reader.pages) == 0
    with demo.app_context():
        row = (AuditEvent.query.filter_by(action="read", object_type="resident", object_id=str(sheet.person))
               .order_by(AuditEvent.id.desc()).first())
        assert row.detail["view"] == "service_sheet_pdf" and row.detail["with_code"] is False


def test_a_wrong_code_is_refused_naming_code(sheet):
    wrong = "0" * len(sheet.code) if sheet.code != "0" * len(sheet.code) else "1" * len(sheet.code)
    status, body = sheet.dispatcher.post(f"/api/homecare/people/{sheet.person}/sheet.pdf",
                                         {"lang": "en", "code": wrong})
    assert status == 400 and "code" in body["fields"], body


def test_another_homes_person_and_a_carer(sheet):
    status, _body = sheet.dispatcher.post(f"/api/homecare/people/{sheet.care_home_resident}/sheet.pdf", {"lang": "en"})
    assert status == 404
    status, _body = sheet.carer.post(f"/api/homecare/people/{sheet.person}/sheet.pdf", {"lang": "en"})
    assert status == 403


def test_the_station_phone_is_printed_once_kept(demo, sheet):
    with demo.app_context():
        unit = db.session.get(Resident, sheet.person).unit
        unit.phone = "0471 555-0199"
        db.session.commit()
    text, _reader = _text(_pdf(sheet.dispatcher, sheet.person, {"lang": "en"}))
    assert "0471\u00a0555-0199" in text or "0471 555-0199" in text, text  # a non-breaking space: one line
    with demo.app_context():
        db.session.get(Resident, sheet.person).unit.phone = None
        db.session.commit()
    text, _reader = _text(_pdf(sheet.dispatcher, sheet.person, {"lang": "en"}))
    assert "0471 555-0199" not in text and "Questions, changes or complaints" in text
