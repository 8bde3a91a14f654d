// Administrator: enrol this tablet for a duty post; see the home's tablets and revoke a lost one.
import {ApiError, OfflineError, api} from '../lib/api.js';
import {h, mount} from '../lib/dom.js';
import {format, formatDateTime, gettext} from '../lib/i18n.js';
import {enrolment, saveEnrolment} from '../lib/people.js';
import {placeName} from '../lib/session.js';
import {deviceId} from '../lib/sync.js';
import {confirmDialog, toast} from './dialogs.js';

function problem(err) {
  if (err instanceof OfflineError) return gettext('No connection to the server. Enrolling and revoking tablets needs the network.');
  return (err instanceof ApiError && err.message) || gettext('Something went wrong.');
}

/** 'Chrome 131 · Android' from a user agent: enough to tell an office browser from a tablet. */
export function agentSummary(agent) {
  const ua = String(agent || '');
  if (!ua) return '';
  const browser = [['Edge', /Edg\/(\d+)/], ['Firefox', /Firefox\/(\d+)/], ['Chrome', /(?:Chrome|Chromium)\/(\d+)/],
    ['Safari', /Version\/(\d+).*Safari/]].find(([, re]) => re.test(ua));
  const system = [['Android', /Android/], ['iPadOS', /iPad/], ['iOS', /iPhone/], ['Windows', /Windows/],
    ['macOS', /Mac OS X/], ['Linux', /Linux/]].find(([, re]) => re.test(ua));
  return [browser ? `${browser[0]} ${ua.match(browser[1])[1]}` : '', system ? system[0] : ''].filter(Boolean).join(' · ');
}

/** A device's name on the list: its enrolled name; else (a browser that only synced) what the server knows of it --
 * the browser, who used it last -- never its raw id alone. */
function deviceName(d, here) {
  if (d.name) return d.name;
  const agent = d.user_agent ? agentSummary(d.user_agent) : d.id === here ? agentSummary(navigator.userAgent) : '';
  const who = d.last_user_name ? format(gettext('last used by %(name)s'), {name: d.last_user_name}) : '';
  return [agent || gettext('A browser (not enrolled)'), who].filter(Boolean).join(', ');
}

function stateOf(d) {
  if (d.wiped_at) return gettext('Withdrawn and erased');
  if (d.revoked_at) return gettext('Withdrawn — waiting to hand over its entries');
  if (d.enrolled_at) return gettext('Enrolled');
  return gettext('Not enrolled (a browser that synced)');
}

export async function render(main, _params, {go}) {
  const here = await deviceId();
  const mine = await enrolment();
  const error = h('p', {class: 'form-error', role: 'alert', hidden: true, testid: 'tablets-error'});
  const listEl = h('div', {testid: 'tablets-list'});
  let posts = [];
  try { posts = await api.get('/api/posts'); } catch (err) { error.textContent = problem(err); error.hidden = false; }

  const name = h('input', {id: 'enrol-name', class: 'input', required: true, maxlength: 80, testid: 'enrol-name',
    value: mine ? mine.name : ''});
  const post = h('select', {id: 'enrol-post', class: 'input', testid: 'enrol-post'},
    posts.map((p) => h('option', {value: String(p.id), selected: !!(mine && mine.post && mine.post.id === p.id)},
      `${p.name} — ${p.unit_name}`)));
  const submit = h('button', {type: 'submit', class: 'btn btn-primary', testid: 'enrol-submit'},
    mine ? gettext('Enrol again') : gettext('Enrol this tablet'));
  const form = h('form', {class: 'form', novalidate: true},
    h('div', {class: 'field'}, h('label', {for: 'enrol-name'}, gettext('Tablet name')), name),
    h('div', {class: 'field'}, h('label', {for: 'enrol-post'}, gettext('Duty post')), post), submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    if (!name.value.trim()) { error.textContent = gettext('Give the tablet a name.'); error.hidden = false; name.focus(); return; }
    submit.disabled = true;
    try {
      const reply = await api.post('/api/devices', {device_id: here, name: name.value.trim(), post_id: Number(post.value)});
      const chosen = posts.find((p) => String(p.id) === post.value);
      await saveEnrolment({device_id: here, credential: reply.credential, name: reply.device.name, post: chosen});
      toast(format(gettext('This tablet is enrolled as %(name)s.'), {name: reply.device.name}));
      go('tablets');
    } catch (err) {
      error.textContent = problem(err);
      error.hidden = false;
    } finally {
      submit.disabled = false;
    }
  });

  async function refresh() {
    let devices = [];
    try { devices = await api.get('/api/devices'); } catch (err) { error.textContent = problem(err); error.hidden = false; }
    const postName = (id) => (posts.find((p) => p.id === id) || {}).name || '—';
    mount(listEl, devices.length ? h('ul', {class: 'device-list'}, devices.map((d) => h('li', {class: 'device',
      testid: `device-${d.id}`, dataset: {state: d.wiped_at ? 'wiped' : d.revoked_at ? 'revoked' : 'active'}},
    h('div', {class: 'device-name', testid: `device-name-${d.id}`}, deviceName(d, here),
      d.id === here ? ' (' + gettext('this tablet') + ')' : ''),
    h('div', {class: 'muted'}, [postName(d.post_id), stateOf(d),
      gettext('last contact') + ' ' + (d.last_seen ? formatDateTime(d.last_seen) : '—'),
      d.name && d.last_user_name ? format(gettext('last used by %(name)s'), {name: d.last_user_name}) : '']
      .filter(Boolean).join(' · ')),
    // its id in full, small: what support and the server's records know it by
    h('div', {class: 'device-id', testid: `device-id-${d.id}`}, `${gettext('No.')} ${d.id}`),
    d.enrolled_at && !d.revoked_at ? h('button', {type: 'button', class: 'btn btn-danger btn-small',
      testid: `revoke-${d.id}`, onclick: async () => {
        const ok = await confirmDialog(gettext('Withdraw this tablet?'), d.id === here
          ? gettext('This is the tablet you are holding: you are signed out at once. It sends the entries it still holds, then erases its data; then you can sign in again on it as an office browser.')
          : gettext('Its credential stops working at once and everyone signed in on it is signed out. It sends the entries it still holds, then erases its data.'),
        gettext('Withdraw'));
        if (!ok) return;
        try { await api.post(`/api/devices/${encodeURIComponent(d.id)}/revoke`); await refresh(); } catch (err) {
          error.textContent = problem(err);
          error.hidden = false;
        }
      }}, gettext('Withdraw')) : null))) : h('p', {class: 'muted'}, gettext('No tablets yet.')));
  }

  main.append(h('section', {class: 'panel narrow'},
    h('h1', {}, gettext('Tablets')),
    h('h2', {class: 'section-title'}, gettext('This tablet')),
    mine ? h('p', {testid: 'enrolled-as'}, format(gettext('Enrolled as %(name)s for %(post)s.'),
      {name: mine.name, post: mine.post ? placeName(mine.post) : '—'})) : h('p', {}, gettext('This tablet is not enrolled.')),
    form, error,
    h('h2', {class: 'section-title'}, gettext('All tablets of the home')),
    listEl));
  await refresh();
}
