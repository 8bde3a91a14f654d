// THE sync module: the outbox, push, pull. Shared by the page and the service worker,
// so nothing here touches window/document at import time.
import {ApiError, OfflineError, api, apiEvents, setDeviceHeaders, withQuery} from './api.js';
import {destroyDB, getAll, getMeta, req, setMeta, tx} from './db.js';
import {applyResults, inState, noteFailure, noteLoneFailure, pendingBatch, release, sendInHalves} from './outbox.js';
import {currentPerson, keyWithdrawn, withoutKey} from './people.js';
import {storeSigned} from './entries.js';
import {ACTIVITIES, ATTENDANCE_RECORDERS, SIGNERS, holds} from './roles.js';
import {renamePost} from './session.js';
import {uuid7} from './uuid.js';

export const events = new EventTarget();
const BATCH = 200;
const FLUSH_DELAY = 3000;
const BACKOFF_CAP = 60000;
/** How long acknowledged entries are kept to re-push after a server restore (docs/sync.md). */
const SENT_DAYS = 14;

let online = null;          // by the outcome of the last request; null = not known yet
let flushTimer = null;
let backoff = 0;
let syncing = false;

// Tabs and the service worker tell each other about changes (the SW may push on a Background Sync).
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('bedside-sync') : null;
if (channel) {
  channel.onmessage = (event) => {
    const {type, detail} = event.data || {};
    if (type) events.dispatchEvent(new CustomEvent(type, {detail}));
  };
}

function emit(type, detail) {
  events.dispatchEvent(new CustomEvent(type, {detail}));
  if (!channel) return;
  const tell = () => {
    try { channel.postMessage({type, detail: detail ? JSON.parse(JSON.stringify(detail)) : null}); } catch (_) { /* not cloneable */ }
  };
  // A page tells the other tabs in a task of its own, in order: copying a tap's entries for them took a slow tablet a
  // millisecond or two before the tapped row could be painted here. The service worker tells them at once (it may be
  // stopped once its event is done).
  if (inPage()) setTimeout(tell, 0);
  else tell();
}
const inPage = () => typeof window !== 'undefined';

function setOnline(value) {
  if (online !== value) { online = value; emit('status'); }
}

let knownDevice = null;  // it never changes once made: read once per context (a tick no longer pays a transaction)
/** The device's id, made once per installation. */
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
events.addEventListener('wiped', () => { knownDevice = null; lastSeq = null; });  // here or in another tab, or the worker

/** State for the header: counts, last good sync, online by the last outcome. */
export async function status() {
  const [pending, rejected, lastSyncOk] = await tx(['outbox', 'meta'], 'readonly', ({outbox, meta}) => Promise.all([
    req(outbox.index('state_seq').count(inState('pending'))), req(outbox.index('state_seq').count(inState('rejected'))),
    req(meta.get('last_sync_ok'))]));
  return {pending, rejected, lastSyncOk, online, syncing};
}

/** Ids of the entries the server refused (the 'Needs attention' list). */
export const rejectedIds = async () =>
  new Set(await tx(['outbox'], 'readonly', ({outbox}) => req(outbox.index('state_seq').getAllKeys(inState('rejected')))));

/** Record one entry: entries + outbox + client_seq in ONE transaction, then push soon. */
export async function record(fields) {
  return (await recordMany([fields]))[0];
}

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
 * Record several entries atomically (e.g. a measurement and its tick), signed by the person who has the tablet
 * unlocked. Signing is asynchronous and an IndexedDB transaction cannot wait for it, so the sequence numbers
 * are read first and the write checks that nobody took them meanwhile (another tab), else it starts again.
 */
let lastSeq = null;  // the last number this context gave; the write checks it is still the last one
export async function recordMany(list) {
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
      built.push({
        id: ids[i], device_id: device, client_seq: seq, author_id: signer.user.id, device_time: new Date().toISOString(),
        day: fields.day, kind: fields.kind, resident_id: fields.resident_id, item_id: fields.item_id ?? null,
        slot: fields.slot ?? null, status: fields.status ?? null, reason: fields.reason ?? null,
        note: fields.note ?? null, values: fields.values ?? null, category: fields.category ?? null,
        supersedes: fields.supersedes ?? null, key_id: signer.keyId,
      });
    }
    const storing = store(signer.key, built, scores, base, seq);
    // While they are stored (in the recorder worker) the screen may work out how they will look; it shows them only
    // on 'change', once they are stored (views/resident.js). Told to this page only.
    events.dispatchEvent(new CustomEvent('recording', {detail: {entries: built}}));
    const answer = await storing;
    made = answer.made || null;
    at = answer.at;
    lastSeq = made && !answer.already ? seq : null;
  }
  // committed to IndexedDB, when it committed (in the worker, or here): benchmarks/tablet.py
  performance.mark('bedside:recorded', {startTime: Math.max(0, at - performance.timeOrigin)});
  emit('change', {entries: made});
  emit('status');
  scheduleFlush(FLUSH_DELAY);
  return made;
}

