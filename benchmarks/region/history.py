"""The region's history, one care day per statement, generated inside PostgreSQL.

Each day is one `INSERT ... SELECT` over the slot plan (every slot of every card item of every resident of the
month, `bench_region.slot_plan`) with computed columns, plus the day's notes and condition reports, the late
entries of the day before, the planners' assessments (made in Python with the app's form engine and staged), and
the supervisors' confirmations of the day before, all numbered from the feed in one order. One more statement per
day appends the audit rows (made in Python: the log is a hash chain). See generate.py's docstring for the mix.
"""
import json
import queue
import random
import threading
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from backend.demo import assessments as demo_assessments
from backend.domain import audit_chain, forms
from backend.domain import entries as entry_rules
from backend.services.ids import uuid7

STAGE_DDL = """
CREATE UNLOGGED TABLE IF NOT EXISTS bench_region.stage (
    id text, kind text, resident_id int, unit_id int, item_id int, day date, slot text, status text, reason text,
    note text, "values" json, flags json, category text, supersedes text, author_id int, pushed_by int,
    device_id text, client_seq int, device_time text, received_at timestamp, payload_hash text, key_id text,
    signature text, score json);
CREATE UNLOGGED TABLE IF NOT EXISTS bench_region.conf_stage (
    unit_id int, resident_id int, day date, confirmed_by int, confirmed_at timestamp, note text);
CREATE TABLE IF NOT EXISTS bench_region.condition_log (resident_id int, day date);
"""

#: Notes a nurse writes (about one resident in three a day).
NOTES = ["Спала спокойно, жалоб нет.", "Аппетит снижен, съела половину порции.", "Беспокойна вечером, успокоилась после беседы.", "Жалуется на боль в коленях, сообщено старшей медсестре.", "Навещали родственники.",
         "Гуляла по отделению с ходунками.", "Отказалась от полдника, предложен чай.", "Кожа в области крестца без изменений.", "Принимала участие в групповом занятии.", "Ночью просыпалась, просила воды.",
         "Настроение хорошее, общалась с соседями.", "Стул был, без особенностей.", "Сменено постельное бельё.",
         "Жалоб не предъявляет.", "Попросила позвонить дочери, звонок состоялся."]
CONDITIONS = [("acute_illness", "Повышение температуры до 37,8, кашель. Вызван врач."),
              ("fall", "Найдена на полу у кровати, ушиб локтя. Осмотрена, сообщено врачу."),
              ("mobility_decline", "Не может встать без помощи двух человек, раньше вставала сама."),
              ("weight_or_appetite", "Третий день отказывается от еды."),
              ("mental_or_behaviour", "Дезориентирована, не узнаёт персонал."),
              ("skin", "Покраснение в области пяток, не проходит после смены положения."),
              ("improvement", "Стала самостоятельно есть ложкой."),
              ("after_hospital", "Вернулась из больницы, выписка передана врачу.")]
OTHER_REASON_NOTE = "Отказ по самочувствию, сообщено старшей медсестре"
NEED = demo_assessments.NEED
ASSESSMENTS = demo_assessments.ASSESSMENTS

