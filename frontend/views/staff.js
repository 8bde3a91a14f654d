// #/staff (administrator): the home's staff accounts. The list (name, login, roles, units, state), adding a member
// of staff (her one-time password is shown once), and per account: edit (name, roles, units, language), reset
// password (a new one-time password, shown once), reset PIN, clear a sign-in hold, disable / enable. Online only.
// A member of staff holds a main role (the screen she starts on) and any other staff roles too; she works in the
// units ticked, or across the whole home when none is. She has a post («должность», backend/domain/posts.py):
// choosing it fills her roles with the post's (org.staff_posts), which stay editable.
//
// data-testid: staff-error, staff-list, staff-row-<id> (data-state: active | disabled | held | must_change;
//   data-username), staff-state-<id>, staff-post-<id>, staff-roles-<id>, staff-units-<id>, staff-edit-<id>,
//   staff-reset-password-<id>, staff-reset-pin-<id>, staff-clear-hold-<id>, staff-disable-<id>, staff-enable-<id>;
//   add form: staff-new-name, staff-new-username, staff-new-locale, staff-new-post (her post), staff-new-roles (the
//   roles' group) with staff-new-role (the main role) and staff-new-also-<role> (the other roles; the main role's
//   own is hidden), staff-new-units (the units' group) with staff-new-unit-<unitId>, staff-new-submit,
//   staff-new-error; the one-time password: staff-secret, staff-secret-username, staff-secret-password,
//   staff-secret-copy, staff-secret-done; edit dialog: dialog-staff-edit with staff-edit-name, staff-edit-post,
//   staff-edit-roles, staff-edit-role, staff-edit-also-<role>, staff-edit-units, staff-edit-unit-<unitId>,
//   staff-edit-locale.
//   The groups' error lines (the server's roles / roles.N and unit_ids / unit_ids.N): #<prefix>-roles-msg,
//   #<prefix>-units-msg (prefix staff-new or staff-edit).
import {api} from '../lib/api.js';
import {h, icon, mount} from '../lib/dom.js';
import {clearErrors, field, problem, requireText, selectInput, setError, showFieldErrors, textInput} from '../lib/fields.js';
import {LANGUAGE_NAMES, LOCALES, format, gettext} from '../lib/i18n.js';
import {roleLabel} from '../lib/labels.js';
import {postLabel} from '../lib/office_labels.js';
import {session} from '../lib/session.js';
import {confirmDialog, openDialog, toast} from './dialogs.js';
import {keepForm} from '../lib/drafts.js';

/** The account's state, the most pressing first (data-state), and every one that applies (the chips). */
function states(a) {
  const list = [];
  if (!a.active) list.push('disabled');
  if (a.held) list.push('held');
  if (a.must_change_password) list.push('must_change');
  if (!list.length) list.push('active');
  return list;
}

const stateLabel = (s) => ({active: gettext('Account active'), disabled: gettext('Disabled'),
  held: gettext('Sign-in on hold'), must_change: gettext('Must change password')}[s] || s);
const stateChip = {active: 'chip-done', disabled: 'chip-not_done', held: 'chip-missing', must_change: 'chip-due'};

/** Every role of the account, the main one first. */
const roleNames = (a) => (a.roles && a.roles.length ? a.roles : [a.role]).map(roleLabel).join(', ');
/** The units she works in, or the whole home. */
const unitNames = (a) => (a.units && a.units.length ? a.units.map((u) => u.name).join(', ') : gettext('Whole home'));

/** The error line of a group of controls (`msgs[name]`, shown by showFieldErrors), focused through `input`. */
function groupMessage(msgs, name, id, input) {
  msgs[name] = h('p', {class: 'field-msg is-error', id, 'aria-live': 'polite'});
  msgs[name].input = input;
  return msgs[name];
}

/**
 * Her roles: the main one (a select: the screen she starts on) and the others she also holds (a checkbox each; the
 * main role's own is hidden). `chosen` is her roles, the main one first. The group's error line is msgs.roles (the
 * server's `roles` and `roles.N`). value() gives the roles to send, the main one first.
 */
