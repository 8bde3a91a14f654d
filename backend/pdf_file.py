"""The resident's personal file printed («личное дело по СДУ», regulation 004 §3.3), with fpdf2: A4 portrait, her
record (details, categories of service recipient, her stay), her assessments with their scores and bands, the
team's care-group decisions with their grounds, the care plan's versions with what each changed, and the list of
her closed care cards (each is printed on its own from the archive: api/archive.py).

Dates and numbers in the reader's form, times on the home's clock, every code in words; the fonts and the Chinese
fallback as for the care card (pdf_card.py).
"""
from datetime import UTC
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton
from flask_babel import gettext as _

from .domain import places
from .pdf_card import (DocumentPDF, _assessment_rows, _date, _labels, _local, _section, _who, font_warning, group_brief,
                       prepare, printed)

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def _words():
    return {
        "categories": {"mental_disorder": _("Mental disorder, incl. dementia"), "disability": _("Disability"),
                       "low_mobility": _("Low mobility"), "geriatric": _("Geriatric"), "palliative": _("Palliative")},
        "status": {"present": _("In the home"), "away": _("Away"), "discharged": _("Discharged"),
                   "deceased": _("Deceased")},
        "decision_reasons": {"initial": _("Initial assessment"), "planned": _("Planned reassessment"),
                             "unplanned": _("Unplanned reassessment")},
        # the criteria of each group's definition (004 Appendix 4; domain/care_groups.GROUNDS): the tablet's words,
        # frontend/lib/care_group.js groundLabel (tests/api/test_personal_file.py keeps the two equal)
        "grounds": {
            "periodic_need": _("Periodic need for assistance from others"),
            "self_care_retained": _("Ability to care for oneself retained"),
            "mobility_retained": _("Ability to move about independently retained"),
            "regular_need": _("Regular need for assistance from others"),
            "self_care_partly_lost": _("Ability to care for oneself partly lost"),
            "mobility_partly_lost": _("Ability to move about independently partly lost"),
            "basic_needs_partly_lost": _("Ability to meet basic vital needs partly lost"),
            "regular_accompaniment": _("Needs partial care, support of independent activity and regular "
                                       "accompaniment for safety"),
            "constant_need": _("Constant need for assistance from others"),
            "disorientation": _("Cannot adequately perceive oneself or the surroundings or assess the situation "
                                "(disorientation)"),
            "behaviour_not_controlled": _("Cannot control their behaviour"),
            "constant_observation": _("Needs constant observation and accompaniment for their own safety and that of "
                                      "others"),
            "self_care_lost": _("Ability to care for oneself completely lost"),
            "mobility_lost": _("Ability to move about independently completely lost"),
            "intensive_care": _("Needs intensive care"),
        },
        "changes": {"header": _("Header changed"), "section": _("Section changed"),
                    "rehabilitation": _("Rehabilitation changed"), "service_added": _("Service added"),
                    "service_removed": _("Service removed"), "service_changed": _("Service changed"),
                    "row_added": _("Goal added"), "row_removed": _("Goal removed"), "row_changed": _("Goal changed")},
    }


def render(data, lang, fonts, printed_at):
    """(PDF bytes, warnings) for a personal file (services/personal_file.personal_file) in `lang`."""
    return printed(_render, data, lang, fonts, printed_at)


