// A resident's care day as a model, no DOM or IndexedDB (docs/sync.md, "The resident's day"; tests/js/run_day.mjs).
import {appliesOn, confirmedUntil, dayOfResident, standing} from './schedule.js';
import {minutesInto, monthOf} from './time.js';

export const STATES = ['done', 'not_done', 'missing', 'due', 'upcoming', 'away'];

/** Her published card's items for the day's month, in order. */
export function itemsFor(cards, residentId, dayISO) {
  const card = cards.filter((c) => c.resident_id === residentId && c.month === monthOf(dayISO))
    .sort((a, b) => b.version - a.version)[0];
  return card ? [...card.items].sort((a, b) => (a.position ?? 0) - (b.position ?? 0)) : [];
}

/** Cells by state, and late ones, as the server counts them. */
export function countsOf(cells) {
  const out = {done: 0, not_done: 0, missing: 0, due: 0, upcoming: 0, away: 0, late: 0};
  for (const c of cells) {
    if (c.state in out) out[c.state] += 1;
    if (c.late) out.late += 1;
  }
  return out;
}

const minuted = (e, at) => ({...e, minute: minutesInto(e.device_time, at.day, at.tz)});
const itemTexts = new WeakMap();
const itemText = (item) => {
  let text = itemTexts.get(item);
  if (text === undefined) itemTexts.set(item, text = JSON.stringify(item));
  return text;
};
const NO_ITEM = {title: '?'};

/** at: {residentId, unitId, day, tz, now(day), flagsOf(values)}; read: {items, entries, away, staff, confirmations,
 * rejected (a Set)}. */
export function dayOf(at, read) {
  return new Day(at, read, (read.entries || []).map((e) => minuted(e, at)));
}

// An entry of another day of the month, its minute counted in its own day (a periodic item's recording).
const ownDay = (e, at) => ({...e, minute: minutesInto(e.device_time, e.day, at.tz)});

class Day {
  constructor(at, read, entries) {
    this.at = at;
    this.read = read;
    this.entries = entries;
    if (!read.periodMinuted) read.periodMinuted = (read.periodEntries || []).map((e) => ownDay(e, at));
    const result = dayOfResident(read.items || [], entries, at.day, at.now(at.day), 60, read.away || [],
      read.periodMinuted);
    this.cells = result.cells;
    this.periodDone = result.periodDone;
  }

  /** A new day with entries just stored; null if none is hers today. */
  with(recorded) {
    const {residentId, day} = this.at;
    const here = recorded.filter((e) => e.resident_id === residentId && e.day === day);
    if (!here.length) return null;
    const ids = new Set(here.map((e) => e.id));
    return new Day(this.at, this.read, [...this.entries.filter((e) => !ids.has(e.id)),
      ...here.map((e) => minuted({...e, synced: false}, this.at))]);
  }

  get counts() { return this._counts || (this._counts = countsOf(this.cells)); }
  get open() { return this.cells.filter((c) => c.state === 'due' || c.state === 'missing'); }
  entry(id) {
    if (!this._byId) this._byId = new Map(this.entries.map((e) => [e.id, e]));
    return this._byId.get(id) || null;
  }
  get staff() { return this._staff || (this._staff = new Map((this.read.staff || []).map((s) => [s.id, s.full_name]))); }
  held(id) { return !!this.read.rejected && this.read.rejected.has(id); }
  /** The latest confirmation covering her day, or null; `whole`: made once the day was over, so the day is locked
   * (docs/domain.md, Confirmation: one made during the day leaves the slots ahead open). */
  get confirmation() {
    if (this._confirmation === undefined) {
      const {unitId, residentId, day, tz} = this.at;
      const list = this.read.confirmations || [];
      const {until, whole} = confirmedUntil(list, unitId, residentId, day, tz);
      const latest = until === null ? null : list.filter((c) => c.unit_id === unitId && c.day === day
        && (c.resident_id == null || c.resident_id === residentId)).sort((a, b) => b.seq - a.seq)[0];
      this._confirmation = latest && {...latest, whole};
    }
    return this._confirmation;
  }

  /** The confirmation that locks her day (made once it was over), or null. */
  get lock() { return this.confirmation && this.confirmation.whole ? this.confirmation : null; }

  /** {key, cell, item, entry, sig} per cell, then {key, item, periodDone, entry, sig} per periodic item done earlier in
   * its period, then {key, item, asNeeded, sig} per as-needed item; sig: what it shows. */
  get rows() {
    if (this._rows) return this._rows;
    const items = new Map((this.read.items || []).map((i) => [i.id, i]));
    const locked = !!this.lock;
    const rows = this.cells.map((cell) => {
      const item = items.get(cell.item_id) || NO_ITEM;
      const e = cell.entry_id ? this.entry(cell.entry_id) : null;
      return {key: `cell-${cell.item_id}-${cell.slot ?? cell.entry_id}`, cell, item, entry: e,
        sig: JSON.stringify([cell, itemText(item), locked, e && [e.status, e.reason, e.note, e.synced, e.device_time,
          e.author_id, this.staff.get(e.author_id), this.held(e.id)]])};
    });
    // A periodic item done on an earlier day of its period: shown done for the period, not offered again.
    const earlier = new Map((this.read.periodMinuted || []).map((e) => [e.id, e]));
    for (const done of this.periodDone || []) {
      const item = items.get(done.item_id) || NO_ITEM;
      const e = earlier.get(done.entry_id) || null;
      rows.push({key: `period-${done.item_id}-${done.slot}`, item, periodDone: done, entry: e,
        sig: JSON.stringify([done, itemText(item),
          e && [e.status, e.reason, e.author_id, this.staff.get(e.author_id)]])});
    }
    for (const item of this.read.items || []) {
      if (item.schedule_kind !== 'as_needed' || !appliesOn(this.at.day, item.days_of_week, item.valid_from, item.valid_to)) continue;
      rows.push({key: `asneeded-${item.id}`, item, asNeeded: true, sig: JSON.stringify([itemText(item), locked])});
    }
    return (this._rows = rows);
  }

  /** Standing entries but ticks, latest first. */
  get records() {
    return this._records || (this._records = standing(this.entries).filter((e) => e.kind !== 'tick')
      .sort((a, b) => b.minute - a.minute));
  }

  /** Vital-sign flags: the tablet's rules until synced, then the server's. */
  flags(e) {
    if (e.synced || e.kind !== 'vitals' || !this.at.flagsOf) return e.flags || null;
    return this.at.flagsOf(e.values) || null;
  }
}
