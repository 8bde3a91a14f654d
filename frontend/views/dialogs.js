// <dialog> helpers with focus management, and the bedside dialogs (not done, vitals, note, condition).
import {h, icon} from '../lib/dom.js';
import {format, gettext} from '../lib/i18n.js';
import {CONDITION_CATEGORIES, REASONS, conditionLabel, flagLabel, measureLabel, reasonLabel, unitLabel}
  from '../lib/labels.js';
import {dialogClosed, dialogOpened, keepForm, useConfirm} from '../lib/drafts.js';
import {check, loadDefinition} from '../lib/vitals.js';

/**
 * Open a modal dialog. build(close) returns {body, onSave}; onSave returns false to keep it open.
 * Resolves with the saved value, or null when cancelled. Focus returns to the opener.
 * `draft`: a key (lib/drafts.js keepForm): what she types is kept as her draft until the dialog saves; it is put
 * back when the dialog opens again (also after a lock or a reload), with a notice and "Discard changes".
 */
export function openDialog({title, build, saveLabel, testid, draft = null}) {
  const opener = document.activeElement;
  return new Promise((resolve) => {
    let done = false;
    let kept = null;  // the draft's handle (keepForm), once it has put her draft back
    const titleId = `dlg-${Math.random().toString(36).slice(2)}`;
    const errorBox = h('p', {class: 'form-error', role: 'alert', hidden: true});
    const dialog = h('dialog', {class: 'dialog', 'aria-labelledby': titleId, testid: testid || 'dialog'});
    const finish = (value) => {
      if (done) return;
      done = true;
      if (draft) {
        dialogClosed(draft);
        if (value !== null) Promise.resolve(kept).then((k) => k && k.clear());  // saved: her draft is done
      }
      dialog.close();
      dialog.remove();
      if (opener && opener.focus && document.contains(opener)) opener.focus();
      resolve(value);
    };
    const {body, onSave} = build(finish);
    const save = h('button', {type: 'submit', class: 'btn btn-primary', testid: 'btn-save'}, saveLabel || gettext('Save'));
    const form = h('form', {method: 'dialog', class: 'dialog-form', novalidate: true},
      h('h2', {id: titleId, class: 'dialog-title'}, title),
      h('div', {class: 'dialog-body'}, body),
      errorBox,
      h('div', {class: 'dialog-actions'},
        h('button', {type: 'button', class: 'btn', testid: 'btn-cancel', onclick: () => finish(null)}, gettext('Cancel')),
        onSave ? save : null));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!onSave) return finish(true);
      errorBox.hidden = true;
      save.disabled = true;
      try {
        const result = await onSave();
        if (result !== false) finish(result === undefined ? true : result);
      } catch (err) {
        errorBox.textContent = err.message || String(err);
        errorBox.hidden = false;
      } finally {
        save.disabled = false;
      }
    });
    dialog.addEventListener('cancel', (event) => { event.preventDefault(); finish(null); });
    // closed from outside (the idle lock closes every dialog): as a cancel, her draft kept
    dialog.addEventListener('close', () => {
      if (done) return;
      done = true;
      if (draft) dialogClosed(draft);
      dialog.remove();
      resolve(null);
    });
    dialog.append(form);
    document.body.append(dialog);
    if (draft) {
      kept = keepForm(form.querySelector('.dialog-body'), draft).catch(() => null);
      dialogOpened(draft, opener);
    }
    dialog.showModal();
    const first = dialog.querySelector('[autofocus]') || dialog.querySelector('input, textarea, select, .choice');
    if (first) first.focus();
  });
}

/** A group of big toggle buttons acting as radio buttons. */
export function choiceGroup({label, options, labelOf, testPrefix, value, onChange}) {
  let current = value ?? null;
  const buttons = options.map((code) => h('button', {
    type: 'button', class: 'choice', role: 'radio', 'aria-checked': String(code === current),
    testid: `${testPrefix}-${code}`, dataset: {code},
    onclick: () => {
      current = code;
      for (const b of buttons) b.setAttribute('aria-checked', String(b.dataset.code === code));
      if (onChange) onChange(code);
    },
  }, labelOf(code)));
  const el = h('div', {class: 'choices', role: 'radiogroup', 'aria-label': label}, buttons);
  return {el, get: () => current};
}

function textArea(id, label, {required = false, hint = null} = {}) {
  const input = h('textarea', {id, class: 'input', rows: 4, maxlength: 2000, testid: 'note-text',
    'aria-required': String(required)});
  return {input, el: h('div', {class: 'field'}, h('label', {for: id}, label), hint ? h('p', {class: 'hint'}, hint) : null,
    input)};
}

/** Not done: a reason, and a note when the reason is 'other'. Resolves {reason, note} or null. */
export function notDoneDialog(title) {
  return openDialog({title: format(gettext('Not done: %(item)s'), {item: title}), testid: 'dialog-not-done', build: () => {
    const reasons = choiceGroup({label: gettext('Reason'), options: REASONS, labelOf: reasonLabel, testPrefix: 'reason'});
    const note = textArea('nd-note', gettext('Note'), {hint: gettext('Required when the reason is "Other reason".')});
    return {
      body: [h('p', {class: 'label'}, gettext('Why was it not done?')), reasons.el, note.el],
      onSave: () => {
        const reason = reasons.get();
        if (!reason) throw new Error(gettext('Choose a reason.'));
        const text = note.input.value.trim();
        if (reason === 'other' && !text) { note.input.focus(); throw new Error(gettext('Describe the reason in the note.')); }
        return {reason, note: text || null};
      },
    };
  }});
}

