// Runs the shared form cases (tests/fixtures/forms/*.json) through the tablet's form engine
// (frontend/lib/forms.js) and prints the results as JSON on stdout: {file: [{total, subscores, band, errors}]}.
// Called by tests/domain/test_forms.py, which compares them with the expected values and with Python.
import {readdirSync, readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const readJSON = (...parts) => JSON.parse(readFileSync(join(root, ...parts), 'utf8'));
const forms = await import(join(root, 'frontend', 'lib', 'forms.js'));

const out = {};
for (const name of readdirSync(join(root, 'tests', 'fixtures', 'forms')).filter((n) => n.endsWith('.json')).sort()) {
  const file = readJSON('tests', 'fixtures', 'forms', name);
  const definition = file.definition || readJSON('frontend', 'forms', `${file.form}.json`);
  out[name] = file.cases.map((c) => {
    const {total, subscores, band, errors} = forms.score(definition, c.answers);
    const codes = Object.fromEntries(Object.entries(errors).map(([qid, e]) => [qid, e.code]));
    const same = JSON.stringify(Object.keys(forms.validate(definition, c.answers)).sort())
      === JSON.stringify(Object.keys(codes).sort());
    return {total, subscores, band, errors: codes, validate_agrees: same};
  });
}
process.stdout.write(JSON.stringify(out));
