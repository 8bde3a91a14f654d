// The tablet's role lists and mayRecord (frontend/lib/roles.js), for tests/domain/test_roles_shared.py: the lists
// by name, and mayRecord for each case of ROLE_CASES ([roles held, kind, category]).
import {join, dirname} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const roles = await import(join(root, 'frontend', 'lib', 'roles.js'));
const lists = Object.fromEntries(Object.entries(roles).filter(([, v]) => Array.isArray(v)));
const cases = JSON.parse(process.env.ROLE_CASES);
const decisions = cases.map(([held, kind, category]) => roles.mayRecord({role: held[0], roles: held}, kind, category));
process.stdout.write(JSON.stringify({lists, decisions}));
