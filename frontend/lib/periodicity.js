// When something recurs, in the reader's words: weekdays, the care plan's periodicity presets, a card item's
// schedule (care cards, the care plan and its versions, activities and their programme).
import {format, formatDate, gettext, ngettext} from './i18n.js';
import {scheduleKindLabel, shiftLabel} from './labels.js';
import {h} from './dom.js';
import {dateInput} from './dateinput.js';

// 2024-01-01 was a Monday: ISO weekday n is January n.
export const weekdayName = (n) => formatDate(`2024-01-0${n}`, {weekday: 'short'});

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

/** A periodicity ({kind, times, hours, start, shifts, days_of_week}) in the reader's words:
 * "twice a day: 09:00, 18:00", "every 2 h from 00:00", "day shift", "as needed", "… · Mon, Thu". */
export function periodicityLabel(p) {
  if (!p) return '';
  let text;
  const times = [...(p.times || [])].sort();
  if (p.kind === 'times') {
    text = times.length === 1 ? format(gettext('once a day: %(times)s'), {times: times.join(', ')})
      : times.length === 2 ? format(gettext('twice a day: %(times)s'), {times: times.join(', ')})
        : format(gettext('%(n)s times a day: %(times)s'), {n: times.length, times: times.join(', ')});
  } else if (p.kind === 'every_hours') {
    text = format(gettext('every %(hours)s h from %(start)s'), {hours: p.hours, start: p.start || '00:00'});
  } else if (p.kind === 'per_shift') {
    text = format(gettext('once per shift: %(shifts)s'), {shifts: (p.shifts || ['day', 'night']).map(shiftLabel).join(', ')});
  } else if (p.kind === 'as_needed') {
    text = gettext('as needed');
  } else if (PERIODIC_KINDS.includes(p.kind)) {
    return periodicLabel(p);
  } else {
    text = scheduleKindLabel(p.kind);
  }
  if (p.days_of_week && p.days_of_week.length) {
    const days = p.days_of_week.map(weekdayName).join(', ');
    text = format(gettext('%(schedule)s · only %(days)s'), {schedule: text, days});
  }
  return text;
}

export function scheduleText(item) {
  return periodicityLabel({kind: item.schedule_kind, ...(item.schedule || {}), days_of_week: item.days_of_week});
}

// --- services less often than daily (docs/domain.md, "Periodic services"; lib/schedule.js periods) ---------------

export const PERIODIC_KINDS = ['monthly', 'every_days', 'every_weeks', 'dates'];
const shortDate = (iso) => (iso ? formatDate(iso, {day: 'numeric', month: 'short', year: 'numeric'}) : '?');

/** "monthly, on day 15", "once in the month, any day", "every 10 days from 4 Nov 2026",
 * "on 5 Nov 2026, 20 Nov 2026". */
export function periodicLabel(p) {
  if (p.kind === 'monthly') {
    return p.day ? format(gettext('monthly, on day %(day)s'), {day: p.day}) : gettext('once in the month, any day');
  }
  if (p.kind === 'every_days') {
    // every day is its own phrase: the plural's forms all name the number ("каждый 21 день", never "каждый 1 день")
    if (p.days === 1) return format(gettext('every day from %(from)s'), {from: shortDate(p.from)});
    return format(ngettext('every %(n)s day from %(from)s', 'every %(n)s days from %(from)s', p.days),
      {n: p.days, from: shortDate(p.from)});
  }
  if (p.kind === 'every_weeks') {
    if (p.weeks === 1) return format(gettext('every week from %(from)s'), {from: shortDate(p.from)});
    return format(ngettext('every %(n)s week from %(from)s', 'every %(n)s weeks from %(from)s', p.weeks),
      {n: p.weeks, from: shortDate(p.from)});
  }
  if (p.kind === 'dates') {
    return format(gettext('on %(dates)s'), {dates: [...(p.dates || [])].sort().map(shortDate).join(', ')});
  }
  return scheduleKindLabel(p.kind);
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
