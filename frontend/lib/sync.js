// Push and pull (docs/sync.md, "The tablet side"). The service worker imports it: no window/document at import time.
import {ApiError, OfflineError, api, apiEvents, request, setDeviceHeaders, withQuery} from './api.js';
import {emit, events, inPage} from './bus.js';
import {destroyDB, getMeta, req, setMeta, tx} from './db.js';
import {acknowledgePulled, applyResults, counts, deviceId, isEmpty, noteFailure, noteLoneFailure, onSync, pendingBatch,
  prune, requeue, sendInHalves, startRecorder} from './outbox.js';
import {currentPerson, enrolment, keyWithdrawn, withoutKey} from './people.js';
import {ACTIVITIES, ATTENDANCE_RECORDERS, POST_PULLERS, holds} from './roles.js';
import {renamePost} from './session.js';

export {deviceId, events};

const BATCH = 200;
const FLUSH_DELAY = 3000;
// While entries wait and the last push failed, the tablet asks again within a few seconds (issue 16: the server's
// return was noticed up to a minute late): a small readiness probe first, the outbox only once the server answers.
const RETRY_CAP = 5000;
const PROBE_TIMEOUT = 4000;

let online = null;  // by the last request's outcome; null: not known
let flushTimer = null;
let backoff = 0;
let syncing = false;

function setOnline(value) {
  if (online !== value) { online = value; emit('status'); }
}

/** For the header: counts, last good sync, online. */
export async function status() {
  const [{pending, rejected}, lastSyncOk] = await Promise.all([counts(), getMeta('last_sync_ok')]);
  return {pending, rejected, lastSyncOk, online, syncing};
}

onSync((now) => {
  if (!now) scheduleFlush(FLUSH_DELAY);
  else flush().then((done) => { if (done === null) scheduleFlush(FLUSH_DELAY); }).catch(() => {});
});