/**
 * Free-text note. An unfinished note is kept as the writer's own draft (`draftKey`): it is there when she
 * opens the dialog again, also after a lock or a switch, and nobody else who unlocks the tablet sees it.
 */
export async function noteDialog(residentName, draftKey) {
  return openDialog({title: format(gettext('Note about %(name)s'), {name: residentName}), testid: 'dialog-note',
    draft: draftKey || null, build: () => {
      const note = textArea('note-body', gettext('Note'), {required: true});
      return {body: note.el, onSave: async () => {
        const text = note.input.value.trim();
        if (!text) { note.input.focus(); throw new Error(gettext('The note is empty.')); }
        return {note: text};
      }};
    }});
}

/** Change in condition: category + description (kept as her draft under `draftKey` until reported). */
export function conditionDialog(residentName, draftKey = null) {
  return openDialog({title: format(gettext('Change in condition: %(name)s'), {name: residentName}),
    testid: 'dialog-condition', saveLabel: gettext('Report'), draft: draftKey, build: () => {
      const cats = choiceGroup({label: gettext('What changed?'), options: CONDITION_CATEGORIES, labelOf: conditionLabel,
        testPrefix: 'condition'});
      const note = textArea('cond-note', gettext('Describe the change'), {required: true});
      return {
        body: [h('p', {class: 'label'}, gettext('What changed?')), cats.el, note.el,
          h('p', {class: 'notice'}, icon('ℹ'), ' ', gettext('The shift supervisor will see this report, and the resident will be marked for reassessment.'))],
        onSave: () => {
          if (!cats.get()) throw new Error(gettext('Choose what changed.'));
          const text = note.input.value.trim();
          if (!text) { note.input.focus(); throw new Error(gettext('Describe the change.')); }
          return {category: cats.get(), note: text};
        },
      };
    }});
}

/** Vital signs for some measures. Plausibility errors block; out-of-normal values are highlighted. What she typed
 * is kept as her draft under `draftKey` until saved. */
export async function vitalsDialog(title, measures, draftKey = null) {
  const definition = await loadDefinition();
  const list = (measures && measures.length ? measures : Object.keys(definition.measures))
    .filter((m) => definition.measures[m]);
  // Blood pressure is always a pair.
  if (list.includes('bp_systolic') !== list.includes('bp_diastolic')) {
    list.splice(list.indexOf(list.includes('bp_systolic') ? 'bp_systolic' : 'bp_diastolic') + 1, 0,
      list.includes('bp_systolic') ? 'bp_diastolic' : 'bp_systolic');
  }
  return openDialog({title, testid: 'dialog-vitals', draft: draftKey, build: () => {
    const inputs = {};
    const messages = {};
    const rows = list.map((m) => {
      const spec = definition.measures[m];
      const id = `vital-${m}`;
      inputs[m] = h('input', {id, class: 'input input-number', type: 'text', inputmode: 'decimal', autocomplete: 'off',
        testid: id, 'aria-describedby': `${id}-msg`, oninput: () => validate(false)});
      messages[m] = h('p', {id: `${id}-msg`, class: 'field-msg', 'aria-live': 'polite'});
      return h('div', {class: 'field field-vital'}, h('label', {for: id}, measureLabel(m), ' ',
        h('span', {class: 'unit'}, `(${unitLabel(spec.unit)})`)), inputs[m], messages[m]);
    });
    const values = () => {
      const out = {};
      for (const m of list) {
        const raw = inputs[m].value.trim().replace(',', '.');
        if (raw !== '') out[m] = Number.isNaN(Number(raw)) ? raw : Number(raw);
      }
      return out;
    };
    function validate(final) {
      const v = values();
      const {errors, flags} = Object.keys(v).length || final ? check(v, definition) : {errors: {}, flags: {}};
      for (const m of list) {
        const show = final || inputs[m].value.trim() !== '';
        const err = show ? errors[m] : null;
        inputs[m].classList.toggle('is-invalid', !!err);
        inputs[m].classList.toggle('is-flagged', !err && !!flags[m]);
        inputs[m].setAttribute('aria-invalid', String(!!err));
        messages[m].textContent = err ? `⚠ ${err}` : flags[m] ? `▲ ${flagLabel(flags[m])}` : '';
        messages[m].className = err ? 'field-msg is-error' : flags[m] ? 'field-msg is-warning' : 'field-msg';
      }
      return {v, errors, flags};
    }
    return {
      body: [h('div', {class: 'vitals-grid'}, rows)],
      onSave: () => {
        const {v, errors, flags} = validate(true);
        if (errors.values) throw new Error(gettext('Enter at least one measurement.'));
        const bad = Object.keys(errors);
        if (bad.length) {
          if (inputs[bad[0]]) inputs[bad[0]].focus();
          throw new Error(format(gettext('Please check: %(fields)s'), {fields: bad.map(measureLabel).join(', ')}));
        }
        return {values: v, flags};
      },
    };
  }});
}

/** A yes/no question. */
export function confirmDialog(title, text, yesLabel) {
  return openDialog({title, saveLabel: yesLabel || gettext('OK'), testid: 'dialog-confirm',
    build: () => ({body: h('p', {}, text), onSave: () => true})});
}

useConfirm(confirmDialog);  // lib/drafts.js asks with it before typed changes are thrown away

/** A short message at the bottom of the screen. */
export function toast(text) {
  const el = document.getElementById('toast');
  if (!el) return;
  // The same message again (a tap after a tap): keep it up longer; rewriting it would lay it out and paint it anew.
  if (el.textContent !== text || !el.classList.contains('is-visible')) {
    el.textContent = text;
    el.classList.add('is-visible');
  }
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => el.classList.remove('is-visible'), 4000);
}
