// Assessments at the bedside: choose a form, fill it offline with the score shown live, save it as an entry.
//
// #/assess/<resident_id>                  the forms, each with the resident's last result (tablet, and server when online)
// #/assess/<resident_id>/<form_id>        fill a form; Save puts one signed entry (kind 'assessment') in the outbox
// #/assess/<resident_id>/<form_id>/<id>   correct an own assessment (a new entry superseding it)
//
// data-testid: assess-list, assess-open-<form_id>, assess-last-<form_id> (data-total, data-band),
//   assess-correct-<form_id>, assess-form (data-form), q-<question id> (data-shown 'true'|'false'),
//   ans-<question id>-<value> (choice, yes/no, rating and short number buttons: role radio, aria-checked; multiple
//   choice: aria-pressed), ans-<question id> (number or text input), q-error-<question id>, assess-score,
//   assess-total (data-total), assess-band (data-band), assess-sub-<subscore id>, assess-left (data-left),
//   assess-draft, btn-draft-discard (asks first), assess-has-draft-<form_id> (in the list), btn-save-assessment,
//   assess-save-error, assess-back, assess-not-allowed; assess-left is a button to the first unanswered question
import {api} from '../lib/api.js';
import {getAll} from '../lib/db.js';
import {h, icon, mount} from '../lib/dom.js';
import {format, formatDate, formatNumber, gettext, ngettext} from '../lib/i18n.js';
import {isShown, loadDefinition, questions, score} from '../lib/forms.js';
import {draft, saveDraft} from '../lib/people.js';
import {SURVEY_FORMS} from '../lib/roles.js';
import {session, today} from '../lib/session.js';
import {record, rejected} from '../lib/outbox.js';
import {choiceGroup, confirmDialog, toast} from './dialogs.js';
import {bandLabel, errorText, mayAssess, numbered, scoreText, txt} from '../lib/formtext.js';
import {syncMark} from '../lib/marks.js';
import {postLabel} from '../lib/office_labels.js';

/** The forms a tablet offers, in this order (their definitions are precached by the service worker). */
export const FORM_IDS = ['adl_observation', 'mmse', 'age_no_barrier', 'waterlow', 'morse_falls', 'pain_nrs',
  'satisfaction_resident', 'milieu_observation', 'milieu_interview', 'specialist_report'];
/** Activity staff who fill no clinical form see the questionnaires only; their way back is the attendance screen. */
const surveyOnly = () => !mayAssess();

const newestFirst = (a, b) => (b.day || '').localeCompare(a.day || '')
  || Date.parse(b.device_time) - Date.parse(a.device_time) || String(b.id).localeCompare(String(a.id));

/** The resident's standing assessments on this tablet (and from the server when it answers), newest first. */
async function knownAssessments(residentId) {
  const local = (await getAll('entries')).filter((e) => e.kind === 'assessment' && e.resident_id === residentId);
  const byId = new Map(local.map((e) => [e.id, e]));
  try {
    const remote = await api.get(`/api/assessments?resident_id=${residentId}`);
    for (const r of remote) {
      if (!byId.has(r.id)) {
        byId.set(r.id, {id: r.id, kind: 'assessment', resident_id: r.resident_id, category: r.form_id, day: r.day,
          device_time: r.device_time, author_id: r.author_id, author_name: r.author_name,
          author_post: r.author_post, values: r.answers,
          score: r.score, supersedes: r.supersedes, synced: true});
      }
    }
  } catch (_) { /* offline: what the tablet holds */ }
  const all = [...byId.values()];
  const superseded = new Set(all.map((e) => e.supersedes).filter(Boolean));
  return all.filter((e) => !superseded.has(e.id)).sort(newestFirst);
}

export async function render(main, params, ctx) {
  const residentId = Number(params[0]);
  // A duty post's residents, or (activity staff) the home's residents of the attendance pull.
  const resident = (await getAll('residents')).find((r) => r.id === residentId)
    || (await getAll('att_residents')).find((r) => r.id === residentId);
  if (!resident) return ctx.go(surveyOnly() ? 'attendance' : session.postId ? 'home' : 'posts');
  if (params[1]) return renderForm(main, resident, params[1], params[2] || null, ctx);
  return renderList(main, resident);
}

