"""A demo care home: two units with a duty post and 12 residents each, their care plans and care-group
histories, this month's cards generated from the plans, last month's recorded and confirmed, the activity
catalogue, timetable, programmes and weeks of attendance, a year of satisfaction questionnaires, today's carer
assignments, an open invitation code for a relative, and logins."""
import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from ..domain import card_generation, forms
from ..domain import entries as entry_rules
from ..domain import sync as sync_rules
from ..extensions import db
from ..models import (Bed, CardItem, CareCard, CarePlan, CarePlanVersion, DutyPost, Entry, Home, RelativeLink,
                      Resident, ResidentEvent, Room, Unit, User)
from . import (activities, archive, attendance, auth, bulk, care_groups, care_plans, carers, feed, invitations,
               monitoring_demo)
from .ids import uuid7

PASSWORD = "demo"
TIMEZONE = "Asia/Krasnoyarsk"
SURNAMES = ["Иванова", "Петров", "Смирнова", "Кузнецов", "Попова", "Соколов", "Лебедева", "Козлов", "Новикова",
            "Морозов", "Волкова", "Алексеев", "Павлова", "Семёнов", "Голубева", "Виноградов", "Богданова",
            "Воробьёв", "Фёдорова", "Михайлов", "Беляева", "Тарасов", "Белова", "Комаров"]
INITIALS = ["А. И.", "Н. П.", "В. С.", "Г. М.", "Е. В.", "М. А.", "Т. Н.", "Л. Д.", "О. Ф.", "П. К.", "З. Р.",
            "Ю. Б."]
#: Care groups of the 12 residents of each unit: the mercy unit nurses groups III-IV, the general unit I-II.
GROUPS = {"mercy": [4, 4, 4, 4, 4, 3, 3, 3, 3, 3, 2, 4], "general": [1, 1, 1, 1, 2, 2, 2, 2, 2, 1, 3, 2]}


#: How much help a resident of each care group needs, 0 (none) to 1 (complete): drives the demo's answers.
NEED = {1: 0.05, 2: 0.45, 3: 0.7, 4: 0.97}
ASSESSMENTS = ("adl_observation", "mmse", "age_no_barrier", "waterlow", "morse_falls", "pain_nrs")


class NotEmpty(Exception):
    pass


def _items(group):
    """Card items for a care group, as a planner would write them."""
    items = [
        ("hygiene", "Утренний туалет", "Умывание, чистка зубов, причёсывание", "times", {"times": ["07:30"]}, None),
        ("hygiene", "Вечерний туалет", "Умывание, подмывание, подготовка ко сну", "times", {"times": ["21:00"]}, None),
        ("vitals", "Артериальное давление и пульс", "Измерить сидя, после 5 минут покоя", "times",
         {"times": ["09:00", "18:00"]}, ["bp_systolic", "bp_diastolic", "pulse"]),
        ("vitals", "Температура тела", "Подмышечная", "times", {"times": ["07:00"]}, ["temperature"]),
        ("nutrition", "Питьевой режим", "Предложить 150–200 мл жидкости", "times",
         {"times": ["08:00", "11:00", "14:00", "17:00", "20:00"]}, None),
        ("leisure", "Досуг", "Беседа, чтение, телевизор, прогулка по отделению", "per_shift", {"shifts": ["day"]}, None),
    ]
    if group >= 3:
        items.append(("nutrition", "Помощь при кормлении", "Кормить сидя, небольшими порциями", "times",
                      {"times": ["08:30", "13:00", "18:30"]}, None))
        items.append(("elimination", "Смена абсорбирующего белья", "Осмотр кожи при смене", "every_hours",
                      {"hours": 4, "start": "06:00"}, None))
    if group == 4:
        items.append(("mobility", "Смена положения тела", "Каждые 2 часа; профилактика пролежней", "every_hours",
                      {"hours": 2, "start": "00:00"}, None))
        items.append(("hygiene", "Осмотр кожи", "Крестец, пятки, лопатки", "per_shift", {"shifts": ["day", "night"]},
                      None))
    if group in (2, 3):
        items.append(("mobility", "Прогулка с сопровождением", "С ходунками, 20 минут", "times",
                      {"times": ["11:00", "16:00"]}, None))
    if group >= 2:
        items.append(("medication", "Помощь в приёме лекарств", "По листу назначений", "times",
                      {"times": ["08:00", "20:00"]}, None))
        items.append(("vitals", "Сатурация", "Пульсоксиметр", "times", {"times": ["09:00"]}, ["spo2"]))
    return items


