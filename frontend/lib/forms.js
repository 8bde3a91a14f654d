// The form engine, tablet side: port of backend/domain/forms.py validate() and score() over the definitions in
// /forms/*.json (described by /forms/form.schema.json). Same error codes, same scores; the shared cases in
// tests/fixtures/forms/ keep the two equal. No DOM: it runs in node and the browser. Loading a definition and its
// questions live in lib/formdefs.js (all the nurse's app needs of a form).
import {questions} from './formdefs.js';

export {loadDefinition, questions} from './formdefs.js';

const EPSILON = 1e-9;

/** English messages by error code (the same as forms.py); the UI may translate by code. */
export const MESSAGES = {
  answers: 'answers must be an object',
  unknown: 'unknown question',
  type: 'wrong type of answer',
  range: 'must be between %(min)s and %(max)s',
  step: 'must be a multiple of %(step)s',
  option: 'not one of the choices',
  too_long: 'at most %(n)s characters',
  hidden: 'this question does not apply',
  required: 'an answer is required',
};

function formError(code, params = {}) {
  const message = MESSAGES[code].replace(/%\((\w+)\)s/g, (m, name) => String(params[name]));
  return {code, message, params};
}

const has = (obj, key) => Object.prototype.hasOwnProperty.call(obj, key);
const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);
const missing = (v) => v === undefined || v === null;
/** Not answered: nothing, a text of spaces only or an empty multiple choice (backend/domain/forms.py `_blank`). */
const blank = (v) => missing(v) || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

function matches(condition, value) {
  if (missing(value)) return false;
  const wanted = has(condition, 'in') ? condition.in : [condition.equals];
  const values = Array.isArray(value) ? value : [value];
  return values.some((v) => wanted.some((w) => v === w));
}

function answerError(q, value, definition) {
  switch (q.type) {
    case 'yes_no':
      return typeof value === 'boolean' ? null : formError('type');
    case 'choice': {
      const values = q.options.map((o) => o.value);
      if (q.multiple) {
        if (!Array.isArray(value) || !value.every((v) => typeof v === 'string') || new Set(value).size !== value.length) {
          return formError('type');
        }
        return value.every((v) => values.includes(v)) ? null : formError('option');
      }
      if (typeof value !== 'string') return formError('type');
      return values.includes(value) ? null : formError('option');
    }
    case 'number': {
      if (!isNumber(value)) return formError('type');
      if (value < q.min || value > q.max) return formError('range', {min: q.min, max: q.max});
      const step = has(q, 'step') ? q.step : 1;
      const k = (value - q.min) / step;
      // Python's round() and Math.round() differ only at .5, which is never within EPSILON of a whole number.
      if (Math.abs(k - Math.round(k)) > EPSILON) return formError('step', {step});
      return null;
    }
    case 'rating':
      if (!isNumber(value)) return formError('type');
      return definition.scale.levels.some((level) => level.value === value) ? null : formError('option');
    case 'text':
      if (typeof value !== 'string') return formError('type');
      // Length in code points, as Python's len().
      return has(q, 'max_length') && [...value].length > q.max_length ? formError('too_long', {n: q.max_length}) : null;
    default:
      return formError('type');
  }
}

function walk(definition, answers) {
  if (!answers || typeof answers !== 'object' || Array.isArray(answers)) {
    return {errors: {answers: formError('answers')}, valid: {}};
  }
  const known = new Map(questions(definition).map((q) => [q.id, q]));
  const errors = {};
  for (const qid of Object.keys(answers)) if (!known.has(qid)) errors[qid] = formError('unknown');
  const valid = {};
  for (const [qid, q] of known) {
    const value = has(answers, qid) ? answers[qid] : undefined;
    const shown = !q.show_if || matches(q.show_if, valid[q.show_if.question]);
    if (!shown) {
      if (!missing(value)) errors[qid] = formError('hidden');
      continue;
    }
    if (blank(value)) {
      const needed = q.required === true || (q.require_if && matches(q.require_if, valid[q.require_if.question]));
      if (needed) errors[qid] = formError('required');
      continue;
    }
    const error = answerError(q, value, definition);
    if (error) errors[qid] = error;
    else valid[qid] = value;
  }
  return {errors, valid};
}

/** {question id: {code, message, params}} for answers that do not fit the definition (empty when they do). */
export function validate(definition, answers) {
  return walk(definition, answers).errors;
}

/** Whether a question is shown given the answers (the renderer hides the others). */
export function isShown(definition, answers, qid) {
  const q = questions(definition).find((x) => x.id === qid);
  if (!q || !q.show_if) return Boolean(q);
  return matches(q.show_if, walk(definition, answers).valid[q.show_if.question]);
}

export function points(q, value) {
  let result = 0;
  if (q.type === 'yes_no') {
    const key = value ? 'yes' : 'no';
    result = q.points && has(q.points, key) ? q.points[key] : 0;
  } else if (q.type === 'choice') {
    const byValue = new Map(q.options.map((o) => [o.value, has(o, 'points') ? o.points : 0]));
    result = q.multiple ? value.reduce((sum, v) => sum + byValue.get(v), 0) : byValue.get(value);
  } else if (q.type === 'number' || q.type === 'rating') {
    result = q.scored ? value : 0;
  }
  if (has(q, 'max_points')) result = Math.min(result, q.max_points);
  return result;
}

export function bandOf(ranges, value) {
  for (const r of ranges) {
    if ((!has(r, 'min') || value >= r.min) && (!has(r, 'max') || value <= r.max)) return r.key;
  }
  return null;
}

/**
 * {total, subscores, band, complete, errors}: the total and sub-scores count the valid answers given so far
 * (shown live as the form is filled); the band only when the answers are complete and valid.
 * A form without scoring has total null.
 */
export function score(definition, answers) {
  const {errors, valid} = walk(definition, answers);
  const complete = Object.keys(errors).length === 0;
  const result = {total: null, subscores: {}, band: null, complete, errors};
  const scoring = definition.scoring;
  if (!scoring) return result;
  const byId = new Map(questions(definition).map((q) => [q.id, q]));
  const item = {};
  for (const [qid, value] of Object.entries(valid)) item[qid] = points(byId.get(qid), value);
  const grouped = new Set();
  let total = 0;
  for (const sub of scoring.subscores || []) {
    let value = sub.questions.reduce((sum, qid) => sum + (has(item, qid) ? item[qid] : 0), 0);
    if (has(sub, 'max')) value = Math.min(value, sub.max);
    result.subscores[sub.id] = value;
    sub.questions.forEach((qid) => grouped.add(qid));
    total += value;
  }
  for (const [qid, p] of Object.entries(item)) if (!grouped.has(qid)) total += p;
  result.total = total;
  if (scoring.bands && complete) {
    const of = scoring.bands.of || 'total';
    result.band = bandOf(scoring.bands.ranges, of === 'total' ? total : result.subscores[of]);
  }
  return result;
}
