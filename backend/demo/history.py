"""Last month in the demo: cards copied from this month's, every slot recorded (mostly done) by the nurse on duty
-- the unit's nurses turn about on day and night shifts --, every day confirmed by a supervisor the next morning,
and the first card closed, so the archive screen has cards to close and one to print. Nothing is stamped after
`now`."""
import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from ..domain import month_close, roles, schedule
from ..domain import sync as sync_rules
from ..models import CardItem, CareCard, DayConfirmation, Entry, Resident, User
from ..services import feed
from ..services.bulk import insert_rows
from ..services.ids import uuid7


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
        nurses = (session.query(User).filter(User.home_id == resident.unit.home_id, User.holding(roles.NURSE),
                                             User.working_in(resident.unit_id))
                  .order_by(User.id).all())
        confirmer = (session.query(User).filter(User.home_id == resident.unit.home_id, User.holding(roles.SUPERVISOR))
                     .order_by(User.id).first())
        if not nurses or confirmer is None:
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
                    author = on_duty(nurses, day, slot.time)
                    roll = rng.random()
                    status, reason = ("done", None) if roll < 0.93 else ("not_done", rng.choice(
                        ["asleep", "refused", "absent"]))
                    local = min(datetime.combine(day, datetime.min.time()) + timedelta(minutes=slot.time + 5),
                                now.astimezone(tz).replace(tzinfo=None))
                    e = {"id": uuid7(), "kind": "tick", "resident_id": resident.id, "item_id": item.id, "day": day,
                         "slot": slot.key, "status": status, "reason": reason, "note": None, "values": None,
                         "category": None, "supersedes": None, "author_id": author.id, "device_id": "demo",
                         "client_seq": 0, "device_time": local.replace(tzinfo=tz).isoformat()}
                    rows.append(dict(e, payload_hash=sync_rules.payload_hash(e), unit_id=resident.unit_id,
                                     received_at=local.replace(tzinfo=tz).astimezone(UTC)
                                     .replace(tzinfo=None), late_after_confirmation=False, pushed_by=author.id,
                                     author_post=author.post, from_revoked_device=False))
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
            # the next morning at 09:00; the month's last day, when this month is younger than that, at once
            at = min(datetime.combine(day + timedelta(days=1), datetime.min.time()).replace(hour=9, tzinfo=_tz(card)),
                     now)
            session.add(DayConfirmation(seq=feed.allocate(session, 1), unit_id=unit, day=day,
                                        confirmed_by=confirmer.id, confirmed_by_post=confirmer.post,
                                        confirmed_at=at.astimezone(UTC).replace(tzinfo=None)))
    for card, confirmer in created[:close]:
        card.status = "closed"
        card.closed_at = now.replace(tzinfo=None)
        card.closed_by = confirmer.id
        card.seq = feed.allocate(session, 1)
    session.flush()
    return [c for c, _ in created]


def on_duty(nurses, day, minute):
    """The nurse on duty on `day` at `minute` (from midnight) in a unit whose `nurses` (in a stable order) turn about
    on 12-hour shifts: nurse i works the day shift (08:00-20:00) of the days numbered i (mod k), the night shift
    (20:00-08:00) after the next day, then rests a day -- day, night, rest; before 08:00 the night nurse of the day
    before is still on duty. With one nurse, she is on duty all the time."""
    day_start, night_start = schedule.SHIFTS["day"]
    n, k = day.toordinal(), len(nurses)
    if minute < day_start:
        return nurses[(n - 2) % k]   # the night shift that began yesterday evening
    if minute < night_start:
        return nurses[n % k]
    return nurses[(n - 1) % k]


def _tz(card):
    return ZoneInfo(card.resident.unit.home.timezone)