/** Hand the outbox to the service worker (Background Sync): it pushes when the network allows, page open or not.
 * Asked when a push fails and when the page is hidden with entries waiting -- not after every entry: online, the
 * browser fires it at once, so each tap was pushed on its own while the next one waited for the database. */
function requestBackgroundSync() {
  if (!inPage() || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.ready.then((reg) => reg.sync && reg.sync.register('bedside-push')).catch(() => {});
}

/** Push soon (replaces any earlier timer). */
export function scheduleFlush(delay = FLUSH_DELAY) {
  if (flushTimer) clearTimeout(flushTimer);
  flushTimer = setTimeout(() => { flushTimer = null; flush().catch(() => {}); }, delay);
}

function retryLater() {
  requestBackgroundSync();
  backoff = Math.min(BACKOFF_CAP, backoff ? backoff * 2 : 2000);
  scheduleFlush(backoff / 2 + Math.random() * backoff / 2);
}

/** Push the outbox; one pusher across tabs and the service worker. */
export async function flush() {
  if (typeof navigator !== 'undefined' && navigator.locks) {
    return navigator.locks.request('bedside-sync', {ifAvailable: true}, (lock) => (lock ? pushAll() : null));
  }
  return pushAll();
}

/** Pulls need a person of a signing role with the tablet unlocked (pushes do not: the outbox is the tablet's). */
function mayPull() {
  const person = currentPerson();
  return !!person && holds(person.user, SIGNERS);
}

/**
 * Push the outbox batch by batch. A batch the server refuses as a whole in a way one entry may cause is halved until
 * that entry is alone (lib/outbox.js sendInHalves): the others go on in order, and the entry is held for Needs
 * attention (refused: at once; the server failing on it: after outbox.HOLD_AFTER tries, with backoff between).
 * No entry is sent twice in one push, so a push always ends; offline, it backs off as ever.
 */
async function pushAll() {
  let pushed = 0;
  let again = false;        // an entry the server failed on alone is tried again later, with backoff
  const seen = new Set();   // ids sent in this push
  syncing = true;
  emit('status');
  try {
    for (;;) {
      const {batch, waiting} = await pendingBatch(BATCH, seen);
      if (!batch.length) break;
      for (const o of batch) seen.add(o.id);
      const device = await deviceId();
      const post = (await getMeta('post_id')) ?? null;
      const round = await sendInHalves(batch, async (rows) => {
        const reply = await api.post('/api/sync/push', {device_id: device, post_id: post, outbox_len: waiting,
          entries: rows.map((o) => o.entry)});
        setOnline(true);
        backoff = 0;
        if (reply.device_revoked) await noteRevoked();
        await applyResults(reply.results || []);
        pushed += rows.length;
        emit('change', {pushed: rows.length});
        return reply;
      });
      const held = [];
      for (const {row, err} of round.lone) {
        if (await noteLoneFailure(row, err)) held.push(row.id); else again = true;
      }
      if (held.length) emit('change', {held});
      if (round.failed) {
        const {rows, err} = round.failed;
        await noteFailure(rows, err);
        // 401: nobody is signed in on a tablet that is not enrolled; the outbox waits for a sign-in.
        if (err instanceof ApiError && err.status === 401) return pushed;
        if (err instanceof OfflineError) setOnline(false);
        retryLater();
        throw err;
      }
    }
    if (pushed) {
      await setMeta('last_sync_ok', new Date().toISOString());
      await pruneSent();
    }
    if (again) retryLater();
    await wipeIfRevoked();
    return pushed;
  } finally {
    syncing = false;
    emit('status');
  }
}

/** Send an entry held in Needs attention again: it waits with the others and is pushed now. */
export async function sendAgain(id) {
  await release(id);
  emit('status');
  // another tab or the service worker may be pushing: then soon
  flush().then((done) => { if (done === null) scheduleFlush(FLUSH_DELAY); }).catch(() => {});
}

/** An administrator withdrew this tablet: hand over what is left, then wipe (wipeIfRevoked). */
async function noteRevoked() {
  if (await getMeta('revoked')) return;
  await setMeta('revoked', new Date().toISOString());
  emit('revoked');
  scheduleFlush(0);
}
apiEvents.addEventListener('device-revoked', () => { noteRevoked().catch(() => {}); });

/** Erase every record on a revoked tablet -- only once nothing at all is left in its outbox. */
async function wipeIfRevoked() {
  if (!(await getMeta('revoked'))) return false;
  if ((await getAll('outbox')).length) return false;
  try { await api.post('/api/devices/wiped'); } catch (_) { /* the server learns it from the device list */ }
  setDeviceHeaders(null);
  await destroyDB();
  knownDevice = null;
  emit('wiped');
  return true;
}

export const isRevoked = async () => !!(await getMeta('revoked'));

/** Pull the post's changes page by page; each page and its cursor in one transaction. */
export async function pull(postId) {
  if (!postId || !mayPull()) return;
  const started = performance.now();  // the pull's time and its IndexedDB share (benchmarks/tablet.py)
  const device = await deviceId();
  for (let guard = 0; guard < 1000; guard++) {
    const storedPost = await getMeta('cursor_post');
    let cursor = storedPost === postId ? (await getMeta('cursor')) || 0 : 0;
    const page = await fetchPage('/api/sync/pull', {post_id: postId, cursor, device_id: device});
    if (await epochChanged(cursor, page)) continue;
    const applying = performance.now();
    await applyPage(page, postId);
    if (page.post) await renamePost(page.post);
    performance.measure('bedside:pull-apply', {start: applying});
    emit('change', {pulled: true});
    if (!page.has_more) break;
  }
  await setMeta('last_sync_ok', new Date().toISOString());
  performance.measure('bedside:pull', {start: started});
  emit('status');
}

/** Move acknowledged entries back to the outbox and reset the cursor, in one transaction. */
async function requeueSent(newEpoch) {
  await tx(['meta', 'sent', 'outbox'], 'readwrite', async ({meta, sent, outbox}) => {
    for (const item of await req(sent.getAll())) {
      outbox.put({id: item.id, client_seq: item.client_seq, state: 'pending', reason: null, fields: null,
        attempts: 0, last_error: null, entry: item.entry});
    }
    sent.clear();
    meta.put(0, 'cursor');
    meta.put(0, 'att_cursor');
    meta.put(newEpoch, 'server_epoch');
  });
  emit('status');
}

/** Forget acknowledged entries older than SENT_DAYS. */
async function pruneSent() {
  const before = Date.now() - SENT_DAYS * 86400000;
  await tx(['sent'], 'readwrite', async ({sent}) => {
    for (const key of await req(sent.index('acked_at').getAllKeys(IDBKeyRange.upperBound(before)))) sent.delete(key);
  });
}

/** One page of a pull; the connection state follows the answer. */
async function fetchPage(path, params) {
  try {
    const page = await api.get(withQuery(path, params));
    setOnline(true);
    return page;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) emit('auth-required');
    if (err instanceof OfflineError) setOnline(false);
    throw err;
  }
}