def _render(data, lang, fonts, printed_at, warnings):
    labels, words = _labels(), _words()
    r = data["resident"]
    tz = ZoneInfo(data["timezone"])
    unit = places.name_in(data["unit"], lang)
    title = _("Personal file") + f": {r.full_name}"
    pdf = DocumentPDF(f"{data['home']} · {unit} · {title}",
                      _("Printed %(when)s", when=_local(printed_at.astimezone(UTC).replace(tzinfo=None), tz, lang)),
                      orientation="P", margins=(12, 12, 12))
    prepare(pdf, fonts, title, lang)
    pdf.add_page()
    font_warning(pdf, warnings)
    pdf.set_font("Main", "", 8)
    pdf.cell(0, 4, data["home"], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Main", "B", 13)
    pdf.cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Main", "", 8)
    facts = [(_("Unit"), unit), (_("Room / bed"), f"{r.room} / {r.bed}"),
             (_("Care group"), ROMAN.get(r.care_group, "—")),
             (_("Status"), words["status"].get(r.status, "")),
             (_("Date of birth"), _date(r.birth_date, lang) or "—"),
             (_("Admitted"), _date(r.admitted_on, lang) or "—")]
    if r.left_on:
        facts.append((_("Stay ended"), _date(r.left_on, lang)))
    pdf.multi_cell(0, 4, "   ".join(f"{k}: {v}" for k, v in facts), new_x="LMARGIN", new_y="NEXT")
    cats = [words["categories"][c] for c in (r.categories or []) if c in words["categories"]]
    pdf.multi_cell(0, 4, _("Categories of service recipient") + ": " + (", ".join(cats) if cats else "—"),
                   new_x="LMARGIN", new_y="NEXT")

    def stay_what(e):
        what = labels["stay"].get(e["kind"], "")
        if e.get("absence"):
            what += f" ({labels['absences'].get(e['absence'], '')})"
        return what
    _section(pdf, _("Her stay"), [_("When"), _("Event"), _("Reason"), _("Recorded by")], [34, 50, 64, 38],
             [[_local(e["at"], tz, lang), stay_what(e), e.get("reason") or "", e.get("recorded_by_name") or ""]
              for e in data["stay_events"]])
    found = [{"form": a["form_id"], "answers": a["answers"], "day": a["day"], "by": a["author_name"] or "",
              "post": a.get("author_post"), "at": a["received_at"]} for a in data["assessments"]]
    _section(pdf, _("Assessments"), [_("Day"), _("Form"), _("Result"), _("By"), _("Received")],
             [20, 56, 50, 30, 30], _dated(_assessment_rows({"assessments": found}, lang, tz), found, lang))
    _section(pdf, _("Care-group decisions"), [_("Decided on"), _("Group"), _("Kind of assessment"), _("Grounds"), _("By")],
             [22, 40, 30, 62, 32],
             [[_date(d["decided_on"], lang), f"{ROMAN.get(d['group'], '')} ({group_brief(d['group'])})",
               words["decision_reasons"].get(d["reason"], ""),
               "; ".join(words["grounds"].get(g, "") for g in d.get("grounds") or [])
               + (f" — {d['note']}" if d.get("note") else ""), _who(d.get("decided_by_name") or "", d.get("decided_by_post"))]
              for d in data["decisions"]])
    _section(pdf, _("Care plan versions"), [_("Version"), _("Saved"), _("By"), _("What changed")], [16, 34, 36, 100],
             [[str(v["number"]), _local(v["created_at"], tz, lang), v["created_by_name"] or "",
               _changes_text(v, words, lang)] for v in data["plan_versions"]])
    _section(pdf, _("Closed care cards"), [_("Month"), _("Card version"), _("Closed"), _("By")], [40, 24, 60, 62],
             [[format_skeleton("yMMMM", c["month"], locale=lang), str(c["version"]), _local(c["closed_at"], tz, lang),
               c["closed_by_name"] or ""] for c in data["closed_cards"]])
    return bytes(pdf.output())


def _dated(rows, found, lang):
    """The assessment rows with the year in their day (a file spans years: "3 нояб." alone is ambiguous)."""
    for row, a in zip(rows, found):
        row[0] = _date(a["day"], lang)
    return rows


def _changes_text(version, words, lang):
    if version["number"] == 1:
        return _("First version")
    parts = []
    for c in version["changes"]:
        what = words["changes"].get(c["change"], "")
        parts.append(f"{what}: {c['name']}" if c.get("name") else what)
    text = "; ".join(parts) or _("No differences.")
    return text + (f" — {version['note']}" if version.get("note") else "")
