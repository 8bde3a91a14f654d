// The words and marks of the station head's screen (views/dispatch.js, issue 18): where a visit stands on the board,
// its flags, what keeps it from being verified, alarms' kinds and steps; and the week's calendar arithmetic. Pure:
// no DOM, no requests. Every state has a mark of its own beside its words (never colour alone).
import {format, formatDate, formatDateTime, formatTime, gettext} from './i18n.js';
import {addDays} from './time.js';

/** The board's states (backend/domain/visit_board.py STATES), in the order the counts show them. */
export const STATES = ['planned', 'on_phone', 'arrived', 'left', 'no_access', 'late', 'phone_silent', 'missed',
  'cancelled'];
/** A mark per state, shown with its words. */
export const STATE_MARK = {planned: '○', on_phone: '◔', arrived: '●', left: '✓', no_access: '⊘', late: '◷',
  phone_silent: '⚠', missed: '✗', cancelled: '⊖'};
/** States that need the dispatcher now (drawn as warnings). */
export const ATTENTION = ['no_access', 'late', 'phone_silent', 'missed'];

export function stateLabel(state) {
  return ({planned: gettext('visit planned'), on_phone: gettext('on the carer\'s phone'),
    arrived: gettext('carer arrived'), left: gettext('carer left'), no_access: gettext('no access to her home'),
    late: gettext('carer late'), phone_silent: gettext('carer\'s phone silent'), missed: gettext('visit missed'),
    cancelled: gettext('visit cancelled')})[state] || state;
}

/** A moment of the board's day as hh:mm, another day's with its date (the home's clock: lib/i18n.js). */
export function momentText(iso, day) {
  if (!iso) return '';
  const sameDay = formatDate(iso, {year: 'numeric', month: '2-digit', day: '2-digit'})
    === formatDate(day, {year: 'numeric', month: '2-digit', day: '2-digit'});
  return sameDay ? formatTime(iso) : formatDateTime(iso);
}

/** Where a visit stands, in words with its time: "carer's phone silent since 07:40". */
export function stateText(visit, day) {
  const label = stateLabel(visit.state);
  const time = momentText(visit.since, day);
  if (visit.state === 'phone_silent') {
    return time ? format(gettext('carer\'s phone silent since %(time)s'), {time})
      : gettext('carer\'s phone silent: never synced');
  }
  if (!time || visit.state === 'planned') return label;
  return format(gettext('%(state)s · %(time)s'), {state: label, time});
}

/** A visit entry's flag (backend/domain/visits.py FLAGS) in words. */
export function flagText(flag) {
  return ({far: gettext('far from her home'), no_location: gettext('no location'),
    wrong_code: gettext('wrong home code'), clock_off: gettext('phone clock off'),
    not_assigned: gettext('not the assigned carer'), second_arrival: gettext('second arrival'),
    duration_off_plan: gettext('duration off plan'), cancelled_visit: gettext('entry for a cancelled visit'),
    left_without_arrival: gettext('left without arrival')})[flag] || flag;
}

/** What a visit lacks to be verified (visit_board.py ELEMENTS). */
export function missingText(element) {
  return ({service: gettext('a service done'), person: gettext('the person'), day: gettext('the day'),
    location: gettext('the location'), carer: gettext('a signed carer'),
    times: gettext('arrival and departure times')})[element] || element;
}

export function verificationText(check) {
  if (!check) return '';
  if (check.verified) return gettext('verified');
  return format(gettext('not verified: lacks %(what)s'), {what: check.missing.map(missingText).join(', ')});
}

/** Who accepted the carer's reason for showing no location, when (with the home's offset) and why; '' if nobody. */
export function acceptedText(visit) {
  if (!visit || !visit.location_accepted) return '';
  return format(gettext('Location accepted by %(name)s, %(time)s: %(reason)s'), {
    name: visit.location_accepted_by_name || '', time: formatDateTime(visit.location_accepted_at),
    reason: visit.location_accepted_reason || ''});
}

/** A mark per alarm kind (plain symbols the tablets' fonts have: no emoji). */
export const ALARM_KIND_MARK = {sos: '✆', fall: '↓', smoke: '≋', gas: '⚠', water: '≈', door: '⌂', bed: '▭',
  bracelet: '◯'};

export function alarmKindText(kind) {
  return ({sos: gettext('SOS button'), fall: gettext('fall'), smoke: gettext('smoke'), gas: gettext('gas'),
    water: gettext('water leak'), door: gettext('door'), bed: gettext('bed sensor'),
    bracelet: gettext('bracelet')})[kind] || kind;
}

/** The steps a handler records (homecare_codes.ALARM_STEPS without "closed": the close has its own dialog). */
export const ALARM_STEPS = ['acknowledged', 'family_told', 'emergency_called', 'carer_sent'];

export function alarmStepText(step) {
  return ({acknowledged: gettext('acknowledged'), family_told: gettext('family told'),
    emergency_called: gettext('emergency called'), carer_sent: gettext('carer sent'),
    closed: gettext('closed')})[step] || step;
}

/** Why generation made no visit (api/visit_schemas.py SkippedSchema reasons). */
export function skippedText(reason) {
  return ({past: gettext('days already past'), no_card: gettext('no published care card'),
    no_timed_items: gettext('no item with a time of day'), exists: gettext('already planned'),
    cancelled: gettext('cancelled before')})[reason] || reason;
}

/** The Monday of a day's week ('YYYY-MM-DD'). */
export function mondayOf(dayISO) {
  const [y, m, d] = dayISO.split('-').map(Number);
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();  // 0 Sunday
  return addDays(dayISO, -((weekday + 6) % 7));
}

/** 'HH:MM' plus minutes, on a 24-hour clock face. */
export function endTime(start, minutes) {
  const [hh, mm] = start.split(':').map(Number);
  const total = (((hh * 60 + mm + (minutes || 0)) % 1440) + 1440) % 1440;
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}