/** The server was restored or rebuilt (a new epoch): push again everything it acknowledged lately (it answers
 * "duplicate" for what it still has), and the caller starts over from a snapshot. */
async function epochChanged(cursor, page) {
  const epoch = await getMeta('server_epoch');
  if (cursor === 0 || !epoch || page.server_epoch === epoch) return false;
  await requeueSent(page.server_epoch);
  scheduleFlush(0);
  return true;
}

/** Staff rows a pull brings: a person disabled, or whose PIN was reset (her key older than `keys_valid_from`), loses
 * the key this tablet keeps under her PIN (lib/people.js keyWithdrawn); the outbox is untouched. Runs inside the
 * caller's transaction `s`. */
async function withdrawKeys(s, rows) {
  if (!rows || !rows.length) return;
  const records = await Promise.all(rows.map((u) => req(s.people.get(u.id))));
  for (const [i, u] of rows.entries()) {
    if (keyWithdrawn(records[i], u)) s.people.put(withoutKey(records[i]));
  }
}

/** Entries a pull brings: stored as synced; one still in the outbox leaves it -- the server holds it, and that is
 * an acknowledgement, whatever the outbox says. Runs inside the caller's transaction `s`. */
async function storePulled(s, entries) {
  const outboxKeys = new Set(entries && entries.length ? await req(s.outbox.getAllKeys()) : []);
  for (const e of entries || []) {
    s.entries.put({...e, synced: true});
    if (outboxKeys.has(e.id)) {
      const item = await req(s.outbox.get(e.id));
      s.outbox.delete(e.id);
      s.sent.put({id: item.id, client_seq: item.client_seq, entry: item.entry, acked_at: Date.now()});
    }
  }
}

