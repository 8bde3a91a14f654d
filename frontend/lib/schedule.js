// Port of backend/domain/schedule.py + days.py + entries.standing/latest + stay.windows/slot_away (pure;
// importable from node). tests/fixtures/schedule_cases.json keeps the two equal.
import {addDays, monthOf, wallClockToISO} from './time.js';

export const KINDS = ['times', 'every_hours', 'per_shift', 'as_needed', 'monthly', 'every_days', 'every_weeks',
  'dates'];
/** Services less often than daily (docs/domain.md, "Periodic services"): one recording per period, no time slots. */
export const PERIODIC = ['monthly', 'every_days', 'every_weeks', 'dates'];
export const PERIOD_PREFIX = 'p:';
export const SHIFTS = {day: [8 * 60, 20 * 60], night: [20 * 60, 24 * 60]};
export const OPENS_BEFORE = 30;

export function parseHHMM(text) {
  if (typeof text !== 'string' || text.length !== 5 || text[2] !== ':') throw new RangeError(String(text));
  const h = Number(text.slice(0, 2));
  const m = Number(text.slice(3));
  if (!Number.isInteger(h) || !Number.isInteger(m) || h < 0 || h >= 24 || m < 0 || m >= 60) {
    throw new RangeError(text);
  }
  return h * 60 + m;
}

export const fmtHHMM = (min) => `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;

/** The slots of one day for a schedule, in time order; 'as_needed' has none. */
export function slots(kind, params, graceMinutes = 60) {
  const p = params || {};
  const timed = (t) => ({key: fmtHHMM(t), start: Math.max(0, t - OPENS_BEFORE), time: t,
    due: Math.min(24 * 60, t + graceMinutes)});
  if (kind === 'times') return p.times.map(parseHHMM).sort((a, b) => a - b).map(timed);
  if (kind === 'every_hours') {
    const out = [];
    for (let t = parseHHMM(p.start ?? '00:00'); t < 24 * 60; t += p.hours * 60) out.push(timed(t));
    return out;
  }
  if (kind === 'per_shift') {
    const chosen = p.shifts ?? Object.keys(SHIFTS);
    return Object.keys(SHIFTS).filter((name) => chosen.includes(name)).map((name) => (
      {key: `shift:${name}`, start: SHIFTS[name][0], time: SHIFTS[name][0], due: SHIFTS[name][1]}));
  }
  return [];
}

const dayNumber = (iso) => { const [y, m, d] = iso.split('-').map(Number); return Date.UTC(y, m - 1, d) / 86400000; };
const lastOfMonth = (dayISO) => addDays(monthOf(addDays(monthOf(dayISO), 31)), -1);

/** The periods of a periodic schedule that begin in the month of dayISO, as [{key, due, end}] (ISO dates); each
 * ends by the month's end. backend/domain/schedule.py `periods`. */
export function periods(kind, params, dayISO) {
  const p = params || {};
  const first = monthOf(dayISO);
  const last = lastOfMonth(dayISO);
  const period = (due, end) => ({key: PERIOD_PREFIX + due, due, end});
  if (kind === 'monthly') {
    const due = p.day ? addDays(first, Math.min(p.day, Number(last.slice(8))) - 1) : first;
    return [period(due, last)];
  }
  if (kind === 'every_days' || kind === 'every_weeks') {
    const step = kind === 'every_days' ? p.days : p.weeks * 7;
    if (p.from > last) return [];
    const k = Math.max(0, Math.ceil((dayNumber(first) - dayNumber(p.from)) / step));
    const out = [];
    for (let due = addDays(p.from, k * step); due <= last; due = addDays(due, step)) {
      const end = addDays(due, step - 1);
      out.push(period(due, end < last ? end : last));
    }
    return out;
  }
  if (kind === 'dates') {
    return [...new Set(p.dates || [])].sort().filter((d) => d >= first && d <= last).map((d) => period(d, d));
  }
  return [];
}

/** The period dayISO lies in (between its due day and its end), or null. */
export const periodOn = (kind, params, dayISO) => periods(kind, params, dayISO)
  .find((x) => x.due <= dayISO && dayISO <= x.end) || null;

/** What a periodic item's recordings belong to: its plan service, or (written by hand) the item itself. */
export const series = (item) => item.plan_service || `#${item.id}`;

