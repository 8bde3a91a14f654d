// A resident's care group: the four groups as regulation 004 defines them, the latest observation form, MMSE and
// "Age is no barrier" side by side, the app's suggestion with the answers it read and what it cannot see, the
// team's decision with its grounds from the chosen group's definition, and the history.
//
// data-testid: group-resident, group-current (data-group), group-reassessment (data-status), group-definitions,
//   group-definition-<1..4>, group-assessments, group-assessment-<form_id> (data-assessed true|false),
//   group-suggestion (data-group, '' when none; data-agrees: the tablet's rule gives the server's group),
//   group-reason-<code> (its answers: [data-form][data-item]), group-unseen, group-unseen-<code>,
//   group-use-suggestion, group-observation-rows, group-undecided (a group set without a recorded decision),
//   decision form: group-choice-<1..4>, group-chosen-definition, group-grounds, group-ground-<code>, group-date,
//   group-reason-choice-<initial|planned|unplanned>, group-note, group-save, group-error, group-field-<name>,
//   history: group-history, group-history-<decision_id>, group-decision-grounds-<decision_id>, group-back,
//   group-assess-link, group-plan-link, group-offline
import {ApiError, OfflineError, api, withQuery} from '../lib/api.js';
import {h, icon, mount} from '../lib/dom.js';
import {dateInput} from '../lib/dateinput.js';
import {format, formatDate, formatDateTime, gettext, locale} from '../lib/i18n.js';
import {keepForm} from '../lib/drafts.js';
import {loadDefinition} from '../lib/forms.js';
import {GROUNDS, GROUPS, groundLabel, groupBrief, groupDefinition, suggestFromAssessments} from '../lib/care_group.js';
import {roman} from '../lib/labels.js';
import {groupText, reassessmentLabel} from '../lib/office_labels.js';
import {choiceGroup, toast} from './dialogs.js';

const OBSERVATION = 'adl_observation';
const MMSE = 'mmse';
const AGE_NO_BARRIER = 'age_no_barrier';
const FORMS = [OBSERVATION, MMSE, AGE_NO_BARRIER];

const tr = (label) => (label && typeof label === 'object' ? label[locale()] || label.en || '' : label || '');
const rowList = (rows) => (rows || []).join(', ');

const reasonLabel = (code) => ({
  initial: gettext('Initial assessment'), planned: gettext('Planned reassessment'),
  unplanned: gettext('Unplanned (change in condition)'),
}[code] || code);

const bandLabel = (band) => ({
  normal: gettext('no cognitive impairment'), mild: gettext('mild dementia'), moderate: gettext('moderate dementia'),
  severe: gettext('severe dementia'),
}[band] || band);

// the "Age is no barrier" bands (age_no_barrier.json: <= 2, 3-4, 5-7 points)
const frailtyLabel = (band) => ({
  no_frailty: gettext('no frailty'), pre_frailty: gettext('probable pre-frailty'), frailty: gettext('probable frailty'),
}[band] || band);

const formName = (formId) => ({
  [OBSERVATION]: gettext('Observation form'), [MMSE]: gettext('MMSE'), [AGE_NO_BARRIER]: gettext('"Age is no barrier"'),
}[formId] || formId);

