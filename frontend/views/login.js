// Sign in: username, password, language.
import {ApiError, OfflineError, api} from '../lib/api.js';
import {getMeta} from '../lib/db.js';
import {h} from '../lib/dom.js';
import {languagePicker} from '../lib/language.js';
import {gettext, locale} from '../lib/i18n.js';
import {begin, enrolment} from '../lib/people.js';
import {deviceId, persistStorage} from '../lib/sync.js';

let picked = null;  // survives the re-render that a language change causes

export async function render(main, _params, {go, relocalize, afterUnlock}) {
  // No user name is remembered: on a shared tablet the last person's name is hers, not the next one's.
  const enrolled = await enrolment();
  const username = h('input', {id: 'login-username', class: 'input', name: 'username', autocomplete: 'username',
    autocapitalize: 'none', spellcheck: 'false', required: true, testid: 'login-username'});
  const password = h('input', {id: 'login-password', class: 'input', type: 'password', name: 'password',
    autocomplete: 'current-password', required: true, testid: 'login-password'});
  const error = h('p', {class: 'form-error', role: 'alert', hidden: true, testid: 'login-error'});
  const submit = h('button', {type: 'submit', class: 'btn btn-primary btn-block', testid: 'login-submit'},
    gettext('Sign in'));

  const form = h('form', {class: 'login-form', novalidate: true},
    h('div', {class: 'field'}, h('label', {for: 'login-username'}, gettext('User name')), username),
    h('div', {class: 'field'}, h('label', {for: 'login-password'}, gettext('Password')), password),
    error, submit);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    if (!username.value.trim() || !password.value) {
      error.textContent = gettext('Enter your user name and password.');
      error.hidden = false;
      return;
    }
    submit.disabled = true;
    try {
      let user = await api.post('/api/auth/login', {username: username.value.trim(), password: password.value,
        device_id: await deviceId()});
      // Her language is the one she reads from this first screen on: the one chosen here, or, when her account has
      // none yet (a first sign-in), the one this screen is shown in. The server answers in it too (the family view's
      // titles, messages).
      const wanted = picked || (user.locale ? null : locale());
      if (wanted && wanted !== user.locale) {
        user = {...user, ...(await api.patch('/api/auth/me', {locale: wanted}).catch(() => ({locale: wanted})))};
      }
      const {signing_key: key, tablet, ...details} = user;
      const needsPin = await begin(details, key, tablet);
      if (!(await getMeta('storage_persisted'))) persistStorage();
      password.value = '';
      // A first sign-in (or one after an administrator's reset): her own password first, then as below.
      if (details.must_change_password) go('password');
      else if (needsPin) go('pin');
      else await afterUnlock({password: true});
    } catch (err) {
      password.value = '';
      if (err instanceof OfflineError) {
        error.textContent = gettext('No connection to the server. Signing in needs the network once; entries already on this tablet are kept.');
      } else if (err instanceof ApiError) {
        error.textContent = err.message || gettext('Sign-in failed.');
      } else {
        error.textContent = gettext('Sign-in failed.');
      }
      error.hidden = false;
      password.focus();
    } finally {
      submit.disabled = false;
    }
  });

  const back = enrolled ? h('a', {class: 'btn btn-block', href: '#/lock',
    testid: 'login-back'}, gettext('Back to the lock screen')) : null;
  main.append(h('section', {class: 'login'},
    h('div', {class: 'login-card'},
      h('div', {class: 'login-brand'}, h('img', {src: '/icons/icon.svg', alt: '', class: 'login-icon'}),
        h('h1', {}, gettext('Bedside'))),
      h('p', {class: 'login-lead'}, gettext('Care documentation at the bedside — works without a connection.')),
      form, back,
      enrolled ? null : h('a', {class: 'btn btn-block', href: '#/join', testid: 'login-join'}, gettext('I have an invitation code (relatives)')),
      h('div', {class: 'field'}, h('p', {class: 'label', id: 'lang-label'}, gettext('Language')),
        languagePicker(locale(), async (code) => { picked = code; await relocalize(code); })))));
  username.focus();
}
