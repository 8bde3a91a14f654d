// The outbox: the recording and the rows' states (pending, rejected, sent). Its rules: docs/sync.md, "The outbox".
// No window/document at import time (the service worker imports it).
import {ApiError} from './api.js';
import {emit, events, inPage, on, tell} from './bus.js';
import {getMeta, req, tx} from './db.js';
import {storeSigned} from './entries.js';
import {REQUIRED, SENT} from './entry_fields.js';
import {currentPerson} from './people.js';
import {uuid7} from './uuid.js';

const SENT_DAYS = 14;  // acknowledged entries kept to push again after a restore

export const inState = (state) => IDBKeyRange.bound([state, -Infinity], [state, Infinity]);

// lib/sync.js pushes: pushSoon(false) after a recording, (true) after Send again.
let pushSoon = () => {};
export function onSync(fn) { pushSoon = fn; }

let knownDevice = null;  // read once per context
/** The installation's id (made once). */
export async function deviceId() {
  if (knownDevice) return knownDevice;
  const id = (await getMeta('device_id')) || await tx(['meta'], 'readwrite', async ({meta}) => {
    let made = await req(meta.get('device_id'));
    if (!made) { made = uuid7(); meta.put(made, 'device_id'); }
    return made;
  });
  knownDevice = id;
  return id;
}
let lastSeq = null;  // the last number this context gave
const BUILT = SENT.filter((name) => name !== 'sig');
events.addEventListener('wiped', () => { knownDevice = null; lastSeq = null; });

let recorder;  // the recorder worker; null: the page stores (docs/sync.md)
const asked = new Map();  // request number -> resolve
let asking = 0;

/** Start the recorder worker (at the app's start). */
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

/** Record entries atomically, signed by who has the tablet unlocked; resolves to them once committed
 * (docs/sync.md, "Recording"). `list`: each entry's fields (+ score: an assessment's, kept locally). */
export async function record(list) {
  const signer = currentPerson();
  if (!signer || !signer.key) throw new Error('locked');
  const device = await deviceId();
  const ids = list.map(() => uuid7());
  const scores = list.map((fields) => fields.score || null);
  let made = null;
  let at = null;
  for (let attempt = 0; !made; attempt++) {
    if (attempt > 20) throw new Error('could not number the entries');
    const base = attempt === 0 && lastSeq !== null ? lastSeq : (await getMeta('client_seq')) || 0;
    const built = [];
    let seq = base;
    for (const [i, fields] of list.entries()) {
      seq += 1;
      // device_time: now, or the moment the view says it happened (a home visit's arrival keeps the tap's time while
      // the location fix is awaited: views/today.js), ISO 8601 with its offset
      const here = {id: ids[i], device_id: device, client_seq: seq, author_id: signer.user.id,
        device_time: typeof fields.device_time === 'string' ? fields.device_time : new Date().toISOString(),
        key_id: signer.keyId};
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
  performance.mark('bedside:recorded', {startTime: Math.max(0, at - performance.timeOrigin)});
  emit('recorded', {entries: made});
  emit('status');
  pushSoon(false);
  return made;
}

/** Listen: recorded(entries) once stored (here or another tab), recording(entries) while this page stores them.
 * Returns the stop function. */
export function watch({recorded, recording = null}) {
  const stops = [on('recorded', (event) => recorded(event.detail.entries))];
  if (recording) stops.push(on('recording', (event) => recording(event.detail.entries)));
  return () => stops.forEach((stop) => stop());
}

/** Listen to every change of what the outbox and the tablet hold -- entries recorded (here or in another tab), sent,
 * held or pulled, and the sync status -- for a screen that redraws from them. Returns the stop function. */
export function onAnyChange(fn) {
  const stops = [on('change', () => fn()), on('status', () => fn()), watch({recorded: () => fn()})];
  return () => stops.forEach((stop) => stop());
}

/** {pending, rejected}: how many rows wait and are held. */
export const counts = () => tx(['outbox'], 'readonly', ({outbox}) => Promise.all([
  req(outbox.index('state_seq').count(inState('pending'))), req(outbox.index('state_seq').count(inState('rejected')))]))
  .then(([pending, rejected]) => ({pending, rejected}));

/** Ids held for Needs attention. */
export const rejected = async () =>
  new Set(await tx(['outbox'], 'readonly', ({outbox}) => req(outbox.index('state_seq').getAllKeys(inState('rejected')))));

/** {rejected, pending}: the rows, in recording order. */
export const rows = () => tx(['outbox'], 'readonly', ({outbox}) => Promise.all([
  req(outbox.index('state_seq').getAll(inState('rejected'))), req(outbox.index('state_seq').getAll(inState('pending')))]))
  .then(([held, pending]) => ({rejected: held, pending}));

/** Nothing left to hand over? */
export const isEmpty = async () => (await tx(['outbox'], 'readonly', ({outbox}) => req(outbox.count()))) === 0;

/** Send a held entry again, now. */
export async function retry(id) {
  await release(id);
  emit('status');
  pushSoon(true);
}

/** A new server epoch: every 'sent' row is pending again; `epoch` and `meta` (cursors) put in the same transaction. */
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

/** Forget 'sent' rows older than SENT_DAYS. */
export async function prune() {
  const before = Date.now() - SENT_DAYS * 86400000;
  await tx(['sent'], 'readwrite', async ({sent}) => {
    for (const key of await req(sent.index('acked_at').getAllKeys(IDBKeyRange.upperBound(before)))) sent.delete(key);
  });
}

/** Pulled entries still in the outbox are acknowledged (inside the pull's transaction `s`). */
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

// --- pushing (lib/sync.js); the rules: docs/sync.md, "One entry never stalls the outbox" ---------------------------

export const HOLD_AFTER = 3;  // a lone entry failing (5xx) this often in a row is held
const LONE_GAP = 1000;  // failures closer than this count once

/** What a whole push's failure says of its entries: null (not about them), 'refused' or 'failed'. */
export function judge(err) {
  if (!(err instanceof ApiError)) return null;
  const keys = Object.keys(err.fields || {});
  if (keys.length && !keys.some((k) => k === 'entries' || k.startsWith('entries.'))) return null;
  if (err.status === 503 || err.code === 'database_unavailable') return null;
  if (err.status >= 500) return 'failed';
  return [400, 413, 422].includes(err.status) ? 'refused' : null;
}

/** Send `batch` with `send(rows)`, halving a request one entry may have spoiled until it is alone. Pure. Returns
 * {sent: [{rows, reply}], lone: [{row, err}], failed: {rows, err} | null}. */
export async function sendInHalves(batch, send, judgeError = judge) {
  const out = {sent: [], lone: [], failed: null};
  let queue = batch.length ? [batch] : [];
  let doubt = false;  // a lone 5xx before anything got through: the entry or the server?
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
      if (queue.length > 1) queue = [queue.flat()];
      continue;
    }
    doubt = false;
    out.sent.push({rows, reply});
  }
  return out;
}