async function renderList(main, resident) {
  const list = h('ul', {class: 'record-list', testid: 'assess-list', 'aria-label': gettext('Assessment forms')});
  const formIds = FORM_IDS.filter((id) => !surveyOnly() || SURVEY_FORMS.includes(id));
  main.append(h('section', {class: 'panel'},
    h('a', {href: surveyOnly() ? '#/attendance' : `#/resident/${resident.id}`, class: 'back-link', testid: 'assess-back'},
      '‹ ', resident.full_name),
    h('div', {class: 'panel-head'}, h('h1', {}, gettext('Assessments')),
      h('p', {class: 'sub'}, format(gettext('Room %(room)s, bed %(bed)s'), {room: resident.room, bed: resident.bed}))),
    mayAssess() || surveyOnly() ? null : h('p', {class: 'notice notice-warn', testid: 'assess-not-allowed'}, icon('ℹ'),
      ' ', gettext('Assessments are filled by care planners and supervisors.')),
    list));
  const [definitions, known, staff] = await Promise.all([
    Promise.all(formIds.map((id) => loadDefinition(id).catch(() => null))), knownAssessments(resident.id),
    getAll('staff')]);
  const names = new Map(staff.map((s) => [s.id, s.full_name]));
  const held = await rejected();
  // her unfinished forms on this tablet (lib/people.js drafts): shown in the list, opened where she left off
  const drafts = new Set((await Promise.all(formIds.map(async (id) => ((await draft(draftKeyOf(resident.id, id)))
    ? id : null)))).filter(Boolean));
  mount(list, formIds.map((id, i) => {
    const definition = definitions[i];
    if (!definition) return null;
    const last = known.find((e) => e.category === id);
    const mine = last && session.user && last.author_id === session.user.id && last.values;
    return h('li', {class: 'record assess-item'},
      h('div', {class: 'assess-item-main'},
        h('p', {class: 'record-head'}, h('strong', {}, txt(definition.title))),
        last ? h('p', {class: 'assess-last', testid: `assess-last-${id}`,
          dataset: {total: last.score ? last.score.total ?? '' : '', band: last.score ? last.score.band || '' : ''}},
        format(gettext('Last: %(day)s, %(name)s'), {day: formatDate(last.day, {day: 'numeric', month: 'long', year: 'numeric'}),
          // «Ф.И.О., должность» (the form's own words): her post as recorded when the form reached the server
          name: [last.author_name || names.get(last.author_id) || '—',
            last.author_post ? postLabel(last.author_post) : null].filter(Boolean).join(', ')}),
        last.score ? ` — ${scoreText(definition, last.score)}` : '', ' ', syncMark(last, held.has(last.id)))
          : h('p', {class: 'hint'}, gettext('Not assessed yet.')),
        drafts.has(id) ? h('p', {class: 'tag tag-warn', testid: `assess-has-draft-${id}`}, icon('✎'), ' ',
          gettext('Unfinished form on this tablet')) : null),
      mayAssess(id) ? h('div', {class: 'resident-actions'},
        mine ? h('a', {class: 'btn btn-ghost', href: `#/assess/${resident.id}/${id}/${last.id}`,
          testid: `assess-correct-${id}`}, icon('↺'), ' ', gettext('Correct')) : null,
        h('a', {class: 'btn btn-primary', href: `#/assess/${resident.id}/${id}`, testid: `assess-open-${id}`},
          icon('✎'), ' ', drafts.has(id) ? gettext('Continue') : gettext('Fill in'))) : null);
  }));
}

/** The key of her draft of a form for a resident (of a correction: with the corrected entry's id). */
const draftKeyOf = (residentId, formId, correctsId = null) => `assess:${residentId}:${formId}${correctsId ? ':' + correctsId : ''}`;

/** Big toggle buttons for a multiple choice: each is pressed or not. */
function toggleGroup({label, options, labelOf, testPrefix, value, onChange}) {
  const chosen = new Set(value || []);
  const buttons = options.map((code) => h('button', {type: 'button', class: 'choice', 'aria-pressed': String(chosen.has(code)),
    testid: `${testPrefix}-${code}`, dataset: {code}, onclick: (event) => {
      if (chosen.has(code)) chosen.delete(code); else chosen.add(code);
      event.currentTarget.setAttribute('aria-pressed', String(chosen.has(code)));
      onChange(options.filter((o) => chosen.has(o)));
    }}, labelOf(code)));
  return {el: h('div', {class: 'choices', role: 'group', 'aria-label': label}, buttons)};
}

