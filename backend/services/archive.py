"""Month close and the archive copy of a care card: who may close, the card laid out as on paper, its PDF.

The rules are in domain/month_close.py; confirmation reuses domain/days.py (is_locked, unreviewed_late), the same
rules as the supervisor's day view. Closing is the supervisor's (head of unit's) act, the end of the month's daily
control of the cards (004 §3.2); supervisors and planners may list, view and print.
"""
import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import and_, or_

from .. import pdf_card
from ..database import write_transaction
from ..domain import month_close, roles, schedule
from ..domain import stay as stay_rules
from ..domain import sync as sync_rules
from ..errors import ApiError
from ..extensions import db
from ..models import CardItem, CareCard, DayConfirmation, Entry, Resident, ResidentEvent, User
from . import access, audit, feed, stay
from .bulk import insert_rows
from .cards import get_card
from .ids import uuid7
from .supervision import item_dict
from .sync import entry_dicts, local_dicts


def _tz(resident):
    return ZoneInfo(resident.unit.home.timezone)


def _today(resident, now):
    return now.astimezone(_tz(resident)).date()


def _confirmations(unit_id, month):
    rows = (DayConfirmation.query.filter(DayConfirmation.unit_id == unit_id,
                                         DayConfirmation.day >= month,
                                         DayConfirmation.day <= month_close.last_day(month))
            .order_by(DayConfirmation.seq).all())
    return [{"unit_id": c.unit_id, "resident_id": c.resident_id, "day": c.day, "seq": c.seq,
             "confirmed_by": c.confirmed_by, "confirmed_at": c.confirmed_at, "note": c.note} for c in rows]


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
        resident.id)
    reasons = month_close.closable(card.month, _today(resident, now), locked, status=card.status,
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
    return {"unit_id": unit.id, "unit": unit.name, "month": month,
            "today": now.astimezone(ZoneInfo(unit.home.timezone)).date(), "residents": rows}


def stay_events(resident_id, month, tz):
    """The events of her stay in the card's month (moves, absences, discharge), for the card's header."""
    first, last = month, month_close.last_day(month)
    rows = ResidentEvent.query.filter(ResidentEvent.resident_id == resident_id, ResidentEvent.day >= first,
                                      ResidentEvent.day <= last).order_by(ResidentEvent.at, ResidentEvent.id)
    return [{"kind": e.kind, "at": e.at.replace(tzinfo=UTC).astimezone(tz), "absence": e.absence,
             "reason": e.reason} for e in rows]


def _names(home_id):
    return {u.id: u.full_name for u in User.query.filter(User.home_id == home_id)}


def _close(s, actor, card, now, device_id):
    stamp = now.replace(tzinfo=None)
    card.status = "closed"
    card.closed_at = stamp
    card.closed_by = actor.id
    card.seq = feed.allocate(s, 1)  # tablets learn the card is closed through the feed
    card.updated_at = stamp
    card.updated_by = actor.id
    audit.record(s, actor, "card_close", "care_card", card.id, device_id=device_id, at=now,
                 detail={"resident_id": card.resident_id, "month": card.month.isoformat()})


def _refusal(reasons):
    return ApiError(409, "not_closable", _("This card cannot be closed yet: %(why)s",
                                           why="; ".join(reason_text(r) for r in reasons)),
                    {"card_id": "; ".join(reason_text(r) for r in reasons)})


def reason_dicts(reasons):
    return [dict(r.as_dict(), text=reason_text(r)) for r in reasons]


def reason_text(reason):
    days = ", ".join(str(d.day) for d in reason.days)
    return {"closed": _("the card is already closed"),
            "not_published": _("the card was never published"),
            "month_not_over": _("the month is not over yet"),
            "days_not_confirmed": _("days not confirmed: %(days)s", days=days),
            "late_not_reviewed": _("late entries not yet reviewed on days: %(days)s", days=days),
            "no_card": _("no card for this month")}.get(reason.code, reason.code)


def close_card(actor, card_id, now, device_id=None):
    card = get_card(actor, card_id)
    with write_transaction() as s:
        feed.lock(s)  # confirmations and late entries are written under this lock: the check below stands
        reasons = _state(card, now)[0]
        if reasons:
            raise _refusal(reasons)
        _close(s, actor, card, now, device_id)
    return card


def close_month(actor, unit_id, month, now, device_id=None):
    """Close every closable card of a unit's month in one go. Returns (closed cards, cards left open)."""
    unit = access.get_unit(actor, unit_id)
    month = month.replace(day=1)
    cards = (CareCard.query.join(Resident).filter(Resident.unit_id == unit.id, CareCard.month == month,
                                                  CareCard.status != "closed").all())
    closed, left = [], []
    with write_transaction() as s:
        feed.lock(s)
        confirmations = _confirmations(unit.id, month)
        for card in cards:
            if _state(card, now, confirmations)[0]:
                left.append(card)
            else:
                _close(s, actor, card, now, device_id)
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
    sheet = month_close.grid(items, entries, card.month, names, _today(resident, now), closed_at=card.closed_at,
                             close_seq=card.seq if card.status == "closed" else None, confirmations=confirmations,
                             unit_id=resident.unit_id, resident_id=resident.id, away=away)
    sheet.update(card_id=card.id, status=card.status, version=card.version, closed_at=card.closed_at,
                 closed_by=names.get(card.closed_by), resident_id=resident.id, resident=resident.full_name,
                 room=resident.room, bed=resident.bed, care_group=resident.care_group, unit=resident.unit.name,
                 home=resident.unit.home.name, birth_date=resident.birth_date, closable=not reasons,
                 stay_status=resident.status, admitted_on=resident.admitted_on, left_on=resident.left_on,
                 stay_events=stay_events(resident.id, card.month, tz),
                 reasons=reason_dicts(reasons), timezone=resident.unit.home.timezone)
    return sheet


def printable_card(actor, card_id, now, lang, fonts, device_id=None, address=None):
    """The PDF of a closed card (bytes, file name, font warnings); the read is audited.
    fonts: configured font paths {"regular", "bold", "cjk"} (empty: pdf_card.DEFAULT_FONTS)."""
    card = get_card(actor, card_id)
    if card.status != "closed":
        raise ApiError(409, "card_not_closed", _("Only a closed card can be printed for the personal file."))
    sheet = card_sheet(actor, card_id, now)
    data, warnings = pdf_card.render(sheet, lang, pdf_card.resolve_fonts(fonts), printed_at=now)
    audit.read(actor, "care_card", card.id, now, detail={"resident_id": card.resident_id, "view": "archive_pdf",
                                                         "lang": lang},
               device_id=device_id, address=address)
    name = f"care-card-{card.month:%Y-%m}-{card.resident_id}.pdf"
    return data, name, warnings


def demo_closed_month(session, now, unit_id=None, close=1, rng=None):
    """Demo: last month's cards (copied from this month's) with a recorded and confirmed month, so the archive
    screen has cards to close; the first `close` of them are closed. Returns the cards created.

    Runs in the caller's transaction on `session` (e.g. inside demo.seed, before its commit); skips residents
    who already have a card for last month."""
    rng = rng or random.Random(11)
    first_unit = unit_id
    cards = session.query(CareCard).join(Resident).filter(Resident.active.is_(True)).order_by(CareCard.id).all()
    created = []
    for current in cards:
        resident = current.resident
        if first_unit is not None and resident.unit_id != first_unit:
            continue
        tz = ZoneInfo(resident.unit.home.timezone)
        today = now.astimezone(tz).date()
        month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        if current.month != today.replace(day=1) or session.query(CareCard).filter_by(
                resident_id=resident.id, month=month).first():
            continue
        author = (session.query(User).filter(User.home_id == resident.unit.home_id, User.holding(roles.NURSE),
                                             User.working_in(resident.unit_id))
                  .order_by(User.id).first())
        confirmer = (session.query(User).filter(User.home_id == resident.unit.home_id, User.holding(roles.SUPERVISOR))
                     .order_by(User.id).first())
        if author is None or confirmer is None:
            continue
        card = CareCard(resident_id=resident.id, month=month, status="published", version=1,
                        seq=feed.allocate(session, 1), updated_at=now.replace(tzinfo=None))
        session.add(card)
        session.flush()
        for item in current.items:
            session.add(CardItem(card_id=card.id, **{k: getattr(item, k) for k in (
                "category", "title", "instructions", "schedule_kind", "schedule", "days_of_week", "measures",
                "position")}))
        session.flush()
        rows = []
        for day in month_close.month_days(month):
            for item in card.items:
                for slot in schedule.slots(item.schedule_kind, item.schedule):
                    roll = rng.random()
                    status, reason = ("done", None) if roll < 0.93 else ("not_done", rng.choice(
                        ["asleep", "refused", "absent"]))
                    local = datetime.combine(day, datetime.min.time()) + timedelta(minutes=slot.time + 5)
                    e = {"id": uuid7(), "kind": "tick", "resident_id": resident.id, "item_id": item.id, "day": day,
                         "slot": slot.key, "status": status, "reason": reason, "note": None, "values": None,
                         "category": None, "supersedes": None, "author_id": author.id, "device_id": "demo",
                         "client_seq": 0, "device_time": local.replace(tzinfo=tz).isoformat()}
                    rows.append(dict(e, payload_hash=sync_rules.payload_hash(e), unit_id=resident.unit_id,
                                     received_at=local.replace(tzinfo=tz).astimezone(UTC)
                                     .replace(tzinfo=None), late_after_confirmation=False, pushed_by=author.id,
                                     from_revoked_device=False))
        first = feed.allocate(session, len(rows)) if rows else 0
        for offset, row in enumerate(rows):
            row["seq"] = first + offset
        if rows:
            insert_rows(session, Entry.__table__, rows)
        created.append((card, confirmer))
    for unit in {c.resident.unit_id for c, _who in created}:
        card, confirmer = next((c, who) for c, who in created if c.resident.unit_id == unit)
        for day in month_close.month_days(card.month):
            if session.query(DayConfirmation).filter_by(unit_id=unit, day=day, resident_id=None).first():
                continue
            at = datetime.combine(day + timedelta(days=1), datetime.min.time()).replace(hour=9, tzinfo=_demo_tz(card))
            session.add(DayConfirmation(seq=feed.allocate(session, 1), unit_id=unit, day=day,
                                        confirmed_by=confirmer.id,
                                        confirmed_at=at.astimezone(UTC).replace(tzinfo=None)))
    for card, confirmer in created[:close]:
        card.status = "closed"
        card.closed_at = now.replace(tzinfo=None)
        card.closed_by = confirmer.id
        card.seq = feed.allocate(session, 1)
    session.flush()
    return [c for c, _ in created]


def _demo_tz(card):
    return ZoneInfo(card.resident.unit.home.timezone)


def parse_month(text):
    """'2026-10' -> date(2026, 10, 1); None when it is not a month."""
    try:
        year, month = text.split("-")
        return date(int(year), int(month), 1)
    except (AttributeError, ValueError):
        return None
