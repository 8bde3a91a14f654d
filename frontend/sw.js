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
  '/forms/mmse.json',
  '/forms/morse_falls.json',
  '/forms/pain_nrs.json',
  '/forms/satisfaction_relative.json',
  '/forms/satisfaction_resident.json',
  '/forms/vitals.json',
  '/forms/waterlow.json',
  '/lib/activities.js',
  '/lib/api.js',
  '/lib/db.js',
  '/lib/dom.js',
  '/lib/forms.js',
  '/lib/i18n.js',
  '/lib/labels.js',
  '/lib/people.js',
  '/lib/schedule.js',
  '/lib/session.js',
  '/lib/signing.js',
  '/lib/sync.js',
  '/lib/time.js',
  '/lib/today.js',
  '/lib/uuid.js',
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
  '/views/family.js',
  '/views/group.js',
  '/views/header.js',
  '/views/invitations.js',
  '/views/join.js',
  '/views/lock.js',
  '/views/login.js',
  '/views/monitoring.js',
  '/views/other.js',
  '/views/plan.js',
  '/views/plan_versions.js',
  '/views/post.js',
  '/views/programme.js',
  '/views/resident.js',
  '/views/settings.js',
  '/views/supervisor.js',
  '/views/tablets.js',
  '/i18n/ru.json',
  '/i18n/zh_Hans.json',
  '/i18n/en.json',
];
const CACHE = `bedside-shell-${VERSION}`;

self.addEventListener('install', (event) => {
  // No skipWaiting here: the page applies an update only once the outbox is empty.
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const reload = (url) => new Request(url, {cache: 'reload'});
    const catalogs = PRECACHE.filter((url) => url.startsWith('/i18n/'));
    await cache.addAll(PRECACHE.filter((url) => !catalogs.includes(url)).map(reload));
    // A catalog the server cannot build yet must not block the install; the app falls back to English.
    await Promise.all(catalogs.map((url) => cache.add(reload(url)).catch(() => null)));
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
