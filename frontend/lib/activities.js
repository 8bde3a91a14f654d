// The activity timetable's rules on the tablet: the same results as backend/domain/activity_schedule.py
// (occurrences, programme lines) and backend/domain/attendance.py (the attendance that stands, residents without
// social occupation for seven days); tests/fixtures/activity_cases.json keeps the two equal
// (tests/domain/test_activity_conformance.py).
import {addDays} from './time.js';

export const IDLE_DAYS = 7;
export const TOOK_PART = ['active', 'passive'];
/** The directions that are social occupation (leisure and socially useful activity, source 000): what the
 * seven-day flag counts. backend/domain/attendance.py SOCIAL_OCCUPATION (docs/domain.md "Figures"); medical and
 * psychological activities do not count. */
export const SOCIAL_OCCUPATION = ['physical_health', 'cultural_leisure', 'educational', 'work_therapy'];

/** The direction of an activity: `directions` is a Map (activity id -> direction, or -> the activity with its
 * direction) or a plain object keyed by id. */
function directionOf(directions, activityId) {
  const held = directions instanceof Map ? directions.get(activityId) : (directions || {})[activityId];
  return held && typeof held === 'object' ? held.direction : held;
}

/** Did this attendance engage her in social occupation: took part in an activity of a SOCIAL_OCCUPATION direction? */
export const inSocialOccupation = (e, directions) => TOOK_PART.includes(e.status)
  && SOCIAL_OCCUPATION.includes(directionOf(directions, (e.values || {}).activity_id));

/** ISO weekday (1 = Monday) of 'YYYY-MM-DD'. */
export const isoWeekday = (iso) => ((new Date(`${iso}T12:00:00Z`).getUTCDay() + 6) % 7) + 1;
export const inRange = (day, from, to) => !(from && day < from) && !(to && day > to);

const toMinutes = (hhmm) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const hhmm = (m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const endOf = (start, minutes) => hhmm(Math.min(24 * 60, toMinutes(start) + (minutes || 0)));

/** The dates a timetable line occurs on between start and end (both included). */
export function sessionDates(session, start, end) {
  if (session.kind === 'event') {
    const day = session.on_date;
    return day && start <= day && day <= end && inRange(day, session.valid_from, session.valid_to) ? [day] : [];
  }
  if (!session.weekday) return [];
  const out = [];
  let day = addDays(start, (session.weekday - isoWeekday(start) + 7) % 7);
  while (day <= end) {
    if (inRange(day, session.valid_from, session.valid_to)) out.push(day);
    day = addDays(day, 7);
  }
  return out;
}

/** The timetable's occurrences between start and end in date/time order (unitId: whole-home and that unit's). */
export function occurrences(sessions, changes, start, end, unitId = null) {
  const byKey = new Map(changes.map((c) => [`${c.session_id}|${c.on_date}`, c]));
  const out = [];
  for (const s of sessions) {
    if (unitId !== null && unitId !== undefined && ![null, undefined, unitId].includes(s.unit_id)) continue;
    for (const day of sessionDates(s, start, end)) {
      const change = byKey.get(`${s.id}|${day}`);
      let startTime = s.start_time;
      let place = s.place || s.activity_place || '';
      let cancelled = false;
      let changed = false;
      let note = null;
      let original = null;
      if (change) {
        note = change.note || null;
        cancelled = !!change.cancelled;
        if (!cancelled) {
          if (change.start_time && change.start_time !== startTime) {
            [original, startTime, changed] = [startTime, change.start_time, true];
          }
          if (change.place && change.place !== place) [place, changed] = [change.place, true];
        }
      }
      out.push({session_id: s.id, activity_id: s.activity_id, date: day, start_time: startTime,
        end_time: endOf(startTime, s.duration_minutes), duration_minutes: s.duration_minutes ?? null, place,
        unit_id: s.unit_id ?? null, kind: s.kind, title: s.kind === 'event' ? (s.title ?? null) : null,
        staff_id: s.staff_id ?? null, cancelled, changed, original_start_time: original, note});
    }
  }
  return out.sort((a, b) => a.date.localeCompare(b.date) || a.start_time.localeCompare(b.start_time)
    || a.session_id - b.session_id);
}

/** Whether a programme line is in force on this day and falls on one of its weekdays. */
export const programmeApplies = (item, day) => inRange(day, item.valid_from, item.valid_to)
  && (!item.weekdays || !item.weekdays.length || item.weekdays.includes(isoWeekday(day)));

/** An attendance's occurrence: resident, day and the session (or the activity, outside the timetable). */
export function occurrenceKey(e) {
  const v = e.values || {};
  return `${e.resident_id}|${e.day}|${v.session_id !== null && v.session_id !== undefined ? `s${v.session_id}` : `a${v.activity_id}`}`;
}

/** {occurrence key: the attendance that stands}: not superseded, then the latest by the tablet's clock, then id. */
export function standingByOccurrence(entries) {
  const attendance = entries.filter((e) => e.kind === 'attendance');
  const superseded = new Set(attendance.map((e) => e.supersedes).filter(Boolean));
  const out = new Map();
  for (const e of attendance) {
    if (superseded.has(e.id)) continue;
    const key = occurrenceKey(e);
    const held = out.get(key);
    const later = !held || String(e.device_time) > String(held.device_time)
      || (String(e.device_time) === String(held.device_time) && e.id > held.id);
    if (later) out.set(key, e);
  }
  return out;
}

/** Residents who took part in no social occupation in the `days` days ending today, in the given order, with the
 * last day they did (any time before) or null. directions: the home's activities' directions (directionOf). */
export function idle(residentIds, entries, today, directions, days = IDLE_DAYS) {
  const since = addDays(today, -(days - 1));
  const last = new Map();
  for (const e of standingByOccurrence(entries).values()) {
    if (!inSocialOccupation(e, directions) || e.day > today) continue;
    if (!last.has(e.resident_id) || e.day > last.get(e.resident_id)) last.set(e.resident_id, e.day);
  }
  return residentIds.filter((rid) => !last.has(rid) || last.get(rid) < since)
    .map((rid) => ({resident_id: rid, last_day: last.get(rid) ?? null}));
}
