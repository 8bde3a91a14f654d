// Care groups I-IV on the tablet: the definitions of regulation 004 (Appendix 4) with the criteria a decision
// records as its grounds, and the app's suggestion -- a port of backend/domain/care_groups.py suggest(), which
// holds the rule and its reasons (our own rule: 004 gives none). The shared cases in
// tests/fixtures/care_group_cases.json are answered alike by both (tests/domain/test_care_group_shared.py).
import {gettext} from './i18n.js';

export const GROUPS = [1, 2, 3, 4];
export const OBSERVATION_FORM = 'adl_observation';
export const MMSE_FORM = 'mmse';
export const AGE_NO_BARRIER_FORM = 'age_no_barrier';

/** The criteria of each group's definition, which the team's decision records as grounds (domain GROUNDS). */
export const GROUNDS = {
  1: ['periodic_need', 'self_care_retained', 'mobility_retained'],
  2: ['regular_need', 'self_care_partly_lost', 'mobility_partly_lost', 'basic_needs_partly_lost', 'regular_accompaniment'],
  3: ['constant_need', 'disorientation', 'behaviour_not_controlled', 'constant_observation'],
  4: ['constant_need', 'self_care_lost', 'mobility_lost', 'intensive_care'],
};

/** A group's definition in 004's words (the Russian catalog holds the source's own text). */
export const groupDefinition = (group) => ({
  1: gettext('Periodic need for assistance from others, with the ability to care for oneself and to move about independently retained, including where a mental disorder is present.'),
  2: gettext('Regular need for assistance from others, with the ability or opportunity to care for oneself, to move about independently and to meet basic vital needs partly lost, including where a mental disorder is present (need for partial care, for support of independent activity and for regular accompaniment to ensure the safety of the social-service recipient).'),
  3: gettext('Constant need for assistance from others, where the social-service recipient cannot adequately perceive himself or herself or the surroundings or assess the situation (disorientation), or cannot control his or her behaviour (need for partial care and for constant observation and accompaniment to ensure the safety of the recipient and of the people around).'),
  4: gettext('Constant need for assistance from others, with the ability or opportunity to care for oneself and to move about independently completely lost, including where a mental disorder is present (intensive care).'),
}[group] || '');

/** A group's definition in a few words (the printed card's header says the same). */
export const groupBrief = (group) => ({
  1: gettext('periodic need for assistance from others'),
  2: gettext('regular need for assistance from others'),
  3: gettext('constant need for assistance from others: disorientation or behaviour not controlled'),
  4: gettext('constant need for assistance from others: intensive care'),
}[group] || '');

export const groundLabel = (code) => ({
  periodic_need: gettext('Periodic need for assistance from others'),
  self_care_retained: gettext('Ability to care for oneself retained'),
  mobility_retained: gettext('Ability to move about independently retained'),
  regular_need: gettext('Regular need for assistance from others'),
  self_care_partly_lost: gettext('Ability to care for oneself partly lost'),
  mobility_partly_lost: gettext('Ability to move about independently partly lost'),
  basic_needs_partly_lost: gettext('Ability to meet basic vital needs partly lost'),
  regular_accompaniment: gettext('Needs partial care, support of independent activity and regular accompaniment for safety'),
  constant_need: gettext('Constant need for assistance from others'),
  disorientation: gettext('Cannot adequately perceive oneself or the surroundings or assess the situation (disorientation)'),
  behaviour_not_controlled: gettext('Cannot control their behaviour'),
  constant_observation: gettext('Needs constant observation and accompaniment for their own safety and that of others'),
  self_care_lost: gettext('Ability to care for oneself completely lost'),
  mobility_lost: gettext('Ability to move about independently completely lost'),
  intensive_care: gettext('Needs intensive care'),
}[code] || code);

const MOBILITY_ROWS = ['a14', 'a15'];
const SELF_CARE_ROWS = ['a17', 'a20', 'a24', 'a25', 'a26', 'a27', 'a29', 'a30'];
const CONTINENCE_ROWS = ['a19', 'a23'];
const ORIENTATION_ROWS = ['a11', 'a12', 'a13'];
const DANGER_ROW = 'a07';
export const READ_ROWS = [...MOBILITY_ROWS, ...SELF_CARE_ROWS, ...CONTINENCE_ROWS, ...ORIENTATION_ROWS, DANGER_ROW];
const MMSE_SEVERE_MAX = 9;
const MMSE_MODERATE_MAX = 20;
const MMSE_MILD_MAX = 24;
const MMSE_ORIENTATION_ITEMS = ['item1', 'item2'];
const MMSE_ORIENTATION_MAX = 10;
const MMSE_DISORIENTED_MAX = 5;
const FRAILTY_PRE_MIN = 3;
const FRAILTY_MIN = 5;

