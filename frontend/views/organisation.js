// #/organisation (administrator): the home (name, time zone, default language), its units, each unit's duty posts
// and rooms (name, the post that covers it, its beds; a room is retired, never deleted). Online only; the API's
// field errors are shown beside their fields.
//
// data-testid: org-error, org-home-name, org-home-timezone (with the datalist org-timezones), org-home-locale,
//   org-home-save; org-unit-new, org-unit-add; per unit: org-unit-<id>, org-unit-rename-<id>, org-post-new-<id>,
//   org-post-add-<id>, org-room-add-<id>; per post: org-post-<id>, org-post-rename-<id>; per room: org-room-<id>
//   (data-active), org-room-edit-<id>, org-room-retire-<id> / org-room-restore-<id>;
//   org-unit-names-<id> / org-post-names-<id> (its names in the home's languages, when given);
//   dialogs: dialog-name (name-input; name-ru, name-zh_Hans, name-en: the name in each language, optional),
//   dialog-room (room-name, room-post, room-beds)
import {api} from '../lib/api.js';
import {h, icon, mount} from '../lib/dom.js';
import {clearErrors, field, problem, requireText, selectInput, setError, showFieldErrors, textInput} from '../lib/fields.js';
import {LANGUAGE_NAMES, LOCALES, format, gettext} from '../lib/i18n.js';
import {session, setUser} from '../lib/session.js';
import {confirmDialog, openDialog, toast} from './dialogs.js';

/** '1, 2,3' (also with Chinese commas) -> ['1', '2', '3']. */
const parseBeds = (text) => text.split(/[,，、;；]/).map((s) => s.trim()).filter(Boolean);

/** Ask the server; on an error name the fields and throw the message for the dialog's error line. */
async function saving(msgs, call) {
  try {
    return await call();
  } catch (err) {
    showFieldErrors(err, msgs);
    throw new Error(problem(err));
  }
}

/**
 * A unit's or a post's names: the name as entered (shown where a language has none) and, optional, the name in
 * each of the home's languages (a reader sees hers: backend/domain/places.py). `save(name, names)`.
 */
function nameDialog(title, place, save) {
  return openDialog({title, testid: 'dialog-name', build: () => {
    const m = {};
    const input = textInput('name-input', {maxlength: 200, value: place.entered_name || place.name || ''});
    const inputs = LOCALES.map((code) => [code, textInput(`name-${code}`, {maxlength: 200,
      value: (place.names || {})[code] || '', lang: code.replace('_', '-')})]);
    const hintId = 'name-languages-hint';
    return {body: [field(m, 'name', gettext('Name'), input),
      h('fieldset', {class: 'field', 'aria-describedby': hintId},
        h('legend', {class: 'label'}, gettext('The name in each language')),
        h('p', {class: 'hint', id: hintId},
          gettext('Optional. A reader whose language has no name here sees the name above.')),
        inputs.map(([code, box]) => field(m, `names.${code}`, LANGUAGE_NAMES[code], box)))],
    onSave: async () => {
      clearErrors(m);
      requireText(m, 'name', input, gettext('Enter a name.'));
      const names = Object.fromEntries(inputs.map(([code, box]) => [code, box.value.trim()]).filter(([, v]) => v));
      return saving(m, () => save(input.value.trim(), names));
    }};
  }});
}

/** A place's names in the home's languages, where given ("English: Ward 1 · Русский: …"). */
function namesLine(place, testid) {
  const given = LOCALES.filter((code) => (place.names || {})[code]);
  if (!given.length && (!place.entered_name || place.entered_name === place.name)) return null;
  const parts = given.map((code) => `${LANGUAGE_NAMES[code]}: ${place.names[code]}`);
  if (place.entered_name && place.entered_name !== place.name) {
    parts.unshift(format(gettext('As entered: %(name)s'), {name: place.entered_name}));
  }
  return h('div', {class: 'muted org-names', testid}, parts.join(' · '));
}

