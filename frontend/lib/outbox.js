// The outbox: what this tablet recorded and the server has not acknowledged yet, shaped like Workbox's background-sync
// Queue. It owns the rows and their states -- 'pending' (waiting to be pushed), 'rejected' (held for Needs attention),
// and 'sent' (acknowledged, kept SENT_DAYS in the 'sent' store to push again after a server restore) -- and the
// recording: record(entries) numbers, signs and stores them (in the recorder worker, lib/recorder.js) and tells
// 'recorded'. lib/sync.js pushes its rows (the helpers below the recording) and pulls; views call this module, never
// the store. Nothing here touches window/document at import time (the service worker imports it through lib/sync.js).
import {ApiError} from './api.js';
import {emit, events, inPage, on, tell} from './bus.js';
import {getMeta, req, tx} from './db.js';
import {storeSigned} from './entries.js';
import {REQUIRED, SENT} from './entry_fields.js';
import {currentPerson} from './people.js';
import {uuid7} from './uuid.js';

/** How long acknowledged entries are kept to re-push after a server restore (docs/sync.md). */
const SENT_DAYS = 14;

/** Outbox rows in one state, in sending order (the 'state_seq' index). */
export const inState = (state) => IDBKeyRange.bound([state, -Infinity], [state, Infinity]);

// --- the queue's sync ---------------------------------------------------------------------------------------------

// What pushes the outbox (lib/sync.js sets it, as Workbox's Queue takes onSync): `now` false after a recording (push
// soon, several taps in one request), true after an entry is sent again.
let pushSoon = () => {};
export function onSync(fn) { pushSoon = fn; }

// --- recording ----------------------------------------------------------------------------------------------------

let knownDevice = null;  // it never changes once made: read once per context (a tick no longer pays a transaction)
/** The device's id, made once per installation: every entry recorded here carries it (with its client_seq). */
export async function deviceId() {
  if (knownDevice) return knownDevice;
  // Read first: a write transaction would hold up every other read of 'meta' while the app starts.
  const id = (await getMeta('device_id')) || await tx(['meta'], 'readwrite', async ({meta}) => {
    let made = await req(meta.get('device_id'));
    if (!made) { made = uuid7(); meta.put(made, 'device_id'); }
    return made;
  });
  knownDevice = id;
  return id;
}
let lastSeq = null;  // the last number this context gave; the write checks it is still the last one
/** An entry's fields as sent (lib/entry_fields.js) but its signature, added as it is stored. */
const BUILT = SENT.filter((name) => name !== 'sig');
events.addEventListener('wiped', () => { knownDevice = null; lastSeq = null; });  // here or in another tab, or the worker

// The recorder worker (lib/recorder.js): undefined until started, null where none can run (the service worker, an
// old browser, a worker that failed): the page then stores the entries itself, with the same function.
let recorder;
const asked = new Map();  // request number -> its promise's resolve
let asking = 0;

/** Start the recorder worker (the page calls it at start, so the first tap does not wait for it). */
export function startRecorder() {
  if (recorder !== undefined) return;
  recorder = null;
  if (!inPage() || typeof Worker !== 'function') return;
  try {
    const worker = new Worker(new URL('./recorder.js', import.meta.url), {type: 'module'});
    worker.onmessage = (event) => {
      const resolve = asked.get(event.data.n);
      asked.delete(event.data.n);
      if (resolve) resolve(event.data);
    };
    // A worker that cannot load or dies: what it was asked is stored on the page instead (storeSigned tells a
    // store that did commit from one that did not), and so is everything after.
    worker.onerror = (event) => {
      if (event && event.preventDefault) event.preventDefault();
      console.warn('recorder worker failed; storing on the page', event && event.message);
      recorder = null;
      for (const resolve of asked.values()) resolve(null);
      asked.clear();
    };
    recorder = worker;
  } catch (err) {
    console.warn('recorder worker not started; storing on the page', err);
  }
}

async function store(key, built, scores, base, seq) {
  if (recorder) {
    const answer = await new Promise((resolve) => {
      const n = ++asking;
      asked.set(n, resolve);
      recorder.postMessage({n, key, built, scores, base, seq});
    });
    if (answer && answer.error) throw Object.assign(new Error(answer.error.message), {name: answer.error.name});
    if (answer) return answer;
  }
  return {...await storeSigned(key, built, scores, base, seq), at: performance.timeOrigin + performance.now()};
}

/**
 * Record entries atomically (e.g. a measurement and its tick), signed by the person who has the tablet unlocked:
 * entries + outbox rows + client_seq in ONE transaction; resolves to the stored entries once committed, then the
 * outbox is pushed soon. `list`: each entry's fields (kind, day, resident_id, item_id, slot, status, reason, note,
 * values, category, supersedes; score: an assessment's score as the tablet computed it, kept locally).
 *
 * Signing is asynchronous and an IndexedDB transaction cannot wait for it, so the sequence numbers are read first
 * and the write checks that nobody took them meanwhile (another tab), else it starts again.
 *
 * Tells 'recording' {entries} (this page only) while they are stored -- the screen may work out how they will look,
 * and shows them on 'recorded' {entries} (this page, the other tabs), once they are stored (views/resident.js).
 */