function isoWeekday(dayISO) {
  const [y, m, d] = dayISO.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay() || 7;
}

/** Whether an item is scheduled at all on this care day (dates as 'YYYY-MM-DD'). */
export function appliesOn(dayISO, daysOfWeek, validFrom, validTo) {
  if (validFrom && dayISO < validFrom) return false;
  if (validTo && dayISO > validTo) return false;
  return !daysOfWeek || daysOfWeek.length === 0 || daysOfWeek.includes(isoWeekday(dayISO));
}

/** Entries not superseded by another entry in the list. */
export function standing(entries) {
  const superseded = new Set(entries.filter((e) => e.supersedes).map((e) => e.supersedes));
  return entries.filter((e) => !superseded.has(e.id));
}

/** The latest entry by (minute, id); entries carry `minute` = minutes into the day in the home zone. */
export function latest(entries) {
  let best = null;
  for (const e of entries || []) {
    if (!best || e.minute > best.minute || (e.minute === best.minute && e.id > best.id)) best = e;
  }
  return best;
}

const DAY_MINUTES = 24 * 60;

/** Minutes from the start of dayISO to a local 'YYYY-MM-DDTHH:MM' (the home's wall clock: the part of the server's
 * '…T09:00+07:00' before its offset). */
function minutesFrom(dayISO, local) {
  const [d, t] = local.slice(0, 16).split('T');
  const [y, m, dd] = d.split('-').map(Number);
  const [y0, m0, d0] = dayISO.split('-').map(Number);
  const [hh, mm] = (t || '00:00').split(':').map(Number);
  return Math.round((Date.UTC(y, m - 1, dd) - Date.UTC(y0, m0 - 1, d0)) / 60000) + hh * 60 + mm;
}

/**
 * The parts of dayISO she was away, as [start, end) minutes into the day, in order (backend/domain/stay.py
 * `windows`). periods: [[from, until or null]] as the home's local 'YYYY-MM-DDTHH:MM' (the pull's resident rows).
 */
export function awayWindows(periods, dayISO) {
  const out = [];
  for (const [from, until] of periods || []) {
    const a = Math.max(0, minutesFrom(dayISO, from));
    const b = until == null ? DAY_MINUTES : Math.min(DAY_MINUTES, minutesFrom(dayISO, until));
    if (a < b && a < DAY_MINUTES && b > 0) out.push([a, b]);
  }
  return out.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
}

/** Whether a slot whose window is [start, due) overlaps time she was away (then it is not due). */
export const slotAway = (away, start, due) => (away || []).some(([a, b]) => a < Math.max(due, start + 1) && b > start);

/** Cells of one resident's care day: {cells, periodDone} (backend/domain/days.py day_of_resident). The arguments and
 * the result: docs/frontend.md, "lib/schedule.js". */
