// Runs the shared home-visit cases (tests/fixtures/visit_cases.json) through the carer's phone's rules
// (frontend/lib/visits.js) and prints the results as JSON on stdout: the module's lists and thresholds, distances,
// roundings, valid fixes, code hashes, check() refusals by field and code, localFlags. Called by
// tests/domain/test_visits.py, which compares them with the expected values and with Python.
import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cases = JSON.parse(readFileSync(join(root, 'tests', 'fixtures', 'visit_cases.json'), 'utf8'));
const visits = await import(join(root, 'frontend', 'lib', 'visits.js'));

/** A check case's entry: base_entry with its fields, a repeated duration reason spelled out. */
function entryOf(c) {
  const entry = {...cases.base_entry, ...c.entry};
  if (c.repeat) entry.values = {...entry.values, duration_reason: c.repeat[0].repeat(c.repeat[1])};
  return entry;
}

const constants = Object.fromEntries(Object.entries(visits).filter(([, v]) => typeof v !== 'function'));
const out = {
  constants,
  distances: cases.distances.map((c) => visits.distanceM(c.a[0], c.a[1], c.b[0], c.b[1])),
  rounding: cases.rounding.map((c) => visits.roundFix(c.value)),
  valid_fixes: cases.valid_fixes.map((c) => visits.validFix(c.lat, c.lon)),
  code_hashes: await Promise.all(cases.code_hashes.map((c) => visits.codeHash(c.salt, c.code))),
  checks: cases.checks.map((c) => {
    const errors = visits.check(entryOf(c));
    const shaped = Object.values(errors).every((e) => typeof e.code === 'string' && typeof e.message === 'string'
      && !e.message.includes('%('));
    return {errors: Object.fromEntries(Object.entries(errors).map(([field, e]) => [field, e.code])), shaped};
  }),
  local_flags: cases.local_flags.map((c) => visits.localFlags(entryOf(c), c.visit, c.person, c.arrival)),
};
process.stdout.write(JSON.stringify(out));
