// The header on every signed-in screen: app, post, sync status, sync now, navigation, update banner. Its layout and
// a relative's menu: docs/frontend.md, "views/header.js".
import {h, icon, mount} from '../lib/dom.js';
import {format, formatTime, gettext, ngettext} from '../lib/i18n.js';
import {can, communityHome, placeName, session} from '../lib/session.js';
import {events, status, syncNow} from '../lib/sync.js';

let statusEl = null;
let badgeEl = null;
let headerTicket = 0;
let lastStatus = null;  // the last sync status read: a new screen's header is drawn from it at once

/** Read the sync status ahead (the app's start does it with its other reads). */
export async function primeStatus() {
  lastStatus = await status();
}

/** Draw the header whole -- with the last sync status known, or read first -- then show it: nothing in it or below
 * it moves after. */
export async function renderHeader(el, route) {
  const mine = ++headerTicket;
  const link = (href, text, testid, extra) => h('a', {href, class: ['nav-link', route === href.slice(2) && 'is-current'],
    'aria-current': route === href.slice(2) ? 'page' : null, testid}, text, extra || null);
  // People who sign entries on a tablet see the sync status: bedside roles, planners (assessments) and activity
  // staff (attendance). What each may see is what the server says she can (lib/session.js can).
  const recorder = can('sign_entries');
  // Staff (who sign entries, or administer the tablets): a relative is neither.
  const staff = recorder || can('administer');
  const nav = [];
  if (communityHome()) {
    // home and community care (issue 18): a carer's visits of the day; the station head's board and week
    if (can('record_bedside') && !can('dispatch')) nav.push(link('#/today', gettext('My visits'), 'nav-today'));
    if (can('dispatch')) nav.push(link('#/dispatch', gettext('Visits'), 'nav-dispatch'));
    // her station's people, their contracts and service sheets, the centre's catalogue
    if (can('keep_home_care')) nav.push(link('#/people', gettext('People at home'), 'nav-people'));
  } else if (can('work_at_post') && session.postId) {
    nav.push(link('#/home', gettext('Residents'), 'nav-home'));
  }
  // [capability, route, label]: a screen's link for whoever may use it
  for (const [capability, route, label] of [
    ['review_days', 'supervisor', gettext('Day review')], ['plan_care', 'board', gettext('Planning')],
    ['plan_care', 'cards', gettext('Care cards')], ['read_archive', 'archive', gettext('Archive')],
    ['record_attendance', 'attendance', gettext('Attendance')],
    ['plan_activities', 'activities', gettext('Activities')],
    ['assign_carers', 'carers', gettext('Carers')], ['keep_stays', 'residents', gettext('Stays')],
    ['monitor', 'monitoring', gettext('Monitoring')], ['invite_relatives', 'invitations', gettext('Relatives')],
    ['see_family', 'family', gettext('My family')], ['inspect_region', 'region', gettext('Region')]]) {
    if (can(capability)) nav.push(link(`#/${route}`, label, `nav-${route}`));
  }
  // A planner works at a post's residents too (assessments on the tablet): she may choose one.
  if (can('work_at_post')) nav.push(link('#/posts', gettext('Duty post'), 'nav-posts'));
  const attention = h('span', {class: 'badge badge-danger', hidden: true, testid: 'attention-count'});
  const status = h('div', {class: 'sync-status', role: 'status', 'aria-live': 'polite'});
  // Entries the server refused wait here for whoever signs entries on this tablet.
  if (recorder) nav.push(link('#/attention', gettext('Needs attention'), 'nav-attention', attention));
  if (can('administer')) {
    nav.push(link('#/tablets', gettext('Tablets'), 'nav-tablets'));
    nav.push(link('#/staff', gettext('Staff'), 'nav-staff'));
    nav.push(link('#/organisation', gettext('Organisation'), 'nav-organisation'));
  }
  nav.push(link('#/settings', gettext('Settings'), 'nav-settings'));
  const syncBtn = h('button', {type: 'button', class: 'btn btn-small btn-ghost', testid: 'sync-now',
    onclick: async () => { syncBtn.disabled = true; await syncNow(); syncBtn.disabled = false; }},
  icon('⟳'), ' ', gettext('Sync now'));
  const parts = [
    h('div', {class: 'header-top'},
      h('div', {class: 'brand'}, h('img', {src: '/icons/icon.svg', alt: '', class: 'brand-icon'}),
        h('span', {class: 'brand-name'}, gettext('Bedside')),
        session.post && recorder ? h('span', {class: 'brand-post', testid: 'header-post'}, placeName(session.post)) : null),
      h('div', {class: 'header-sync', hidden: !recorder}, status, syncBtn)),
    h('nav', {class: 'nav', 'aria-label': gettext('Main')}, nav,
      staff ? h('button', {type: 'button', class: 'nav-link nav-switch', testid: 'switch-user',
        onclick: () => { location.hash = '#/switch'; }}, icon('⇄'), ' ', gettext('Switch user')) : null,
      h('button', {type: 'button', class: ['nav-link', 'nav-logout', !staff && 'nav-end'], testid: 'logout',
        onclick: () => { location.hash = '#/logout'; }}, icon('→'), ' ', gettext('Sign out')))];
  statusEl = status;
  badgeEl = attention;
  if (lastStatus) {
    drawStatus(lastStatus);
    updateStatus();  // and read again: the figures change in place
  } else {
    await updateStatus();
    if (mine !== headerTicket) return;  // a newer screen's header is on its way
  }
  mount(el, parts);
  el.hidden = false;
  fitHeader();
}

