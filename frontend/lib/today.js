// Today's cells for residents, from IndexedDB and lib/schedule.js (shared by the post and resident screens).
import {getAllFromIndex} from './db.js';
import {dayOfResident} from './schedule.js';
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

/** The day's cells from its items and entries (with `minute`), as of now. */
export const cellsOf = (items, entries, dayISO) => dayOfResident(items, entries, dayISO, nowMinutes(dayISO)).cells;

/** {cells, items, entries} for one resident and day. */
export async function residentDay(residentId, dayISO, cards) {
  const allCards = cards || await getAllFromIndex('cards', 'resident_id', residentId);
  const items = itemsFor(allCards, residentId, dayISO);
  const entries = await entriesOf(residentId, dayISO);
  return {cells: cellsOf(items, entries, dayISO), items, entries};
}