/** Background Sync: asked when a push fails or the page hides with entries waiting, never per tap (docs/sync.md). */
function requestBackgroundSync() {
  if (!inPage() || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.ready.then((reg) => reg.sync && reg.sync.register('bedside-push')).catch(() => {});
}

/** Push in `delay` ms (replaces an earlier timer). */
export function scheduleFlush(delay = FLUSH_DELAY) {
  if (flushTimer) clearTimeout(flushTimer);
  flushTimer = setTimeout(() => { flushTimer = null; flush().catch(() => {}); }, delay);
}

function retryLater() {
  requestBackgroundSync();
  backoff = Math.min(RETRY_CAP, backoff ? backoff * 2 : 1000);
  if (flushTimer) clearTimeout(flushTimer);
  flushTimer = setTimeout(() => { flushTimer = null; probeThenFlush(); }, backoff / 2 + Math.random() * backoff / 2);
}

/** After a failed push: is the server back (and its database)? Then push; else ask again later. */
async function probeThenFlush() {
  try {
    await request('GET', '/api/health/ready', undefined, {timeout: PROBE_TIMEOUT});
  } catch (_) {
    retryLater();
    return;
  }
  flush().catch(() => {});
}

/** Push the outbox; one pusher across tabs and the worker. */
export async function flush() {
  if (typeof navigator !== 'undefined' && navigator.locks) {
    return navigator.locks.request('bedside-sync', {ifAvailable: true}, (lock) => (lock ? pushAll() : null));
  }
  return pushAll();
}

/** Pulls need an unlocked person of a pulling role (pushes do not). */
function mayPull() {
  const person = currentPerson();
  return !!person && holds(person.user, POST_PULLERS);
}

/** Push batch by batch, halving around an entry at fault (lib/outbox.js sendInHalves); each entry once a push. */
async function pushAll() {
  let pushed = 0;
  let again = false;  // a lone failure: try again later
  const seen = new Set();  // ids sent in this push
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
        // device_now: the phone's clock as it pushes (a home visit's entries are flagged when it is off the server's)
        const reply = await api.post('/api/sync/push', {device_id: device, post_id: post, outbox_len: waiting,
          device_now: new Date().toISOString(), entries: rows.map((o) => o.entry)});
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

/** The tablet was withdrawn: hand over what is left, then wipe. */
async function noteRevoked() {
  if (await getMeta('revoked')) return;
  await setMeta('revoked', new Date().toISOString());
  emit('revoked');
  scheduleFlush(0);
}
apiEvents.addEventListener('device-revoked', () => { noteRevoked().catch(() => {}); });

/** Wipe a revoked tablet once its outbox is empty. */
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

// The two pulls as a table (docs/sync.md, "The pulls as a table": the fields' meaning).
const put = (store) => (s, row) => { s[store].put(row); };
const FEEDS = {
  post: {
    path: '/api/sync/pull', cursor: 'cursor',
    replaces: ['residents', 'cards', 'confirmations', 'staff', 'visits', 'catalogue'],
    ownsEntry: (e) => e.kind !== 'attendance',
    rows: [['residents', put('residents')], ['cards', put('cards')], ['confirmations', put('confirmations')],
      ['staff', put('staff')],
      // a community station's (docs/sync.md, "The pull of a community station"): her visits, those taken from her
      // or moved out of the window, the people none of her visits keeps (their cards go with them), the catalogue
      ['visits', put('visits')], ['visits_gone', (s, id) => { s.visits.delete(id); }],
      ['residents_gone', async (s, id) => {
        s.residents.delete(id);
        for (const key of await req(s.cards.index('resident_id').getAllKeys(id))) s.cards.delete(key);
      }],
      ['catalogue', put('catalogue')]],
    meta: ({postId}) => ({cursor_post: postId}),
    // A community station's pull tells its window (yesterday .. today + 7 on the home's calendar) and whose pull it
    // is (`scope`): the cursor holds for them only; a care home's pull tells neither (null: never a restart).
    scopeOf: (page) => (page.window || page.scope ? JSON.stringify([page.scope ?? null, page.window ?? null]) : null),
    scopeKey: 'visit_scope',
    afterPage: async (page) => {
      if (page.post) await renamePost(page.post);
      if (page.server_time) await setMeta('pulled_at', page.server_time);  // the carer's "plan as of hh:mm"
    },
    measure: 'bedside:pull-apply',  // benchmarks/tablet.py
    changed: {pulled: true},
  },
  attendance: {
    path: '/api/attendance/pull', cursor: 'att_cursor',
    replaces: ['att_residents', 'activities', 'sessions', 'session_changes', 'programme'],
    ownsEntry: (e) => e.kind === 'attendance',
    rows: [
      ['residents', (s, r) => { if (r.active === false) s.att_residents.delete(r.id); else s.att_residents.put(r); }],
      ['activities', put('activities')],
      ['sessions', async (s, x) => {
        const {changes, ...session} = x;
        s.sessions.put(session);
        for (const key of await req(s.session_changes.index('session_id').getAllKeys(x.id))) s.session_changes.delete(key);
        for (const c of changes || []) s.session_changes.put(c);
      }],
      ['changes', put('session_changes')], ['programme', put('programme')], ['staff', put('staff')]],
    // The scope the cursor holds for: the unit asked for and the units the server answered for (pullAttendance).
    meta: ({unitId}) => ({att_unit: unitId}),
    scopeOf: (page) => (page.unit_ids || []).join(','),
    scopeKey: 'att_units',
    afterPage: async () => {},
    measure: null,
    changed: {pulled: true, attendance: true},
  },
};

/** Pull one feed page by page from its cursor. */
async function pullFeed(feed, cursorOf, params, context = {}) {
  const device = await deviceId();
  for (let guard = 0; guard < 1000; guard++) {
    const cursor = await cursorOf();
    const asked = Date.now();  // entries acknowledged from now on may be missing from the page's snapshot
    const page = await fetchPage(feed.path, {...params, cursor, device_id: device});
    if (await epochChanged(cursor, page)) continue;
    if (await scopeChanged(feed, cursor, page)) continue;
    const applying = performance.now();
    await applyPage(feed, page, context, asked);
    await feed.afterPage(page);
    if (feed.measure) performance.measure(feed.measure, {start: applying});
    emit('change', feed.changed);
    if (!page.has_more) break;
  }
  await setMeta('last_sync_ok', new Date().toISOString());
}

/** Pull the post's changes. */
export async function pull(postId) {
  if (!postId || !mayPull()) return;
  const started = performance.now();  // benchmarks/tablet.py
  const cursorOf = async () => ((await getMeta('cursor_post')) === postId ? (await getMeta('cursor')) || 0 : 0);
  await pullFeed(FEEDS.post, cursorOf, {post_id: postId}, {postId});
  performance.measure('bedside:pull', {start: started});
  emit('status');
}

/** The attendance feed's scope on this tablet (docs/sync.md, "The attendance feed's scope"): the unit of the post the
 * tablet is enrolled at, when the person works there (her `unit_ids`; none: the whole home); otherwise nothing is
 * asked and the server answers for the units she works in. Returns the unit to ask for, or null. */
export function attendanceUnit(user, post) {
  const units = (user && user.unit_ids) || [];
  const unit = post && Number.isInteger(post.unit_id) ? post.unit_id : null;
  return unit !== null && (!units.length || units.includes(unit)) ? unit : null;
}

async function askedUnit() {
  const person = currentPerson();
  const record = await enrolment();
  return attendanceUnit(person && person.user, record && record.post);
}

/** Does the tablet hold the attendance feed for the scope it would ask for now? */
export async function attendanceHeld() {
  return (await getMeta('att_cursor')) !== undefined && (await getMeta('att_unit')) === (await askedUnit());
}

/** The units a page answers for differ from those the cursor was for (her units changed, or the unit asked for):
 * the cursor means nothing for them; start again from a snapshot, which replaces what the feed holds. */
async function scopeChanged(feed, cursor, page) {
  if (!feed.scopeOf || cursor === 0) return false;
  const scope = feed.scopeOf(page);
  if (scope === null || (await getMeta(feed.scopeKey)) === scope) return false;
  await setMeta(feed.cursor, 0);
  return true;
}

/** Activity staff always; a supervisor or planner once she opened attendance here ('att_cursor' set). */
async function mayPullAttendance() {
  const person = currentPerson();
  if (!person || !holds(person.user, ATTENDANCE_RECORDERS)) return false;
  return holds(person.user, [ACTIVITIES]) || (await getMeta('att_cursor')) !== undefined;
}

/** Pull what activity staff need offline. */
export async function pullAttendance({force = false} = {}) {
  if (!force && !(await mayPullAttendance())) return;
  const unitId = await askedUnit();
  try {
    await pullAttendanceOf(unitId);
  } catch (err) {
    // the post's unit is not hers after all (the tablet's copy of her details is older than the server's): her units
    if (unitId === null || !(err instanceof ApiError && err.status === 404)) throw err;
    await pullAttendanceOf(null);
  }
  emit('status');
}

async function pullAttendanceOf(unitId) {
  // Another unit asked for than the cursor's (another person, or the tablet enrolled elsewhere): a snapshot.
  const cursorOf = async () => ((await getMeta('att_unit')) === unitId ? (await getMeta('att_cursor')) || 0 : 0);
  await pullFeed(FEEDS.attendance, cursorOf, unitId === null ? {} : {unit_id: unitId}, {unitId});
}

/** One page; the connection state follows the answer. */
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

/** A new server epoch: requeue the sent entries; the caller starts over from a snapshot. */
async function epochChanged(cursor, page) {
  const epoch = await getMeta('server_epoch');
  if (cursor === 0 || !epoch || page.server_epoch === epoch) return false;
  await requeue(page.server_epoch, {cursor: 0, att_cursor: 0});
  scheduleFlush(0);
  return true;
}

/** A person disabled or whose PIN was reset loses her key here (lib/people.js keyWithdrawn); inside `s`. */
async function withdrawKeys(s, rows) {
  if (!rows || !rows.length) return;
  const records = await Promise.all(rows.map((u) => req(s.people.get(u.id))));
  for (const [i, u] of rows.entries()) {
    if (keyWithdrawn(records[i], u)) s.people.put(withoutKey(records[i]));
  }
}

/** Pulled entries stored as synced; acknowledged in the outbox. Inside `s`. */
async function storePulled(s, entries) {
  for (const e of entries || []) s.entries.put({...e, synced: true});
  await acknowledgePulled(s, entries);
}

/** A page and its cursor in one transaction. A snapshot replaces what the feed holds but keeps the entries that wait
 * in the outbox and those acknowledged since the page was asked for (`asked`): a push that landed while the page was
 * on its way is not in it, and its entries would vanish from the screen until the next pull. */
async function applyPage(feed, page, context, asked) {
  const names = [...new Set(['meta', 'entries', 'outbox', 'sent', 'staff', 'people', ...feed.replaces])];
  await tx(names, 'readwrite', async (s) => {
    if (page.snapshot) {
      const waiting = new Set(await req(s.outbox.getAllKeys()));  // a snapshot keeps what waits
      for (const x of await req(s.sent.getAll())) if (x.acked_at >= asked - 1000) waiting.add(x.id);
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
    const scope = feed.scopeOf ? feed.scopeOf(page) : null;
    if (scope !== null) s.meta.put(scope, feed.scopeKey);
    s.meta.put(page.server_epoch, 'server_epoch');
    if (page.today) s.meta.put(page.today, 'server_today');
  });
}

/** Push, then pull (errors go to status, not thrown). */
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

/** Ask to keep our storage; the answer noted for settings. */
export async function persistStorage() {
  if (typeof navigator === 'undefined' || !navigator.storage || !navigator.storage.persist) return null;
  const granted = await navigator.storage.persist().catch(() => false);
  await setMeta('storage_persisted', granted);
  return granted;
}
