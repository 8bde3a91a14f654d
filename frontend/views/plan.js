// A resident's individual care plan (appendix 5): header, six sections, versions, what changed between two,
// and next month's card generated from it. Route: #/plan (choose a resident), #/plan/<resident_id>[/<version>].
//
// data-testid: plan-unit, plan-resident, plan-open, plan-title, plan-version-line, plan-old-version,
//   plan-header-<field> (care_group, ippsu-number, ippsu-date, ipra-number, ipra-date, pressure_ulcer_points,
//   fall_risk_points, pain, current_state, physical, psychological, social), plan-latest-<field>,
//   plan-section-<section id> (a <details>), section-service-type-<sid>, btn-add-service-<sid>,
//   service-<service id> with service-name, service-volume, service-preset, service-kind, service-times,
//   service-hours, service-start, service-shift-<day|night>, service-dow-<1..7>, service-from, service-to,
//   service-on-card, service-category, service-instructions, service-measure-<m>, service-label, btn-remove-service (asks first);
//   rehab-type-<sid>, rehab-conclusion-<sid>, rehab-term-<sid>; btn-add-row-<sid>, row-<row id> with row-problem,
//   row-goal, row-measures, row-set-on, row-review-on, btn-remove-row; plan-note, plan-effective, btn-save-plan,
//   plan-errors, plan-saved (what the save changed), plan-versions, version-<n>, compare-from, compare-to,
//   btn-compare, plan-diff, diff-change (each change, data-change), btn-generate-card, link-card-editor;
//   her unsaved changes (lib/drafts.js, per resident and version): draft-restored with draft-discard, or, when
//   started from an older version, draft-older with draft-use and draft-discard
import {ApiError, OfflineError, api, withQuery} from '../lib/api.js';
import {h, icon, mount} from '../lib/dom.js';
import {dateInput} from '../lib/dateinput.js';
import {format, formatDate, formatDateTime, formatMonth, gettext, ngettext} from '../lib/i18n.js';
import {measureLabel, roman, scheduleKindLabel, shiftLabel} from '../lib/labels.js';
import {CARD_CATEGORIES, MEASURES, categoryLabel, sectionName} from '../lib/office_labels.js';
import {addDays} from '../lib/time.js';
import {today} from '../lib/session.js';
import {uuid7} from '../lib/uuid.js';
import {PERIODIC_KINDS, periodicityLabel, weekdayName} from '../lib/periodicity.js';
import {PRESETS, periodicDefaults, periodicFields, presetOf} from '../lib/periodicity_form.js';
import {confirmDialog, toast} from './dialogs.js';
import {versionsPanel} from '../lib/plan_versions.js';
import {draftNotice, putDraft} from '../lib/drafts.js';
import {drafts, modelDraft} from '../lib/model_draft.js';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];

function problem(err) {
  return err instanceof OfflineError ? gettext('No connection. The care plan is edited online.') : (err.message || String(err));
}

let go = (route) => { location.hash = `#/${route}`; };

