"""The printable archive copy of a closed care card (a PDF for the resident's personal file), with fpdf2.

Laid out as the paper card: A4 landscape, the header (home, unit, resident, room, month, care group, card version,
closed by and when), the grid with the items down the side and the month's days across (the day row repeats on
every page), a legend and the staff's marks, then the month's confirmations, amendments, corrections, late entries,
entries that arrived after the card was closed, and the other entries (vital signs, notes, condition reports).

Fonts: DejaVu Sans (Latin, Cyrillic, the status symbols) and a CJK fallback font (Droid Sans Fallback from
Debian's fonts-droid-fallback). The paths come from the app config `PDF_FONTS` ({"regular", "bold", "cjk"}), else
the first that exists of DEFAULT_FONTS. Without a CJK font a card asked for in Chinese is printed in English with a
line saying why, and Chinese characters in names or titles print as blanks; the PDF is still produced.
"""
import os
from datetime import UTC, date
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_skeleton, format_time, get_day_names
from babel.numbers import format_decimal
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import ngettext
from fpdf import FPDF, FontFace

from .domain import forms, places, posts, vitals
from .domain.month_close import REASON_NUMBERS

DEFAULT_FONTS = {
    "regular": ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"],
    "bold": ["/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"],
    "cjk": ["/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
            "/usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf",
            "/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf",
            "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"],
}
SYMBOLS = {"done": "✓", "not_done": "✗", "refused": "⊘", "missing": "○", "as_needed": "", "pending": "",
           "not_scheduled": "", "away": "–"}
MARKS = {"corrected": "*", "amended": "†", "late": "!", "after_close": "»"}
GREY = (225, 225, 225)
VITALS = vitals.load_definition()


def resolve_fonts(configured=None):
    """{"regular", "bold", "cjk"} -> an existing path or None, the configured path first."""
    configured = configured or {}
    out = {}
    for key, candidates in DEFAULT_FONTS.items():
        paths = ([configured[key]] if configured.get(key) else []) + candidates
        out[key] = next((p for p in paths if p and os.path.isfile(p)), None)
    return out


def _labels():
    return {
        "states": {"done": _("Done"), "not_done": _("Not done (reason number)"), "refused": _("Refused"),
                   "missing": _("No record (missed)"), "not_scheduled": _("Not scheduled (grey)"),
                   "away": _("Away from the home (hospital, leave) or her stay had ended: not due"),
                   "as_needed": _("As needed: number of times done")},
        "marks": {"corrected": _("corrected by the author"), "amended": _("amended by a supervisor"),
                  "late": _("recorded after the day was confirmed"),
                  "after_close": _("an entry arrived after the card was closed (listed below)")},
        "reasons": {"asleep": _("Asleep"), "refused": _("Refused"), "absent": _("Absent from the unit"),
                    "hospital": _("In hospital"), "not_needed": _("Not needed today"), "other": _("Other reason")},
        "status": {"done": _("Done"), "not_done": _("Not done")},
        "kinds": {"tick": _("Care item"), "vitals": _("Vital signs"), "note": _("Note"),
                  "condition": _("Change in condition"), "assessment": _("Assessment")},
        "shifts": {"day": _("Day shift"), "night": _("Night shift")},
        "stay": {"admission": _("Admitted"), "details": _("Details changed"), "move": _("Moved"),
                 "absence": _("Left (temporary absence)"), "return": _("Returned"), "discharge": _("Discharged"),
                 "death": _("Died"), "readmission": _("Admitted again")},
        "absences": {"hospital": _("hospital"), "leave": _("leave"), "other": _("other")},
        "conditions": {"acute_illness": _("Acute illness"), "after_hospital": _("After hospital or surgery"),
                       "fall": _("Fall"), "mobility_decline": _("Stopped getting up / mobility decline"),
                       "weight_or_appetite": _("Weight or appetite loss"),
                       "mental_or_behaviour": _("Mental state or behaviour"),
                       "social_status": _("Change in social status"), "skin": _("Skin / pressure injury"),
                       "improvement": _("Improvement"), "other": _("Other change")},
        "measures": {"bp": _("Blood pressure"), "pulse": _("Pulse"), "temperature": _("Temperature"),
                     "spo2": _("Oxygen saturation (SpO₂)"), "respiratory_rate": _("Breathing rate"),
                     "glucose": _("Blood glucose"), "bp_systolic": _("Blood pressure, upper"),
                     "bp_diastolic": _("Blood pressure, lower")},
        "units": {"mmHg": _("mmHg"), "/min": _("/min"), "°C": _("°C"), "%": _("%"), "mmol/L": _("mmol/L")},
        "flags": {"low": _("below normal"), "high": _("above normal")},
    }


