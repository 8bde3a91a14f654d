"""What the history generator needs to know about a region, read back from its database: the organisation (by the
generator's naming), the feed counter, the tablets' client counters and the audit chain's head. Reading it back
(rather than keeping the builder's objects) lets `--reuse` extend an existing region by the days it lacks."""
from collections import defaultdict
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from backend.domain import audit_chain


def _local(day, hour, minute, tz):
    return (datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(tz)).astimezone(ZoneInfo("UTC"))
            .replace(tzinfo=None))


class Region:
    def __init__(self, conn, first_day, now):
        self.conn = conn
        self.first_day = first_day
        self.now_naive = now.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
        #: Day 0 of the assessment rhythm (fixed, so a top-up keeps it).
        self.epoch = first_day
        self.late_units = {}
        self.last_push = {}
        cur = conn.cursor()
        cur.execute('SELECT u.id, u.username, u.full_name, u.role, u.home_id, MIN(uu.unit_id) FROM "user" u '
                    'LEFT JOIN user_unit uu ON uu.user_id = u.id '
                    'GROUP BY u.id, u.username, u.full_name, u.role, u.home_id ORDER BY u.id')
        self.user_by_id = {r[0]: {"id": r[0], "username": r[1], "full_name": r[2], "role": r[3], "home_id": r[4],
                                  "unit_id": r[5]} for r in cur.fetchall()}
        users = {u["username"]: u for u in self.user_by_id.values()}
        cur.execute("SELECT id, name, timezone FROM home ORDER BY id")
        self.homes = []
        for hid, name, tz in cur.fetchall():
            code = f"h{hid:02d}"
            self.homes.append({"id": hid, "name": name, "timezone": tz, "code": code,
                               "planner": users[f"{code}-planner"], "planner_device": f"tab-{code}-planner"})
        home_by_id = {h["id"]: h for h in self.homes}
        cur.execute("SELECT id, home_id, name FROM unit ORDER BY id")
        self.units = []
        per_home = defaultdict(int)
        for uid, hid, name in cur.fetchall():
            home = home_by_id[hid]
            index = per_home[hid]
            per_home[hid] += 1
            code = f"{home['code']}-u{index + 1}"
            self.units.append({"id": uid, "home": home, "index": index, "name": name, "code": code,
                               "supervisor": users[f"{code}-supervisor"], "supervisor_device": f"pc-{code}"})
        self.unit_by_id = {u["id"]: u for u in self.units}
        cur.execute("SELECT p.id, p.unit_id, p.name, pp.device_id, pp.nurse_a, pp.nurse_b, pp.key_a, pp.key_b "
                    "FROM duty_post p JOIN bench_region.post_plan pp ON pp.post_id = p.id ORDER BY p.id")
        self.posts = []
        per_unit = defaultdict(int)
        for index, (pid, uid, name, device_id, a, b, key_a, key_b) in enumerate(cur.fetchall()):
            unit = self.unit_by_id[uid]
            p = per_unit[uid]
            per_unit[uid] += 1
            self.posts.append({"id": pid, "unit_id": uid, "unit": unit, "home": unit["home"], "name": name,
                               "index": index, "device_id": device_id, "nurse": self.user_by_id[a],
                               "night_nurse": self.user_by_id[b], "key_a": key_a, "key_b": key_b,
                               "address": f"10.{unit['home']['id']}.{unit['index'] + 1}.{p + 1}"})
        self.post_by_id = {p["id"]: p for p in self.posts}
        cur.execute("SELECT id, unit_id, post_id, care_group FROM resident WHERE active ORDER BY id")
        self.residents = [{"id": r[0], "unit_id": r[1], "post_id": r[2], "care_group": r[3]} for r in cur.fetchall()]
        self.unit_residents = defaultdict(list)
        cur.execute("SELECT unit_id, id FROM resident WHERE active ORDER BY room, bed, full_name")
        for unit_id, rid in cur.fetchall():
            self.unit_residents[unit_id].append(rid)
        self.addresses = {p["device_id"]: p["address"] for p in self.posts}
        for h in self.homes:
            self.addresses[h["planner_device"]] = f"10.{h['id']}.0.2"
        cur.execute("SELECT id, user_id, device_id FROM signing_key")
        self.planner_key = {}
        planner_devices = {h["planner_device"]: h["planner"]["id"] for h in self.homes}
        for key_id, user_id, device_id in cur.fetchall():
            if planner_devices.get(device_id) == user_id:
                self.planner_key[device_id] = key_id
        cur.execute("SELECT seq FROM sync_state WHERE id = 1")
        self.seq = cur.fetchone()[0]
        # A load run may have pushed from the tablets since: continue after the highest number either side knows.
        cur.execute("SELECT dc.device_id, greatest(dc.n, coalesce(d.max_client_seq, 0)) FROM bench_region.device_counter dc "
                    "LEFT JOIN device d ON d.id = dc.device_id")
        self.counters = dict(cur.fetchall())
        cur.execute("SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1")
        row = cur.fetchone()
        self.audit_head = row[0] if row else audit_chain.GENESIS

    def address(self, device_id):
        return self.addresses.get(device_id)

    def device_seen(self, device_id, at, user_id):
        last = self.last_push.get(device_id)
        if last is None or at >= last[0]:
            self.last_push[device_id] = (at, user_id)

    def allocate(self, n):
        first = self.seq + 1
        self.seq += n
        return first

    def card_events(self, cur, day, audit):
        """Cards published on the 25th for the next month (by the home's planner) and a month's cards closed on
        the 5th of the next (by the unit's supervisor): each takes new feed numbers, as the app's writes do."""
        from .history import _row
        if day.day == 25:
            month = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
            cur.execute("SELECT c.id, r.unit_id FROM care_card c JOIN resident r ON r.id = c.resident_id "
                        "WHERE c.month = %s AND c.seq = 0 ORDER BY c.id", (month,))
            cards = cur.fetchall()
            if cards:
                first = self.allocate(len(cards))
                cur.execute("UPDATE care_card SET seq = %s + x.n - 1 FROM (SELECT id, row_number() OVER (ORDER BY id) AS n "
                            "FROM care_card WHERE month = %s AND seq = 0) x WHERE care_card.id = x.id",
                            (first, month))
                for n, (card_id, unit_id) in enumerate(cards):
                    home = self.unit_by_id[unit_id]["home"]
                    at = _local(day, 10, 0, home["timezone"]) + timedelta(seconds=n % 3600)
                    audit.append(_row(at, home["planner"], None, None, "card_publish", "care_card", card_id))
        if day.day == 5:
            month = (day.replace(day=1) - timedelta(days=1)).replace(day=1)
            cur.execute("SELECT c.id, c.resident_id, r.unit_id FROM care_card c JOIN resident r ON r.id = c.resident_id "
                        "WHERE c.month = %s AND c.status = 'published' ORDER BY c.id", (month,))
            cards = cur.fetchall()
            if cards:
                first = self.allocate(len(cards))
                rows = []
                for n, (card_id, resident_id, unit_id) in enumerate(cards):
                    unit = self.unit_by_id[unit_id]
                    at = _local(day, 11, 0, unit["home"]["timezone"]) + timedelta(seconds=n % 3600)
                    rows.append((first + n, at, unit["supervisor"]["id"], at, unit["supervisor"]["id"], card_id))
                    audit.append(_row(at, unit["supervisor"], unit["supervisor_device"], None, "card_close",
                                      "care_card", card_id, {"resident_id": resident_id,
                                                             "month": month.isoformat()}))
                cur.executemany("UPDATE care_card SET status = 'closed', seq = %s, closed_at = %s, closed_by = %s, "
                                "updated_at = %s, updated_by = %s WHERE id = %s", rows)
