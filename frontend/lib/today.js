// Today's cells for residents, from IndexedDB and lib/schedule.js (shared by the post and resident screens).
import {getAll, getAllFromIndex} from './db.js';
import {dayOfResident} from './schedule.js';
import {nowMinutes, tz} from './session.js';
import {minutesInto, monthOf} from './time.js';

/** The published card items of a resident for the month of a day. */
export function itemsFor(cards, residentId, dayISO) {
  const card = cards.filter((c) => c.resident_id === residentId && c.month === monthOf(dayISO))
    .sort((a, b) => b.version - a.version)[0];
  return card ? [...card.items].sort((a, b) => (a.position ?? 0) - (b.position ?? 0)) : [];
}

/** Entries of a resident's day with `minute` precomputed in the home zone. */
export async function entriesOf(residentId, dayISO) {
  const list = await getAllFromIndex('entries', 'by_resident_day', [residentId, dayISO]);
  return list.map((e) => ({...e, minute: minutesInto(e.device_time, dayISO, tz())}));
}

/** {cells, items, entries} for one resident and day. */
export async function residentDay(residentId, dayISO, cards) {
  const allCards = cards || await getAll('cards');
  const items = itemsFor(allCards, residentId, dayISO);
  const entries = await entriesOf(residentId, dayISO);
  const {cells} = dayOfResident(items, entries, dayISO, nowMinutes(dayISO));
  return {cells, items, entries};
}
