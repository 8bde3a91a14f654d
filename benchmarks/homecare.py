"""Home care (issue 18, section 6): the carer's phone in headless Chromium at 360 x 740 with its CPU slowed 4x through
the Chrome DevTools Protocol (`Emulation.setCPUThrottlingRate`, and unthrottled for reference), her pull and her
day's outbox over a slow link (`Network.emulateNetworkConditions`: 400 ms round trip, 400 kbit/s each way), and the
dispatcher's board of a station's day.

The world: `bedside demo --no-history --no-community`, then the demo community centre (backend/demo/community.py
`seed_community`) grown here (`seed_world`): carer1 with a caseload of 25 new people, carer2 with the demo's 20, and
bench carers (hcarerNN) with 25 people each, every person visited about three times a week at her own time (about
10 visits a day a carer); the cards of the months concerned and the visits from two weeks ago to a week ahead
(generated from the cards by the visits service, as `plan_the_week` does); every visit before today done (arrival,
its items ticked, vital signs, now and then a note, departure). At the full size the station has about 300 visits a
day.

- Her first pull: carer1's cursor-0 pull (her 25 people, their cards, two weeks of their entries, her visits from
  yesterday to a week ahead, the catalogue), its bytes gzipped as the server sends them; and timed in the browser on
  the slow link: a fresh phone signs in and chooses the station's post, the app's measure `bedside:pull`.
- Offline cold start: carer1's phone set up online (she signs in with her password, chooses the post, "My visits"
  shows), then every request fails (`context.route` aborts them, the service worker's too) and the browser is
  opened again on that profile: from navigation start to her stops drawn on "My visits" (their buttons' handlers are
  attached as they are made) and to the next painted frame.
- An arrival saved without a location: on "My visits" she taps "Arrive" (the phone's location never answers: the
  geolocation API is replaced by one that is still looking) and then "Save without location"; each tap a touch down
  and up through CDP, timed from the lift to the entry committed to IndexedDB (the app's mark `bedside:recorded`),
  to the visit drawn as arrived, and to the next painted frame. On fresh phones of the bench carers, stop after stop.
- A day's outbox: carer1's 10 visits of today recorded offline through the app's own `record` (lib/outbox.js), 8
  entries each (arrival, three items ticked, two measurements, a note, departure), then the slow link is back and she
  taps "Sync now": the time until the outbox is empty.
- The dispatcher's board: `GET /api/visits/board` of the station for yesterday (every visit done) and for today,
  from Python (gzip accepted, as a browser), p50 / p95; and the board screen (views/dispatch.js) in an unthrottled
  desktop browser: a tap on "Refresh" to the board drawn and painted.
- Lighthouse (the npm package of benchmarks/lighthouse/) on the carer's screens at 360 x 740, signed in as a bench
  carer: "My visits" and a person's card.

    .venv/bin/python -m benchmarks.homecare [--size tiny|quick|full] [--json FILE]

No timed assertions: the run fails only on wrong answers (an arrival not stored, an outbox not emptied or an entry
refused, a pull without her people, a board without the day's visits).
"""
import argparse
import gzip
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import requests
from playwright.sync_api import expect, sync_playwright

