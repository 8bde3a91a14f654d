// Runs tests/fixtures/activity_cases.json through the tablet's timetable and attendance rules
// (frontend/lib/activities.js) and prints the results as JSON; tests/domain/test_activity_conformance.py
// compares them with the expected values, which the server's rules give too.
import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cases = JSON.parse(readFileSync(join(root, 'tests', 'fixtures', 'activity_cases.json'), 'utf8'));
const rules = await import(join(root, 'frontend', 'lib', 'activities.js'));

console.log(JSON.stringify({
  occurrences: cases.occurrence_cases.map((c) => rules.occurrences(cases.sessions, cases.changes, c.start, c.end,
    c.unit_id)),
  programme: cases.programme_cases.map((c) => rules.programmeApplies(c.item, c.day)),
  idle: cases.idle_cases.map((c) => rules.idle(cases.resident_ids, cases.entries, c.today, cases.activity_directions,
    c.days)),
  social_occupation: rules.SOCIAL_OCCUPATION,
}));