/** Does a number question fit in a row of buttons (whole steps, at most 11 values)? */
const shortScale = (q) => (q.step ?? 1) === 1 && Number.isInteger(q.min) && Number.isInteger(q.max) && q.max - q.min <= 10;

async function renderForm(main, resident, formId, correctsId, {go}) {
  let definition;
  try {
    definition = await loadDefinition(formId);
  } catch (_) {
    return go(`assess/${resident.id}`);
  }
  const back = `#/assess/${resident.id}`;
  if (!mayAssess(formId)) {
    main.append(h('section', {class: 'panel'}, h('a', {href: back, class: 'back-link'}, '‹ ', gettext('Assessments')),
      h('h1', {}, txt(definition.title)), h('p', {class: 'notice notice-warn', testid: 'assess-not-allowed'}, icon('ℹ'),
        ' ', gettext('Assessments are filled by care planners and supervisors.'))));
    return null;
  }
  let corrects = null;
  if (correctsId) {
    corrects = (await knownAssessments(resident.id)).find((e) => e.id === correctsId && e.category === formId);
    if (!corrects || corrects.author_id !== session.user.id || !corrects.values) return go(`assess/${resident.id}`);
  }
  const suffix = corrects ? '/' + corrects.id : '';
  const draftKey = draftKeyOf(resident.id, formId, corrects && corrects.id);
  const saved = await draft(draftKey);
  let answers = {...((saved && saved.answers) || (corrects && corrects.values) || {})};
  let showAll = false;  // 'an answer is required' shows after a first Save
  const touched = new Set(Object.keys(answers));
  const all = questions(definition);
  const blocks = new Map();  // question id -> {el, error}

  const scoreBox = h('div', {class: 'assess-score', testid: 'assess-score', role: 'status', 'aria-live': 'polite'});
  const saveError = h('p', {class: 'form-error', role: 'alert', hidden: true, testid: 'assess-save-error'});

  function setAnswer(qid, value) {
    if (value === null || value === undefined || value === '') delete answers[qid];
    else answers[qid] = value;
    touched.add(qid);
    refresh();
    saveDraft(draftKey, Object.keys(answers).length ? {answers} : null).catch(() => {});
  }

  function control(q) {
    const id = `ans-${q.id}`;
    const labelText = numbered(q);
    const value = answers[q.id];
    if (q.type === 'yes_no') {
      const group = choiceGroup({label: labelText, options: ['yes', 'no'], testPrefix: id,
        labelOf: (code) => (code === 'yes' ? gettext('Yes') : gettext('No')),
        value: value === true ? 'yes' : value === false ? 'no' : null,
        onChange: (code) => setAnswer(q.id, code === 'yes')});
      return group.el;
    }
    if (q.type === 'choice') {
      const labelOf = (code) => {
        const option = q.options.find((o) => o.value === code);
        return txt(option.label);
      };
      const options = q.options.map((o) => o.value);
      if (q.multiple) {
        return toggleGroup({label: labelText, options, labelOf, testPrefix: id, value,
          onChange: (list) => setAnswer(q.id, list.length ? list : null)}).el;
      }
      return choiceGroup({label: labelText, options, labelOf, testPrefix: id, value: value ?? null,
        onChange: (code) => setAnswer(q.id, code)}).el;
    }
    if (q.type === 'rating') {
      const levels = definition.scale.levels;
      const el = choiceGroup({label: labelText, options: levels.map((l) => String(l.value)), testPrefix: id,
        labelOf: (code) => `${code} · ${txt(levels.find((l) => String(l.value) === code).label)}`,
        value: value === undefined ? null : String(value), onChange: (code) => setAnswer(q.id, Number(code))}).el;
      el.classList.add('choices-rating');
      return el;
    }
    if (q.type === 'number' && shortScale(q)) {
      const options = [];
      for (let n = q.min; n <= q.max; n++) options.push(String(n));
      const el = choiceGroup({label: labelText, options, testPrefix: id, labelOf: (code) => formatNumber(Number(code)),
        value: value === undefined ? null : String(value), onChange: (code) => setAnswer(q.id, Number(code))}).el;
      el.classList.add('choices-numbers');
      return el;
    }
    if (q.type === 'number') {
      const input = h('input', {id, type: 'number', class: 'input input-number', inputmode: 'decimal', testid: id,
        min: String(q.min), max: String(q.max), step: String(q.step ?? 1), value: value === undefined ? '' : String(value),
        'aria-describedby': `${id}-err`});
      input.addEventListener('input', () => {
        const text = input.value.trim();
        setAnswer(q.id, text === '' || Number.isNaN(Number(text)) ? null : Number(text));
      });
      return h('span', {class: 'input-with-unit'}, input, q.unit ? h('span', {class: 'unit'}, q.unit) : null);
    }
    const area = h('textarea', {id, class: 'input', rows: 3, testid: id, maxlength: q.max_length || null,
      'aria-describedby': `${id}-err`});
    area.value = value ?? '';
    area.addEventListener('input', () => setAnswer(q.id, area.value.trim() ? area.value : null));
    return area;
  }

  function questionBlock(q) {
    const labelText = numbered(q);
    const error = h('p', {class: 'field-msg', id: `ans-${q.id}-err`, testid: `q-error-${q.id}`});
    const textual = q.type === 'text' || (q.type === 'number' && !shortScale(q));
    const el = h(textual ? 'div' : 'fieldset', {class: 'assess-question', testid: `q-${q.id}`, tabindex: -1},
      textual ? h('label', {class: 'label', for: `ans-${q.id}`}, labelText, q.required ? ' *' : '')
        : h('legend', {class: 'label'}, labelText, q.required ? ' *' : ''),
      q.help ? h('p', {class: 'hint'}, txt(q.help)) : null,
      control(q),
      q.footnote ? h('p', {class: 'hint assess-footnote'}, '* ', txt(q.footnote)) : null,
      error);
    blocks.set(q.id, {el, error});
    return el;
  }

  /** Answers of questions hidden by a condition are dropped (the server refuses them), until nothing changes. */
  function dropHidden() {
    for (let changed = true; changed;) {
      changed = false;
      for (const q of all) {
        if (q.show_if && answers[q.id] !== undefined && !isShown(definition, answers, q.id)) {
          delete answers[q.id];
          changed = true;
        }
      }
    }
  }

  function refresh() {
    dropHidden();
    const result = score(definition, answers);
    for (const q of all) {
      const block = blocks.get(q.id);
      const shown = isShown(definition, answers, q.id);
      block.el.hidden = !shown;
      block.el.dataset.shown = String(shown);
      const err = result.errors[q.id];
      const visible = err && (showAll || (touched.has(q.id) && err.code !== 'required'));
      block.error.textContent = visible ? errorText(err) : '';
      block.error.classList.toggle('is-error', !!visible);
      block.el.classList.toggle('has-error', !!visible);
    }
    if (!Object.keys(result.errors).length) saveError.hidden = true;
    const left = Object.values(result.errors).filter((e) => e.code === 'required').length;
    const scoring = definition.scoring;
    const subs = scoring && scoring.subscores ? scoring.subscores : [];
    mount(scoreBox,
      result.total !== null ? h('p', {class: 'assess-total', testid: 'assess-total', dataset: {total: result.total}},
        h('strong', {}, scoring.max !== undefined
          ? format(gettext('Score: %(total)s of %(max)s'), {total: formatNumber(result.total), max: formatNumber(scoring.max)})
          : format(gettext('Score: %(total)s'), {total: formatNumber(result.total)}))) : null,
      result.band ? h('p', {class: 'assess-band', testid: 'assess-band', dataset: {band: result.band}},
        icon('◆'), ' ', bandLabel(definition, result.band)) : null,
      subs.length ? h('ul', {class: 'assess-subs'}, subs.map((s) => h('li', {testid: `assess-sub-${s.id}`},
        txt(s.label) + ': ' + formatNumber(result.subscores[s.id] ?? 0) + (s.max !== undefined ? ' / ' + formatNumber(s.max) : ''))))
        : null,
      left ? h('button', {type: 'button', class: 'btn btn-small btn-ghost', testid: 'assess-left', dataset: {left},
        onclick: () => showFirstUnanswered(score(definition, answers))},
      format(ngettext('%(n)s question left', '%(n)s questions left', left), {n: left}))
        : h('p', {class: 'hint', testid: 'assess-left', dataset: {left}}, gettext('All questions answered.')));
    return result;
  }

  /** Scroll to the first question still missing an answer (or wrong) and put the focus there. */
  function showFirstUnanswered(result) {
    const first = all.find((q) => result.errors[q.id] && isShown(definition, answers, q.id));
    if (!first) return;
    const {el} = blocks.get(first.id);
    el.scrollIntoView({block: 'center'});
    el.focus({preventScroll: true});
  }

  const save = h('button', {type: 'submit', class: 'btn btn-primary', testid: 'btn-save-assessment'},
    icon('✓'), ' ', gettext('Save assessment'));
  const form = h('form', {class: 'assess-form', testid: 'assess-form', novalidate: true, dataset: {form: formId}},
    definition.help ? h('p', {class: 'notice'}, icon('ℹ'), ' ', txt(definition.help)) : null,
    definition.sections.map((section) => h('section', {class: 'assess-section'},
      section.title ? h('h2', {class: 'section-title'}, section.number ? `${section.number}. ` : '', txt(section.title))
        : null,
      section.help ? h('p', {class: 'hint'}, txt(section.help)) : null,
      section.questions.map(questionBlock))),
    h('div', {class: 'assess-bar'}, scoreBox, saveError,
      h('div', {class: 'resident-actions'},
        h('a', {class: 'btn', href: back}, gettext('Cancel')), save)));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showAll = true;
    const result = refresh();
    const problems = Object.keys(result.errors);
    if (problems.length) {
      saveError.textContent = gettext('Answer every question marked * before saving. An unfinished form stays on this tablet as your draft.');
      saveError.hidden = false;
      showFirstUnanswered(result);
      return;
    }
    saveError.hidden = true;
    save.disabled = true;
    try {
      const {total, subscores, band, complete} = result;
      await record([{kind: 'assessment', day: corrects ? corrects.day : today(), resident_id: resident.id,
        category: formId, values: {...answers}, supersedes: corrects ? corrects.id : null,
        score: {total, subscores, band, complete, version: definition.version}}]);
      await saveDraft(draftKey, null);
      toast(gettext('Saved on the tablet. It will be sent when the connection allows.'));
      // back to the forms (the next one is usually due too); activity staff to their attendance
      go(surveyOnly() ? 'attendance' : `assess/${resident.id}`);
    } catch (err) {
      saveError.textContent = err.message || String(err);
      saveError.hidden = false;
      save.disabled = false;
    }
  });

  main.append(h('section', {class: 'panel'},
    h('a', {href: back, class: 'back-link', testid: 'assess-back'}, '‹ ', gettext('Assessments')),
    h('div', {class: 'panel-head'},
      h('div', {}, h('h1', {}, txt(definition.title)),
        h('p', {class: 'sub'}, resident.full_name, ' · ',
          format(gettext('Room %(room)s, bed %(bed)s'), {room: resident.room, bed: resident.bed}), ' · ',
          formatDate(corrects ? corrects.day : today(), {day: 'numeric', month: 'long', year: 'numeric'})))),
    corrects ? h('p', {class: 'notice'}, icon('↺'), ' ',
      gettext('A correction: the earlier assessment is kept and this one replaces it.')) : null,
    saved ? h('p', {class: 'notice', testid: 'assess-draft'}, icon('✎'), ' ',
      gettext('Your unfinished form was kept on this tablet.'), ' ',
      h('button', {type: 'button', class: 'btn btn-small btn-ghost', testid: 'btn-draft-discard', onclick: async () => {
        const ok = await confirmDialog(gettext('Start again?'),
          gettext('Your unfinished answers on this tablet will be deleted.'), gettext('Start again'));
        if (!ok) return;
        await saveDraft(draftKey, null);
        go('assess/' + resident.id + '/' + formId + suffix);
      }}, gettext('Start again'))) : null,
    form));
  refresh();
  return null;
}
