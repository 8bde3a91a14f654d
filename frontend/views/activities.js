// Activity staff and planners: the activity catalogue by direction and the week's timetable (weekly sessions,
// one-off events, one occurrence cancelled or changed with a note, a series ended), and a resident picker that
// opens a resident's programme. Route: #/activities.
//
// data-testid: act-offline, act-add (add an activity), act-direction-<direction>, act-item-<id>, act-edit-<id>,
//   act-inactive-<id>; activity dialog: dialog-activity, act-name-<ru|zh_Hans|en>, act-desc-<ru|zh_Hans|en>,
//   act-direction, act-mode, act-format, act-place, act-staff, act-capacity, act-active, btn-save, btn-cancel;
//   timetable: tt-prev, tt-next, tt-this-week, tt-week (the week's dates), tt-unit, tt-add-weekly, tt-add-event,
//   tt-day-<YYYY-MM-DD>, occ-<session_id>-<YYYY-MM-DD> (data-cancelled, data-changed), occ-change-<sid>-<date>,
//   occ-end-<sid>; session dialog: dialog-session, ses-activity, ses-weekday, ses-date, ses-time, ses-duration,
//   ses-place, ses-unit, ses-from, ses-title-<lang>; change dialog: dialog-change, chg-cancel, chg-time,
//   chg-place, chg-note, chg-restore; end dialog: dialog-end, end-last-day; programme picker: prog-resident,
//   prog-open
import {api, withQuery} from '../lib/api.js';
import {h, icon, mount} from '../lib/dom.js';
import {dateInput} from '../lib/dateinput.js';
import {format, formatDate, gettext} from '../lib/i18n.js';
import {today} from '../lib/session.js';
import {addDays} from '../lib/time.js';
import {weekdayName} from '../lib/periodicity.js';
import {directionLabel, field, formatLabel, localText, modeLabel, occurrenceTitle, problem, showErrors}
  from '../lib/activitytext.js';
import {openDialog, toast} from './dialogs.js';

export const DIRECTIONS = ['physical_health', 'cultural_leisure', 'educational', 'work_therapy', 'psychological',
  'medical'];
const LANGS = ['ru', 'zh_Hans', 'en'];

const langLabel = (l) => ({ru: gettext('Russian'), zh_Hans: gettext('Chinese'), en: gettext('English')}[l]);

/** Monday of the week holding the ISO date. */
export function mondayOf(iso) {
  const wd = new Date(`${iso}T12:00:00Z`).getUTCDay() || 7;
  return addDays(iso, 1 - wd);
}

const select = (id, options, value) => h('select', {id, class: 'input', testid: id},
  options.map(([v, text]) => h('option', {value: String(v), selected: String(v) === String(value ?? '')}, text)));

