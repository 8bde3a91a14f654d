// Home visits on the carer's phone (issue 18): port of backend/domain/visits.py check() and local_flags() and of
// backend/domain/geo.py (distanceM, roundFix, validFix). Same refusals (by code), same flags, same distances; the
// shared cases in tests/fixtures/visit_cases.json keep the two equal (tests/domain/test_visits.py). What needs the
// server (the visit as it stands there, the home code's hash, the assignment, the clocks at a push) is the server's
// alone. Plain ES module without imports: it runs in node and the browser.
//
// A refusal is {code, message, params} like lib/forms.js: `message` is the English text of visits.py MESSAGES; a
// screen translates by `code`.

export const KIND = 'visit';
export const ARRIVED = 'arrived';
export const LEFT = 'left';
export const NO_ACCESS = 'no_access';
/** The events (an entry's status), in the order the phone offers them. */
export const EVENTS = [ARRIVED, LEFT, NO_ACCESS];
/** Why there was no access (an entry's reason). "other" needs a note. */
export const NO_ACCESS_REASONS = ['not_home', 'refused', 'hospital', 'other'];
export const FIX = 'fix';
export const CODE = 'code';
export const NONE = 'none';
/** How presence was shown (values.presence). */
export const PRESENCE = [FIX, CODE, NONE];
/** Why neither a fix nor a code (values.presence_reason). */
export const PRESENCE_REASONS = ['denied', 'unavailable', 'timeout', 'no_code', 'other'];
/** Who confirmed the visit at its end (values.confirmed_by). "nobody" needs a note. */
export const CONFIRMERS = ['person', 'family', 'nobody'];
export const VALUE_KEYS = ['visit_id', 'presence', 'lat', 'lon', 'accuracy_m', 'code_hash', 'presence_reason',
  'confirmed_by', 'duration_reason'];
export const EVENT_KEYS = {
  [ARRIVED]: ['visit_id', 'presence'],
  [LEFT]: ['visit_id', 'presence', 'confirmed_by', 'duration_reason'],
  [NO_ACCESS]: ['visit_id'],
};
export const PRESENCE_KEYS = {[FIX]: ['lat', 'lon', 'accuracy_m'], [CODE]: ['code_hash'], [NONE]: ['presence_reason']};
export const DURATION_REASON_MAX = 500;
/** A person's radius when none is kept, metres. */
export const RADIUS_M = 200;
/** A visit this many minutes or more off its plan needs a duration reason (else: flagged). */
export const DURATION_OFF_MINUTES = 15;
export const DURATION_MAX_HOURS = 24;
/** Flags this module knows (visits.py LOCAL_FLAGS). */
export const LOCAL_FLAGS = ['far', 'no_location', 'duration_off_plan', 'left_without_arrival'];

/** geo.py: the mean Earth radius (metres) and the places a fix is rounded to (1e-4 degree: about 11 m). */
export const EARTH_RADIUS_M = 6371008.8;
export const ROUND_DIGITS = 4;
const SCALE = 10 ** ROUND_DIGITS;
const RAD = Math.PI / 180;

/** English messages by code (visits.py MESSAGES). */
export const MESSAGES = {
  not_visit_field: 'a visit entry has no %(field)s',
  values: 'must name the visit',
  unknown: 'unknown field',
  visit: 'the visit is required',
  option: 'must be one of %(options)s',
  reason: 'a reason is required: one of %(options)s',
  no_reason: 'only a visit without access has a reason',
  note: 'describe the reason in a note',
  not_for_event: 'does not belong to this event',
  required: 'required',
  number: 'must be a number',
  range: 'must be between %(min)s and %(max)s',
  precision: 'must be rounded to %(n)s decimal places',
  negative: 'must not be negative',
  code_hash: 'must be 64 lower-case hexadecimal characters',
  text: 'must be text',
  too_long: 'at most %(n)s characters',
};

function visitError(code, params = {}) {
  const message = MESSAGES[code].replace(/%\((\w+)\)s/g, (m, name) => String(params[name]));
  return {code, message, params};
}

const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);
const isInt = (v) => Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31;
const text = (v) => (typeof v === 'string' ? v.trim() : '');
const isObject = (v) => !!v && typeof v === 'object' && !Array.isArray(v);
const given = (v) => v !== null && v !== undefined;

