"""The demo home's milieu therapy: a catalogue in the six directions (practices.md A3), a weekly timetable with
one-off events, one occurrence cancelled and one moved this week, individual programmes for most residents
(every seventh resident has none, so the attendance screen has someone to flag), and weeks of attendance.

Each resident takes part only in what she can do (SUITS): a resident in bed (care group IV) only in what comes to
her -- her unit's own sessions and individual ones --, passively and for a short while; group III in nothing
that needs walking far or standing long."""
import random
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..domain import activity_schedule
from ..domain import attendance
from ..domain import sync as sync_rules
from ..models import Activity, ActivitySession, Entry, Home, ProgrammeItem, SessionChange
from ..services import bulk, feed
from ..services.attendance import _change_dict, _session_dict
from ..services.ids import uuid7


def _t(ru, zh, en):
    return {"ru": ru, "zh_Hans": zh, "en": en}


#: key, name, description, direction, mode, format, place, capacity
CATALOGUE = [
    ("gym", _t("Утренняя гимнастика", "晨间体操", "Morning exercises"),
     _t("Лёгкая разминка сидя и стоя под музыку.", "伴随音乐的坐姿和站姿轻度热身。", "Gentle warm-up seated and standing, to music."),
     "physical_health", "active", "group", "Холл 1 этажа", 20),
    ("lfk", _t("ЛФК", "康复体操（运动疗法）", "Therapeutic exercise"),
     _t("Лечебная физкультура с инструктором ЛФК.", "由康复体操指导员带领的运动疗法。", "Therapeutic exercise with the instructor."),
     "physical_health", "active", "group", "Зал ЛФК", 8),
    ("darts", _t("Настольный теннис и дартс", "乒乓球和飞镖", "Table tennis and darts"), None,
     "physical_health", "active", "group", "Холл 2 этажа", 10),
    ("games", _t("Настольные игры", "棋盘游戏", "Board games"),
     _t("Шашки, домино, лото.", "跳棋、多米诺骨牌、乐透。", "Draughts, dominoes, lotto."),
     "cultural_leisure", "active", "group", "Гостиная", 12),
    ("art", _t("Арт-терапия", "艺术疗法", "Art therapy"),
     _t("Рисование, лепка, аппликация.", "绘画、泥塑、拼贴。", "Drawing, modelling, collage."),
     "cultural_leisure", "active", "group", "Творческая мастерская", 8),
    ("music", _t("Музыкальная терапия", "音乐疗法", "Music therapy"),
     _t("Слушаем и поём песни прошлых лет.", "聆听并演唱往年的老歌。", "Listening to and singing songs of the past."),
     "cultural_leisure", "active", "group", "Актовый зал", 25),
    ("concert", _t("Концерты и праздники", "音乐会和节日活动", "Concerts and celebrations"), None,
     "cultural_leisure", "passive", "group", "Актовый зал", 60),
    ("reading", _t("Чтение вслух", "朗读", "Reading aloud"),
     _t("Библиотекарь читает рассказы и газеты.", "图书管理员朗读故事和报纸。", "The librarian reads stories and the papers."),
     "educational", "passive", "group", "Библиотека", 12),
    ("talks", _t("Тематические беседы", "主题座谈", "Themed talks"), None,
     "educational", "active", "group", "Гостиная", 15),
    ("excursion", _t("Экскурсии", "参观游览", "Excursions"), None,
     "educational", "active", "group", "Выезд от главного входа", 15),
    ("garden", _t("Сад и огород", "花园和菜园", "Garden and vegetable patch"),
     _t("Посильная трудотерапия: рассада, полив, уход за клумбами.", "力所能及的劳动疗法：育苗、浇水、照料花坛。",
        "Work therapy within one's strength: seedlings, watering, flower beds."),
     "work_therapy", "active", "group", "Теплица", 8),
    ("craft", _t("Рукоделие", "手工编织", "Handicraft"), None,
     "work_therapy", "active", "group", "Творческая мастерская", 10),
    ("psy_group", _t("Психологическая группа", "心理小组", "Psychological group"),
     _t("Группа поддержки с психологом.", "由心理咨询师带领的支持小组。", "A support group with the psychologist."),
     "psychological", "active", "group", "Кабинет психолога", 8),
    ("psy_talk", _t("Беседа с психологом", "心理咨询师个别谈话", "Talk with the psychologist"), None,
     "psychological", "active", "individual", "Кабинет психолога", 1),
    ("massage", _t("Массаж", "按摩", "Massage"), None,
     "medical", "passive", "individual", "Массажный кабинет", 1),
]