def _answers(definition, need, rng):
    """Plausible complete answers to a form for a resident needing this much help."""
    answers = {}
    levels = [level["value"] for level in definition.get("scale", {}).get("levels", [])]
    for q in forms.questions(definition):
        if not forms.is_shown(q, answers):
            continue
        kind, jitter = q["type"], rng.uniform(-0.25, 0.25)
        share = min(1.0, max(0.0, need + jitter))
        # MMSE counts what the resident can do (a yes is a right answer); the other forms what troubles her.
        good = definition["id"] == "mmse"
        if kind == "rating":  # rows vary less than the single answers of the other forms
            share = min(1.0, max(0.0, need + jitter / 2))
            answers[q["id"]] = levels[round(share * (len(levels) - 1))]
        elif kind == "yes_no":
            answers[q["id"]] = (rng.random() >= need) if good else (rng.random() < need)
        elif kind == "choice":
            options = [o["value"] for o in q["options"]]
            pick = options[round(share * (len(options) - 1))]
            answers[q["id"]] = [pick] if q.get("multiple") else pick
        elif kind == "number":
            step = q.get("step", 1)
            steps = round((q["max"] - q["min"]) / step)
            answers[q["id"]] = q["min"] + step * round(steps * ((1 - share * 0.9) if good else share * 0.5))
        elif forms.is_required(q, answers):
            answers[q["id"]] = "—"
    return answers


def _assessments(residents, planner, today, rng):
    """Entry rows: each resident assessed with every form a few weeks ago, as the team's last assessment."""
    rows = []
    definitions = {form_id: forms.load(form_id) for form_id in ASSESSMENTS}
    tz = ZoneInfo(TIMEZONE)
    for i, r in enumerate(residents):
        if i % 6 == 5:  # as the care-group history: every sixth resident never assessed in Bedside
            continue
        day = today - timedelta(days=20 + i % 10)
        for n, form_id in enumerate(ASSESSMENTS):
            answers = _answers(definitions[form_id], NEED[r.care_group], rng)
            if forms.validate(definitions[form_id], answers):
                continue
            at = datetime.combine(day, datetime.min.time()).replace(hour=10, minute=5 * n, tzinfo=tz)
            e = {"id": uuid7(), "kind": "assessment", "resident_id": r.id, "item_id": None, "day": day,
                 "slot": None, "status": None, "reason": None, "note": None, "values": answers,
                 "category": form_id, "supersedes": None, "author_id": planner.id, "device_id": "demo",
                 "client_seq": 0, "device_time": at.isoformat()}
            rows.append(dict(e, payload_hash=sync_rules.payload_hash(e), unit_id=r.unit_id,
                             received_at=at.astimezone(UTC).replace(tzinfo=None), late_after_confirmation=False,
                             pushed_by=planner.id, from_revoked_device=False,
                             score=entry_rules.assessment_score(e, definitions[form_id])))
    first = feed.allocate(db.session, len(rows))
    for offset, row in enumerate(rows):
        row["seq"] = first + offset
    bulk.insert_rows(db.session, Entry.__table__, rows)


