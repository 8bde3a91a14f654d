// Calendar arithmetic in the home's time zone (pure; no DOM).
// Making an Intl.DateTimeFormat costs far more than using one (a tick's redraw made hundreds): one per zone.
const formatters = new Map();
function parts(date, timeZone) {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-GB', {timeZone, year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', hourCycle: 'h23'});
    formatters.set(timeZone, fmt);
  }
  const out = {};
  for (const p of fmt.formatToParts(date)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out;
}

const pad = (n) => String(n).padStart(2, '0');
const dayNumber = (iso) => { const [y, m, d] = iso.split('-').map(Number); return Date.UTC(y, m - 1, d) / 86400000; };

/** Today's care day 'YYYY-MM-DD' in the zone. */
export function todayISO(timeZone, now = new Date()) {
  const p = parts(now, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** Minutes from the start of dayISO (home zone) to an instant; negative before, > 1440 after. */
export function minutesInto(instant, dayISO, timeZone) {
  const p = parts(instant instanceof Date ? instant : new Date(instant), timeZone);
  const localDay = `${p.year}-${pad(p.month)}-${pad(p.day)}`;
  return (dayNumber(localDay) - dayNumber(dayISO)) * 1440 + p.hour * 60 + p.minute;
}

/** 'YYYY-MM-DD' plus n days. */
export function addDays(iso, n) {
  const d = new Date((dayNumber(iso) + n) * 86400000);
  return d.toISOString().slice(0, 10);
}

/** The first day of the month of a day. */
export const monthOf = (iso) => `${iso.slice(0, 7)}-01`;

/** A server datetime without an offset is UTC: make it parseable as such. */
export const utc = (s) => (!s || /(Z|[+-]\d\d:?\d\d)$/i.test(s) ? s : `${s}Z`);

/** The zone's offset from UTC at an instant, in minutes (Asia/Krasnoyarsk: 420). */
function offsetAt(ms, timeZone) {
  const p = parts(new Date(ms), timeZone);
  return Math.round((Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - Math.floor(ms / 60000) * 60000) / 60000);
}

/** Now as the zone's wall clock 'YYYY-MM-DDTHH:MM' (a datetime-local input's value, whatever the device's zone). */
export function wallClock(timeZone, now = new Date()) {
  const p = parts(now, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/**
 * The zone's wall clock 'YYYY-MM-DDTHH:MM' as ISO 8601 with that zone's offset then ('2026-11-25T09:00+07:00'): what
 * a person typed in the home's time, for the API. A time skipped by a clock change moves forward with the clock.
 */
export function wallClockToISO(local, timeZone) {
  const [d, t] = local.split('T');
  const [y, m, dd] = d.split('-').map(Number);
  const [hh, mi] = t.split(':').map(Number);
  const guess = Date.UTC(y, m - 1, dd, hh, mi);
  let offset = offsetAt(guess, timeZone);
  offset = offsetAt(guess - offset * 60000, timeZone);
  const instant = guess - offset * 60000;
  const real = offsetAt(instant, timeZone);
  const sign = real < 0 ? '-' : '+';
  const abs = Math.abs(real);
  return `${wallClock(timeZone, new Date(instant))}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