#: activity key, ISO weekday, start, minutes, unit key (None: the whole home)
WEEKLY = [("gym", day, "09:30", 30, None) for day in (1, 2, 3, 4, 5)] + [
    ("lfk", 2, "11:00", 40, None), ("lfk", 4, "11:00", 40, None),
    ("darts", 6, "11:00", 60, None),
    ("games", 1, "16:45", 60, None), ("games", 4, "16:45", 60, None),
    ("art", 2, "10:00", 60, None),
    ("music", 5, "11:00", 45, None), ("music", 6, "11:00", 45, "mercy"),
    ("reading", 1, "11:00", 45, None), ("reading", 3, "11:00", 45, None), ("reading", 7, "11:00", 45, "mercy"),
    ("talks", 4, "16:45", 45, None),
    ("garden", 3, "10:00", 60, None), ("garden", 5, "10:00", 60, None),
    ("craft", 3, "16:45", 60, None),
    ("psy_group", 3, "11:30", 45, None),
]

#: activity key, days from today, start, minutes, title
EVENTS = [
    ("concert", -3, "16:30", 60, _t("Концерт хора ветеранов", "老战士合唱团音乐会", "Veterans' choir concert")),
    ("concert", 2, "16:30", 60, _t("Концерт учащихся музыкальной школы", "音乐学校学生音乐会",
                                   "Concert by music-school pupils")),
    ("excursion", 5, "10:00", 150, _t("Экскурсия в краеведческий музей", "参观地方志博物馆", "Excursion to the local museum")),
    ("concert", 9, "16:30", 90, _t("Праздник: день именинника", "节日：寿星生日会", "Celebration: this month's birthdays")),
]

#: The highest care group (I: independent ... IV: in bed, complete help) each activity suits.
SUITS = {"gym": 3, "lfk": 3, "darts": 2, "games": 3, "art": 3, "music": 4, "concert": 3, "reading": 4, "talks": 3,
         "excursion": 2, "garden": 2, "craft": 3, "psy_group": 3, "psy_talk": 4, "massage": 4}
#: How a resident of a care group takes part, by engagement (attendance.ENGAGEMENTS: active, passive, refused,
#: absent): in bed, never actively.
ENGAGEMENT_WEIGHTS = {1: (60, 25, 8, 7), 2: (55, 30, 8, 7), 3: (35, 45, 10, 10), 4: (0, 70, 12, 18)}
#: At an activity that is watched or received (mode passive): mostly passively.
PASSIVE_WEIGHTS = (15, 70, 8, 7)
#: A resident in bed takes part for at most this long.
BEDSIDE_MINUTES = 20
#: The catalogue's keys by the activity's English name: how an Activity row is known again.
KEY_OF = {name["en"]: key for key, name, *_rest in CATALOGUE}


def suits(activity, resident, session_unit_id=None):
    """Whether `activity` (an Activity row) suits `resident` at a session for `session_unit_id` (None: the whole
    home). The demo's own activities by SUITS; another home's by their mode and format."""
    key = KEY_OF.get((activity.name or {}).get("en"))
    group = resident.care_group or 2
    if key is not None:
        highest = SUITS[key]
    else:
        highest = 4 if activity.format == "individual" else 3 if activity.mode == "passive" else 2
    if group > highest:
        return False
    # in bed: the activity comes to her -- an individual one, or her own unit's session -- never the whole home's
    return group < 4 or activity.format == "individual" or session_unit_id == resident.unit_id


def _engagement(activity, resident, rng):
    group = resident.care_group or 2
    weights = ENGAGEMENT_WEIGHTS.get(group, ENGAGEMENT_WEIGHTS[2])
    if activity is not None and activity.mode == "passive" and group < 4:
        weights = PASSIVE_WEIGHTS
    return rng.choices(attendance.ENGAGEMENTS, weights=weights)[0]


GOALS = {
    "gym": "Поддержание двигательной активности", "lfk": "Сохранение объёма движений в суставах",
    "games": "Расширение круга общения", "art": "Развитие мелкой моторики",
    "music": "Улучшение эмоционального состояния", "reading": "Поддержание интереса к окружающему",
    "talks": "Расширение круга общения", "garden": "Посильная трудовая занятость",
    "craft": "Развитие мелкой моторики", "psy_group": "Снижение тревожности",
    "psy_talk": "Адаптация к проживанию в учреждении", "massage": "Профилактика пролежней и контрактур",
}


def _unit_of(u):
    return u[1] if isinstance(u, tuple) else u