function rolesGroup(msgs, prefix, roles, chosen) {
  const main = selectInput(`${prefix}-role`, roles.map((r) => [r, roleLabel(r)]), chosen[0]);
  const boxes = new Map(roles.map((r) => [r, h('input', {type: 'checkbox', id: `${prefix}-also-${r}`,
    testid: `${prefix}-also-${r}`, value: r, checked: chosen.slice(1).includes(r)})]));
  const rows = new Map(roles.map((r) => [r, h('label', {class: 'check'}, boxes.get(r), roleLabel(r))]));
  const showOthers = () => { for (const [r, row] of rows) row.hidden = r === main.value; };
  let before = main.value;
  main.addEventListener('change', () => {
    // a role she also held becomes her main one: the main one before stays hers, as another
    const now = boxes.get(main.value);
    if (now && now.checked) {
      now.checked = false;
      if (boxes.has(before)) boxes.get(before).checked = true;
    }
    before = main.value;
    showOthers();
  });
  showOthers();
  const hintId = `${prefix}-role-hint`;
  const msg = groupMessage(msgs, 'roles', `${prefix}-roles-msg`, main);
  main.setAttribute('aria-describedby', `${hintId} ${msg.id}`);
  const element = h('fieldset', {class: 'field', testid: `${prefix}-roles`},
    h('legend', {class: 'label'}, gettext('Roles')),
    h('div', {class: 'form-grid'},
      h('div', {class: 'field'}, h('label', {for: main.id}, gettext('Main role')),
        h('p', {class: 'hint', id: hintId}, gettext('The screen she starts on.')), main),
      h('fieldset', {class: 'field', 'aria-describedby': msg.id},
        h('legend', {class: 'label'}, gettext('She also works as')),
        h('div', {class: 'checks'}, [...rows.values()]))),
    msg);
  /** Her roles set to `names` (the main one first): those a post brings (postGroup). */
  const set = (names) => {
    if (!names || !names.length || !roles.includes(names[0])) return;
    main.value = names[0];
    for (const [r, box] of boxes) box.checked = names.slice(1).includes(r);
    before = main.value;
    showOthers();
  };
  return {element, set, value: () => [main.value, ...roles.filter((r) => r !== main.value && boxes.get(r).checked)]};
}

/**
 * Her post (a select; "not chosen" offered only to an account that has none yet): choosing one sets her roles to
 * the post's (`rolesOf`: code -> roles, from /api/organisation staff_posts), which she may then change. The error
 * line is msgs.post. value() gives the code, or null.
 */
function postGroup(msgs, prefix, codes, chosen, roles, rolesOf) {
  const options = [...(chosen ? [] : [[null, gettext('Not chosen')]]), ...codes.map((c) => [c, postLabel(c)])];
  const select = selectInput(`${prefix}-post`, options, chosen);
  select.addEventListener('change', () => { if (select.value) roles.set(rolesOf.get(select.value)); });
  return {element: field(msgs, 'post', gettext('Post (job title)'), select,
    gettext('Her roles follow from her post; you may change them below.')), value: () => select.value || null};
}

/**
 * The units she works in: a checkbox each; none ticked, the whole home. The group's error line is msgs.unit_ids (the
 * server's `unit_ids` and `unit_ids.N`). value() gives the ids ticked.
 */
function unitsGroup(msgs, prefix, units, chosen) {
  const boxes = units.map((u) => h('input', {type: 'checkbox', id: `${prefix}-unit-${u.id}`,
    testid: `${prefix}-unit-${u.id}`, value: String(u.id), checked: chosen.includes(u.id)}));
  const hintId = `${prefix}-units-hint`;
  const msg = groupMessage(msgs, 'unit_ids', `${prefix}-units-msg`, boxes[0] || null);
  const element = h('fieldset', {class: 'field', testid: `${prefix}-units`, 'aria-describedby': `${hintId} ${msg.id}`},
    h('legend', {class: 'label'}, gettext('Units')),
    h('p', {class: 'hint', id: hintId}, gettext('None ticked: she works across the whole home.')),
    boxes.length ? h('div', {class: 'checks'}, boxes.map((box, i) => h('label', {class: 'check'}, box, units[i].name)))
      : null,
    msg);
  return {element, value: () => boxes.filter((b) => b.checked).map((b) => Number(b.value))};
}

