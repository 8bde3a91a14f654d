// A month chosen by its name in the user's language (issue 16, finding 10): an <input type=month> draws its value in
// the browser's locale, never the page's ("December 2026" on a Russian screen), and is a poor touch target. This is
// a <select> of months by name ("декабрь 2026 г.", "2026年12月"), newest first, whose `value` is 'YYYY-MM' as the
// month input's was, so the views read and set it alike.
import {h} from './dom.js';
import {formatMonth} from './i18n.js';

/** 'YYYY-MM' plus n months. */
export function addMonths(month, n) {
  const [y, m] = month.split('-').map(Number);
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String(index % 12 + 1).padStart(2, '0')}`;
}

/** A select of the months from `max` back to `min` ('YYYY-MM'; default three years before `max`), `value` chosen. */
export function monthSelect({id, testid, value, max, min = addMonths(max, -36)}) {
  const months = [];
  for (let m = max; m >= min; m = addMonths(m, -1)) months.push(m);
  if (value && !months.includes(value)) months.push(value);
  months.sort().reverse();
  return h('select', {id, class: 'input', testid, required: true},
    months.map((m) => h('option', {value: m, selected: m === value}, formatMonth(`${m}-01`))));
}
