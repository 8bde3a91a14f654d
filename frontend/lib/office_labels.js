// Server codes -> translated labels that only screens outside the nurse's app show (stays, care cards and plans,
// staff posts, care groups): apart from lib/labels.js so her app does not load them. Every label a gettext literal.
import {format, gettext} from './i18n.js';
import {roman, table} from './labels.js';

/** An event of a resident's stay (backend/domain/stay.py KINDS). */
export const stayEventLabel = table(() => ({
  admission: gettext('Admitted'), details: gettext('Details changed'), move: gettext('Moved'),
  absence: gettext('Left (temporary absence)'), return: gettext('Returned'), discharge: gettext('Discharged'),
  death: gettext('Died'), readmission: gettext('Admitted again'),
}));
export const ABSENCES = ['hospital', 'leave', 'other'];
export const absenceLabel = table(() => ({hospital: gettext('hospital'), leave: gettext('leave'), other: gettext('other')}));

/** Categories of service recipient (the list: lib/labels.js RECIPIENT_CATEGORIES). */
export const recipientLabel = table(() => ({
  mental_disorder: gettext('Mental disorder, incl. dementia'), disability: gettext('Disability'),
  low_mobility: gettext('Low mobility'), geriatric: gettext('Geriatric'), palliative: gettext('Palliative'),
}));

export const CARD_CATEGORIES = ['hygiene', 'nutrition', 'mobility', 'vitals', 'medication', 'elimination',
  'leisure', 'other'];
export const categoryLabel = table(() => ({
  hygiene: gettext('Hygiene'), nutrition: gettext('Nutrition and fluids'),
  mobility: gettext('Mobility and repositioning'), vitals: gettext('Vital signs'),
  medication: gettext('Medication assistance'), elimination: gettext('Elimination'), leisure: gettext('Leisure'),
  other: gettext('Other'),
}));

export const MEASURES = ['bp_systolic', 'bp_diastolic', 'pulse', 'temperature', 'spo2', 'respiratory_rate', 'glucose'];
/** Staff posts («должность»; the list: lib/labels.js POSTS). */
export const postLabel = table(() => ({
  junior_nurse: gettext('Junior nurse'), sitter: gettext('Sitter'), ward_nurse: gettext('Ward nurse'),
  feldsher: gettext('Feldsher'), head_of_unit: gettext('Head of unit'), physician: gettext('Physician'),
  social_rehabilitation_specialist: gettext('Social-rehabilitation specialist'),
  psychologist: gettext('Psychologist'), work_instructor: gettext('Work instructor'),
  exercise_instructor: gettext('Exercise-therapy instructor'), librarian: gettext('Librarian'),
  social_worker: gettext('Social worker'), activity_organiser: gettext('Activity organiser'),
  administrator: gettext('Administrator'), inspector: gettext('Inspector'),
}));

export const cardStatusLabel = table(() => ({draft: gettext('Draft'), published: gettext('Published'),
  closed: gettext('Closed')}));

/** The six sections of the individual care plan (appendix 5), in order. */
export const PLAN_SECTIONS = ['communication', 'mobility', 'nutrition', 'vitals', 'sleep_leisure', 'safety'];
// The titles of the source (forms.md §e.3); the Russian catalog holds the source's words.
export const sectionTitle = (id) => ({
  communication: gettext('Communication. Ability to maintain and develop social contacts'),
  mobility: gettext('Mobilisation, ability to look after oneself, emotional experience, sense of one\'s own individuality'),
  nutrition: gettext('Nutrition and drinking regime, elimination'),
  vitals: gettext('Monitoring of vital signs'),
  sleep_leisure: gettext('Keeping to a sleep and rest regime, organisation of leisure'),
  safety: gettext('Creating a safe environment, ability to cope with life events'),
}[id] || id);
/** 'III. Nutrition and drinking regime, elimination' */
export const sectionName = (id) => `${roman(PLAN_SECTIONS.indexOf(id) + 1)}. ${sectionTitle(id)}`;

/** A resident's reassessment status (the planner's board, her care group). */
export const reassessmentLabel = (status) => ({
  overdue: gettext('Reassessment overdue'),
  marked: gettext('Marked after a change in condition'),
  never_assessed: gettext('Never assessed'),
  due: gettext('Reassessment due soon'),
  ok: gettext('Up to date'),
}[status] || status);

/** A care group as "Group III". */
export const groupText = (group) => (group ? format(gettext('Group %(group)s'), {group: roman(group)})
  : gettext('No group'));
