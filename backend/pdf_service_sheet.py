"""A person at home's service sheet (issue 18, "一本清") printed with fpdf2: A4 portrait, the centre and her station,
her details, the contract in force, one row per service (its name in the print language, its standard minutes, its
price and unit, its schedule in words), and her home code as a QR code with its digits -- or, when the code was not
given, a line saying to ask the station (services/service_sheet.py). The fonts and the Chinese fallback as for the
care card (pdf_card.py). The station's phone number is printed when it is kept (unit.phone, issue 18).
"""
import io
from datetime import UTC
from zoneinfo import ZoneInfo

import segno
from babel.dates import get_day_names
from flask_babel import gettext as _

from .domain import contracts, places, schedule
from .pdf_card import DocumentPDF, _date, _local, _section, _text, font_warning, periodic_text, prepare, printed


def _words():
    return {
        "funding": {"government": _("Government-funded"), "ltc_insurance": _("Long-term care insurance"),
                    "self_pay": _("Self-paid"), "mixed": _("Mixed funding")},
        "units": {"visit": _("per visit"), "hour": _("per hour"), "meal": _("per meal"), "day": _("per day"),
                  "month": _("per month")},
        "shifts": {"day": _("Day shift"), "night": _("Night shift")},
    }


def schedule_text(kind, params, days_of_week, lang, words=None):
    """A contract (or card) item's schedule in the reader's words, as the tablet says it (frontend/lib/periodicity.js
    periodicityLabel, the same msgids): "twice a day: 09:00, 18:00 · only Mon, Thu", "monthly, on day 15"."""
    params = params or {}
    words = words or _words()
    if kind in schedule.PERIODIC:
        return periodic_text(kind, params, lang)
    times = sorted(params.get("times") or [])
    if kind == "times":
        joined = ", ".join(times)
        text = (_("once a day: %(times)s", times=joined) if len(times) == 1
                else _("twice a day: %(times)s", times=joined) if len(times) == 2
                else _("%(n)s times a day: %(times)s", n=len(times), times=joined))
    elif kind == "every_hours":
        text = _("every %(hours)s h from %(start)s", hours=params.get("hours"), start=params.get("start") or "00:00")
    elif kind == "per_shift":
        text = _("once per shift: %(shifts)s", shifts=", ".join(
            words["shifts"].get(s, s) for s in (params.get("shifts") or ["day", "night"])))
    elif kind == "as_needed":
        text = _("as needed")
    else:
        text = kind
    if days_of_week:
        names = get_day_names("abbreviated", context="format", locale=lang)
        days = ", ".join(names[d - 1] for d in days_of_week if 1 <= d <= 7)
        text = _("%(schedule)s · only %(days)s", schedule=text, days=days)
    return text


def qr_png(code, scale=8):
    """The code as a QR code, a PNG in memory."""
    out = io.BytesIO()
    segno.make(code, error="m").save(out, kind="png", scale=scale, border=2)
    out.seek(0)
    return out


def render(data, lang, fonts, printed_at):
    """(PDF bytes, warnings) for a service sheet (services/service_sheet.sheet) in `lang`."""
    return printed(_render, data, lang, fonts, printed_at)


def _render(data, lang, fonts, printed_at, warnings):
    words = _words()
    person = data["person"]
    tz = ZoneInfo(data["timezone"])
    station = places.name_in(data["unit"], lang)
    title = _("Home care service sheet") + f": {person['full_name']}"
    pdf = DocumentPDF(f"{data['home']} · {station} · {title}",
                      _("Printed %(when)s", when=_local(printed_at.astimezone(UTC).replace(tzinfo=None), tz, lang)),
                      orientation="P", margins=(12, 12, 12))
    prepare(pdf, fonts, title, lang)
    pdf.add_page()
    font_warning(pdf, warnings)
    pdf.set_font("Main", "", 9)
    pdf.cell(0, 5, f"{data['home']} · {_('Station')}: {station}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Main", "B", 14)
    pdf.multi_cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Main", "", 9)
    facts = [(_("Address"), person["address"] or "—"), (_("Phone"), person["phone"] or "—")]
    pdf.multi_cell(0, 5, "   ".join(f"{k}: {v}" for k, v in facts), new_x="LMARGIN", new_y="NEXT")
    phone = (data.get("station_phone") or "").replace(" ", "\u00a0")  # a non-breaking space: the number on one line
    ask = (_("Questions, changes or complaints: your station, %(station)s (%(centre)s), phone %(phone)s.",
             station=station, centre=data["home"], phone=phone) if phone else
           _("Questions, changes or complaints: your station, %(station)s (%(centre)s).",
             station=station, centre=data["home"]))
    pdf.multi_cell(0, 5, ask, new_x="LMARGIN", new_y="NEXT")

    contract = data["contract"]
    pdf.set_font("Main", "B", 10)
    pdf.ln(2)
    pdf.cell(0, 6, _("Contract"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Main", "", 9)
    if contract is None:
        pdf.multi_cell(0, 5, _("No contract in force."), new_x="LMARGIN", new_y="NEXT")
    else:
        ends = _date(contract["ends_on"], lang) if contract["ends_on"] else _("no end date")
        parts = [_("From %(start)s to %(end)s", start=_date(contract["starts_on"], lang), end=ends),
                 _("Funding") + ": " + words["funding"].get(contract["funding"], contract["funding"])]
        if contract["monthly_subsidy"] is not None:
            parts.append(_("Monthly subsidy") + ": " + contracts.money_text(contract["monthly_subsidy"]))
        pdf.multi_cell(0, 5, "   ".join(parts), new_x="LMARGIN", new_y="NEXT")

    rows = []
    for item in data["items"]:
        minutes = item["standard_minutes"]
        rows.append([_text(item["names"], lang),
                     _("%(n)s min", n=minutes) if minutes else "—",
                     f"{contracts.money_text(item['price'])} {words['units'].get(item['unit'], item['unit'])}",
                     schedule_text(item["schedule_kind"], item["schedule"], item["days_of_week"], lang, words)])
    _section(pdf, _("Services"), [_("Service"), _("Standard"), _("Price"), _("Schedule")], [62, 22, 34, 68], rows)

    pdf.set_font("Main", "B", 10)
    pdf.ln(3)
    pdf.cell(0, 6, _("Home code"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Main", "", 9)
    if data["code"]:
        size = 36
        if pdf.get_y() + size + 10 > pdf.page_break_trigger:
            pdf.add_page()
        top = pdf.get_y()
        pdf.image(qr_png(data["code"]), x=pdf.l_margin, y=top, w=size, h=size)
        pdf.set_xy(pdf.l_margin + size + 6, top + 4)
        pdf.set_font("Main", "B", 20)
        pdf.cell(0, 10, data["code"], new_x="LMARGIN", new_y="NEXT")
        pdf.set_x(pdf.l_margin + size + 6)
        pdf.set_font("Main", "", 9)
        pdf.multi_cell(0, 5, _("The carer enters this code when she arrives and when she leaves. Keep the sheet at "
                               "home; show the code only to the station's carers."),
                       new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(max(pdf.get_y(), top + size + 2))
    else:
        pdf.multi_cell(0, 5, _("Ask the station for your home code: the carer types it when she arrives and when "
                               "she leaves."), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
