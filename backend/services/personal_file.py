"""The resident's personal file under the long-term care system («личное дело по СДУ», regulation 004 §3.3):
everything the team documented about her, gathered in one place -- her record (details, categories of service
recipient, stay), her assessments, the team's care-group decisions, the care plan's versions with what each
changed, and her closed care cards (each printable on its own).

Who reads it: the team that keeps it (supervisors and planners, `roles.FILE_READERS`); every read is audited.
"""
from .. import pdf_card, pdf_file
from ..domain import care_plan, places
from ..extensions import db
from ..models import CareCard, CarePlan, CarePlanVersion, User
from . import assessments, audit, care_groups, homes, stay


def _names(ids):
    ids = {i for i in ids if i}
    return dict(db.session.query(User.id, User.full_name).filter(User.id.in_(ids))) if ids else {}


def _plan_versions(resident_id):
    """Oldest first: each version with who saved it, its note, and what it changed against the one before."""
    plan = CarePlan.query.filter_by(resident_id=resident_id).first()
    rows = (CarePlanVersion.query.filter_by(plan_id=plan.id).order_by(CarePlanVersion.number).all()
            if plan else [])
    names = _names(v.created_by for v in rows)
    out, before = [], care_plan.empty_content()
    for v in rows:
        out.append({"number": v.number, "created_at": v.created_at, "created_by_name": names.get(v.created_by),
                    "note": v.note, "changes": care_plan.diff(before, v.content)})
        before = v.content
    return out


def _closed_cards(resident_id):
    cards = (CareCard.query.filter_by(resident_id=resident_id, status="closed")
             .order_by(CareCard.month, CareCard.version).all())
    names = _names(c.closed_by for c in cards)
    return [{"id": c.id, "month": c.month, "version": c.version, "closed_at": c.closed_at,
             "closed_by_name": names.get(c.closed_by)} for c in cards]


def personal_file(ctx, resident_id, detail=None):
    """The whole file as data (the screen and the PDF read it); the read is audited (`detail`: how it was read)."""
    actor, now = ctx.actor, ctx.now
    resident, events = stay.history(actor, resident_id)
    groups = care_groups.group_view(actor, resident_id, now)
    found = assessments.assessments_of(actor, resident_id)
    found.sort(key=lambda a: (a["day"], a["device_time"] or a["received_at"]))
    reply = {
        "resident": resident, "home": resident.unit.home.name, "unit": places.of(resident.unit),
        "timezone": resident.unit.home.timezone, "today": homes.home_today(resident, now),
        "stay_events": events, "assessments": found, "decisions": list(reversed(groups["history"])),
        "reassessment": groups["reassessment"], "plan_versions": _plan_versions(resident_id),
        "closed_cards": _closed_cards(resident_id),
    }
    audit.read(ctx, "resident", resident.id, detail=detail or {"view": "personal_file"})
    return reply


def printable_file(ctx, resident_id, lang, fonts):
    """The PDF of her personal file (bytes, file name, font warnings); the read is audited.
    fonts: configured font paths {"regular", "bold", "cjk"} (empty: pdf_card.DEFAULT_FONTS)."""
    data = personal_file(ctx, resident_id, {"view": "personal_file_pdf", "lang": lang})
    pdf, warnings = pdf_file.render(data, lang, pdf_card.resolve_fonts(fonts), printed_at=ctx.now)
    return pdf, f"personal-file-{resident_id}.pdf", warnings