/** One reason of the suggestion in plain words (codes from backend/domain/care_groups.py). */
export function reasonText({code, params: p = {}}) {
  switch (code) {
    case 'no_observation': return gettext('No observation form has been filled in yet.');
    case 'no_mmse': return gettext('No MMSE has been done yet.');
    case 'observation_incomplete': return format(gettext('The observation form is incomplete (rows %(rows)s).'), {rows: rowList(p.rows)});
    case 'mmse_incomplete': return gettext('The MMSE is incomplete.');
    case 'observation_stale': return format(gettext('The latest observation form (%(on)s) is older than the last decision (%(decided)s): fill in a new one.'),
      {on: formatDate(p.on, {dateStyle: 'medium'}), decided: formatDate(p.decided_on, {dateStyle: 'medium'})});
    case 'mmse_stale': return format(gettext('The latest MMSE (%(on)s) is older than the last decision (%(decided)s): do a new one.'),
      {on: formatDate(p.on, {dateStyle: 'medium'}), decided: formatDate(p.decided_on, {dateStyle: 'medium'})});
    case 'immobile': return gettext('Cannot move about alone, even with aids (rows 14 and 15 at "cannot do alone").');
    case 'self_care_lost': return format(gettext('Cannot care for themself: %(count)s of %(of)s self-care activities at "cannot do alone" (rows %(rows)s).'),
      {count: p.count, of: p.of, rows: rowList(p.rows)});
    case 'mmse_severe': return format(gettext('MMSE %(total)s: severe dementia.'), {total: p.total});
    case 'mmse_moderate_disoriented': return format(gettext('MMSE %(total)s (moderate dementia) and disoriented (rows %(rows)s).'),
      {total: p.total, rows: rowList(p.rows)});
    case 'danger_disoriented': return format(gettext('Does not recognise danger and is disoriented (rows %(rows)s).'), {rows: rowList(p.rows)});
    case 'needs_much_help': return format(gettext('Needs mostly help or cannot do alone: rows %(rows)s.'), {rows: rowList(p.rows)});
    case 'needs_little_help': return format(gettext('Needs a little help with %(count)s activities (rows %(rows)s).'),
      {count: p.count, rows: rowList(p.rows)});
    case 'independent': return p.little_help
      ? format(gettext('Manages on their own; a little help with %(count)s activities (rows %(rows)s).'), {count: p.little_help, rows: rowList(p.rows)})
      : gettext('Manages moving about and self-care on their own.');
    case 'mmse': return format(gettext('MMSE %(total)s: %(band)s.'), {total: p.total, band: bandLabel(p.band)});
    case 'mmse_moderate_orientation': return format(gettext('MMSE %(total)s (moderate dementia) and disoriented on the MMSE: orientation to time and place %(orientation)s of %(of)s.'),
      {total: p.total, orientation: p.orientation, of: p.of});
    case 'frailty_little_help': return format(gettext('"Age is no barrier" %(total)s of 7 (probable frailty) and a little help with %(count)s activities (rows %(rows)s): a regular need.'),
      {total: p.total, count: p.count, rows: rowList(p.rows)});
    case 'frailty_attention': return format(gettext('"Age is no barrier" %(total)s of 7: %(band)s, though the observation form shows no regular need. The team should look again.'),
      {total: p.total, band: frailtyLabel(p.band)});
    case 'age_no_barrier': return format(gettext('"Age is no barrier" %(total)s of 7: %(band)s.'), {total: p.total, band: frailtyLabel(p.band)});
    default: return code;
  }
}

/** What the suggestion cannot see, in plain words. */
export function unseenText({code, params: p = {}}) {
  switch (code) {
    case 'behaviour': return gettext('Behaviour: not measured by these forms. Group III also covers a resident who cannot control their behaviour: the team decides.');
    case 'no_age_no_barrier': return gettext('"Age is no barrier" has not been done: frailty is not taken into account.');
    case 'age_no_barrier_incomplete': return gettext('"Age is no barrier" is incomplete: frailty is not taken into account.');
    case 'age_no_barrier_stale': return format(gettext('The latest "Age is no barrier" (%(on)s) is older than the last decision (%(decided)s): frailty is not taken into account.'),
      {on: formatDate(p.on, {dateStyle: 'medium'}), decided: formatDate(p.decided_on, {dateStyle: 'medium'})});
    default: return code;
  }
}

