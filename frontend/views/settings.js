// Settings: language, storage, device, version, pending entries, sign out. A relative (her own phone) sees her
// language, her account and her password: nothing of a tablet (storage, device id, entries waiting).
import {api} from '../lib/api.js';
import {getMeta} from '../lib/db.js';
import {h, icon} from '../lib/dom.js';
import {format, gettext, locale, ngettext} from '../lib/i18n.js';
import {roleLabel} from '../lib/labels.js';
import {can, session, setUser} from '../lib/session.js';
import {deviceId, persistStorage, status} from '../lib/sync.js';
import {languagePicker} from '../lib/language.js';

function row(label, value, testid) {
  return h('div', {class: 'kv'}, h('dt', {}, label), h('dd', {testid}, value));
}

export async function render(main, _params, {relocalize}) {
  // Staff work on a tablet (they sign entries, or administer the tablets); a relative does neither.
  const staff = can('sign_entries') || can('administer');
  const s = await status();
  let persisted = await getMeta('storage_persisted');
  if (navigator.storage && navigator.storage.persisted) persisted = await navigator.storage.persisted().catch(() => persisted);
  let version = '—';
  try { version = (await fetch('/version.json', {cache: 'no-store'}).then((r) => r.json())).version; } catch (_) { /* offline */ }
  const persistBox = h('span', {}, persisted
    ? [icon('✓'), ' ', gettext('Kept: the browser will not clear entries on its own')]
    : [icon('⚠'), ' ', gettext('Not guaranteed: the browser may clear data when space runs low')]);
  const askButton = persisted ? null : h('button', {type: 'button', class: 'btn btn-small', onclick: async () => {
    const ok = await persistStorage();
    persistBox.replaceChildren(ok ? gettext('Kept: the browser will not clear entries on its own')
      : gettext('The browser did not allow it. Install Bedside on the home screen and try again.'));
  }}, gettext('Ask again'));

  main.append(h('section', {class: 'panel narrow'},
    h('h1', {}, gettext('Settings')),
    h('h2', {class: 'section-title'}, gettext('Language')),
    languagePicker(locale(), async (code) => {
      try {
        const user = await api.patch('/api/auth/me', {locale: code});
        await setUser(user);
      } catch (_) {
        // Offline: remember it here; the server learns it next time.
        await setUser({...session.user, locale: code});
      }
      await relocalize(code);
    }),
    h('h2', {class: 'section-title'}, staff ? gettext('This tablet') : gettext('Your account')),
    h('dl', {class: 'kv-list'},
      row(gettext('Signed in as'), `${session.user.full_name} (${roleLabel(session.user.role)})`),
      row(gettext('Home'), session.user.home_name || '—'),
      staff ? [
        row(gettext('Storage'), [persistBox, ' ', askButton], 'settings-persist'),
        row(gettext('Device'), h('code', {}, await deviceId()), 'settings-device')] : null,
      row(gettext('App version'), h('code', {}, version), 'settings-version'),
      staff ? row(gettext('Entries waiting'), format(ngettext('%(n)s entry waiting', '%(n)s entries waiting',
        s.pending), {n: s.pending}), 'settings-pending') : null),
    h('h2', {class: 'section-title'}, gettext('Password')),
    h('a', {href: '#/password', class: 'btn', testid: 'settings-password'}, gettext('Change your password')),
    h('div', {class: 'button-row'},
      h('a', {href: '#/logout', class: 'btn btn-danger', testid: 'logout-settings'}, icon('→'), ' ', gettext('Sign out')))));
}