export async function render(main, params, ctx) {
  if (ctx && ctx.go) go = ctx.go;
  const residentId = Number(params[0]);
  if (!residentId) return chooser(main);
  const section = h('section', {class: 'panel'});
  main.append(section);
  let plan;
  let versions;
  const number = params[1] ? Number(params[1]) : null;
  try {
    plan = await api.get(number ? `/api/care-plans/${residentId}/versions/${number}` : `/api/care-plans/${residentId}`);
    versions = await api.get(`/api/care-plans/${residentId}/versions`);
  } catch (err) {
    section.append(h('h1', {}, gettext('Care plan')), h('p', {class: 'notice notice-bad'}, problem(err)));
    return null;
  }
  const latestNumber = versions.length ? versions[0].number : 0;
  const readOnly = number !== null && number !== latestNumber;
  let content = structuredClone(plan.content);
  if (!readOnly) bringHeaderUpToDate(content.header, plan.latest);
  // Her unsaved changes (lib/drafts.js), kept per resident and per version they were started from: put back on the
  // same version; one started from an older version is offered, never applied over a newer one unasked.
  const kept = readOnly ? null : await modelDraft(planDraftKey(residentId, latestNumber), {base: latestNumber});
  const original = structuredClone(content);
  const mine = kept && kept.saved ? kept.saved.data : null;
  if (mine) content = mine.content;
  const older = readOnly || mine ? null : await olderDraft(residentId, latestNumber);
  section.append(
    h('div', {class: 'panel-head'},
      h('div', {},
        h('h1', {testid: 'plan-title'}, format(gettext('Care plan: %(name)s'), {name: plan.resident_name})),
        h('p', {class: 'sub'}, [plan.room ? format(gettext('Room %(room)s'), {room: plan.room}) : null,
          plan.birth_date ? format(gettext('born %(date)s'), {date: formatDate(plan.birth_date, {dateStyle: 'medium'})}) : null]
          .filter(Boolean).join(' · ')),
        h('p', {class: 'sub', testid: 'plan-version-line'}, plan.version
          ? format(gettext('Version %(n)s of %(date)s by %(who)s'), {n: plan.version.number,
            date: formatDateTime(plan.version.created_at), who: plan.version.created_by_name || '—'})
            + (plan.version.note ? ` — ${plan.version.note}` : '')
          : gettext('No plan yet: fill it in and save the first version.'))),
      h('div', {class: 'button-row'},
        h('a', {class: 'btn', href: `#/cards/${residentId}`, testid: 'link-card-editor'}, gettext('Care cards')),
        latestNumber ? h('button', {type: 'button', class: 'btn btn-primary', testid: 'btn-generate-card',
          onclick: () => generateCard(residentId)}, icon('+'), ' ', gettext('Generate next month\'s card')) : null)),
    // (Element.append writes a null as the text 'null': only a notice that is there)
    ...(readOnly ? [h('p', {class: 'notice notice-warn', testid: 'plan-old-version'},
      gettext('You are looking at an older version. It cannot be changed. '),
      h('a', {href: `#/plan/${residentId}`}, gettext('Open the current version')))] : []),
    ...(mine ? [kept.notice({onDiscard: () => go(`plan/${residentId}`)})] : []),
    ...(older ? [olderNotice(residentId, latestNumber, older)] : []));
  const form = h('div', {class: readOnly ? 'plan-readonly' : ''},
    headerForm(content.header, plan.latest, readOnly),
    content.sections.map((s) => sectionForm(s, readOnly)));
  section.append(form);
  if (readOnly) for (const el of form.querySelectorAll('input, select, textarea, button')) el.disabled = true;
  else {
    section.append(saveForm(residentId, content, latestNumber, kept, mine));
    const note = section.querySelector('#plan-note');
    const effective = section.querySelector('#plan-effective');
    // the plan as drawn from the server (its form may have filled in defaults): no draft while it is unchanged
    const pristine = {content: mine ? original : structuredClone(content), note: '', effective: addDays(today(), 1)};
    kept.watch(section, () => ({content, note: note.value, effective: effective.value}), pristine);
  }
  section.append(versionsPanel(residentId, versions, problem));
  return null;
}

const planDraftKey = (residentId, version) => `plan:${residentId}:${version}`;

/** Her latest draft of this resident's plan started from a version older than `latest`: {key, value} or null. */
async function olderDraft(residentId, latest) {
  const prefix = `plan:${residentId}:`;
  const found = (await drafts(prefix))
    .map(([key, value]) => ({key, value, version: Number(key.slice(prefix.length))}))
    .filter((d) => d.version < latest && d.value && d.value.data)
    .sort((a, b) => b.version - a.version);
  return found[0] || null;
}

/** A newer version was saved since she started her changes: say so, and let her take them over it or drop them. */
function olderNotice(residentId, latest, older) {
  const use = h('button', {type: 'button', class: 'btn btn-small', testid: 'draft-use', onclick: async () => {
    await putDraft(planDraftKey(residentId, latest), {...older.value, base: latest});
    await putDraft(older.key, null);
    go(`plan/${residentId}`);
  }}, gettext('Use my changes'));
  return draftNotice({warn: true, testid: 'draft-older', savedAt: older.value.saved_at, buttons: [use],
    text: [format(gettext('You have unsaved changes started from version %(old)s; version %(new)s was saved since.'),
      {old: older.version, new: latest}),
    format(gettext('They are not applied. Using them replaces what version %(new)s says.'), {new: latest})].join(' '),
    onDiscard: async () => {
      await putDraft(older.key, null);
      go(`plan/${residentId}`);
    }});
}