/** One answer a reason read: form, item, value. */
function answerText({form, item, value}, defs) {
  const def = defs[form];
  let name = item;
  let shown = value === true ? gettext('yes') : value === false ? gettext('no') : String(value);
  if (item === 'total') name = gettext('total');
  else if (form === MMSE) {
    const sub = ((def && def.scoring && def.scoring.subscores) || []).find((x) => x.id === item);
    if (sub) name = tr(sub.label);
  } else if (def) {
    const q = (def.sections || []).flatMap((x) => x.questions || []).find((x) => x.id === item);
    if (q) name = `${q.number}. ${tr(q.label)}`;
    if (form === OBSERVATION) {
      const level = ((def.scale && def.scale.levels) || []).find((l) => l.value === value);
      if (level) shown = `${value} · ${tr(level.label)}`;
    }
  }
  return `${formName(form)} · ${name}: ${shown}`;
}

function problem(err) {
  return err instanceof OfflineError ? gettext('No connection. Care groups are decided online.') : (err.message || String(err));
}

/** The three assessments the groups are decided on, side by side: score, band, date and who; or not yet done. */
function assessmentCards(byForm, defs) {
  const card = (formId, body) => {
    const a = byForm[formId];
    return h('div', {class: 'notice', testid: `group-assessment-${formId}`, dataset: {assessed: String(!!a)}},
      h('h3', {class: 'section-title'}, formName(formId)),
      a ? [body(a), h('p', {class: 'sub'}, format(gettext('%(date)s, by %(who)s'),
        {date: formatDate(a.day, {dateStyle: 'medium'}), who: a.author_name || '—'}))]
        : h('p', {class: 'empty'}, gettext('Not yet assessed')));
  };
  const rated = (a) => ((defs[OBSERVATION] && defs[OBSERVATION].sections) || []).flatMap((x) => x.questions || [])
    .filter((q) => q.type === 'rating');
  return h('div', {class: 'side-by-side', testid: 'group-assessments'},
    card(OBSERVATION, (a) => {
      const rows = rated(a);
      const help = rows.filter((q) => Number((a.answers || {})[q.id]) > 1).length;
      return h('p', {}, h('strong', {}, format(gettext('Help needed with %(count)s of %(of)s activities'),
        {count: help, of: rows.length || 29})));
    }),
    card(MMSE, (a) => {
      const s = a.score || {};
      return h('p', {}, h('strong', {}, format(gettext('%(total)s of 30'), {total: s.total ?? '—'})),
        s.band ? ` · ${bandLabel(s.band)}` : ' · ' + gettext('incomplete'));
    }),
    card(AGE_NO_BARRIER, (a) => {
      const s = a.score || {};
      return h('p', {}, h('strong', {}, format(gettext('%(total)s of 7'), {total: s.total ?? '—'})),
        s.band ? ` · ${frailtyLabel(s.band)}` : ' · ' + gettext('incomplete'));
    }));
}

/** The observation form's rows where help is needed. */
function observationRows(assessment, definition) {
  const levels = Object.fromEntries(((definition && definition.scale && definition.scale.levels) || [])
    .map((l) => [l.value, tr(l.label)]));
  const rows = [];
  for (const section of (definition && definition.sections) || []) {
    for (const q of section.questions || []) {
      if (q.type !== 'rating') continue;
      const value = (assessment.answers || {})[q.id];
      if (value === undefined || value === null || value === 1) continue;  // only where help is needed
      rows.push(h('tr', {}, h('td', {}, q.number), h('td', {}, tr(q.label)), h('td', {}, `${value} · ${levels[value] || ''}`)));
    }
  }
  return rows.length ? h('table', {class: 'data-table', testid: 'group-observation-rows'},
    h('caption', {class: 'hint'}, gettext('Observation form: activities where help is needed')),
    h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, gettext('No.')), h('th', {scope: 'col'}, gettext('Activity')),
      h('th', {scope: 'col'}, gettext('Rating')))),
    h('tbody', {}, rows))
    : h('p', {}, gettext('Does every activity on their own.'));
}

