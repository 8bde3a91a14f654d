// A date typed and shown in the user's language (issue 16, finding 10). An <input type=date> draws its value in the
// browser's own locale, never the page's (Chromium ignores `lang`): a Russian screen in an English browser read
// 12/05/2026 for 5 December. So a date is a text input in the language's pattern, from Intl ('25.11.2026' in
// Russian, '25/11/2026' in English, '2026/11/25' in Chinese), with that pattern as its placeholder and checked when
// she leaves it. An ISO 'YYYY-MM-DD' typed (or filled by a test) is read too.
//
// For the code, `value` stays ISO 'YYYY-MM-DD' (read and written: the views keep `input.value`); '' while empty, and
// her text as typed while it is no date, so a save is refused by the server naming the field rather than taken as
// no date. `data-iso` holds the ISO date for tests (Playwright reads an input's own text). `min` and `max`
// ('YYYY-MM-DD') are checked as a date input would, through the input's validity (setCustomValidity, :invalid).
import {h} from './dom.js';
import {format, formatDate, gettext, intlLocale} from './i18n.js';

const NATIVE = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value');
const pad = (n, width = 2) => String(n).padStart(width, '0');

/** The language's order of day, month and year and its separators: [{type, value}] of Intl's parts. */
function layout() {
  return new Intl.DateTimeFormat(intlLocale(), {year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC'})
    .formatToParts(new Date(Date.UTC(2026, 10, 25)));
}

/** 'YYYY-MM-DD' in the language's pattern: '25.11.2026'. */
export function toLocalText(iso) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso || '')) return '';
  const [y, m, d] = iso.split('-');
  const value = {year: y, month: m, day: d};
  return layout().map((p) => (p.type in value ? value[p.type] : p.value)).join('');
}

/** The pattern she types: 'ДД.ММ.ГГГГ' / 'DD/MM/YYYY' / 'YYYY/MM/DD' (the letters are translated). */
export function patternText() {
  const letters = {day: gettext('DD'), month: gettext('MM'), year: gettext('YYYY')};
  return layout().map((p) => (p.type in letters ? letters[p.type] : p.value)).join('');
}

/** Her text as 'YYYY-MM-DD', or null when it is no date: three numbers in the language's order, or ISO. */
export function fromLocalText(text) {
  const t = String(text || '').trim();
  let y; let m; let d;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (iso) {
    [y, m, d] = iso.slice(1).map(Number);
  } else {
    const numbers = t.match(/\d+/g);
    if (!numbers || numbers.length !== 3 || /[^\d\s./\-年月日]/.test(t)) return null;
    const order = layout().filter((p) => ['year', 'month', 'day'].includes(p.type)).map((p) => p.type);
    const got = {};
    order.forEach((type, i) => { got[type] = numbers[i]; });
    if (got.year.length !== 4) return null;
    [y, m, d] = [Number(got.year), Number(got.month), Number(got.day)];
  }
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

/**
 * A date input in the user's language: h('input', {type: 'date', …}) becomes dateInput({…}) with the same attributes
 * (value, min and max ISO). Its `value` is ISO for the code.
 */
export function dateInput(attrs = {}) {
  const {value = '', min = null, max = null, ...rest} = attrs;
  const el = h('input', {class: 'input', ...rest, type: 'text', inputmode: 'numeric', autocomplete: 'off',
    placeholder: patternText()});
  const limits = {min, max};
  const check = () => {
    const text = NATIVE.get.call(el).trim();
    const iso = text ? fromLocalText(text) : '';
    el.dataset.iso = iso || '';
    let problem = '';
    if (iso === null) problem = format(gettext('Enter a date as %(pattern)s.'), {pattern: patternText()});
    else if (iso && limits.min && iso < limits.min) {
      problem = format(gettext('Enter a date no earlier than %(date)s.'), {date: formatDate(limits.min)});
    } else if (iso && limits.max && iso > limits.max) {
      problem = format(gettext('Enter a date no later than %(date)s.'), {date: formatDate(limits.max)});
    }
    el.setCustomValidity(problem);
    el.title = problem || patternText();
    return iso;
  };
  Object.defineProperty(el, 'value', {
    configurable: true,
    get() { const iso = check(); return iso === null ? NATIVE.get.call(el).trim() : iso; },
    set(v) { NATIVE.set.call(el, toLocalText(v) || String(v ?? '')); check(); },
  });
  for (const key of ['min', 'max']) {
    Object.defineProperty(el, key, {configurable: true, get: () => limits[key] || '',
      set: (v) => { limits[key] = v || null; check(); }});
  }
  // Her text is redrawn in the language's pattern when it is a date (an ISO date filled in reads '25.11.2026').
  el.addEventListener('change', () => { const iso = check(); if (iso) NATIVE.set.call(el, toLocalText(iso)); },
    {capture: true});
  el.addEventListener('input', check);
  el.value = value;
  return el;
}