class DocumentPDF(FPDF):
    """A4 with the running title on every page after the first and "Printed … · Page n of m" at the foot: the
    care card (landscape) and the personal file (portrait, pdf_file.py)."""

    def __init__(self, running_title, footer_text, orientation="L", margins=(8, 10, 8)):
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self.running_title = running_title
        self.footer_text = footer_text
        self.set_margins(*margins)
        self.set_auto_page_break(True, margin=12 if orientation == "L" else 14)

    def header(self):
        if self.page_no() > 1:
            self.set_font("Main", "", 7)
            self.cell(0, 4, self.running_title, new_x="LMARGIN", new_y="NEXT")
            self.ln(1)

    def footer(self):
        self.set_y(-9)
        self.set_font("Main", "", 7)
        self.cell(0, 4, self.footer_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 4, _("Page %(page)s of %(pages)s", page=self.page_no(), pages="{nb}"), align="R")


def _local(moment, tz, lang):
    """A naive UTC moment as the home's wall clock, in the reader's form ("5 дек. 2026 г. 06:43")."""
    if moment is None:
        return ""
    local = moment.replace(tzinfo=UTC).astimezone(tz)
    return f"{format_date(local, 'medium', locale=lang)} {format_time(local, 'short', locale=lang)}"


def _date(day, lang):
    """A date in the reader's form ("5 дек. 2026 г.", "2026年12月5日", "Dec 5, 2026"), never ISO."""
    return format_date(day, "medium", locale=lang) if day else ""


def _day(day, lang):
    """A day of the card's month in a list column: day and month ("3 нояб.", "11月3日", "Nov 3")."""
    return format_skeleton("MMMd", day, locale=lang) if day else ""


def _number(value, lang):
    return format_decimal(value, locale=lang)


def _values(values, labels, lang):
    """Measured values with their names, units and a word when outside the normal range ("Pulse 72 /min")."""
    spec = VITALS["measures"]
    out = []
    done = set()
    for upper, lower in VITALS.get("pairs", []):  # blood pressure reads as one "165/95 mmHg"
        if upper in values and lower in values:
            flags = [f for f in (_flag(upper, values[upper]), _flag(lower, values[lower])) if f]
            text = (f"{labels['measures']['bp']} {_number(values[upper], lang)}/{_number(values[lower], lang)} "
                    f"{labels['units'].get(spec[upper]['unit'], spec[upper]['unit'])}")
            out.append(text + (f" ({labels['flags'][flags[0]]})" if flags else ""))
            done.update((upper, lower))
    for name in [m for m in spec if m in values and m not in done]:
        unit = spec[name]["unit"]
        flag = _flag(name, values[name])
        text = f"{labels['measures'].get(name, name)} {_number(values[name], lang)} {labels['units'].get(unit, unit)}"
        out.append(text + (f" ({labels['flags'][flag]})" if flag else ""))
    return ", ".join(out)


def _flag(name, value):
    spec = VITALS["measures"].get(name)
    if spec is None or not isinstance(value, (int, float)):
        return None
    low, high = spec["normal"]
    return "low" if value < low else "high" if value > high else None


def periodic_text(kind, params, lang):
    """A schedule less often than daily in the reader's words (frontend/lib/periodicity.js periodicLabel)."""
    params = params or {}

    def _date_text(iso):
        return _date(date.fromisoformat(iso), lang) if iso else "?"
    if kind == "monthly":
        day = params.get("day")
        return _("monthly, on day %(day)s", day=day) if day else _("once in the month, any day")
    if kind in ("every_days", "every_weeks"):
        n = params.get("days" if kind == "every_days" else "weeks")
        since = {"from": _date_text(params.get("from"))}
        if n == 1:  # its own phrase: the plural's forms all name the number (frontend/lib/periodicity.js)
            return _("every day from %(from)s", **since) if kind == "every_days" else \
                _("every week from %(from)s", **since)
        if kind == "every_days":
            return ngettext("every %(n)s day from %(from)s", "every %(n)s days from %(from)s", n, n=n, **since)
        return ngettext("every %(n)s week from %(from)s", "every %(n)s weeks from %(from)s", n, n=n, **since)
    if kind == "dates":
        return _("on %(dates)s", dates=", ".join(_date_text(d) for d in sorted(params.get("dates") or [])))
    return kind


