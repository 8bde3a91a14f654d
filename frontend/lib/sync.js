// Push and pull: the outbox's rows to the server (lib/outbox.js owns them, and the recording), the post's and the
// attendance's changes from it. Shared by the page and the service worker, so nothing here touches window/document
// at import time.
import {ApiError, OfflineError, api, apiEvents, setDeviceHeaders, withQuery} from './api.js';
import {emit, events, inPage} from './bus.js';
import {destroyDB, getMeta, req, setMeta, tx} from './db.js';
import {acknowledgePulled, applyResults, counts, deviceId, isEmpty, noteFailure, noteLoneFailure, onSync, pendingBatch,
  prune, requeue, sendInHalves, startRecorder} from './outbox.js';
import {currentPerson, keyWithdrawn, withoutKey} from './people.js';
import {ACTIVITIES, ATTENDANCE_RECORDERS, POST_PULLERS, holds} from './roles.js';
import {renamePost} from './session.js';

// The screens' way to the events and the device id (views/header.js, app.js): they live in lib/bus.js and
// lib/outbox.js.
export {deviceId, events};

const BATCH = 200;
const FLUSH_DELAY = 3000;
const BACKOFF_CAP = 60000;

let online = null;          // by the outcome of the last request; null = not known yet
let flushTimer = null;
let backoff = 0;
let syncing = false;

function setOnline(value) {
  if (online !== value) { online = value; emit('status'); }
}

/** State for the header: counts, last good sync, online by the last outcome. */
export async function status() {
  const [{pending, rejected}, lastSyncOk] = await Promise.all([counts(), getMeta('last_sync_ok')]);
  return {pending, rejected, lastSyncOk, online, syncing};
}

// The outbox asks for a push: soon after a recording (several taps share a request), at once after an entry is
// sent again (another tab or the service worker may be pushing: then soon).
onSync((now) => {
  if (!now) scheduleFlush(FLUSH_DELAY);
  else flush().then((done) => { if (done === null) scheduleFlush(FLUSH_DELAY); }).catch(() => {});
});

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
  return !!person && holds(person.user, POST_PULLERS);
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
      await prune();
    }
    if (again) retryLater();
    await wipeIfRevoked();
    return pushed;
  } finally {
    syncing = false;
    emit('status');
  }
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
  if (!(await isEmpty())) return false;
  try { await api.post('/api/devices/wiped'); } catch (_) { /* the server learns it from the device list */ }
  setDeviceHeaders(null);
  await destroyDB();
  emit('wiped');
  return true;
}

export const isRevoked = async () => !!(await getMeta('revoked'));

/**
 * The two pulls, as a table: the duty post's (GET /api/sync/pull: its residents, cards, confirmations, staff and
 * entries) and the attendance's (GET /api/attendance/pull: what activity staff need offline -- the home's residents,
 * activities, timetable, its changes, programme lines and recent attendance). Each has its own cursor; a page and
 * its cursor are applied in one transaction (applyPage); a new server epoch requeues the sent entries and resets
 * both cursors (epochChanged).
 *
 * path: the endpoint; cursor: its meta key; replaces: the stores a snapshot page clears; ownsEntry: the entries a
 * snapshot replaces (those still in the outbox are kept); rows: [the page's field, how one row is stored] (into
 * `replaces` and 'staff'); meta: what else is noted with the cursor; afterPage: what follows a page applied;
 * changed: the 'change' event's detail.
 */
const put = (store) => (s, row) => { s[store].put(row); };
const FEEDS = {
  post: {
    path: '/api/sync/pull', cursor: 'cursor',
    replaces: ['residents', 'cards', 'confirmations', 'staff'],
    // attendance entries belong to the attendance pull, which replaces them itself
    ownsEntry: (e) => e.kind !== 'attendance',
    rows: [['residents', put('residents')], ['cards', put('cards')], ['confirmations', put('confirmations')],
      ['staff', put('staff')]],
    meta: ({postId}) => ({cursor_post: postId}),
    afterPage: async (page) => { if (page.post) await renamePost(page.post); },
    measure: 'bedside:pull-apply',  // a page's time to apply (benchmarks/tablet.py)
    changed: {pulled: true},
  },
  attendance: {
    path: '/api/attendance/pull', cursor: 'att_cursor',
    replaces: ['att_residents', 'activities', 'sessions', 'session_changes', 'programme'],
    ownsEntry: (e) => e.kind === 'attendance',
    rows: [
      ['residents', (s, r) => { if (r.active === false) s.att_residents.delete(r.id); else s.att_residents.put(r); }],
      ['activities', put('activities')],
      // A session row carries its current changes: one withdrawn since is gone.
      ['sessions', async (s, x) => {
        const {changes, ...session} = x;
        s.sessions.put(session);
        for (const key of await req(s.session_changes.index('session_id').getAllKeys(x.id))) s.session_changes.delete(key);
        for (const c of changes || []) s.session_changes.put(c);
      }],
      ['changes', put('session_changes')], ['programme', put('programme')], ['staff', put('staff')]],
    meta: () => ({}),
    afterPage: async () => {},
    measure: null,
    changed: {pulled: true, attendance: true},
  },
};

