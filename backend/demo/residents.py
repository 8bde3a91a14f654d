"""The demo's residents: 12 in each unit, in the care groups of GROUPS, two to a room, each with the admission
that began her stay."""
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from ..domain import recipients
from ..extensions import db
from ..models import Resident, ResidentEvent
from .home import TIMEZONE

SURNAMES = ["Иванова", "Петров", "Смирнова", "Кузнецов", "Попова", "Соколов", "Лебедева", "Козлов", "Новикова",
            "Морозов", "Волкова", "Алексеев", "Павлова", "Семёнов", "Голубева", "Виноградов", "Богданова",
            "Воробьёв", "Фёдорова", "Михайлов", "Беляева", "Тарасов", "Белова", "Комаров"]
INITIALS = ["А. И.", "Н. П.", "В. С.", "Г. М.", "Е. В.", "М. А.", "Т. Н.", "Л. Д.", "О. Ф.", "П. К.", "З. Р.",
            "Ю. Б."]
#: Care groups of the 12 residents of each unit: the mercy unit nurses groups III-IV, the general unit I-II.
GROUPS = {"mercy": [4, 4, 4, 4, 4, 3, 3, 3, 3, 3, 2, 4], "general": [1, 1, 1, 1, 2, 2, 2, 2, 2, 1, 3, 2]}


def categories_of(group, birth, rng):
    """Her categories of service recipient (004 §1.1): geriatric past 75; groups III-IV with a mental disorder or
    low mobility; now and then a disability, and one in forty palliative."""
    found = {"geriatric"} if birth.year <= 1951 else set()
    if group >= 3:
        found.add(rng.choice(["mental_disorder", "low_mobility"]))
    if group == 4 and rng.random() < 0.5:
        found.add("low_mobility")
    if rng.random() < 0.3:
        found.add("disability")
    if group == 4 and rng.random() < 0.1:
        found.add("palliative")
    return [c for c in recipients.CATEGORIES if c in found]


def make_residents(units, today, seq, rng):
    """The residents of each (key, unit, post), feed positions from `seq` on. Returns (residents, next seq)."""
    residents = []
    names = iter(zip(SURNAMES, INITIALS * 2))
    for key, unit, post in units:
        for i, group in enumerate(GROUPS[key]):
            surname, initials = next(names)
            birth = date(rng.randint(1931, 1956), rng.randint(1, 12), rng.randint(1, 28))
            room = f"{(1 if key == 'mercy' else 2)}{i // 2 + 1:02d}"
            r = Resident(unit_id=unit.id, post_id=post.id, full_name=f"{surname} {initials}", room=room,
                         bed=str(i % 2 + 1), birth_date=birth, care_group=group, seq=seq, status="present",
                         categories=categories_of(group, birth, rng),
                         admitted_on=today - timedelta(days=rng.randint(90, 1500)))
            seq += 1
            db.session.add(r)
            residents.append(r)
    db.session.flush()
    return residents, seq


def admissions(residents, planner):
    """The first event of each stay: her admission, recorded by the planner."""
    for r in residents:
        at = datetime.combine(r.admitted_on, datetime.min.time()).replace(hour=11, tzinfo=ZoneInfo(TIMEZONE))
        db.session.add(ResidentEvent(resident_id=r.id, kind="admission", at=at.astimezone(UTC).replace(tzinfo=None),
                                     day=r.admitted_on, reason="", recorded_by=planner.id, seq=r.seq,
                                     recorded_at=at.astimezone(UTC).replace(tzinfo=None),
                                     detail={"to": {"unit_id": r.unit_id, "post_id": r.post_id, "room": r.room,
                                                    "bed": r.bed}}))
