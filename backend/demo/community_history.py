"""The demo community centre's past (issue 18: "a week of visits with exceptions, alarms and last month closed"):
what its planner, dispatcher, carers' phones and the people's home devices have left by `now`, made through the
services as on their screens and phones, in the order it happened.

`play_the_centre(ids, now)` runs after seed_community and plan_the_week (backend/demo/community.py) on the ids the
seed returned:

1. Last month (the centre's calendar): each person's card from her contract, published on the 1st (people whose
   contract began later have none); the visits of every week from last month's first to this week, generated on
   the week's Monday morning (the 1st for the first week: generation plans from its today on) and given to the two
   carers in turn. The days of this month before this week are generated too: visit generation makes whole weeks,
   and the dispatcher's week, the board and the follow-up calls of those days would otherwise be empty.
2. The carers' phones: each carer signed in once on her own phone (a signing key, devices.issue_key, as at a
   password sign-in); every visit whose time has come is recorded on it -- arrived (a location fix near her home,
   rounded as the phone rounds it, or the home code), the visit's card items ticked done at its slot, left with who
   confirmed it -- and pushed through the real push (services/sync.push) once a day, in the evening (today: just
   before `now`), so the server judges, signs off and flags each entry as it does a phone's. Exceptions
   (deterministic, counts at least one each): no access (not home, refused), arrivals 20-30 minutes late, no
   location (location denied; the station head accepts the carer's reason for half of them the next morning), a
   wrong home code, a visit much longer than planned with the carer's reason, and two visits missed (no entry at
   all). Today: the visits over are done, one in progress is "arrived", the rest wait.
3. Alarms: an SOS button and a fall detector for two people with a family care bed; alarms through the intake,
   acknowledged within one to six minutes, the family told, a carer sent, closed with an outcome (one a false
   alarm); one alarm of today still open, not acknowledged.
4. Follow-up calls (回访) of each finished week: the sample the service picks, called the Monday after (one person
   unreachable; the others confirm the visit and answer the satisfaction questionnaire, now and then "partly").
5. Last month closed: each of its days confirmed for the station by the dispatcher the next morning, then the
   month's cards closed (services/archive.close_month).

Nothing is stamped after `now`. Each service call commits its own write, as a request does.
"""
import heapq
import itertools
import math
import random
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app

from ..domain import geo, visits as visit_rules
from ..domain import signing
from ..domain.errors import Conflict
from ..extensions import db
from ..models import Resident, User, Visit, VisitCarer
from ..services import alarms, archive, contracts, devices, supervision, sync
from ..services import visits as visit_service
from ..services.context import Ctx
from ..services.ids import uuid7

#: Shares of the past visits that go wrong (each at least one): no access, late, no location, wrong code, long.
SHARES = {"no_access": 0.03, "late": 0.02, "no_location": 0.02, "wrong_code": 0.01, "long": 0.01}
#: Of the visits with no location, the share whose reason the station head accepts.
ACCEPTED_SHARE = 0.5
#: Arrivals shown by the home code rather than a location fix.
CODE_SHARE = 0.15
#: The carers' phones (installation ids).
PHONES = {"carer1": "demo-phone-carer1", "carer2": "demo-phone-carer2"}
LONG_REASONS = ("老人情绪低落，多陪伴聊天了一会儿", "老人身体不适，协助联系家属并等候家属到达", "协助老人就医预约，耽误了时间")
ALARM_PLAN = (
    # (day of last month, local time, which device, false alarm, what the family was told, outcome)
    (4, "07:42", 0, False, "已电话告知女儿", "老人起夜时头晕，护理员上门测量血压正常，嘱其卧床休息"),
    (11, "14:15", 1, False, "已电话告知儿子", "老人在卫生间滑倒，无明显外伤，护理员协助其回床并观察"),
    (17, "21:30", 0, True, None, "老人误按呼叫按钮，电话确认平安"),
    (25, "02:50", 1, False, "已电话告知女儿，家属随后赶到", "老人夜间起床跌倒，护理员上门后送医检查，无骨折"),
)


