// Bedside app shell: boot, routing, service-worker updates. The screens' data-testid hooks: docs/frontend.md.
import {ApiError, OfflineError, api} from './lib/api.js';
import {getMeta, openDB, setMeta} from './lib/db.js';
import {h, mount} from './lib/dom.js';
import {format, getTimeZone, gettext, homeZoneLabel, inShell, loadCatalog, loadRest, ngettext, pickLocale, setTimeZone}
  from './lib/i18n.js';
import {currentPerson, enrolment, idleFor, lock, openServerSession, recentPeople, signOut, tabletSettings, touch}
  from './lib/people.js';
import {flushDrafts, openForm, rememberReturn, reopen, takeReturn} from './lib/drafts.js';
import {communityHome, restore, session, setUser, usePostOfTablet} from './lib/session.js';
import {deviceId, events, isRevoked, startAutoSync, status, syncNow} from './lib/sync.js';
import {hideHeader, primeStatus, renderHeader} from './views/header.js';

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
  tablets: () => import('./views/tablets.js'),
  board: () => import('./views/board.js'),
  plan: () => import('./views/plan.js'),
  group: () => import('./views/group.js'),
  assess: () => import('./views/assess.js'),
  archive: () => import('./views/archive.js'),
  activities: () => import('./views/activities.js'),
  programme: () => import('./views/programme.js'),
  attendance: () => import('./views/attendance.js'),
  family: () => import('./views/family.js'),
  join: () => import('./views/join.js'),
  invitations: () => import('./views/invitations.js'),
  monitoring: () => import('./views/monitoring.js'),
  carers: () => import('./views/carers.js'),
  lock: () => import('./views/lock.js'),
  unlock: () => import('./views/lock.js').then((m) => ({render: m.renderUnlock})),
  pin: () => import('./views/lock.js').then((m) => ({render: m.renderSetPin})),
  password: () => import('./views/password.js'),
  staff: () => import('./views/staff.js'),
  organisation: () => import('./views/organisation.js'),
  import: () => import('./views/import.js'),
  residents: () => import('./views/stay.js').then((m) => ({render: m.renderList})),
  stay: () => import('./views/stay.js'),
  file: () => import('./views/file.js'),
  today: () => import('./views/today.js'),
  dispatch: () => import('./views/dispatch.js'),
  people: () => import('./views/people_at_home.js'),
  region: () => import('./views/region.js'),
  withdrawn: () => import('./views/lock.js').then((m) => ({render: async (main, params, options) => {
    await m.renderWithdrawn(main, params, options);
    if (options.wiped) main.querySelector('.login-card').append(signInAgain());
  }})),
};

/** The way forward from an erased tablet: this browser starts afresh, unenrolled (an office browser), at the
 * sign-in screen. A reload is the clean start: the app opens its new, empty storage. */
function signInAgain() {
  return h('div', {class: 'stack'},
    h('p', {}, gettext('You can go on using this browser as an office computer: sign in again with your password.')),
    h('button', {type: 'button', class: 'btn btn-primary', testid: 'withdrawn-sign-in', onclick: () => {
      location.hash = '#/login';
      location.reload();
    }}, gettext('Sign in again')));
}
/** Screens shown with nobody unlocked: they hold no resident's data. */
const LOCKED_ROUTES = ['login', 'lock', 'unlock', 'withdrawn', 'join'];
let revoked = false;
let wiped = false;

const main = document.getElementById('main');
const header = document.getElementById('app-header');
let cleanup = null;
let rendering = 0;

/** Where a signed-in user starts. */
export function homeRoute() {
  const role = session.user && session.user.role;
  if (session.user && session.user.must_change_password) return 'password';  // nothing else until she has
  // a community home's carer starts on her visits of the day, its station head on the day's board (issue 18)
  if (role === 'nurse' && communityHome()) return 'today';
  if (role === 'supervisor' && communityHome()) return 'dispatch';
  if (role === 'nurse') return session.postId ? 'home' : 'posts';
  if (role === 'supervisor') return 'supervisor';
  if (role === 'planner') return 'board';
  if (role === 'admin') return 'tablets';
  if (role === 'activities') return 'attendance';
  if (role === 'relative') return 'family';
  if (role === 'inspector') return 'region';  // the region's month (issue 18)
  return 'other';
}