async function chooser(main) {
  const section = h('section', {class: 'panel'}, h('h1', {}, gettext('Care plan')));
  main.append(section);
  try {
    const units = await api.get('/api/units');
    const unitSel = h('select', {id: 'plan-unit', class: 'input', testid: 'plan-unit'},
      units.map((u) => h('option', {value: String(u.id)}, u.name)));
    const resSel = h('select', {id: 'plan-resident', class: 'input', testid: 'plan-resident'});
    const load = async () => {
      const residents = await api.get(withQuery('/api/residents', {unit_id: Number(unitSel.value)}));
      mount(resSel, residents.map((r) => h('option', {value: String(r.id)}, `${r.room}/${r.bed} · ${r.full_name}`)));
    };
    unitSel.addEventListener('change', load);
    await load();
    section.append(h('div', {class: 'toolbar'},
      h('div', {class: 'field'}, h('label', {for: 'plan-unit'}, gettext('Unit')), unitSel),
      h('div', {class: 'field'}, h('label', {for: 'plan-resident'}, gettext('Resident')), resSel),
      h('button', {type: 'button', class: 'btn btn-primary', testid: 'plan-open',
        onclick: () => go(`plan/${resSel.value}`)}, gettext('Open the plan'))));
  } catch (err) {
    section.append(h('p', {class: 'notice notice-bad'}, problem(err)));
  }
}

/** The header's points and group follow the latest assessments when a new version is started. */
function bringHeaderUpToDate(header, latest) {
  for (const key of ['care_group', 'pressure_ulcer_points', 'fall_risk_points']) {
    if (latest[key] !== null && latest[key] !== undefined) header[key] = latest[key];
  }
  if (!header.pain && latest.pain) header.pain = latest.pain;
}

let uid = 0;
/** A labelled input bound to obj[key]. kind: text | textarea | date | number | select. */
function bound(obj, key, label, {kind = 'text', testid, options, rows = 2, max, hint} = {}) {
  const id = `pf-${++uid}`;
  const value = obj[key];
  let input;
  if (kind === 'textarea') input = h('textarea', {id, class: 'input', rows, maxlength: max || 4000, testid}, value || '');
  else if (kind === 'select') {
    input = h('select', {id, class: 'input', testid}, options.map(([v, text]) =>
      h('option', {value: v === null ? '' : String(v), selected: (value ?? '') === (v ?? '')}, text)));
  } else {
    input = h('input', {id, class: 'input', type: kind, value: value ?? '', testid,
      maxlength: kind === 'text' ? (max || 200) : null, min: kind === 'number' ? 0 : null,
      max: kind === 'number' ? 200 : null});
  }
  input.addEventListener('input', () => {
    const v = input.value;
    if (kind === 'number') obj[key] = v === '' ? null : Number(v);
    else if (kind === 'date') obj[key] = v || null;
    else if (kind === 'select') obj[key] = v === '' ? null : (typeof options[1]?.[0] === 'number' ? Number(v) : v);
    else obj[key] = v;
  });
  input.addEventListener('change', () => input.dispatchEvent(new Event('input')));
  return h('div', {class: 'field'}, h('label', {for: id}, label), input, hint ? h('p', {class: 'hint'}, hint) : null);
}

function headerForm(header, latest, readOnly) {
  const from = (key) => {
    const day = latest.assessed_on && latest.assessed_on[key];
    return day && !readOnly ? format(gettext('From the assessment of %(date)s'), {date: formatDate(day, {dateStyle: 'medium'})}) : null;
  };
  return h('fieldset', {class: 'plan-block'}, h('legend', {class: 'section-title'}, gettext('Header')),
    h('div', {class: 'plan-grid'},
      bound(header, 'care_group', gettext('Care group'), {kind: 'select', testid: 'plan-header-care_group',
        options: [[null, '—'], [1, roman(1)], [2, roman(2)], [3, roman(3)], [4, roman(4)]]}),
      bound(header.ippsu, 'number', gettext('Individual programme of social services (IPPSU), No.'), {testid: 'plan-header-ippsu-number'}),
      bound(header.ippsu, 'date', gettext('IPPSU dated'), {kind: 'date', testid: 'plan-header-ippsu-date'}),
      bound(header.ipra, 'number', gettext('IPRA No.'), {testid: 'plan-header-ipra-number'}),
      bound(header.ipra, 'date', gettext('IPRA dated'), {kind: 'date', testid: 'plan-header-ipra-date'}),
      bound(header, 'pressure_ulcer_points', gettext('Pressure-ulcer risk, points'), {kind: 'number',
        testid: 'plan-header-pressure_ulcer_points', hint: from('pressure_ulcer_points')}),
      bound(header, 'fall_risk_points', gettext('Fall risk, points'), {kind: 'number', testid: 'plan-header-fall_risk_points',
        hint: from('fall_risk_points')}),
      bound(header, 'pain', gettext('Presence of pain'), {testid: 'plan-header-pain', hint: from('pain')})),
    bound(header, 'current_state', gettext('Current condition'), {kind: 'textarea', testid: 'plan-header-current_state'}),
    bound(header, 'physical', gettext('Physical condition'), {kind: 'textarea', testid: 'plan-header-physical'}),
    bound(header, 'psychological', gettext('Psychological condition'), {kind: 'textarea', testid: 'plan-header-psychological'}),
    bound(header, 'social', gettext('Social life, contacts'), {kind: 'textarea', testid: 'plan-header-social'}));
}

