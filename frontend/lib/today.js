// A resident's day read from IndexedDB for the model in lib/day.js (the post and resident screens).
import {get, getAllFromIndex} from './db.js';
import {dayOf, itemsFor} from './day.js';
import {PERIODIC, awayWindows} from './schedule.js';
import {monthOf} from './time.js';
import {nowMinutes, tz} from './session.js';

/** Where and when a day is, for lib/day.js dayOf (`more`: flagsOf...). */
export const dayAt = (residentId, unitId, day, more) => ({residentId, unitId, day, tz: tz(), now: nowMinutes, ...more});

/** {items, entries, away, periodEntries} of one resident's day (`cards`, `resident`: read when not given);
 * periodEntries: the month's earlier days', only for a periodic item (docs/domain.md, "Periodic services"). */
export async function readDay(residentId, dayISO, cards, resident) {
  const [allCards, row, entries] = await Promise.all([cards || getAllFromIndex('cards', 'resident_id', residentId),
    resident || get('residents', residentId), getAllFromIndex('entries', 'by_resident_day', [residentId, dayISO])]);
  const items = itemsFor(allCards, residentId, dayISO);
  const first = monthOf(dayISO);
  const periodEntries = first < dayISO && items.some((i) => PERIODIC.includes(i.schedule_kind))
    ? await getAllFromIndex('entries', 'by_resident_day', IDBKeyRange.bound([residentId, first], [residentId, dayISO],
      false, true)) : [];
  return {items, entries, away: awayWindows(row && row.away, dayISO), periodEntries};
}

/** Her day as a lib/day.js model, read now (the post screen's counts). */
export const residentDay = async (resident, dayISO, cards) =>
  dayOf(dayAt(resident.id, resident.unit_id, dayISO), await readDay(resident.id, dayISO, cards, resident));
