"""The permission walk's call for the family view of care at home (backend/api/family.py `visits`). `w` is the care
home's world: the demo relative's own resident lives in the care home, so a relative is answered at_home false; every
staff role is refused (403)."""


def calls(w):
    return {"family.visits": ("GET", f"/api/family/residents/{w.r1}/visits", None)}
