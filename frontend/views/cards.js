// Care cards (planner): unit -> resident -> month; items with schedules; publish. Route: #/cards, or
// #/cards/<resident_id>[/<month YYYY-MM-01>] to open a resident's card (the plan's "Generate" leads here).
// data-testid: cards-unit, cards-resident, cards-month, cards-create, cards-generate, card-item-<id> (data-plan when
// it came from the care plan), item-from-plan, card-plan-note, link-plan, btn-add-item, btn-edit-item, btn-end-item,
// btn-publish, item-* (the item dialog)
import {ApiError, OfflineError, api, withQuery} from '../lib/api.js';
import {h, icon, mount} from '../lib/dom.js';
import {format, formatDate, formatMonth, gettext} from '../lib/i18n.js';
import {measureLabel, scheduleKindLabel, shiftLabel} from '../lib/labels.js';
import {CARD_CATEGORIES, MEASURES, cardStatusLabel, categoryLabel} from '../lib/office_labels.js';
import {KINDS} from '../lib/schedule.js';
import {today} from '../lib/session.js';
import {addMonths, monthSelect} from '../lib/monthselect.js';
import {addDays, monthOf} from '../lib/time.js';
import {PERIODIC_KINDS, scheduleText, weekdayName} from '../lib/periodicity.js';
import {periodicDefaults, periodicFields, periodicParams} from '../lib/periodicity_form.js';
import {confirmDialog, openDialog, toast} from './dialogs.js';

const state = {unit: null, resident: null, card: null, month: null};
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];

function problem(err) {
  return err instanceof OfflineError ? gettext('No connection. Care cards are edited online.') : (err.message || String(err));
}

export async function render(main, params = []) {
  if (params[0]) {
    state.resident = Number(params[0]);
    state.month = params[1] || null;
    state.card = null;
  }
  const section = h('section', {class: 'panel'}, h('div', {class: 'panel-head'}, h('h1', {}, gettext('Care cards'))));
  main.append(section);
  const error = h('div', {role: 'alert'});
  let units;
  try {
    units = await api.get('/api/units');
    if (params[0]) state.unit = await unitOf(units, state.resident);
  } catch (err) { section.append(h('p', {class: 'notice notice-warn'}, problem(err))); return; }
  const unitSel = h('select', {id: 'cards-unit', class: 'input', testid: 'cards-unit'},
    units.map((u) => h('option', {value: String(u.id), selected: u.id === state.unit}, u.name)));
  const resSel = h('select', {id: 'cards-resident', class: 'input', testid: 'cards-resident'});
  const monthSel = h('select', {id: 'cards-month', class: 'input', testid: 'cards-month'});
  const cardBox = h('div', {});
  section.append(h('div', {class: 'toolbar'},
    h('div', {class: 'field'}, h('label', {for: 'cards-unit'}, gettext('Unit')), unitSel),
    h('div', {class: 'field'}, h('label', {for: 'cards-resident'}, gettext('Resident')), resSel),
    h('div', {class: 'field'}, h('label', {for: 'cards-month'}, gettext('Month')), monthSel)), error, cardBox);

  let cards = [];
  async function loadResidents() {
    state.unit = Number(unitSel.value);
    const residents = await api.get(withQuery('/api/residents', {unit_id: state.unit}));
    mount(resSel, residents.map((r) => h('option', {value: String(r.id), selected: r.id === state.resident},
      `${r.room}/${r.bed} · ${r.full_name}`)));
    await loadCards();
  }
  async function loadCards() {
    state.resident = Number(resSel.value);
    cards = await api.get(withQuery('/api/cards', {resident_id: state.resident}));
    const months = cards.map((c) => c.month);
    const wanted = state.month || (state.card && cards.find((c) => c.id === state.card.id) ? state.card.month : monthOf(today()));
    state.month = null;
    fillMonths(months.includes(wanted) ? wanted : '');
    showCard();
  }
  /** The month selector: each card's month and its state now (drawn again when a card changes: published). */
  function fillMonths(chosen) {
    mount(monthSel, cards.map((c) => h('option', {value: c.month, selected: c.month === chosen},
      `${formatMonth(c.month)} — ${cardStatusLabel(c.status)}`)),
    h('option', {value: '', selected: !cards.some((c) => c.month === chosen)}, gettext('New card…')));
  }
  function showCard() {
    const card = cards.find((c) => c.month === monthSel.value);
    state.card = card || null;
    mount(cardBox, card ? cardView(card, (updated) => {
      cards = cards.map((c) => (c.id === updated.id ? updated : c));
      fillMonths(monthSel.value);
      showCard();
    }) : createForm(cards, async (created) => { state.card = created; await loadCards(); }));
  }
  const guard = (fn) => async () => { mount(error); try { await fn(); } catch (err) { mount(error, h('p', {class: 'notice notice-bad'}, problem(err))); } };
  unitSel.addEventListener('change', guard(loadResidents));
  resSel.addEventListener('change', guard(loadCards));
  monthSel.addEventListener('change', showCard);
  await guard(loadResidents)();
}

