// The tablet's push halving (frontend/lib/outbox.js sendInHalves and judge), for tests/domain/test_outbox_halving.py:
// each case of OUTBOX_CASES ({n, poison: {seq: status}, down: status | null, offline_after: k | null}) is pushed
// through a fake server that refuses any request holding a poisoned entry (or every request, `down`).
import {join, dirname} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const {ApiError, OfflineError} = await import(join(root, 'frontend', 'lib', 'api.js'));
const outbox = await import(join(root, 'frontend', 'lib', 'outbox.js'));

const codes = {400: 'validation_error', 413: 'request_entity_too_large', 422: 'unprocessable', 500: 'server_error'};
const cases = JSON.parse(process.env.OUTBOX_CASES);
const runs = [];
for (const c of cases) {
  const batch = Array.from({length: c.n}, (_, i) => ({id: `e${i + 1}`, client_seq: i + 1}));
  const requests = [];
  const send = async (rows) => {
    requests.push(rows.map((r) => r.client_seq));
    if (c.offline_after !== null && c.offline_after !== undefined && requests.length > c.offline_after) {
      throw new OfflineError(new Error('down'));
    }
    const bad = c.down || rows.map((r) => c.poison[r.client_seq]).find(Boolean);
    if (bad) throw new ApiError(bad, codes[bad] || `http_${bad}`, 'no', bad === 400 ? {[`entries.0.note`]: 'bad'} : {});
    return {results: rows.map((r) => ({id: r.id, status: 'accepted'}))};
  };
  const out = await outbox.sendInHalves(batch, send);
  runs.push({
    requests,
    sent: out.sent.flatMap(({rows}) => rows.map((r) => r.client_seq)),
    lone: out.lone.map(({row, err}) => [row.client_seq, err.status ?? 'offline']),
    failed: out.failed && {seqs: out.failed.rows.map((r) => r.client_seq), status: out.failed.err.status ?? 'offline'},
  });
}
const judged = [
  new ApiError(500, 'server_error', ''), new ApiError(400, 'validation_error', '', {'entries.3.note': 'x'}),
  new ApiError(400, 'validation_error', '', {device_id: 'x'}), new ApiError(413, 'request_entity_too_large', ''),
  new ApiError(422, 'unprocessable', ''), new ApiError(401, 'unauthenticated', ''), new ApiError(403, 'forbidden', ''),
  new ApiError(409, 'conflict', ''), new ApiError(429, 'too_many', ''), new OfflineError(new Error('x')),
  new ApiError(503, 'database_unavailable', ''),
].map((err) => outbox.judge(err));
process.stdout.write(JSON.stringify({runs, judged, holdAfter: outbox.HOLD_AFTER}));