/** Whether (lat, lon) are finite numbers within the Earth's ranges (geo.py valid_fix). */
export function validFix(lat, lon) {
  return isNumber(lat) && isNumber(lon) && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180;
}

/** A coordinate rounded half away from zero to ROUND_DIGITS places (geo.py round_fix; not Math.round, which
 * rounds negative halves up). */
export function roundFix(value) {
  return (Math.sign(value) * Math.floor(Math.abs(value) * SCALE + 0.5)) / SCALE;
}

/** Python's round() of a non-negative number: halves to even. */
function roundHalfEven(x) {
  const r = Math.round(x);
  return (r - x === 0.5 && r % 2 !== 0) ? r - 1 : r;
}

/** The great-circle distance in metres between two fixes (haversine), rounded to the metre (geo.py distance_m). */
export function distanceM(lat1, lon1, lat2, lon2) {
  const p1 = lat1 * RAD;
  const p2 = lat2 * RAD;
  const dp = p2 - p1;
  const dl = (lon2 - lon1) * RAD;
  const s1 = Math.sin(dp / 2);
  const s2 = Math.sin(dl / 2);
  const a = s1 * s1 + Math.cos(p1) * Math.cos(p2) * s2 * s2;
  return roundHalfEven(2 * EARTH_RADIUS_M * Math.asin(Math.min(1.0, Math.sqrt(a))));
}

/** The fix is far from home: distance > radius + min(accuracy, radius) (visits.py is_far). */
export const isFar = (distance, radius, accuracy) => distance > radius + Math.min(accuracy, radius);

/** What the phone sends for a typed or scanned home code: sha256 of "<salt>:<code>" (the code trimmed), lower-case
 * hex (visits.py code_hash). A promise. */
export async function codeHash(salt, code) {
  const data = new TextEncoder().encode(`${salt}:${String(code).trim()}`);
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', data));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

const isCodeHash = (v) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);

function checkCoordinate(errors, values, key, low, high) {
  const value = values[key];
  const field = `values.${key}`;
  if (!given(value)) errors[field] = visitError('required');
  else if (!isNumber(value)) errors[field] = visitError('number');
  else if (value < low || value > high) errors[field] = visitError('range', {min: low, max: high});
  else if (roundFix(value) !== value) errors[field] = visitError('precision', {n: ROUND_DIGITS});
}

function checkPresence(errors, values, presence) {
  if (presence === FIX) {
    checkCoordinate(errors, values, 'lat', -90, 90);
    checkCoordinate(errors, values, 'lon', -180, 180);
    const accuracy = values.accuracy_m;
    if (!given(accuracy)) errors['values.accuracy_m'] = visitError('required');
    else if (!isNumber(accuracy)) errors['values.accuracy_m'] = visitError('number');
    else if (accuracy < 0) errors['values.accuracy_m'] = visitError('negative');
  } else if (presence === CODE) {
    if (!given(values.code_hash)) errors['values.code_hash'] = visitError('required');
    else if (!isCodeHash(values.code_hash)) errors['values.code_hash'] = visitError('code_hash');
  } else if (!PRESENCE_REASONS.includes(values.presence_reason)) {
    errors['values.presence_reason'] = visitError('option', {options: PRESENCE_REASONS.join(', ')});
  }
}

/** {field: {code, message, params}} for a visit entry by itself (empty when it fits): visits.py check(). A value of
 * null (or undefined) counts as absent. */
