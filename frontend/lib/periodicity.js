// When something recurs, in the reader's words: weekdays, a card item's schedule (the resident's day, care cards,
// the care plan and its versions, activities and their programme). Its editing fields: lib/periodicity_form.js.
import {format, formatDate, gettext, ngettext} from './i18n.js';
import {scheduleKindLabel, shiftLabel} from './labels.js';

// 2024-01-01 was a Monday: ISO weekday n is January n.
export const weekdayName = (n) => formatDate(`2024-01-0${n}`, {weekday: 'short'});

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
export const shortDate = (iso) => (iso ? formatDate(iso, {day: 'numeric', month: 'short', year: 'numeric'}) : '?');

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

