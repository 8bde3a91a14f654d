// Form fields with their own error line, and the API's field errors shown beside them (the administrator's screens
// and the password screen).
import {ApiError, OfflineError} from './api.js';
import {h} from './dom.js';
import {gettext} from './i18n.js';

let uid = 0;

/**
 * A labelled control with a hint (optional) and a line for its error. `msgs[name]` is the error line, so an API
 * error naming the field (`fields[name]`) is shown beside it (showFieldErrors).
 */
export function field(msgs, name, label, input, hint = null) {
  if (!input.id) input.id = `ff-${++uid}`;
  const msgId = `${input.id}-msg`;
  const hintId = hint ? `${input.id}-hint` : null;
  msgs[name] = h('p', {class: 'field-msg is-error', id: msgId, 'aria-live': 'polite'});
  msgs[name].input = input;
  input.setAttribute('aria-describedby', [hintId, msgId].filter(Boolean).join(' '));
  return h('div', {class: 'field'}, h('label', {for: input.id}, label),
    hint ? h('p', {class: 'hint', id: hintId}, hint) : null, input, msgs[name]);
}

/**
 * A group of checkboxes under one legend (a fieldset), its error line msgs[name] (the server's `name` and `name.N`).
 * options: [[value, label]]; each box's id and testid are `${testid}-${value}`. value() gives the values ticked, in
 * the options' order.
 */
export function checkGroup(msgs, name, {testid, legend, hint = null, options, chosen = []}) {
  const boxes = options.map(([value]) => h('input', {type: 'checkbox', id: `${testid}-${value}`, testid: `${testid}-${value}`,
    value: String(value), checked: chosen.includes(value)}));
  msgs[name] = h('p', {class: 'field-msg is-error', id: `${testid}-msg`, 'aria-live': 'polite'});
  msgs[name].input = boxes[0] || null;
  const hintId = hint ? `${testid}-hint` : null;
  const element = h('fieldset', {class: 'field', testid, 'aria-describedby': [hintId, `${testid}-msg`].filter(Boolean).join(' ')},
    h('legend', {class: 'label'}, legend), hint ? h('p', {class: 'hint', id: hintId}, hint) : null,
    h('div', {class: 'checks'}, boxes.map((box, i) => h('label', {class: 'check'}, box, options[i][1]))), msgs[name]);
  return {element, value: () => boxes.filter((b) => b.checked).map((b) => b.value)};
}

/** A text input (`testid` and id alike). */
export function textInput(testid, attrs = {}) {
  return h('input', {id: testid, class: 'input', type: 'text', testid, autocomplete: 'off', ...attrs});
}

/** A select of [value, text] pairs; value null is the empty option's ''. */
export function selectInput(testid, options, value) {
  return h('select', {id: testid, class: 'input', testid},
    options.map(([v, text]) => h('option', {value: v === null ? '' : String(v),
      selected: String(v ?? '') === String(value ?? '')}, text)));
}

/** Empty every error line of a form. */
export function clearErrors(msgs) {
  for (const msg of Object.values(msgs)) {
    msg.textContent = '';
    if (msg.input) {
      msg.input.classList.remove('is-invalid');
      msg.input.removeAttribute('aria-invalid');
    }
  }
}

/** One field's error, set on the page (a check made before asking the server). */
export function setError(msgs, name, text) {
  const msg = msgs[name];
  if (!msg) return;
  msg.textContent = `⚠ ${text}`;
  if (msg.input) {
    msg.input.classList.add('is-invalid');
    msg.input.setAttribute('aria-invalid', 'true');
  }
}

/** A field that must not be empty, in a dialog's onSave: marks it and throws (the dialog shows the message). */
export function requireText(msgs, name, input, message) {
  if (input.value.trim()) return;
  setError(msgs, name, message);
  input.focus();
  throw new Error(message);
}

/**
 * Show an API error's field messages beside their fields ('beds.0' goes to 'beds'); focus the first. Returns true
 * when at least one was shown.
 */
export function showFieldErrors(err, msgs) {
  let first = null;
  if (err instanceof ApiError && err.fields) {
    for (const [key, text] of Object.entries(err.fields)) {
      const name = msgs[key] ? key : key.split('.')[0];
      if (!msgs[name]) continue;
      setError(msgs, name, text);
      if (!first && msgs[name].input) first = msgs[name].input;
    }
  }
  if (first) first.focus();
  return !!first;
}

/** What went wrong, for the form's error line. */
export function problem(err) {
  if (err instanceof OfflineError) return gettext('No connection to the server. This is done online.');
  if (err instanceof ApiError && err.message) return err.message;
  return gettext('Something went wrong.');
}


/** A dialog's request (`request`, called once): true when it succeeded; false when its errors were shown beside the
 * fields they name (showFieldErrors); any other error is thrown, for the dialog to show on its error line. */
export async function sent(msgs, request) {
  try {
    await request();
    return true;
  } catch (err) {
    if (!showFieldErrors(err, msgs)) throw new Error(problem(err));
    return false;
  }
}