const reason = (code, answers = [], params = {}) => ({code, params, answers: [...answers]});
const answer = (form, item, value) => ({form, item, value});
const isInt = (v) => typeof v === 'number' && Number.isInteger(v);
const rating = (answers, row) => { const v = answers[row]; return isInt(v) && v >= 1 && v <= 4 ? v : null; };
const numbers = (rows) => rows.map((r) => Number(r.slice(1))).sort((a, b) => a - b);
const byNumber = (rows) => [...rows].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
// ISO day strings compare as the days do; a missing date is never older
const older = (on, than) => than != null && on != null && String(on) < String(than);

export function mmseBand(total) {
  if (total <= MMSE_SEVERE_MAX) return 'severe';
  if (total <= MMSE_MODERATE_MAX) return 'moderate';
  if (total <= MMSE_MILD_MAX) return 'mild';
  return 'normal';
}

export function frailtyBand(total) {
  if (total >= FRAILTY_MIN) return 'frailty';
  if (total >= FRAILTY_PRE_MIN) return 'pre_frailty';
  return 'no_frailty';
}

function missingReasons(obs, mmseTotal, o) {
  const reasons = [];
  if (obs == null) reasons.push(reason('no_observation'));
  else {
    const unrated = READ_ROWS.filter((row) => rating(obs, row) === null);
    if (unrated.length) reasons.push(reason('observation_incomplete', [], {rows: numbers(unrated)}));
    else if (older(o.observation_on, o.last_decided_on)) {
      reasons.push(reason('observation_stale', [], {on: o.observation_on, decided_on: o.last_decided_on}));
    }
  }
  if (mmseTotal == null) reasons.push(reason('no_mmse'));
  else if (o.mmse_complete === false) reasons.push(reason('mmse_incomplete'));
  else if (older(o.mmse_on, o.last_decided_on)) {
    reasons.push(reason('mmse_stale', [], {on: o.mmse_on, decided_on: o.last_decided_on}));
  }
  return reasons;
}

function frailtyOf(o) {
  const total = o.age_no_barrier_total;
  if (total == null) return [null, reason('no_age_no_barrier')];
  if (o.age_no_barrier_complete === false) return [null, reason('age_no_barrier_incomplete')];
  if (older(o.age_no_barrier_on, o.last_decided_on)) {
    return [null, reason('age_no_barrier_stale', [], {on: o.age_no_barrier_on, decided_on: o.last_decided_on})];
  }
  const given = o.age_no_barrier_answers || {};
  const read = [answer(AGE_NO_BARRIER_FORM, 'total', total),
    ...Object.keys(given).sort().filter((q) => given[q] === true).map((q) => answer(AGE_NO_BARRIER_FORM, q, true))];
  return [{total, band: frailtyBand(total), answers: read}, null];
}

/**
 * {group: 1..4 or null, reasons, unseen}, as backend/domain/care_groups.py suggest(): `observation` the latest
 * observation form's answers ({a01: 1..4, ...}) or null, `mmseTotal` the MMSE total or null, and `options` with
 * the same (snake_case) names as the Python keywords: mmse_complete, mmse_subscores, observation_on, mmse_on,
 * last_decided_on (ISO days), age_no_barrier_total, age_no_barrier_complete, age_no_barrier_answers,
 * age_no_barrier_on.
 */
export function suggest(observation, mmseTotal, options = {}) {
  const o = options;
  const unseen = [reason('behaviour')];
  const [frailty, unread] = frailtyOf(o);
  if (unread) unseen.push(unread);
  const missing = missingReasons(observation, mmseTotal, o);
  if (missing.length) return {group: null, reasons: missing, unseen};
  const [group, reasons] = rule(observation, mmseTotal, o.mmse_subscores || {}, frailty);
  return {group, reasons, unseen};
}

