"""The monthly monitoring page: the home's figures from the records (backend/domain/figures.py), for the whole
home or one unit, with their definitions in the reader's language; CSV and PDF copies."""
import csv
import io
from datetime import UTC, datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from babel import Locale
from babel.numbers import format_decimal, format_percent
from sqlalchemy import func

from .. import pdf_card, pdf_monitoring
from ..domain import entries as entry_rules
from ..domain import figures as rules
from ..domain import places
from ..domain import stay as stay_rules
from ..domain.messages import Msg
from ..extensions import db
from ..models import (
    Activity,
    CareCard,
    CareGroupDecision,
    CarerAssignment,
    DayConfirmation,
    Entry,
    Resident,
    SurveyResponse,
    User,
)
from . import access, audit, homes, stay
from .supervision import item_dict
from .sync import entry_dicts, local_dicts


def titles():
    return {"engagement": Msg("Residents engaged in social occupation (leisure and socially useful activity)"),
            "satisfaction": Msg("Residents satisfied with the service"),
            "satisfaction_relatives": Msg("Relatives satisfied (beside the residents' figure)"),
            "card_completion": Msg("Care-card completion"),
            "confirmed_days": Msg("Confirmed days"),
            "overdue_reassessments": Msg("Overdue reassessments"),
            "caregiver_load": Msg("Sitter load (highest, residents per sitter on a shift)"),
            "direction": Msg("Participation by direction"),
            "monitoring_observations": Msg("Observations of service delivery without remarks"),
            "environment_interior": Msg("Interior factor held"),
            "environment_social_medical": Msg("Social-medical factor held"),
            "environment_psychological": Msg("Psychological factor held"),
            "monitoring_interviewed": Msg("Residents interviewed"),
            "monitoring_attitude": Msg("Positive attitude in the interview"),
            "monitoring_reported": Msg("Residents with a specialist's short report"),
            "monitoring_dynamics": Msg("Positive dynamics in the specialists' reports")}


def direction_labels():
    return {"physical_health": Msg("Physical culture and health"), "cultural_leisure": Msg("Cultural and leisure"),
            "educational": Msg("Informational and educational"), "work_therapy": Msg("Work therapy"),
            "psychological": Msg("Psychological"), "medical": Msg("Medical")}


def _scope(actor, unit_id):
    """(unit ids, the unit or None for the whole home)."""
    if unit_id is not None:
        unit = access.get_unit(actor, unit_id)
        return [unit.id], unit
    return access.unit_ids(actor), None


def _utc_bounds(tz, first, last):
    """Naive UTC datetimes of the local start of `first` and the local end of `last`."""
    start = datetime.combine(first, time(), tzinfo=tz).astimezone(UTC).replace(tzinfo=None)
    end = datetime.combine(last + timedelta(days=1), time(), tzinfo=tz).astimezone(UTC).replace(tzinfo=None)
    return start, end


def _month_residents(unit_ids, month, days, counted_day):
    """The month's residents (a card or an entry in it) still in care on the last counted day: a resident whose
    stay ended (discharge, death) leaves the figures from then on (domain/stay.py; docs/domain.md)."""
    with_card = [rid for (rid,) in db.session.query(CareCard.resident_id).join(Resident).filter(
        Resident.unit_id.in_(unit_ids), CareCard.month == month, CareCard.status.in_(("published", "closed")))]
    with_entry = [{"resident_id": rid} for (rid,) in db.session.query(Entry.resident_id).filter(
        Entry.unit_id.in_(unit_ids), Entry.day >= days[0], Entry.day <= days[-1]).distinct()]
    found = rules.residents_of_month(with_card, with_entry)
    ended = {rid for rid, active, left_on in db.session.query(Resident.id, Resident.active, Resident.left_on)
             .filter(Resident.id.in_(list(found)))
             if not active and (left_on is None or left_on < counted_day)} if found else set()
    return found - ended