from . import lighthouse
from .server import CSRF, REPO, BenchmarkError, HttpClient, Server
from .tablet import (ARM_PUSH_JS, CHROMIUM, CHROMIUM_ARGS, RESOURCES_JS, SERVER_ENV, _rates_for, _stats, cut,
                     page_of, sync_state, throttle, wait_synced)

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
THROTTLE = 4
RATES = (THROTTLE, 1)
TIMEOUT = 60_000
#: The slow link: 400 ms round trip, 400 kbit/s down and up (bytes per second for the DevTools Protocol).
LINK = {"offline": False, "latency": 400, "downloadThroughput": 400_000 // 8, "uploadThroughput": 400_000 // 8}
NO_LINK_LIMIT = {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
TARGETS = {"cold_start_ms": 1000, "arrival_p95_ms": 50, "pull_gzip": 60 * 1024, "pull_people": 25, "pull_ms": 3000,
           "outbox_s": 5.0, "outbox_visits": 10, "outbox_entries": 80, "board_p95_ms": 300, "board_visits": 300,
           "lighthouse": {"performance": 95, "accessibility": 100}}
#: Entries a visit of the day's outbox makes: arrival, three items, two measurements, a note, departure.
OUTBOX_PER_VISIT = 8

SIZES = {
    # caseloads (carers; 29 make a little over 300 visits a day); then (at 4x, unthrottled): offline cold starts,
    # arrivals, the day's outbox pushed, fresh phones' first pulls; board requests per day; board screen refreshes;
    # Lighthouse on the carer's screens
    "tiny": {"caseloads": 3, "cold_starts": (1, 0), "arrivals": (1, 1), "outboxes": (1, 0), "pulls": (1, 0),
             "board_gets": 3, "board_screen": 1, "lighthouse": False},
    "quick": {"caseloads": 3, "cold_starts": (2, 1), "arrivals": (6, 2), "outboxes": (1, 0), "pulls": (1, 0),
              "board_gets": 10, "board_screen": 2, "lighthouse": False},
    "full": {"caseloads": 29, "cold_starts": (5, 5), "arrivals": (200, 40), "outboxes": (3, 1), "pulls": (3, 3),
             "board_gets": 100, "board_screen": 20, "lighthouse": True},
}

# Installed in every document before the app's scripts. The phone's location never answers (a phone still looking for
# a fix: "Save without location" is what she taps); "My visits" drawn at start (its first stop) and the next painted
# frame; the app's pull measure told through the console; a waiter for one tap: on "Arrive" (until the locating box
# is drawn) or on "Save without location" (until the visit is drawn as arrived), from the lift's time stamp.
HARNESS_JS = r"""
(() => {
  performance.setResourceTimingBufferSize(100000);
  const looking = function () {};
  try {
    Object.defineProperty(Geolocation.prototype, 'getCurrentPosition', {value: looking, configurable: true});
    Object.defineProperty(Geolocation.prototype, 'watchPosition', {value: () => 0, configurable: true});
  } catch (_) { /* no geolocation here */ }
  const mark = performance.mark.bind(performance);
  const measure = performance.measure.bind(performance);
  const afterPaint = (fn) => requestAnimationFrame(() => setTimeout(fn, 0));
  performance.measure = (name, options) => {
    const entry = measure(name, options);
    if (name === 'bedside:pull') console.debug('bench:pulled');
    return entry;
  };
  const start = new MutationObserver(() => {
    if (!document.querySelector('[data-testid="today-list"] > li')) return;
    start.disconnect();
    mark('bench:today-drawn');
    afterPaint(() => { mark('bench:today-painted'); console.debug('bench:today-painted'); });
  });
  start.observe(document, {subtree: true, childList: true});
  window.__bench = {
    arm(what, visitId) {
      const target = what === 'arrive' ? '[data-testid^="today-arrive-"]' : '[data-testid="today-no-location"]';
      const done = what === 'arrive' ? () => !!document.querySelector('[data-testid="today-locating"]')
        : () => { const el = document.querySelector(`[data-testid="today-visit-${visitId}"]`);
          return !!el && el.dataset.state === 'arrived'; };
      this.result = new Promise((resolve, reject) => {
        setTimeout(() => reject(new Error(`no ${what} drawn for visit ${visitId} within 30 s`)), 30000);
        let t0 = null;
        let drawn = null;
        const onTap = (event) => {
          if (!(event.target.closest && event.target.closest(target))) return;
          if ((event.type === 'pointerup' || event.type === 'click') && t0 === null) t0 = event.timeStamp;
        };
        const check = () => {
          if (t0 === null || drawn !== null || !done()) return;
          drawn = performance.now();
          observer.disconnect();
          for (const type of ['pointerup', 'click']) document.removeEventListener(type, onTap, true);
          afterPaint(() => {
            const painted = performance.now();
            const commit = performance.getEntriesByName('bedside:recorded').find((m) => m.startTime >= t0);
            resolve({committed: commit ? commit.startTime - t0 : null, drawn: drawn - t0, painted: painted - t0});
          });
        };
        const observer = new MutationObserver(check);
        observer.observe(document.documentElement, {subtree: true, childList: true, attributes: true,
          attributeFilter: ['data-state']});
        for (const type of ['pointerup', 'click']) document.addEventListener(type, onTap, true);
      });
    },
  };
})();
"""

# The board screen: a tap on "Refresh" to the board drawn anew (the body's children replaced) and painted.
BOARD_JS = r"""() => {
  const body = document.querySelector('[data-testid="dispatch-body"]');
  window.__board = new Promise((resolve, reject) => {
    setTimeout(() => reject(new Error('the board was not drawn within 60 s')), 60000);
    let t0 = null;
    const button = document.querySelector('[data-testid="dispatch-refresh"]');
    button.addEventListener('click', (event) => { t0 = event.timeStamp; }, {once: true, capture: true});
    const observer = new MutationObserver(() => {
      if (t0 === null || !body.querySelector('[data-testid="board-asof"]')) return;
      observer.disconnect();
      const drawn = performance.now();
      requestAnimationFrame(() => setTimeout(() => resolve({drawn: drawn - t0, painted: performance.now() - t0,
        rows: body.querySelectorAll('[data-testid^="board-visit-"]').length}), 0));
    });
    observer.observe(body, {childList: true});
  });
}"""

# Her day's visits recorded offline through the app's own `record`, one tap's entries at a time, as the screens do.
RECORD_DAY_JS = r"""async (count) => {
  const db = await import('/lib/db.js');
  const session = await import('/lib/session.js');
  const outbox = await import('/lib/outbox.js');
  const sync = await import('/lib/sync.js');
  const day = session.today();
  const visits = (await db.getAllFromIndex('visits', 'day', day)).filter((v) => v.mine !== false && !v.cancelled_at)
    .sort((a, b) => a.start_time.localeCompare(b.start_time) || a.id - b.id).slice(0, count);
  const none = {presence: 'none', presence_reason: 'other'};
  let entries = 0;
  for (const [n, v] of visits.entries()) {
    const base = {resident_id: v.resident_id, day};
    const taps = [[{...base, kind: 'visit', status: 'arrived', values: {visit_id: v.id, ...none}}]];
    for (const item of v.item_ids) taps.push([{...base, kind: 'tick', item_id: item, slot: v.start_time,
      status: 'done'}]);
    taps.push([{...base, kind: 'vitals', values: {bp_systolic: 128 + n, bp_diastolic: 80, pulse: 70 + n}}]);
    taps.push([{...base, kind: 'vitals', values: {temperature: 36.6}}]);
    taps.push([{...base, kind: 'note', note: 'Ate well; the daughter comes on Sunday.'}]);
    taps.push([{...base, kind: 'visit', status: 'left', values: {visit_id: v.id, ...none, confirmed_by: 'person'}}]);
    for (const list of taps) { await outbox.record(list); entries += list.length; }
  }
  return {visits: visits.length, entries, pending: (await sync.status()).pending};
}"""

#: A carer's caseload: the people she visits, each about three times a week -- the issue's carer with 25 people and
#: about 10 visits a day.
CASELOAD = 25
#: The days a week a bench person is visited: pattern p (0-6) is the ISO weekdays p+1, p+3, p+5 (mod 7).
VISITS_A_WEEK = 3
#: Her people's visit times (one time each: the round of her day).
ROUND = tuple(f"{8 + m // 60:02d}:{m % 60:02d}" for m in range(0, 12 * 45, 45))
#: What a bench person's visit is for (the catalogue's item codes), all at her visit's time; and an as-needed item.
VISIT_ITEMS = ("meal_delivery", "help_meal", "health_management")
AS_NEEDED = ("emotional_comfort",)
HISTORY_DAYS = 14
#: A card item's fields as the contract's items give them (domain/contracts.py card_items).
CARD_ITEM_FIELDS = ("category", "title", "instructions", "schedule_kind", "schedule", "days_of_week", "measures",
                    "valid_from", "valid_to", "service_item_id")
NOT_DONE_REASONS = ("asleep", "refused", "absent")
VITALS = {"bp_systolic": (100, 165), "bp_diastolic": (58, 96), "pulse": (55, 104)}
NOTES = ("Ate well, in good spirits.", "Asked for the bath on the next visit.", "Knee pain again; daughter told.",
         "Medicines in order; fridge checked.", "Slept badly, no fever.")


def _weekdays(pattern):
    return sorted({(pattern + 2 * k) % 7 + 1 for k in range(VISITS_A_WEEK)})


def _months(first, last):
    out, d = [], first.replace(day=1)
    while d <= last:
        out.append(d)
        d = (d.replace(day=28) + timedelta(days=4)).replace(day=1)
    return out


def seed_world(now, caseloads, history_days=HISTORY_DAYS, log=lambda *_a: None):
    """The demo community centre (backend/demo/community.py seed_community) grown to `caseloads` carers: carer1 with a
    caseload of 25 new people, carer2 with the demo's 20, and bench carers (hcarerNN) with 25 new people each; every
    person's cards for the months from `history_days` + 1 days ago to a week ahead (the cards plan_the_week has
    services.contracts make, written in bulk), the visits of those weeks generated from the cards
    (services.visits.generate, as plan_the_week does) and given to each person's carer (in bulk, as plan_the_week's
    assign would), and every visit before today done:
    its arrival, its items ticked, vital signs, now and then a note, its departure (written in bulk, as the demo's
    history is). Runs in the caller's app context; commits. Returns what the benchmark needs (JSON-able)."""
    from backend.demo import community
    from backend.demo.home import PASSWORD
    from backend.domain import homecare_codes
    from backend.domain import sync as sync_rules
    from backend.domain import visits as visit_rules
    from backend.extensions import db
    from backend.models import (CardItem, CareCard, ContractItem, Entry, Home, Resident, ServiceContract, User, Visit,
                                VisitCarer)
    from backend.services import auth, contracts, feed
    from backend.services import visits as visit_service
    from backend.services.bulk import insert_rows
    from backend.services.context import Ctx
    from backend.services.ids import uuid7

    rng = random.Random(18)
    t0 = time.time()
    _logins, ids = community.seed_community(now)
    db.session.commit()
    tz = ZoneInfo(ids.timezone)
    today = now.astimezone(tz).date()
    station_user = db.session.get(User, ids.staff["carer1"])
    station = station_user.units[0]
    hashed = auth.hash_password(PASSWORD)
    carers = [ids.staff["carer1"], ids.staff["carer2"]]
    usernames = ["carer1", "carer2"]
    for c in range(2, caseloads):
        user = User(username=f"hcarer{c:02d}", password_hash=hashed,
                    full_name=community.SURNAMES[c % len(community.SURNAMES)] + "护工" + str(c), home_id=ids.home,
                    units=[station], post="junior_nurse", locale="zh_Hans")
        user.set_roles(("nurse",))
        db.session.add(user)
        db.session.flush()
        carers.append(user.id)
        usernames.append(user.username)
    # the people: caseload 1 is the demo's 20 (carer2's); the others 25 new people each
    loads = {1: list(ids.people)}
    bench = [c for c in range(caseloads) if c != 1]
    seq = feed.allocate(db.session, CASELOAD * len(bench))
    made = []
    for n, c in enumerate(c for c in bench for _j in range(CASELOAD)):
        j = n % CASELOAD
        salt = f"{rng.getrandbits(64):016x}"
        code = f"{rng.randint(0, 9999):04d}"
        person = Resident(
            unit_id=station.id, post_id=ids.post, room="", bed="", seq=seq + n, status="present",
            full_name=(community.SURNAMES[n % len(community.SURNAMES)]
                       + community.GIVEN[(n // len(community.SURNAMES)) % len(community.GIVEN)]),
            birth_date=today.replace(year=today.year - rng.randint(62, 94), month=rng.randint(1, 12),
                                     day=rng.randint(1, 28)),
            admitted_on=today - timedelta(days=rng.randint(60, 900)),
            address=(f"{community.STREETS[n % len(community.STREETS)]}{rng.randint(1, 180)}号"
                     f"{rng.randint(1, 6)}单元{rng.randint(101, 1502)}"),
            phone=community._phone(rng), lat=round(community.STATION_AT[0] + rng.uniform(-0.012, 0.012), 4),
            lon=round(community.STATION_AT[1] + rng.uniform(-0.015, 0.015), 4),
            radius_m=homecare_codes.DEFAULT_RADIUS_M, home_code_salt=salt,
            home_code_hash=visit_rules.code_hash(salt, code), lives_alone=n % 3 == 0,
            eligibility=homecare_codes.ELIGIBILITY[n % len(homecare_codes.ELIGIBILITY)],
            care_level=homecare_codes.CARE_LEVELS[n % len(homecare_codes.CARE_LEVELS)])
        db.session.add(person)
        made.append((c, j, person))
    db.session.flush()
    created = now.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    for c, j, person in made:
        loads.setdefault(c, []).append(person.id)
        contract = ServiceContract(
            home_id=ids.home, resident_id=person.id, starts_on=today - timedelta(days=90),
            funding=homecare_codes.FUNDING[j % len(homecare_codes.FUNDING)], monthly_subsidy=300 if j % 2 else None,
            intent_signed_on=today - timedelta(days=100), assessment_signed_on=today - timedelta(days=95),
            agreement_signed_on=today - timedelta(days=90), risk_notice_signed_on=today - timedelta(days=90),
            created_by=ids.staff["cplanner1"], created_at=created)
        db.session.add(contract)
        db.session.flush()
        days = _weekdays((j + 3 * c) % 7)
        at = ROUND[j % len(ROUND)]
        for item in VISIT_ITEMS:
            db.session.add(ContractItem(contract_id=contract.id, service_item_id=ids.catalogue[item],
                                        schedule_kind="times", schedule={"times": [at]}, days_of_week=days))
        for item in AS_NEEDED:
            db.session.add(ContractItem(contract_id=contract.id, service_item_id=ids.catalogue[item],
                                        schedule_kind="as_needed", schedule={}, days_of_week=None))
    db.session.commit()
    log(f"    {len(made) + len(ids.people)} people, {caseloads} carers ({time.time() - t0:.1f} s)")
    # cards and visits, as plan_the_week makes them, over the history and the carer's window
    first = today - timedelta(days=history_days + 1)
    last = today + timedelta(days=7)
    planner = db.session.get(User, ids.staff["cplanner1"])
    head = db.session.get(User, ids.staff["dispatch1"])
    people = [pid for c in sorted(loads) for pid in loads[c]]
    # The cards services.contracts.card_from_contract makes from the contracts (its own reading of them), published,
    # written in bulk: through the service, a card is five committed transactions (1,340 cards take minutes).
    home = db.session.get(Home, ids.home)
    persons = Resident.query.filter(Resident.id.in_(people)).order_by(Resident.id).all()
    cards = []
    for month in _months(first, last):
        seq = feed.allocate(db.session, len(persons))
        for n, person in enumerate(persons):
            card = CareCard(resident_id=person.id, month=month, status="published", version=1, seq=seq + n,
                            updated_at=created, updated_by=planner.id)
            card.items = [CardItem(position=k + 1, **{f: item[f] for f in CARD_ITEM_FIELDS})
                          for k, item in enumerate(contracts._wanted_items(home, person, month))]
            cards.append(card)
    db.session.add_all(cards)
    db.session.commit()
    log(f"    {len(cards):,} cards ({time.time() - t0:.1f} s)")
    then = datetime.combine(first, datetime.min.time(), tzinfo=tz) + timedelta(hours=1)
    monday = first - timedelta(days=first.weekday())
    while monday <= last:
        visit_service.generate(Ctx(actor=head, now=then), station.id, monday)
        monday += timedelta(days=7)
    db.session.commit()
    log(f"    visits ({time.time() - t0:.1f} s)")
    carer_of = {pid: carers[c] for c, pids in loads.items() for pid in pids}
    visits = Visit.query.filter(Visit.unit_id == station.id, Visit.day >= first, Visit.day <= last).order_by(
        Visit.day, Visit.start_time, Visit.id).all()
    db.session.execute(VisitCarer.__table__.insert(), [
        {"visit_id": v.id, "carer_id": carer_of[v.resident_id], "assigned_at": created,
         "assigned_by": head.id, "unassigned_at": None} for v in visits if v.resident_id in carer_of])
    db.session.commit()
    # the days before today: every visit done by its carer
    people_at = {r.id: r for r in Resident.query.filter(Resident.id.in_(people))}
    posts = {u.id: u.post for u in User.query.filter(User.id.in_(carers))}
    rows = []

    def entry(v, kind, at, **fields):
        e = {"id": uuid7(), "kind": kind, "resident_id": v.resident_id, "item_id": None, "day": v.day, "slot": None,
             "status": None, "reason": None, "note": None, "values": None, "category": None, "supersedes": None,
             "author_id": carer_of[v.resident_id], "device_id": f"bench-phone-{carer_of[v.resident_id]}",
             "client_seq": 0, "device_time": at.isoformat(timespec="seconds")}
        e.update(fields)
        rows.append(dict(e, payload_hash=sync_rules.payload_hash(e), unit_id=station.id,
                         received_at=at.astimezone(UTC).replace(tzinfo=None) + timedelta(minutes=5),
                         late_after_confirmation=False, pushed_by=e["author_id"], author_post=posts[e["author_id"]],
                         from_revoked_device=False))

    for v in visits:
        if v.day >= today or v.resident_id not in carer_of:
            continue
        person = people_at[v.resident_id]
        h, m = map(int, v.start_time.split(":"))
        start = datetime(v.day.year, v.day.month, v.day.day, h, m, tzinfo=tz) + timedelta(minutes=rng.randint(-5, 10))
        where = {"presence": "fix", "lat": round(person.lat + rng.uniform(-0.0003, 0.0003), 4),
                 "lon": round(person.lon + rng.uniform(-0.0003, 0.0003), 4), "accuracy_m": rng.randint(5, 30)}
        entry(v, "visit", start, status="arrived", values={"visit_id": v.id, **where})
        for k, item_id in enumerate(v.item_ids):
            done = rng.random() < 0.95
            entry(v, "tick", start + timedelta(minutes=5 + 10 * k), item_id=item_id, slot=v.start_time,
                  status="done" if done else "not_done", reason=None if done else rng.choice(NOT_DONE_REASONS))
        entry(v, "vitals", start + timedelta(minutes=8),
              values={k: rng.randint(lo, hi) for k, (lo, hi) in VITALS.items()})
        if rng.random() < 1 / 3:
            entry(v, "note", start + timedelta(minutes=20), note=rng.choice(NOTES))
        entry(v, "visit", start + timedelta(minutes=v.planned_minutes + rng.randint(-5, 5)), status="left",
              values={"visit_id": v.id, **where, "confirmed_by": "person"})
    first_seq = feed.allocate(db.session, len(rows)) if rows else 0
    for offset, row in enumerate(rows):
        row["seq"] = first_seq + offset
    insert_rows(db.session, Entry.__table__, rows)
    db.session.commit()
    log(f"    {len(rows):,} entries of {history_days + 1} days done ({time.time() - t0:.1f} s)")
    by_day = {}
    for v in visits:
        by_day.setdefault(v.day.isoformat(), {}).setdefault(carer_of.get(v.resident_id), []).append(v.id)
    return {"today": today.isoformat(), "yesterday": (today - timedelta(days=1)).isoformat(),
            "timezone": ids.timezone, "home": ids.home, "station": station.id, "post": ids.post,
            "carers": [{"username": u, "id": i, "caseload": len(loads.get(c, [])),
                        "today": len(by_day.get(today.isoformat(), {}).get(i, []))}
                       for c, (u, i) in enumerate(zip(usernames, carers, strict=True))],
            "dispatcher": "dispatch1", "people": len(people),
            "visits_by_day": {d: sum(len(x) for x in by.values()) for d, by in sorted(by_day.items())},
            "history_entries": len(rows), "seconds": time.time() - t0}




def _seed_main():
    """`python -c "from benchmarks.homecare import _seed_main; _seed_main()" CASELOADS` in a server's environment,
    on a database `bedside demo --no-community` made: prints seed_world's JSON as its last line."""
    from backend.app import create_app
    app = create_app()
    with app.app_context():
        world = seed_world(datetime.now(UTC), int(sys.argv[1]), log=lambda text: print(text, file=sys.stderr))
    print(json.dumps(world))


def prepare(work, caseloads, log):
    """A SQLite database in `work`/world seeded for the run. Returns (its URL, the world)."""
    folder = os.path.join(work, "world")
    os.makedirs(folder)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "FLASK_APP")}
    env.update(BEDSIDE_INSTANCE=folder, PYTHONUNBUFFERED="1")
    for args in (["-c", "from backend.cli import main; main()", "demo", "--no-history", "--no-community"],
                 ["-c", "from benchmarks.homecare import _seed_main; _seed_main()", str(caseloads)]):
        done = subprocess.run([sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True,
                              timeout=1800)
        if done.returncode != 0:
            raise BenchmarkError(f"seeding failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    for line in done.stderr.splitlines():
        if line.startswith("    "):
            log(line)
    return "sqlite:///" + os.path.join(folder, "bedside.sqlite"), json.loads(done.stdout.strip().splitlines()[-1])


# --- the phone ----------------------------------------------------------------------------------------------------

class Phones:
    """Playwright's Chromium, one persistent profile per phone (its IndexedDB and service worker survive a restart of
    the browser), at 360 x 740 with touch."""

    def __init__(self, pw, url, work_dir):
        self.pw = pw
        self.url = url
        self.work_dir = work_dir
        self.count = 0

    def profile(self):
        self.count += 1
        return os.path.join(self.work_dir, f"phone-{self.count}")

    def open(self, profile, offline=False, viewport=PHONE, mobile=True):
        ctx = self.pw.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, base_url=self.url, viewport=viewport,
            has_touch=mobile, is_mobile=mobile, service_workers="allow", locale="en-GB")
        ctx.set_default_timeout(TIMEOUT)
        if offline:
            cut(ctx)
        ctx.add_init_script(HARNESS_JS)
        return ctx


def link(page, conditions):
    """The page's network as the slow link (LINK) or unlimited (NO_LINK_LIMIT)."""
    if not getattr(page, "network_on", False):
        page.cdp.send("Network.enable")
        page.network_on = True
    page.cdp.send("Network.emulateNetworkConditions", conditions)


def wait_worker(page):
    page.wait_for_function("() => !!navigator.serviceWorker && navigator.serviceWorker.controller !== null")


def sign_in(page, username):
    """A phone that is no enrolled tablet: she signs in with her password and is asked for her post."""
    page.goto("/")
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill("demo")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("post-submit")).to_be_visible()


def open_today(page):
    page.goto("/#/today")
    expect(page.locator("[data-testid='today-list'] > li").first).to_be_visible()


def set_up_phone(phones, username):
    """A fresh phone: she signs in, chooses the station's post (its first pull), opens "My visits"; the service worker
    controls the page and the first sync is done. Returns (profile, context, page)."""
    profile = phones.profile()
    ctx = phones.open(profile)
    page = page_of(ctx, 1)
    sign_in(page, username)
    page.get_by_test_id("post-submit").click()
    page.wait_for_function("() => performance.getEntriesByName('bedside:pull').length > 0")
    open_today(page)
    wait_worker(page)
    wait_synced(page)
    return profile, ctx, page


def first_pull(phones, username, rate, keep=False):
    """A fresh phone: she signs in; at `rate` and on the slow link she chooses the post; its first pull, timed.
    keep: return (figures, context, page), the phone left open (the caller closes it)."""
    ctx = phones.open(phones.profile())
    try:
        page = page_of(ctx, 1)
        sign_in(page, username)
        wait_worker(page)
        throttle(page, rate)
        link(page, LINK)
        with page.expect_console_message(lambda m: m.text == "bench:pulled", timeout=120_000):
            page.get_by_test_id("post-submit").click()
        link(page, NO_LINK_LIMIT)
        throttle(page, 1)
        figures = page.evaluate("""async () => {
          const db = await import('/lib/db.js');
          const m = (name) => performance.getEntriesByName(name).map((e) => e.duration);
          const pulls = performance.getEntriesByType('resource').filter((r) => r.name.includes('/api/sync/pull'));
          return {pull_ms: m('bedside:pull'), apply_ms: m('bedside:pull-apply'),
                  fetch_ms: pulls.map((r) => r.duration), transfer: pulls.map((r) => r.transferSize),
                  decoded: pulls.map((r) => r.decodedBodySize),
                  entries: (await db.getAll('entries')).length, residents: (await db.getAll('residents')).length,
                  visits: (await db.getAll('visits')).length, cards: (await db.getAll('cards')).length};
        }""")
    except BaseException:
        ctx.close()
        raise
    if keep:
        return figures, ctx, page
    ctx.close()
    return figures


def cold_start(phones, profile, rate):
    """Open the closed phone with no network; figures in ms from navigation start."""
    ctx = phones.open(profile, offline=True)
    try:
        page = page_of(ctx, rate)
        # waited for through the console: a wait_for_function would run Playwright's script in the page as it starts
        with page.expect_console_message(lambda m: m.text == "bench:today-painted"):
            page.goto("/", wait_until="commit")
        figures = page.evaluate("""() => {
          const at = (name) => { const e = performance.getEntriesByName(name)[0]; return e ? e.startTime : null; };
          const fcp = performance.getEntriesByName('first-contentful-paint')[0];
          return {drawn: at('bench:today-drawn'), painted: at('bench:today-painted'), fcp: fcp ? fcp.startTime : null,
                  stops: document.querySelectorAll('[data-testid^="today-stop-"]').length, route: location.hash};
        }""")
    finally:
        ctx.close()
    if not figures["stops"]:
        raise BenchmarkError(f"the offline cold start drew no stop: {figures}")
    return figures


def tap(page, locator):
    """A finger's tap on the element's centre (tablet.finger_tap), the element first scrolled to the middle of the
    screen (the header stays over the top of it)."""
    for _try in range(50):  # a redraw may replace the element between the two steps
        locator.evaluate("(el) => el.scrollIntoView({block: 'center'})")
        box = locator.bounding_box()
        if box:
            break
        page.wait_for_timeout(100)
    else:
        raise BenchmarkError(f"nothing to tap: {locator}")
    point = {"x": box["x"] + box["width"] / 2, "y": box["y"] + box["height"] / 2}
    page.cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [point]})
    page.cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def arrivals(phones, username, rates):
    """Her fresh phone; an arrival saved without location at each stop of her day in turn, at the rates given (as many
    as she has stops). Returns ([(rate, figures)], the visit ids arrived at)."""
    _profile, ctx, page = set_up_phone(phones, username)
    got, visits = [], []
    try:
        for rate in rates:
            # she walks to the next stop; meanwhile the phone pushes the last arrival (not 3 s after it, in the tap)
            page.evaluate("() => import('/lib/sync.js').then((sync) => sync.syncNow())")
            wait_synced(page)
            arrive = page.locator("[data-testid^='today-arrive-']").first
            if not arrive.count():
                break
            visit = int(arrive.get_attribute("data-testid").rsplit("-", 1)[1])
            throttle(page, rate)
            page.evaluate("() => window.__bench.arm('arrive')")
            tap(page, arrive)
            located = page.evaluate("() => window.__bench.result")
            page.evaluate("(id) => window.__bench.arm('save', id)", visit)
            tap(page, page.get_by_test_id("today-no-location"))
            saved = page.evaluate("() => window.__bench.result")
            throttle(page, 1)
            if saved["committed"] is None:
                raise BenchmarkError(f"arrival at visit {visit}: no commit mark after the tap")
            got.append((rate, {"arrive": located, "save": saved}))
            visits.append(visit)
        page.get_by_test_id("sync-now").click()
        wait_synced(page)
    finally:
        ctx.close()
    return got, visits


def day_outbox(ctx, page, rate, count):
    """Her day's visits recorded offline; then the slow link is back and she taps Sync now: until the outbox is
    empty."""
    cut(ctx)
    throttle(page, 1)  # recording is not what is timed here
    recorded = page.evaluate(RECORD_DAY_JS, count)
    if recorded["pending"] < recorded["entries"]:
        raise BenchmarkError(f"{recorded['entries']} entries recorded offline, {recorded['pending']} in the outbox")
    deadline = time.monotonic() + 30
    while sync_state(page)["syncing"] and time.monotonic() < deadline:  # a failing retry ends first
        page.wait_for_timeout(100)
    link(page, LINK)
    ctx.unroute("**/*")
    throttle(page, rate)
    page.evaluate(ARM_PUSH_JS)
    before = len(page.evaluate(RESOURCES_JS, "/api/sync/push"))
    sent = []

    def body(request):
        if request.url.split("?")[0].endswith("/api/sync/push"):
            sent.append(len(request.post_data_buffer or b""))

    page.on("request", body)
    page.get_by_test_id("sync-now").tap()
    ms = page.evaluate("() => window.__push")
    page.remove_listener("request", body)
    pushes = page.evaluate(RESOURCES_JS, "/api/sync/push")[before:]
    throttle(page, 1)
    link(page, NO_LINK_LIMIT)
    state = sync_state(page)
    if state["pending"] or state["outbox"] or state["rejected"]:
        raise BenchmarkError(f"after the push: {state}")
    return {"visits": recorded["visits"], "entries": recorded["entries"], "seconds": ms / 1000,
            "requests": len(pushes), "request_seconds": sum(p["duration"] for p in pushes) / 1000,
            "sent": sum(sent), "transfer": sum(p["transfer"] for p in pushes)}


# --- the dispatcher's board ---------------------------------------------------------------------------------------

def board_requests(url, world, gets):
    """GET the board of yesterday and of today `gets` times each, alternated, gzip accepted as a browser does.
    Returns {day: {"ms": stats, "visits", "states", "bytes", "gzip"}}."""
    s = requests.Session()
    s.headers.update({"Accept-Encoding": "gzip", **CSRF})
    r = s.post(url + "/api/auth/login", json={"username": world["dispatcher"], "password": "demo"}, timeout=60)
    if r.status_code != 200:
        raise BenchmarkError(f"the dispatcher's sign-in: {r.status_code} {r.text[:300]}")
    days = {"yesterday": world["yesterday"], "today": world["today"]}
    times = {k: [] for k in days}
    out = {}
    try:
        for _i in range(gets):
            for key, day in days.items():
                t0 = time.perf_counter()
                r = s.get(url + "/api/visits/board", params={"unit_id": world["station"], "day": day}, timeout=120)
                times[key].append((time.perf_counter() - t0) * 1000)
                if r.status_code != 200:
                    raise BenchmarkError(f"board of {day}: {r.status_code} {r.text[:300]}")
                if key not in out:
                    board = r.json()
                    if len(board["visits"]) != world["visits_by_day"][day]:
                        raise BenchmarkError(f"the board of {day} holds {len(board['visits'])} visits, "
                                             f"{world['visits_by_day'][day]} were planned")
                    out[key] = {"day": day, "visits": len(board["visits"]), "counts": board["counts"],
                                "bytes": len(r.content), "gzip": int(r.headers.get("Content-Length") or 0)
                                if r.headers.get("Content-Encoding") == "gzip" else None}
    finally:
        s.close()
    for key in days:
        out[key]["ms"] = _stats(times[key])
    return out


def board_screen(phones, world, refreshes):
    """The board screen in an unthrottled desktop browser: the dispatcher signs in (her start screen is the board),
    chooses yesterday; then `refreshes` taps on Refresh, each to the board drawn and painted."""
    ctx = phones.open(phones.profile(), viewport=DESKTOP, mobile=False)
    try:
        page = page_of(ctx, 1)
        page.goto("/")
        page.get_by_test_id("login-username").fill(world["dispatcher"])
        page.get_by_test_id("login-password").fill("demo")
        page.get_by_test_id("login-submit").click()
        expect(page.get_by_test_id("board-asof")).to_be_visible()
        page.get_by_test_id("dispatch-day").fill(world["yesterday"])
        page.get_by_test_id("dispatch-day").press("Tab")
        expect(page.locator("[data-testid^='board-visit-']")).to_have_count(world["visits_by_day"][world["yesterday"]])
        got = []
        for _i in range(refreshes):
            page.evaluate(BOARD_JS)
            before = len(page.evaluate(RESOURCES_JS, "/api/visits/board"))
            page.get_by_test_id("dispatch-refresh").click()
            figures = page.evaluate("() => window.__board")
            fetched = page.evaluate(RESOURCES_JS, "/api/visits/board")[before:]
            figures["fetch"] = fetched[0]["duration"] if fetched else None
            got.append(figures)
    finally:
        ctx.close()
    if any(g["rows"] != world["visits_by_day"][world["yesterday"]] for g in got):
        raise BenchmarkError(f"the board screen drew {[g['rows'] for g in got]} visits")
    return {"refreshes": len(got), "rows": got[0]["rows"] if got else 0,
            **{k: _stats([g[k] for g in got if g[k] is not None]) for k in ("fetch", "drawn", "painted")}}


# --- Lighthouse ---------------------------------------------------------------------------------------------------

LH_PHONE = ["--form-factor=mobile", "--screenEmulation.mobile", f"--screenEmulation.width={PHONE['width']}",
            f"--screenEmulation.height={PHONE['height']}", "--screenEmulation.deviceScaleFactor=2"]


def _audit(port, url, out_path):
    """lighthouse.audit at the phone's size (its own flags otherwise)."""
    if not os.path.exists(lighthouse.LH_CLI):
        raise BenchmarkError(f"Lighthouse is not installed: run `npm ci` in {lighthouse.LH_DIR}")
    done = subprocess.run(
        ["node", lighthouse.LH_CLI, url, f"--port={port}", "--disable-storage-reset", "--output=json",
         f"--output-path={out_path}", f"--only-categories={','.join(lighthouse.CATEGORIES)}",
         "--max-wait-for-load=60000", "--quiet", *LH_PHONE],
        env=dict(os.environ, CHROME_PATH=CHROMIUM), capture_output=True, text=True, timeout=300)
    if done.returncode != 0 or not os.path.exists(out_path):
        raise BenchmarkError(f"lighthouse failed on {url}: {done.stderr[-2000:]}")
    with open(out_path, encoding="utf-8") as fh:
        return json.load(fh)


def lighthouse_screens(pw, url, work, username, log):
    """The carer's screens: her phone set up through Playwright over CDP (sign-in, the post, "My visits"), then
    Lighthouse on "My visits" and on the card of her first stop's person."""
    screens = []
    with lighthouse.Chromium(os.path.join(work, "lighthouse-phone")) as chrome:
        browser, page = chrome.page(pw)
        page.set_viewport_size(PHONE)
        page.goto(url + "/")
        page.get_by_test_id("login-username").fill(username)
        page.get_by_test_id("login-password").fill("demo")
        page.get_by_test_id("login-submit").click()
        page.get_by_test_id("post-submit").click()
        page.wait_for_function("() => performance.getEntriesByName('bedside:pull').length > 0")
        page.goto(url + "/#/today")
        first = page.locator("[data-testid^='today-items-']").first
        expect(first).to_be_visible()
        person = first.get_attribute("href").rsplit("/", 1)[1]
        wait_worker(page)
        browser.close()
        for name, path in (("My visits (the carer's day)", "/#/today"),
                           ("A person's card (the items of a visit)", f"/#/resident/{person}")):
            log(f"  lighthouse: {name} ({path})")
            s = lighthouse.summary(_audit(chrome.port, url + path,
                                          os.path.join(work, f"lh-{len(screens) + 1}.json")))
            s.update(name=name, url=path)
            screens.append(s)
            log("    " + ", ".join(f"{c} {v}" for c, v in s["scores"].items()))
    return {"screens": screens, "targets": TARGETS["lighthouse"],
            "lighthouse": screens[0]["lighthouse"] if screens else None,
            "settings": f"Lighthouse defaults but the screen: mobile, {PHONE['width']}×{PHONE['height']} at device "
                        "scale 2, simulated throttling (slow 4G, 4x CPU), one run per screen, storage kept"}


# --- the run ------------------------------------------------------------------------------------------------------

def pull_size(url, world, username="carer1"):
    """Her cursor-0 pull as the server sends it (the JSON bodies, and gzipped at level 6 as pull.py counts)."""
    with HttpClient.login(url, username, "demo", device_id="bench-pull-size") as client:
        raw = gz = pages = 0
        cursor, got = 0, {}
        while True:
            status, body = client.get(f"/api/sync/pull?post_id={world['post']}&cursor={cursor}"
                                      f"&device_id=bench-pull-size")
            if status != 200:
                raise BenchmarkError(f"her pull answered HTTP {status}: {body[:500]!r}")
            page = json.loads(body)
            pages += 1
            raw += len(body)
            gz += len(gzip.compress(body, 6))
            for key in ("residents", "cards", "entries", "visits", "catalogue", "staff"):
                got[key] = got.get(key, 0) + len(page.get(key) or [])
            parts = {key: len(json.dumps(page.get(key) or [], ensure_ascii=False).encode()) for key in got}
            cursor = page["cursor"]
            if not page["has_more"] or page.get("snapshot"):
                break
    if not got["residents"] or not got["visits"]:
        raise BenchmarkError(f"her pull brought no people or no visits: {got}")
    return {"raw": raw, "gzip": gz, "pages": pages, **got, "parts_raw": parts, "window": page.get("window")}



def _turns(counts):
    """(n at 4x, n unthrottled) as the rates in turn, alternated while both last."""
    n4, n1 = counts
    out = []
    for i in range(max(n4, n1)):
        out += ([THROTTLE] if i < n4 else []) + ([1] if i < n1 else [])
    return out


def first_pulls(phones, ps, counts, log):
    """Fresh phones' first pulls, (n at 4x, n unthrottled); the last phone is left open, "My visits" shown: returns
    (figures by rate, its context, its page)."""
    pulls = {r: [] for r in RATES}
    turns = _turns(counts)
    for i, rate in enumerate(turns):
        got = first_pull(phones, "carer1", rate, keep=i == len(turns) - 1)
        if i == len(turns) - 1:
            got, ctx, page = got
        pulls[rate].append(got)
    out = {}
    for rate in RATES:
        runs = pulls[rate]
        if not runs:
            continue
        if any(r["residents"] != ps["residents"] or r["visits"] != ps["visits"] for r in runs):
            ctx.close()
            raise BenchmarkError(f"a first pull did not bring her people and visits: {runs}")
        out[str(rate)] = s = {
            "runs": runs, "total_ms": _stats([sum(r["pull_ms"]) for r in runs]),
            "apply_ms": _stats([sum(r["apply_ms"]) for r in runs]),
            "fetch_ms": _stats([sum(r["fetch_ms"]) for r in runs]), "transfer": sum(runs[0]["transfer"]),
            "entries": runs[0]["entries"], "residents": runs[0]["residents"], "visits": runs[0]["visits"]}
        log(f"    {rate}x: {s['total_ms']['p50']:.0f} ms (fetch {s['fetch_ms']['p50']:.0f} ms, apply "
            f"{s['apply_ms']['p50']:.0f} ms), {s['transfer']:,} B transferred")
    open_today(page)
    wait_synced(page)
    return out, ctx, page


def cold_starts(phones, profile, counts, log):
    starts = {r: [] for r in RATES}
    for rate in _turns(counts):
        starts[rate].append(cold_start(phones, profile, rate))
    out = {}
    for rate in RATES:
        if not starts[rate]:
            continue
        out[str(rate)] = s = {"runs": starts[rate], "stops": starts[rate][0]["stops"],
                              **{k: _stats([x[k] for x in starts[rate] if x[k] is not None])
                                 for k in ("drawn", "painted", "fcp")}}
        log(f"    {rate}x: her stops drawn at {s['drawn']['p50']:.0f} ms (median of {s['drawn']['n']}), painted "
            f"{s['painted']['p50']:.0f} ms")
    return out


def outboxes(ctx, page, counts, log):
    """The day's outbox pushed (n at 4x, n unthrottled) times."""
    runs = {r: [] for r in RATES}
    for rate in sorted(_turns(counts), reverse=True):
        r = day_outbox(ctx, page, rate, TARGETS["outbox_visits"])
        runs[rate].append(r)
        log(f"    {rate}x: {r['visits']} visits, {r['entries']} entries ({r['sent'] / 1024:,.1f} KiB sent) pushed on "
            f"the slow link in {r['seconds']:.2f} s ({r['requests']} requests, {r['request_seconds']:.2f} s of them)")
    return {str(rate): {"runs": rs, "entries": rs[0]["entries"], "visits": rs[0]["visits"],
                        "seconds": _stats([r["seconds"] for r in rs]),
                        "request_seconds": _stats([r["request_seconds"] for r in rs]),
                        "requests": rs[0]["requests"], "transfer": rs[0]["transfer"], "sent": rs[0]["sent"]}
            for rate, rs in runs.items() if rs}


def arrivals_run(phones, url, world, bench, p, log):
    """Arrivals on the bench carers' fresh phones until the wanted numbers at each rate are reached; every one is
    then on today's board as arrived."""
    wanted = _rates_for(*p["arrivals"])
    samples = {r: [] for r in RATES}
    arrived = {}
    while wanted:
        if not bench:
            raise BenchmarkError(f"{len(wanted)} arrivals left and no carer with stops left")
        carer = bench.pop(0)
        got, visits = arrivals(phones, carer["username"], wanted[:carer["today"]])
        wanted = wanted[len(got):]
        arrived[carer["id"]] = visits
        for rate, figures in got:
            samples[rate].append(figures)
    on_board = board_states(url, world)
    missing = [v for vs in arrived.values() for v in vs if on_board.get(v) != "arrived"]
    if missing:
        raise BenchmarkError(f"arrivals not on the board as arrived: {missing[:10]} "
                             f"({[on_board.get(v) for v in missing[:10]]})")
    out = {"phones": len(arrived)}
    for rate in RATES:
        if not samples[rate]:
            continue
        out[str(rate)] = {what: {k: _stats([x[what][k] for x in samples[rate] if x[what][k] is not None])
                                 for k in ("committed", "drawn", "painted")} for what in ("arrive", "save")}
        s = out[str(rate)]["save"]
        if s["painted"]:
            log(f"    {rate}x: tap -> arrival painted p50 {s['painted']['p50']:.1f} ms, p95 {s['painted']['p95']:.1f} "
                f"ms (committed p50 {s['committed']['p50']:.1f} ms) over {s['painted']['n']}")
    return out


def run(size="quick", work_dir=None, log=print):
    p = SIZES[size]
    started = time.time()
    results = {"size": size, "params": p, "throttle": THROTTLE, "targets": TARGETS, "link": LINK, "chromium": None}
    os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")  # as tablet.run: route the worker too
    with tempfile.TemporaryDirectory(prefix="bedside-homecare-", dir=work_dir) as work:
        log(f"[homecare 1/6] the world: {p['caseloads']} carers' caseloads, two weeks of visits done")
        url, world = prepare(work, p["caseloads"], log)
        results["world"] = {k: v for k, v in world.items() if k != "carers"}
        results["world"]["carer"] = world["carers"][0]
        with Server(base_dir=work, database_url=url, seed=False, env=SERVER_ENV) as srv, sync_playwright() as pw:
            phones = Phones(pw, srv.url, work)
            log("[homecare 2/6] carer1's phone, set up for the offline cold starts")
            profile, ctx, page = set_up_phone(phones, "carer1")
            results["chromium"] = ctx.browser.version if ctx.browser else page.evaluate("navigator.userAgent")
            ctx.close()
            log(f"[homecare 3/6] her first pull: its size; on the slow link, fresh phones (at {THROTTLE}x, "
                f"unthrottled) {p['pulls']}; on the last, her day's outbox on the slow link; then the offline cold "
                "starts")
            results["pull_size"] = ps = pull_size(srv.url, world)
            log(f"    {ps['residents']} people, {ps['visits']} visits, {ps['entries']:,} entries: {ps['raw']:,} B "
                f"({ps['gzip']:,} B gzipped)")
            results["pull"], ctx, page = first_pulls(phones, ps, p["pulls"], log)
            try:
                results["outbox"] = outboxes(ctx, page, p["outboxes"], log)
            finally:
                ctx.close()
            # the phone set up first: its own database holds her day as it was pulled (pristine)
            results["cold_start"] = cold_starts(phones, profile, p["cold_starts"], log)
            log(f"[homecare 4/6] arrivals saved without location: {p['arrivals'][0]} at {THROTTLE}x and "
                f"{p['arrivals'][1]} unthrottled, stop after stop, on the bench carers' phones")
            bench = list(world["carers"][2:])
            spare = bench.pop() if p["lighthouse"] and len(bench) > 1 else None
            results["arrivals"] = arrivals_run(phones, srv.url, world, bench, p, log)
            log(f"[homecare 5/6] the board: {p['board_gets']} requests for each day; {p['board_screen']} refreshes "
                "of yesterday's board on the screen")
            results["board"] = board_requests(srv.url, world, p["board_gets"])
            for key in ("yesterday", "today"):
                b = results["board"][key]
                log(f"    board of {key} ({b['visits']} visits): p50 {b['ms']['p50']:.0f} ms, "
                    f"p95 {b['ms']['p95']:.0f} ms")
            results["board_screen"] = bs = board_screen(phones, world, p["board_screen"])
            log(f"    the screen, {bs['rows']} visits: tap -> painted p50 {bs['painted']['p50']:.0f} ms, p95 "
                f"{bs['painted']['p95']:.0f} ms (the request {bs['fetch']['p50']:.0f} ms)")
            if p["lighthouse"]:
                log("[homecare 6/6] Lighthouse on the carer's screens")
                results["lighthouse"] = lighthouse_screens(pw, srv.url, work, spare["username"], log)
    results["seconds"] = time.time() - started
    results["met"] = met(results)
    return results


def board_states(url, world):
    """{visit id: state} on today's board."""
    s = requests.Session()
    s.headers.update(CSRF)
    try:
        s.post(url + "/api/auth/login", json={"username": world["dispatcher"], "password": "demo"}, timeout=60)
        r = s.get(url + "/api/visits/board", params={"unit_id": world["station"], "day": world["today"]}, timeout=120)
        r.raise_for_status()
        return {v["id"]: v["state"] for v in r.json()["visits"]}
    finally:
        s.close()


# --- the report ---------------------------------------------------------------------------------------------------

def met(results):
    """{target: True | False | None (not judged at this size)}."""
    t, thr = results["targets"], str(results["throttle"])
    out = {}
    cs = results.get("cold_start", {}).get(thr)
    if cs:
        out["cold_start"] = cs["drawn"]["p50"] < t["cold_start_ms"]
    ar = results.get("arrivals", {}).get(thr)
    if ar and ar["save"]["painted"]:
        out["arrival_p95"] = ar["save"]["painted"]["p95"] < t["arrival_p95_ms"]
    ps = results.get("pull_size")
    if ps:
        out["pull_size"] = (ps["gzip"] < t["pull_gzip"]) if ps["residents"] >= t["pull_people"] else None
    pl = results.get("pull", {}).get(thr)
    if pl and ps:
        out["pull_time"] = (pl["total_ms"]["p50"] < t["pull_ms"]) if ps["residents"] >= t["pull_people"] else None
    ob = results.get("outbox", {}).get(thr)
    if ob:
        out["outbox"] = (ob["seconds"]["p50"] < t["outbox_s"]) if ob["visits"] >= t["outbox_visits"] else None
    b = results.get("board")
    if b:
        worst = max(b[k]["ms"]["p95"] for k in ("yesterday", "today"))
        out["board"] = (worst < t["board_p95_ms"]) if min(b[k]["visits"] for k in ("yesterday", "today")) >= \
            t["board_visits"] else None
    lh = results.get("lighthouse")
    if lh:
        out["lighthouse"] = {cat: min((s["scores"][cat] or 0) for s in lh["screens"]) >= floor
                             for cat, floor in lh["targets"].items()}
    return out


def targets(results):
    """[(target, measured, met)] for the report's summary (report.targets)."""
    t, thr = results["targets"], str(results["throttle"])
    m = results.get("met") or met(results)
    rows = []
    if "cold_start" in results:
        cs = results["cold_start"][thr]
        rows.append((f"Carer's phone at {thr}×: offline cold start < {t['cold_start_ms']:,} ms",
                     f"{cs['drawn']['p50']:,.0f} ms (painted {cs['painted']['p50']:,.0f})", m.get("cold_start")))
    if "arrivals" in results and results["arrivals"][thr]["save"]["painted"]:
        s = results["arrivals"][thr]["save"]["painted"]
        rows.append((f"Carer's phone at {thr}×: an arrival saved without location, p95 < {t['arrival_p95_ms']} ms",
                     f"{s['p95']:,.1f} ms (p50 {s['p50']:,.1f}, {s['n']} arrivals)", m.get("arrival_p95")))
    if "pull_size" in results:
        ps = results["pull_size"]
        rows.append((f"Her first pull ({t['pull_people']} people, a week of visits) < {t['pull_gzip'] // 1024} KB "
                     "gzipped", f"{ps['gzip'] / 1024:,.1f} KiB ({ps['residents']} people, {ps['visits']} visits, "
                     f"{ps['entries']:,} entries)", m.get("pull_size")))
    if "pull" in results:
        pl = results["pull"][thr]
        rows.append((f"Her first pull on a 400 ms, 400 kbit/s link at {thr}× < {t['pull_ms'] / 1000:.0f} s",
                     f"{pl['total_ms']['p50'] / 1000:,.2f} s (median of {pl['total_ms']['n']}; slowest "
                     f"{pl['total_ms']['max'] / 1000:,.2f} s)", m.get("pull_time")))
    if "outbox" in results:
        ob = results["outbox"][thr]
        rows.append((f"A day's outbox ({t['outbox_visits']} visits, about {t['outbox_entries']} entries) pushed on "
                     f"that link at {thr}× < {t['outbox_s']:.0f} s",
                     f"{ob['entries']} entries in {ob['seconds']['p50']:,.2f} s (median of {ob['seconds']['n']}; "
                     f"slowest {ob['seconds']['max']:,.2f} s)",
                     m.get("outbox")))
    if "board" in results:
        b = results["board"]
        worst = max(("yesterday", "today"), key=lambda k: b[k]["ms"]["p95"])
        rows.append((f"The dispatcher's board with {t['board_visits']} visits, p95 < {t['board_p95_ms']} ms",
                     f"{b[worst]['ms']['p95']:,.0f} ms ({worst}'s board, {b[worst]['visits']} visits)",
                     m.get("board")))
    if "lighthouse" in results:
        lh = results["lighthouse"]
        for cat, floor in lh["targets"].items():
            worst = min((s["scores"][cat] or 0 for s in lh["screens"]), default=None)
            rows.append((f"Lighthouse {cat} ≥ {floor} on the carer's screens at {PHONE['width']}×{PHONE['height']}",
                         f"lowest {worst} of {len(lh['screens'])} screens", m.get("lighthouse", {}).get(cat)))
    return rows


def _ms(x):
    return "–" if x is None else f"{x:,.0f}"


def _ms1(x):
    return "–" if x is None else f"{x:,.1f}"


def _pair(s, fmt=_ms):
    return "–" if not s else f"{fmt(s['p50'])} / {fmt(s['p95'])}"


def _verdict(flag):
    return "**met**" if flag else ("not at this size" if flag is None else "**missed**")


def _rows(section, thr, line):
    """Table rows of a section by rate ("4", "1"): line(rate, figures) for the rates measured."""
    return [line(rate, section[rate]) for rate in (thr, "1") if rate in section]


def markdown(results):
    p, t, thr = results["params"], results["targets"], str(results["throttle"])
    w = results["world"]
    m = results.get("met") or met(results)
    days = w["visits_by_day"]

    def ref(section, fn):
        """The unthrottled column."""
        return fn(section["1"]) if "1" in section else "–"

    out = ["## Home care: the carer's phone and the dispatcher's board", "",
           f"Size `{results['size']}`, {results.get('seconds', 0):.0f} s. The demo community centre "
           "(`backend/demo/community.py`) grown by `benchmarks/homecare.py` (`seed_world`) to "
           f"{p['caseloads']} carers and {w['people']} people at home, each visited about three times a week: carer1 "
           f"with {w['carer']['caseload']} people ({w['carer']['today']} visits today), the others alike (carer2 the "
           f"demo's 20); {min(days.values())}–{max(days.values())} visits a day, {w['history_entries']:,} entries of "
           "the visits of the last two weeks (arrival, three items, vital signs, now and then a note, departure). "
           f"Served by gunicorn on SQLite. Chromium {results.get('chromium') or ''}, headless, "
           f"{PHONE['width']}×{PHONE['height']} with touch; the phone's CPU slowed {thr}× through the Chrome DevTools "
           "Protocol, and the same unthrottled for reference. The slow link: `Network.emulateNetworkConditions` "
           f"with {LINK['latency']} ms latency and {LINK['downloadThroughput'] * 8 // 1000} kbit/s each way.", "",
           f"| Measure | Target | {thr}× | Unthrottled | Verdict |", "|---|---|---:|---:|---|"]
    cs = results["cold_start"]
    cs4 = cs[thr]
    out.append(f"| Offline cold start to her stops drawn, ms: median (min–max) of {cs4['drawn']['n']} | under "
               f"{t['cold_start_ms']:,} at {thr}× | {_ms(cs4['drawn']['p50'])} ({_ms(cs4['drawn']['min'])}–"
               f"{_ms(cs4['drawn']['max'])}) | {ref(cs, lambda s: _ms(s['drawn']['p50']))} | "
               f"{_verdict(m.get('cold_start'))} |")
    ar = results["arrivals"]
    a4 = ar[thr]["save"]
    out.append(f"| An arrival saved without location, tap to painted, ms: p50 / p95 of {a4['painted']['n']} | p95 "
               f"under {t['arrival_p95_ms']} at {thr}× | {_pair(a4['painted'], _ms1)} | "
               f"{ref(ar, lambda s: _pair(s['save']['painted'], _ms1))} | {_verdict(m.get('arrival_p95'))} |")
    ps = results["pull_size"]
    out.append(f"| Her first pull, KiB gzipped ({ps['residents']} people, {ps['visits']} visits, {ps['entries']:,} "
               f"entries) | under {t['pull_gzip'] // 1024} KB | {ps['gzip'] / 1024:,.1f} | – | "
               f"{_verdict(m.get('pull_size'))} |")
    pl = results["pull"]
    pl4 = pl[thr]
    out.append(f"| Her first pull on the slow link, ms: median (slowest) of {pl4['total_ms']['n']} | under "
               f"{t['pull_ms']:,} at {thr}× | {_ms(pl4['total_ms']['p50'])} ({_ms(pl4['total_ms']['max'])}) | "
               f"{ref(pl, lambda s: _ms(s['total_ms']['p50']))} | {_verdict(m.get('pull_time'))} |")
    ob = results["outbox"]
    ob4 = ob[thr]
    out.append(f"| A day's outbox ({ob4['visits']} visits, {ob4['entries']} entries) pushed on the slow link, s: "
               f"median (slowest) of {ob4['seconds']['n']} | under {t['outbox_s']:.0f} at {thr}× | "
               f"{ob4['seconds']['p50']:.2f} ({ob4['seconds']['max']:.2f}) | "
               f"{ref(ob, lambda s: format(s['seconds']['p50'], '.2f'))} | {_verdict(m.get('outbox'))} |")
    b = results["board"]
    for key in ("yesterday", "today"):
        out.append(f"| The board of {key} ({b[key]['visits']} visits), the request, ms: p50 / p95 of "
                   f"{b[key]['ms']['n']} | p95 under {t['board_p95_ms']} | – | {_pair(b[key]['ms'])} | "
                   f"{_verdict(m.get('board')) if key == 'yesterday' else 'the worse of the two days is judged'} |")
    bs = results["board_screen"]
    out.append(f"| The board screen of yesterday ({bs['rows']} visits), tap on Refresh to painted, ms: p50 / p95 of "
               f"{bs['painted']['n']} | – | – | {_pair(bs['painted'])} | – |")
    out += ["", "### The carer's phone", "",
            "She signs in on her own phone (no enrolled tablet) with her password and chooses the station's post; "
            "the app opens \"My visits\". **Cold start**: then every request fails (`context.route` aborts them, "
            "the service worker's too) and the browser is opened again on that profile; times from navigation start "
            "to her first stop drawn (its buttons' handlers are attached as they are made) and to the next painted "
            "frame; the wait goes through the console, not a Playwright script in the page.", "",
            "| CPU | Starts | First paint, ms | **Stops drawn**, ms: median (min–max) | Painted, ms |",
            "|---|---:|---:|---:|---:|"]
    out += _rows(cs, thr, lambda rate, s: (
        f"| {rate}× | {s['drawn']['n']} | {_ms(s['fcp']['p50'] if s['fcp'] else None)} | "
        f"**{_ms(s['drawn']['p50'])}** ({_ms(s['drawn']['min'])}–{_ms(s['drawn']['max'])}) | "
        f"{_ms(s['painted']['p50'])} |"))
    out += ["", f"**Arrivals**: on fresh phones of {ar['phones']} bench carers, stop after stop of her day: a tap on "
            "\"Arrive\" (the phone's geolocation never answers: it is still looking for a fix), then a tap on \"Save "
            "without location\". Each tap a touch down and up on the button's centre through CDP, timed from the "
            "lift's event time stamp to the entry committed to IndexedDB with its outbox row (`bedside:recorded`), "
            "to the visit drawn as arrived, and to the next painted frame (a requestAnimationFrame and a task after "
            "the redraw). The unthrottled arrivals are spread among the throttled ones; before each stop the phone "
            "has pushed the last one. Every arrival is then on the dispatcher's board as arrived. ms, p50 / p95:", "",
            "| CPU | Arrivals | \"Arrive\" to the locating box painted | Saved: committed | Saved: drawn | "
            "**Saved: painted** (max) |", "|---|---:|---:|---:|---:|---:|"]
    out += _rows({k: v for k, v in ar.items() if k != "phones"}, thr, lambda rate, a: (
        f"| {rate}× | {a['save']['painted']['n']} | {_pair(a['arrive']['painted'], _ms1)} | "
        f"{_pair(a['save']['committed'], _ms1)} | {_pair(a['save']['drawn'], _ms1)} | "
        f"**{_pair(a['save']['painted'], _ms1)}** ({_ms1(a['save']['painted']['max'])}) |"))
    out += ["", f"**Her day's outbox**: carer1's first {ob4['visits']} visits of today recorded offline through the "
            f"app's own `record` (lib/outbox.js), one tap's entries at a time, {OUTBOX_PER_VISIT} a visit (arrival "
            "without location, three items ticked, blood pressure and pulse, temperature, a note, departure); then the "
            "slow link is back and she taps \"Sync now\": the time from the tap until the outbox is empty (each "
            "reply applied to IndexedDB). Each run records the same visits again, as a second phone would (the "
            "server stores and flags a second arrival).", "",
            "| CPU | Runs | Entries | Requests | KiB sent / received | Seconds: median (slowest) | Of which the "
            "requests, s |", "|---|---:|---:|---:|---:|---:|---:|"]
    out += _rows(ob, thr, lambda rate, s: (
        f"| {rate}× | {s['seconds']['n']} | {s['entries']} | {s['requests']} | {s['sent'] / 1024:,.1f} / "
        f"{s['transfer'] / 1024:,.1f} | {s['seconds']['p50']:.2f} ({s['seconds']['max']:.2f}) | "
        f"{s['request_seconds']['p50']:.2f} |"))
    parts = ", ".join(f"{k} {v / 1024:,.1f}" for k, v in ps["parts_raw"].items())
    out += ["", f"**Her first pull**: carer1's pull from `cursor=0` (a snapshot: her people, their cards of the months "
            f"of her window, the entries of their last two weeks, her visits from {ps['window']['first']} to "
            f"{ps['window']['last']}, the catalogue, the station's staff): {ps['raw'] / 1024:,.1f} KiB of JSON in "
            f"{ps['pages']} response(s), {ps['gzip'] / 1024:,.1f} KiB gzipped at level 6 (KiB raw by part: {parts}). "
            "In the browser a fresh phone signs in; then, at the CPU rate and on the slow link, she chooses the post: "
            "the app's measure `bedside:pull` (request to the last page stored), of which the request (fetch) and "
            "the IndexedDB transaction (`bedside:pull-apply`).", "",
            "| CPU | Fresh phones | Entries / people / visits stored | KiB transferred | **Total**, ms (slowest) | "
            "Fetch, ms | Apply, ms |", "|---|---:|---:|---:|---:|---:|---:|"]
    out += _rows(pl, thr, lambda rate, s: (
        f"| {rate}× | {s['total_ms']['n']} | {s['entries']:,} / {s['residents']} / {s['visits']} | "
        f"{s['transfer'] / 1024:,.1f} | **{_ms(s['total_ms']['p50'])}** ({_ms(s['total_ms']['max'])}) | "
        f"{_ms(s['fetch_ms']['p50'])} | {_ms(s['apply_ms']['p50'])} |"))
    out += ["", "### The dispatcher's board", "",
            "`GET /api/visits/board` of the station, signed in as the station head, from Python with gzip accepted "
            "as a browser does (the round trip on 127.0.0.1: the server's work and its compression), "
            f"{b['yesterday']['ms']['n']} times for each day, alternated. Yesterday every visit was done (each with "
            "its arrival, items, measurements and departure: the most a day's board holds); today carer1's outbox "
            "and the bench carers' arrivals. The board screen (views/dispatch.js) in an unthrottled desktop browser "
            f"({DESKTOP['width']}×{DESKTOP['height']}): a tap on \"Refresh\" to the board drawn anew and painted.", "",
            "| Day | Visits | Counts by state | KiB (gzipped) | Request, ms: p50 / p95 (max) |",
            "|---|---:|---|---:|---:|"]
    for key in ("yesterday", "today"):
        s = b[key]
        counts = ", ".join(f"{k} {v}" for k, v in s["counts"].items() if v)
        size = f"{s['bytes'] / 1024:,.1f}" + (f" ({s['gzip'] / 1024:,.1f})" if s.get("gzip") else "")
        out.append(f"| {key} ({s['day']}) | {s['visits']} | {counts} | {size} | {_pair(s['ms'])} "
                   f"({_ms(s['ms']['max'])}) |")
    out += ["", f"The screen, {bs['refreshes']} refreshes of yesterday's board ({bs['rows']} visits), ms, p50 / p95: "
            f"the request {_pair(bs['fetch'])}, drawn {_pair(bs['drawn'])}, painted {_pair(bs['painted'])}.", ""]
    lh = results.get("lighthouse")
    if lh:
        out += ["### Lighthouse: the carer's screens", "",
                f"Lighthouse {lh.get('lighthouse') or ''} on a bench carer's phone set up through Playwright over CDP "
                f"(sign-in, the post, \"My visits\"); {lh['settings']}.", "",
                "| Screen | URL | Performance | Accessibility | Best practices | FCP, ms | LCP, ms | TBT, ms | CLS |",
                "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
        for s in lh["screens"]:
            sc, mm = s["scores"], s["metrics"]
            out.append(f"| {s['name']} | `{s['url']}` | {sc['performance']} | {sc['accessibility']} | "
                       f"{sc['best-practices']} | {mm.get('first-contentful-paint', 0):,.0f} | "
                       f"{mm.get('largest-contentful-paint', 0):,.0f} | {mm.get('total-blocking-time', 0):,.0f} | "
                       f"{mm.get('cumulative-layout-shift', 0):.3f} |")
        losing = [(s["name"], f) for s in lh["screens"] for f in s["failing"]]
        if losing:
            out += ["", "Audits that cost points:", ""]
            out += [f"- {name}: {f['category']} — {f['title']} ({f['display'] or 'score ' + format(f['score'], '.2f')})"
                    for name, f in losing]
        out.append("")
    else:
        out += ["Lighthouse on the carer's screens runs at the full size only.", ""]
    out += ["Not measured here yet (issue 18, section 6): a region with home care (320 phones, push and pull p95 "
            "under 150 ms) and the settlement export of a region's month (about 100,000 visits; no export route "
            "exists yet).", ""]
    return "\n".join(out)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.homecare", description=__doc__.split("\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="quick")
    parser.add_argument("--json", help="write the raw figures here")
    args = parser.parse_args(argv)
    results = run(args.size)
    print(markdown(results))
    for label, measured, flag in targets(results):
        print(f"{label}: {measured} — {_verdict(flag)}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(results, fh, indent=1, default=str)


if __name__ == "__main__":
    main()
