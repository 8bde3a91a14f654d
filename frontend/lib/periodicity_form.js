// A periodicity edited: the care plan's presets and the fields of a periodic kind (care cards, the care plan). Apart
// from lib/periodicity.js (what the nurse's app shows) so her app loads neither these nor lib/dateinput.js.
import {format, gettext} from './i18n.js';
import {h} from './dom.js';
import {dateInput} from './dateinput.js';
import {shortDate} from './periodicity.js';

/** The care plan's periodicity presets (the examples), in the plan's stored shape. */
export const PRESETS = {
  twice_a_day: {kind: 'times', times: ['09:00', '18:00'], days_of_week: null},
  every_2_hours: {kind: 'every_hours', hours: 2, start: '00:00', days_of_week: null},
  daily: {kind: 'per_shift', shifts: ['day'], days_of_week: null},
  mon_thu: {kind: 'times', times: ['10:00'], days_of_week: [1, 4]},
  as_needed: {kind: 'as_needed', days_of_week: null},
};

const canonical = (p) => JSON.stringify([p.kind, p.kind === 'times' ? [...(p.times || [])].sort() : null,
  p.kind === 'every_hours' ? [p.hours, p.start || '00:00'] : null, p.kind === 'per_shift' ? p.shifts || ['day', 'night'] : null,
  p.days_of_week && p.days_of_week.length ? p.days_of_week : null]);

/** Which preset a periodicity is, or null. */
export function presetOf(p) {
  return Object.keys(PRESETS).find((k) => canonical(PRESETS[k]) === canonical(p)) || null;
}

/** The parameters a periodic kind starts with when chosen (`first`: the first day offered, e.g. today). */
export function periodicDefaults(kind, first) {
  return {monthly: {day: null}, every_days: {days: 10, from: first}, every_weeks: {weeks: 2, from: first},
    dates: {dates: []}}[kind] || {};
}

/** A periodic schedule's parameters out of `p` (which may hold other kinds' fields too). */
export function periodicParams(kind, p) {
  if (kind === 'monthly') return {day: p.day ? Number(p.day) : null};
  if (kind === 'every_days') return {days: Number(p.days), from: p.from || null};
  if (kind === 'every_weeks') return {weeks: Number(p.weeks), from: p.from || null};
  if (kind === 'dates') return {dates: [...(p.dates || [])].sort()};
  return {};
}

let fieldId = 0;

/** The fields of a periodic kind, editing `p` in place ({day} | {days, from} | {weeks, from} | {dates});
 * `changed()` after each edit, `redraw()` when the list of dates changes. testids start with `prefix`. `msgs`, if
 * given, receives each field's message element by its name (day, days, weeks, from, dates) for the server's errors. */
export function periodicFields(kind, p, changed, redraw, prefix, msgs = null) {
  const id = () => `per-${++fieldId}`;
  const message = (name, input) => {
    const el = h('p', {class: 'field-msg is-error', id: `${input.id}-msg`});
    input.setAttribute('aria-describedby', el.id);
    if (msgs) msgs[name] = el;
    return el;
  };
  const labelled = (label, input, name) => h('div', {class: 'field'}, h('label', {for: input.id}, label), input,
    name ? message(name, input) : null);
  const fromField = () => {
    const from = dateInput({id: id(), value: p.from || '', testid: `${prefix}-period-from`});
    const read = () => { p.from = from.value; changed(); };
    from.addEventListener('input', read);
    from.addEventListener('change', read);
    return labelled(gettext('First day it is due'), from, 'from');
  };
  if (kind === 'monthly') {
    const day = h('select', {id: id(), class: 'input', testid: `${prefix}-month-day`},
      h('option', {value: '', selected: !p.day}, gettext('Any day (once in the month)')),
      Array.from({length: 31}, (_, i) => h('option', {value: String(i + 1), selected: p.day === i + 1},
        String(i + 1))));
    day.addEventListener('change', () => { p.day = day.value ? Number(day.value) : null; changed(); });
    return [labelled(gettext('Day of the month (the last day in a shorter month)'), day, 'day')];
  }
  if (kind === 'every_days' || kind === 'every_weeks') {
    const key = kind === 'every_days' ? 'days' : 'weeks';
    const n = h('input', {id: id(), class: 'input', type: 'number', min: 1, max: key === 'days' ? 366 : 52,
      value: String(p[key] || ''), testid: `${prefix}-every-${key}`});
    n.addEventListener('input', () => { p[key] = Number(n.value); changed(); });
    return [labelled(key === 'days' ? gettext('Every how many days') : gettext('Every how many weeks'), n, key),
      fromField()];
  }
  if (kind === 'dates') {
    const add = dateInput({id: id(), testid: `${prefix}-date-input`});
    const chips = (p.dates || []).slice().sort().map((d) => h('button', {type: 'button', class: 'btn btn-small',
      testid: `${prefix}-date-${d}`, 'aria-label': format(gettext('Remove %(date)s'), {date: shortDate(d)}),
      onclick: () => { p.dates = (p.dates || []).filter((x) => x !== d); changed(); redraw(); }}, shortDate(d), ' ×'));
    const addDate = () => {
      const iso = /^\d{4}-\d{2}-\d{2}$/.test(add.value) ? add.value : '';
      if (!iso || (p.dates || []).includes(iso)) return;
      p.dates = [...(p.dates || []), iso].sort();
      changed();
      redraw();
    };
    const addButton = h('button', {type: 'button', class: 'btn btn-small', testid: `${prefix}-date-add`,
      onclick: addDate}, gettext('Add date'));
    return [h('div', {class: 'field'}, h('span', {class: 'label'}, gettext('Dates')),
      h('div', {class: 'checks'}, chips.length ? chips : h('span', {class: 'sub'}, gettext('No date yet.')))),
    h('div', {class: 'toolbar'}, labelled(gettext('Add a date'), add, 'dates'), addButton)];
  }
  return [];
}