def seed(now=None, rng=None, history=False):
    """Create the demo home. Returns (username, role, where) rows for the printed logins.

    history: also what the planners' work has left -- care plans (the cards name the plan they came from),
    care-group decisions giving the board every status, and last month recorded, confirmed and one card closed
    (the `bedside demo` command's default). Tests start from this month's cards alone.
    """
    if Home.query.first() is not None or User.query.first() is not None:
        raise NotEmpty("the database already holds a care home")
    rng = rng or random.Random(7)
    now = now or datetime.now(UTC)
    today = now.astimezone(ZoneInfo(TIMEZONE)).date()
    home = Home(name="Дом социального обслуживания «Ачинский»", timezone=TIMEZONE, locale="ru")
    db.session.add(home)
    db.session.flush()
    units = []
    for key, name, post_name in (("mercy", "Отделение милосердия", "Пост 1"),
                                 ("general", "Общее отделение", "Пост 2")):
        unit = Unit(home_id=home.id, name=name)
        db.session.add(unit)
        db.session.flush()
        post = DutyPost(unit_id=unit.id, name=post_name)
        db.session.add(post)
        db.session.flush()
        units.append((key, unit, post))
    seq = feed.allocate(db.session, 1000)
    residents = []
    names = iter(zip(SURNAMES, INITIALS * 2))
    for key, unit, post in units:
        for i, group in enumerate(GROUPS[key]):
            surname, initials = next(names)
            birth = date(rng.randint(1931, 1956), rng.randint(1, 12), rng.randint(1, 28))
            room = f"{(1 if key == 'mercy' else 2)}{i // 2 + 1:02d}"
            r = Resident(unit_id=unit.id, post_id=post.id, full_name=f"{surname} {initials}", room=room,
                         bed=str(i % 2 + 1), birth_date=birth, care_group=group, seq=seq, status="present",
                         admitted_on=today - timedelta(days=rng.randint(90, 1500)))
            seq += 1
            db.session.add(r)
            residents.append(r)
    db.session.flush()
    # The rooms an administrator keeps (Organisation): three beds each (two taken), covered by the unit's post.
    for key, unit, post in units:
        for name in sorted({r.room for r in residents if r.unit_id == unit.id}):
            room = Room(unit_id=unit.id, post_id=post.id, name=name, active=True)
            room.beds = [Bed(label=str(n), position=n) for n in (1, 2, 3)]
            db.session.add(room)
    hashed = auth.hash_password(PASSWORD)
    people = [("nurse1", "Ольга Сергеевна Кравец", "nurse", units[0][1].id),
              ("nurse2", "Марина Петровна Гусева", "nurse", units[1][1].id),
              # a second nurse of unit 1's shift: two people share the post's tablet
              ("nurse3", "Дарья Алексеевна Сомова", "nurse", units[0][1].id),
              ("supervisor1", "Елена Викторовна Ларина", "supervisor", None),
              ("planner1", "Андрей Николаевич Зуев", "planner", None),
              ("activities1", "Светлана Игоревна Рябова", "activities", None),
              ("admin1", "Игорь Васильевич Орлов", "admin", None),
              ("relative1", "Наталья Иванова", "relative", None),
              # a social-rehabilitation specialist: composes the cards and does their daily control (004 §3.1-3.2)
              ("specialist1", "Ирина Павловна Белова", ("planner", "supervisor"), None)]
    logins = []
    for username, full_name, held, unit_id in people:
        user = User(username=username, password_hash=hashed, full_name=full_name, home_id=home.id,
                    units=[u for _, u, _ in units if u.id == unit_id])
        user.set_roles((held,) if isinstance(held, str) else held)
        role = "+".join(user.roles)
        db.session.add(user)
        db.session.flush()
        where = next((u.name for _, u, _ in units if u.id == unit_id), home.name)
        if role == "relative":
            db.session.add(RelativeLink(user_id=user.id, resident_id=residents[0].id))
            where = f"relative of {residents[0].full_name}"
        logins.append((username, role, where))
    planner = User.query.filter_by(username="planner1").one()
    for r in residents:  # the first event of each stay: her admission, recorded by the planner
        at = datetime.combine(r.admitted_on, datetime.min.time()).replace(hour=11, tzinfo=ZoneInfo(TIMEZONE))
        db.session.add(ResidentEvent(resident_id=r.id, kind="admission", at=at.astimezone(UTC).replace(tzinfo=None),
                                     day=r.admitted_on, reason="", recorded_by=planner.id, seq=r.seq,
                                     recorded_at=at.astimezone(UTC).replace(tzinfo=None),
                                     detail={"to": {"unit_id": r.unit_id, "post_id": r.post_id, "room": r.room,
                                                    "bed": r.bed}}))
    month = today.replace(day=1)
    for r in residents:
        # Each resident's card is generated from an individual care plan, as a planner's would be.
        content = care_plans.demo_plan(r, today, _items(r.care_group))
        version = None
        if history:
            plan = CarePlan(resident_id=r.id, current_version=1)
            db.session.add(plan)
            db.session.flush()
            version = CarePlanVersion(plan_id=plan.id, number=1, content=content, created_by=planner.id,
                                      created_at=now.replace(tzinfo=None), note="Первичный план")
            db.session.add(version)
            db.session.flush()
        card = CareCard(resident_id=r.id, month=month, status="published", version=1, seq=seq,
                        plan_version_id=version and version.id, updated_at=now.replace(tzinfo=None),
                        updated_by=planner.id)
        seq += 1
        db.session.add(card)
        db.session.flush()
        for item in card_generation.items_for_month(content, month):
            db.session.add(CardItem(card_id=card.id, **dict(item, plan_service=item["plan_service"] if history
                                                                 else None)))
    db.session.flush()
    if history:
        _assessments(residents, planner, today, rng)
        care_groups.demo_history(db.session, residents, planner, today)
        archive.demo_closed_month(db.session, now)
        staff = {u.username: u for u in User.query.filter_by(home_id=home.id)}
        activities.demo_activities(db.session, home, units, residents, staff["activities1"], today)
        db.session.flush()
        attendance.demo_attendance(db.session, residents, staff["activities1"], today)
        monitoring_demo.demo_surveys(db.session, residents, [staff["relative1"]], staff["activities1"], today)
        carers.demo_carers(db.session, [u for _, u, _ in units],
                           {units[0][1].id: [staff["nurse1"], staff["nurse3"]], units[1][1].id: [staff["nurse2"]]},
                           residents, today, assigned_by=staff["supervisor1"].id)
        unit_one = [r for r in residents if r.unit_id == units[0][1].id]
        code = invitations.demo_invitations(db.session, unit_one, staff["supervisor1"], now)
        logins.append((code, "invitation", f"a relative's sign-up code (#/join) for {unit_one[1].full_name}"))
    db.session.commit()
    return logins