/** The four groups in the words of regulation 004 (Appendix 4). */
function definitions(current, suggested) {
  return h('ol', {class: 'field-list', testid: 'group-definitions'}, GROUPS.map((g) => h('li', {class: 'notice',
    testid: `group-definition-${g}`},
  h('p', {}, h('strong', {}, groupText(g)), g === current ? ' · ' + gettext('the current group') : '',
    g === suggested ? ' · ' + gettext('suggested by the app') : ''),
  h('p', {}, groupDefinition(g)))));
}

function decisionForm(view, suggested, onSaved) {
  const msgs = {};
  const chosen = h('div', {class: 'stack', testid: 'group-grounds'});
  let boxes = [];
  const showGrounds = (g) => {
    boxes = (GROUNDS[Number(g)] || []).map((code) => h('input', {type: 'checkbox', id: `group-ground-${code}`,
      testid: `group-ground-${code}`, value: code}));
    mount(chosen, h('p', {class: 'hint', testid: 'group-chosen-definition'}, `${groupText(Number(g))}: ${groupDefinition(Number(g))}`),
      h('fieldset', {class: 'field'}, h('legend', {class: 'label'}, gettext('Grounds from the definition (at least one)')),
        h('div', {class: 'checks'}, boxes.map((box) => h('label', {class: 'check', for: box.id}, box, groundLabel(box.value)))),
        msgs.grounds));
  };
  const groups = choiceGroup({label: gettext('Care group'), options: ['1', '2', '3', '4'], labelOf: (g) => groupText(Number(g)),
    testPrefix: 'group-choice', value: null, onChange: showGrounds});
  const date = dateInput({id: 'group-date', value: view.today, max: view.today, testid: 'group-date'});
  const reasons = choiceGroup({label: gettext('Kind of assessment'), options: ['initial', 'planned', 'unplanned'],
    labelOf: reasonLabel, testPrefix: 'group-reason-choice',
    value: !view.history.length ? 'initial' : view.resident.needs_reassessment ? 'unplanned' : 'planned'});
  const note = h('textarea', {id: 'group-note', class: 'input', rows: 3, maxlength: 2000, testid: 'group-note'});
  // shown only with something to say (an empty bar looked like an error), just above the button
  const error = h('p', {class: 'form-error', role: 'alert', hidden: true, testid: 'group-error'});
  const say = (text) => { error.textContent = text; error.hidden = !text; };
  const fieldMsg = (name) => (msgs[name] = h('p', {class: 'field-msg is-error', testid: `group-field-${name}`}));
  fieldMsg('grounds');
  const save = h('button', {type: 'submit', class: 'btn btn-primary', testid: 'group-save'}, icon('✓'), ' ', gettext('Record the decision'));
  const form = h('form', {class: 'stack', novalidate: true},
    h('fieldset', {class: 'field'}, h('legend', {class: 'label'}, gettext('Care group decided by the team')), groups.el,
      suggested ? h('p', {class: 'hint'}, format(gettext('The app suggests group %(group)s; the team decides.'), {group: roman(suggested)})) : null,
      fieldMsg('group'), chosen),
    h('div', {class: 'field'}, h('label', {for: 'group-date'}, gettext('Date of the decision')), date, fieldMsg('decided_on')),
    h('fieldset', {class: 'field'}, h('legend', {class: 'label'}, gettext('Kind of assessment')), reasons.el, fieldMsg('reason')),
    h('div', {class: 'field'}, h('label', {for: 'group-note'}, gettext('Note (who took part, what was considered)')), note, fieldMsg('note')),
    error, save);
  // what she chose and typed is her draft until the decision is recorded (lib/drafts.js), through the idle lock
  const kept = keepForm(form, `group:${view.resident.id}`).catch(() => null);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    say('');
    for (const m of Object.values(msgs)) m.textContent = '';
    if (!groups.get()) {
      // said beside the choice and again by the button she pressed; the choice gets the focus
      msgs.group.textContent = gettext('Choose a care group.');
      say(gettext('Choose a care group.'));
      const first = form.querySelector('[data-testid^="group-choice-"]');
      if (first) first.focus();
      return;
    }
    const grounds = boxes.filter((box) => box.checked).map((box) => box.value);
    if (!grounds.length) {
      msgs.grounds.textContent = gettext('Choose at least one ground from the group\'s definition.');
      say(gettext('Choose at least one ground from the group\'s definition.'));
      if (boxes[0]) boxes[0].focus();
      return;
    }
    save.disabled = true;
    try {
      const saved = await api.post('/api/care-groups', {resident_id: view.resident.id, group: Number(groups.get()),
        decided_on: date.value, reason: reasons.get(), grounds, note: note.value.trim() || null, basis: view.basis});
      await Promise.resolve(kept).then((k) => k && k.clear());
      toast(format(gettext('Care group %(group)s recorded.'), {group: roman(saved.care_group)}));
      onSaved(saved);
    } catch (err) {
      if (err instanceof ApiError && err.fields) {
        for (const [key, text] of Object.entries(err.fields)) if (msgs[key]) msgs[key].textContent = `⚠ ${text}`;
      }
      say(problem(err));
    } finally {
      save.disabled = false;
    }
  });
  return {form, choose: (g) => {
    const button = form.querySelector(`[data-testid="group-choice-${g}"]`);
    if (button) button.click();
  }};
}