/** Where a locked tablet starts: the recent staff if anyone can unlock with a PIN, else the password. */
async function lockedRoute() {
  return (await enrolment()) || (await recentPeople()).length ? 'lock' : 'login';
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
  if (name === 'switch') return switchUser();
  if ((revoked || wiped) && name !== 'withdrawn') return go('withdrawn');
  // not withdrawn (any more: an erased tablet starts afresh after a reload): the screen would say what is untrue
  if (name === 'withdrawn' && !revoked && !wiped) return go(session.user ? homeRoute() : await lockedRoute());
  if (!session.user && !LOCKED_ROUTES.includes(name)) return go(await lockedRoute());
  // She must choose her own password first: nothing else is reachable until she has.
  const mustChange = !!(session.user && session.user.must_change_password);
  if (mustChange && name !== 'password') return go('password');
  if (session.user && (!name || ['login', 'lock', 'unlock'].includes(name))) return go(homeRoute());
  const loader = ROUTES[name];
  if (!loader) return go(session.user ? homeRoute() : await lockedRoute());
  if (cleanup) { try { cleanup(); } catch (_) { /* view already gone */ } cleanup = null; }
  const [view] = await Promise.all([loader(), inShell(name) ? null : loadRest()]);
  if (ticket !== rendering) return;
  if (LOCKED_ROUTES.includes(name) || name === 'pin' || mustChange) hideHeader(header);
  else await renderHeader(header, name);  // whole before the screen, so the screen does not move down after
  showZoneNote(!!session.user && !LOCKED_ROUTES.includes(name));
  if (ticket !== rendering) return;
  mount(main);
  const spinner = document.getElementById('boot');
  if (spinner) spinner.remove();  // the first screen is here
  main.className = `main view-${name}`;
  const done = (await view.render(main, params.map(decodeURIComponent), {go, relocalize, afterUnlock, wiped}))
    || null;
  if (ticket !== rendering) {
    // another screen was asked for while this one drew: it is gone already, and the newer screen's cleanup must not
    // be overwritten by this one's (the Carers screen kept nothing of her unsaved choice when she left it)
    if (done) { try { done(); } catch (_) { /* view already gone */ } }
    return;
  }
  cleanup = done;
  firstScreenDrawn();
  if (resumeForm && ticket === rendering) {
    // the dialog she had open at the idle lock, with her draft in it (lib/drafts.js)
    const {route, form} = resumeForm;
    resumeForm = null;
    if (location.hash === `#/${route}`) reopen(form, () => location.hash === `#/${route}` && !!session.user);
  }
  if (ticket === rendering) {
    const heading = main.querySelector('h1');
    if (heading) { heading.tabIndex = -1; heading.focus({preventScroll: true}); }
  }
}

/** The line under the header naming the home's zone, where the device keeps another (docs/frontend.md, "Times"). */
function showZoneNote(signedIn) {
  const note = document.getElementById('zone-note');
  if (!note) return;
  const label = signedIn ? homeZoneLabel() : null;
  note.hidden = !label;
  note.textContent = label || '';
  note.dataset.zone = label ? getTimeZone() : '';
}

/** Change the language everywhere and re-render. */
async function relocalize(locale) {
  await loadCatalog(locale);
  // The tablet's own language (lock and sign-in screens) changes only there; a person's choice is hers.
  if (!session.user) await setMeta('locale', locale);
  document.title = gettext('Bedside');
  render();
}

