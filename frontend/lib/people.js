// The people of a shared tablet: who has it unlocked, their PIN-wrapped signing keys, their own data (drafts,
// language). The outbox and the entries belong to the tablet, not to anyone in here. Design: docs/frontend.md.
import {ApiError, OfflineError, api, setDeviceHeaders} from './api.js';
import {get, getAll, getMeta, put, setMeta, delMeta} from './db.js';
import {allows} from './roles.js';
import {fromB64url, importSigningKey, proof, unwrapWithPin, wrapWithPin} from './signing.js';

export const DEFAULTS = {pin_valid_days: 14, idle_lock_seconds: 300, pin_max_failures: 5};
const DAY_MS = 86400000;
const PERSIST_EVERY_MS = 15000;

let current = null;       // {user, keyId, key, raw (only until her PIN is set)}
let lastActive = Date.now();
let lastPersisted = 0;

export const currentPerson = () => current;

let settingsCache = null;  // read every second by the idle watch: kept in memory
export async function tabletSettings() {
  if (!settingsCache) settingsCache = {...DEFAULTS, ...((await getMeta('tablet_settings')) || {})};
  return settingsCache;
}

/** {device_id, credential, name, post} once an administrator enrolled this tablet. */
export async function enrolment() {
  return (await getMeta('enrolment')) || null;
}

export async function saveEnrolment(record) {
  await setMeta('enrolment', record);
  setDeviceHeaders({id: record.device_id, key: record.credential});
}

async function persistUnlocked() {
  lastPersisted = Date.now();
  if (!current) return delMeta('unlocked');
  return setMeta('unlocked', {user: current.user, key_id: current.keyId, key: current.key, last_active: lastActive});
}

/** After a password sign-in: she has the tablet; returns true when she must now choose a PIN. */
export async function begin(user, signingKey, settings) {
  if (settings) {
    await setMeta('tablet_settings', settings);
    settingsCache = null;
  }
  let key = null;
  let raw = null;
  if (signingKey) {
    raw = fromB64url(signingKey.secret);
    key = await importSigningKey(raw);
  }
  current = {user, keyId: signingKey ? signingKey.id : null, key, raw,
    issuedAt: (signingKey && signingKey.issued_at) || null};
  lastActive = Date.now();
  const prior = await get('people', user.id);
  await put('people', {drafts: {}, ...(prior || {}), id: user.id, user, sealed: null, key_id: null, failures: 0});
  await persistUnlocked();
  // People who sign entries (roles.py AUTHORS: she can 'sign_entries'): on an enrolled tablet they keep their key
  // under a PIN.
  return !!(raw && allows(user, 'sign_entries') && (await enrolment()));
}

/** Wrap her new key under the PIN she chose (the PIN and the clear key are then forgotten). */
export async function setPin(pin) {
  if (!current || !current.raw) throw new Error('no key to protect');
  const settings = await tabletSettings();
  const sealed = await wrapWithPin(pin, current.raw);
  const person = await get('people', current.user.id);
  const now = Date.now();
  await put('people', {...person, user: current.user, key_id: current.keyId, sealed, failures: 0,
    key_issued_at: current.issuedAt || null,
    pin_set_at: now, expires_at: now + settings.pin_valid_days * DAY_MS, last_unlock: now});
  current.raw = null;
}

const usable = (person) => !!(person && person.sealed && person.expires_at > Date.now());

/** People who can unlock this tablet with a PIN, most recent first (the lock screen's list). */
export async function recentPeople() {
  return (await getAll('people')).filter(usable).sort((a, b) => (b.last_unlock || 0) - (a.last_unlock || 0));
}

export const person = (id) => get('people', id);

/** Does a pulled staff row take away the PIN this tablet keeps for her (disabled, or her key older than the server's
 * `keys_valid_from`)? Then her record loses the key as at a sign-out (docs/frontend.md, "lib/people.js"). */
export function keyWithdrawn(record, row) {
  if (!record || !row || !(record.sealed || record.key_id)) return false;
  if (row.active === false) return true;
  if (!row.keys_valid_from) return false;
  const issued = record.key_issued_at ? Date.parse(record.key_issued_at) : NaN;
  return Number.isNaN(issued) || Date.parse(row.keys_valid_from) > issued;
}

/** The record with her key forgotten (as signOut does). */
export const withoutKey = (record) => ({...record, sealed: null, key_id: null, key_issued_at: null});