def _programme(index, resident, mercy_unit_id):
    """(activity key, weekdays or None, start_time or None) lines for one resident."""
    if resident.unit_id == mercy_unit_id:  # the unit of mercy: mostly in bed, activities come to them
        lines = [("music", None, None), ("reading", None, None),
                 ("massage", [1, 3, 5], f"{10 + index % 3}:{'30' if index % 2 else '00'}")]
        if index % 3 == 0:
            lines.append(("psy_talk", [2], "16:45"))
        return lines
    lines = [("gym", None, None), ("games", [index % 2 * 3 + 1], None)]
    lines.append(("art", None, None) if index % 2 or (resident.care_group or 2) > SUITS["garden"]
                 else ("garden", None, None))
    lines.append(("reading", [1 + index % 2 * 2], None) if index % 3 else ("talks", None, None))
    if index % 4 == 1:
        lines.append(("psy_group", None, None))
    if index % 5 == 2:
        lines.append(("lfk", None, None))
    return [line for line in lines if (resident.care_group or 2) <= SUITS[line[0]]]


def demo_activities(session, home, units, residents, staff_user, today, now=None):
    """Create the demo home's catalogue, timetable and programmes. units: Unit rows or the demo's (key, unit, post)
    tuples, the unit of mercy first. now: the instant (aware) nothing is stamped after (default: the end of
    `today`). Returns {"activities", "sessions", "programme_items"} counts."""
    unit_rows = [_unit_of(u) for u in units]
    unit_ids = {"mercy": unit_rows[0].id, "general": unit_rows[-1].id}
    count = len(CATALOGUE) + len(WEEKLY) + len(EVENTS) + 2 + len(residents) * 6
    seq = feed.allocate(session, count)
    activities = {}
    for key, name, description, direction, mode, fmt, place, capacity in CATALOGUE:
        row = Activity(home_id=home.id, name=name, description=description, direction=direction, mode=mode,
                       format=fmt, place=place, staff_id=staff_user.id, capacity=capacity, active=True, seq=seq)
        seq += 1
        session.add(row)
        activities[key] = row
    session.flush()
    start = today - timedelta(days=56)
    weekly = {}
    for key, weekday, at, minutes, unit_key in WEEKLY:
        row = ActivitySession(home_id=home.id, activity_id=activities[key].id, kind="weekly", weekday=weekday,
                              start_time=at, duration_minutes=minutes, valid_from=start,
                              unit_id=unit_ids[unit_key] if unit_key else None, staff_id=staff_user.id, seq=seq)
        seq += 1
        session.add(row)
        weekly[(key, weekday)] = row
    for key, offset, at, minutes, title in EVENTS:
        session.add(ActivitySession(home_id=home.id, activity_id=activities[key].id, kind="event",
                                    on_date=today + timedelta(days=offset), start_time=at, duration_minutes=minutes,
                                    title=title, staff_id=staff_user.id, seq=seq))
        seq += 1
    session.flush()
    monday = today - timedelta(days=today.weekday())
    tz = ZoneInfo(home.timezone)
    now = now or datetime.combine(today, time(23, 59), tzinfo=tz)
    # the week's changes were made on Monday morning (before it: on Friday afternoon); programmes when they began
    at = datetime.combine(monday, time(9, 0), tzinfo=tz)
    if at > now:
        at = datetime.combine(monday - timedelta(days=3), time(15, 0), tzinfo=tz)
    at = at.astimezone(UTC).replace(tzinfo=None)
    written = datetime.combine(start, time(10, 0), tzinfo=tz).astimezone(UTC).replace(tzinfo=None)
    # This week: board games on Thursday cancelled, art therapy on Tuesday moved to the garden.
    session.add(SessionChange(session_id=weekly[("games", 4)].id, on_date=monday + timedelta(days=3), cancelled=True,
                              note="Ведущая на курсах повышения квалификации", changed_by=staff_user.id,
                              changed_at=at, seq=seq))
    session.add(SessionChange(session_id=weekly[("art", 2)].id, on_date=monday + timedelta(days=1), cancelled=False,
                              place="Сад, беседка", note="Рисуем на свежем воздухе", changed_by=staff_user.id,
                              changed_at=at, seq=seq + 1))
    seq += 2
    items = 0
    for index, resident in enumerate(residents):
        if index % 7 == 6:
            continue  # no programme yet: flagged after 7 days without any activity
        for key, weekdays, start_time in _programme(index, resident, unit_ids["mercy"]):
            session.add(ProgrammeItem(resident_id=resident.id, activity_id=activities[key].id, weekdays=weekdays,
                                      start_time=start_time, goal=GOALS[key], valid_from=start,
                                      created_by=staff_user.id, created_at=written, seq=seq))
            seq += 1
            items += 1
    session.flush()
    return {"activities": len(activities), "sessions": len(WEEKLY) + len(EVENTS), "programme_items": items}