def satisfaction_responses(home, unit_ids, first, last, whole_home):
    """Questionnaire answers dated from `first` to `last` (local days) as the rules take them, with `month`."""
    tz = ZoneInfo(home.timezone)
    entries = entry_dicts(db.session, Entry.kind == "assessment", Entry.category == rules.RESIDENT_FORM,
                          Entry.unit_id.in_(unit_ids), Entry.day >= first, Entry.day <= last)
    out = [{"id": e["id"], "respondent": ("resident", e["resident_id"]), "at": (e["day"], str(e["device_time"])),
            "band": (e["score"] or {}).get("band"), "source": rules.RESIDENTS, "month": e["day"].replace(day=1)}
           for e in local_dicts(entry_rules.standing(entries), tz)]
    start, end = _utc_bounds(tz, first, last)
    query = SurveyResponse.query.filter(SurveyResponse.home_id == home.id,
                                        SurveyResponse.form_id == rules.RELATIVE_FORM,
                                        SurveyResponse.submitted_at >= start, SurveyResponse.submitted_at < end)
    unit_residents = {rid for (rid,) in db.session.query(Resident.id).filter(Resident.unit_id.in_(unit_ids))}
    for r in query.all():
        if not whole_home and r.resident_id not in unit_residents:
            continue
        local = r.submitted_at.replace(tzinfo=UTC).astimezone(tz)
        out.append({"id": r.id, "respondent": ("relative", r.respondent_id, r.resident_id),
                    "at": (local.date(), local.replace(tzinfo=None).isoformat()),
                    "band": (r.score or {}).get("band"), "source": rules.RELATIVES,
                    "month": local.date().replace(day=1)})
    return out


def monitoring_records(unit_ids, first, last, tz):
    """The standing monitoring forms of 001 (figures.MONITORING_FORMS) dated from `first` to `last`, as
    figures.milieu_monitoring takes them."""
    entries = entry_dicts(db.session, Entry.kind == "assessment", Entry.category.in_(rules.MONITORING_FORMS),
                          Entry.unit_id.in_(unit_ids), Entry.day >= first, Entry.day <= last)
    return [{"id": e["id"], "resident_id": e["resident_id"], "form": e["category"],
             "at": (e["day"], str(e["device_time"])), "band": (e["score"] or {}).get("band"),
             "values": e["values"] or {}} for e in local_dicts(entry_rules.standing(entries), tz)]


def _first_response_month(unit_ids):
    """The first month with a residents' questionnaire: the comparison is of the residents' figure."""
    first = db.session.query(func.min(Entry.day)).filter(
        Entry.kind == "assessment", Entry.category == rules.RESIDENT_FORM, Entry.unit_id.in_(unit_ids)).scalar()
    return first.replace(day=1) if first is not None else None


def _card_completion(unit_ids, month, passed, tz):
    if not passed:
        return rules.card_completion([], [])
    cards = (CareCard.query.join(Resident).filter(Resident.unit_id.in_(unit_ids), CareCard.month == month,
                                                  CareCard.status.in_(("published", "closed"))).all())
    rids = [c.resident_id for c in cards]
    ticks = entry_dicts(db.session, Entry.kind == "tick", Entry.resident_id.in_(rids), Entry.day >= passed[0],
                        Entry.day <= passed[-1]) if rids else []
    by_resident = {}
    for e in ticks:
        by_resident.setdefault(e["resident_id"], []).append(e)
    periods = stay.periods_of(rids, tz)
    away = {rid: {d: stay_rules.windows(p, d) for d in passed} for rid, p in periods.items()}
    return rules.card_completion([{"items": [item_dict(i) for i in c.items], "ticks": by_resident.get(c.resident_id, []),
                                   "away": away.get(c.resident_id), "month": c.month} for c in cards], passed)


def _decisions(residents, on):
    out = dict.fromkeys(residents)
    rows = (CareGroupDecision.query.filter(CareGroupDecision.resident_id.in_(list(residents)),
                                           CareGroupDecision.decided_on <= on)
            .order_by(CareGroupDecision.decided_on, CareGroupDecision.id).all()) if residents else []
    for d in rows:
        out[d.resident_id] = (d.decided_on, d.group)
    return out


