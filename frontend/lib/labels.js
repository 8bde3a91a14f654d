// Server codes -> translated labels. Every label is a gettext literal so the extractor finds it. The labels only
// screens outside the nurse's app show: lib/office_labels.js.
import {gettext} from './i18n.js';

export const table = (fn) => (code) => fn()[code] ?? code ?? '';

export const statusLabel = table(() => ({done: gettext('Done'), not_done: gettext('Not done')}));

export const cellStateLabel = table(() => ({
  done: gettext('Done'), not_done: gettext('Not done'), missing: gettext('Missed'), due: gettext('Due now'),
  upcoming: gettext('Later'), recorded: gettext('Recorded'), away: gettext('Away: not due'),
}));

/** The icon beside each cell state (the resident's day and the supervisor's grid). */
export const STATE_ICON = {done: '✓', not_done: '✗', missing: '!', due: '●', upcoming: '○', away: '–'};

/** Where a resident's stay stands (backend/domain/stay.py STATUSES). */
export const stayLabel = table(() => ({
  present: gettext('In the home'), away: gettext('Away from the home'), discharged: gettext('Discharged'),
  deceased: gettext('Deceased'),
}));

export const REASONS = ['asleep', 'refused', 'absent', 'hospital', 'not_needed', 'other'];
export const reasonLabel = table(() => ({
  asleep: gettext('Asleep'), refused: gettext('Refused'), absent: gettext('Absent from the unit'),
  hospital: gettext('In hospital'), not_needed: gettext('Not needed today'), other: gettext('Other reason'),
}));

export const CONDITION_CATEGORIES = ['acute_illness', 'after_hospital', 'fall', 'mobility_decline',
  'weight_or_appetite', 'mental_or_behaviour', 'social_status', 'skin', 'improvement', 'other'];
export const conditionLabel = table(() => ({
  acute_illness: gettext('Acute illness'), after_hospital: gettext('After hospital or surgery'),
  fall: gettext('Fall'), mobility_decline: gettext('Stopped getting up / mobility decline'),
  weight_or_appetite: gettext('Weight or appetite loss'), mental_or_behaviour: gettext('Mental state or behaviour'),
  social_status: gettext('Change in social status'),
  skin: gettext('Skin / pressure injury'), improvement: gettext('Improvement'), other: gettext('Other change'),
}));

/** Categories of service recipient (004 §1.1; backend/domain/recipients.py, in the regulation's order; labels:
 * lib/office_labels.js). Kept here with POSTS: tests/test_shared_lists.py reads both from this file. */
export const RECIPIENT_CATEGORIES = ['mental_disorder', 'disability', 'low_mobility', 'geriatric', 'palliative'];

export const measureLabel = table(() => ({
  bp_systolic: gettext('Blood pressure, upper'), bp_diastolic: gettext('Blood pressure, lower'),
  pulse: gettext('Pulse'), temperature: gettext('Temperature'), spo2: gettext('Oxygen saturation (SpO₂)'),
  respiratory_rate: gettext('Breathing rate'), glucose: gettext('Blood glucose'),
}));
export const unitLabel = table(() => ({
  'mmHg': gettext('mmHg'), '/min': gettext('/min'), '°C': gettext('°C'), '%': gettext('%'),
  'mmol/L': gettext('mmol/L'),
}));
export const flagLabel = table(() => ({low: gettext('below normal'), high: gettext('above normal')}));

export const scheduleKindLabel = table(() => ({
  times: gettext('At fixed times'), every_hours: gettext('Every few hours'), per_shift: gettext('Once per shift'),
  as_needed: gettext('As needed'), monthly: gettext('Monthly'), every_days: gettext('Every few days'),
  every_weeks: gettext('Every few weeks'), dates: gettext('On given dates'),
}));
export const shiftLabel = table(() => ({day: gettext('Day shift'), night: gettext('Night shift')}));

export const roleLabel = table(() => ({
  nurse: gettext('Nurse'), supervisor: gettext('Shift supervisor'), planner: gettext('Care planner'),
  activities: gettext('Activity organiser'), admin: gettext('Administrator'), relative: gettext('Relative'),
  inspector: gettext('Inspector'),
}));

/** Staff posts («должность»; backend/domain/posts.py, in its order; labels: lib/office_labels.js). */
export const POSTS = ['junior_nurse', 'sitter', 'ward_nurse', 'feldsher', 'head_of_unit', 'physician',
  'social_rehabilitation_specialist', 'psychologist', 'work_instructor', 'exercise_instructor', 'librarian',
  'social_worker', 'activity_organiser', 'administrator', 'inspector'];

export const kindLabel = table(() => ({
  tick: gettext('Care item'), vitals: gettext('Vital signs'), note: gettext('Note'),
  condition: gettext('Change in condition'), assessment: gettext('Assessment'),
}));

/** Why the server refused a pushed entry. */
export const rejectionLabel = table(() => ({
  id_conflict: gettext('Another entry already has this number.'),
  unknown_resident: gettext('The resident is not on your unit any more.'),
  unknown_author: gettext('The author may not record on this unit.'),
  day_out_of_range: gettext('The care day is too far from today.'),
  unknown_item: gettext('The item is no longer on the care card.'),
  invalid: gettext('Some values were not accepted.'),
  superseded_unknown: gettext('The corrected entry was not found.'),
  superseded_mismatch: gettext('The correction does not match the original entry.'),
  not_own_entry: gettext('Only the author can correct an entry.'),
  not_permitted: gettext('Your role may not record this kind of entry.'),
  // a push refused or failed as a whole, down to this one entry sent alone (lib/outbox.js)
  validation_error: gettext('Some values were not accepted.'),
  server_error: gettext('The server failed on this entry each time it was sent.'),
  request_entity_too_large: gettext('The entry is too large for the server.'),
}));

/** 1..4 -> I..IV */
export const roman = (n) => ['', 'I', 'II', 'III', 'IV', 'V', 'VI'][n] || String(n ?? '');