/** The unit of a resident (a planner reaches every unit of the home; the list is short). */
async function unitOf(units, residentId) {
  for (const u of units) {
    const residents = await api.get(withQuery('/api/residents', {unit_id: u.id}));
    if (residents.some((r) => r.id === residentId)) return u.id;
  }
  return state.unit;
}

function createForm(cards, onCreated) {
  const taken = new Set(cards.map((c) => c.month.slice(0, 7)));
  let first = today().slice(0, 7);
  while (taken.has(first)) first = addDays(`${first}-28`, 5).slice(0, 7);
  const month = monthSelect({id: 'new-month', testid: 'new-month', value: first, max: addMonths(today().slice(0, 7), 3),
    min: addMonths(today().slice(0, 7), -12)});
  const copy = h('select', {id: 'copy-from', class: 'input'}, h('option', {value: ''}, gettext('Start empty')),
    cards.map((c) => h('option', {value: String(c.id)}, format(gettext('Copy from %(month)s'), {month: formatMonth(c.month)}))));
  const msg = h('p', {class: 'field-msg is-error', role: 'alert'});
  return h('div', {class: 'notice'},
    h('h2', {class: 'section-title'}, gettext('New care card')),
    h('div', {class: 'toolbar'},
      h('div', {class: 'field'}, h('label', {for: 'new-month'}, gettext('Month')), month),
      h('div', {class: 'field'}, h('label', {for: 'copy-from'}, gettext('Items')), copy),
      h('button', {type: 'button', class: 'btn btn-primary', testid: 'cards-create', onclick: async () => {
        msg.textContent = '';
        try {
          const created = await api.post('/api/cards', {resident_id: state.resident, month: `${month.value}-01`,
            copy_from: copy.value ? Number(copy.value) : null});
          toast(gettext('Draft card created.'));
          onCreated(created);
        } catch (err) {
          msg.textContent = err instanceof ApiError && err.fields && err.fields.month ? err.fields.month : problem(err);
        }
      }}, icon('+'), ' ', gettext('Create card')),
      h('button', {type: 'button', class: 'btn', testid: 'cards-generate', onclick: async () => {
        msg.textContent = '';
        try {
          const created = await api.post(`/api/care-plans/${state.resident}/cards`, {month: `${month.value}-01`});
          toast(gettext('Draft card generated from the care plan.'));
          onCreated(created);
        } catch (err) {
          msg.textContent = err instanceof ApiError && err.fields && err.fields.month ? err.fields.month : problem(err);
        }
      }}, icon('⇣'), ' ', gettext('Generate from the care plan'))), msg);
}