def group_brief(group):
    """A care group's definition in a few words (frontend/lib/care_group.js groupBrief, the same msgids)."""
    return {1: _("periodic need for assistance from others"), 2: _("regular need for assistance from others"),
            3: _("constant need for assistance from others: disorientation or behaviour not controlled"),
            4: _("constant need for assistance from others: intensive care")}.get(group, "")


def _slot_text(row, labels, lang="en"):
    if row["as_needed"]:
        return _("as needed")
    if row.get("periodic"):
        return periodic_text(row["schedule_kind"], row["schedule"], lang)
    slot = row["slot"]
    if slot.startswith("shift:"):
        return labels["shifts"].get(slot[6:], slot[6:])
    return slot + (" " + _("(former time)") if row["former"] else "")


def _cell_text(cell):
    state = cell["state"]
    top = SYMBOLS.get(state, "")
    if state == "not_done" and cell.get("reason_number"):
        top += str(cell["reason_number"])
    if state == "as_needed" and cell["count"]:
        top = str(cell["count"])
    top += "".join(mark for key, mark in MARKS.items() if cell.get(key))
    by = " ".join(cell["by"])
    return f"{top}\n{by}" if by else top


def _what(e, labels, lang):
    """What an entry says, in the reader's words: a status with its reason, named values, a change and its note."""
    new, old = e["new"], e["old"]

    def one(d):
        if d is None:
            return ""
        if d.get("status"):
            text = labels["status"].get(d["status"], "")
            if d.get("reason"):
                text += " (" + labels["reasons"].get(d["reason"], labels["reasons"]["other"]) + ")"
            return text
        if isinstance(d.get("values"), dict) and d["values"]:
            return _values(d["values"], labels, lang)
        parts = []
        if e["kind"] == "condition" and d.get("category"):
            parts.append(labels["conditions"].get(d["category"], labels["conditions"]["other"]))
        if d.get("note"):
            parts.append(d["note"])
        return ": ".join(parts)
    return (one(old) + " → " if old else "") + one(new)


def _assessment_rows(sheet, lang, tz):
    """Each assessment of the month as the reader needs it: the form's title, its score and band (the answers are
    on the form itself, in the personal file)."""
    rows = []
    for a in sheet.get("assessments", []):
        try:
            definition = forms.load(a["form"])
        except (OSError, ValueError, TypeError):
            definition = None
        if definition is None:
            rows.append([_day(a["day"], lang), _("Assessment"), "", _who(a["by"], a.get("post")),
                         _local(a["at"], tz, lang)])
            continue
        result = forms.score(definition, a["answers"] or {})
        text = ""
        if result["total"] is not None:
            text = _("%(total)s of %(max)s", total=result["total"], max=definition["scoring"].get("max", "—"))
        band = next((r for r in definition.get("scoring", {}).get("bands", {}).get("ranges", [])
                     if r["key"] == result["band"]), None)
        if band:
            text += (" · " if text else "") + _text(band["label"], lang)
        rows.append([_day(a["day"], lang), _text(definition["title"], lang), text, _who(a["by"], a.get("post")),
                     _local(a["at"], tz, lang)])
    return rows


def _who(name, codes):
    """«Ф.И.О., должность» (004's forms): her name and the post(s) recorded with what she did, in the print
    language (domain/posts.py); the name alone where none was recorded (before posts were kept)."""
    names = [_(posts.label(c)) for c in ([codes] if isinstance(codes, str) else codes or ()) if posts.label(c)]
    return ", ".join([name or ""] + names) if names else (name or "")


def _text(texts, lang):
    """A form's own text in the reader's language (forms hold ru, zh_Hans and en)."""
    if isinstance(texts, dict):
        return texts.get(lang) or texts.get("en") or next(iter(texts.values()), "")
    return texts or ""


def _section(pdf, title, headings, widths, rows):
    pdf.set_font("Main", "B", 9)
    pdf.ln(3)
    pdf.cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Main", "", 7)
    if not rows:
        pdf.cell(0, 5, _("None."), new_x="LMARGIN", new_y="NEXT")
        return
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=3.4, padding=0.8,
                   headings_style=FontFace(emphasis="BOLD", fill_color=GREY)) as table:
        table.row(headings)
        for r in rows:
            table.row([str(x) if x is not None else "" for x in r])


