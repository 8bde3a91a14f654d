// #/residents (supervisor, planner, administrator): a unit's residents, those in the home or those whose stay ended;
// #/stay/<id>: one resident's record -- where she is, her details and every event of her stay -- and, for the
// supervisor, planner and administrator, recording the next one: change of details, a move (unit, post, room, bed),
// a temporary absence (hospital, leave) and her return, discharge, death, re-admission (backend/domain/stay.py).
// Times are typed and shown in the home's zone, whatever the device's. Online only: the server orders the events.
//
// data-testid: residents-unit, residents-stay-<current|ended>, residents-list, residents-row-<id>;
//   stay-status (data-status), stay-place, stay-categories, stay-history, stay-event-<id> (data-kind), stay-error,
//   stay-action-<details|move|absence|return|discharge|death|readmission>; the dialog: dialog-stay with
//   stay-at, stay-reason, stay-absence, stay-full-name, stay-birth-date, stay-category-<code>, stay-unit, stay-post,
//   stay-room, stay-bed
import {api} from '../lib/api.js';
import {h, icon, mount} from '../lib/dom.js';
import {dateInput} from '../lib/dateinput.js';
import {checkGroup, clearErrors, field, problem, selectInput, sent, setError, textInput} from '../lib/fields.js';
import {format, formatDate, formatDateTime, gettext} from '../lib/i18n.js';
import {RECIPIENT_CATEGORIES, stayLabel} from '../lib/labels.js';
import {ABSENCES, absenceLabel, recipientLabel, stayEventLabel} from '../lib/office_labels.js';
import {can, tz} from '../lib/session.js';
import {wallClock, wallClockToISO} from '../lib/time.js';
import {confirmDialog, openDialog, toast} from './dialogs.js';

/** Which events may follow her status (backend/domain/stay.py TRANSITIONS, recorded kinds). */
const NEXT = {
  present: ['details', 'move', 'absence', 'discharge', 'death'],
  away: ['details', 'move', 'return', 'discharge', 'death'],
  discharged: ['details', 'readmission'],
  deceased: ['details'],
};
const actionLabel = (kind) => ({details: gettext('Change details'), move: gettext('Move'),
  absence: gettext('Temporary absence'), return: gettext('Returned'), discharge: gettext('Discharge'),
  death: gettext('Record a death'), readmission: gettext('Admit again')}[kind]);
const NEEDS_REASON = ['absence', 'discharge', 'death', 'readmission'];
let chosenUnit = null;

const mayRecord = () => can('keep_stays');

export async function renderList(main) {
  const error = h('p', {class: 'form-error', role: 'alert', hidden: true, testid: 'residents-error'});
  const list = h('div', {testid: 'residents-list'});
  const view = h('section', {class: 'panel stack'}, h('h1', {}, gettext('Residents')), error);
  main.append(view);
  let units;
  try {
    units = await api.get('/api/units');
  } catch (err) {
    error.textContent = problem(err);
    error.hidden = false;
    return;
  }
  if (!units.length) {
    view.append(h('p', {class: 'empty'}, gettext('The home has no units yet: an administrator adds them under Organisation.')));
    return;
  }
  if (!units.some((u) => u.id === chosenUnit)) chosenUnit = units[0].id;
  let stay = 'current';
  const unit = selectInput('residents-unit', units.map((u) => [u.id, u.name]), chosenUnit);
  const tabs = h('div', {class: 'lang-picker', role: 'group', 'aria-label': gettext('Residents')},
    ['current', 'ended'].map((s) => h('button', {type: 'button', class: 'choice', testid: `residents-stay-${s}`,
      'aria-pressed': String(s === stay), onclick: (event) => {
        stay = s;
        for (const b of tabs.children) b.setAttribute('aria-pressed', String(b === event.currentTarget));
        fill();
      }}, s === 'current' ? gettext('In the home') : gettext('Stay ended'))));
  view.append(field({}, 'unit', gettext('Unit'), unit), tabs, list);
  unit.addEventListener('change', () => { chosenUnit = Number(unit.value); fill(); });

  // Only the latest question's answer is drawn: a slower answer to an earlier one (the list before "Stay ended"
  // was chosen) must not replace it.
  let asked = 0;
  async function fill() {
    const mine = ++asked;
    let residents;
    try {
      residents = await api.get(`/api/residents?unit_id=${chosenUnit}&stay=${stay}`);
    } catch (err) {
      if (mine === asked) mount(list, h('p', {class: 'form-error', role: 'alert'}, problem(err)));
      return;
    }
    if (mine !== asked) return;
    mount(list, residents.length ? h('ul', {class: 'record-list'}, residents.map((r) => h('li', {class: 'record'},
      h('a', {href: `#/stay/${r.id}`, class: 'resident-row', testid: `residents-row-${r.id}`},
        h('span', {class: 'room'}, h('span', {class: 'room-num'}, r.room || '—'), h('span', {class: 'bed'}, r.bed || '')),
        h('span', {class: 'who'}, h('span', {class: 'name'}, r.full_name),
          h('span', {class: 'tags'}, h('span', {class: r.status === 'present' ? 'tag' : 'tag tag-away'},
            stayLabel(r.status)))),
        icon('›')))))
      : h('p', {class: 'empty'}, gettext('None.')));
  }
  await fill();
  return () => {};
}

