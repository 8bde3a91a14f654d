// gettext for the browser over /i18n/<locale>.json (built by the server from the .po files).
const INTL = {ru: 'ru-RU', zh_Hans: 'zh-Hans-CN', en: 'en-GB'};
const HTML_LANG = {ru: 'ru', zh_Hans: 'zh-Hans', en: 'en'};
export const LOCALES = ['ru', 'zh_Hans', 'en'];
// Language names are written in their own language, never translated.
export const LANGUAGE_NAMES = {ru: 'Русский', zh_Hans: '中文（简体）', en: 'English'};

let current = {locale: 'en', messages: {}, shellRoutes: null, rest: null};
let timeZone;

// Plural rules by language (never eval the catalog's Plural-Forms).
const PLURAL = {
  ru: (n) => (n % 10 === 1 && n % 100 !== 11 ? 0
    : n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 10 || n % 100 >= 20) ? 1 : 2),
  zh_Hans: () => 0,
  en: (n) => (n === 1 ? 0 : 1),
};

/** 'ru-RU' / 'zh-CN' / 'en-US' -> one of LOCALES. */
export function pickLocale(tag) {
  const t = String(tag || '').toLowerCase();
  if (t.startsWith('ru')) return 'ru';
  if (t.startsWith('zh')) return 'zh_Hans';
  if (t.startsWith('en')) return 'en';
  return null;
}

async function fetchCatalog(name) {
  try {
    const res = await fetch(`/i18n/${name}.json`, {credentials: 'same-origin'});
    if (res.ok) return await res.json();
  } catch (_) { /* offline and not cached: English */ }
  return null;
}

/** Fetch and install a language: the strings of the nurse's app (the rest: loadRest, backend/i18n.py). A missing
 * catalog leaves English text. */
export async function loadCatalog(locale) {
  const loc = LOCALES.includes(locale) ? locale : 'en';
  const data = await fetchCatalog(loc);
  current = {locale: loc, messages: (data && data.messages) || {}, shellRoutes: data && data.shell_routes, rest: null};
  if (typeof document !== 'undefined') document.documentElement.lang = HTML_LANG[loc];
  return loc;
}

/** Does the first part of the catalog cover this route's screen (unknown: no)? */
export const inShell = (route) => !!current.shellRoutes && current.shellRoutes.includes(route);

/** The rest of the language's strings, once per language, before a screen outside the nurse's app is drawn. */
export function loadRest() {
  const mine = current;
  if (!mine.rest) {
    mine.rest = fetchCatalog(`${mine.locale}.rest`).then((data) => {
      if (data && data.messages) Object.assign(mine.messages, data.messages);
    });
  }
  return mine.rest;
}

export const locale = () => current.locale;
export const intlLocale = () => INTL[current.locale] || 'en-GB';
export function setTimeZone(tz) { timeZone = tz || undefined; }
export const getTimeZone = () => timeZone;

export function gettext(msgid) {
  const s = current.messages[msgid];
  return typeof s === 'string' && s ? s : msgid;
}

export function ngettext(singular, plural, n) {
  const forms = current.messages[singular];
  if (Array.isArray(forms) && forms.length) {
    const idx = (PLURAL[current.locale] || PLURAL.en)(Math.abs(n));
    if (forms[idx]) return forms[idx];
  }
  return n === 1 ? singular : plural;
}

/** Python-style placeholders: format('%(n)s left', {n: 3}). */
export function format(str, params = {}) {
  return str.replace(/%(?:\((\w+)\))?([sd%])/g, (m, name, type) => {
    if (type === '%') return '%';
    const v = params[name];
    return v === undefined || v === null ? '' : (typeof v === 'number' ? formatNumber(v) : String(v));
  });
}

/** One Intl formatter per kind, language, zone and options: making them is costly, using them is not. */
const formatters = new Map();
function formatter(Kind, opts) {
  const key = `${Kind.name}|${intlLocale()}|${JSON.stringify(opts)}`;
  let fmt = formatters.get(key);
  if (!fmt) {
    fmt = new Kind(intlLocale(), opts);
    formatters.set(key, fmt);
  }
  return fmt;
}

export function formatNumber(n, opts = {}) {
  return formatter(Intl.NumberFormat, opts).format(n);
}

function asDate(value) { return value instanceof Date ? value : new Date(value); }

/** A date in the home's zone: '25 November 2026'. A bare 'YYYY-MM-DD' is a calendar day. */
export function formatDate(value, opts = {dateStyle: 'long'}) {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split('-').map(Number);
    return formatter(Intl.DateTimeFormat, {...opts, timeZone: 'UTC'}).format(new Date(Date.UTC(y, m - 1, d)));
  }
  return formatter(Intl.DateTimeFormat, {...opts, timeZone}).format(asDate(value));
}

export function formatTime(value) {
  return formatter(Intl.DateTimeFormat, {hour: '2-digit', minute: '2-digit', timeZone}).format(asDate(value));
}

export function formatDateTime(value) {
  return formatter(Intl.DateTimeFormat, {dateStyle: 'medium', timeStyle: 'short', timeZone}).format(asDate(value));
}

/** The zone's offset from UTC at an instant, in minutes (undefined: the device's own zone). */
function offsetOf(zone, at) {
  const p = {};
  for (const x of formatter(Intl.DateTimeFormat, {timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric',
    day: 'numeric', hour: 'numeric', minute: 'numeric'}).formatToParts(at)) p[x.type] = Number(x.value);
  return Math.round((Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - at.getTime()) / 60000);
}

/** The home's zone in her language with its offset now, 'Krasnoyarsk Standard Time (GMT+7)', for app.js's line
 * under the header; null when the device keeps the home's time or no home is known (docs/frontend.md, "Times"). */
export function homeZoneLabel(now = new Date()) {
  if (!timeZone) return null;
  const at = new Date(Math.floor(now.getTime() / 60000) * 60000);
  if (offsetOf(timeZone, at) === offsetOf(undefined, at)) return null;
  const part = (style) => (formatter(Intl.DateTimeFormat, {timeZone, timeZoneName: style}).formatToParts(at)
    .find((x) => x.type === 'timeZoneName') || {}).value || timeZone;
  return format(gettext('All times are the home\'s: %(zone)s (%(offset)s)'),
    {zone: part('long'), offset: part('shortOffset')});
}

/** A month 'YYYY-MM-01' -> 'November 2026'. */
export function formatMonth(dayISO) {
  return formatDate(dayISO, {year: 'numeric', month: 'long'});
}