/** Pull one feed page by page, from its cursor (`params`: the request's own; `context`: for the feed's meta). */
async function pullFeed(feed, cursorOf, params, context = {}) {
  const device = await deviceId();
  for (let guard = 0; guard < 1000; guard++) {
    const cursor = await cursorOf();
    const page = await fetchPage(feed.path, {...params, cursor, device_id: device});
    if (await epochChanged(cursor, page)) continue;
    const applying = performance.now();
    await applyPage(feed, page, context);
    await feed.afterPage(page);
    if (feed.measure) performance.measure(feed.measure, {start: applying});
    emit('change', feed.changed);
    if (!page.has_more) break;
  }
  await setMeta('last_sync_ok', new Date().toISOString());
}

/** Pull the post's changes page by page; each page and its cursor in one transaction. */
export async function pull(postId) {
  if (!postId || !mayPull()) return;
  const started = performance.now();  // the pull's time and its IndexedDB share (benchmarks/tablet.py)
  const cursorOf = async () => ((await getMeta('cursor_post')) === postId ? (await getMeta('cursor')) || 0 : 0);
  await pullFeed(FEEDS.post, cursorOf, {post_id: postId}, {postId});
  performance.measure('bedside:pull', {start: started});
  emit('status');
}

/** Does the person who has the tablet pull the home's activities? Activity staff always; a supervisor or planner
 * once she opened the attendance screen on this tablet (meta 'att_cursor' exists). */
async function mayPullAttendance() {
  const person = currentPerson();
  if (!person || !holds(person.user, ATTENDANCE_RECORDERS)) return false;
  return holds(person.user, [ACTIVITIES]) || (await getMeta('att_cursor')) !== undefined;
}

/** Pull what activity staff need offline (FEEDS.attendance), page by page. */
export async function pullAttendance({force = false} = {}) {
  if (!force && !(await mayPullAttendance())) return;
  await pullFeed(FEEDS.attendance, async () => (await getMeta('att_cursor')) || 0, {});
  emit('status');
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
  await requeue(page.server_epoch, {cursor: 0, att_cursor: 0});  // the sent entries wait again (lib/outbox.js)
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

/** Entries a pull brings: stored as synced; one still in the outbox leaves it (lib/outbox.js acknowledgePulled).
 * Runs inside the caller's transaction `s`. */
async function storePulled(s, entries) {
  for (const e of entries || []) s.entries.put({...e, synced: true});
  await acknowledgePulled(s, entries);
}

/** A feed's page, its cursor and what comes with it, in one transaction. */
async function applyPage(feed, page, context) {
  const names = [...new Set(['meta', 'entries', 'outbox', 'sent', 'staff', 'people', ...feed.replaces])];
  await tx(names, 'readwrite', async (s) => {
    if (page.snapshot) {
      // A snapshot replaces the feed's records but keeps entries still waiting in the outbox.
      const waiting = new Set(await req(s.outbox.getAllKeys()));
      for (const name of feed.replaces) s[name].clear();
      for (const e of await req(s.entries.getAll())) {
        if (!waiting.has(e.id) && feed.ownsEntry(e)) s.entries.delete(e.id);
      }
    }
    for (const [field, store] of feed.rows) {
      for (const row of page[field] || []) {
        const done = store(s, row);
        if (done) await done;
      }
    }
    await withdrawKeys(s, page.staff);
    await storePulled(s, page.entries);
    s.meta.put(page.cursor, feed.cursor);
    for (const [key, value] of Object.entries(feed.meta(context))) s.meta.put(value, key);
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
  startRecorder();  // lib/outbox.js: the first tap does not wait for the worker
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
