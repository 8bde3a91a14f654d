// Bedside app shell: boot, routing, service-worker updates.
//
// data-testid hooks for browser tests:
//   login-username, login-password, login-submit, login-error, lang-<ru|zh_Hans|en>
//   post-select (a <select> of duty posts), post-submit
//   header: header-post, sync-pending (text holds the number; data-count too), sync-last, sync-offline, sync-now,
//           logout, nav-home, nav-supervisor, nav-cards, nav-posts, nav-attention, nav-settings, attention-count,
//           update-banner, update-apply
//   post screen: resident-row-<resident_id> (data-due, data-missing, data-done)
//   resident screen: cell-<item_id>-<slot> (data-state; as-needed recordings: cell-<item_id>-<entry_id>),
//           btn-done, btn-not-done, btn-measure, btn-record (as-needed), btn-correct, entry-state-<entry_id>
//           (data-state 'local'|'synced'), btn-vitals, btn-note, btn-condition, lock-notice
//   dialogs: dialog-not-done / dialog-vitals / dialog-note / dialog-condition / dialog-confirm / dialog-amend,
//           reason-<code>, condition-<category>, vital-<measure>, note-text, btn-save, btn-cancel
//   needs attention: attention-item-<entry_id>, btn-retry
//   supervisor: sup-unit, sup-day, sup-load, sup-confirm-day, sup-confirm-resident-<id>, sup-resident-<id>,
//           sup-cell-<resident_id>-<item_id>-<slot>, btn-amend, sup-late-list, sup-confirm-again, sup-devices,
//           sup-locked, sup-offline
//   cards: cards-unit, cards-resident, cards-month, cards-create, card-item-<id>, btn-add-item, btn-edit-item,
//           btn-end-item, btn-publish, item-category, item-title, item-instructions, item-kind, item-times,
//           item-hours, item-start, item-shift-<day|night>, item-dow-<1..7>, item-measure-<measure>
//   settings: lang-<code>, settings-persist, settings-device, settings-version, settings-pending, logout
import {ApiError, OfflineError, api} from './lib/api.js';
import {getMeta, openDB, setMeta} from './lib/db.js';
import {h, mount} from './lib/dom.js';
import {format, gettext, loadCatalog, ngettext, pickLocale} from './lib/i18n.js';
import {restore, session, setUser} from './lib/session.js';
import {deviceId, events, startAutoSync, status} from './lib/sync.js';
import {confirmDialog} from './views/dialogs.js';
import {hideHeader, renderHeader} from './views/header.js';

const ROUTES = {
  login: () => import('./views/login.js'),
  posts: () => import('./views/post.js').then((m) => ({render: m.renderPicker})),
  home: () => import('./views/post.js'),
  resident: () => import('./views/resident.js'),
  attention: () => import('./views/attention.js'),
  supervisor: () => import('./views/supervisor.js'),
  cards: () => import('./views/cards.js'),
  settings: () => import('./views/settings.js'),
  other: () => import('./views/other.js'),
};

const main = document.getElementById('main');
const header = document.getElementById('app-header');
let cleanup = null;
let rendering = 0;

/** Where a signed-in user starts. */
export function homeRoute() {
  const role = session.user && session.user.role;
  if (role === 'nurse') return session.postId ? 'home' : 'posts';
  if (role === 'supervisor') return 'supervisor';
  if (role === 'planner') return 'cards';
  return 'other';
}

export function go(route) {
  const target = `#/${route}`;
  if (location.hash === target) render();
  else location.hash = target;
}

