// #/password: change your own password. Reached from Settings; forced after a sign-in whose reply says
// must_change_password (an account's first sign-in, or after an administrator reset the password): nothing else is
// reachable until it is done (app.js). After the change the sign-in goes on as a password sign-in does: her key for
// this tablet from the reply, then the PIN screen when she needs one.
//
// data-testid: pw-current, pw-new, pw-again, pw-submit, pw-error, pw-forced (the forced screen's note), pw-logout,
//   pw-cancel
import {ApiError, api} from '../lib/api.js';
import {h} from '../lib/dom.js';
import {clearErrors, field, problem, setError, showFieldErrors} from '../lib/fields.js';
import {format, gettext} from '../lib/i18n.js';
import {begin} from '../lib/people.js';
import {session, setUser} from '../lib/session.js';
import {deviceId} from '../lib/sync.js';
import {toast} from './dialogs.js';

const MIN_LENGTH = 8;

const passwordInput = (testid, autocomplete) => h('input', {id: testid, class: 'input', type: 'password', testid,
  name: testid, autocomplete, autocapitalize: 'none', spellcheck: 'false', required: true, maxlength: 200});

export async function render(main, _params, {go, afterUnlock}) {
  const user = session.user;
  const forced = !!user.must_change_password;
  const msgs = {};
  const current = passwordInput('pw-current', 'current-password');
  const fresh = passwordInput('pw-new', 'new-password');
  const again = passwordInput('pw-again', 'new-password');
  const error = h('p', {class: 'form-error', role: 'alert', hidden: true, testid: 'pw-error'});
  const submit = h('button', {type: 'submit', class: 'btn btn-primary btn-block', testid: 'pw-submit'},
    gettext('Change password'));
  const form = h('form', {class: 'login-form', novalidate: true},
    // For password managers: whose password this is (never shown).
    h('input', {type: 'text', name: 'username', autocomplete: 'username', value: user.username || '', hidden: true,
      readonly: true, tabindex: -1, 'aria-hidden': 'true'}),
    field(msgs, 'current_password', forced ? gettext('Password you signed in with') : gettext('Current password'),
      current),
    field(msgs, 'new_password', gettext('New password'), fresh,
      format(gettext('At least %(n)s characters. Not your name or user name, not a common password.'),
        {n: MIN_LENGTH})),
    field(msgs, 'again', gettext('The new password again'), again),
    error, submit);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    clearErrors(msgs);
    let wrong = false;
    if (!current.value) { setError(msgs, 'current_password', gettext('Enter your current password.')); wrong = true; }
    if (!fresh.value) { setError(msgs, 'new_password', gettext('Choose a new password.')); wrong = true; }
    else if (fresh.value !== again.value) { setError(msgs, 'again', gettext('The two passwords differ.')); wrong = true; }
    if (wrong) {
      const first = [current, fresh, again].find((el) => el.getAttribute('aria-invalid') === 'true');
      if (first) first.focus();
      return;
    }
    submit.disabled = true;
    let reply;
    try {
      reply = await api.post('/api/auth/password', {current_password: current.value, new_password: fresh.value,
        device_id: await deviceId()});
    } catch (err) {
      if (err instanceof ApiError && err.fields && err.fields.current_password) current.value = '';
      const named = showFieldErrors(err, msgs);
      if (!named || (err instanceof ApiError && err.status !== 400)) {
        error.textContent = problem(err);
        error.hidden = false;
      }
      submit.disabled = false;
      return;
    }
    current.value = '';
    fresh.value = '';
    again.value = '';
    const {signing_key: key, tablet, ...details} = reply;
    toast(gettext('Your password has been changed.'));
    if (forced) {
      // As after a password sign-in: her key for this tablet, then her PIN when she needs one.
      const needsPin = await begin(details, key, tablet);
      if (needsPin) go('pin');
      else await afterUnlock({password: true});
      return;
    }
    if (key) {
      // A new key for this tablet: the one under her PIN may no longer be honoured, so she chooses her PIN again.
      const needsPin = await begin(details, key, tablet);
      go(needsPin ? 'pin' : 'settings');
      return;
    }
    await setUser({...user, ...details});
    go('settings');
  });

  main.append(h('section', {class: 'login'},
    h('div', {class: 'login-card'},
      h('h1', {}, forced ? gettext('Choose your own password') : gettext('Change your password')),
      forced ? h('p', {class: 'login-lead', testid: 'pw-forced'},
        format(gettext('%(name)s, your password was set by the administrator. Choose your own before you continue.'),
          {name: user.full_name})) : null,
      form,
      h('div', {class: 'button-row'}, forced
        ? h('a', {class: 'btn', href: '#/logout', testid: 'pw-logout'}, gettext('Sign out'))
        : h('a', {class: 'btn', href: '#/settings', testid: 'pw-cancel'}, gettext('Cancel'))))));
  current.focus();
}
