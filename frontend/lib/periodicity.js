// When something recurs, in the reader's words: weekdays, the care plan's periodicity presets, a card item's
// schedule (care cards, the care plan and its versions, activities and their programme).
import {format, formatDate, gettext} from './i18n.js';
import {scheduleKindLabel, shiftLabel} from './labels.js';

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