/** Up to `limit` pending rows in order, but `except`'s ids; and how many wait. */
export async function pendingBatch(limit, except) {
  const [rows, waiting] = await tx(['outbox'], 'readonly', ({outbox}) => Promise.all([
    req(outbox.index('state_seq').getAll(inState('pending'), limit + except.size)),
    req(outbox.index('state_seq').count(inState('pending')))]));
  return {batch: rows.filter((o) => !except.has(o.id)).slice(0, limit), waiting};
}

const errorText = (err) => (err instanceof ApiError ? `${err.status} ${err.code}` : 'offline');

/** A whole push failed: each row waits on, its attempt counted. */
export async function noteFailure(rows, err) {
  const message = errorText(err);
  await tx(['outbox'], 'readwrite', async ({outbox}) => {
    for (const cur of await Promise.all(rows.map((o) => req(outbox.get(o.id))))) {
      if (cur) outbox.put({...cur, attempts: (cur.attempts || 0) + 1, last_error: message});
    }
  });
}

/** 'entries.0.note' -> 'note'; null if none. */
function entryFields(fields) {
  const found = Object.entries(fields || {}).map(([k, v]) => [k.replace(/^entries\.\d+\./, ''), v]);
  return found.length ? Object.fromEntries(found) : null;
}

/** An entry sent alone was refused (held at once) or failed (held after HOLD_AFTER); returns whether held. */
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

/** A held entry pending again, as if new. */
export async function release(id) {
  return tx(['outbox'], 'readwrite', async ({outbox}) => {
    const cur = await req(outbox.get(id));
    if (!cur) return false;
    outbox.put({...cur, state: 'pending', reason: null, fields: null, answer: null, lone_failures: 0,
      lone_failed_at: null});
    return true;
  });
}

/** The answers: acknowledged rows move to 'sent', rejected ones are held. */
export async function applyResults(results) {
  const ackedAt = Date.now();
  const acked = (r) => r.status === 'accepted' || r.status === 'duplicate';
  await tx(['outbox', 'entries', 'sent'], 'readwrite', async ({outbox, entries, sent}) => {
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
