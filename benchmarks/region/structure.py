"""The region's structure, written through the app's models: homes, units, duty posts, residents, staff, tablets,
signing keys, care plans, care-group decisions and the monthly care cards, plus the generator's own plan tables
(schema `bench_region`) that the history SQL reads.

Runs inside an app context on a database that `bedside init` has just migrated. Ids are assigned here (the
database is new), so rows go in with a few bulk statements instead of one ORM flush per object.
"""
import hashlib
import json
import random
import types
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert, text

from backend.demo import plans as demo_plans
from backend.domain import card_generation, schedule
from backend.models import (
    CareCard,
    CareGroupDecision,
    CarePlan,
    CarePlanVersion,
    Device,
    DutyPost,
    Home,
    Resident,
    SigningKey,
    Unit,
    User,
    UserUnit,
)
from backend.services import auth

PASSWORD = "demo"
TOWNS = ["Ачинский", "Берёзовский", "Вязниковский", "Гатчинский", "Дмитровский", "Ефремовский", "Жуковский",
         "Зеленодольский", "Ивантеевский", "Клинский", "Ломоносовский", "Муромский", "Нарофоминский",
         "Озёрский", "Псковский", "Ржевский"]
SURNAMES_M = ["Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Козлов", "Новиков",
              "Морозов", "Волков", "Алексеев", "Павлов", "Семёнов", "Голубев", "Виноградов", "Богданов", "Воробьёв",
              "Фёдоров", "Михайлов", "Беляев", "Тарасов", "Белов", "Комаров", "Орлов", "Киселёв", "Макаров",
              "Андреев", "Ковалёв", "Ильин", "Гусев", "Титов"]
FIRST_F = ["Анна", "Мария", "Валентина", "Галина", "Нина", "Людмила", "Тамара", "Зинаида", "Раиса", "Вера",
           "Надежда", "Лидия", "Антонина", "Клавдия", "Екатерина", "Ольга"]
FIRST_M = ["Иван", "Николай", "Виктор", "Василий", "Михаил", "Пётр", "Алексей", "Геннадий", "Владимир", "Юрий",
           "Анатолий", "Борис", "Григорий", "Степан", "Фёдор", "Павел"]
PATRONYMIC = ["Иванов", "Петров", "Николаев", "Сергеев", "Васильев", "Михайлов", "Алексеев", "Фёдоров",
              "Степанов", "Григорьев", "Андреев", "Павлов"]
#: Care groups along a post's residents (cycled): a mercy unit nurses mostly groups III-IV, a general unit I-II.
GROUPS = {"mercy": [4, 4, 3, 4, 4, 3, 4, 2, 4, 3, 4, 3, 4], "general": [1, 2, 2, 1, 2, 3, 2, 1, 2, 2, 1, 3, 2]}
#: Items a region's planner adds to the demo's set for every care group (`demo._items`): the night and day
#: rounds, airing the room, a weekly bath; group I and II also have their meals and (I) medicines watched.
EXTRA_ITEMS = [
    ("other", "Обход: наблюдение за состоянием", "Дыхание, положение, жалобы", "every_hours",
     {"hours": 2, "start": "01:00"}, None, None),
    ("hygiene", "Проветривание палаты", "10–15 минут, резидента укрыть", "times",
     {"times": ["07:00", "12:00", "17:00", "22:00"]}, None, None),
    ("hygiene", "Гигиеническая ванна", "С помощником, температура воды 37 °C", "times", {"times": ["10:00"]}, None,
     [3, 6]),
]
EXTRA_BY_GROUP = {
    1: [("nutrition", "Контроль приёма пищи", "Отметить аппетит", "times", {"times": ["08:30", "13:00", "18:30"]},
         None, None),
        ("medication", "Контроль приёма лекарств", "Резидент принимает сам, проследить", "times",
         {"times": ["08:00", "20:00"]}, None, None)],
    2: [("nutrition", "Контроль приёма пищи", "Отметить аппетит", "times", {"times": ["08:30", "13:00", "18:30"]},
         None, None)],
}
#: Vital-sign measurement sets as the history SQL knows them.
VITALS_CODES = {("bp_systolic", "bp_diastolic", "pulse"): 1, ("temperature",): 2, ("spo2",): 3}