function sectionForm(sec, readOnly) {
  const servicesBox = h('div', {class: 'plan-list'});
  const rowsBox = h('div', {class: 'plan-list'});
  const counts = h('span', {class: 'hint'});
  const redraw = () => {
    mount(servicesBox, sec.services.map((s) => serviceForm(s, () => { sec.services = sec.services.filter((x) => x !== s); redraw(); })));
    mount(rowsBox, sec.rows.map((r) => rowForm(r, () => { sec.rows = sec.rows.filter((x) => x !== r); redraw(); })));
    const services = format(ngettext('%(n)s service', '%(n)s services', sec.services.length), {n: sec.services.length});
    const goals = format(ngettext('%(n)s goal', '%(n)s goals', sec.rows.length), {n: sec.rows.length});
    counts.textContent = ' · ' + services + ', ' + goals;
  };
  redraw();
  const details = h('details', {class: 'plan-section', testid: `plan-section-${sec.id}`, open: readOnly || sec.services.length > 0 || sec.rows.length > 0},
    h('summary', {class: 'plan-summary'}, h('span', {class: 'plan-summary-title'}, sectionName(sec.id)), counts),
    bound(sec, 'service_type', gettext('Type of social service from the IPPSU'), {testid: `section-service-type-${sec.id}`, max: 400}),
    h('h3', {class: 'plan-subtitle'}, gettext('Services')), servicesBox,
    h('button', {type: 'button', class: 'btn', testid: `btn-add-service-${sec.id}`, onclick: () => {
      sec.services.push({id: uuid7(), name: '', volume: '', periodicity: structuredClone(PRESETS.daily),
        term: {from: null, to: null}, on_card: true, category: defaultCategory(sec.id), instructions: '', measures: null});
      redraw();
      const last = servicesBox.lastElementChild;
      if (last) last.querySelector('input').focus();
    }}, icon('+'), ' ', gettext('Add service')),
    h('h3', {class: 'plan-subtitle'}, gettext('Rehabilitation (IPRA)')),
    h('div', {class: 'plan-grid'},
      bound(sec.rehabilitation, 'measures_type', gettext('Type of measures under the IPRA'), {testid: `rehab-type-${sec.id}`, max: 400}),
      bound(sec.rehabilitation, 'term', gettext('Period for which the measures are recommended'), {testid: `rehab-term-${sec.id}`})),
    bound(sec.rehabilitation, 'conclusion', gettext('Conclusion on the need for medical rehabilitation and habilitation'),
      {kind: 'textarea', testid: `rehab-conclusion-${sec.id}`}),
    h('h3', {class: 'plan-subtitle'}, gettext('Problems, goals and measures')), rowsBox,
    h('button', {type: 'button', class: 'btn', testid: `btn-add-row-${sec.id}`, onclick: () => {
      sec.rows.push({id: uuid7(), problem: '', goal: '', measures: '', set_on: today(), review_on: null});
      redraw();
      const last = rowsBox.lastElementChild;
      if (last) last.querySelector('textarea').focus();
    }}, icon('+'), ' ', gettext('Add problem and goal')));
  return details;
}

const defaultCategory = (sid) => ({communication: 'leisure', mobility: 'mobility', nutrition: 'nutrition',
  vitals: 'vitals', sleep_leisure: 'leisure', safety: 'other'}[sid] || 'other');