/** Add or change a room of a unit. */
function roomDialog(unit, room) {
  return openDialog({title: room ? format(gettext('Room %(name)s'), {name: room.name}) : gettext('Add a room'),
    testid: 'dialog-room', build: () => {
      const m = {};
      const name = textInput('room-name', {maxlength: 40, value: room ? room.name : ''});
      const post = selectInput('room-post', [[null, gettext('No duty post')], ...unit.posts.map((p) => [p.id, p.name])],
        room ? room.post_id : (unit.posts[0] || {}).id);
      const beds = textInput('room-beds', {maxlength: 200, value: room ? (room.beds || []).join(', ') : '1, 2'});
      return {
        body: [field(m, 'name', gettext('Room'), name, gettext('As written on the door, e.g. 101.')),
          field(m, 'post_id', gettext('Covered by the duty post'), post),
          field(m, 'beds', gettext('Beds'), beds, gettext('Their labels, separated by commas, e.g. 1, 2.'))],
        onSave: async () => {
          clearErrors(m);
          requireText(m, 'name', name, gettext('Enter the room\'s name.'));
          const body = {name: name.value.trim(), post_id: post.value ? Number(post.value) : null,
            beds: parseBeds(beds.value)};
          return saving(m, () => (room ? api.patch(`/api/rooms/${room.id}`, body)
            : api.post('/api/rooms', {unit_id: unit.id, ...body})));
        },
      };
    }});
}

/** A unit's phone number (a station's: printed on its people's service sheets); blank clears it. */
function phoneDialog(unit) {
  return openDialog({title: format(gettext('Phone number of %(name)s'), {name: unit.name}), testid: 'dialog-unit-phone',
    build: () => {
      const m = {};
      const phone = textInput('unit-phone', {maxlength: 40, value: unit.phone || '', type: 'tel', autocomplete: 'off'});
      return {
        body: [field(m, 'phone', gettext('Phone number'), phone,
          gettext('The number its people call. A station\'s is printed on their service sheets. Leave it blank to remove it.'))],
        onSave: async () => {
          clearErrors(m);
          return saving(m, () => api.patch(`/api/units/${unit.id}/phone`, {phone: phone.value.trim() || null}));
        },
      };
    }});
}