def region_items(group):
    """Card items of a resident of this care group: (category, title, instructions, kind, params, measures, days)."""
    items = [tuple(i) + (None,) for i in demo_plans._items(group)]
    return items + EXTRA_ITEMS + EXTRA_BY_GROUP.get(group, [])


def _plan_content(resident, today, items):
    """The resident's care plan: the demo's plan with the region's items (days of week kept)."""
    content = demo_plans.demo_plan(resident, today, [i[:6] for i in items])
    by_title = {i[1]: i[6] for i in items}
    for section in content["sections"]:
        for service in section["services"]:
            days = by_title.get(service["name"])
            if days:
                service["periodicity"]["days_of_week"] = days
    return content


def month_start(day):
    return day.replace(day=1)


def add_months(month, n):
    y, m = divmod(month.month - 1 + n, 12)
    return date(month.year + y, m + 1, 1)


def months_between(first, last):
    out, m = [], month_start(first)
    while m <= month_start(last):
        out.append(m)
        m = add_months(m, 1)
    return out


def _name(rng, female):
    surname = rng.choice(SURNAMES_M)
    if female:
        surname = surname + "а"
        return f"{surname} {rng.choice(FIRST_F)} {rng.choice(PATRONYMIC)}на"
    return f"{surname} {rng.choice(FIRST_M)} {rng.choice(PATRONYMIC)}ич"


def _local(day, hour, minute, tz):
    """A local wall time on `day` as naive UTC (how the app stores times)."""
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(tz)).astimezone(UTC).replace(tzinfo=None)


PLAN_DDL = """
CREATE SCHEMA IF NOT EXISTS bench_region;
CREATE TABLE IF NOT EXISTS bench_region.meta (key text PRIMARY KEY, value jsonb NOT NULL);
CREATE TABLE IF NOT EXISTS bench_region.post_plan (
    post_id int PRIMARY KEY, unit_id int NOT NULL, home_id int NOT NULL, tz text NOT NULL, device_id text NOT NULL,
    dev_offset int NOT NULL, nurse_a int NOT NULL, nurse_b int NOT NULL, key_a text NOT NULL, key_b text NOT NULL);
CREATE TABLE IF NOT EXISTS bench_region.resident_plan (
    resident_id int PRIMARY KEY, post_id int NOT NULL, unit_id int NOT NULL, home_id int NOT NULL);
CREATE TABLE IF NOT EXISTS bench_region.slot_plan (
    month date NOT NULL, resident_id int NOT NULL, post_id int NOT NULL, unit_id int NOT NULL, home_id int NOT NULL,
    item_id int NOT NULL, slot text NOT NULL, lo int NOT NULL, span int NOT NULL, vcode int NOT NULL,
    dow int[], valid_from date, valid_to date);
CREATE INDEX IF NOT EXISTS slot_plan_month ON bench_region.slot_plan (month);
CREATE TABLE IF NOT EXISTS bench_region.device_counter (device_id text PRIMARY KEY, n int NOT NULL);
"""


def slot_window(slot):
    """(first minute, minutes wide) in which a nurse records a slot: a timed slot from 10 minutes before to 30
    after its time; a shift's item some time in the shift."""
    if slot.key.startswith("shift:"):
        start, end = schedule.SHIFTS[slot.key[6:]]
        return start + 30, end - start - 45
    lo = max(0, slot.time - 10)
    return lo, min(40, 24 * 60 - lo)