function historyList(history) {
  if (!history.length) return h('p', {class: 'empty'}, gettext('No decision has been recorded yet.'));
  return h('ol', {class: 'field-list', testid: 'group-history'}, history.map((d) => h('li', {class: 'notice', testid: `group-history-${d.id}`},
    h('p', {}, h('strong', {}, groupText(d.group)), ` (${groupBrief(d.group)})`, ' · ', formatDate(d.decided_on, {dateStyle: 'long'}),
      ' · ', reasonLabel(d.reason)),
    h('p', {testid: `group-decision-grounds-${d.id}`}, (d.grounds || []).length
      ? format(gettext('Grounds: %(grounds)s'), {grounds: d.grounds.map(groundLabel).join('; ')})
      : gettext('Grounds: not recorded (decided before grounds were recorded).')),
    h('p', {class: 'sub'}, format(gettext('Decided by %(who)s; recorded %(when)s'),
      {who: d.decided_by_name || '—', when: formatDateTime(d.recorded_at)})),
    d.suggestion ? h('p', {class: 'hint'}, d.suggestion.group
      ? format(gettext('The app had suggested group %(group)s.'), {group: roman(d.suggestion.group)})
      : gettext('The app had no suggestion.')) : null,
    d.note ? h('p', {}, d.note) : null)));
}