function rule(obs, mmseTotal, subscores, frailty) {
  const r = Object.fromEntries(READ_ROWS.map((row) => [row, rating(obs, row)]));
  const rows = (which) => byNumber(which).map((row) => answer(OBSERVATION_FORM, row, r[row]));
  const mobility = Math.min(...MOBILITY_ROWS.map((row) => r[row]));
  const selfCare4 = SELF_CARE_ROWS.filter((row) => r[row] === 4);
  const disoriented = ORIENTATION_ROWS.filter((row) => r[row] >= 3);
  const parts = MMSE_ORIENTATION_ITEMS.map((item) => subscores[item]);
  const orientation = parts.every(isInt) ? parts[0] + parts[1] : null;
  const totalAnswer = answer(MMSE_FORM, 'total', mmseTotal);
  const mmseInfo = reason('mmse', [totalAnswer], {total: mmseTotal, band: mmseBand(mmseTotal)});
  const frailtyInfo = frailty ? [reason('age_no_barrier', frailty.answers, {total: frailty.total, band: frailty.band})] : [];

  if (mobility === 4 && 4 * selfCare4.length >= 3 * SELF_CARE_ROWS.length) {
    return [4, [reason('immobile', rows(MOBILITY_ROWS), {rows: numbers(MOBILITY_ROWS)}),
      reason('self_care_lost', rows(selfCare4), {count: selfCare4.length, of: SELF_CARE_ROWS.length, rows: numbers(selfCare4)}),
      mmseInfo, ...frailtyInfo]];
  }

  const group3 = [];
  if (mmseTotal <= MMSE_SEVERE_MAX) group3.push(reason('mmse_severe', [totalAnswer], {total: mmseTotal}));
  else if (mmseTotal <= MMSE_MODERATE_MAX) {
    if (disoriented.length) {
      group3.push(reason('mmse_moderate_disoriented', [totalAnswer, ...rows(disoriented)],
        {total: mmseTotal, rows: numbers(disoriented)}));
    }
    if (orientation !== null && orientation <= MMSE_DISORIENTED_MAX) {
      group3.push(reason('mmse_moderate_orientation',
        [totalAnswer, ...MMSE_ORIENTATION_ITEMS.map((item) => answer(MMSE_FORM, item, subscores[item]))],
        {total: mmseTotal, orientation, of: MMSE_ORIENTATION_MAX}));
    }
  }
  if (r[DANGER_ROW] === 4 && disoriented.length) {
    group3.push(reason('danger_disoriented', rows([DANGER_ROW, ...disoriented]), {rows: numbers([DANGER_ROW, ...disoriented])}));
  }
  if (group3.length) return [3, [...group3, ...(group3[0].code === 'mmse_severe' ? [] : [mmseInfo]), ...frailtyInfo]];

  const body = [...MOBILITY_ROWS, ...SELF_CARE_ROWS, ...CONTINENCE_ROWS];
  const mostly = body.filter((row) => r[row] >= 3 && !(MOBILITY_ROWS.includes(row) && mobility < 3));
  const little = body.filter((row) => r[row] === 2 && !(MOBILITY_ROWS.includes(row) && mobility < 2));
  if (mostly.length || little.length >= 3) {
    const reasons = [];
    if (mostly.length) reasons.push(reason('needs_much_help', rows(mostly), {rows: numbers(mostly)}));
    if (little.length) reasons.push(reason('needs_little_help', rows(little), {count: little.length, rows: numbers(little)}));
    return [2, [...reasons, mmseInfo, ...frailtyInfo]];
  }
  if (frailty && frailty.band === 'frailty' && little.length) {
    return [2, [reason('frailty_little_help', [...frailty.answers, ...rows(little)],
      {total: frailty.total, count: little.length, rows: numbers(little)}), mmseInfo]];
  }
  const independent = reason('independent', rows(little), {little_help: little.length, rows: numbers(little)});
  if (frailty && frailty.band !== 'no_frailty') {
    return [1, [independent, mmseInfo, reason('frailty_attention', frailty.answers, {total: frailty.total, band: frailty.band})]];
  }
  return [1, [independent, mmseInfo, ...frailtyInfo]];
}

/**
 * The suggestion's inputs from the care-group view's latest assessments ([{form_id, day, answers, score}]) and
 * the last decision's day (services/care_groups.py suggestion_for reads the same).
 */
export function suggestFromAssessments(assessments, lastDecidedOn) {
  const by = Object.fromEntries((assessments || []).map((a) => [a.form_id, a]));
  const obs = by[OBSERVATION_FORM];
  const mmse = by[MMSE_FORM];
  const anb = by[AGE_NO_BARRIER_FORM];
  const ms = (mmse && mmse.score) || {};
  const as = (anb && anb.score) || {};
  return suggest(obs ? obs.answers || {} : null, ms.total ?? null, {
    mmse_complete: !!ms.complete, mmse_subscores: ms.subscores || {}, observation_on: obs ? obs.day : null,
    mmse_on: mmse ? mmse.day : null, last_decided_on: lastDecidedOn || null,
    age_no_barrier_total: as.total ?? null, age_no_barrier_complete: !!as.complete,
    age_no_barrier_answers: anb ? anb.answers || {} : null, age_no_barrier_on: anb ? anb.day : null,
  });
}
