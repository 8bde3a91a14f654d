// The one IndexedDB wrapper (svgomg withStore size). Never await a fetch inside tx(). Stores: docs/frontend.md.
const DB_NAME = 'bedside';
const DB_VERSION = 6;
let dbPromise = null;

/** Wrap an IDBRequest in a promise. */
export function req(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function upgrade(db, oldVersion, t) {
  if (oldVersion < 1) {
    db.createObjectStore('meta');
    db.createObjectStore('residents', {keyPath: 'id'});
    db.createObjectStore('cards', {keyPath: 'id'}).createIndex('resident_id', 'resident_id');
    db.createObjectStore('entries', {keyPath: 'id'}).createIndex('by_resident_day', ['resident_id', 'day']);
    db.createObjectStore('outbox', {keyPath: 'id'});
    db.createObjectStore('confirmations', {keyPath: 'id'});
    db.createObjectStore('staff', {keyPath: 'id'});
  }
  if (oldVersion < 2) {
    // Acknowledged entries, kept for SENT_DAYS so a server restored from a backup gets them again.
    db.createObjectStore('sent', {keyPath: 'id'}).createIndex('acked_at', 'acked_at');
  }
  if (oldVersion < 3) {
    // The people who signed in on this tablet: PIN-wrapped keys and their own drafts (lib/people.js).
    db.createObjectStore('people', {keyPath: 'id'});
  }
  if (oldVersion < 4) {
    // Activity staff's records (the attendance pull), apart from the duty post's.
    db.createObjectStore('att_residents', {keyPath: 'id'});
    db.createObjectStore('activities', {keyPath: 'id'});
    db.createObjectStore('sessions', {keyPath: 'id'});
    db.createObjectStore('session_changes', {keyPath: 'id'}).createIndex('session_id', 'session_id');
    db.createObjectStore('programme', {keyPath: 'id'}).createIndex('resident_id', 'resident_id');
  }
  if (oldVersion < 5) {
    // The outbox by state in sending order: counts and the next batch without reading every waiting entry.
    t.objectStore('outbox').createIndex('state_seq', ['state', 'client_seq']);
  }
  if (oldVersion < 6) {
    // A community carer's phone (issue 18): her visits and the station's service catalogue, from the post pull.
    db.createObjectStore('visits', {keyPath: 'id'}).createIndex('day', 'day');
    db.createObjectStore('catalogue', {keyPath: 'id'});
  }
}

/** Close and delete the whole database (a revoked tablet wipes itself). */
export async function destroyDB() {
  if (dbPromise) {
    const db = await dbPromise.catch(() => null);
    if (db) db.close();
    dbPromise = null;
  }
  await new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(DB_NAME);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
    // Blocked: another context (the service worker, another tab) still has it open; each closes on versionchange
    // and the deletion then succeeds. Wait for that, so "erased" is said only once it is true -- but never hang.
    request.onblocked = () => setTimeout(resolve, 5000);
  });
}

/** The open database (one connection per context). */
export function openDB() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const open = indexedDB.open(DB_NAME, DB_VERSION);
      open.onupgradeneeded = (event) => upgrade(open.result, event.oldVersion, open.transaction);
      open.onsuccess = () => {
        const db = open.result;
        // Another tab opened a newer version: let it upgrade.
        db.onversionchange = () => { db.close(); dbPromise = null; };
        resolve(db);
      };
      open.onerror = () => { dbPromise = null; reject(open.error); };
    });
  }
  return dbPromise;
}

/**
 * Run fn({storeName: IDBObjectStore}) in one transaction; resolves with fn's result once committed.
 * fn may await req(...) on the stores, but nothing else (the transaction would close).
 */
export async function tx(names, mode, fn) {
  const db = await openDB();
  return new Promise((resolve, reject) => {
    const t = db.transaction(names, mode);
    const stores = {};
    for (const name of names) stores[name] = t.objectStore(name);
    let result;
    t.oncomplete = () => resolve(result);
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error || new DOMException('Transaction aborted', 'AbortError'));
    Promise.resolve().then(() => fn(stores, t)).then((value) => { result = value; }, (err) => {
      try { t.abort(); } catch (_) { /* already finished */ }
      reject(err);
    });
  });
}

export const get = (store, key) => tx([store], 'readonly', (s) => req(s[store].get(key)));
export const getAll = (store) => tx([store], 'readonly', (s) => req(s[store].getAll()));
export const put = (store, value) => tx([store], 'readwrite', (s) => req(s[store].put(value)));
export const getAllFromIndex = (store, index, query) =>
  tx([store], 'readonly', (s) => req(s[store].index(index).getAll(query)));

export const getMeta = (key) => tx(['meta'], 'readonly', (s) => req(s.meta.get(key)));
export const setMeta = (key, value) => tx(['meta'], 'readwrite', (s) => req(s.meta.put(value, key)));
export const delMeta = (key) => tx(['meta'], 'readwrite', (s) => req(s.meta.delete(key)));
