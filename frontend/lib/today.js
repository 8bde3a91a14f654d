// Today's cells for residents, from IndexedDB and lib/schedule.js (shared by the post and resident screens).
import {get, getAllFromIndex} from './db.js';
import {awayWindows, dayOfResident} from './schedule.js';
import {nowMinutes, tz} from './session.js';
import {minutesInto, monthOf} from './time.js';

/** The published card items of a resident for the month of a day. */
export function itemsFor(cards, residentId, dayISO) {
  const card = cards.filter((c) => c.resident_id === residentId && c.month === monthOf(dayISO))
    .sort((a, b) => b.version - a.version)[0];
  return card ? [...card.items].sort((a, b) => (a.position ?? 0) - (b.position ?? 0)) : [];
}

/** An entry of a day with `minute`: minutes into that day in the home zone. */
export const withMinute = (e, dayISO) => ({...e, minute: minutesInto(e.device_time, dayISO, tz())});

/** Entries of a resident's day with `minute` precomputed. */
export async function entriesOf(residentId, dayISO) {
  const list = await getAllFromIndex('entries', 'by_resident_day', [residentId, dayISO]);
  return list.map((e) => withMinute(e, dayISO));
}

/** The day's cells from its items and entries (with `minute`), as of now; `away`: awayWindows() of the day. */
export const cellsOf = (items, entries, dayISO, away = []) =>
  dayOfResident(items, entries, dayISO, nowMinutes(dayISO), 60, away).cells;

/** The parts of the day she was away (hospital, leave, after discharge), from her pulled resident row. */
export const awayOf = (resident, dayISO) => awayWindows(resident && resident.away, dayISO);

/** {cells, items, entries, away} for one resident and day (`resident`: her row, read here when not given). */
export async function residentDay(residentId, dayISO, cards, resident) {
  const [allCards, row] = await Promise.all([cards || getAllFromIndex('cards', 'resident_id', residentId),
    resident || get('residents', residentId)]);
  const items = itemsFor(allCards, residentId, dayISO);
  const entries = await entriesOf(residentId, dayISO);
  const away = awayOf(row, dayISO);
  return {cells: cellsOf(items, entries, dayISO, away), items, entries, away};
}