function serviceForm(svc, onRemove) {
  const p = svc.periodicity;
  const label = h('p', {class: 'plan-label', testid: 'service-label', 'aria-live': 'polite'});
  const detail = h('div', {});
  const preset = h('select', {id: `pf-${++uid}`, class: 'input', testid: 'service-preset'},
    h('option', {value: 'custom'}, gettext('Custom')),
    Object.keys(PRESETS).map((k) => h('option', {value: k}, presetName(k))));
  const update = () => {
    label.textContent = periodicityLabel(p);
    preset.value = presetOf(p) || 'custom';
  };
  const drawDetail = () => mount(detail, periodicityFields(p, () => { update(); }, drawDetail));
  preset.addEventListener('change', () => {
    if (preset.value === 'custom') return;
    for (const key of Object.keys(p)) delete p[key];
    Object.assign(p, structuredClone(PRESETS[preset.value]));
    drawDetail();
    update();
  });
  drawDetail();
  update();
  const measures = h('fieldset', {class: 'field'}, h('legend', {class: 'label'}, gettext('Measurements')),
    h('div', {class: 'checks'}, MEASURES.map((m) => checkbox(measureLabel(m), (svc.measures || []).includes(m),
      (on) => { const set = new Set(svc.measures || []); if (on) set.add(m); else set.delete(m); svc.measures = set.size ? MEASURES.filter((x) => set.has(x)) : null; },
      `service-measure-${m}`))));
  const category = bound(svc, 'category', gettext('Category on the card'), {kind: 'select', testid: 'service-category',
    options: CARD_CATEGORIES.map((c) => [c, categoryLabel(c)])});
  const showMeasures = () => { measures.hidden = svc.category !== 'vitals'; };
  category.querySelector('select').addEventListener('change', showMeasures);
  showMeasures();
  return h('fieldset', {class: 'plan-item', testid: `service-${svc.id}`},
    h('legend', {class: 'visually-hidden'}, svc.name || gettext('New service')),
    h('div', {class: 'plan-grid'},
      bound(svc, 'name', gettext('Name of the service'), {testid: 'service-name'}),
      bound(svc, 'volume', gettext('Volume'), {testid: 'service-volume', max: 1000}),
      h('div', {class: 'field'}, h('label', {for: preset.id}, gettext('Periodicity')), preset)),
    label, detail,
    h('div', {class: 'plan-grid'},
      bound(svc.term, 'from', gettext('Term: from'), {kind: 'date', testid: 'service-from'}),
      bound(svc.term, 'to', gettext('Term: to'), {kind: 'date', testid: 'service-to'}),
      category,
      h('div', {class: 'field'}, h('span', {class: 'label'}, gettext('Care card')),
        checkbox(gettext('On the care card'), svc.on_card !== false, (on) => { svc.on_card = on; }, 'service-on-card'))),
    bound(svc, 'instructions', gettext('Instructions for the nurse'), {kind: 'textarea', testid: 'service-instructions', max: 2000}),
    measures,
    h('button', {type: 'button', class: 'btn btn-small btn-danger', testid: 'btn-remove-service', onclick: async () => {
      // a service holds a periodicity, instructions and measures: asked first (the plan is saved later, as a whole)
      const ok = await confirmDialog(gettext('Remove this service?'),
        svc.name ? format(gettext('"%(name)s" is taken out of the plan when you save it.'), {name: svc.name})
          : gettext('The service is taken out of the plan when you save it.'), gettext('Remove service'));
      if (ok) onRemove();
    }}, gettext('Remove service')));
}

const presetName = (k) => ({twice_a_day: gettext('Twice a day'), every_2_hours: gettext('Every 2 hours'),
  daily: gettext('Daily'), mon_thu: gettext('Mondays and Thursdays'), as_needed: gettext('As needed')}[k] || k);

function checkbox(label, checked, onChange, testid) {
  const input = h('input', {type: 'checkbox', checked: !!checked, testid});
  input.addEventListener('change', () => onChange(input.checked));
  return h('label', {class: 'check'}, input, label);
}

