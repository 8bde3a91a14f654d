// The shared tablet's lock screen (recent staff), PIN entry, choosing a PIN, and the withdrawn screen.
import {h, icon} from '../lib/dom.js';
import {format, gettext, ngettext} from '../lib/i18n.js';
import {roleLabel} from '../lib/labels.js';
import {enrolment, openServerSession, person, recentPeople, setPin, unlockWithPin} from '../lib/people.js';
import {PIN_PATTERN} from '../lib/signing.js';
import {placeName} from '../lib/session.js';
import {status} from '../lib/sync.js';

function pinInput(id, testid) {
  return h('input', {id, class: 'input input-pin', type: 'password', inputmode: 'numeric', pattern: '[0-9]*',
    minlength: 4, maxlength: 6, autocomplete: 'off', required: true, testid});
}

async function waitingNote() {
  const s = await status();
  if (!s.pending) return null;
  return h('p', {class: 'lock-waiting', testid: 'lock-pending'}, icon('◷'), ' ',
    format(ngettext('%(n)s entry waiting to be sent from this tablet', '%(n)s entries waiting to be sent from this tablet',
      s.pending), {n: s.pending}));
}

/** Who can unlock: tap your name (the second tap of a user switch), then your PIN. Each person by her name and her
 * login (two people may share a name; the login tells nurse3 from nurse1). A browser that is not an enrolled tablet
 * keeps nobody's PIN: it says so, and offers the password. */
export async function render(main) {
  const tablet = await enrolment();
  const people = await recentPeople();
  const list = people.length
    ? h('ul', {class: 'people-list', 'aria-label': gettext('Recently signed in on this tablet')},
      people.map((p) => h('li', {}, h('a', {class: 'person', href: `#/unlock/${p.id}`, testid: `person-${p.user.username}`},
        h('span', {class: 'person-who'}, h('span', {class: 'person-name'}, p.user.full_name), ' ',
          h('span', {class: 'person-login', testid: 'person-login'}, p.user.username)),
        h('span', {class: 'person-role'}, roleLabel(p.user.role))))))
    : h('p', {class: 'muted', testid: 'lock-nobody'}, tablet ? gettext('Nobody has signed in on this tablet yet.')
      : gettext('This browser is not a duty-post tablet, so nobody unlocks it with a PIN: sign in with your password.'));
  main.append(h('section', {class: 'login lock', testid: 'lock-screen'},
    h('div', {class: 'login-card'},
      h('h1', {}, tablet || people.length ? gettext('Tablet locked') : gettext('Locked')),
      tablet ? h('p', {class: 'login-lead', testid: 'lock-tablet'}, format(gettext('%(tablet)s · %(post)s'),
        {tablet: tablet.name, post: placeName(tablet.post)})) : null,
      tablet || people.length ? h('p', {class: 'label'}, gettext('Who is using the tablet?')) : null,
      list,
      await waitingNote(),
      h('a', {class: 'btn btn-block', href: '#/login', testid: 'lock-password'}, gettext('Sign in with a password')))));
}

