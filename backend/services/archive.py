"""Month close and the archive copy of a care card: who may close, the card laid out as on paper, its PDF.

The rules are in domain/month_close.py; confirmation reuses domain/days.py (is_locked, unreviewed_late), the same
rules as the supervisor's day view. Closing is the supervisor's (head of unit's) act, the end of the month's daily
control of the cards (004 §3.2); supervisors and planners may list, view and print.
"""
from datetime import UTC, date
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_

from .. import pdf_card
from ..domain import month_close
from ..domain import places
from ..domain import stay as stay_rules
from ..domain.errors import Conflict
from ..domain.messages import Msg, joined
from ..extensions import db
from ..models import CareCard, DayConfirmation, Entry, Resident, ResidentEvent, User
from . import access, audit, homes, stay
from .cards import get_card
from .supervision import item_dict
from .sync import entry_dicts, local_dicts
from .publish import published


def _tz(resident):
    return ZoneInfo(resident.unit.home.timezone)


def _confirmations(unit_id, month):
    rows = (DayConfirmation.query.filter(DayConfirmation.unit_id == unit_id,
                                         DayConfirmation.day >= month,
                                         DayConfirmation.day <= month_close.last_day(month))
            .order_by(DayConfirmation.seq).all())
    return [{"unit_id": c.unit_id, "resident_id": c.resident_id, "day": c.day, "seq": c.seq,
             "confirmed_by": c.confirmed_by, "confirmed_by_post": c.confirmed_by_post, "confirmed_at": c.confirmed_at,
             "note": c.note} for c in rows]


def _entries(card):
    """The resident's entries of the card's month, and any entry for one of its items dated outside it."""
    item_ids = [i.id for i in card.items]
    in_month = and_(Entry.resident_id == card.resident_id, Entry.day >= card.month,
                    Entry.day <= month_close.last_day(card.month))
    where = or_(in_month, Entry.item_id.in_(item_ids)) if item_ids else in_month
    return local_dicts(entry_dicts(db.session, where), _tz(card.resident))


def _state(card, now, confirmations=None, periods=None):
    """(reasons the card can't close, items, entries, confirmations) for one card. `periods`: the times she was
    away (services/stay.periods_of), read here when not given."""
    resident = card.resident
    items = [item_dict(i) for i in card.items]
    entries = _entries(card)
    if confirmations is None:
        confirmations = _confirmations(resident.unit_id, card.month)
    month_entries = [e for e in entries if card.month <= e["day"] <= month_close.last_day(card.month)]
    needed = month_close.days_needing_confirmation(card.month, items, month_entries)
    if periods is None:
        periods = stay.periods_of([resident.id], _tz(resident)).get(resident.id, [])
    if periods:  # a day she was away all day, with nothing recorded, needs no confirmation (after discharge too)
        recorded = {e["day"] for e in month_entries}
        needed = [d for d in needed if d in recorded or not stay_rules.away_all_day(stay_rules.windows(periods, d))]
    locked, waiting = month_close.confirmation_state(
        card.month, confirmations, [e for e in month_entries if e["late_after_confirmation"]], resident.unit_id,
        resident.id, resident.unit.home.timezone)
    reasons = month_close.closable(card.month, homes.home_today(resident, now), locked, status=card.status,
                                   days_needed=needed, late_waiting=waiting)
    return reasons, items, entries, confirmations


def month_overview(actor, unit_id, month, now):
    """Each active resident of the unit with the month's card: status and whether it can be closed (or why not)."""
    unit = access.get_unit(actor, unit_id)
    month = month.replace(day=1)
    # Those in care during the month: a resident discharged in it keeps her card here until it is closed.
    residents = (Resident.query.filter(Resident.unit_id == unit.id,
                                       or_(Resident.active.is_(True), Resident.left_on >= month))
                 .order_by(Resident.room, Resident.bed, Resident.full_name).all())
    cards = {c.resident_id: c for c in CareCard.query.filter(
        CareCard.resident_id.in_([r.id for r in residents]), CareCard.month == month)} if residents else {}
    confirmations = _confirmations(unit.id, month)
    names = _names(unit.home_id)
    rows = []
    for r in residents:
        card = cards.get(r.id)
        reasons = _state(card, now, confirmations)[0] if card else [month_close.Reason("no_card")]
        rows.append({"resident_id": r.id, "full_name": r.full_name, "room": r.room, "bed": r.bed,
                     "card_id": card.id if card else None, "status": card.status if card else None,
                     "version": card.version if card else None, "closed_at": card.closed_at if card else None,
                     "closed_by": names.get(card.closed_by) if card else None,
                     "closable": not reasons, "reasons": reason_dicts(reasons)})
    return {"unit_id": unit.id, "unit": places.of(unit), "month": month,
            "today": homes.home_today(unit, now), "residents": rows}


def stay_events(resident_id, month, tz):
    """The events of her stay in the card's month (moves, absences, discharge), for the card's header."""
    first, last = month, month_close.last_day(month)
    rows = ResidentEvent.query.filter(ResidentEvent.resident_id == resident_id, ResidentEvent.day >= first,
                                      ResidentEvent.day <= last).order_by(ResidentEvent.at, ResidentEvent.id)
    return [{"kind": e.kind, "at": e.at.replace(tzinfo=UTC).astimezone(tz), "absence": e.absence,
             "reason": e.reason} for e in rows]


