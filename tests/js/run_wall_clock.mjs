// The home's wall clock typed on a device in any zone, to an instant with its offset (frontend/lib/time.js), for
// tests/domain/test_wall_clock.py, which checks each against Python's zoneinfo.
import {join, dirname} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const time = await import(join(root, 'frontend', 'lib', 'time.js'));
const cases = JSON.parse(process.env.WALL_CLOCK_CASES);
process.stdout.write(JSON.stringify(cases.map(([local, zone]) => time.wallClockToISO(local, zone))));
