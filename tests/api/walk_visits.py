"""The permission walk's calls for the dispatcher's visits (backend/api/visits.py). `w` is the residential demo
world: its units are no stations and its visits do not exist, so an allowed role meets a 400 naming the unit or a
404 -- never 401/403, never a 5xx."""


def calls(w):
    week = "unit_id=%d&from=2026-11-23&to=2026-11-29" % w.unit1
    return {
        "visits.generate": ("POST", "/api/visits/generate", {"unit_id": w.unit1, "week_start": "2026-11-30"}),
        "visits.list_visits": ("GET", f"/api/visits?{week}", None),
        "visits.create_visit": ("POST", "/api/visits", {"resident_id": w.r1, "day": "2026-11-25",
                                                        "start_time": "09:00", "planned_minutes": 30,
                                                        "item_ids": [], "source": "ad_hoc"}),
        "visits.assign": ("POST", "/api/visits/1/assign", {"carer_ids": [w.nurse1]}),
        "visits.cancel": ("POST", "/api/visits/1/cancel", {"reason": "walk"}),
        "visits.accept_location": ("POST", "/api/visits/1/accept-location", {"reason": "walk"}),
        "visits.board": ("GET", f"/api/visits/board?unit_id={w.unit1}&day=2026-11-25", None),
        "visits.follow_ups": ("GET", f"/api/visits/follow-ups?unit_id={w.unit1}&week_start=2026-11-23", None),
        "visits.record_follow_up": ("POST", "/api/visits/1/follow-up", {"result": "confirmed"}),
        "visits.carers": ("GET", f"/api/homecare/carers?unit_id={w.unit1}", None),
        "visits.block_carer": ("POST", f"/api/homecare/carers/{w.nurse1}/block", {"reason": "walk"}),
        "visits.unblock_carer": ("POST", f"/api/homecare/carers/{w.nurse1}/unblock", {}),
    }
