// A form definition's texts as the screens show them (assessments, Needs attention, the family's questionnaires):
// its texts in the reader's language, its errors, scores and questions; and who fills the assessment forms.
import {format, formatNumber, gettext, locale} from './i18n.js';
import {questions} from './formdefs.js';
import {mayRecord} from './roles.js';
import {session} from './session.js';

/** Who fills a form (lib/roles.js mayRecord): the assessors; a residents' questionnaire also activity staff.
 * Without a form: may she fill the clinical ones. */
export const mayAssess = (formId = null) => mayRecord(session.user, 'assessment', formId);
/** A definition's text in the reader's language. */
export const txt = (text) => (text ? text[locale()] || text.en || text.ru || '' : '');

/** A form error ({code, params}) in the reader's language: the same English texts as the server's. */
export function errorText(err) {
  const texts = {
    answers: gettext('answers must be an object'),
    unknown: gettext('unknown question'),
    type: gettext('wrong type of answer'),
    range: gettext('must be between %(min)s and %(max)s'),
    step: gettext('must be a multiple of %(step)s'),
    option: gettext('not one of the choices'),
    too_long: gettext('at most %(n)s characters'),
    hidden: gettext('this question does not apply'),
    required: gettext('an answer is required'),
  };
  return format(texts[err.code] || err.message || err.code, err.params || {});
}

export function bandLabel(definition, key) {
  const bands = definition && definition.scoring && definition.scoring.bands;
  const range = bands && bands.ranges.find((r) => r.key === key);
  return range ? txt(range.label) : key || '';
}

/** "3 of 7 · Pre-frailty" for an assessment's score (the server's once synced). */
export function scoreText(definition, s) {
  if (!s) return '';
  const parts = [];
  if (s.total !== null && s.total !== undefined) {
    const max = definition && definition.scoring && definition.scoring.max;
    parts.push(max !== undefined ? format(gettext('%(total)s of %(max)s points'), {total: formatNumber(s.total),
      max: formatNumber(max)}) : format(gettext('%(total)s points'), {total: formatNumber(s.total)}));
  }
  if (s.band) parts.push(bandLabel(definition, s.band));
  return parts.join(' · ');
}

/** "12. Label" (no nested template literals in this file: Babel's JS extractor loses strings after them). */
export const numbered = (q) => (q.number ? q.number + '. ' : '') + txt(q.label);

/** The question a field name of a refusal ('values.<question id>') stands for, as "12. Label". */
export function questionLabel(definition, field) {
  const qid = field.startsWith('values.') ? field.slice(7) : null;
  const q = qid && definition ? questions(definition).find((x) => x.id === qid) : null;
  return q ? numbered(q) : field;
}