function activityDialog(activity, staff) {
  const a = activity || {name: {}, description: {}, direction: 'cultural_leisure', mode: 'active', format: 'group',
    place: '', staff_id: null, capacity: null, active: true};
  return openDialog({title: activity ? gettext('Change the activity') : gettext('Add an activity'),
    testid: 'dialog-activity', draft: `activity:${activity ? activity.id : 'new'}`, build: () => {
      const msgs = {};
      const names = {};
      const descs = {};
      const body = [h('p', {class: 'hint'}, gettext('The name in at least one language; the others are shown when given.'))];
      for (const l of LANGS) {
        names[l] = h('input', {id: `act-name-${l}`, class: 'input', maxlength: 500, testid: `act-name-${l}`,
          value: (a.name || {})[l] || '', lang: l === 'zh_Hans' ? 'zh-Hans' : l});
        body.push(field(msgs, l === 'ru' ? 'name' : `name.${l}`, format(gettext('Name (%(language)s)'), {language: langLabel(l)}), names[l]));
      }
      for (const l of LANGS) {
        descs[l] = h('textarea', {id: `act-desc-${l}`, class: 'input', rows: 2, maxlength: 4000, testid: `act-desc-${l}`,
          lang: l === 'zh_Hans' ? 'zh-Hans' : l}, (a.description || {})[l] || '');
        body.push(field(msgs, `description.${l}`, format(gettext('Description (%(language)s)'), {language: langLabel(l)}), descs[l]));
      }
      const direction = select('act-direction', DIRECTIONS.map((d) => [d, directionLabel(d)]), a.direction);
      const mode = select('act-mode', ['active', 'passive'].map((m) => [m, modeLabel(m)]), a.mode);
      const fmt = select('act-format', ['group', 'individual'].map((f) => [f, formatLabel(f)]), a.format);
      const place = h('input', {id: 'act-place', class: 'input', maxlength: 200, testid: 'act-place', value: a.place || ''});
      const leader = select('act-staff', [['', gettext('Not named')], ...staff.map((s) => [s.id, s.full_name])], a.staff_id);
      const capacity = h('input', {id: 'act-capacity', class: 'input', type: 'number', min: 1, max: 500, inputmode: 'numeric',
        testid: 'act-capacity', value: a.capacity ?? ''});
      const active = h('input', {type: 'checkbox', id: 'act-active', testid: 'act-active', checked: a.active !== false});
      body.push(field(msgs, 'direction', gettext('Direction'), direction),
        h('div', {class: 'toolbar'}, field(msgs, 'mode', gettext('Kind'), mode), field(msgs, 'format', gettext('Format'), fmt)),
        field(msgs, 'place', gettext('Place'), place), field(msgs, 'staff_id', gettext('Led by'), leader),
        field(msgs, 'capacity', gettext('Places (capacity)'), capacity),
        activity ? h('label', {class: 'check'}, active, gettext('In the catalogue (untick to take it out)')) : null);
      return {body, onSave: async () => {
        for (const m of Object.values(msgs)) m.textContent = '';
        const texts = (inputs) => Object.fromEntries(LANGS.map((l) => [l, inputs[l].value.trim()]));
        const data = {name: texts(names), description: texts(descs), direction: direction.value, mode: mode.value,
          format: fmt.value, place: place.value.trim(), staff_id: leader.value ? Number(leader.value) : null,
          capacity: capacity.value ? Number(capacity.value) : null};
        if (!Object.values(data.name).some(Boolean)) {
          msgs.name.textContent = '⚠ ' + gettext('Enter the name in at least one language.');
          names.ru.focus();
          return false;
        }
        try {
          if (activity) return await api.patch(`/api/activities/catalogue/${activity.id}`, {...data, active: active.checked});
          return await api.post('/api/activities/catalogue', data);
        } catch (err) { return showErrors(err, msgs); }
      }};
    }});
}

function activityItem(a, onEdit) {
  return h('li', {class: ['act-item', a.active ? null : 'is-inactive'], testid: `act-item-${a.id}`},
    h('div', {}, h('strong', {}, localText(a.name)),
      h('div', {class: 'tags'}, h('span', {class: 'tag'}, modeLabel(a.mode)), h('span', {class: 'tag'}, formatLabel(a.format)),
        a.place ? h('span', {class: 'tag'}, icon('⌂'), ' ', a.place) : null,
        a.capacity ? h('span', {class: 'tag'}, format(gettext('%(n)s places'), {n: a.capacity})) : null,
        a.active ? null : h('span', {class: 'tag tag-warn', testid: `act-inactive-${a.id}`}, gettext('Not in the catalogue'))),
      localText(a.description) ? h('p', {class: 'hint'}, localText(a.description)) : null),
    h('button', {type: 'button', class: 'btn btn-small', testid: `act-edit-${a.id}`, onclick: () => onEdit(a)},
      gettext('Edit'), h('span', {class: 'visually-hidden'}, ' ' + localText(a.name))));
}

function catalogueList(activities, onEdit) {
  if (!activities.length) return h('p', {class: 'empty'}, gettext('The catalogue is empty. Add the home\'s first activity.'));
  return DIRECTIONS.filter((d) => activities.some((a) => a.direction === d)).map((d) => h('div', {testid: `act-direction-${d}`},
    h('h3', {class: 'act-direction'}, directionLabel(d)),
    h('ul', {class: 'act-list'}, activities.filter((a) => a.direction === d).map((a) => activityItem(a, onEdit)))));
}