# The day's entries. Parameters: day, month, isodow, a_days (nurse A on the day shift), late_posts, base (first
# feed number), now (naive UTC: nothing is received later). Tables: bench_region.* (structure.PLAN_DDL, STAGE_DDL).
DAY_SQL = r"""
WITH
cand AS MATERIALIZED (
    SELECT sp.resident_id, sp.post_id, sp.unit_id, sp.item_id, sp.slot, sp.vcode, pp.device_id, pp.tz,
           pp.dev_offset, least(1439, sp.lo + floor(random() * sp.span)::int) AS m,
           random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5, random() AS r6,
           random() AS r7, random() AS r8, pp.nurse_a, pp.nurse_b, pp.key_a, pp.key_b
    FROM bench_region.slot_plan sp JOIN bench_region.post_plan pp USING (post_id)
    WHERE sp.month = %(month)s AND (sp.dow IS NULL OR %(isodow)s = ANY (sp.dow))
      AND (sp.valid_from IS NULL OR sp.valid_from <= %(day)s) AND (sp.valid_to IS NULL OR sp.valid_to >= %(day)s)
),
ext AS MATERIALIZED (
    SELECT rp.resident_id, rp.post_id, rp.unit_id, pp.device_id, pp.tz, pp.dev_offset,
           420 + floor(random() * 900)::int AS m, random() AS r1, random() AS r2, random() AS r3, random() AS r4,
           pp.nurse_a, pp.nurse_b, pp.key_a, pp.key_b
    FROM bench_region.resident_plan rp JOIN bench_region.post_plan pp USING (post_id)
),
made AS (
    SELECT c.*, date_trunc('milliseconds', (%(day)s::date + make_interval(secs => c.m * 60 + c.r2 * 59.99))
                                          AT TIME ZONE c.tz) AS at,
           ((c.m >= 480 AND c.m < 1200) = %(a_days)s) AS by_a,
           CASE c.vcode WHEN 1 THEN (CASE WHEN c.r4 < 0.05 THEN 140 + floor(c.r5 * 30) ELSE 100 + floor(c.r5 * 39) END)
                        WHEN 2 THEN round((CASE WHEN c.r4 < 0.03 THEN 37.1 + c.r5 * 1.2 ELSE 36.0 + c.r5 * 0.95 END)
                                          ::numeric, 1)
                        WHEN 3 THEN (CASE WHEN c.r4 < 0.04 THEN 90 + floor(c.r5 * 5) ELSE 95 + floor(c.r5 * 5) END)
           END::numeric AS va,
           (60 + floor(c.r6 * 28) + CASE WHEN c.r4 < 0.05 THEN 8 ELSE 0 END)::int AS vb,
           (CASE WHEN c.r7 > 0.975 THEN 101 + floor(c.r8 * 15) ELSE 60 + floor(c.r8 * 39) END)::int AS vc
    FROM cand c WHERE c.r1 >= 0.012
),
ticks AS MATERIALIZED (
    SELECT lpad(to_hex((extract(epoch FROM at) * 1000)::bigint >> 16), 8, '0') || '-'
             || lpad(to_hex((extract(epoch FROM at) * 1000)::bigint & 65535), 4, '0') || '-7'
             || lpad(to_hex(floor(random() * 4096)::int), 3, '0') || '-'
             || to_hex(32768 + floor(random() * 16384)::int) || '-'
             || lpad(to_hex(floor(random() * 281474976710656)::bigint), 12, '0') AS id,
           CASE WHEN vcode > 0 THEN 'vitals' ELSE 'tick' END AS kind, resident_id, unit_id, item_id, slot,
           CASE WHEN vcode > 0 THEN NULL WHEN r3 < 0.05 THEN 'not_done' ELSE 'done' END AS status,
           CASE WHEN vcode > 0 OR r3 >= 0.05 THEN NULL WHEN r3 < 0.02 THEN 'asleep' WHEN r3 < 0.035 THEN 'refused'
                WHEN r3 < 0.042 THEN 'absent' WHEN r3 < 0.045 THEN 'hospital' WHEN r3 < 0.048 THEN 'not_needed'
                ELSE 'other' END AS reason,
           CASE WHEN vcode = 0 AND r3 >= 0.048 AND r3 < 0.05 THEN %(other_note)s END AS note,
           CASE vcode WHEN 1 THEN '{"bp_systolic": ' || va || ', "bp_diastolic": ' || vb || ', "pulse": ' || vc || '}'
                      WHEN 2 THEN '{"temperature": ' || va || '}'
                      WHEN 3 THEN '{"spo2": ' || va || '}' END AS vals,
           CASE vcode WHEN 1 THEN nullif(concat_ws(', ', CASE WHEN va > 139 THEN '"bp_systolic": "high"' END,
                                                   CASE WHEN vb > 89 THEN '"bp_diastolic": "high"' END,
                                                   CASE WHEN vc > 100 THEN '"pulse": "high"' END), '')
                      WHEN 2 THEN CASE WHEN va > 37.0 THEN '"temperature": "high"'
                                       WHEN va < 35.9 THEN '"temperature": "low"' END
                      WHEN 3 THEN CASE WHEN va < 95 THEN '"spo2": "low"' END END AS flagtext,
           NULL::text AS category, NULL::text AS supersedes,
           CASE WHEN by_a THEN nurse_a ELSE nurse_b END AS author_id,
           CASE WHEN by_a THEN key_a ELSE key_b END AS key_id,
           device_id, tz, dev_offset, at, (post_id = ANY (%(late_posts)s::int[]) AND m >= 1320) AS late,
           (vcode = 0 AND r3 >= 0.9975) AS corrected
    FROM made
),
notes AS (
    SELECT e.*, date_trunc('milliseconds', (%(day)s::date + make_interval(secs => e.m * 60 + e.r2 * 59.99))
                                           AT TIME ZONE e.tz) AS at,
           ((e.m >= 480 AND e.m < 1200) = %(a_days)s) AS by_a
    FROM ext e WHERE e.r1 < 0.3 OR e.r3 < 0.003
),
dayrows AS (
    SELECT id, kind, resident_id, unit_id, item_id, slot, status, reason, note, vals, flagtext, category,
           supersedes, author_id, key_id, device_id, tz, dev_offset, at, late FROM ticks
    UNION ALL  -- a nurse corrects a mis-tick a few minutes later (the correction supersedes it)
    SELECT lpad(to_hex((extract(epoch FROM at) * 1000 + 180000)::bigint >> 16), 8, '0') || '-'
             || lpad(to_hex((extract(epoch FROM at) * 1000 + 180000)::bigint & 65535), 4, '0') || '-7'
             || lpad(to_hex(floor(random() * 4096)::int), 3, '0') || '-'
             || to_hex(32768 + floor(random() * 16384)::int) || '-'
             || lpad(to_hex(floor(random() * 281474976710656)::bigint), 12, '0'),
           'tick', resident_id, unit_id, item_id, slot, 'not_done', 'refused', NULL, NULL, NULL, NULL, id,
           author_id, key_id, device_id, tz, dev_offset, at + interval '3 minutes', late
    FROM ticks WHERE corrected
    UNION ALL
    SELECT lpad(to_hex((extract(epoch FROM at) * 1000)::bigint >> 16), 8, '0') || '-'
             || lpad(to_hex((extract(epoch FROM at) * 1000)::bigint & 65535), 4, '0') || '-7'
             || lpad(to_hex(floor(random() * 4096)::int), 3, '0') || '-'
             || to_hex(32768 + floor(random() * 16384)::int) || '-'
             || lpad(to_hex(floor(random() * 281474976710656)::bigint), 12, '0'),
           CASE WHEN r3 < 0.003 THEN 'condition' ELSE 'note' END, resident_id, unit_id, NULL, NULL, NULL, NULL,
           CASE WHEN r3 < 0.003 THEN (%(condition_notes)s::text[])[1 + floor(r4 * %(n_conditions)s)::int]
                ELSE (%(notes)s::text[])[1 + floor(r4 * %(n_notes)s)::int] END,
           NULL, NULL,
           CASE WHEN r3 < 0.003 THEN (%(condition_categories)s::text[])[1 + floor(r4 * %(n_conditions)s)::int] END,
           NULL, CASE WHEN by_a THEN nurse_a ELSE nurse_b END, CASE WHEN by_a THEN key_a ELSE key_b END,
           device_id, tz, dev_offset, at, (post_id = ANY (%(late_posts)s::int[]) AND m >= 1320)
    FROM notes
),
numbered AS MATERIALIZED (
    SELECT d.*, dc.n + row_number() OVER (PARTITION BY d.device_id ORDER BY d.at, d.id) AS client_seq,
           to_char(d.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS device_time,
           CASE WHEN d.late
                THEN ((%(day)s::date + 1)::timestamp + interval '10 hours' + make_interval(secs => d.dev_offset * 10))
                     AT TIME ZONE d.tz AT TIME ZONE 'UTC'
                ELSE least(%(now)s::timestamp, to_timestamp((floor(extract(epoch FROM d.at) / 1800) + 1) * 1800
                                                            + d.dev_offset) AT TIME ZONE 'UTC') END AS received_at,
           encode(h.digest, 'hex') AS payload_hash,
           rtrim(translate(encode(h.digest, 'base64'), '+/', '-_'), '=') AS signature
    FROM dayrows d JOIN bench_region.device_counter dc USING (device_id),
         LATERAL (SELECT sha256(convert_to(d.id || '/' || d.key_id, 'UTF8')) AS digest) h
),
ev AS (
    SELECT x.*, %(base)s + row_number() OVER (ORDER BY x.received_at, x.device_id, x.client_seq) - 1 AS seq
    FROM (
        SELECT 'e' AS typ, id, kind, resident_id, unit_id, item_id, %(day)s::date AS day, slot, status, reason,
               note, vals::json AS vals, ('{' || flagtext || '}')::json AS flags, category, supersedes, author_id,
               device_id, client_seq::int AS client_seq, device_time, received_at, false AS late, payload_hash,
               key_id, signature, NULL::json AS score, NULL::int AS confirmed_by
        FROM numbered WHERE NOT late
        UNION ALL
        SELECT 'e', s.id, s.kind, s.resident_id, s.unit_id, s.item_id, s.day, s.slot, s.status, s.reason, s.note,
               s."values", s.flags, s.category, s.supersedes, s.author_id, s.device_id, s.client_seq,
               s.device_time, s.received_at,
               EXISTS (SELECT 1 FROM bench_region.conf_stage c WHERE c.unit_id = s.unit_id AND c.day = s.day
                       AND c.resident_id IS NULL AND c.confirmed_at < s.received_at),
               s.payload_hash, s.key_id, s.signature, s.score, NULL
        FROM bench_region.stage s
        UNION ALL
        SELECT 'c', NULL, NULL, c.resident_id, c.unit_id, NULL, c.day, NULL, NULL, NULL, c.note, NULL, NULL, NULL,
               NULL, NULL, '', 0, NULL, c.confirmed_at, false, NULL, NULL, NULL, NULL, c.confirmed_by
        FROM bench_region.conf_stage c
    ) x
),
ins_entries AS (
    INSERT INTO entry (id, seq, kind, resident_id, unit_id, item_id, day, slot, status, reason, note, "values",
                       flags, category, supersedes, author_id, pushed_by, device_id, client_seq, device_time,
                       received_at, late_after_confirmation, amendment_reason, payload_hash, key_id, signature,
                       from_revoked_device, score)
    SELECT id, seq, kind, resident_id, unit_id, item_id, day, slot, status, reason, note, vals, flags, category,
           supersedes, author_id, author_id, device_id, client_seq, device_time, received_at, late, NULL,
           payload_hash, key_id, signature, false, score
    FROM ev WHERE typ = 'e'
),
ins_confirmations AS (
    INSERT INTO day_confirmation (seq, unit_id, resident_id, day, confirmed_by, confirmed_at, note)
    SELECT seq, unit_id, resident_id, day, confirmed_by, received_at, note FROM ev WHERE typ = 'c'
),
unstage AS (DELETE FROM bench_region.stage),
stage_late AS (
    INSERT INTO bench_region.stage (id, kind, resident_id, unit_id, item_id, day, slot, status, reason, note,
                                    "values", flags, category, supersedes, author_id, pushed_by, device_id,
                                    client_seq, device_time, received_at, payload_hash, key_id, signature)
    SELECT id, kind, resident_id, unit_id, item_id, %(day)s::date, slot, status, reason, note, vals::json,
           ('{' || flagtext || '}')::json, category, supersedes, author_id, author_id, device_id, client_seq,
           device_time, received_at, payload_hash, key_id, signature
    FROM numbered WHERE late
),
count_devices AS (
    UPDATE bench_region.device_counter dc SET n = dc.n + x.n
    FROM (SELECT device_id, count(*) AS n FROM numbered GROUP BY device_id) x WHERE dc.device_id = x.device_id
),
log_conditions AS (
    INSERT INTO bench_region.condition_log SELECT resident_id, %(day)s::date FROM numbered WHERE kind = 'condition'
)
SELECT device_id, received_at, author_id, count(*), array_agg(id ORDER BY seq),
       array_agg(id ORDER BY seq) FILTER (WHERE late), min(seq), max(seq)
FROM ev WHERE typ = 'e' GROUP BY device_id, received_at, author_id ORDER BY min(seq)
"""


