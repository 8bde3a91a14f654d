"""The permission walk's calls for the inspector's routes (backend/api/region.py). `w` is the care home's world: the
walk's inspector is an account of the care home, which lies in no region, so she is answered 404 (she reads nothing,
never another region's); every other role is refused (403). tests/api/test_region.py covers a built region."""


def calls(w):
    return {
        "region.month": ("GET", "/api/region/month?month=2026-11", None),
        "region.settlement": ("GET", "/api/region/settlement?month=2026-11&format=json", None),
        "region.block_carer": ("POST", f"/api/region/carers/{w.nurse1}/block", {"reason": "walk"}),
        "region.unblock_carer": ("POST", f"/api/region/carers/{w.nurse1}/unblock", {}),
    }