function sessionDialog(kind, activities, units, day) {
  const event = kind === 'event';
  return openDialog({title: event ? gettext('Add an event') : gettext('Add a weekly session'), testid: 'dialog-session',
    draft: `session:${kind}`, build: () => {
      const msgs = {};
      const active = activities.filter((a) => a.active);
      const activity = select('ses-activity', active.map((a) => [a.id, localText(a.name)]), null);
      const weekday = select('ses-weekday', [1, 2, 3, 4, 5, 6, 7].map((d) => [d, weekdayName(d)]), 1);
      const date = dateInput({id: 'ses-date', testid: 'ses-date', value: day});
      const time = h('input', {id: 'ses-time', class: 'input', type: 'time', testid: 'ses-time', value: '10:00'});
      const duration = h('input', {id: 'ses-duration', class: 'input', type: 'number', min: 5, max: 720, testid: 'ses-duration',
        value: '60', inputmode: 'numeric'});
      const place = h('input', {id: 'ses-place', class: 'input', maxlength: 200, testid: 'ses-place',
        placeholder: gettext('The activity\'s own place')});
      const unit = select('ses-unit', [['', gettext('The whole home')], ...units.map((u) => [u.id, u.name])], '');
      const from = dateInput({id: 'ses-from', testid: 'ses-from', value: day});
      const titles = {};
      const body = [field(msgs, 'activity_id', gettext('Activity'), activity)];
      if (event) {
        body.push(field(msgs, 'on_date', gettext('Date'), date));
        for (const l of LANGS) {
          titles[l] = h('input', {id: `ses-title-${l}`, class: 'input', maxlength: 500, testid: `ses-title-${l}`});
          body.push(field(msgs, `title.${l}`, format(gettext('Event title (%(language)s)'), {language: langLabel(l)}), titles[l]));
        }
      } else {
        body.push(h('div', {class: 'toolbar'}, field(msgs, 'weekday', gettext('Weekday'), weekday),
          field(msgs, 'valid_from', gettext('From'), from)));
      }
      body.push(h('div', {class: 'toolbar'}, field(msgs, 'start_time', gettext('Time'), time),
        field(msgs, 'duration_minutes', gettext('Minutes'), duration)),
      field(msgs, 'place', gettext('Place'), place), field(msgs, 'unit_id', gettext('For'), unit));
      return {body, onSave: async () => {
        for (const m of Object.values(msgs)) m.textContent = '';
        const data = {kind, activity_id: Number(activity.value), start_time: time.value, duration_minutes: Number(duration.value),
          place: place.value.trim() || null, unit_id: unit.value ? Number(unit.value) : null};
        if (event) Object.assign(data, {on_date: date.value || null, title: Object.fromEntries(LANGS.map((l) => [l, titles[l].value.trim()]))});
        else Object.assign(data, {weekday: Number(weekday.value), valid_from: from.value || null});
        try { return await api.post('/api/activities/sessions', data); } catch (err) { return showErrors(err, msgs); }
      }};
    }});
}

function changeDialog(o) {
  return openDialog({title: format(gettext('%(name)s, %(date)s'), {name: occurrenceTitle(o), date: formatDate(o.date, {dateStyle: 'medium'})}),
    testid: 'dialog-change', saveLabel: gettext('Save the change'), draft: `session-change:${o.session_id}:${o.date}`,
    build: () => {
      const msgs = {};
      const cancel = h('input', {type: 'checkbox', id: 'chg-cancel', testid: 'chg-cancel', checked: o.cancelled});
      const time = h('input', {id: 'chg-time', class: 'input', type: 'time', testid: 'chg-time', value: o.start_time});
      const place = h('input', {id: 'chg-place', class: 'input', maxlength: 200, testid: 'chg-place', value: o.place || ''});
      const note = h('textarea', {id: 'chg-note', class: 'input', rows: 2, maxlength: 1000, testid: 'chg-note'}, o.note || '');
      const restore = h('input', {type: 'checkbox', id: 'chg-restore', testid: 'chg-restore'});
      return {body: [
        h('p', {class: 'hint'}, gettext('Only this day changes; the rest of the series stays. Residents\' families see the note.')),
        h('label', {class: 'check'}, cancel, gettext('Cancel on this day')),
        h('div', {class: 'toolbar'}, field(msgs, 'start_time', gettext('New time'), time), field(msgs, 'place', gettext('New place'), place)),
        field(msgs, 'note', gettext('Note'), note),
        o.cancelled || o.changed ? h('label', {class: 'check'}, restore, gettext('Undo: as the timetable says')) : null,
      ], onSave: async () => {
        for (const m of Object.values(msgs)) m.textContent = '';
        const data = {on_date: o.date, cancelled: cancel.checked, restore: restore.checked, note: note.value.trim()};
        if (!cancel.checked) {
          if (time.value && time.value !== (o.original_start_time || o.start_time)) data.start_time = time.value;
          if (place.value.trim() && place.value.trim() !== o.place) data.place = place.value.trim();
          if (o.changed && !data.start_time && !data.place) data.start_time = time.value;
        }
        try { return await api.post(`/api/activities/sessions/${o.session_id}/changes`, data); } catch (err) { return showErrors(err, msgs); }
      }};
    }});
}

