"""The monthly monitoring page as a PDF (fpdf2) for the head of the home: every figure with its value, what it is
made of, its target and its definition (the residents' and the relatives' satisfaction as two figures);
participation by direction; the residents' satisfaction comparison (baseline, after 6 months, after a year).
Fonts as backend/pdf_card.py (DejaVu Sans, a CJK fallback)."""
from datetime import UTC
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton
from flask_babel import force_locale
from flask_babel import gettext as _
from fpdf import FPDF

from . import pdf_card


class MonitoringPDF(FPDF):
    def __init__(self, footer_text):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_text = footer_text
        self.set_margins(12, 12, 12)
        self.set_auto_page_break(True, margin=14)

    def footer(self):
        self.set_y(-10)
        self.set_font("Main", "", 7)
        self.cell(0, 4, f"{self.footer_text} · {self.page_no()}/{{nb}}", align="R")


def render(data, lang, fonts, printed_at, display, warnings=()):
    """PDF bytes of the figures (services/monitoring.compute, already in `lang`)."""
    if fonts.get("regular") is None:
        raise RuntimeError("no font for the PDF (DejaVu Sans); install fonts-dejavu-core or set PDF_FONTS")
    with force_locale(lang):
        return bytes(_render(data, lang, fonts, printed_at, display, warnings))


def _fraction(f):
    if f.get("numerator") is None or f.get("denominator") is None:
        return ""
    return f"{f['numerator']} / {f['denominator']}"


def _target(f, display):
    if f.get("target") is None:
        return ""
    if f["key"] == "caregiver_load":
        return _("at most %(n)s", n=f["target"])
    return display(f["target"], "share")


def _render(data, lang, fonts, printed_at, display, warnings):
    tz = ZoneInfo("UTC") if data.get("timezone") is None else ZoneInfo(data["timezone"])
    month = format_skeleton("yMMMM", data["month"], locale=lang)
    scope = data["unit"] or _("Whole home")
    title = _("Monthly monitoring") + f": {month}"
    printed = printed_at.astimezone(UTC).astimezone(tz).strftime("%Y-%m-%d %H:%M")
    pdf = MonitoringPDF(_("Printed %(when)s", when=printed))
    pdf_card.prepare(pdf, fonts, title, lang)
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf_card.font_warning(pdf, warnings)
    pdf.set_font("Main", "", 9)
    pdf.cell(0, 5, data["home"], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Main", "B", 15)
    pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Main", "", 9)
    pdf.cell(0, 5, f"{scope} · " + _("Residents of the month: %(n)s", n=data["residents"]) + " · "
             + _("Days passed: %(n)s", n=data["days_passed"]), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for f in data["figures"]:
        _figure_block(pdf, f, display)
    pdf.ln(1)
    pdf.set_font("Main", "B", 11)
    pdf.cell(0, 6, _("Participation by direction"), new_x="LMARGIN", new_y="NEXT")
    _table(pdf, [_("Direction"), _("Value"), _("Residents"), _("Times")], [70, 30, 40, 30],
           [[f["title"], display(f["value"], "share"), _fraction(f), str(f["extra"]["times"])]
            for f in data["directions"]])
    if data["directions"]:
        pdf.set_font("Main", "", 7.5)
        pdf.multi_cell(0, 3.6, data["directions"][0]["definition"], new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font("Main", "B", 11)
    pdf.cell(0, 6, _("Milieu-therapy monitoring: observations, interviews, specialists' reports"),
             new_x="LMARGIN", new_y="NEXT")
    for f in data["milieu"]:
        _figure_block(pdf, f, display)
    comparison = data["comparison"]
    pdf.ln(2)
    pdf.set_font("Main", "B", 11)
    pdf.cell(0, 6, _("Residents' satisfaction: baseline, after 6 months, after a year"), new_x="LMARGIN",
             new_y="NEXT")
    if comparison["rows"]:
        _table(pdf, [_("Period"), _("Month"), _("Value"), _("Satisfied / respondents")], [55, 30, 30, 55],
               [[r["label"], f"{r['month']:%Y-%m}", display(r["value"], "share"), _fraction(r)]
                for r in comparison["rows"]])
    else:
        pdf.set_font("Main", "", 9)
        pdf.cell(0, 5, _("No questionnaires yet."), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Main", "", 7.5)
    pdf.multi_cell(0, 3.6, _("The practice: %(before)s satisfied before, %(after)s after.",
                             before=display(comparison["practice_before"], "share"),
                             after=display(comparison["target"], "share")), new_x="LMARGIN", new_y="NEXT")
    return pdf.output()


def _figure_block(pdf, f, display):
    if pdf.will_page_break(22):
        pdf.add_page()
    pdf.set_font("Main", "B", 10)
    pdf.cell(120, 6, f["title"])
    pdf.set_font("Main", "B", 13)
    pdf.cell(0, 6, display(f["value"], f["unit"]), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Main", "", 8.5)
    facts = []
    if _fraction(f):
        facts.append(_("Numerator / denominator: %(f)s", f=_fraction(f)))
    if _target(f, display):
        facts.append(_("Target: %(t)s", t=_target(f, display)))
    others = (f.get("extra") or {}).get("others") if f["key"] == "caregiver_load" else None
    if others and others["shifts"]:  # not the sitters' load (figures.caregiver_load)
        facts.append(_("Assignments of staff whose post is not sitter, not counted: highest %(n)s over %(shifts)s "
                       "carer-shifts.", n=others["highest"], shifts=others["shifts"]))
    if facts:
        pdf.multi_cell(0, 4.5, " · ".join(facts), new_x="LMARGIN", new_y="NEXT")  # may run to two lines
    pdf.set_font("Main", "", 7.5)
    pdf.multi_cell(0, 3.6, f["definition"], new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _table_font(pdf, style, size):
    """Set the font for a row of cells and put it on the page at once. fpdf2 (2.8) sets the font inside the first
    cell's own graphics state when that cell's text starts in the fallback (CJK) font -- '基线' --, loses it at
    the cell's end and still takes it as set: the next cell's digits were drawn in the page's earlier font (garbled
    glyphs in the Chinese PDF's comparison table). A blank cell in the main font, where the pen already is, puts it
    on the page first."""
    pdf.set_font("Main", style, size)
    pdf.cell(0, 0, " ", new_x="LEFT", new_y="TOP")


def _table(pdf, headings, widths, rows):
    _table_font(pdf, "B", 8.5)
    for text, width in zip(headings, widths):
        pdf.cell(width, 5.5, text, border=1)
    pdf.ln()
    _table_font(pdf, "", 8.5)
    for row in rows:
        for text, width in zip(row, widths):
            pdf.cell(width, 5.5, text, border=1)
        pdf.ln()