async function render() {
  const ticket = ++rendering;
  const [name, ...params] = location.hash.replace(/^#\/?/, '').split('/');
  if (name === 'logout') return logout();
  if (!session.user && name !== 'login') return go('login');
  if (session.user && (!name || name === 'login')) return go(homeRoute());
  const loader = ROUTES[name];
  if (!loader) return go(session.user ? homeRoute() : 'login');
  if (cleanup) { try { cleanup(); } catch (_) { /* view already gone */ } cleanup = null; }
  const view = await loader();
  if (ticket !== rendering) return;
  if (name === 'login') hideHeader(header);
  else renderHeader(header, name);
  mount(main);
  main.className = `main view-${name}`;
  cleanup = (await view.render(main, params.map(decodeURIComponent), {go, relocalize})) || null;
  if (ticket === rendering) {
    const heading = main.querySelector('h1');
    if (heading) { heading.tabIndex = -1; heading.focus({preventScroll: true}); }
  }
}

/** Change the language everywhere and re-render. */
async function relocalize(locale) {
  await loadCatalog(locale);
  await setMeta('locale', locale);
  document.title = gettext('Bedside');
  render();
}

async function logout() {
  const s = await status();
  if (s.pending + s.rejected > 0) {
    const n = s.pending + s.rejected;
    const ok = await confirmDialog(gettext('Sign out?'),
      format(ngettext(
        '%(n)s entry is not synced yet. It stays on this tablet and will be sent when it is online.',
        '%(n)s entries are not synced yet. They stay on this tablet and will be sent when it is online.', n), {n}),
      gettext('Sign out'));
    if (!ok) { history.back(); return; }
  }
  // Sign-out never touches the outbox or the entries.
  try { await api.post('/api/auth/logout'); } catch (_) { /* offline: the session cookie expires on its own */ }
  await setUser(null);
  session.user = null;
  go('login');
}

function updateBanner(reg) {
  const slot = document.getElementById('banner');
  let reloading = false;
  let applying = false;
  // The first install's clients.claim() also fires controllerchange: reload only for an update we applied.
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (reloading || !applying) return;
    reloading = true;
    location.reload();
  });
  const apply = async () => {
    const s = await status();
    if (!reg.waiting || s.pending > 0 || document.querySelector('dialog[open]')) return false;
    applying = true;
    reg.waiting.postMessage('skip-waiting');
    return true;
  };
  const show = () => {
    if (!reg.waiting || slot.firstChild) return;
    mount(slot, h('div', {class: 'banner', role: 'status', testid: 'update-banner'},
      h('span', {}, gettext('Update ready — it will be applied once all entries are synced.')),
      h('button', {type: 'button', class: 'btn btn-small', testid: 'update-apply', onclick: apply},
        gettext('Apply now'))));
    apply();
  };
  if (reg.waiting && navigator.serviceWorker.controller) show();
  reg.addEventListener('updatefound', () => {
    const worker = reg.installing;
    if (!worker) return;
    worker.addEventListener('statechange', () => {
      if (worker.state === 'installed' && navigator.serviceWorker.controller) show();
    });
  });
  events.addEventListener('status', () => { if (reg.waiting && slot.firstChild) apply(); });
  setInterval(() => reg.update().catch(() => {}), 30 * 60 * 1000);
}

async function registerWorker() {
  if (!('serviceWorker' in navigator)) return;
  try {
    const reg = await navigator.serviceWorker.register('/sw.js', {type: 'module', scope: '/'});
    updateBanner(reg);
  } catch (err) {
    console.warn('service worker not registered', err);
  }
}

async function boot() {
  await openDB();
  await deviceId();
  await restore();
  const stored = (session.user && session.user.locale) || (await getMeta('locale'))
    || pickLocale(navigator.language) || 'en';
  await loadCatalog(stored);
  document.title = gettext('Bedside');
  registerWorker();
  // Without a stored user there is nothing to restore: go straight to sign-in (no 401 in the console).
  if (session.user) try {
    const me = await api.get('/api/auth/me');
    await setUser(me);
    if (me.locale && me.locale !== stored) await loadCatalog(me.locale);
  } catch (err) {
    // Offline: keep the stored user so a reload at the bedside still works. 401: sign in again.
    if (err instanceof ApiError && err.status === 401) await setUser(null);
    else if (!(err instanceof OfflineError)) console.warn(err);
  }
  events.addEventListener('auth-required', () => {
    if (session.user && !location.hash.startsWith('#/login')) {
      setUser(null).then(() => go('login'));
    }
  });
  window.addEventListener('hashchange', render);
  if (session.user) startAutoSync();
  await render();
}

boot();
