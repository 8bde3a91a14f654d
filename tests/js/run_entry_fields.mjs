// The tablet's entry fields (frontend/lib/entry_fields.js) and the fields its signature covers (lib/signing.js),
// for tests/domain/test_entry_fields.py.
import {join, dirname} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fields = await import(join(root, 'frontend', 'lib', 'entry_fields.js'));
const signing = await import(join(root, 'frontend', 'lib', 'signing.js'));
process.stdout.write(JSON.stringify({fields: fields.FIELDS, sent: fields.SENT, required: fields.REQUIRED,
  signed: fields.SIGNED, signing: signing.SIGNED_FIELDS}));