/** The PIN pad for one person. */
export async function renderUnlock(main, [id], {go, afterUnlock}) {
  const record = await person(Number(id));
  if (!record) return go('lock');
  const pin = pinInput('unlock-pin', 'unlock-pin');
  const error = h('p', {class: 'form-error', role: 'alert', hidden: true, testid: 'unlock-error'});
  const submit = h('button', {type: 'submit', class: 'btn btn-primary btn-block', testid: 'unlock-submit'},
    gettext('Unlock'));
  const form = h('form', {class: 'login-form', novalidate: true},
    h('div', {class: 'field'}, h('label', {for: 'unlock-pin'}, gettext('PIN')), pin), error, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    if (!PIN_PATTERN.test(pin.value)) {
      error.textContent = gettext('The PIN has 4 to 6 digits.');
      error.hidden = false;
      return;
    }
    submit.disabled = true;
    const result = await unlockWithPin(record.id, pin.value);
    pin.value = '';
    submit.disabled = false;
    if (result.ok) {
      // Her server session before her screen: the screen she returns to after an idle lock may be one that reads the
      // server at once (a care plan), which must not be read in the last person's session, nor in none. Offline
      // fails at once (her entries carry her signature); a slow network is waited for only briefly.
      await Promise.race([openServerSession().catch(() => null), new Promise((r) => setTimeout(r, 3000))]);
      await afterUnlock();
      return;
    }
    error.textContent = result.password
      ? gettext('Too many wrong PINs, or the PIN has expired. Sign in with your password.')
      : format(ngettext('Wrong PIN. %(n)s attempt left.', 'Wrong PIN. %(n)s attempts left.', result.remaining),
        {n: result.remaining});
    error.hidden = false;
    if (result.password) {
      pin.disabled = true;
      submit.hidden = true;
    } else {
      pin.focus();
    }
  });
  main.append(h('section', {class: 'login lock'},
    h('div', {class: 'login-card'},
      h('h1', {}, record.user.full_name),
      h('p', {class: 'login-lead'}, gettext('Enter your PIN to unlock the tablet.')),
      form,
      h('div', {class: 'button-row'},
        h('a', {class: 'btn', href: '#/lock', testid: 'unlock-back'}, gettext('Someone else')),
        h('a', {class: 'btn', href: '#/login', testid: 'unlock-password'}, gettext('Use my password'))))));
  pin.focus();
}

/** After a password sign-in on an enrolled tablet: choose the PIN that unlocks it for the next days. */
export async function renderSetPin(main, _params, {afterUnlock}) {
  const first = pinInput('pin-new', 'pin-new');
  const again = pinInput('pin-again', 'pin-again');
  const error = h('p', {class: 'form-error', role: 'alert', hidden: true, testid: 'pin-error'});
  const submit = h('button', {type: 'submit', class: 'btn btn-primary btn-block', testid: 'pin-submit'},
    gettext('Save PIN'));
  const form = h('form', {class: 'login-form', novalidate: true},
    h('div', {class: 'field'}, h('label', {for: 'pin-new'}, gettext('New PIN (4 to 6 digits)')), first),
    h('div', {class: 'field'}, h('label', {for: 'pin-again'}, gettext('The same PIN again')), again),
    error, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    let problem = null;
    if (!PIN_PATTERN.test(first.value)) problem = gettext('The PIN has 4 to 6 digits.');
    else if (first.value !== again.value) problem = gettext('The two PINs differ.');
    if (problem) {
      error.textContent = problem;
      error.hidden = false;
      first.focus();
      return;
    }
    submit.disabled = true;
    await setPin(first.value);
    first.value = '';
    again.value = '';
    await afterUnlock();
  });
  main.append(h('section', {class: 'login lock'},
    h('div', {class: 'login-card'},
      h('h1', {}, gettext('Choose your PIN')),
      h('p', {class: 'login-lead'}, gettext('For the next days you unlock this tablet with your PIN, even without a connection. It stays on this tablet only.')),
      form)));
  first.focus();
}

let withdrawnDrawing = 0;

/** A revoked tablet: it hands over what it still holds, then erases everything. Drawn again once erased: a drawing
 * still reading its outbox count when a later one began draws nothing (the screen showed both, "sending" under
 * "erased"). */
export async function renderWithdrawn(main, _params, {wiped}) {
  const mine = ++withdrawnDrawing;
  const note = wiped ? null : await waitingNote();
  if (mine !== withdrawnDrawing) return;
  main.append(h('section', {class: 'login lock', testid: 'withdrawn', dataset: {state: wiped ? 'erased' : 'sending'}},
    h('div', {class: 'login-card'},
      h('h1', {}, gettext('This tablet has been withdrawn')),
      h('p', {}, wiped
        ? gettext('Everything it held has been sent to the server and erased from the tablet.')
        : gettext('An administrator withdrew this tablet. Entries still on it are being sent; then its data will be erased.')),
      note)));
}
