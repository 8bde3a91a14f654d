// Hand-written service worker (module). The server replaces __SHELL_VERSION__ with a hash of the shell.
import {flush} from './lib/sync.js';

const VERSION = '__SHELL_VERSION__';
const PRECACHE = [
  '/',
  '/index.html',
  '/app.js',
  '/manifest.webmanifest',
  '/css/app.css',
  '/icons/icon.svg',
  '/icons/icon-192.png',
  '/icons/icon-512.png',
  '/forms/adl_observation.json',
  '/forms/age_no_barrier.json',
  '/forms/day_routine.json',
  '/forms/form.schema.json',
  '/forms/milieu_interview.json',
  '/forms/milieu_observation.json',
  '/forms/mmse.json',
  '/forms/morse_falls.json',
  '/forms/pain_nrs.json',
  '/forms/satisfaction_homecare.json',
  '/forms/satisfaction_relative.json',
  '/forms/satisfaction_resident.json',
  '/forms/specialist_report.json',
  '/forms/vitals.json',
  '/forms/waterlow.json',
  '/lib/activities.js',
  '/lib/activitytext.js',
  '/lib/api.js',
  '/lib/bus.js',
  '/lib/care_group.js',
  '/lib/day.js',
  '/lib/drafts.js',
  '/lib/model_draft.js',
  '/lib/dateinput.js',
  '/lib/dispatch_text.js',
  '/lib/monthselect.js',
  '/lib/db.js',
  '/lib/entries.js',
  '/lib/entry_fields.js',
  '/lib/dom.js',
  '/lib/fields.js',
  '/lib/forms.js',
  '/lib/formdefs.js',
  '/lib/formtext.js',
  '/lib/i18n.js',
  '/lib/labels.js',
  '/lib/language.js',
  '/lib/marks.js',
  '/lib/office_labels.js',
  '/lib/outbox.js',
  '/lib/people.js',
  '/lib/periodicity.js',
  '/lib/periodicity_form.js',
  '/lib/plan_versions.js',
  '/lib/recorder.js',
  '/lib/roles.js',
  '/lib/schedule.js',
  '/lib/session.js',
  '/lib/signing.js',
  '/lib/sync.js',
  '/lib/time.js',
  '/lib/today.js',
  '/lib/uuid.js',
  '/lib/visits.js',
  '/lib/vitals.js',
  '/views/activities.js',
  '/views/archive.js',
  '/views/assess.js',
  '/views/attendance.js',
  '/views/attention.js',
  '/views/board.js',
  '/views/cards.js',
  '/views/carers.js',
  '/views/dialogs.js',
  '/views/dispatch.js',
  '/views/family.js',
  '/views/file.js',
  '/views/group.js',
  '/views/header.js',
  '/views/import.js',
  '/views/invitations.js',
  '/views/join.js',
  '/views/lock.js',
  '/views/login.js',
  '/views/monitoring.js',
  '/views/organisation.js',
  '/views/other.js',
  '/views/password.js',
  '/views/people_at_home.js',
  '/views/plan.js',
  '/views/post.js',
  '/views/programme.js',
  '/views/region.js',
  '/views/resident.js',
  '/views/settings.js',
  '/views/staff.js',
  '/views/stay.js',
  '/views/supervisor.js',
  '/views/tablets.js',
  '/views/today.js',
  '/i18n/ru.json',
  '/i18n/zh_Hans.json',
  '/i18n/en.json',
  '/i18n/ru.rest.json',
  '/i18n/zh_Hans.rest.json',
  '/i18n/en.rest.json',
];
const CACHE = `bedside-shell-${VERSION}`;

const FETCH_ATTEMPTS = 4;

/** One file of the shell, fresh from the server; a dropped connection or a 5xx (a busy server, a worker
 * restarting, flaky Wi-Fi at the duty post) is tried again after 0.5, 1 and 2 s. A 4xx is final. */
async function fetchFresh(url) {
  for (let attempt = 1; ; attempt += 1) {
    let response = null;
    try {
      response = await fetch(new Request(url, {cache: 'reload'}));
    } catch (err) {
      if (attempt >= FETCH_ATTEMPTS) throw err;
    }
    if (response && response.ok) return response;
    if (response && (response.status < 500 || attempt >= FETCH_ATTEMPTS)) throw new Error(`${url}: ${response.status}`);
    await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** (attempt - 1)));
  }
}

self.addEventListener('install', (event) => {
  // No skipWaiting here: the page applies an update only once the outbox is empty.
  event.waitUntil((async () => {
    const catalogs = PRECACHE.filter((url) => url.startsWith('/i18n/'));
    const shell = PRECACHE.filter((url) => !catalogs.includes(url));
    // Every file fetched before any is stored: a shell is installed whole or not at all (as cache.addAll would).
    const responses = await Promise.all(shell.map(fetchFresh));
    // A catalog the server cannot build yet must not block the install; the app falls back to English.
    const found = await Promise.all(catalogs.map((url) => fetchFresh(url).catch(() => null)));
    const cache = await caches.open(CACHE);
    await Promise.all([...shell.map((url, i) => cache.put(url, responses[i])),
      ...catalogs.map((url, i) => found[i] && cache.put(url, found[i]))]);
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    // Only our own old shell caches; IndexedDB (the outbox) is never touched here.
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith('bedside-shell-') && n !== CACHE).map((n) => caches.delete(n)));
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  // Other origins and writes go straight to the network.
  if (url.origin !== self.location.origin || event.request.method !== 'GET') return;
  // The API is network-only: never answer it from a cache.
  if (url.pathname.startsWith('/api/')) return;
  if (event.request.mode === 'navigate') {
    event.respondWith(caches.match('/', {cacheName: CACHE}).then((hit) => hit || fetch(event.request)));
    return;
  }
  event.respondWith(caches.match(url.pathname, {cacheName: CACHE}).then((hit) => hit || fetch(event.request)));
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('sync', (event) => {
  if (event.tag === 'bedside-push') event.waitUntil(flush());
});