/**
 * Check a PIN on the tablet. Resolves {ok: true}, {ok: false, remaining}, or {ok: false, password: true} when
 * she must sign in with her password (expired, or too many wrong PINs: her wrapped key is then erased).
 */
export async function unlockWithPin(userId, pin) {
  const record = await get('people', userId);
  if (!usable(record)) return {ok: false, password: true};
  const key = await unwrapWithPin(pin, record.sealed);
  const settings = await tabletSettings();
  if (!key) {
    const failures = (record.failures || 0) + 1;
    if (failures >= settings.pin_max_failures) {
      await put('people', {...record, sealed: null, key_id: null, failures});
      return {ok: false, password: true};
    }
    await put('people', {...record, failures});
    return {ok: false, remaining: settings.pin_max_failures - failures};
  }
  await put('people', {...record, failures: 0, last_unlock: Date.now()});
  current = {user: record.user, keyId: record.key_id, key, raw: null};
  lastActive = Date.now();
  await persistUnlocked();
  return {ok: true};
}

/**
 * After an offline-capable PIN unlock, get her a server session: the server's challenge signed with her key
 * (the PIN never leaves the tablet). Offline: nothing to do, entries still carry her signature.
 */
export async function openServerSession() {
  if (!current || !current.key || !(await enrolment())) return null;
  const deviceId = await getMeta('device_id');
  try {
    const {challenge} = await api.get('/api/auth/challenge');
    const user = await api.post('/api/auth/unlock', {user_id: current.user.id, key_id: current.keyId, challenge,
      proof: await proof(current.key, 'unlock', challenge, current.user.id, deviceId)});
    if (current && current.user.id === user.id) {
      current.user = {...current.user, ...user};
      await persistUnlocked();
      const record = await get('people', user.id);
      if (record) await put('people', {...record, user: current.user});
    }
    return user;
  } catch (err) {
    if (err instanceof OfflineError) return null;
    if (err instanceof ApiError && err.code === 'unlock_refused') {
      // The server no longer honours her key (disabled, or the tablet re-enrolled): password next time.
      const record = await get('people', current.user.id);
      if (record) await put('people', {...record, sealed: null, key_id: null});
    }
    throw err;
  }
}

/** Restore the unlocked person after a reload, unless the tablet was idle past the limit. */
export async function restore() {
  const [saved, settings, record] = await Promise.all([getMeta('unlocked'), tabletSettings(), enrolment()]);
  if (record) setDeviceHeaders({id: record.device_id, key: record.credential});
  // A relative's own phone holds nothing medical and never locks on its own (the family view stays readable offline).
  const personal = saved && saved.user && saved.user.role === 'relative';
  if (saved && (personal || Date.now() - saved.last_active < settings.idle_lock_seconds * 1000)) {
    current = {user: saved.user, keyId: saved.key_id, key: saved.key, raw: null};
    lastActive = saved.last_active;
  } else {
    current = null;
    if (saved) await delMeta('unlocked');
  }
  return current;
}

/** A touch: she is still there. */
export function touch() {
  lastActive = Date.now();
  if (current && lastActive - lastPersisted > PERSIST_EVERY_MS) persistUnlocked();
}

export async function idleFor() {
  return Date.now() - lastActive;
}

/** Lock: nobody has the tablet. The outbox is untouched; her key is back under her PIN only. */
export async function lock() {
  current = null;
  await persistUnlocked();
}

/** Sign out: lock, and forget her key on this tablet (her password is needed next time). */
export async function signOut() {
  if (current) {
    const record = await get('people', current.user.id);
    if (record) await put('people', {...record, sealed: null, key_id: null});
  }
  await lock();
}

/** Update her user details (a language chosen in settings belongs to her, not to the tablet). */
export async function updateUser(user) {
  if (!current) return;
  current.user = user;
  await persistUnlocked();
  const record = await get('people', user.id);
  if (record) await put('people', {...record, user});
}

/** Her own drafts: nobody else who unlocks this tablet sees them. */
export async function draft(name) {
  if (!current) return null;
  const record = await get('people', current.user.id);
  return (record && record.drafts && record.drafts[name]) || null;
}

export async function saveDraft(name, value) {
  if (!current) return;
  const record = (await get('people', current.user.id)) || {id: current.user.id, user: current.user, drafts: {}};
  const drafts = {...(record.drafts || {})};
  if (value) drafts[name] = value; else delete drafts[name];
  await put('people', {...record, drafts});
}