async function applyPage(page, postId) {
  const names = ['meta', 'residents', 'cards', 'entries', 'outbox', 'confirmations', 'staff', 'sent', 'people'];
  await tx(names, 'readwrite', async (s) => {
    if (page.snapshot) {
      // A snapshot replaces the post's records but keeps entries still waiting in the outbox.
      const waiting = new Set(await req(s.outbox.getAllKeys()));
      s.residents.clear();
      s.cards.clear();
      s.confirmations.clear();
      s.staff.clear();
      // Attendance entries belong to the attendance pull (pullAttendance), which replaces them itself.
      for (const e of await req(s.entries.getAll())) {
        if (!waiting.has(e.id) && e.kind !== 'attendance') s.entries.delete(e.id);
      }
    }
    for (const r of page.residents || []) s.residents.put(r);
    for (const c of page.cards || []) s.cards.put(c);
    for (const c of page.confirmations || []) s.confirmations.put(c);
    for (const u of page.staff || []) s.staff.put(u);
    await withdrawKeys(s, page.staff);
    await storePulled(s, page.entries);
    s.meta.put(page.cursor, 'cursor');
    s.meta.put(postId, 'cursor_post');
    s.meta.put(page.server_epoch, 'server_epoch');
    if (page.today) s.meta.put(page.today, 'server_today');
  });
}

/** Does the person who has the tablet pull the home's activities? Activity staff always; a supervisor or planner
 * once she opened the attendance screen on this tablet (meta 'att_cursor' exists). */
async function mayPullAttendance() {
  const person = currentPerson();
  if (!person || !holds(person.user, ATTENDANCE_RECORDERS)) return false;
  return holds(person.user, [ACTIVITIES]) || (await getMeta('att_cursor')) !== undefined;
}

/**
 * Pull what activity staff need offline (GET /api/attendance/pull): the home's residents, activities, timetable,
 * its changes, programme lines and recent attendance, page by page, each page and its cursor in one transaction.
 * The cursor is its own ('att_cursor'); a new server epoch requeues the sent entries and resets both cursors.
 */
export async function pullAttendance({force = false} = {}) {
  if (!force && !(await mayPullAttendance())) return;
  const device = await deviceId();
  for (let guard = 0; guard < 1000; guard++) {
    const cursor = (await getMeta('att_cursor')) || 0;
    const page = await fetchPage('/api/attendance/pull', {cursor, device_id: device});
    if (await epochChanged(cursor, page)) continue;
    await applyAttendancePage(page);
    emit('change', {pulled: true, attendance: true});
    if (!page.has_more) break;
  }
  await setMeta('last_sync_ok', new Date().toISOString());
  emit('status');
}

const ATT_STORES = ['att_residents', 'activities', 'sessions', 'session_changes', 'programme'];

async function applyAttendancePage(page) {
  await tx(['meta', 'entries', 'outbox', 'sent', 'staff', 'people', ...ATT_STORES], 'readwrite', async (s) => {
    if (page.snapshot) {
      const waiting = new Set(await req(s.outbox.getAllKeys()));
      for (const name of ATT_STORES) s[name].clear();
      for (const e of await req(s.entries.getAll())) {
        if (e.kind === 'attendance' && !waiting.has(e.id)) s.entries.delete(e.id);
      }
    }
    for (const r of page.residents || []) {
      if (r.active === false) s.att_residents.delete(r.id); else s.att_residents.put(r);
    }
    for (const a of page.activities || []) s.activities.put(a);
    for (const x of page.sessions || []) {
      // A session row carries its current changes: one withdrawn since is gone.
      const {changes, ...session} = x;
      s.sessions.put(session);
      for (const key of await req(s.session_changes.index('session_id').getAllKeys(x.id))) s.session_changes.delete(key);
      for (const c of changes || []) s.session_changes.put(c);
    }
    for (const c of page.changes || []) s.session_changes.put(c);
    for (const p of page.programme || []) s.programme.put(p);
    for (const u of page.staff || []) s.staff.put(u);
    await withdrawKeys(s, page.staff);
    await storePulled(s, page.entries);
    s.meta.put(page.cursor, 'att_cursor');
    s.meta.put(page.server_epoch, 'server_epoch');
    if (page.today) s.meta.put(page.today, 'server_today');
  });
}

/** Push, then pull the chosen post (and the home's activities for those who mark attendance). Errors are reported
 * through status, not thrown. */
export async function syncNow() {
  try { await flush(); } catch (_) { /* retried with backoff */ }
  try { await pull(await getMeta('post_id')); } catch (_) { /* shown as offline */ }
  try { await pullAttendance(); } catch (_) { /* shown as offline */ }
}

let started = false;
/** Page-side triggers: start, online, visible, every 60 s. */
export function startAutoSync() {
  if (started || !inPage()) return;
  started = true;
  startRecorder();
  window.addEventListener('online', () => syncNow());
  document.addEventListener('visibilitychange', async () => {
    if (document.visibilityState === 'visible') syncNow();
    else if ((await status()).pending) requestBackgroundSync();
  });
  setInterval(() => syncNow(), 60000);
  syncNow();
}

/** Ask the browser to keep our storage; remembers the answer for settings. */
export async function persistStorage() {
  if (typeof navigator === 'undefined' || !navigator.storage || !navigator.storage.persist) return null;
  const granted = await navigator.storage.persist().catch(() => false);
  await setMeta('storage_persisted', granted);
  return granted;
}
