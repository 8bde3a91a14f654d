// Runs tests/fixtures/care_group_cases.json through frontend/lib/care_group.js suggest() and prints
// {results: [{group, reasons, unseen}], grounds, rows}; tests/domain/test_care_group_shared.py compares them with
// the Python rule's answers.
import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const rule = await import(join(root, 'frontend', 'lib', 'care_group.js'));
const {cases} = JSON.parse(readFileSync(join(root, 'tests', 'fixtures', 'care_group_cases.json'), 'utf8'));
const form = JSON.parse(readFileSync(join(root, 'frontend', 'forms', 'adl_observation.json'), 'utf8'));
const ROWS = form.sections.flatMap((s) => s.questions).filter((q) => q.type === 'rating').map((q) => q.id);

function expand(observation) {
  if (observation === null) return null;
  const answers = Object.fromEntries(ROWS.map((row) => [row, 1]));
  for (const [row, value] of Object.entries(observation)) {
    if (value === null) delete answers[row];
    else answers[row] = value;
  }
  return answers;
}

process.stdout.write(JSON.stringify({
  results: cases.map((c) => rule.suggest(expand(c.observation), c.mmse_total, c.options)),
  grounds: rule.GROUNDS,
  rows: rule.READ_ROWS,
}));