function placeText(record) {
  const r = record.resident;
  return [record.unit_name, record.post_name,
    r.room ? format(gettext('Room %(room)s, bed %(bed)s'), {room: r.room, bed: r.bed || '—'}) : null]
    .filter(Boolean).join(' · ');
}

function eventText(e) {
  const parts = [stayEventLabel(e.kind)];
  if (e.absence) parts[0] += ` (${absenceLabel(e.absence)})`;
  const detail = e.detail || {};
  if (e.kind === 'move' && detail.to) {
    parts.push(format(gettext('to room %(room)s, bed %(bed)s'), {room: detail.to.room || '—', bed: detail.to.bed || '—'}));
  }
  if (e.kind === 'details' && detail.to) parts.push(Object.keys(detail.to).map(fieldLabel).join(', '));
  if (e.reason) parts.push(e.reason);
  return parts.join(' — ');
}

const fieldLabel = (name) => ({full_name: gettext('Full name'), birth_date: gettext('Date of birth'),
  room: gettext('Room'), bed: gettext('Bed'), categories: gettext('Categories of service recipient')}[name] || name);

export async function render(main, params, {go}) {
  const residentId = Number(params[0]);
  const error = h('p', {class: 'form-error', role: 'alert', hidden: true, testid: 'stay-error'});
  const view = h('section', {class: 'panel stack'});
  main.append(view);
  let record;
  try {
    record = await api.get(`/api/residents/${residentId}`);
  } catch (err) {
    view.append(h('h1', {}, gettext('Resident')), error);
    error.textContent = problem(err);
    error.hidden = false;
    return;
  }
  const r = record.resident;
  const actions = mayRecord() ? h('div', {class: 'resident-actions'}, (NEXT[r.status] || []).map((kind) =>
    h('button', {type: 'button', class: ['btn', ['discharge', 'death'].includes(kind) ? 'btn-warn' : null],
      testid: `stay-action-${kind}`, onclick: async () => {
        if (await eventDialog(kind, record)) go(`stay/${residentId}`);
      }}, actionLabel(kind)))) : null;
  const dates = [r.birth_date ? format(gettext('Born %(date)s'), {date: formatDate(r.birth_date)}) : null,
    r.admitted_on ? format(gettext('Admitted %(date)s'), {date: formatDate(r.admitted_on)}) : null,
    r.left_on ? format(gettext('Stay ended %(date)s'), {date: formatDate(r.left_on)}) : null].filter(Boolean);
  mount(view,
    h('a', {href: '#/residents', class: 'back-link'}, '‹ ', gettext('Residents')),
    h('div', {class: 'panel-head resident-head'},
      h('div', {},
        h('h1', {}, r.full_name),
        h('p', {class: 'sub', testid: 'stay-place'}, placeText(record)),
        h('p', {}, h('span', {class: r.status === 'present' ? 'tag' : 'tag tag-away', testid: 'stay-status',
          dataset: {status: r.status}}, stayLabel(r.status)), dates.length ? ` · ${dates.join(' · ')}` : ''),
        h('p', {class: 'sub', testid: 'stay-categories'}, (r.categories || []).length
          ? (r.categories || []).map(recipientLabel).join(' · ') : gettext('Category of service recipient: not recorded'))),
      actions),
    can('read_files') ? h('p', {}, h('a', {class: 'btn', href: `#/file/${residentId}`, testid: 'stay-file'},
      gettext('Personal file'))) : null,
    error,
    h('h2', {class: 'section-title'}, gettext('Her stay')),
    h('ol', {class: 'record-list', testid: 'stay-history'}, [...record.events].reverse().map((e) =>
      h('li', {class: 'record', testid: `stay-event-${e.id}`, dataset: {kind: e.kind}},
        h('p', {class: 'record-head'}, h('strong', {}, formatDateTime(e.at)), ' · ', eventText(e)),
        h('p', {class: 'hint'}, format(gettext('Recorded by %(name)s at %(time)s'),
          {name: e.recorded_by_name || '—', time: formatDateTime(e.recorded_at)}))))));
}