export function check(entry) {
  const errors = {};
  for (const name of ['item_id', 'slot', 'category']) {
    if (given(entry[name])) errors[name] = visitError('not_visit_field', {field: name});
  }
  let values = entry.values;
  if (!isObject(values)) {
    errors.values = visitError('values');
    values = {};
  }
  for (const key of Object.keys(values)) {
    if (!VALUE_KEYS.includes(key)) errors[`values.${key}`] = visitError('unknown');
  }
  if (!isInt(values.visit_id) || values.visit_id <= 0) errors['values.visit_id'] = visitError('visit');
  const status = entry.status;
  if (!EVENTS.includes(status)) {
    errors.status = visitError('option', {options: EVENTS.join(', ')});
    return errors;
  }
  const note = text(entry.note);
  const reason = entry.reason;
  const allowed = new Set(EVENT_KEYS[status]);
  if (status === NO_ACCESS) {
    if (!NO_ACCESS_REASONS.includes(reason)) {
      errors.reason = visitError('reason', {options: NO_ACCESS_REASONS.join(', ')});
    } else if (reason === 'other' && !note) {
      errors.note = visitError('note');
    }
  } else {
    if (given(reason)) errors.reason = visitError('no_reason');
    const presence = values.presence;
    if (!PRESENCE.includes(presence)) {
      errors['values.presence'] = visitError('option', {options: PRESENCE.join(', ')});
      for (const keys of Object.values(PRESENCE_KEYS)) keys.forEach((k) => allowed.add(k));
    } else {
      PRESENCE_KEYS[presence].forEach((k) => allowed.add(k));
      checkPresence(errors, values, presence);
    }
  }
  if (status === LEFT) {
    const confirmedBy = values.confirmed_by;
    if (!CONFIRMERS.includes(confirmedBy)) {
      errors['values.confirmed_by'] = visitError('option', {options: CONFIRMERS.join(', ')});
    } else if (confirmedBy === 'nobody' && !note) {
      errors.note = visitError('note');
    }
    const durationReason = values.duration_reason;
    if (given(durationReason)) {
      if (typeof durationReason !== 'string') {
        errors['values.duration_reason'] = visitError('text');
      } else if ([...durationReason].length > DURATION_REASON_MAX) {  // code points, as Python's len()
        errors['values.duration_reason'] = visitError('too_long', {n: DURATION_REASON_MAX});
      }
    }
  }
  for (const [key, value] of Object.entries(values)) {
    if (VALUE_KEYS.includes(key) && !allowed.has(key) && given(value)) {
      errors[`values.${key}`] = visitError('not_for_event');
    }
  }
  return errors;
}

/** Milliseconds since the epoch of a device_time with its offset (Z or ±hh:mm); null without one (a time without
 * an offset means nothing to the server either). */
function timeOf(value) {
  if (typeof value !== 'string' || !/(?:Z|[+-]\d\d:\d\d)$/.test(value)) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}

/** Seconds from her arrival to `entry` by the phone's clock, or null. */
function secondsAfter(entry, arrival) {
  const start = timeOf(arrival.device_time);
  const end = timeOf(entry.device_time);
  return start === null || end === null ? null : (end - start) / 1000;
}

/**
 * The flags the phone can know itself (visits.py local_flags), for a visit entry that passes check(): {flag: detail}.
 * visit: {planned_minutes}; person: {lat, lon, radius_m} (no location kept: no "far"; radius null: RADIUS_M);
 * arrival: her standing arrival at the same visit, or null.
 * - far: {distance_m, radius_m, accuracy_m}: a fix (arrived or left) farther than isFar allows;
 * - no_location: {presence_reason}: arrived or left with presence "none";
 * - left_without_arrival: true;
 * - duration_off_plan: {minutes, planned_minutes}: a left DURATION_OFF_MINUTES or more off plan, with no reason.
 */
export function localFlags(entry, visit, person, arrival) {
  const out = {};
  const status = entry.status;
  if (status !== ARRIVED && status !== LEFT) return out;
  const values = entry.values || {};
  const presence = values.presence;
  if (presence === FIX && person && validFix(person.lat, person.lon)) {
    const radius = given(person.radius_m) ? person.radius_m : RADIUS_M;
    const distance = distanceM(person.lat, person.lon, values.lat, values.lon);
    if (isFar(distance, radius, values.accuracy_m)) {
      out.far = {distance_m: distance, radius_m: radius, accuracy_m: values.accuracy_m};
    }
  } else if (presence === NONE) {
    out.no_location = {presence_reason: given(values.presence_reason) ? values.presence_reason : null};
  }
  if (status === LEFT) {
    if (!arrival) {
      out.left_without_arrival = true;
    } else {
      const planned = visit ? visit.planned_minutes : null;
      const seconds = secondsAfter(entry, arrival);
      if (isInt(planned) && seconds !== null && !text(values.duration_reason)
          && Math.abs(seconds - planned * 60) >= DURATION_OFF_MINUTES * 60) {
        out.duration_off_plan = {minutes: Math.floor(seconds / 60), planned_minutes: planned};
      }
    }
  }
  return out;
}