export function dayOfResident(items, dayEntries, dayISO, nowMinutes, graceMinutes = 60, away = [], periodEntries = []) {
  const cells = [];
  const periodDone = [];
  const byKey = new Map();
  for (const e of standing(dayEntries)) {
    if (e.kind !== 'tick') continue;
    const k = `${e.item_id}|${e.slot ?? ''}`;
    if (!byKey.has(k)) byKey.set(k, []);
    byKey.get(k).push(e);
  }
  const ofItem = new Map(items.map((i) => [i.id, series(i)]));
  const elsewhere = new Map();
  for (const e of standing(periodEntries || [])) {
    if (e.kind !== 'tick' || e.day === dayISO || !ofItem.has(e.item_id)) continue;
    if (!(e.slot || '').startsWith(PERIOD_PREFIX)) continue;
    const k = `${ofItem.get(e.item_id)}|${e.slot}`;
    if (!elsewhere.has(k)) elsewhere.set(k, []);
    elsewhere.get(k).push(e);
  }
  // backend/domain/days.py `_periodic_cell`
  const periodic = (item) => {
    const period = periodOn(item.schedule_kind, item.schedule, dayISO);
    if (!period) return;
    const e = latest(byKey.get(`${item.id}|${period.key}`));
    if (e) {
      cells.push({item_id: item.id, slot: period.key, time: null, state: e.status, entry_id: e.id, late: false});
      return;
    }
    const others = (elsewhere.get(`${series(item)}|${period.key}`) || [])
      .filter((x) => period.due <= x.day && x.day <= period.end);
    if (others.length) {
      const earlier = others.filter((x) => x.day < dayISO);
      if (earlier.length) {
        const byDay = earlier.reduce((a, b) => (a.day > b.day || (a.day === b.day && (a.minute > b.minute
          || (a.minute === b.minute && a.id > b.id))) ? a : b));
        periodDone.push({item_id: item.id, slot: period.key, entry_id: byDay.id, day: byDay.day});
      }
      return;
    }
    const last = dayISO === period.end;
    let state = null;
    if (last && slotAway(away, DAY_MINUTES - 1, DAY_MINUTES)) state = 'away';
    else if (nowMinutes >= DAY_MINUTES) state = last ? 'missing' : null;
    else state = nowMinutes >= 0 ? 'due' : 'upcoming';
    if (state) cells.push({item_id: item.id, slot: period.key, time: null, state, entry_id: null, late: false});
  };
  for (const item of items) {
    if (!appliesOn(dayISO, item.days_of_week, item.valid_from, item.valid_to)) continue;
    if (PERIODIC.includes(item.schedule_kind)) {
      periodic(item);
      continue;
    }
    const itemSlots = slots(item.schedule_kind, item.schedule, graceMinutes);
    if (!itemSlots.length) {
      const recorded = [...(byKey.get(`${item.id}|`) || [])].sort((a, b) => a.minute - b.minute);
      for (const e of recorded) {
        cells.push({item_id: item.id, slot: null, time: null, state: e.status, entry_id: e.id, late: false});
      }
      continue;
    }
    for (const slot of itemSlots) {
      const e = latest(byKey.get(`${item.id}|${slot.key}`));
      const time = fmtHHMM(slot.time);
      if (e) {
        cells.push({item_id: item.id, slot: slot.key, time, state: e.status, entry_id: e.id, late: e.minute > slot.due});
        continue;
      }
      const state = slotAway(away, slot.start, slot.due) ? 'away'
        : nowMinutes >= slot.due ? 'missing' : nowMinutes >= slot.start ? 'due' : 'upcoming';
      cells.push({item_id: item.id, slot: slot.key, time, state, entry_id: null, late: false});
    }
  }
  // Stable sort, as Python's sorted(key=(time or '99:99', item_id)).
  const key = (c) => c.time ?? '99:99';
  return {periodDone, cells: cells.map((c, i) => [c, i]).sort(([a, i], [b, j]) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1
    : a.item_id - b.item_id || i - j)).map(([c]) => c)};
}

// A confirmation covers what has happened by its moment (docs/domain.md "Confirmation";
// tests/fixtures/confirmation_cases.json): made once the day is over, the whole day (locked).
const instant = (s) => Date.parse(/(Z|[+-]\d\d:?\d\d)$/i.test(s) ? s : `${s}Z`);

/** The moment (ms) a care day ends in the home's zone: 00:00 of the next day there. */
export function dayEnd(dayISO, timeZone) {
  return Date.parse(wallClockToISO(`${addDays(dayISO, 1)}T00:00`, timeZone));
}

/** {until: the latest covering confirmation (ms) or null, whole: it was made once the day was over}. */
export function confirmedUntil(confirmations, unitId, residentId, dayISO, timeZone) {
  const mine = confirmations.filter((c) => c.unit_id === unitId && c.day === dayISO
    && (c.resident_id === null || c.resident_id === undefined || c.resident_id === residentId));
  if (!mine.length) return {until: null, whole: false};
  const until = Math.max(...mine.map((c) => instant(c.confirmed_at)));
  return {until, whole: until >= dayEnd(dayISO, timeZone)};
}
