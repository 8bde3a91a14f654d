// What the activity screens share (views/activities.js, views/programme.js): their labels, a text given per
// language, and the form helpers of their online dialogs (a field with its error line, the API's errors beside them).
import {ApiError, OfflineError} from './api.js';
import {h} from './dom.js';
import {gettext, locale} from './i18n.js';

export const directionLabel = (d) => ({
  physical_health: gettext('Physical culture and health'),
  cultural_leisure: gettext('Cultural and leisure'),
  educational: gettext('Informational and educational'),
  work_therapy: gettext('Work therapy'),
  psychological: gettext('Psychological'),
  medical: gettext('Medical'),
}[d] || d);
export const modeLabel = (m) => ({active: gettext('Active'), passive: gettext('Passive')}[m] || m);
export const formatLabel = (f) => ({group: gettext('Group'), individual: gettext('Individual')}[f] || f);

/** A text given per language, in the reader's language, else in another one. */
export function localText(texts) {
  if (!texts) return '';
  return texts[locale()] || texts.ru || texts.en || texts.zh_Hans || Object.values(texts)[0] || '';
}

/** The title of an occurrence or schedule row: an event's own title, else the activity's name. */
export const occurrenceTitle = (o) => localText(o.title) || localText(o.name);

export function problem(err) {
  return err instanceof OfflineError ? gettext('No connection. Activities are planned online.') : (err.message || String(err));
}

let uid = 0;
/** A labelled control with a message line for the field's error. */
export function field(msgs, name, label, input) {
  if (!input.id) input.id = `af-${++uid}`;
  msgs[name] = h('p', {class: 'field-msg is-error', id: `${input.id}-msg`});
  input.setAttribute('aria-describedby', `${input.id}-msg`);
  return h('div', {class: 'field'}, h('label', {for: input.id}, label), input, msgs[name]);
}

/** Show an API error's field messages beside their fields; throw the message for the dialog's error line. */
export function showErrors(err, msgs) {
  if (err instanceof ApiError && err.fields) {
    for (const [key, text] of Object.entries(err.fields)) {
      const target = msgs[key] || msgs[key.split('.')[0]];
      if (target) target.textContent = '⚠ ' + text;
    }
  }
  throw new Error(problem(err));
}