export async function render(main, params) {
  const residentId = Number(params[0]);
  const section = h('section', {class: 'panel'});
  main.append(section);
  const show = async (view) => {
    const defs = {};
    await Promise.all(FORMS.map(async (id) => {
      try { defs[id] = await loadDefinition(id); } catch (_) { /* the answers are then shown without labels */ }
    }));
    const r = view.resident;
    // the tablet's rule (lib/care_group.js) over the same assessments; the server's stays the one recorded
    const last = view.history.length ? view.history[0].decided_on : null;
    const local = suggestFromAssessments(view.assessments, last);
    const agrees = local.group === view.suggestion.group;
    const suggestion = agrees ? local : view.suggestion;
    const decision = decisionForm(view, suggestion.group, (saved) => show(saved));
    const byForm = Object.fromEntries(view.assessments.map((a) => [a.form_id, a]));
    mount(section,
      h('a', {class: 'back-link', href: '#/board', testid: 'group-back'}, '← ', gettext('Planning board')),
      h('div', {class: 'panel-head'},
        h('div', {}, h('h1', {testid: 'group-resident'}, format(gettext('Care group: %(name)s'), {name: r.full_name})),
          h('p', {class: 'sub'}, format(gettext('Room %(room)s, bed %(bed)s'), {room: r.room, bed: r.bed}))),
        h('div', {class: 'checks'},
          h('a', {class: 'btn btn-small', href: `#/assess/${r.id}`, testid: 'group-assess-link'}, gettext('Assess')),
          h('a', {class: 'btn btn-small', href: `#/plan/${r.id}`, testid: 'group-plan-link'}, gettext('Care plan')))),
      h('dl', {class: 'kv-list'},
        h('div', {class: 'kv'}, h('dt', {}, gettext('Current group')),
          h('dd', {testid: 'group-current', dataset: {group: String(view.care_group || '')}}, groupText(view.care_group),
            view.care_group ? ` (${groupBrief(view.care_group)})` : '',
            view.care_group && !view.history.length ? h('p', {class: 'hint', testid: 'group-undecided'},
              gettext('Set without a recorded decision (at admission or when the resident was brought in): the team\'s first decision replaces it.'))
              : null)),
        h('div', {class: 'kv'}, h('dt', {}, gettext('Reassessment')),
          h('dd', {testid: 'group-reassessment', dataset: {status: view.reassessment.status}},
            reassessmentLabel(view.reassessment.status),
            view.reassessment.due_on ? ' · ' + format(gettext('due %(date)s'), {date: formatDate(view.reassessment.due_on, {dateStyle: 'medium'})}) : '',
            view.reassessment.marked && view.reassessment.status !== 'marked' ? ` · ${reassessmentLabel('marked')}` : ''))),
      h('h2', {class: 'section-title'}, gettext('Latest assessments')),
      assessmentCards(byForm, defs),
      byForm[OBSERVATION] ? observationRows(byForm[OBSERVATION], defs[OBSERVATION]) : null,
      h('h2', {class: 'section-title'}, gettext("The app's suggestion")),
      h('div', {class: ['notice', suggestion.group ? null : 'notice-warn'], testid: 'group-suggestion',
        dataset: {group: String(suggestion.group || ''), agrees: String(agrees)}},
      h('p', {}, h('strong', {}, suggestion.group ? format(gettext('Suggested: group %(group)s'), {group: roman(suggestion.group)})
        : gettext('No suggestion'))),
      h('ul', {}, suggestion.reasons.map((reason) => h('li', {testid: `group-reason-${reason.code}`}, reasonText(reason),
        (reason.answers || []).length ? h('ul', {class: 'hint'}, reason.answers.map((a) => h('li', {dataset: {form: a.form, item: a.item}},
          answerText(a, defs)))) : null))),
      h('p', {}, h('strong', {}, gettext('What the suggestion cannot see'))),
      h('ul', {testid: 'group-unseen'}, (suggestion.unseen || [{code: 'behaviour', params: {}}]).map((u) => h('li',
        {testid: `group-unseen-${u.code}`}, unseenText(u)))),
      h('p', {class: 'hint'}, gettext('Our own rule, not the regulation\'s: the regulation describes the groups but gives no rule. Only the team\'s decision sets the group.')),
      suggestion.group ? h('button', {type: 'button', class: 'btn', testid: 'group-use-suggestion',
        onclick: () => decision.choose(suggestion.group)}, format(gettext('Choose group %(group)s'), {group: roman(suggestion.group)})) : null),
      h('h2', {class: 'section-title'}, gettext('The care groups (regulation 004)')),
      definitions(view.care_group, suggestion.group),
      h('h2', {class: 'section-title'}, gettext('Decision')),
      decision.form,
      h('h2', {class: 'section-title'}, gettext('History')),
      historyList(view.history));
    const heading = section.querySelector('h1');
    if (heading) { heading.tabIndex = -1; }
  };
  try {
    await show(await api.get(withQuery('/api/care-groups', {resident_id: residentId})));
  } catch (err) {
    mount(section, h('a', {class: 'back-link', href: '#/board', testid: 'group-back'}, '← ', gettext('Planning board')),
      h('h1', {}, gettext('Care group')),
      h('p', {class: 'notice notice-warn', role: 'alert', testid: 'group-offline'}, icon('⊘'), ' ', problem(err)));
  }
}