export async function render(main) {
  const error = h('p', {class: 'form-error', role: 'alert', hidden: true, testid: 'staff-error'});
  const secretSlot = h('div', {});
  const listEl = h('div', {});
  const view = h('section', {class: 'panel stack'}, h('h1', {}, gettext('Staff')),
    h('p', {}, h('a', {href: '#/import', class: 'btn', testid: 'staff-import'}, gettext('Import from a CSV file'))), error);
  main.append(view);
  const fail = (err) => { error.textContent = problem(err); error.hidden = false; };

  let org;
  try {
    org = await api.get('/api/organisation');
  } catch (err) {
    fail(err);
    return;
  }
  const localeOptions = () => [[null, gettext("The home's language")],
    ...LOCALES.map((code) => [code, LANGUAGE_NAMES[code]])];
  const localeName = (code) => (code ? LANGUAGE_NAMES[code] || code : gettext("The home's language"));
  let accounts = [];

  /** The one-time password, shown once, big, with who it is for. */
  function showSecret(account, password, title) {
    const done = h('button', {type: 'button', class: 'btn', testid: 'staff-secret-done',
      onclick: () => mount(secretSlot)}, gettext('Done, I have given it to her'));
    const copy = h('button', {type: 'button', class: 'btn', testid: 'staff-secret-copy', onclick: async () => {
      try {
        await navigator.clipboard.writeText(password);
        toast(gettext('Copied.'));
      } catch (_) {
        toast(gettext('Copying is not allowed here: write the password down.'));
      }
    }}, gettext('Copy'));
    const box = h('div', {class: 'notice notice-warn secret', role: 'status', testid: 'staff-secret', tabindex: -1},
      h('h2', {class: 'secret-title'}, title),
      h('p', {}, format(gettext('The one-time password of %(name)s:'), {name: account.full_name})),
      h('p', {}, gettext('User name:'), ' ', h('strong', {testid: 'staff-secret-username', lang: 'en'}, account.username)),
      h('p', {class: 'secret-code', testid: 'staff-secret-password', lang: 'en'}, password),
      h('p', {}, icon('⚠'), ' ', gettext('It is shown only now. Give it to her in person. At her first sign-in she must choose her own password.')),
      h('div', {class: 'button-row'}, copy, done));
    mount(secretSlot, box);
    box.scrollIntoView({block: 'nearest'});
    box.focus({preventScroll: true});
  }

  // Add a member of staff
  const msgs = {};
  const newName = textInput('staff-new-name', {maxlength: 120, autocomplete: 'off'});
  const newUsername = textInput('staff-new-username', {maxlength: 80, autocapitalize: 'none', spellcheck: 'false'});
  const staffPosts = org.staff_posts || [];
  const rolesOf = new Map(staffPosts.map((p) => [p.code, p.roles]));
  const firstPost = staffPosts.length ? staffPosts[0] : null;  // the junior nurse, who keeps the cards
  const newRoles = rolesGroup(msgs, 'staff-new', org.roles, firstPost ? firstPost.roles : ['nurse']);
  const newPost = postGroup(msgs, 'staff-new', staffPosts.map((p) => p.code), firstPost && firstPost.code, newRoles,
    rolesOf);
  const newUnits = unitsGroup(msgs, 'staff-new', org.units, org.units.length ? [org.units[0].id] : []);
  const newLocale = selectInput('staff-new-locale', localeOptions(), null);
  const addError = h('p', {class: 'form-error', role: 'alert', hidden: true, testid: 'staff-new-error'});
  const addButton = h('button', {type: 'submit', class: 'btn btn-primary', testid: 'staff-new-submit'}, icon('+'), ' ',
    gettext('Add'));
  const addForm = h('form', {class: 'form staff-form', novalidate: true},
    h('div', {class: 'form-grid'},
      field(msgs, 'full_name', gettext('Full name'), newName),
      field(msgs, 'username', gettext('User name'), newUsername, gettext('One word, without spaces: she signs in with it.')),
      field(msgs, 'locale', gettext('Language'), newLocale), newPost.element),
    newRoles.element, newUnits.element, addError, addButton);
  let kept = null;  // the add form's draft (below)
  addForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    addError.hidden = true;
    clearErrors(msgs);
    let wrong = false;
    if (!newName.value.trim()) { setError(msgs, 'full_name', gettext('Enter her full name.')); wrong = true; }
    if (!newUsername.value.trim()) { setError(msgs, 'username', gettext('Choose a user name.')); wrong = true; }
    if (wrong) { (newName.value.trim() ? newUsername : newName).focus(); return; }
    addButton.disabled = true;
    try {
      const made = await api.post('/api/staff', {username: newUsername.value.trim(), full_name: newName.value.trim(),
        post: newPost.value(), roles: newRoles.value(), unit_ids: newUnits.value(), locale: newLocale.value || null});
      newName.value = '';
      newUsername.value = '';
      if (kept) await kept.clear();  // added: the form's draft is done
      await refresh();
      showSecret(made.account, made.temporary_password, gettext('New account'));
    } catch (err) {
      if (!showFieldErrors(err, msgs) || err.status !== 400) {
        addError.textContent = problem(err);
        addError.hidden = false;
      }
    } finally {
      addButton.disabled = false;
    }
  });

  function editDialog(a) {
    return openDialog({title: format(gettext('Change the account of %(name)s'), {name: a.full_name}),
      testid: 'dialog-staff-edit', draft: `staff:${a.id}`, build: () => {
        const m = {};
        const name = textInput('staff-edit-name', {maxlength: 120, value: a.full_name});
        const roles = rolesGroup(m, 'staff-edit', org.roles, a.roles && a.roles.length ? a.roles : [a.role]);
        const post = postGroup(m, 'staff-edit', staffPosts.map((p) => p.code), a.post || null, roles, rolesOf);
        const units = unitsGroup(m, 'staff-edit', org.units, (a.units || []).map((u) => u.id));
        const loc = selectInput('staff-edit-locale', localeOptions(), a.locale);
        return {
          body: [field(m, 'full_name', gettext('Full name'), name), post.element, roles.element, units.element,
            field(m, 'locale', gettext('Language'), loc)],
          onSave: async () => {
            clearErrors(m);
            requireText(m, 'full_name', name, gettext('Enter her full name.'));
            try {
              return await api.patch(`/api/staff/${a.id}`, {full_name: name.value.trim(), post: post.value(),
                roles: roles.value(),
                unit_ids: units.value(), locale: loc.value || null});
            } catch (err) {
              showFieldErrors(err, m);
              throw new Error(problem(err));
            }
          },
        };
      }});
  }

  /** An action on one account, after a confirmation when `confirm` is given; the list is drawn again after. */
  async function act(a, path, {confirm = null, done = null} = {}) {
    error.hidden = true;
    if (confirm && !(await confirmDialog(...confirm))) return;
    try {
      const reply = await api.post(`/api/staff/${a.id}/${path}`, {});
      await refresh();
      if (reply && reply.temporary_password) {
        showSecret(reply.account || a, reply.temporary_password, gettext('New one-time password'));
      } else if (done) {
        toast(done);
      }
    } catch (err) {
      fail(err);
    }
  }

  function row(a) {
    const all = states(a);
    const self = session.user && a.id === session.user.id;
    const buttons = [
      h('button', {type: 'button', class: 'btn btn-small', testid: `staff-edit-${a.id}`, onclick: async () => {
        const saved = await editDialog(a);
        if (saved) { toast(gettext('Saved.')); await refresh(); }
      }}, gettext('Edit')),
      a.active ? h('button', {type: 'button', class: 'btn btn-small', testid: `staff-reset-password-${a.id}`,
        onclick: () => act(a, 'reset-password', {confirm: [
          format(gettext('New password for %(name)s?'), {name: a.full_name}),
          gettext('Her present password stops working. You will see a one-time password to give her; at her next sign-in she chooses her own.'),
          gettext('Reset password')]})}, gettext('Reset password')) : null,
      a.active ? h('button', {type: 'button', class: 'btn btn-small', testid: `staff-reset-pin-${a.id}`,
        onclick: () => act(a, 'reset-pin', {confirm: [
          format(gettext('Reset the PIN of %(name)s?'), {name: a.full_name}),
          gettext('Her PIN stops working on every tablet at its next sync. She signs in with her password there and chooses a new PIN. Her entries are kept.'),
          gettext('Reset PIN')], done: gettext('The PIN was reset.')})}, gettext('Reset PIN')) : null,
      a.held ? h('button', {type: 'button', class: 'btn btn-small btn-warn', testid: `staff-clear-hold-${a.id}`,
        onclick: () => act(a, 'clear-hold', {done: gettext('She can sign in again.')})}, gettext('Clear the hold')) : null,
      self ? null : a.active
        ? h('button', {type: 'button', class: 'btn btn-small btn-danger', testid: `staff-disable-${a.id}`,
          onclick: () => act(a, 'disable', {confirm: [
            format(gettext('Disable the account of %(name)s?'), {name: a.full_name}),
            gettext('She is signed out everywhere at once and can no longer sign in; her PIN stops working on every tablet. Everything she recorded is kept. You can enable the account again.'),
            gettext('Disable')], done: gettext('The account was disabled.')})}, gettext('Disable'))
        : h('button', {type: 'button', class: 'btn btn-small', testid: `staff-enable-${a.id}`,
          onclick: () => act(a, 'enable', {confirm: [
            format(gettext('Enable the account of %(name)s?'), {name: a.full_name}),
            gettext('She can sign in again with her password.'),
            gettext('Enable')], done: gettext('The account was enabled.')})}, gettext('Enable')),
    ];
    return h('li', {class: ['staff-row', !a.active && 'is-inactive'], testid: `staff-row-${a.id}`,
      dataset: {state: all[0], username: a.username}},
    h('div', {class: 'staff-head'},
      h('span', {class: 'staff-name'}, self ? format(gettext('%(name)s (you)'), {name: a.full_name}) : a.full_name),
      h('span', {class: 'tags', testid: `staff-state-${a.id}`},
        all.map((s) => h('span', {class: ['chip', stateChip[s]]}, stateLabel(s))))),
    h('p', {class: 'muted'}, format(gettext('User name: %(username)s'), {username: a.username}), ' · ',
      h('span', {testid: `staff-post-${a.id}`}, a.post ? postLabel(a.post) : gettext('No post chosen')), ' · ',
      h('span', {testid: `staff-roles-${a.id}`}, roleNames(a)), ' · ',
      h('span', {testid: `staff-units-${a.id}`}, unitNames(a)), ' · ', localeName(a.locale)),
    h('div', {class: 'staff-actions'}, buttons));
  }

  async function refresh() {
    try {
      accounts = await api.get('/api/staff');
    } catch (err) {
      fail(err);
      return;
    }
    accounts.sort((x, y) => Number(y.active) - Number(x.active) || x.full_name.localeCompare(y.full_name));
    mount(listEl, accounts.length
      ? h('ul', {class: 'staff-list', testid: 'staff-list', 'aria-label': gettext('Staff accounts')},
        accounts.map(row))
      : h('p', {class: 'empty'}, gettext('No staff accounts yet.')));
  }

  view.append(secretSlot,
    h('h2', {class: 'section-title'}, gettext('Add a member of staff')),
    h('p', {class: 'hint'}, gettext('She gets a one-time password, shown here once; at her first sign-in she chooses her own.')),
    addForm,
    h('h2', {class: 'section-title'}, gettext('Accounts')),
    listEl);
  // what she typed into the add form is kept as her draft until the account is added (lib/drafts.js)
  kept = await keepForm(addForm, 'staff:new').catch(() => null);
  await refresh();
}