function endDialog(o) {
  return openDialog({title: format(gettext('End the series: %(name)s'), {name: occurrenceTitle(o)}), testid: 'dialog-end',
    saveLabel: gettext('End the series'), build: () => {
      const msgs = {};
      const last = dateInput({id: 'end-last-day', testid: 'end-last-day', value: addDays(today(), -1)});
      return {body: [h('p', {class: 'hint'}, gettext('The session takes place for the last time on this day. Past attendance stays.')),
        field(msgs, 'last_day', gettext('Last day'), last)],
      onSave: async () => {
        try { return await api.post(`/api/activities/sessions/${o.session_id}/end`, {last_day: last.value || null}); } catch (err) { return showErrors(err, msgs); }
      }};
    }});
}

function occurrenceRow(o, onChange, onEnd, units) {
  const unitName = o.unit_id ? (units.find((u) => u.id === o.unit_id) || {}).name : null;
  const key = `${o.session_id}-${o.date}`;
  return h('li', {class: ['occ', o.cancelled ? 'is-cancelled' : null, o.kind === 'event' ? 'occ-event' : null], testid: `occ-${key}`,
    dataset: {cancelled: String(o.cancelled), changed: String(o.changed)}},
  h('span', {class: 'occ-time'}, o.start_time + '–' + o.end_time),
  h('div', {class: 'occ-what'},
    h('strong', {}, o.kind === 'event' ? icon('★') : null, ' ', occurrenceTitle(o)),
    h('div', {class: 'tags'},
      o.cancelled ? h('span', {class: 'tag tag-warn'}, icon('✕'), ' ', gettext('Cancelled')) : null,
      o.changed ? h('span', {class: 'tag tag-warn'}, icon('↻'), ' ', o.original_start_time
        ? format(gettext('Moved from %(time)s'), {time: o.original_start_time}) : gettext('Changed')) : null,
      o.place ? h('span', {class: 'tag'}, icon('⌂'), ' ', o.place) : null,
      unitName ? h('span', {class: 'tag'}, unitName) : null),
    o.note ? h('p', {class: 'hint'}, o.note) : null),
  h('div', {class: 'checks'},
    h('button', {type: 'button', class: 'btn btn-small', testid: `occ-change-${key}`, onclick: () => onChange(o)},
      gettext('Cancel or change'), h('span', {class: 'visually-hidden'}, ' ' + occurrenceTitle(o))),
    o.kind === 'weekly' ? h('button', {type: 'button', class: 'btn btn-small', testid: `occ-end-${o.session_id}`,
      onclick: () => onEnd(o)}, gettext('End the series'), h('span', {class: 'visually-hidden'}, ' ' + occurrenceTitle(o))) : null));
}

let weekStart = null;
let unitFilter = '';