/** Someone has the tablet now (PIN, password or a new PIN): her language, her post, her start screen. */
async function afterUnlock({password = false} = {}) {
  const user = session.user;
  if (!user) return go(await lockedRoute());
  await usePostOfTablet();
  // Every time on her screens is the home's, whatever the device's zone (a reload does it in restore()).
  setTimeZone(user.timezone);
  const enrolled = await enrolment();
  await loadCatalog(user.locale || (await getMeta('locale')) || 'en');
  document.title = gettext('Bedside');
  startAutoSync();
  syncNow();  // her post's latest, now that someone may pull
  // Locked while idle, she comes back to her screen and open dialog, drafts in them (her only; lib/drafts.js).
  const resume = await takeReturn(user.id).catch(() => null);
  if (resume && !user.must_change_password) {
    resumeForm = resume.form ? {route: resume.route, form: resume.form} : null;
    return go(resume.route);
  }
  // A nurse who signed in with her password on a browser that is not an enrolled tablet chooses her post.
  go(password && !enrolled && user.role === 'nurse' ? 'posts' : homeRoute());
}

/** The dialog to open again once her screen is drawn after an unlock: {route, form} (lib/drafts.js reopen). */
let resumeForm = null;

async function logout() {
  const s = await status();
  if (s.pending + s.rejected > 0) {
    const n = s.pending + s.rejected;
    const {confirmDialog} = await import('./views/dialogs.js');
    const ok = await confirmDialog(gettext('Sign out?'),
      format(ngettext(
        '%(n)s entry is not synced yet. It stays on this tablet and will be sent when it is online.',
        '%(n)s entries are not synced yet. They stay on this tablet and will be sent when it is online.', n), {n}),
      gettext('Sign out'));
    if (!ok) { history.back(); return; }
  }
  // Sign-out never touches the outbox or the entries; it forgets her key here (her password is needed next time).
  if (session.user && session.user.role === 'relative') {
    await (await import('./views/family.js')).forgetFamily(session.user.id);
  }
  try { await api.post('/api/auth/logout'); } catch (_) { /* offline: the server session ends on its own */ }
  await signOut();
  await backToTabletLanguage();
  go(await lockedRoute());
}

/** Switch user: lock now (the first tap); the lock screen lists the staff (the second tap is a name). */
async function switchUser() {
  await lock();
  await backToTabletLanguage();
  go('lock');
}

async function backToTabletLanguage() {
  const code = (await getMeta('locale')) || 'en';
  await loadCatalog(code);
  document.title = gettext('Bedside');
}