/** A header taller than a fifth of the screen scrolls away with the page (class is-tall) instead of covering it. */
function fitHeader() {
  const el = document.getElementById('app-header');
  if (!el || el.hidden) return;
  el.classList.toggle('is-tall', el.offsetHeight > window.innerHeight * 0.2);
}

let fitQueued = false;
window.addEventListener('resize', () => {
  if (fitQueued) return;
  fitQueued = true;
  requestAnimationFrame(() => { fitQueued = false; fitHeader(); });
});

let statusTicket = 0;
export async function updateStatus() {
  if (!statusEl) return;
  const mine = ++statusTicket;
  const s = await status();
  lastStatus = s;
  if (mine !== statusTicket || !statusEl) return s;
  drawStatus(s);
  return s;
}

function drawStatus(s) {
  const parts = [];
  if (s.online === false) {
    parts.push(h('span', {class: 'pill pill-offline', testid: 'sync-offline'}, icon('⊘'), ' ', gettext('Offline')));
  }
  // Its place is kept while idle: the header would otherwise grow and shrink (and move the screen) at every sync.
  parts.push(h('span', {class: ['pill', !s.syncing && 'is-idle'], 'aria-hidden': s.syncing ? null : 'true'}, icon('⟳'),
    ' ', gettext('Syncing…')));
  parts.push(h('span', {class: ['pill', s.pending ? 'pill-warn' : 'pill-ok'], testid: 'sync-pending',
    dataset: {count: s.pending}}, icon(s.pending ? '◷' : '✓'), ' ',
  format(ngettext('%(n)s entry waiting', '%(n)s entries waiting', s.pending), {n: s.pending})));
  if (s.lastSyncOk) {
    parts.push(h('span', {class: 'sync-last', testid: 'sync-last'},
      format(gettext('last sync %(time)s'), {time: formatTime(s.lastSyncOk)})));
  }
  mount(statusEl, parts);
  const badge = badgeEl;
  if (badge) {
    badge.hidden = !s.rejected;
    badge.textContent = String(s.rejected);
    badge.setAttribute('aria-label', format(ngettext('%(n)s entry needs attention', '%(n)s entries need attention',
      s.rejected), {n: s.rejected}));
  }
  return s;
}

export function hideHeader(el) {
  headerTicket++;
  el.hidden = true;
  el.replaceChildren();
  statusEl = null;
  badgeEl = null;
}

// One redraw of the header per burst of events, after the next painted frame: the tapped row is painted first
// (docs/frontend.md). A hidden page paints no frames: a timer then.
let queued = null;
function queueStatus() {
  if (queued) return;
  queued = true;
  const run = () => { queued = null; updateStatus(); };
  if (document.visibilityState === 'visible') requestAnimationFrame(() => setTimeout(run, 0));
  else setTimeout(run, 0);
}
events.addEventListener('status', queueStatus);
events.addEventListener('change', queueStatus);
