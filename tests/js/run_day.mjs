// The resident's day model (frontend/lib/day.js) on the shared cases (tests/fixtures/day_counts_cases.json), for
// tests/domain/test_day_counts_shared.py: per case the counts with every entry as read, the counts with the last
// entries recorded after the read (Day.with, the path a tap takes), the open cells, the rows' keys, the records;
// and the vital-sign flags the tablet shows before and after the server answered.
import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const {dayOf, STATES} = await import(join(root, 'frontend', 'lib', 'day.js'));
const {check} = await import(join(root, 'frontend', 'lib', 'vitals.js'));
const {wallClockToISO} = await import(join(root, 'frontend', 'lib', 'time.js'));
const cases = JSON.parse(readFileSync(join(root, 'tests', 'fixtures', 'day_counts_cases.json'), 'utf8'));
const definition = JSON.parse(readFileSync(join(root, 'frontend', 'forms', 'vitals.json'), 'utf8'));

const minutes = (hhmm) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
const items = cases.items.map((i) => ({days_of_week: null, valid_from: null, valid_to: null, ...i}));
const entry = (e) => ({resident_id: 7, day: cases.day, supersedes: null, reason: null, note: null, values: null,
  flags: null, author_id: 1, synced: true, ...e, device_time: wallClockToISO(`${cases.day}T${e.time}`, cases.tz)});
const at = (c) => ({residentId: 7, unitId: 1, day: cases.day, tz: cases.tz, now: () => minutes(c.now),
  flagsOf: (values) => check(values, definition).flags});
const read = (c, entries) => ({items, entries, away: c.away || [], staff: [{id: 1, full_name: 'Nurse'}],
  confirmations: [], rejected: new Set()});

const out = {states: STATES, cases: cases.cases.map((c) => {
  const all = c.entries.map(entry);
  const whole = dayOf(at(c), read(c, all));
  // The day read before the last entries, and those recorded since (unsynced, as a tap stores them).
  const split = Math.floor(all.length / 2);
  let recorded = dayOf(at(c), read(c, all.slice(0, split)));
  for (const e of all.slice(split)) recorded = recorded.with([{...e, synced: false}]);
  const other = dayOf(at(c), read(c, all)).with([{...all[0], id: 'x', resident_id: 8}]);
  return {counts: whole.counts, recorded: recorded.counts, open: whole.open.map((x) => `${x.item_id}|${x.slot}`),
    rows: whole.rows.map((r) => r.key), records: whole.records.map((e) => e.id), otherResident: other,
    sameRows: recorded.rows.map((r) => r.key).join() === whole.rows.map((r) => r.key).join()};
})};
// Flags: an entry just recorded (not synced) by the tablet's rules; once synced, the server's (here: none given).
const base = {minute: 0};
const flagsDay = dayOf(at({now: '12:00'}), read({}, []));
out.flags = cases.flags.map((f) => ({
  local: flagsDay.flags({...base, kind: 'vitals', values: f.values, synced: false, flags: null}),
  server: flagsDay.flags({...base, kind: 'vitals', values: f.values, synced: true, flags: {pulse: 'low'}}),
}));
process.stdout.write(JSON.stringify(out));
