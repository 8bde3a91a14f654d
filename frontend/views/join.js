// #/join: a relative uses an invitation code. Nobody signed in: the code and a new account (name, user name,
// password, language), then she is signed in. A relative signed in: the code alone links one more resident.
//
// data-testid: join-code, join-full-name, join-username, join-password, join-password-again, join-submit,
//   join-error, join-field-error-<field>, join-signin (link to sign in first), join-back, lang-<code>
import {ApiError, OfflineError, api} from '../lib/api.js';
import {getMeta} from '../lib/db.js';
import {h} from '../lib/dom.js';
import {gettext, locale} from '../lib/i18n.js';
import {begin} from '../lib/people.js';
import {session} from '../lib/session.js';
import {deviceId, persistStorage} from '../lib/sync.js';
import {languagePicker} from '../lib/language.js';

let picked = null;  // the language chosen here survives the re-render a language change causes

function field(id, label, attrs = {}, hint = null) {
  const input = h('input', {id, class: 'input', testid: id, 'aria-describedby': id + '-msg', ...attrs});
  const msg = h('p', {class: 'field-msg', id: id + '-msg', testid: 'join-field-error-' + id.replace(/^join-/, '')},
    hint || '');
  return {input, msg, hint, el: h('div', {class: 'field'}, h('label', {for: id}, label), input, msg)};
}

export async function render(main, _params, {go, relocalize, afterUnlock}) {
  const relative = session.user && session.user.role === 'relative' ? session.user : null;
  if (session.user && !relative) return go('');  // staff: nothing to do here
  const code = field('join-code', gettext('Invitation code'), {autocomplete: 'off', autocapitalize: 'characters',
    spellcheck: 'false', required: true, placeholder: 'ABCDE-FGHJK'}, gettext('10 letters and digits, as on the note from the home.'));
  const fullName = field('join-full-name', gettext('Your name'), {autocomplete: 'name', required: true});
  const username = field('join-username', gettext('Choose a user name'), {autocomplete: 'username',
    autocapitalize: 'none', spellcheck: 'false', required: true}, gettext('At least 3 letters or digits, no spaces.'));
  const password = field('join-password', gettext('Choose a password'), {type: 'password',
    autocomplete: 'new-password', required: true}, gettext('At least 8 characters.'));
  const again = field('join-password-again', gettext('The password again'), {type: 'password',
    autocomplete: 'new-password', required: true});
  const fields = {code, full_name: fullName, username, password};
  const error = h('p', {class: 'form-error', role: 'alert', hidden: true, testid: 'join-error'});
  const submit = h('button', {type: 'submit', class: 'btn btn-primary btn-block', testid: 'join-submit'},
    relative ? gettext('Add the resident') : gettext('Create my account'));
  const form = h('form', {class: 'login-form', novalidate: true}, code.el,
    relative ? null : [fullName.el, username.el, password.el, again.el], error, submit);

  const fail = (text) => { error.textContent = text; error.hidden = false; };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    for (const f of [...Object.values(fields), again]) {
      f.msg.textContent = f.hint || '';
      f.msg.classList.remove('is-error');
      f.input.removeAttribute('aria-invalid');
    }
    const mark = (f, text) => {
      f.msg.textContent = text;
      f.msg.classList.add('is-error');
      f.input.setAttribute('aria-invalid', 'true');
    };
    if (!code.input.value.trim()) { mark(code, gettext('Enter the code.')); code.input.focus(); return; }
    if (!relative && password.input.value !== again.input.value) {
      mark(again, gettext('The two passwords differ.'));
      again.input.focus();
      return;
    }
    const body = relative ? {code: code.input.value} : {code: code.input.value, full_name: fullName.input.value,
      username: username.input.value, password: password.input.value, locale: picked || locale()};
    submit.disabled = true;
    try {
      await api.post('/api/invitations/redeem', body);
      if (relative) { go('family'); return; }
      const user = await api.post('/api/auth/login', {username: username.input.value.trim(),
        password: password.input.value, device_id: await deviceId()});
      const {signing_key: key, tablet, ...details} = user;
      await begin(details, key, tablet);
      if (!(await getMeta('storage_persisted'))) persistStorage();
      await afterUnlock({password: true});
    } catch (err) {
      if (err instanceof OfflineError) fail(gettext('No connection to the server. Using a code needs the network.'));
      else if (err instanceof ApiError) {
        let first = null;
        for (const [name, text] of Object.entries(err.fields || {})) {
          if (fields[name]) { mark(fields[name], text); first = first || fields[name]; }
        }
        fail(err.message || gettext('The code could not be used.'));
        if (first) first.input.focus();
      } else fail(gettext('The code could not be used.'));
    } finally {
      submit.disabled = false;
      password.input.value = '';
      again.input.value = '';
    }
  });

  main.append(h('section', {class: 'login'},
    h('div', {class: 'login-card'},
      h('div', {class: 'login-brand'}, h('img', {src: '/icons/icon.svg', alt: '', class: 'login-icon'}),
        h('h1', {}, relative ? gettext('Add a resident') : gettext('Join with an invitation code'))),
      h('p', {class: 'login-lead'}, relative
        ? gettext('Enter the code the home gave you for another family member.')
        : gettext('The home gives relatives a code. With it you create your own account and see your family member\'s days.')),
      form,
      relative ? h('a', {class: 'btn btn-block', href: '#/family', testid: 'join-back'}, gettext('Back'))
        : h('a', {class: 'btn btn-block', href: '#/login', testid: 'join-signin'},
          gettext('I already have an account: sign in')),
      relative ? null : h('div', {class: 'field'}, h('p', {class: 'label'}, gettext('Language')),
        languagePicker(picked || locale(), async (c) => { picked = c; await relocalize(c); })))));
  code.input.focus();
  return null;
}
