// Runs tests/fixtures/confirmation_cases.json through frontend/lib/schedule.js confirmedUntil and prints
// [{until (UTC, no offset, to the second) or null, whole}] as JSON; tests/domain/test_confirmation_shared.py compares.
import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const schedule = await import(join(root, 'frontend', 'lib', 'schedule.js'));
const {cases} = JSON.parse(readFileSync(join(root, 'tests', 'fixtures', 'confirmation_cases.json'), 'utf8'));
process.stdout.write(JSON.stringify(cases.map((c) => {
  const {until, whole} = schedule.confirmedUntil(c.confirmations, c.unit_id, c.resident_id, c.day, c.timezone);
  return {until: until === null ? null : new Date(until).toISOString().slice(0, 19), whole};
})));
