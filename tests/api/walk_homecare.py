"""The permission walk's calls of the home-care blueprint (backend/api/homecare.py). The walk's world is the care
home: it keeps no home care, so every allowed role gets a 404 (tests/api/test_homecare.py covers the community
home)."""

SERVICE = {"names": {"en": "Walk"}, "category": "professional_care", "item": "help_walk", "price": "10.00",
           "unit": "visit"}
CONTRACT = {"starts_on": "2027-01-01", "funding": "self_pay",
            "items": [{"service_item_id": 1, "schedule_kind": "as_needed"}]}


def calls(w):
    person = f"/api/homecare/people/{w.r1}"
    return {
        "homecare.people": ("GET", f"/api/homecare/people?unit_id={w.unit1}", None),
        "homecare.person": ("GET", person, None),
        "homecare.update_person": ("PATCH", person, {"radius_m": 300}),
        "homecare.set_home_code": ("POST", f"{person}/home-code", {}),
        "homecare.service_sheet_pdf": ("POST", f"{person}/sheet.pdf", {"lang": "en"}),
        "homecare.catalogue": ("GET", "/api/homecare/catalogue", None),
        "homecare.create_service": ("POST", "/api/homecare/catalogue", SERVICE),
        "homecare.update_service": ("PATCH", "/api/homecare/catalogue/1", {"active": False}),
        "homecare.contracts": ("GET", f"{person}/contracts", None),
        "homecare.create_contract": ("POST", f"{person}/contracts", CONTRACT),
        "homecare.update_contract": ("PATCH", "/api/homecare/contracts/1", {"ends_on": "2027-01-31"}),
        "homecare.card_from_contract": ("POST", f"{person}/card", {"month": "2026-11"}),
    }