def _grid(pdf, sheet, labels, lang):
    days = sheet["days"]
    # Abbreviated, not narrow: the narrow Russian names repeat (В is Sunday and Tuesday, С Wednesday and Saturday).
    names = get_day_names("abbreviated", context="stand-alone", locale=lang)
    label_width = 52
    day_width = (pdf.epw - label_width) / len(days)
    pdf.set_font("Main", "", 5.5)
    head = [_("Item / time")] + [f"{d}\n{names[w - 1]}" for d, w in zip(days, sheet["weekdays"])]
    with pdf.table(col_widths=[label_width] + [day_width] * len(days), text_align="CENTER", line_height=2.6,
                   padding=0.4, headings_style=FontFace(emphasis="BOLD", fill_color=GREY), repeat_headings=1,
                   v_align="MIDDLE") as table:
        row = table.row()
        for i, text in enumerate(head):
            row.cell(text, align="LEFT" if i == 0 else "CENTER")
        for r in sheet["rows"]:
            row = table.row()
            row.cell(f"{r['title']} — {_slot_text(r, labels, lang)}", align="LEFT",
                     style=FontFace(size_pt=6))
            for cell in r["cells"]:
                style = FontFace(fill_color=GREY) if cell["state"] == "not_scheduled" else None
                row.cell(_cell_text(cell), style=style)