class Builder:
    """Builds the structure. `spec` is a size from generate.SIZES; `today` the home's care day (all homes share
    the generator's idea of today; a home in another zone may be a day off at the edges, which changes nothing)."""

    def __init__(self, spec, first_day, today, now, rng=None):
        self.spec = spec
        self.first_day = first_day
        self.today = today
        self.now = now
        self.rng = rng or random.Random(2026)
        self.homes, self.units, self.posts, self.residents = [], [], [], []
        self.users = {}          # username -> dict
        self.user_units = {}     # username -> the unit she works in (none: the whole home)
        self.seq = 0

    # -- ids and seq -------------------------------------------------------------------------------------------
    def next_seq(self, n=1):
        first = self.seq + 1
        self.seq += n
        return first

    # -- organisation ------------------------------------------------------------------------------------------
    def build(self, session):
        spec, rng = self.spec, self.rng
        hashed = auth.hash_password(PASSWORD)  # once: every user shares it
        created = self.now.replace(tzinfo=None) - timedelta(days=spec["days"] + 40)
        users, devices, keys = [], [], []
        uid = 0

        def user(username, full_name, role, home, unit_id=None):
            nonlocal uid
            uid += 1
            row = {"id": uid, "username": username, "password_hash": hashed, "full_name": full_name, "role": role,
                   "home_id": home["id"], "locale": None, "active": True}
            if unit_id is not None:
                self.user_units[username] = unit_id
            users.append(row)
            self.users[username] = row
            return row

        def key(user_row, device_id):
            # A real key row (the app's format); history entries name it (their signatures are placeholders).
            row = {"id": str(_uuid_from(f"key/{user_row['id']}/{device_id}")), "user_id": user_row["id"],
                   "device_id": device_id, "secret": _b64(hashlib.sha256(f"{device_id}/{user_row['id']}".encode())
                                                          .digest()), "created_at": created}
            keys.append(row)
            return row["id"]

        resident_id = 0
        post_count = spec["homes"] * spec["units"] * spec["posts"]
        base, extra = divmod(spec["residents"], post_count)
        # the larger posts spread out: 12, 13, 12, 13 ... rather than all the 13s first
        per_post = [base + ((i + 1) * extra // post_count - i * extra // post_count) for i in range(post_count)]
        post_index = 0
        for h in range(spec["homes"]):
            tz = "Asia/Shanghai" if h % 8 == 7 else "Europe/Moscow"
            home = {"id": h + 1, "name": f"Дом социального обслуживания «{TOWNS[h % len(TOWNS)]}»", "timezone": tz,
                    "locale": "zh_Hans" if tz == "Asia/Shanghai" else "ru"}
            self.homes.append(home)
            code = f"h{h + 1:02d}"
            home["admin"] = user(f"{code}-admin", f"Администратор {TOWNS[h % len(TOWNS)]}", "admin", home)
            planner = user(f"{code}-planner", _name(rng, True), "planner", home)
            home["planner"] = planner
            home["planner_device"] = f"tab-{code}-planner"
            devices.append(self._device(home["planner_device"], home, None, f"Планшет врача {code}", created,
                                        home["admin"]))
            home["planner_key"] = key(planner, home["planner_device"])
            for u in range(spec["units"]):
                kind = "mercy" if u < max(1, spec["units"] // 2) else "general"
                unit = {"id": len(self.units) + 1, "home_id": home["id"], "kind": kind, "index": u,
                        "name": (f"Отделение милосердия № {u + 1}" if kind == "mercy"
                                 else f"Общее отделение № {u + 1}"), "home": home}
                self.units.append(unit)
                ucode = f"{code}-u{u + 1}"
                unit["supervisor"] = user(f"{ucode}-supervisor", _name(rng, True), "supervisor", home, unit["id"])
                unit["supervisor_device"] = f"pc-{ucode}"
                for p in range(spec["posts"]):
                    post = {"id": len(self.posts) + 1, "unit_id": unit["id"], "name": f"Пост {p + 1}",
                            "unit": unit, "home": home, "index": post_index}
                    post_index += 1
                    self.posts.append(post)
                    pcode = f"{ucode}-p{p + 1}"
                    post["device_id"] = f"tab-{pcode}"
                    post["device_key"] = f"region-credential-{pcode}"
                    devices.append(self._device(post["device_id"], home, post["id"], f"Планшет {pcode}", created,
                                                home["admin"], post["device_key"]))
                    post["nurse"] = user(f"{pcode}-nurse", _name(rng, True), "nurse", home, unit["id"])
                    post["night_nurse"] = user(f"{pcode}-night", _name(rng, True), "nurse", home, unit["id"])
                    post["key_a"] = key(post["nurse"], post["device_id"])
                    post["key_b"] = key(post["night_nurse"], post["device_id"])
                    groups = GROUPS[kind]
                    for i in range(per_post[post["index"]]):
                        resident_id += 1
                        group = groups[(i + p) % len(groups)]
                        female = rng.random() < 0.68
                        room = f"{u + 1}{p * 7 + i // 2 + 1:02d}"
                        self.residents.append({
                            "id": resident_id, "unit_id": unit["id"], "post_id": post["id"],
                            "full_name": _name(rng, female), "room": room, "bed": str(i % 2 + 1),
                            "birth_date": date(rng.randint(1930, 1962), rng.randint(1, 12), rng.randint(1, 28)),
                            "care_group": group, "needs_reassessment": False, "active": True,
                            "seq": self.next_seq()})
        s = session
        s.execute(insert(Home), [{k: h[k] for k in ("id", "name", "timezone", "locale")} for h in self.homes])
        s.execute(insert(Unit), [{"id": u["id"], "home_id": u["home_id"], "name": u["name"]} for u in self.units])
        s.execute(insert(DutyPost), [{"id": p["id"], "unit_id": p["unit_id"], "name": p["name"]} for p in self.posts])
        s.execute(insert(User), users)
        if self.user_units:
            s.execute(insert(UserUnit), [{"user_id": self.users[name]["id"], "unit_id": unit}
                                         for name, unit in self.user_units.items()])
        s.execute(insert(Device), devices)
        s.execute(insert(SigningKey), keys)
        s.execute(insert(Resident), self.residents)
        self._plans(s, created)
        for table in ("home", "unit", "duty_post", "user", "resident", "care_plan", "care_plan_version",
                      "care_group_decision"):
            _sync_sequence(s, table)

    def _device(self, device_id, home, post_id, name, at, admin, credential=None):
        return {"id": device_id, "home_id": home["id"], "post_id": post_id, "first_seen": at, "last_seen": at,
                "max_client_seq": 0, "outbox_len": 0, "name": name, "enrolled_at": at, "enrolled_by": admin["id"],
                "credential_hash": hashlib.sha256(credential.encode()).hexdigest() if credential else None}

    def _plans(self, s, created):
        """A care plan (version 1) and an initial care-group decision for every resident."""
        plans, versions, decisions = [], [], []
        self.content = {}
        for r in self.residents:
            items = region_items(r["care_group"])
            content = _plan_content(types.SimpleNamespace(**r), self.first_day, items)
            self.content[r["id"]] = content
            plans.append({"id": r["id"], "resident_id": r["id"], "current_version": 1})
            planner = self.posts[r["post_id"] - 1]["home"]["planner"]
            versions.append({"id": r["id"], "plan_id": r["id"], "number": 1, "content": content,
                             "created_by": planner["id"], "created_at": created, "note": "Первичный план"})
            decisions.append({"resident_id": r["id"], "group": r["care_group"], "decided_on": created.date(),
                              "decided_by": planner["id"], "recorded_at": created, "reason": "initial",
                              "suggestion": None, "basis": None, "note": None})
        s.execute(insert(CarePlan), plans)
        s.execute(insert(CarePlanVersion), versions)
        s.execute(insert(CareGroupDecision), decisions)

    # -- cards -------------------------------------------------------------------------------------------------
    def cards(self, session, months, seq_for):
        """Cards (with items) of every resident for each month, and the slot plan the history SQL reads.

        seq_for(month) -> the first of the month's feed numbers, or None to leave them 0 (given when the cards are
        published during the history). Returns {month: [card ids]}."""
        s = session
        conn = s.connection().connection.driver_connection
        card_id = s.execute(text("SELECT coalesce(max(id), 0) FROM care_card")).scalar()
        item_id = s.execute(text("SELECT coalesce(max(id), 0) FROM card_item")).scalar()
        post_by_id = {p["id"]: p for p in self.posts}
        out = {}
        for month in months:
            cards, items, slots = [], [], []
            first = seq_for(month)
            stamp = datetime.combine(add_months(month, -1).replace(day=25), time(7, 0))
            for n, r in enumerate(self.residents):
                card_id += 1
                planner = post_by_id[r["post_id"]]["home"]["planner"]
                cards.append({"id": card_id, "resident_id": r["id"], "month": month, "status": "published",
                              "plan_version_id": r["id"], "version": 1, "seq": first + n if first else 0,
                              "updated_at": stamp, "updated_by": planner["id"]})
                for item in card_generation.items_for_month(self.content[r["id"]], month):
                    item_id += 1
                    items.append(dict(item, id=item_id, card_id=card_id))
                    vcode = VITALS_CODES.get(tuple(item["measures"] or ()), 0 if not item["measures"] else 9)
                    for slot in schedule.slots(item["schedule_kind"], item["schedule"]):
                        lo, span = slot_window(slot)
                        slots.append((month, r["id"], r["post_id"], r["unit_id"],
                                      post_by_id[r["post_id"]]["home"]["id"], item_id, slot.key, lo, span, vcode,
                                      item["days_of_week"], item["valid_from"], item["valid_to"]))
            s.execute(insert(CareCard), cards)
            columns = ("id", "card_id", "category", "title", "instructions", "schedule_kind", "schedule",
                       "days_of_week", "measures", "position", "valid_from", "valid_to", "plan_service")
            with conn.cursor().copy(f"COPY card_item ({', '.join(columns)}) FROM STDIN") as copy:
                for item in items:  # the JSON columns as the app writes them (None: SQL NULL)
                    copy.write_row(tuple(json.dumps(item[c], ensure_ascii=False)
                                         if c in ("schedule", "days_of_week", "measures") and item[c] is not None
                                         else item[c] for c in columns))
            with conn.cursor().copy("COPY bench_region.slot_plan (month, resident_id, post_id, unit_id, home_id, "
                                    "item_id, slot, lo, span, vcode, dow, valid_from, valid_to) FROM STDIN") as copy:
                for row in slots:
                    copy.write_row(row)
            out[month] = [c["id"] for c in cards]
        _sync_sequence(s, "care_card")
        _sync_sequence(s, "card_item")
        return out

    def plan_tables(self, session):
        s = session
        s.execute(text(PLAN_DDL))
        conn = s.connection().connection.driver_connection
        with conn.cursor().copy("COPY bench_region.post_plan FROM STDIN") as copy:
            for p in self.posts:
                copy.write_row((p["id"], p["unit_id"], p["home"]["id"], p["home"]["timezone"], p["device_id"],
                                (p["index"] * 37) % 300, p["nurse"]["id"], p["night_nurse"]["id"], p["key_a"],
                                p["key_b"]))
        with conn.cursor().copy("COPY bench_region.resident_plan FROM STDIN") as copy:
            for r in self.residents:
                copy.write_row((r["id"], r["post_id"], r["unit_id"], self.posts[r["post_id"] - 1]["home"]["id"]))
        with conn.cursor().copy("COPY bench_region.device_counter FROM STDIN") as copy:
            for p in self.posts:
                copy.write_row((p["device_id"], 0))
            for h in self.homes:
                copy.write_row((h["planner_device"], 0))


def _sync_sequence(s, table):
    s.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                   f"greatest((SELECT coalesce(max(id), 0) FROM \"{table}\"), 1))"))


def _uuid_from(name):
    import uuid
    return uuid.uuid5(uuid.NAMESPACE_URL, "bedside-region/" + name)


def _b64(raw):
    from backend.domain import signing
    return signing.b64(raw)