def _names(home_id):
    return {u.id: u.full_name for u in User.query.filter(User.home_id == home_id)}


def _close(w, card):
    actor = w.ctx.actor
    stamp = w.ctx.now.replace(tzinfo=None)
    card.status = "closed"
    card.closed_at = stamp
    card.closed_by = actor.id
    w.number(card)  # tablets learn the card is closed through the feed
    card.updated_at = stamp
    card.updated_by = actor.id
    w.audit("card_close", "care_card", card.id,
            detail={"resident_id": card.resident_id, "month": card.month.isoformat()})


def _refusal(reasons):
    why = joined("; ", [reason_text(r) for r in reasons])
    return Conflict(Msg("This card cannot be closed yet: %(why)s", why=why), {"card_id": why}, code="not_closable")


def reason_dicts(reasons):
    return [dict(r.as_dict(), text=reason_text(r)) for r in reasons]


def reason_text(reason):
    days = ", ".join(str(d.day) for d in reason.days)
    return {"closed": Msg("the card is already closed"),
            "not_published": Msg("the card was never published"),
            "month_not_over": Msg("the month is not over yet"),
            "days_not_confirmed": Msg("days not confirmed: %(days)s", days=days),
            "late_not_reviewed": Msg("late entries not yet reviewed on days: %(days)s", days=days),
            "no_card": Msg("no card for this month")}.get(reason.code, reason.code)


def close_card(ctx, card_id):
    actor, now = ctx.actor, ctx.now
    card = get_card(actor, card_id)
    with published(ctx) as w:  # confirmations and late entries are written under this lock: the check below stands
        reasons = _state(card, now)[0]
        if reasons:
            raise _refusal(reasons)
        _close(w, card)
    return card


def close_month(ctx, unit_id, month):
    """Close every closable card of a unit's month in one go. Returns (closed cards, cards left open)."""
    actor, now = ctx.actor, ctx.now
    unit = access.get_unit(actor, unit_id)
    month = month.replace(day=1)
    cards = (CareCard.query.join(Resident).filter(Resident.unit_id == unit.id, CareCard.month == month,
                                                  CareCard.status != "closed").all())
    closed, left = [], []
    with published(ctx) as w:
        confirmations = _confirmations(unit.id, month)
        for card in cards:
            if _state(card, now, confirmations)[0]:
                left.append(card)
            else:
                _close(w, card)
                closed.append(card)
    return closed, left


def card_sheet(actor, card_id, now):
    """The card's header and its grid (domain/month_close.grid) for the screen and the PDF."""
    card = get_card(actor, card_id)
    resident = card.resident
    tz = _tz(resident)
    periods = stay.periods_of([resident.id], tz).get(resident.id, [])
    reasons, items, entries, confirmations = _state(card, now, periods=periods)
    names = _names(resident.unit.home_id)
    away = {d: stay_rules.windows(periods, d) for d in month_close.month_days(card.month)} if periods else None
    sheet = month_close.grid(items, entries, card.month, names, homes.home_today(resident, now),
                             closed_at=card.closed_at,
                             close_seq=card.seq if card.status == "closed" else None, confirmations=confirmations,
                             unit_id=resident.unit_id, resident_id=resident.id, away=away)
    sheet.update(card_id=card.id, status=card.status, version=card.version, closed_at=card.closed_at,
                 closed_by=names.get(card.closed_by), resident_id=resident.id, resident=resident.full_name,
                 room=resident.room, bed=resident.bed, care_group=resident.care_group, unit=places.of(resident.unit),
                 home=resident.unit.home.name, birth_date=resident.birth_date, closable=not reasons,
                 stay_status=resident.status, admitted_on=resident.admitted_on, left_on=resident.left_on,
                 stay_events=stay_events(resident.id, card.month, tz),
                 reasons=reason_dicts(reasons), timezone=resident.unit.home.timezone)
    return sheet


def printable_card(ctx, card_id, lang, fonts):
    """The PDF of a closed card (bytes, file name, font warnings); the read is audited.
    fonts: configured font paths {"regular", "bold", "cjk"} (empty: pdf_card.DEFAULT_FONTS)."""
    actor, now = ctx.actor, ctx.now
    card = get_card(actor, card_id)
    if card.status != "closed":
        raise Conflict(Msg("Only a closed card can be printed for the personal file."), code="card_not_closed")
    sheet = card_sheet(actor, card_id, now)
    data, warnings = pdf_card.render(sheet, lang, pdf_card.resolve_fonts(fonts), printed_at=now)
    audit.read(ctx, "care_card", card.id, detail={"resident_id": card.resident_id, "view": "archive_pdf",
                                                  "lang": lang})
    name = f"care-card-{card.month:%Y-%m}-{card.resident_id}.pdf"
    return data, name, warnings


def parse_month(text):
    """'2026-10' -> date(2026, 10, 1); None when it is not a month."""
    try:
        year, month = text.split("-")
        return date(int(year), int(month), 1)
    except (AttributeError, ValueError):
        return None