def compute(actor, month, unit_id, now, baseline=None):
    """Every figure of the month for the actor's home (or one unit): plain data for the schema, CSV and PDF."""
    unit_ids, unit = _scope(actor, unit_id)
    home = actor.home
    tz = ZoneInfo(home.timezone)
    today = homes.home_today(home, now)
    days = rules.month_days(month)
    passed = rules.days_passed(month, today)
    residents = _month_residents(unit_ids, month, days, rules.last_counted_day(month, today))
    attendance = local_dicts(entry_dicts(db.session, Entry.kind == "attendance", Entry.unit_id.in_(unit_ids),
                                         Entry.day >= days[0], Entry.day <= days[-1]), tz)
    directions = {a.id: a.direction for a in Activity.query.filter_by(home_id=home.id)}
    responses = satisfaction_responses(home, unit_ids, days[0], days[-1], unit is None)
    confirmations = [{"unit_id": c.unit_id, "resident_id": c.resident_id, "day": c.day}
                     for c in DayConfirmation.query.filter(DayConfirmation.unit_id.in_(unit_ids),
                                                           DayConfirmation.day >= days[0],
                                                           DayConfirmation.day <= days[-1])]
    assignments = [{"day": a.day, "shift": a.shift, "unit_id": a.unit_id, "carer_id": a.carer_id,
                    "resident_id": a.resident_id, "post": post}  # the sitter norm is for the sitter post's
                   for a, post in db.session.query(CarerAssignment, User.post)
                   .join(User, User.id == CarerAssignment.carer_id)
                   .filter(CarerAssignment.unit_id.in_(unit_ids), CarerAssignment.day >= days[0],
                           CarerAssignment.day <= days[-1])]
    main = [rules.engagement(residents, attendance, directions), rules.satisfaction(responses),
            rules.relatives_satisfaction(responses),
            _card_completion(unit_ids, month, passed, tz), rules.confirmed_days(unit_ids, confirmations, passed),
            rules.overdue_reassessments(_decisions(residents, rules.last_counted_day(month, today)),
                                        rules.last_counted_day(month, today)),
            rules.caregiver_load(assignments)]
    by_direction = rules.participation_by_direction(residents, attendance, directions)
    milieu = rules.milieu_monitoring(residents, monitoring_records(unit_ids, days[0], days[-1], tz))
    comparison = _comparison(home, unit_ids, unit is None, baseline)
    return {"month": month, "unit_id": unit.id if unit else None, "unit": places.of(unit),
            "home": home.name, "timezone": home.timezone, "today": today, "days_passed": len(passed), "residents": len(residents),
            "figures": [_figure(f) for f in main],
            "directions": [_figure(f) for f in by_direction.values()],
            "milieu": [_figure(f) for f in milieu],
            "comparison": comparison}


def _comparison(home, unit_ids, whole_home, baseline):
    baseline = baseline or _first_response_month(unit_ids)
    if baseline is None:
        return {"baseline": None, "rows": [], "practice_before": rules.SATISFACTION_BEFORE,
                "target": rules.SATISFACTION_TARGET, "definition": rules.DEFINITIONS["satisfaction"]}
    last = rules.month_days(rules.add_months(baseline, rules.COMPARISON_MONTHS[-1]))[-1]
    by_month = {}
    for r in satisfaction_responses(home, unit_ids, baseline, last, whole_home):
        by_month.setdefault(r["month"], []).append(r)
    labels = {0: Msg("Baseline"), 6: Msg("After 6 months"), 12: Msg("After a year")}
    rows = [{"month": row["month"], "offset": row["offset"], "label": labels[row["offset"]],
             **{k: getattr(row["figure"], k) for k in ("value", "numerator", "denominator")}}
            for row in rules.satisfaction_comparison(by_month, baseline)]
    return {"baseline": baseline, "rows": rows, "practice_before": rules.SATISFACTION_BEFORE,
            "target": rules.SATISFACTION_TARGET, "definition": rules.DEFINITIONS["satisfaction"]}


def _figure(f):
    out = f.as_dict()
    out["title"] = titles()[f.key]
    out["definition"] = rules.DEFINITIONS[f.key]
    if f.key == "direction":
        out["direction"] = f.extra["direction"]
        out["title"] = direction_labels()[f.extra["direction"]]
    return out


