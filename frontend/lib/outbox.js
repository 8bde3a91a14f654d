// The outbox's rows and what a push does to them: the next batch, the server's answers, a failure noted, an entry
// held for Needs attention and sent again. lib/sync.js pushes through it; views call sync.js, never the store.
// Nothing here touches window/document (the service worker imports it through lib/sync.js).
import {ApiError} from './api.js';
import {req, tx} from './db.js';

/** A lone entry the server failed on (5xx) this many times in a row is held; one it refused (4xx) is held at once. */
export const HOLD_AFTER = 3;
/** Failures of one entry closer together than this count once (the page and the service worker, one after the
 * other): holding after HOLD_AFTER is meant to ride out a server that fails for a moment. */
const LONE_GAP = 1000;

/** Outbox rows in one state, in sending order (the 'state_seq' index). */
export const inState = (state) => IDBKeyRange.bound([state, -Infinity], [state, Infinity]);

/**
 * What a push refused as a whole says about its entries: null when it is not about them (offline, 401/403/409/429:
 * the tablet, the person or the server's load -- back off and send it all again); 'refused' when one of them may be
 * unacceptable (400, 413, 422: alone, it is held at once); 'failed' when the server failed on the request (5xx: one
 * entry may make it fail; alone, it is held after HOLD_AFTER tries), except the app's 503 `database_unavailable`
 * (about the server, like being offline). A 400 that names only fields outside `entries` (the device id...) is about
 * the request. 502/503/504 without the API's error body are offline (lib/api.js).
 */
export function judge(err) {
  if (!(err instanceof ApiError)) return null;
  const keys = Object.keys(err.fields || {});
  if (keys.length && !keys.some((k) => k === 'entries' || k.startsWith('entries.'))) return null;
  // The server cannot reach its database (backend/errors.py): no entry's doing; an outage never sets one aside.
  if (err.status === 503 || err.code === 'database_unavailable') return null;
  if (err.status >= 500) return 'failed';
  return [400, 413, 422].includes(err.status) ? 'refused' : null;
}

/**
 * Send `batch` (outbox rows in client_seq order) with `send(rows)`, which resolves to the server's reply or throws.
 * A request refused as a whole in a way one entry may cause (`judge(err)`) is halved, the earlier half first, until
 * that entry is alone; the rest is sent as usual, in order, as one request again once the entry is set aside. Pure:
 * it neither stores nor waits; the caller notes what it returns.
 *
 * After a lone entry the server failed on (5xx) before anything got through, the rest is sent once more as one
 * request; failed too, the server itself may be failing: the round stops there (no fan-out of a request per entry).
 *
 * Returns {sent: [{rows, reply}], lone: [{row, err}], failed: {rows, err} | null}: the parts that got through, the
 * entries refused alone (to hold, or to try again later), and what was left unsent when the round stopped.
 */
export async function sendInHalves(batch, send, judgeError = judge) {
  const out = {sent: [], lone: [], failed: null};
  let queue = batch.length ? [batch] : [];
  let doubt = false;  // a lone entry failed before anything got through: is it the entry or the server?
  while (queue.length) {
    const rows = queue.shift();
    let reply;
    try {
      reply = await send(rows);
    } catch (err) {
      const verdict = judgeError(err);
      if (!verdict || doubt) {
        out.failed = {rows: [...rows, ...queue.flat()], err};
        return out;
      }
      if (rows.length > 1) {
        const middle = Math.ceil(rows.length / 2);
        queue.unshift(rows.slice(0, middle), rows.slice(middle));
        continue;
      }
      out.lone.push({row: rows[0], err});
      if (verdict === 'failed' && !out.sent.length) doubt = true;
      if (queue.length > 1) queue = [queue.flat()];  // what is left is contiguous: one request
      continue;
    }
    doubt = false;
    out.sent.push({rows, reply});
  }
  return out;
}