function cardView(card, onChange) {
  const items = [...card.items].sort((a, b) => a.position - b.position);
  const open = card.status !== 'closed';
  const act = (fn) => async () => { try { const c = await fn(); if (c) onChange(c); } catch (err) { toast(problem(err)); } };
  return h('div', {},
    h('div', {class: 'panel-head'},
      h('div', {}, h('h2', {class: 'section-title'}, formatMonth(card.month)),
        h('p', {class: 'sub'}, format(gettext('%(status)s, version %(version)s'), {status: cardStatusLabel(card.status), version: card.version})),
        card.plan_version_id ? h('p', {class: 'hint', testid: 'card-plan-note'}, gettext('Generated from the care plan; it follows the plan when the plan is saved.')) : null),
      h('div', {class: 'button-row'},
        h('a', {class: 'btn', href: `#/plan/${card.resident_id}`, testid: 'link-plan'}, gettext('Care plan')),
        open ? h('button', {type: 'button', class: 'btn', testid: 'btn-add-item', onclick: act(() => itemDialog(card, null))},
          icon('+'), ' ', gettext('Add item')) : null,
        card.status === 'draft' ? h('button', {type: 'button', class: 'btn btn-primary', testid: 'btn-publish',
          onclick: act(async () => {
            if (!(await confirmDialog(gettext('Publish the card?'), gettext('The duty-post tablets will receive it at their next sync.'), gettext('Publish')))) return null;
            const c = await api.post(`/api/cards/${card.id}/publish`);
            toast(gettext('The card is published.'));
            return c;
          })}, icon('✓'), ' ', gettext('Publish')) : null)),
    card.status === 'published' ? h('p', {class: 'hint'}, gettext('Changes to a published card reach the tablets at their next sync. An ended item stays in the records.')) : null,
    items.length ? h('table', {class: 'data-table'},
      h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, gettext('Item')), h('th', {scope: 'col'}, gettext('Category')),
        h('th', {scope: 'col'}, gettext('Schedule')), h('th', {scope: 'col'}, h('span', {class: 'visually-hidden'}, gettext('Actions'))))),
      h('tbody', {}, items.map((item) => h('tr', {testid: `card-item-${item.id}`, dataset: item.plan_service ? {plan: item.plan_service} : {}},
        h('td', {}, h('strong', {}, item.title), item.instructions ? h('p', {class: 'hint'}, item.instructions) : null,
          item.plan_service ? h('p', {class: 'tag', testid: 'item-from-plan'}, gettext('from the care plan')) : null,
          item.valid_from && item.valid_from > card.month ? h('p', {class: 'tag'}, format(gettext('from %(day)s'), {day: formatDate(item.valid_from, {dateStyle: 'medium'})})) : null,
          item.measures && item.measures.length ? h('p', {class: 'hint'}, item.measures.map(measureLabel).join(', ')) : null,
          item.valid_to ? h('p', {class: 'tag tag-warn'}, format(item.valid_to < today() ? gettext('ended %(day)s') : gettext('until %(day)s'),
            {day: formatDate(item.valid_to, {dateStyle: 'medium'})})) : null),
        h('td', {}, categoryLabel(item.category)),
        h('td', {}, scheduleText(item)),
        h('td', {}, item.valid_to || !open ? null : h('div', {class: 'checks'},
          h('button', {type: 'button', class: 'btn btn-small', testid: 'btn-edit-item', onclick: act(() => itemDialog(card, item))}, gettext('Edit')),
          h('button', {type: 'button', class: 'btn btn-small btn-danger', testid: 'btn-end-item', onclick: act(async () => {
            if (!(await confirmDialog(gettext('End this item?'), card.status === 'draft'
              ? gettext('The item is removed from the draft.') : gettext('The item ends today; what was recorded for it stays.'), gettext('End item')))) return null;
            return api.del(`/api/cards/${card.id}/items/${item.id}`);
          })}, gettext('End'))))))))
      : h('p', {class: 'empty'}, gettext('This card has no items yet.')));
}

