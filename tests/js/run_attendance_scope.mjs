// The unit a tablet asks the attendance pull for (frontend/lib/sync.js attendanceUnit), for
// tests/domain/test_attendance_scope.py: each case of SCOPE_CASES is [user, enrolled post], the answer the unit or null.
import {join, dirname} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const sync = await import(join(root, 'frontend', 'lib', 'sync.js'));
const cases = JSON.parse(process.env.SCOPE_CASES);
process.stdout.write(JSON.stringify(cases.map(([user, post]) => sync.attendanceUnit(user, post))));