export async function render(main, params, ctx) {
  const section = h('section', {class: 'panel activities'}, h('div', {class: 'panel-head'},
    h('div', {}, h('h1', {}, gettext('Activities')),
      h('p', {class: 'sub'}, gettext('The catalogue in six directions, the week\'s timetable and residents\' programmes.')))));
  main.append(section);
  let people;
  let activities;
  try {
    [people, activities] = await Promise.all([api.get('/api/activities/people'), api.get('/api/activities/catalogue')]);
  } catch (err) {
    section.append(h('p', {class: 'notice notice-warn', role: 'alert', testid: 'act-offline'}, icon('⊘'), ' ', problem(err)));
    return;
  }
  weekStart = weekStart || mondayOf(today());
  const catalogueBox = h('div', {});
  const timetableBox = h('div', {'aria-live': 'polite'});
  const weekLabel = h('p', {class: 'tt-week', testid: 'tt-week'});
  const unitSel = select('tt-unit', [['', gettext('All units')], ...people.units.map((u) => [u.id, u.name])], unitFilter);
  const drawCatalogue = () => mount(catalogueBox, catalogueList(activities, edit));
  async function edit(a) {
    const saved = await activityDialog(a, people.staff);
    if (!saved) return;
    activities = await api.get('/api/activities/catalogue');
    drawCatalogue();
    toast(gettext('The catalogue is saved.'));
  }
  const loadWeek = async () => {
    const end = addDays(weekStart, 6);
    weekLabel.textContent = formatDate(weekStart, {dateStyle: 'medium'}) + ' – ' + formatDate(end, {dateStyle: 'medium'});
    let occ;
    try {
      occ = await api.get(withQuery('/api/activities/timetable', {start: weekStart, end, unit_id: unitFilter || null}));
    } catch (err) {
      mount(timetableBox, h('p', {class: 'notice notice-warn', role: 'alert'}, problem(err)));
      return;
    }
    const onChange = async (o) => { if (await changeDialog(o)) { toast(gettext('The change is saved.')); await loadWeek(); } };
    const onEnd = async (o) => { if (await endDialog(o)) { toast(gettext('The series is ended.')); await loadWeek(); } };
    mount(timetableBox, h('div', {class: 'tt-days'}, [0, 1, 2, 3, 4, 5, 6].map((i) => {
      const day = addDays(weekStart, i);
      const rows = occ.filter((o) => o.date === day);
      return h('div', {class: ['tt-day', day === today() ? 'is-today' : null], testid: `tt-day-${day}`},
        h('h3', {class: 'tt-day-title'}, formatDate(day, {weekday: 'long', day: 'numeric', month: 'long'})),
        rows.length ? h('ul', {class: 'occ-list'}, rows.map((o) => occurrenceRow(o, onChange, onEnd, people.units)))
          : h('p', {class: 'empty'}, gettext('Nothing planned.')));
    })));
  };
  const shift = (n) => { weekStart = n === 0 ? mondayOf(today()) : addDays(weekStart, n); loadWeek(); };
  const addSession = async (kind) => {
    if (!activities.some((a) => a.active)) { toast(gettext('Add an activity to the catalogue first.')); return; }
    const day = weekStart <= today() && today() <= addDays(weekStart, 6) ? today() : weekStart;
    if (await sessionDialog(kind, activities, people.units, day)) { toast(gettext('The timetable is saved.')); await loadWeek(); }
  };
  unitSel.addEventListener('change', () => { unitFilter = unitSel.value; loadWeek(); });
  const residentSel = h('select', {id: 'prog-resident', class: 'input', testid: 'prog-resident'},
    people.residents.map((r) => h('option', {value: String(r.id)}, r.full_name + ' · ' + r.unit_name + ', ' + r.room)));
  const goTo = (ctx && ctx.go) || ((route) => { location.hash = `#/${route}`; });
  section.append(
    h('h2', {class: 'section-title'}, gettext('Residents\' programmes')),
    people.residents.length ? h('div', {class: 'toolbar'},
      h('div', {class: 'field'}, h('label', {for: 'prog-resident'}, gettext('Resident')), residentSel),
      h('button', {type: 'button', class: 'btn', testid: 'prog-open', onclick: () => goTo(`programme/${residentSel.value}`)},
        gettext('Open the programme'))) : h('p', {class: 'empty'}, gettext('No residents.')),
    h('div', {class: 'panel-head'}, h('h2', {class: 'section-title'}, gettext('Timetable')),
      h('div', {class: 'checks'},
        h('button', {type: 'button', class: 'btn', testid: 'tt-add-weekly', onclick: () => addSession('weekly')}, icon('+'), ' ', gettext('Weekly session')),
        h('button', {type: 'button', class: 'btn', testid: 'tt-add-event', onclick: () => addSession('event')}, icon('★'), ' ', gettext('Event')))),
    h('div', {class: 'toolbar'},
      h('button', {type: 'button', class: 'btn', testid: 'tt-prev', onclick: () => shift(-7)}, '‹ ', gettext('Previous week')),
      h('button', {type: 'button', class: 'btn', testid: 'tt-this-week', onclick: () => shift(0)}, gettext('This week')),
      h('button', {type: 'button', class: 'btn', testid: 'tt-next', onclick: () => shift(7)}, gettext('Next week'), ' ›'),
      h('div', {class: 'field'}, h('label', {for: 'tt-unit'}, gettext('Unit')), unitSel)),
    weekLabel, timetableBox,
    h('div', {class: 'panel-head'}, h('h2', {class: 'section-title'}, gettext('Catalogue')),
      h('button', {type: 'button', class: 'btn btn-primary', testid: 'act-add', onclick: () => edit(null)}, icon('+'), ' ', gettext('Add an activity'))),
    catalogueBox);
  drawCatalogue();
  await loadWeek();
}