function itemDialog(card, item) {
  const it = item || {category: 'hygiene', schedule_kind: 'times', schedule: {times: ['08:00']}, days_of_week: null, measures: null};
  return openDialog({title: item ? gettext('Edit item') : gettext('Add item'), testid: 'dialog-item',
    draft: `card-item:${card.id}:${item ? item.id : 'new'}`, build: () => {
    const msgs = {};
    const field = (name, label, input) => {
      msgs[name] = h('p', {class: 'field-msg is-error', id: `item-${name}-msg`});
      input.setAttribute('aria-describedby', `item-${name}-msg`);
      return h('div', {class: 'field'}, h('label', {for: input.id}, label), input, msgs[name]);
    };
    const group = (name, label, content) => {
      msgs[name] = h('p', {class: 'field-msg is-error'});
      return h('fieldset', {class: 'field'}, h('legend', {class: 'label'}, label), content, msgs[name]);
    };
    const check = (id, label, checked) => h('label', {class: 'check'}, h('input', {type: 'checkbox', id, testid: id, checked: !!checked}), label);
    const category = h('select', {id: 'item-category', class: 'input', testid: 'item-category'},
      CARD_CATEGORIES.map((c) => h('option', {value: c, selected: c === it.category}, categoryLabel(c))));
    const title = h('input', {id: 'item-title', class: 'input', value: it.title || '', maxlength: 200, testid: 'item-title'});
    const instructions = h('textarea', {id: 'item-instructions', class: 'input', rows: 2, maxlength: 2000, testid: 'item-instructions'}, it.instructions || '');
    const kind = h('select', {id: 'item-kind', class: 'input', testid: 'item-kind'},
      KINDS.map((k) => h('option', {value: k, selected: k === it.schedule_kind}, scheduleKindLabel(k))));
    const s = it.schedule || {};
    const times = h('input', {id: 'item-times', class: 'input', value: (s.times || []).join(', '), placeholder: '08:00, 14:00, 20:00', testid: 'item-times'});
    const hours = h('input', {id: 'item-hours', class: 'input', type: 'number', min: 1, max: 12, value: String(s.hours || 2), testid: 'item-hours'});
    const start = h('input', {id: 'item-start', class: 'input', type: 'time', value: s.start || '06:00', testid: 'item-start'});
    const shifts = s.shifts || ['day', 'night'];
    const timesBox = field('times', gettext('Times of day (HH:MM, separated by commas)'), times);
    const everyBox = h('div', {class: 'toolbar'}, field('hours', gettext('Every how many hours'), hours), field('start', gettext('Starting at'), start));
    const shiftBox = group('shifts', gettext('Shifts'), h('div', {class: 'checks'},
      ['day', 'night'].map((sh) => check(`item-shift-${sh}`, shiftLabel(sh), shifts.includes(sh)))));
    // less often than daily (docs/domain.md, "Periodic services"): its own fields, no days of the week
    const periodic = {...(PERIODIC_KINDS.includes(it.schedule_kind) ? s : {})};
    const periodicBox = h('div', {testid: 'item-periodic'});
    const drawPeriodic = () => {
      const k = kind.value;
      if (PERIODIC_KINDS.includes(k)) {
        const fresh = periodicDefaults(k, today());
        for (const key of Object.keys(fresh)) if (periodic[key] === undefined) periodic[key] = fresh[key];
      }
      mount(periodicBox, periodicFields(k, periodic, () => {}, drawPeriodic, 'item', msgs));
    };
    const dow = group('days_of_week', gettext('Days of the week (none ticked = every day)'), h('div', {class: 'checks'},
      WEEKDAYS.map((d) => check(`item-dow-${d}`, weekdayName(d), (it.days_of_week || []).includes(d)))));
    const measures = group('measures', gettext('Measurements'), h('div', {class: 'checks'},
      MEASURES.map((m) => check(`item-measure-${m}`, measureLabel(m), (it.measures || []).includes(m)))));
    const sync = () => {
      timesBox.hidden = kind.value !== 'times';
      everyBox.hidden = kind.value !== 'every_hours';
      shiftBox.hidden = kind.value !== 'per_shift';
      dow.hidden = PERIODIC_KINDS.includes(kind.value);
      measures.hidden = category.value !== 'vitals';
      drawPeriodic();
    };
    kind.addEventListener('change', sync);
    category.addEventListener('change', sync);
    sync();
    const checked = (id) => document.getElementById(id) && document.getElementById(id).checked;
    return {
      body: [field('category', gettext('Category'), category), field('title', gettext('Title'), title),
        field('instructions', gettext('Instructions'), instructions), field('schedule_kind', gettext('Schedule'), kind),
        timesBox, everyBox, shiftBox, periodicBox, dow, measures],
      onSave: async () => {
        for (const m of Object.values(msgs)) m.textContent = '';
        const k = kind.value;
        const schedule = k === 'times' ? {times: times.value.split(/[,;\s]+/).filter(Boolean)}
          : k === 'every_hours' ? {hours: Number(hours.value), start: start.value}
            : k === 'per_shift' ? {shifts: ['day', 'night'].filter((sh) => checked(`item-shift-${sh}`))}
              : periodicParams(k, periodic);
        const days = PERIODIC_KINDS.includes(k) ? [] : WEEKDAYS.filter((d) => checked(`item-dow-${d}`));
        const body = {category: category.value, title: title.value.trim(), instructions: instructions.value.trim(),
          schedule_kind: k, schedule, days_of_week: days.length ? days : null,
          measures: category.value === 'vitals' ? MEASURES.filter((m) => checked(`item-measure-${m}`)) : null};
        if (!body.title) { msgs.title.textContent = gettext('Enter a title.'); title.focus(); return false; }
        try {
          return item ? await api.patch(`/api/cards/${card.id}/items/${item.id}`, body)
            : await api.post(`/api/cards/${card.id}/items`, body);
        } catch (err) {
          if (err instanceof ApiError && err.fields) {
            for (const [name, text] of Object.entries(err.fields)) {
              const key = name.split('.')[0] === 'schedule' ? name.split('.')[1] : name.split('.')[0];
              if (msgs[key]) msgs[key].textContent = `⚠ ${text}`;
            }
          }
          throw new Error(problem(err));
        }
      },
    };
  }});
}