/** The next rows to push: up to `limit` pending ones, in order, leaving out the ids in `except`. */
export async function pendingBatch(limit, except) {
  const [rows, waiting] = await tx(['outbox'], 'readonly', ({outbox}) => Promise.all([
    req(outbox.index('state_seq').getAll(inState('pending'), limit + except.size)),
    req(outbox.index('state_seq').count(inState('pending')))]));
  return {batch: rows.filter((o) => !except.has(o.id)).slice(0, limit), waiting};
}

const errorText = (err) => (err instanceof ApiError ? `${err.status} ${err.code}` : 'offline');

/** A push of these rows failed as a whole (offline, 401...): each keeps waiting, its attempt counted. */
export async function noteFailure(rows, err) {
  const message = errorText(err);
  await tx(['outbox'], 'readwrite', async ({outbox}) => {
    for (const cur of await Promise.all(rows.map((o) => req(outbox.get(o.id))))) {
      if (cur) outbox.put({...cur, attempts: (cur.attempts || 0) + 1, last_error: message});
    }
  });
}

/** A lone entry's fields in an error about the whole request ('entries.0.note' -> 'note'); null if none. */
function entryFields(fields) {
  const found = Object.entries(fields || {}).map(([k, v]) => [k.replace(/^entries\.\d+\./, ''), v]);
  return found.length ? Object.fromEntries(found) : null;
}

/**
 * The server refused (4xx) or failed on (5xx) this entry sent alone: held at once when refused, after HOLD_AFTER
 * failures in a row (LONE_GAP apart) when it failed; held, it waits in Needs attention with the server's answer
 * (status, code, message, fields) until someone sends it again. Returns whether it is held now.
 */
export async function noteLoneFailure(row, err) {
  const answer = {status: err.status, code: err.code, message: err.message || '', fields: entryFields(err.fields)};
  return tx(['outbox'], 'readwrite', async ({outbox}) => {
    const cur = await req(outbox.get(row.id));
    if (!cur || cur.state !== 'pending') return false;
    const now = Date.now();
    const counts = !cur.lone_failed_at || now - cur.lone_failed_at >= LONE_GAP;
    const failures = (cur.lone_failures || 0) + (counts ? 1 : 0);
    const held = judge(err) === 'refused' || failures >= HOLD_AFTER;
    outbox.put({...cur, attempts: (cur.attempts || 0) + 1, last_error: errorText(err), lone_failures: failures,
      lone_failed_at: counts ? now : cur.lone_failed_at, answer,
      ...(held ? {state: 'rejected', reason: err.code, fields: answer.fields} : {})});
    return held;
  });
}

/** An entry held or refused goes back to the pending ones, as if new (the caller pushes). */
export async function release(id) {
  return tx(['outbox'], 'readwrite', async ({outbox}) => {
    const cur = await req(outbox.get(id));
    if (!cur) return false;
    outbox.put({...cur, state: 'pending', reason: null, fields: null, answer: null, lone_failures: 0,
      lone_failed_at: null});
    return true;
  });
}

/** The server's answer for each pushed entry: acknowledged ones leave the outbox for 'sent', refused ones are held. */
export async function applyResults(results) {
  const ackedAt = Date.now();
  const acked = (r) => r.status === 'accepted' || r.status === 'duplicate';
  await tx(['outbox', 'entries', 'sent'], 'readwrite', async ({outbox, entries, sent}) => {
    // Every read asked at once, then answered together: one wait per batch instead of two per entry.
    const [items, stored] = await Promise.all([Promise.all(results.map((r) => req(outbox.get(r.id)))),
      Promise.all(results.map((r) => (acked(r) ? req(entries.get(r.id)) : null)))]);
    for (const [i, r] of results.entries()) {
      const item = items[i];
      if (!item) continue;
      if (acked(r)) {
        outbox.delete(r.id);
        sent.put({id: item.id, client_seq: item.client_seq, entry: item.entry, acked_at: ackedAt});
        const e = stored[i];
        if (e) {
          entries.put({...e, synced: true, late_after_confirmation: !!r.late, flags: r.flags || e.flags || null,
            ...(r.score ? {score: r.score} : {})});
        }
      } else if (r.status === 'rejected') {
        outbox.put({...item, state: 'rejected', reason: r.reason || null, fields: r.fields || null});
      }
    }
  });
}