def demo_attendance(session, residents, staff_user, today, weeks=3, idle_every=7, rng=None):
    """Attendance of the last `weeks` weeks (up to yesterday) at the demo timetable's occurrences, marked by
    `staff_user`: at each occurrence, the residents whose programme names its activity (with no programme line for
    it: about half the residents of its unit), each only where the activity suits her (`suits`) and taking part as
    her care group allows (in bed: passively, briefly), some refused or absent with a reason. Every
    `idle_every`-th resident took part in nothing in the last IDLE_DAYS days, so the idle flag has someone to show.
    Inserted into `session` (the caller commits); returns the number of entries."""
    rng = rng or random.Random(5)
    units = {r.id: r.unit_id for r in residents}
    people = {r.id: r for r in residents}
    if not units:
        return 0
    idle_ids = {r.id for i, r in enumerate(residents) if i % idle_every == idle_every - 1}
    start, end = today - timedelta(days=7 * weeks), today - timedelta(days=1)
    home_id = staff_user.home_id
    lines = {}
    for p in session.query(ProgrammeItem).filter(ProgrammeItem.resident_id.in_(list(units))):
        lines.setdefault(p.activity_id, []).append(p)
    sessions = session.query(ActivitySession).filter(ActivitySession.home_id == home_id).all()
    activities = {a.id: a for a in session.query(Activity).filter(Activity.home_id == home_id)}
    changes = (session.query(SessionChange).filter(SessionChange.session_id.in_([x.id for x in sessions]),
                                                   SessionChange.on_date.between(start, end)).all()
               if sessions else [])
    occurrences = activity_schedule.occurrences(
        [_session_dict(x, activities.get(x.activity_id)) for x in sessions], [_change_dict(c) for c in changes],
        start, end)
    tz = ZoneInfo(session.get(Home, home_id).timezone)
    rows = []
    for o in occurrences:
        if o["cancelled"]:
            continue
        day = activity_schedule.as_date(o["date"])
        programme = [p.resident_id for p in lines.get(o["activity_id"], [])
                     if activity_schedule.in_range(day, p.valid_from, p.valid_to)
                     and (not p.weekdays or day.isoweekday() in p.weekdays)]
        who = programme or [rid for rid, unit in units.items() if o["unit_id"] in (None, unit) and rng.random() < 0.5]
        activity = activities.get(o["activity_id"])
        who = [rid for rid in who if rid in people and (activity is None or suits(activity, people[rid], o["unit_id"]))]
        hour, minute = (int(x) for x in o["end_time"].split(":"))
        at = datetime.combine(day, time(min(hour, 23), minute), tzinfo=tz)
        for rid in who:
            if rid not in units or (rid in idle_ids and day > today - timedelta(days=attendance.IDLE_DAYS)):
                continue
            status = _engagement(activity, people[rid], rng)
            minutes = None
            if status in attendance.TOOK_PART and rng.random() < .5:
                minutes = o["duration_minutes"]
                if (people[rid].care_group or 2) >= 4:
                    minutes = min(minutes, BEDSIDE_MINUTES)
            e = {"id": uuid7(), "kind": attendance.KIND, "resident_id": rid, "item_id": None, "day": day, "slot": None,
                 "status": status,
                 "reason": rng.choice(("ill", "procedure", "visit", "asleep")) if status == "absent" else None,
                 "note": None, "category": None, "supersedes": None,
                 "values": {"session_id": o["session_id"], "activity_id": o["activity_id"], "minutes": minutes},
                 "author_id": staff_user.id, "device_id": "demo-activities", "client_seq": 0,
                 "device_time": at.isoformat()}
            rows.append(dict(e, payload_hash=sync_rules.payload_hash(e), unit_id=units[rid],
                             received_at=at.astimezone(UTC).replace(tzinfo=None), late_after_confirmation=False,
                             pushed_by=staff_user.id, author_post=staff_user.post, from_revoked_device=False))
    if rows:
        first = feed.allocate(session, len(rows))
        for offset, row in enumerate(rows):
            row["seq"] = first + offset
        bulk.insert_rows(session, Entry.__table__, rows)
    return len(rows)