export async function record(list) {
  const signer = currentPerson();
  if (!signer || !signer.key) throw new Error('locked');
  const device = await deviceId();
  // Made once: numbered again after a clash, the same entries keep their ids (a store can tell they are in).
  const ids = list.map(() => uuid7());
  const scores = list.map((fields) => fields.score || null);
  let made = null;
  let at = null;
  for (let attempt = 0; !made; attempt++) {
    if (attempt > 20) throw new Error('could not number the entries');
    // A tap should not wait for a read of the number it already knows (after a tap the browser answers the
    // database only once the next frame is drawn); taken meanwhile (another tab), it is read again.
    const base = attempt === 0 && lastSeq !== null ? lastSeq : (await getMeta('client_seq')) || 0;
    const built = [];
    let seq = base;
    for (const [i, fields] of list.entries()) {
      seq += 1;
      // Made here: who, where, which number, when; the rest is the caller's (an optional field left out is null).
      const here = {id: ids[i], device_id: device, client_seq: seq, author_id: signer.user.id,
        device_time: new Date().toISOString(), key_id: signer.keyId};
      built.push(Object.fromEntries(BUILT.map((name) => [name, name in here ? here[name]
        : REQUIRED.includes(name) ? fields[name] : fields[name] ?? null])));
    }
    const storing = store(signer.key, built, scores, base, seq);
    tell('recording', {entries: built});
    const answer = await storing;
    made = answer.made || null;
    at = answer.at;
    lastSeq = made && !answer.already ? seq : null;
  }
  // committed to IndexedDB, when it committed (in the worker, or here): benchmarks/tablet.py
  performance.mark('bedside:recorded', {startTime: Math.max(0, at - performance.timeOrigin)});
  emit('recorded', {entries: made});
  emit('status');
  pushSoon(false);
  return made;
}

/**
 * Listen to the outbox: `recorded(entries)` once entries are stored (here, or in another tab), `recording(entries)`
 * while this page stores them (optional). Returns the function that stops listening.
 */
export function watch({recorded, recording = null}) {
  const stops = [on('recorded', (event) => recorded(event.detail.entries))];
  if (recording) stops.push(on('recording', (event) => recording(event.detail.entries)));
  return () => stops.forEach((stop) => stop());
}

// --- states -------------------------------------------------------------------------------------------------------

/** How many rows wait ('pending') and are held ('rejected'). */
export const counts = () => tx(['outbox'], 'readonly', ({outbox}) => Promise.all([
  req(outbox.index('state_seq').count(inState('pending'))), req(outbox.index('state_seq').count(inState('rejected')))]))
  .then(([pending, rejected]) => ({pending, rejected}));

/** Ids of the entries held for Needs attention (the server refused them, or failed on them alone). */
export const rejected = async () =>
  new Set(await tx(['outbox'], 'readonly', ({outbox}) => req(outbox.index('state_seq').getAllKeys(inState('rejected')))));

/** The rows held and the rows waiting, each in recording order (Needs attention). */
export const rows = () => tx(['outbox'], 'readonly', ({outbox}) => Promise.all([
  req(outbox.index('state_seq').getAll(inState('rejected'))), req(outbox.index('state_seq').getAll(inState('pending')))]))
  .then(([held, pending]) => ({rejected: held, pending}));

/** Is anything at all left to hand over (a revoked tablet wipes itself only then)? */
export const isEmpty = async () => (await tx(['outbox'], 'readonly', ({outbox}) => req(outbox.count()))) === 0;

/** Send an entry held in Needs attention again: it waits with the others, as if new, and is pushed now. */
export async function retry(id) {
  await release(id);
  emit('status');
  pushSoon(true);
}

/**
 * The server was restored or rebuilt (a new epoch `epoch`): every acknowledged entry still kept ('sent') is pending
 * again, to be pushed again (the server answers "duplicate" for what it still has). In the same transaction the new
 * epoch is noted and `meta` (the pulls' cursors, lib/sync.js) is put.
 */
export async function requeue(epoch, meta = {}) {
  await tx(['meta', 'sent', 'outbox'], 'readwrite', async (s) => {
    for (const item of await req(s.sent.getAll())) {
      s.outbox.put({id: item.id, client_seq: item.client_seq, state: 'pending', reason: null, fields: null,
        attempts: 0, last_error: null, entry: item.entry});
    }
    s.sent.clear();
    for (const [key, value] of Object.entries(meta)) s.meta.put(value, key);
    s.meta.put(epoch, 'server_epoch');
  });
  emit('status');
}

/** Forget acknowledged entries older than SENT_DAYS. */
export async function prune() {
  const before = Date.now() - SENT_DAYS * 86400000;
  await tx(['sent'], 'readwrite', async ({sent}) => {
    for (const key of await req(sent.index('acked_at').getAllKeys(IDBKeyRange.upperBound(before)))) sent.delete(key);
  });
}

/** Entries a pull brings that are still in the outbox leave it: the server holds them, and that is an
 * acknowledgement, whatever the outbox says. Runs inside the pull's transaction `s` (its 'outbox' and 'sent'). */
export async function acknowledgePulled(s, entries) {
  if (!entries || !entries.length) return;
  const outboxKeys = new Set(await req(s.outbox.getAllKeys()));
  for (const e of entries) {
    if (outboxKeys.has(e.id)) {
      const item = await req(s.outbox.get(e.id));
      s.outbox.delete(e.id);
      s.sent.put({id: item.id, client_seq: item.client_seq, entry: item.entry, acked_at: Date.now()});
    }
  }
}

// --- pushing (lib/sync.js) ----------------------------------------------------------------------------------------

/** A lone entry the server failed on (5xx) this many times in a row is held; one it refused (4xx) is held at once. */
export const HOLD_AFTER = 3;
/** Failures of one entry closer together than this count once (the page and the service worker, one after the
 * other): holding after HOLD_AFTER is meant to ride out a server that fails for a moment. */
const LONE_GAP = 1000;

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