class History:
    """Fills the days first..last (inclusive) of a region built by structure.Builder (or read back from the
    database by `Region.load`)."""

    def __init__(self, conn, region, log=print, seed=2026, audit_conninfo=None):
        self.conn = conn
        self.region = region
        self.log = log
        self.seed = seed
        self.definitions = {form_id: forms.load(form_id) for form_id in ASSESSMENTS}
        self.totals = {"entries": 0, "audit": 0, "confirmations": 0}
        self.audit = AuditWriter(audit_conninfo, region.audit_head) if audit_conninfo else None

    def close(self):
        """Wait for the audit rows still being written (raises what the writer raised)."""
        if self.audit is not None:
            self.region.audit_head = self.audit.close()
            self.audit = None

    def _audit(self, rows):
        self.totals["audit"] += len(rows)
        if self.audit is not None:
            self.audit.submit(rows)
        else:
            self.region.audit_head = write_audit(self.conn, self.region.audit_head, rows)

    # -- one day -----------------------------------------------------------------------------------------------
    def day(self, day, last_day, today):
        """Generate care day `day`: its entries, the late entries and confirmations of the day before."""
        reg = self.region
        rng = random.Random(f"{self.seed}/{day.isoformat()}")
        cur = self.conn.cursor()
        cur.execute("SELECT setseed(%s)", (rng.random() * 2 - 1,))
        audit = []
        reg.card_events(cur, day, audit)
        # The day before: each unit's day confirmed in the morning (a few recent days left open), confirmed again
        # in the afternoon when late entries came after it.
        before = day - timedelta(days=1)
        confirms = []
        if before >= reg.first_day:
            recent = before >= today - timedelta(days=20)
            for unit in reg.units:
                if recent and rng.random() < 0.03:
                    continue
                sup = unit["supervisor"]
                tz = unit["home"]["timezone"]
                at = _local(day, 9, 0, tz) + timedelta(minutes=3 * unit["index"], seconds=rng.randint(0, 59))
                confirms.append((unit, sup, at, None))
                if unit["id"] in reg.late_units.get(before, ()) and (not recent or rng.random() < 0.6):
                    confirms.append((unit, sup, _local(day, 14, 0, tz) + timedelta(minutes=rng.randint(0, 50)),
                                     "Поздние записи ночной смены проверены"))
        cur.execute("DELETE FROM bench_region.conf_stage")
        if confirms:
            with cur.copy("COPY bench_region.conf_stage (unit_id, resident_id, day, confirmed_by, confirmed_at, note) "
                          "FROM STDIN") as copy:
                for unit, sup, at, note in confirms:
                    copy.write_row((unit["id"], None, before, sup["id"], at, note))
        # Tablets offline after 22:00 on this day: their night entries arrive tomorrow, after the confirmation.
        late_posts = [p["id"] for p in reg.posts if day < last_day and rng.random() < 0.03]
        reg.late_units[day] = {reg.post_by_id[p]["unit_id"] for p in late_posts}
        self._assessments(cur, day, rng)
        base = reg.seq + 1
        a_days = ((day - reg.first_day).days // 7) % 2 == 0
        cur.execute(DAY_SQL, {
            "day": day, "month": day.replace(day=1), "isodow": day.isoweekday(), "a_days": a_days,
            "late_posts": late_posts, "base": base, "now": reg.now_naive, "other_note": OTHER_REASON_NOTE,
            "notes": NOTES, "n_notes": len(NOTES), "condition_notes": [c[1] for c in CONDITIONS],
            "condition_categories": [c[0] for c in CONDITIONS], "n_conditions": len(CONDITIONS)})
        pushes = cur.fetchall()
        entries = sum(p[3] for p in pushes)
        used = entries + len(confirms)
        reg.seq += used
        for device_id, received, author_id, _n, ids, late_ids, _lo, _hi in pushes:
            user = reg.user_by_id[author_id]
            reg.device_seen(device_id, received, author_id)
            audit.append(_row(received, user, device_id, reg.address(device_id), "entries_push", "device", device_id,
                              {"accepted": ids, "late": late_ids or [], "rejected": []}))
        # Shift starts: the nurse unlocks the post's tablet with her PIN (a session; no new key).
        for post in reg.posts:
            day_nurse, night_nurse = ((post["nurse"], post["night_nurse"]) if a_days
                                      else (post["night_nurse"], post["nurse"]))
            tz = post["home"]["timezone"]
            for nurse, hour in ((day_nurse, 8), (night_nurse, 20)):
                at = _local(day, hour - 1, 50, tz) + timedelta(seconds=post["index"] % 600)
                if at <= reg.now_naive:
                    audit.append(_row(at, nurse, post["device_id"], reg.address(post["device_id"]), "unlock", "user",
                                      nurse["id"]))
        if confirms:
            cur.execute("SELECT id, unit_id, day, confirmed_at FROM day_confirmation WHERE seq BETWEEN %s AND %s "
                        "ORDER BY seq", (base, base + used - 1))
            for conf_id, unit_id, conf_day, at in cur.fetchall():
                unit = reg.unit_by_id[unit_id]
                sup = unit["supervisor"]
                audit.append(_row(at - timedelta(minutes=2), sup, unit["supervisor_device"], None, "read",
                                  "unit_day", unit_id, {"day": conf_day.isoformat(),
                                                        "residents": reg.unit_residents[unit_id]}))
                audit.append(_row(at, sup, unit["supervisor_device"], None, "day_confirm", "day_confirmation",
                                  conf_id, {"unit_id": unit_id, "resident_id": None, "day": conf_day.isoformat()}))
        self._audit(audit)
        self.totals["entries"] += entries
        self.totals["confirmations"] += len(confirms)
        return entries

    def _assessments(self, cur, day, rng):
        """The planners' assessments of the day: each resident is reassessed with every form every 90 days."""
        reg = self.region
        rows = []
        for r in reg.residents:
            if (r["id"] * 7 + (day - reg.epoch).days) % 90:
                continue
            home = reg.post_by_id[r["post_id"]]["home"]
            planner, device_id = home["planner"], home["planner_device"]
            tz = ZoneInfo(home["timezone"])
            start = datetime.combine(day, time(10, 0), tzinfo=tz) + timedelta(minutes=rng.randint(0, 300))
            batch = []
            for n, form_id in enumerate(ASSESSMENTS):
                definition = self.definitions[form_id]
                answers = demo_assessments._answers(definition, NEED[r["care_group"]], rng)
                if forms.validate(definition, answers):
                    continue
                at = start + timedelta(minutes=4 * n, seconds=rng.randint(0, 59))
                ms = int(at.timestamp() * 1000)
                reg.counters[device_id] += 1
                e = {"id": uuid7(ms), "kind": "assessment", "resident_id": r["id"], "unit_id": r["unit_id"],
                     "item_id": None, "day": day, "slot": None, "status": None, "reason": None, "note": None,
                     "values": answers, "category": form_id, "supersedes": None, "author_id": planner["id"],
                     "device_id": device_id, "client_seq": reg.counters[device_id],
                     "device_time": at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")}
                e["score"] = entry_rules.assessment_score(e, definition)
                batch.append(e)
            if batch:
                pushed = min(reg.now_naive, datetime.fromisoformat(batch[-1]["device_time"])
                             .astimezone(UTC).replace(tzinfo=None) + timedelta(seconds=30))
                for e in batch:
                    e["received_at"] = pushed
                rows.extend(batch)
        if not rows:
            return
        with cur.copy("COPY bench_region.stage (id, kind, resident_id, unit_id, item_id, day, slot, status, reason, "
                      "note, \"values\", flags, category, supersedes, author_id, pushed_by, device_id, client_seq, "
                      "device_time, received_at, payload_hash, key_id, signature, score) FROM STDIN") as copy:
            for e in rows:
                from backend.domain import sync as sync_rules
                digest = sync_rules.payload_hash(e)
                copy.write_row((e["id"], e["kind"], e["resident_id"], e["unit_id"], None, e["day"], None, None,
                                None, None, json.dumps(e["values"], ensure_ascii=False), None, e["category"], None,
                                e["author_id"], e["author_id"], e["device_id"], e["client_seq"], e["device_time"],
                                e["received_at"], digest, reg.planner_key[e["device_id"]],
                                _placeholder_signature(e["id"]), json.dumps(e["score"], ensure_ascii=False)))


def write_audit(conn, head, rows):
    """Append rows to the audit log as the app does (audit.record_many): in time order, each row's hash chained to
    the previous one. Returns the new head."""
    if not rows:
        return head
    rows.sort(key=lambda r: r["at"])
    head = audit_chain.extend(head, rows)
    with conn.cursor().copy("COPY audit_event (at, actor_id, role, device_id, address, action, object_type, "
                            "object_id, detail, prev_hash, hash) FROM STDIN") as copy:
        for r in rows:
            copy.write_row((r["at"], r["actor_id"], r["role"], r["device_id"], r["address"], r["action"],
                            r["object_type"], r["object_id"],
                            None if r["detail"] is None else json.dumps(r["detail"], ensure_ascii=False),
                            r["prev_hash"], r["hash"]))
    return head


class AuditWriter:
    """Writes each day's audit rows on a connection and thread of its own while the next day's entries are made
    (the chain's hashes and the COPY are Python work; the entries' SQL runs in PostgreSQL meanwhile)."""

    def __init__(self, conninfo, head):
        import psycopg
        self.conn = psycopg.connect(conninfo)
        self.conn.execute("SET synchronous_commit = off")
        self.head = head
        self.error = None
        self.queue = queue.Queue(maxsize=2)
        self.thread = threading.Thread(target=self._run, name="region-audit", daemon=True)
        self.thread.start()

    def _run(self):
        while True:
            rows = self.queue.get()
            if rows is None:
                return
            if self.error is not None:
                continue
            try:
                self.head = write_audit(self.conn, self.head, rows)
                self.conn.commit()
            except Exception as exc:  # noqa: BLE001 -- reported by submit() or close()
                self.error = exc

    def submit(self, rows):
        if self.error is not None:
            raise self.error
        self.queue.put(rows)

    def close(self):
        self.queue.put(None)
        self.thread.join()
        self.conn.close()
        if self.error is not None:
            raise self.error
        return self.head


def _placeholder_signature(entry_id):
    import base64
    import hashlib
    return base64.urlsafe_b64encode(hashlib.sha256(f"{entry_id}/sig".encode()).digest()).rstrip(b"=").decode()


def _local(day, hour, minute, tz):
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(tz)).astimezone(UTC).replace(tzinfo=None)


def _row(at, user, device_id, address, action, object_type, object_id, detail=None):
    return {"at": at, "actor_id": user["id"], "role": user["role"], "device_id": device_id, "address": address,
            "action": action, "object_type": object_type, "object_id": None if object_id is None else str(object_id),
            "detail": detail}