def play_the_centre(ids, now, rng=None):
    """The centre's last month and this week up to `now` (see the module's text). Returns counts for the CLI."""
    return _Centre(ids, now, rng or random.Random(18)).play()


def _at(day, hhmm, tz):
    hours, minutes = (int(x) for x in hhmm.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=tz)


class _Centre:
    def __init__(self, ids, now, rng):
        self.ids, self.now, self.rng = ids, now, rng
        self.tz = ZoneInfo(ids.timezone)
        self.today = now.astimezone(self.tz).date()
        self.first = (self.today.replace(day=1) - timedelta(days=1)).replace(day=1)
        self.last = self.today.replace(day=1) - timedelta(days=1)
        self.staff = {name: db.session.get(User, uid) for name, uid in ids.staff.items()}
        self.head, self.planner = self.staff["dispatch1"], self.staff["cplanner1"]
        self.carers = [ids.staff["carer1"], ids.staff["carer2"]]
        self.master = current_app.config["SECRET_KEY"]
        self.vitals = current_app.extensions["bedside.vitals"]
        self.counts = dict.fromkeys(("cards", "visits", "pushes", "entries", "no_access", "late", "no_location",
                                     "location_accepted", "wrong_code", "long", "missed", "in_progress", "alarms",
                                     "open_alarms", "follow_ups", "days_confirmed", "cards_closed"), 0)
        self.events, self.order = [], itertools.count()  # a heap of (moment, order, action)
        self.no_location_seen = 0

    # -- the timeline -------------------------------------------------------------------------------------------

    def before_now(self, moment, slack_s):
        """`moment`, or just before now when it would be later (a step due this morning, seeded at dawn)."""
        return min(moment, self.now - timedelta(seconds=slack_s))

    def later(self, moment, action):
        """Do `action(moment)` in its turn (run: by time, then in the order asked), if it is before now."""
        if moment < self.now:
            heapq.heappush(self.events, (moment, next(self.order), action))

    def run(self):
        while self.events:
            moment, _order, action = heapq.heappop(self.events)
            action(moment)

    def play(self):
        self.cards()
        self.weeks()
        self.run()
        self.phones()
        self.alarms()
        self.follow_ups()
        self.close_the_month()
        self.run()
        return self.counts

    def ctx(self, actor, moment, device_id=None):
        """The request's context at `moment` (the services take the app's clock: aware, in UTC)."""
        return Ctx(actor=actor, now=moment.astimezone(UTC), device_id=device_id)

    # -- 1. cards and visits ------------------------------------------------------------------------------------

    def cards(self):
        at = _at(self.first, "06:30", self.tz)
        month = f"{self.first:%Y-%m}"
        for n, person_id in enumerate(self.ids.people):
            def publish(moment, person_id=person_id):
                try:
                    contracts.card_from_contract(self.ctx(self.planner, moment), person_id, month, publish=True)
                    self.counts["cards"] += 1
                except Conflict as refused:
                    if refused.code != "no_contract":  # her contract began this month: no card last month
                        raise
            self.later(at + timedelta(seconds=20 * n), publish)

    def weeks(self):
        monday = self.first - timedelta(days=self.first.weekday())
        this_monday = self.today - timedelta(days=self.today.weekday())
        while monday <= this_monday:
            start = max(monday, self.first)
            if start < self.today:
                self.later(_at(start, "07:00", self.tz), lambda moment, monday=monday: self.generate(moment, monday))
            monday += timedelta(days=7)

    def generate(self, moment, monday):
        made = visit_service.generate(self.ctx(self.head, moment), self.ids.station, monday)["made"]
        for n, visit in enumerate(made):
            visit_service.assign(self.ctx(self.head, moment + timedelta(seconds=30 + n)), visit["id"],
                                 [self.carers[n % 2]])
        self.counts["visits"] += len(made)

    # -- 2. the carers' phones ----------------------------------------------------------------------------------

    def phones(self):
        signed_in = _at(self.first, "07:30", self.tz)
        self.keys = {}
        for username, device_id in PHONES.items():
            user = self.staff[username]
            key = devices.issue_key(db.session, user, device_id, signed_in.astimezone(UTC), self.master)
            self.keys[user.id] = (device_id, key.id, signing.decode_key(key.secret))
        db.session.commit()
        self.client_seq = dict.fromkeys(self.keys, 0)
        people = {r.id: r for r in Resident.query.filter(Resident.id.in_(self.ids.people))}
        self.people = {pid: {"lat": r.lat, "lon": r.lon, "salt": r.home_code_salt, "code": self.ids.codes.get(pid)}
                       for pid, r in people.items()}
        rows = (Visit.query.filter(Visit.unit_id == self.ids.station, Visit.day >= self.first,
                                   Visit.day <= self.today, Visit.cancelled_at.is_(None))
                .order_by(Visit.day, Visit.start_time, Visit.id).all())
        carers = {a.visit_id: a.carer_id for a in VisitCarer.query.filter(
            VisitCarer.visit_id.in_([v.id for v in rows]), VisitCarer.unassigned_at.is_(None))} if rows else {}
        visits = [{"id": v.id, "resident_id": v.resident_id, "day": v.day, "start": _at(v.day, v.start_time, self.tz),
                   "slot": v.start_time, "minutes": v.planned_minutes, "item_ids": list(v.item_ids or []),
                   "carer_id": carers.get(v.id)} for v in rows if carers.get(v.id) in self.keys]
        past = [v for v in visits if v["day"] < self.today]
        what = self.exceptions(past)
        by_day = {}
        for v in past:
            if what.get(v["id"]) != "missed":
                by_day.setdefault((v["day"], v["carer_id"]), []).extend(self.visit_entries(v, what.get(v["id"])))
        for (day, carer_id), entries in sorted(by_day.items()):
            evening = max(_at(day, "20:00", self.tz), max(self.moment(e) for e in entries) + timedelta(minutes=5))
            evening += timedelta(minutes=self.rng.randint(0, 50))
            self.later(evening, lambda moment, c=carer_id, e=entries: self.push(moment, c, e))
        self.today_entries([v for v in visits if v["day"] == self.today])

    def exceptions(self, past):
        """{visit id: what went wrong} for the past visits: the missed ones (one last month, one in the last week),
        then disjoint random draws of SHARES' sizes."""
        what = {}
        last_month = [v for v in past if v["day"] <= self.last]
        recent = [v for v in past if v["day"] >= self.today - timedelta(days=6)] or past
        for pool in (last_month, recent):
            free = [v for v in pool if v["id"] not in what]
            if free:
                what[self.rng.choice(free)["id"]] = "missed"
        left = [v["id"] for v in past if v["id"] not in what]
        for kind, share in SHARES.items():
            size = max(2 if kind == "no_location" else 1, round(share * len(past)))
            for visit_id in self.rng.sample(left, min(size, len(left))):
                what[visit_id] = kind
            left = [i for i in left if i not in what]
        self.counts["missed"] = sum(1 for k in what.values() if k == "missed")
        return what

    def fix(self, person_id):
        home = self.people[person_id]
        return {"presence": "fix", "lat": geo.round_fix(home["lat"] + self.rng.uniform(-0.00018, 0.00018)),
                "lon": geo.round_fix(home["lon"] + self.rng.uniform(-0.00022, 0.00022)),
                "accuracy_m": self.rng.randint(10, 30)}

    def code(self, person_id, wrong=False):
        home = self.people[person_id]
        code = home["code"]
        if wrong:  # one digit mistyped
            code = code[:-1] + str((int(code[-1]) + 1 + self.rng.randint(0, 8)) % 10)
        return {"presence": "code", "code_hash": visit_rules.code_hash(home["salt"], code)}

    def visit_entries(self, v, kind=None):
        """The entries her phone made at one visit (time order): arrived, the items ticked, left -- or no access."""
        rng, start, visit_id = self.rng, v["start"], v["id"]
        if kind == "no_access":
            reason = "not_home" if self.counts["no_access"] % 2 == 0 else "refused"
            self.counts["no_access"] += 1
            at = start + timedelta(minutes=rng.randint(0, 8), seconds=rng.randint(0, 59))
            return [self.entry(v, at, kind="visit", status="no_access", reason=reason, values={"visit_id": visit_id})]
        arrive = start + timedelta(minutes=rng.randint(-6, 8), seconds=rng.randint(0, 59))
        if kind == "late":
            arrive = start + timedelta(minutes=rng.randint(20, 29), seconds=rng.randint(0, 59))
        stay = v["minutes"] + rng.randint(-6, 6)
        if kind == "long":
            stay = v["minutes"] + rng.randint(visit_rules.DURATION_OFF_MINUTES + 5, 40)
        leave = arrive + timedelta(minutes=stay, seconds=rng.randint(0, 59))
        if kind == "no_location":
            came = went = {"presence": "none", "presence_reason": "denied"}
        elif kind == "wrong_code":
            came, went = self.code(v["resident_id"], wrong=True), self.fix(v["resident_id"])
        else:
            came = self.code(v["resident_id"]) if rng.random() < CODE_SHARE else self.fix(v["resident_id"])
            went = self.code(v["resident_id"]) if came["presence"] == "code" else self.fix(v["resident_id"])
        if kind in self.counts:
            self.counts[kind] += 1
        if kind == "no_location":
            v["no_location"] = True
        family = v["resident_id"] in self.ids.family_beds
        left_values = dict(went, visit_id=visit_id,
                           confirmed_by="family" if rng.random() < (0.4 if family else 0.1) else "person")
        if kind == "long":
            left_values["duration_reason"] = rng.choice(LONG_REASONS)
        out = [self.entry(v, arrive, kind="visit", status="arrived", values=dict(came, visit_id=visit_id))]
        items = v["item_ids"]
        for n, item_id in enumerate(items):
            at = arrive + (leave - arrive) * (n + 1) / (len(items) + 1)
            out.append(self.entry(v, at.replace(microsecond=0), kind="tick", item_id=item_id, slot=v["slot"],
                                  status="done"))
        out.append(self.entry(v, leave, kind="visit", status="left", values=left_values))
        return out

    def entry(self, v, at, **fields):
        """An entry as her phone makes it, its id from its moment (numbered and signed as it is queued: push)."""
        carer_id = v["carer_id"]
        device_id, key_id, _secret = self.keys[carer_id]
        e = {"id": uuid7(math.floor(at.timestamp() * 1000)), "kind": fields.pop("kind"),
             "resident_id": v["resident_id"], "author_id": carer_id, "client_seq": None,
             "item_id": None, "day": v["day"], "slot": None, "status": None, "reason": None, "note": None,
             "category": None, "values": None, "supersedes": None, "device_id": device_id,
             "device_time": at.astimezone(self.tz).isoformat(), "key_id": key_id}
        e.update(fields)
        e["visit"] = v  # kept aside: taken off before the push
        return e

    def today_entries(self, visits):
        """Today: the visits over are done; of those under way, one has her arrival; the rest wait."""
        cutoff = self.now - timedelta(minutes=1)
        by_carer, under_way = {}, None
        for v in visits:
            entries = self.visit_entries(v)
            if all(self.moment(e) <= cutoff for e in entries):
                by_carer.setdefault(v["carer_id"], []).extend(entries)
            elif under_way is None and self.moment(entries[0]) <= cutoff:
                under_way = v
                by_carer.setdefault(v["carer_id"], []).extend(e for e in entries if self.moment(e) <= cutoff
                                                             and e["status"] != "left")
        self.counts["in_progress"] = 1 if under_way else 0
        for carer_id, entries in by_carer.items():
            self.later(cutoff, lambda moment, c=carer_id, e=entries: self.push(moment, c, e))

    def moment(self, entry):
        return datetime.fromisoformat(entry["device_time"])

    def push(self, moment, carer_id, entries):
        """One push of her phone: the server's clock `moment`, her phone's within a minute of it. Her phone numbers
        and signs each entry in turn (no gap in its numbers: the supervisor's device-gap scan reads them)."""
        device_id, _key_id, secret = self.keys[carer_id]
        carer = db.session.get(User, carer_id)
        device_now = (moment + timedelta(seconds=self.rng.randint(-40, 40))).astimezone(self.tz).isoformat()
        visits = {}
        entries.sort(key=self.moment)  # her outbox's order: as she made them (visits may overlap)
        for e in entries:
            v = e.pop("visit")
            visits[v["id"]] = v
            self.client_seq[carer_id] += 1
            e["client_seq"] = self.client_seq[carer_id]
            e["sig"] = signing.sign(secret, e)
        decisions, _epoch = sync.push(self.ctx(carer, moment, device_id), self.ids.post, len(entries), entries,
                                      self.vitals, self.master, device_now=device_now)
        refused = [(d.id, d.reason, d.fields) for d in decisions if d.status != "accepted"]
        if refused:
            raise RuntimeError(f"the demo's push was refused: {refused[:3]}")
        self.counts["pushes"] += 1
        self.counts["entries"] += len(entries)
        for v in visits.values():
            if v.get("no_location"):
                self.no_location_seen += 1
                if self.no_location_seen % round(1 / ACCEPTED_SHARE) == 1:  # the first, the third...
                    morning = datetime.combine(v["day"] + timedelta(days=1), time(9, 30), tzinfo=self.tz)
                    self.later(self.before_now(morning + timedelta(minutes=self.rng.randint(0, 40)), 240),
                               lambda at, visit_id=v["id"]: self.accept(at, visit_id))

    def accept(self, moment, visit_id):
        visit_service.accept_location(self.ctx(self.head, moment), visit_id,
                                      "护理员手机定位权限被关闭，已电话与老人核实护理员到访")
        self.counts["location_accepted"] += 1

    # -- 3. alarms ----------------------------------------------------------------------------------------------

    def alarms(self):
        people = self.ids.family_beds[:2]
        registered = _at(self.first, "10:00", self.tz)
        kinds = (("sos", "一键呼叫按钮（床头）"), ("fall", "跌倒报警器（卫生间）"))
        self.tokens = []
        for n, (person_id, (kind, label)) in enumerate(zip(people, kinds)):
            self.later(registered + timedelta(minutes=n), lambda at, p=person_id, k=kind, text=label: self.register(
                at, p, k, text))
        plan = [(self.first.replace(day=min(day, self.last.day)), hhmm, device, false, told, outcome)
                for day, hhmm, device, false, told, outcome in ALARM_PLAN]
        recent = max(self.today - timedelta(days=2), self.first)
        plan.append((recent, "16:20", 0, False, "已电话告知女儿", "老人胸闷，护理员上门陪同，家属送医后反馈无大碍"))
        for day, hhmm, device, false, told, outcome in plan:
            raised = _at(day, hhmm, self.tz)
            if raised + timedelta(hours=2) < self.now:  # answered and closed by now
                self.later(raised, lambda at, d=device, f=false, t=told, o=outcome: self.alarm(at, d, f, t, o))
        self.later(self.now - timedelta(minutes=4, seconds=self.rng.randint(0, 50)), lambda at: self.alarm(at, 0))

    def register(self, moment, person_id, kind, label):
        made = alarms.register_device(self.ctx(self.head, moment), person_id, {"kind": kind, "label": label})
        self.tokens.append((made["token"], kind))

    def alarm(self, raised, device, false=False, told=None, outcome=None):
        token, kind = self.tokens[device]
        received = raised + timedelta(seconds=self.rng.randint(2, 6))
        body = {"kind": kind, "at": raised.astimezone(self.tz).isoformat()}
        alarm_id, _repeat = alarms.intake(self.ctx(None, received), token, body)
        self.counts["alarms"] += 1
        if outcome is None:  # still open: nobody has answered yet
            self.counts["open_alarms"] += 1
            return
        at = received + timedelta(seconds=self.rng.randint(60, 360))
        alarms.add_step(self.ctx(self.head, at), alarm_id, "acknowledged", "已接警，正在电话联系老人")
        if not false:
            at += timedelta(minutes=self.rng.randint(2, 5))
            alarms.add_step(self.ctx(self.head, at), alarm_id, "family_told", told)
            at += timedelta(minutes=self.rng.randint(1, 3))
            alarms.add_step(self.ctx(self.head, at), alarm_id, "carer_sent", "已派护理员上门查看")
        at += timedelta(minutes=self.rng.randint(25, 60) if not false else self.rng.randint(2, 4))
        alarms.close(self.ctx(self.head, at), alarm_id, outcome, false)

    # -- 4. follow-up calls -------------------------------------------------------------------------------------

    def follow_ups(self):
        monday = self.first - timedelta(days=self.first.weekday())
        this_monday = self.today - timedelta(days=self.today.weekday())
        while monday < this_monday:
            at = _at(monday + timedelta(days=7), "10:00", self.tz)
            self.later(at, lambda moment, monday=monday: self.call_week(moment, monday))
            monday += timedelta(days=7)

    def call_week(self, moment, monday):
        sample = visit_service.follow_ups(self.head, self.ids.station, monday)
        for n, row in enumerate(v for v in sample["visits"] if v["in_sample"]):
            at = moment + timedelta(minutes=6 * n, seconds=self.rng.randint(0, 50))
            if at >= self.now:
                break
            if self.counts["follow_ups"] == 1:
                visit_service.record_follow_up(self.ctx(self.head, at), row["id"], "unreachable", "电话无人接听")
            else:
                visit_service.record_follow_up(self.ctx(self.head, at), row["id"], "confirmed",
                                               "老人确认护理员按时上门", answers=self.answers())
            self.counts["follow_ups"] += 1

    def answers(self):
        """The satisfaction questionnaire as the person answered it: satisfied, now and then only partly."""
        out = {}
        for section in visit_service.questionnaire()["sections"]:
            for question in section["questions"]:
                options = [o["value"] for o in question.get("options") or ()]
                if options:
                    out[question["id"]] = options[1] if self.rng.random() < 0.04 else options[0]
        return out

    # -- 5. last month confirmed and closed ---------------------------------------------------------------------

    def close_the_month(self):
        day = self.first
        while day <= self.last:
            morning = _at(day + timedelta(days=1), "08:30", self.tz) + timedelta(minutes=self.rng.randint(0, 40))
            self.later(self.before_now(morning, 300), lambda moment, day=day: self.confirm(moment, day))
            day += timedelta(days=1)
        # on the 1st, after the last day's confirmation (seeded earlier that morning: just before now, after it)
        self.later(self.before_now(_at(self.today.replace(day=1), "10:00", self.tz), 180), self.close)

    def confirm(self, moment, day):
        supervision.confirm(self.ctx(self.head, moment), self.ids.station, day, None, None)
        self.counts["days_confirmed"] += 1

    def close(self, moment):
        closed, _left = archive.close_month(self.ctx(self.head, moment), self.ids.station, self.first)
        self.counts["cards_closed"] = len(closed)