def _legend(pdf, sheet, labels):
    pdf.ln(2)
    pdf.set_font("Main", "B", 8)
    pdf.cell(0, 5, _("Legend"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Main", "", 7)
    parts = [f"{SYMBOLS[k]} {v}" if SYMBOLS.get(k) else v for k, v in labels["states"].items()]
    pdf.multi_cell(0, 3.6, "   ".join(parts), new_x="LMARGIN", new_y="NEXT")
    reasons = [f"✗{n} {labels['reasons'][r]}" for r, n in REASON_NUMBERS.items() if r != "refused"]
    pdf.multi_cell(0, 3.6, _("Reasons:") + "  " + "   ".join(reasons), new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 3.6, _("Marks:") + "  " + "   ".join(f"{MARKS[k]} {v}" for k, v in labels["marks"].items()),
                   new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 3.6, _("Recorded by:") + "  " + "   ".join(
        f"{s['mark']} — {_who(s['name'], s.get('posts'))}" for s in sheet["staff"]), new_x="LMARGIN", new_y="NEXT")


def printed(draw, data, lang, fonts, printed_at):
    """(PDF bytes, warnings): draw(data, lang, fonts, printed_at, warnings) in `lang` (ru | zh_Hans | en); a
    Chinese copy without a CJK font is printed in English, and says so (font_warning)."""
    warnings = []
    if fonts.get("regular") is None:
        raise RuntimeError("no font for the PDF (DejaVu Sans); install fonts-dejavu-core or set PDF_FONTS")
    if lang == "zh_Hans" and fonts.get("cjk") is None:
        warnings.append("cjk_font_missing")
        lang = "en"
    with force_locale(lang):
        return draw(data, lang, fonts, printed_at, warnings), warnings


def render(sheet, lang, fonts, printed_at):
    """(PDF bytes, warnings) for a card sheet (services/archive.card_sheet) in `lang` (ru | zh_Hans | en)."""
    return printed(_render, sheet, lang, fonts, printed_at)


def _render(sheet, lang, fonts, printed_at, warnings):
    labels = _labels()
    sheet = {**sheet, "unit": places.name_in(sheet["unit"], lang)}  # the unit's name in the print language
    tz = ZoneInfo(sheet["timezone"])
    month = format_skeleton("yMMMM", sheet["month"], locale=lang)
    title = _("Care card") + f": {sheet['resident']} — {month}"
    pdf = DocumentPDF(f"{sheet['home']} · {sheet['unit']} · {title}",
                      _("Printed %(when)s", when=_local(printed_at.astimezone(UTC).replace(tzinfo=None), tz, lang)))
    prepare(pdf, fonts, title, lang)
    pdf.add_page()
    font_warning(pdf, warnings)
    pdf.set_font("Main", "", 8)
    pdf.cell(0, 4, sheet["home"], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Main", "B", 13)
    pdf.cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Main", "", 8)
    group = "—"
    if sheet.get("care_group") in (1, 2, 3, 4):  # the group and its definition in brief (004 Appendix 4)
        group = f'{["I", "II", "III", "IV"][sheet["care_group"] - 1]} ({group_brief(sheet["care_group"])})'
    facts = [(_("Unit"), sheet["unit"]), (_("Room / bed"), f"{sheet['room']} / {sheet['bed']}"),
             (_("Care group"), group), (_("Card version"), str(sheet["version"])),
             (_("Closed"), f"{_local(sheet['closed_at'], tz, lang)} · {sheet['closed_by'] or ''}")]
    if sheet.get("birth_date"):
        facts.insert(1, (_("Date of birth"), _date(sheet["birth_date"], lang)))
    pdf.multi_cell(0, 4, "   ".join(f"{k}: {v}" for k, v in facts), new_x="LMARGIN", new_y="NEXT")
    events = [e for e in sheet.get("stay_events", []) if e["kind"] != "details"]
    if events:  # her stay in this month: what explains the cells marked away, and why the card ends early
        texts = []
        for e in events:
            what = labels["stay"].get(e["kind"], e["kind"])
            if e.get("absence"):
                what += f" ({labels['absences'].get(e['absence'], e['absence'])})"
            texts.append(f"{format_datetime(e['at'], 'short', locale=lang)} {what}"
                         + (f": {e['reason']}" if e.get("reason") else ""))
        pdf.multi_cell(0, 4, _("Her stay this month") + ": " + "; ".join(texts), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    _grid(pdf, sheet, labels, lang)
    _legend(pdf, sheet, labels)

    def day(e):
        return _day(e["day"], lang)

    def item(e):
        name = e["item"] or labels["kinds"].get(e["kind"], "")
        slot = labels["shifts"].get(e["slot"], e["slot"]) if e["slot"] else ""  # "08:00", or a shift by its name
        return f"{name} {slot}".strip()
    _section(pdf, _("Confirmations of the month"), [_("Day"), _("Confirmed by"), _("When"), _("Scope"), _("Note")],
             [20, 70, 35, 40, 116],
             [[_day(c["day"], lang), _who(c["by"], c.get("post")), _local(c["at"], tz, lang),
               _("the unit's day") if c["scope"] == "unit" else _("this resident's day"), c["note"]]
              for c in sheet["confirmations"]])
    def listed(e, what=item):
        return [day(e), what(e), _what(e, labels, lang), e["by"], _local(e["at"], tz, lang)]

    changes = [_("Day"), _("Item"), _("Before → after"), _("By"), _("When"), _("Reason")]
    _section(pdf, _("Amendments by supervisors"), changes, [20, 60, 60, 45, 30, 66],
             [listed(e) + [e["reason"]] for e in sheet["amendments"]])
    _section(pdf, _("Corrections by the author"), changes[:-1], [20, 70, 80, 60, 51],
             [listed(e) for e in sheet["corrections"]])
    entry_cols = [_("Day"), _("Entry"), _("What"), _("By"), _("Received")]
    _section(pdf, _("Recorded after the day was confirmed"), entry_cols, [20, 70, 80, 60, 51],
             [listed(e) for e in sheet["late"]])
    _section(pdf, _("Arrived after the card was closed"), entry_cols, [20, 70, 80, 60, 51],
             [listed(e) for e in sheet["after_close"]])
    counts = ", ".join(f"{labels['kinds'].get(k, k)}: {n}" for k, n in sorted(sheet["other_counts"].items()))
    _section(pdf, _("Other entries of the month") + (f" ({counts})" if counts else ""), entry_cols,
             [20, 45, 125, 50, 41],
             [listed(e, lambda e: labels["kinds"].get(e["kind"], "")) for e in sheet["other_entries"]])
    _section(pdf, _("Assessments of the month (the forms themselves are filed apart)"),
             [_("Day"), _("Form"), _("Score"), _("By"), _("Received")], [20, 110, 60, 50, 41],
             _assessment_rows(sheet, lang, tz))
    pdf.ln(4)
    pdf.set_font("Main", "", 7)
    pdf.multi_cell(0, 3.6, _("Entries on the card: %(n)s. Times are the home's local time (%(tz)s).",
                             n=sheet["entry_count"], tz=sheet["timezone"]), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def prepare(pdf, fonts, title, lang):
    """Every printed document's fonts (DejaVu Sans, the CJK font as the fallback) and its metadata."""
    pdf.add_font("Main", "", fonts["regular"])
    pdf.add_font("Main", "B", fonts.get("bold") or fonts["regular"])
    if fonts.get("cjk"):
        pdf.add_font("CJK", "", fonts["cjk"])
        pdf.add_font("CJK", "B", fonts["cjk"])
        pdf.set_fallback_fonts(["CJK"], exact_match=False)
    pdf.set_title(title)
    pdf.set_creator("Bedside")
    pdf.set_lang({"zh_Hans": "zh-Hans"}.get(lang, lang))


def font_warning(pdf, warnings):
    """Say on the page itself when a Chinese copy had to be printed in English."""
    if "cjk_font_missing" in warnings:
        pdf.set_font("Main", "B", 8)
        pdf.multi_cell(0, 4, "A font for Chinese is not installed on the server (fonts-droid-fallback): "
                             "this copy is printed in English.", new_x="LMARGIN", new_y="NEXT")