/** Lock after IDLE_LOCK seconds without a touch: the screen then shows nobody's data. */
function watchIdle() {
  for (const type of ['pointerdown', 'keydown', 'touchstart', 'wheel', 'input']) {
    document.addEventListener(type, () => touch(), {passive: true, capture: true});
  }
  let locking = false;
  setInterval(async () => {
    const person = currentPerson();
    if (locking || !person || person.user.role === 'relative') return;  // a relative's own phone: no idle lock
    const {idle_lock_seconds: limit} = await tabletSettings();
    if ((await idleFor()) < limit * 1000 || currentPerson() !== person) return;
    locking = true;
    try {
      // where she was and what she typed, kept for her (lib/drafts.js): her PIN brings her back to it
      const route = location.hash.replace(/^#\/?/, '');
      const form = openForm();
      await flushDrafts().catch(() => null);
      for (const dialog of document.querySelectorAll('dialog[open]')) dialog.close();
      mount(main);  // hide every resident's data at once, before the lock screen renders
      if (route && !['lock', 'unlock', 'login', 'switch', 'logout'].includes(route.split('/')[0])) {
        await rememberReturn(person.user.id, route, form).catch(() => null);
      }
      await switchUser();
    } finally {
      locking = false;
    }
  }, 1000);
}

function watchRevocation() {
  events.addEventListener('revoked', async () => {
    revoked = true;
    await lock();
    go('withdrawn');
  });
  events.addEventListener('wiped', () => {
    wiped = true;
    render();
  });
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

// A failed first install leaves the tablet without its offline copy: try again, more slowly each time.
const WORKER_RETRY_MS = [2000, 10000, 30000, 120000, 300000];

async function registerWorker(attempt = 0) {
  if (!('serviceWorker' in navigator)) return;
  const retry = () => setTimeout(() => registerWorker(attempt + 1),
    WORKER_RETRY_MS[Math.min(attempt, WORKER_RETRY_MS.length - 1)]);
  try {
    const reg = await navigator.serviceWorker.register('/sw.js', {type: 'module', scope: '/'});
    if (reg.active) {
      updateBanner(reg);
      return;
    }
    const worker = reg.installing || reg.waiting;
    if (!worker) return;
    worker.addEventListener('statechange', () => {
      if (worker.state === 'activated') updateBanner(reg);
      else if (worker.state === 'redundant' && !reg.active) retry();
    });
  } catch (err) {
    console.warn('service worker not registered', err);
    retry();
  }
}

async function boot() {
  await openDB();
  // Independent reads at once: on a slow tablet each round trip to the database costs a frame or more.
  [revoked] = await Promise.all([isRevoked(), deviceId(), restore(), primeStatus()]);
  const first = session.user ? prefetch() : null;
  const stored = (session.user && session.user.locale) || (await getMeta('locale'))
    || pickLocale(navigator.language) || 'en';
  await loadCatalog(stored);
  if (first && !inShell(first)) loadRest();  // fetched while her server session is checked
  document.title = gettext('Bedside');
  registerWorker();
  watchIdle();
  watchRevocation();
  events.addEventListener('auth-required', () => { renewOrLock(); });
  window.addEventListener('hashchange', render);
  // Her server session still there? Online the answer decides the first screen; offline it fails at once; a slow
  // network is waited for only briefly, then her screen is drawn from the tablet and the answer applied later.
  if (session.user) await Promise.race([checkServerSession(stored), new Promise((r) => setTimeout(r, SERVER_WAIT_MS))]);
  await render();
  drawn = true;
  // The outbox is pushed whoever is signed in -- once her first screen is up (not competing with it).
  await Promise.race([firstScreen, new Promise((r) => setTimeout(r, 3000))]);
  startAutoSync();
}

/** Her first screen's module asked for at once, and its data read (a view's prepare()), while the catalog loads and
 * her server session is checked; render() then finds them ready. Returns the route. */
function prefetch() {
  const [name] = location.hash.replace(/^#\/?/, '').split('/');
  const route = !name || ['login', 'lock', 'unlock'].includes(name) ? homeRoute() : name;
  const loader = ROUTES[route];
  if (loader) loader().then((view) => view.prepare && view.prepare()).catch(() => {});
  return route;
}

const SERVER_WAIT_MS = 300;
let drawn = false;
let firstScreenDrawn;
const firstScreen = new Promise((resolve) => { firstScreenDrawn = resolve; });

/** Her details from the server (language, role changes); the server session ended: renew it or lock. */
async function checkServerSession(stored) {
  try {
    const me = await api.get('/api/auth/me');
    await setUser(me);
    if (me.locale && me.locale !== stored) {
      await loadCatalog(me.locale);
      document.title = gettext('Bedside');
      if (drawn) render();  // already drawn in the tablet's language (a slow answer): again in hers
    }
  } catch (err) {
    // Offline: she stays unlocked (a reload at the bedside still works). 401: a new server session, or sign in.
    if (err instanceof ApiError && err.status === 401) await renewOrLock();
    else if (!(err instanceof OfflineError)) console.warn(err);
  }
}

/** The server session ended: an enrolled tablet proves her key for a new one; otherwise her password. */
let renewing = null;
function renewOrLock() {
  if (!renewing) {
    renewing = (async () => {
      const person = currentPerson();
      if (!person) return;
      if (person.user.role === 'relative') {  // her own phone has no lock screen: her session ended, she signs in
        await signOut();
        go('login');
        return;
      }
      const renewed = await openServerSession().catch(() => null);
      if (!renewed) {
        await lock();
        go(await lockedRoute());
      }
    })().finally(() => { renewing = null; });
  }
  return renewing;
}

boot();