/** The form of one event; resolves true once the server has recorded it. */
async function eventDialog(kind, record) {
  const r = record.resident;
  if (['discharge', 'death'].includes(kind)) {
    const text = kind === 'death'
      ? gettext('Her stay ends: her cards stop, the post no longer lists her, relatives lose access. Her record stays readable.')
      : gettext('Her stay ends: her cards stop, the post no longer lists her, relatives lose access. She can be admitted again.');
    if (!(await confirmDialog(actionLabel(kind), text, actionLabel(kind)))) return false;
  }
  const zone = tz();
  const needsPlace = kind === 'move' || kind === 'readmission';
  const [units, posts] = needsPlace ? await Promise.all([api.get('/api/units'), api.get('/api/posts')]) : [[], []];
  return openDialog({title: `${actionLabel(kind)}: ${r.full_name}`, testid: 'dialog-stay', saveLabel: actionLabel(kind),
    draft: `stay:${r.id}:${kind}`,
    build: () => {
      const msgs = {};
      const body = [];
      const at = textInput('stay-at', {type: 'datetime-local', value: wallClock(zone), required: true});
      const reason = h('textarea', {id: 'stay-reason', class: 'input', testid: 'stay-reason', rows: 2, maxlength: 2000});
      const absence = selectInput('stay-absence', ABSENCES.map((a) => [a, absenceLabel(a)]), 'hospital');
      const name = textInput('stay-full-name', {value: r.full_name, maxlength: 200});
      const birth = dateInput({id: 'stay-birth-date', testid: 'stay-birth-date', value: r.birth_date || ''});
      const room = textInput('stay-room', {value: kind === 'details' ? r.room : '', maxlength: 20});
      const bed = textInput('stay-bed', {value: kind === 'details' ? r.bed : '', maxlength: 20});
      const held = r.categories || [];
      const categories = kind === 'details' ? checkGroup(msgs, 'categories', {testid: 'stay-category',
        legend: gettext('Categories of service recipient'), options: RECIPIENT_CATEGORIES.map((c) => [c, recipientLabel(c)]),
        hint: gettext('Regulation 004 §1.1: a resident may belong to several.'), chosen: held}) : null;
      const unit = selectInput('stay-unit', units.map((u) => [u.id, u.name]), r.unit_id);
      const post = selectInput('stay-post', [], null);
      const fillPosts = () => {
        mount(post, [h('option', {value: ''}, gettext('The room\'s post')),
          ...posts.filter((p) => p.unit_id === Number(unit.value)).map((p) => h('option', {value: String(p.id),
            selected: p.id === r.post_id && Number(unit.value) === r.unit_id}, p.name))]);
      };
      if (kind === 'details') {
        body.push(field(msgs, 'full_name', gettext('Full name'), name), field(msgs, 'birth_date', gettext('Date of birth'), birth),
          field(msgs, 'room', gettext('Room'), room), field(msgs, 'bed', gettext('Bed'), bed), categories.element);
      }
      if (needsPlace) {
        fillPosts();
        unit.addEventListener('change', fillPosts);
        body.push(field(msgs, 'unit_id', gettext('Unit'), unit), field(msgs, 'post_id', gettext('Duty post'), post),
          field(msgs, 'room', gettext('Room'), room), field(msgs, 'bed', gettext('Bed'), bed));
      }
      if (kind === 'absence') body.push(field(msgs, 'absence', gettext('Where'), absence));
      if (kind !== 'details') {
        body.push(field(msgs, 'at', gettext('When (the home\'s time)'), at,
          format(gettext('Time zone: %(zone)s'), {zone: zone || ''})));
      }
      body.push(field(msgs, 'reason', NEEDS_REASON.includes(kind) ? gettext('Reason') : gettext('Reason (optional)'), reason));
      const onSave = async () => {
        clearErrors(msgs);
        const payload = {kind, reason: reason.value.trim()};
        if (kind !== 'details') {
          if (!at.value) { setError(msgs, 'at', gettext('Give the date and time.')); return false; }
          payload.at = wallClockToISO(at.value, zone);
        }
        if (NEEDS_REASON.includes(kind) && !payload.reason) {
          setError(msgs, 'reason', gettext('A reason is required.'));
          reason.focus();
          return false;
        }
        if (kind === 'absence') payload.absence = absence.value;
        if (kind === 'details') {
          if (name.value.trim() !== r.full_name) payload.full_name = name.value.trim();
          if ((birth.value || null) !== (r.birth_date || null)) payload.birth_date = birth.value || null;
          if (room.value.trim() !== r.room) payload.room = room.value.trim();
          if (bed.value.trim() !== r.bed) payload.bed = bed.value.trim();
          const chosen = categories.value();
          if (chosen.join() !== held.join()) payload.categories = chosen;
        }
        if (needsPlace) {
          Object.assign(payload, {unit_id: Number(unit.value), room: room.value.trim(), bed: bed.value.trim()});
          if (post.value) payload.post_id = Number(post.value);
        }
        if (!(await sent(msgs, () => api.post(`/api/residents/${r.id}/events`, payload)))) return false;
        toast(gettext('Recorded. The tablets learn of it at their next sync.'));
        return true;
      };
      return {body, onSave};
    }});
}
