// The tablet's role lists, mayRecord and allows (frontend/lib/roles.js), for tests/domain/test_roles_shared.py: the
// lists by name, mayRecord for each case of ROLE_CASES ([roles held, kind, category]), and allows for each case of
// CAN_CASES ([user, capability]).
import {join, dirname} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const roles = await import(join(root, 'frontend', 'lib', 'roles.js'));
const lists = Object.fromEntries(Object.entries(roles).filter(([, v]) => Array.isArray(v)));
const cases = JSON.parse(process.env.ROLE_CASES);
const decisions = cases.map(([held, kind, category]) => roles.mayRecord({role: held[0], roles: held}, kind, category));
const allowed = JSON.parse(process.env.CAN_CASES || '[]').map(([user, capability]) => roles.allows(user, capability));
process.stdout.write(JSON.stringify({lists, decisions, allowed}));