def _in_language(data, tr):
    """The figures' titles, definitions and labels (Msg) as text, by `tr`."""
    if data["unit"] is not None:
        data["unit"] = tr(data["unit"])  # the unit's name in the reader's (or the print) language
    for f in data["figures"] + data["directions"] + data["milieu"]:
        f["title"], f["definition"] = tr(f["title"]), tr(f["definition"])
    comparison = data["comparison"]
    comparison["definition"] = tr(comparison["definition"])
    for row in comparison["rows"]:
        row["label"] = tr(row["label"])
    return data


def month_page(ctx, month, unit_id, translator, baseline=None, lang=None):
    """The figures (audited as a read); in `lang` when given, else the request's language. `translator(lang)`
    gives the function that writes a message (Msg) in a language (None: the request's): backend/i18n.translator."""
    data = _in_language(compute(ctx.actor, month, unit_id, ctx.now, baseline), translator(lang))
    audit.read(ctx, "monitoring", data["unit_id"], detail={"month": f"{month:%Y-%m}", "view": "monitoring"})
    return data


def display(value, unit, lang="en"):
    """A figure as printed in `lang`'s number format: shares in percent with at most one decimal ('45,8 %' in
    Russian, '45.8%' in English), counts as they are, '—' for none."""
    if value is None:
        return "—"
    if unit == "share":
        pattern = Locale.parse(lang).percent_formats[None].pattern.replace("#,##0", "#,##0.#")
        return format_percent(value, format=pattern, locale=lang)
    return format_decimal(value, locale=lang)


def _rows(data):
    rows = []
    for f in data["figures"] + data["directions"] + data["milieu"]:
        rows.append([f["key"] if f["key"] != "direction" else "direction:" + f["direction"], f["title"],
                     "" if f["value"] is None else round(f["value"], 4),
                     "" if f["numerator"] is None else f["numerator"],
                     "" if f["denominator"] is None else f["denominator"],
                     "" if f["target"] is None else f["target"], f["definition"]])
    for row in data["comparison"]["rows"]:
        rows.append([f"satisfaction:+{row['offset']}", f"{row['label']} ({row['month']:%Y-%m})",
                     "" if row["value"] is None else round(row["value"], 4), row["numerator"], row["denominator"],
                     data["comparison"]["target"], data["comparison"]["definition"]])
    return rows


#: The CSV's field separator by language: a spreadsheet set to a language whose decimal mark is the comma (Russian
#: Excel) splits columns at ';'.
CSV_DELIMITER = {"ru": ";"}


def _csv_rows(data, lang):
    """The rows with their values as `lang` writes them (decimal comma in Russian; shares in percent with the
    sign, without the non-breaking space a spreadsheet would not read as a number)."""
    units = {f["key"] if f["key"] != "direction" else "direction:" + f["direction"]: f["unit"]
             for f in data["figures"] + data["directions"] + data["milieu"]}

    def cell(value, unit):
        return "" if value in ("", None) else display(value, unit, lang).replace("\xa0", "")
    return [[row[0], row[1], cell(row[2], units.get(row[0], "share")), *row[3:5],
             cell(row[5], units.get(row[0], "share")), row[6]] for row in _rows(data)]


def month_csv(ctx, month, unit_id, lang, translator, baseline=None):
    data = month_page(ctx, month, unit_id, translator, baseline, lang)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_DELIMITER.get(lang, ","))
    tr = translator(lang)
    writer.writerow(["key"] + [tr(m) for m in (Msg("Figure"), Msg("Value"), Msg("Numerator"), Msg("Denominator"),
                                               Msg("Target"), Msg("Definition"))])
    writer.writerows(_csv_rows(data, lang))
    return out.getvalue(), _file_name(data, "csv")


def month_pdf(ctx, month, unit_id, lang, fonts, translator, baseline=None):
    fonts = pdf_card.resolve_fonts(fonts)
    warnings = []
    if lang == "zh_Hans" and fonts.get("cjk") is None:
        warnings.append("cjk_font_missing")
        lang = "en"  # printed in English, with a line saying why
    data = month_page(ctx, month, unit_id, translator, baseline, lang)
    pdf = pdf_monitoring.render(data, lang, fonts, ctx.now, partial(display, lang=lang), warnings)
    return pdf, _file_name(data, "pdf"), warnings


def _file_name(data, ext):
    return f"monitoring-{data['month']:%Y-%m}-{data['unit_id'] or 'home'}.{ext}"