export async function render(main) {
  const error = h('p', {class: 'form-error', role: 'alert', hidden: true, testid: 'org-error'});
  const body = h('div', {});
  main.append(h('section', {class: 'panel stack'}, h('h1', {}, gettext('Organisation')),
    h('p', {class: 'hint'}, gettext('The home, its units, their duty posts and rooms. Changes reach the tablets at their next sync.')),
    error, body));
  const fail = (err) => { error.textContent = problem(err); error.hidden = false; };

  /** Draw everything again from the server; the control that had the focus gets it back. */
  async function refresh() {
    const focused = document.activeElement && document.activeElement.dataset
      ? document.activeElement.dataset.testid : null;
    let org;
    try {
      org = await api.get('/api/organisation');
    } catch (err) {
      fail(err);
      return;
    }
    mount(body, homeForm(org), h('h2', {class: 'section-title'}, gettext('Units')),
      org.units.length ? org.units.map((u) => unitSection(u)) : h('p', {class: 'empty'}, gettext('No units yet.')),
      addUnitForm());
    if (focused) {
      const again = body.querySelector(`[data-testid="${CSS.escape(focused)}"]`);
      if (again) again.focus({preventScroll: true});
    }
  }

  /** After a change: tell it, draw again. */
  async function changed(text) {
    error.hidden = true;
    toast(text || gettext('Saved.'));
    await refresh();
  }

  function homeForm(org) {
    const home = org.home;
    const m = {};
    const name = textInput('org-home-name', {maxlength: 120, value: home.name});
    const zone = textInput('org-home-timezone', {maxlength: 64, value: home.timezone, list: 'org-timezones',
      autocapitalize: 'none', spellcheck: 'false'});
    const zones = h('datalist', {id: 'org-timezones', testid: 'org-timezones'},
      (org.timezones || []).map((z) => h('option', {value: z})));
    const loc = selectInput('org-home-locale', LOCALES.map((code) => [code, LANGUAGE_NAMES[code]]), home.locale);
    const save = h('button', {type: 'submit', class: 'btn btn-primary', testid: 'org-home-save'}, gettext('Save'));
    const form = h('form', {class: 'form', novalidate: true, 'aria-labelledby': 'org-home-title'},
      h('h2', {class: 'section-title', id: 'org-home-title'}, gettext('The home')),
      h('div', {class: 'form-grid'},
        field(m, 'name', gettext('Name of the home'), name),
        field(m, 'timezone', gettext('Time zone'), zone, gettext('Every time in the app is shown in it, e.g. Asia/Krasnoyarsk.')),
        field(m, 'locale', gettext('Default language'), loc, gettext('For the lock screen and for staff who have not chosen one.'))),
      zones, save);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearErrors(m);
      if (!name.value.trim()) { setError(m, 'name', gettext('Enter a name.')); name.focus(); return; }
      if (!zone.value.trim()) { setError(m, 'timezone', gettext('Choose a time zone.')); zone.focus(); return; }
      save.disabled = true;
      try {
        const saved = await api.patch('/api/home', {name: name.value.trim(), timezone: zone.value.trim(),
          locale: loc.value});
        // Her own screens show times in the home's zone: the new one from now on.
        if (session.user) await setUser({...session.user, timezone: saved.timezone, home_name: saved.name});
        await changed();
      } catch (err) {
        if (!showFieldErrors(err, m) || err.status !== 400) fail(err);
      } finally {
        save.disabled = false;
      }
    });
    return form;
  }

  /** A one-field form that adds something (a unit, a post). */
  function addForm(testid, label, submitLabel, post) {
    const m = {};
    const input = textInput(testid, {maxlength: 120});
    const add = h('button', {type: 'submit', class: 'btn', testid: testid.replace('-new', '-add')}, icon('+'), ' ',
      submitLabel);
    const form = h('form', {class: 'add-form', novalidate: true}, field(m, 'name', label, input), add);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearErrors(m);
      if (!input.value.trim()) { setError(m, 'name', gettext('Enter a name.')); input.focus(); return; }
      add.disabled = true;
      try {
        await post(input.value.trim());
        await changed(gettext('Added.'));
      } catch (err) {
        if (!showFieldErrors(err, m) || err.status !== 400) fail(err);
        add.disabled = false;
      }
    });
    return form;
  }

  function addUnitForm() {
    return addForm('org-unit-new', gettext('New unit'), gettext('Add a unit'),
      (name) => api.post('/api/units', {name}));
  }

  function unitSection(unit) {
    const titleId = `org-unit-title-${unit.id}`;
    const postName = (id) => (unit.posts.find((p) => p.id === id) || {}).name;
    const rooms = [...unit.rooms].sort((a, b) => Number(b.active) - Number(a.active)
      || a.name.localeCompare(b.name, undefined, {numeric: true}));
    return h('section', {class: 'org-unit', testid: `org-unit-${unit.id}`, 'aria-labelledby': titleId},
      h('div', {class: 'org-unit-head'},
        h('div', {}, h('h3', {class: 'org-unit-title', id: titleId}, unit.name),
          namesLine(unit, `org-unit-names-${unit.id}`)),
        h('button', {type: 'button', class: 'btn btn-small', testid: `org-unit-rename-${unit.id}`,
          'aria-label': format(gettext('Rename the unit %(name)s'), {name: unit.name}), onclick: async () => {
            const done = await nameDialog(gettext('Rename the unit'), unit,
              (name, names) => api.patch(`/api/units/${unit.id}`, {name, names}));
            if (done) await changed();
          }}, gettext('Rename'))),
      h('p', {class: 'org-unit-phone', testid: `org-unit-phone-${unit.id}`},
        unit.phone ? format(gettext('Phone: %(phone)s'), {phone: unit.phone}) : gettext('No phone number'), ' ',
        h('button', {type: 'button', class: 'btn btn-small', testid: `org-unit-phone-edit-${unit.id}`,
          'aria-label': format(gettext('Phone number of %(name)s'), {name: unit.name}), onclick: async () => {
            if (await phoneDialog(unit)) await changed();
          }}, gettext('Change'))),
      h('h4', {class: 'org-subtitle'}, gettext('Duty posts')),
      unit.posts.length ? h('ul', {class: 'org-list'}, unit.posts.map((p) => h('li', {class: 'org-item',
        testid: `org-post-${p.id}`},
      h('div', {class: 'org-item-name'}, h('span', {}, p.name), namesLine(p, `org-post-names-${p.id}`)),
      h('button', {type: 'button', class: 'btn btn-small', testid: `org-post-rename-${p.id}`,
        'aria-label': format(gettext('Rename the duty post %(name)s'), {name: p.name}), onclick: async () => {
          const done = await nameDialog(gettext('Rename the duty post'), p,
            (name, names) => api.patch(`/api/posts/${p.id}`, {name, names}));
          if (done) await changed();
        }}, gettext('Rename')))))
        : h('p', {class: 'empty'}, gettext('No duty posts yet.')),
      addForm(`org-post-new-${unit.id}`, gettext('New duty post'), gettext('Add a duty post'),
        (name) => api.post('/api/posts', {unit_id: unit.id, name})),
      h('h4', {class: 'org-subtitle'}, gettext('Rooms')),
      rooms.length ? h('ul', {class: 'org-list'}, rooms.map((r) => h('li', {class: ['org-item', !r.active && 'is-inactive'],
        testid: `org-room-${r.id}`, dataset: {active: String(!!r.active)}},
      h('div', {class: 'org-item-name'},
        h('strong', {}, format(gettext('Room %(name)s'), {name: r.name})),
        r.active ? null : [' ', h('span', {class: 'chip chip-not_done'}, gettext('Retired'))],
        h('div', {class: 'muted'}, [
          r.post_id ? format(gettext('Duty post: %(name)s'), {name: postName(r.post_id) || '—'}) : gettext('No duty post'),
          (r.beds || []).length ? format(gettext('Beds: %(beds)s'), {beds: r.beds.join(', ')}) : gettext('No beds'),
        ].join(' · '))),
      h('div', {class: 'org-item-actions'},
        r.active ? h('button', {type: 'button', class: 'btn btn-small', testid: `org-room-edit-${r.id}`,
          'aria-label': format(gettext('Change room %(name)s'), {name: r.name}), onclick: async () => {
            if (await roomDialog(unit, r)) await changed();
          }}, gettext('Change')) : null,
        r.active
          ? h('button', {type: 'button', class: 'btn btn-small btn-danger', testid: `org-room-retire-${r.id}`,
            'aria-label': format(gettext('Retire room %(name)s'), {name: r.name}), onclick: async () => {
              const ok = await confirmDialog(format(gettext('Retire room %(name)s?'), {name: r.name}),
                gettext('It is no longer offered for residents. Nothing recorded is deleted, and it can be returned to use.'),
                gettext('Retire'));
              if (!ok) return;
              try { await api.patch(`/api/rooms/${r.id}`, {active: false}); await changed(); } catch (err) { fail(err); }
            }}, gettext('Retire'))
          : h('button', {type: 'button', class: 'btn btn-small', testid: `org-room-restore-${r.id}`,
            'aria-label': format(gettext('Return room %(name)s to use'), {name: r.name}), onclick: async () => {
              try { await api.patch(`/api/rooms/${r.id}`, {active: true}); await changed(); } catch (err) { fail(err); }
            }}, gettext('Return to use'))))))
        : h('p', {class: 'empty'}, gettext('No rooms yet.')),
      h('button', {type: 'button', class: 'btn', testid: `org-room-add-${unit.id}`, onclick: async () => {
        if (await roomDialog(unit, null)) await changed(gettext('Added.'));
      }}, icon('+'), ' ', gettext('Add a room')));
  }

  await refresh();
}
