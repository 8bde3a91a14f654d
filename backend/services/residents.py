"""Admitting a resident: the unit, the duty post, room and bed, the day of admission. The new resident reaches the
post's tablets through the feed (a resident row with a new seq, as every resident change) and appears on the
planner's board as never assessed. Her stay then goes on through services/stay.py (details, moves, absences,
discharge); the admission is its first event."""
from datetime import datetime, time, timezone


from ..domain.errors import Invalid
from ..domain.messages import Msg
from ..models import Resident
from . import access, homes, stay
from .publish import published


def admit(ctx, data):
    actor, now = ctx.actor, ctx.now
    unit = access.get_unit(actor, data["unit_id"])
    tz = homes.home_zone(actor.home_id)
    today = homes.home_today(tz, now)
    birth = data.get("birth_date")
    if birth is not None and birth > today:
        raise Invalid(Msg("Please check: %(fields)s", fields="birth_date"),
                      {"birth_date": Msg("The date of birth cannot be in the future.")})
    admitted_on = data.get("admitted_on") or today
    if admitted_on > today:
        raise Invalid(Msg("Please check: %(fields)s", fields="admitted_on"),
                      {"admitted_on": Msg("The day of admission cannot be in the future.")})
    unit, post, room, bed = stay.resolve_place(actor, unit.id, data["post_id"], data.get("room"), data.get("bed"))
    # Admitted today: from now on; admitted on an earlier day (recorded late): from the start of that day.
    at = now if admitted_on == today else datetime.combine(admitted_on, time()).replace(tzinfo=tz)
    at_utc = at.astimezone(timezone.utc).replace(tzinfo=None)
    with published(ctx) as w:
        s = w.session
        seq = w.number()
        resident = Resident(unit_id=unit.id, post_id=post.id, full_name=data["full_name"].strip(), room=room,
                            bed=bed, birth_date=birth, care_group=None, needs_reassessment=False, active=True,
                            status="present", admitted_on=admitted_on, seq=seq)
        s.add(resident)
        s.flush()
        stay.admission_event(s, actor, resident, at_utc, admitted_on, seq, now)
        w.audit("resident_admit", "resident", resident.id,
                detail={"unit_id": unit.id, "post_id": post.id, "admitted_on": admitted_on.isoformat()})
    return resident