/** The periodicity's own fields: kind, times / every n hours / shifts, days of the week. */
function periodicityFields(p, changed, redraw) {
  const kind = h('select', {id: `pf-${++uid}`, class: 'input', testid: 'service-kind'},
    [['times', gettext('At fixed times')], ['every_hours', gettext('Every few hours')],
      ['per_shift', gettext('Once per shift')], ['as_needed', gettext('As needed')],
      ...PERIODIC_KINDS.map((k) => [k, scheduleKindLabel(k)])]
      .map(([v, text]) => h('option', {value: v, selected: p.kind === v}, text)));
  kind.addEventListener('change', () => {
    p.kind = kind.value;
    if (p.kind === 'times' && !p.times) p.times = ['09:00'];
    if (p.kind === 'every_hours' && !p.hours) Object.assign(p, {hours: 2, start: '00:00'});
    if (p.kind === 'per_shift' && !p.shifts) p.shifts = ['day'];
    if (PERIODIC_KINDS.includes(p.kind)) {
      // less often than daily: its own fields, no days of the week (docs/domain.md, "Periodic services")
      const fresh = periodicDefaults(p.kind, today());
      for (const key of Object.keys(fresh)) if (p[key] === undefined) p[key] = fresh[key];
      p.days_of_week = null;
    }
    redraw();
    changed();
  });
  const parts = [h('div', {class: 'field'}, h('label', {for: kind.id}, gettext('How often')), kind)];
  if (p.kind === 'times') {
    const times = h('input', {id: `pf-${++uid}`, class: 'input', value: (p.times || []).join(', '), testid: 'service-times',
      placeholder: '09:00, 18:00'});
    times.addEventListener('input', () => { p.times = times.value.split(/[,;\s]+/).filter(Boolean); changed(); });
    parts.push(h('div', {class: 'field'}, h('label', {for: times.id}, gettext('Times of day (HH:MM, separated by commas)')), times));
  } else if (p.kind === 'every_hours') {
    const hours = h('input', {id: `pf-${++uid}`, class: 'input', type: 'number', min: 1, max: 12, value: String(p.hours || 2), testid: 'service-hours'});
    const start = h('input', {id: `pf-${++uid}`, class: 'input', type: 'time', value: p.start || '00:00', testid: 'service-start'});
    hours.addEventListener('input', () => { p.hours = Number(hours.value); changed(); });
    start.addEventListener('input', () => { p.start = start.value; changed(); });
    parts.push(h('div', {class: 'field'}, h('label', {for: hours.id}, gettext('Every how many hours')), hours),
      h('div', {class: 'field'}, h('label', {for: start.id}, gettext('Starting at')), start));
  } else if (p.kind === 'per_shift') {
    const toggle = (sh) => (on) => {
      const set = new Set(p.shifts || []);
      if (on) set.add(sh); else set.delete(sh);
      p.shifts = ['day', 'night'].filter((x) => set.has(x));
      changed();
    };
    parts.push(h('fieldset', {class: 'field'}, h('legend', {class: 'label'}, gettext('Shifts')), h('div', {class: 'checks'},
      ['day', 'night'].map((sh) => checkbox(shiftLabel(sh), (p.shifts || []).includes(sh), toggle(sh), `service-shift-${sh}`)))));
  }
  if (PERIODIC_KINDS.includes(p.kind)) {
    parts.push(...periodicFields(p.kind, p, changed, redraw, 'service'));
    return h('div', {class: 'plan-grid'}, parts);
  }
  const dayToggle = (d) => (on) => {
    const set = new Set(p.days_of_week || []);
    if (on) set.add(d); else set.delete(d);
    p.days_of_week = set.size ? WEEKDAYS.filter((x) => set.has(x)) : null;
    changed();
  };
  parts.push(h('fieldset', {class: 'field'}, h('legend', {class: 'label'}, gettext('Days of the week (none ticked = every day)')),
    h('div', {class: 'checks'}, WEEKDAYS.map((d) => checkbox(weekdayName(d), (p.days_of_week || []).includes(d), dayToggle(d), `service-dow-${d}`)))));
  return h('div', {class: 'plan-grid'}, parts);
}

function rowForm(row, onRemove) {
  return h('fieldset', {class: 'plan-item', testid: `row-${row.id}`},
    h('legend', {class: 'visually-hidden'}, gettext('Problem and goal')),
    h('div', {class: 'plan-grid'},
      bound(row, 'problem', gettext('Problem or resource'), {kind: 'textarea', testid: 'row-problem'}),
      bound(row, 'goal', gettext('Goal'), {kind: 'textarea', testid: 'row-goal'}),
      bound(row, 'measures', gettext('Measures, including other agencies and organisations'), {kind: 'textarea', testid: 'row-measures'})),
    h('div', {class: 'plan-grid'},
      bound(row, 'set_on', gettext('Date the goal was set'), {kind: 'date', testid: 'row-set-on'}),
      bound(row, 'review_on', gettext('Date of review'), {kind: 'date', testid: 'row-review-on'})),
    h('button', {type: 'button', class: 'btn btn-small btn-danger', testid: 'btn-remove-row', onclick: onRemove},
      gettext('Remove')));
}

