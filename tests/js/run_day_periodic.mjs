// The resident's day model (frontend/lib/day.js) with services less often than daily, for
// tests/domain/test_periodic.py: a monthly item done on an earlier day of the month is shown done for its period
// (a row of its own, not a cell, not counted today), an every-10-days item is offered, and a tap records it.
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const {dayOf} = await import(join(root, 'frontend', 'lib', 'day.js'));

const tz = 'Asia/Krasnoyarsk';
const items = [
  {id: 1, title: 'Haircut', schedule_kind: 'monthly', schedule: {day: null}, plan_service: 's1', position: 1},
  {id: 2, title: 'Bath', schedule_kind: 'every_days', schedule: {days: 10, from: '2026-11-04'}, position: 2},
].map((i) => ({days_of_week: null, valid_from: null, valid_to: null, ...i}));
const tick = (id, item, slot, day, time) => ({id, kind: 'tick', resident_id: 7, item_id: item, slot, status: 'done',
  day, supersedes: null, reason: null, note: null, author_id: 1, synced: true, device_time: `${day}T${time}:00+07:00`});
const at = {residentId: 7, unitId: 1, day: '2026-11-20', tz, now: () => 600};
const read = {items, entries: [], away: [], staff: [{id: 1, full_name: 'Nurse'}], confirmations: [],
  rejected: new Set(), periodEntries: [tick('h1', 1, 'p:2026-11-01', '2026-11-09', '23:30'),
    tick('b0', 2, 'p:2026-11-04', '2026-11-05', '09:00')]};
const day = dayOf(at, read);
const view = (d) => ({counts: d.counts, rows: d.rows.map((r) => [r.key, r.periodDone ? r.periodDone.day : null,
  r.entry ? r.entry.id : null, r.cell ? r.cell.state : null])});
const tapped = day.with([tick('b1', 2, 'p:2026-11-14', '2026-11-20', '10:05')]);
process.stdout.write(JSON.stringify({before: view(day), after: view(tapped)}));
