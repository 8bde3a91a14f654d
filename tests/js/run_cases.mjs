// Runs the shared conformance vectors (tests/fixtures/*_cases.json) through the tablet's JS rules
// (frontend/lib/schedule.js, frontend/lib/vitals.js) and prints the results as JSON on stdout.
// Called by tests/domain/test_conformance.py, which compares them with the expected values.
import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const readJSON = (...parts) => JSON.parse(readFileSync(join(root, ...parts), 'utf8'));

const schedule = await import(join(root, 'frontend', 'lib', 'schedule.js'));
const vitals = await import(join(root, 'frontend', 'lib', 'vitals.js'));
const signing = await import(join(root, 'frontend', 'lib', 'signing.js'));

const sched = readJSON('tests', 'fixtures', 'schedule_cases.json');
const vcases = readJSON('tests', 'fixtures', 'vitals_cases.json');
const definition = readJSON('frontend', 'forms', 'vitals.json');
const scases = readJSON('tests', 'fixtures', 'signing_cases.json');
const signingKey = await signing.importSigningKey(signing.fromB64url(scases.secret));

const item = (i) => ({days_of_week: null, valid_from: null, valid_to: null, ...i});
const entry = (e) => ({supersedes: null, reason: null, note: null, values: null, ...e});

const out = {
  slots: sched.slot_cases.map((c) => schedule.slots(c.kind, c.params, c.grace_minutes)
    .map(({key, start, time, due}) => ({key, start, time, due}))),
  applies: sched.applies_cases.map((c) => schedule.appliesOn(c.day, c.days_of_week, c.valid_from, c.valid_to)),
  days: sched.day_cases.map((c) => schedule.dayOfResident(c.items.map(item), c.entries.map(entry), sched.day,
    c.now_minute, c.grace_minutes, c.away || []).cells.map(({item_id, slot, time, state, entry_id, late}) => (
    {item_id, slot, time, state, entry_id, late}))),
  away: sched.away_cases.map((c) => schedule.awayWindows(c.periods, sched.day)),
  periods: sched.period_cases.map((c) => schedule.periods(c.kind, c.params, c.day).map((p) => [p.key, p.due, p.end])),
  periodDays: sched.period_day_cases.map((c) => {
    const r = schedule.dayOfResident(c.items.map(item), c.entries.map(entry), c.day, c.now_minute, c.grace_minutes,
      c.away || [], c.period_entries.map(entry));
    return {cells: r.cells.map(({item_id, slot, time, state, entry_id, late}) => ({item_id, slot, time, state, entry_id,
      late})), period_done: r.periodDone};
  }),
  vitals: vcases.cases.map((c) => {
    const {errors, flags} = vitals.check(c.values, definition);
    return {errors: Object.keys(errors).sort(), flags};
  }),
};
out.signing = await Promise.all(scases.cases.map(async (c) => {
  const e = {...scases.base, ...c.change};
  return {canonical: signing.canonical(e), sig: await signing.sign(signingKey, e)};
}));
out.proof = await signing.proof(signingKey, scases.proof.purpose, ...scases.proof.parts);
// The PIN wrap: the right PIN opens the key (it signs the same), a wrong one does not.
const sealed = await signing.wrapWithPin('4821', signing.fromB64url(scases.secret), 1000);
const reopened = await signing.unwrapWithPin('4821', sealed);
out.pin = {right: reopened ? await signing.sign(reopened, scases.base) : null,
  wrong: await signing.unwrapWithPin('4822', sealed), stored: Object.keys(sealed).sort()};
process.stdout.write(JSON.stringify(out));