/** What the last save did, shown once on the page drawn after it. */
let lastSave = null;

function saveForm(residentId, content, baseVersion, kept, mine) {
  const note = h('textarea', {id: 'plan-note', class: 'input', rows: 2, maxlength: 2000, testid: 'plan-note'},
    (mine && mine.note) || '');
  const effective = dateInput({id: 'plan-effective', value: (mine && mine.effective) || addDays(today(), 1),
    min: today(), testid: 'plan-effective'});
  const errors = h('div', {role: 'alert', testid: 'plan-errors'});
  const saved = h('div', {testid: 'plan-saved'});
  const button = h('button', {type: 'button', class: 'btn btn-primary', testid: 'btn-save-plan', onclick: async () => {
    mount(errors);
    button.disabled = true;
    try {
      const reply = await api.post(`/api/care-plans/${residentId}/versions`, {content, note: note.value.trim(),
        effective_day: effective.value || null, base_version: baseVersion});
      toast(format(gettext('Version %(n)s saved.'), {n: reply.current_version}));
      await kept.clear();  // saved: her draft is done
      lastSave = {resident: residentId, changes: reply.changes, cards: reply.cards, version: reply.current_version};
      go(`plan/${residentId}`);
    } catch (err) {
      const fields = err instanceof ApiError && err.fields ? Object.entries(err.fields) : [];
      mount(errors, h('div', {class: 'notice notice-bad'}, h('p', {}, problem(err)),
        fields.length ? h('ul', {}, fields.map(([path, text]) => h('li', {}, `${fieldPlace(path, content)}: ${text}`))) : null));
    } finally {
      button.disabled = false;
    }
  }}, icon('✓'), ' ', gettext('Save as a new version'));
  const last = lastSave;
  lastSave = null;
  if (last && last.resident === residentId) {
    mount(saved, h('div', {class: 'notice'}, h('p', {}, format(gettext('Version %(n)s saved.'), {n: last.version})),
      last.cards.map((c) => h('p', {}, format(gettext('Card of %(month)s: %(kept)s items kept, %(ended)s ended, %(added)s added (from %(day)s).'),
        {month: formatMonth(c.month), kept: c.kept, ended: c.ended + c.deleted, added: c.added, day: formatDate(c.effective_day, {dateStyle: 'medium'})})))));
  }
  return h('fieldset', {class: 'plan-block'}, h('legend', {class: 'section-title'}, gettext('Save')), saved,
    h('div', {class: 'plan-grid'},
      h('div', {class: 'field'}, h('label', {for: 'plan-note'}, gettext('What changed and why')), note),
      h('div', {class: 'field'}, h('label', {for: 'plan-effective'}, gettext('Cards follow the change from')), effective,
        h('p', {class: 'hint'}, gettext('What was already recorded on the card stays as it is.')))),
    errors, button);
}

/** 'sections.2.services.0.periodicity.times' -> 'III. … — <service name> — periodicity.times' */
function fieldPlace(path, content) {
  const m = /^content\.sections\.(\d+)\.(services|rows)\.(\d+)\.(.*)$/.exec(path) || /^sections\.(\d+)\.(services|rows)\.(\d+)\.(.*)$/.exec(path);
  if (!m) return path.replace(/^content\./, '');
  const sec = content.sections[Number(m[1])];
  const obj = sec && sec[m[2]][Number(m[3])];
  const name = (obj && (obj.name || obj.goal || obj.problem)) || '#' + (Number(m[3]) + 1);
  return `${roman(Number(m[1]) + 1)} — ${name} — ${m[4]}`;
}

async function generateCard(residentId) {
  try {
    const card = await api.post(`/api/care-plans/${residentId}/cards`, {});
    toast(format(gettext('Draft card for %(month)s generated.'), {month: formatMonth(card.month)}));
    go(`cards/${residentId}/${card.month}`);
  } catch (err) {
    toast(problem(err));
  }
}
