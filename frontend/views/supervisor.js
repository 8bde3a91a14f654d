// The supervisor's day review: grid of residents × items, alerts, late entries, devices, confirm (lock), amend.
import {ApiError, OfflineError, api} from '../lib/api.js';
import {h, icon, mount} from '../lib/dom.js';
import {dateInput} from '../lib/dateinput.js';
import {format, formatDate, formatDateTime, formatTime, gettext, ngettext} from '../lib/i18n.js';
import {scheduleText} from '../lib/periodicity.js';
import {PERIOD_PREFIX} from '../lib/schedule.js';
import {REASONS, STATE_ICON, cellStateLabel, conditionLabel, kindLabel, reasonLabel, roman, shiftLabel, statusLabel,
  stayLabel} from '../lib/labels.js';
import {today} from '../lib/session.js';
import {utc} from '../lib/time.js';
import {loadDefinition} from '../lib/vitals.js';
import {choiceGroup, confirmDialog, openDialog, toast} from './dialogs.js';
import {formatValues} from '../lib/marks.js';

let lastUnit = null;
let lastDay = null;

function errorNotice(err) {
  return h('p', {class: 'notice notice-warn', role: 'alert', testid: err instanceof OfflineError ? 'sup-offline' : null},
    icon('⊘'), ' ', err instanceof OfflineError
      ? gettext('The day review needs a connection to the server. Please connect and try again.')
      : (err.message || gettext('Something went wrong.')));
}

export async function render(main) {
  const section = h('section', {class: 'panel'}, h('div', {class: 'panel-head'}, h('h1', {}, gettext('Day review'))));
  main.append(section);
  let units;
  try {
    units = await api.get('/api/units');
  } catch (err) {
    section.append(errorNotice(err));
    return;
  }
  const unitSel = h('select', {id: 'sup-unit', class: 'input', testid: 'sup-unit'},
    units.map((u) => h('option', {value: String(u.id), selected: u.id === lastUnit}, u.name)));
  const dayInput = dateInput({id: 'sup-day', value: lastDay || today(), max: today(),
    testid: 'sup-day'});
  const body = h('div', {'aria-live': 'polite'});
  const load = async () => {
    lastUnit = Number(unitSel.value);
    lastDay = dayInput.value || today();
    mount(body, h('div', {class: 'boot'}, h('span', {class: 'spinner', role: 'progressbar', 'aria-label': gettext('Loading…')})));
    try {
      await show(body, lastUnit, lastDay, load);
    } catch (err) {
      mount(body, errorNotice(err));
    }
  };
  unitSel.addEventListener('change', load);
  dayInput.addEventListener('change', load);
  section.append(h('div', {class: 'toolbar'},
    h('div', {class: 'field'}, h('label', {for: 'sup-unit'}, gettext('Unit')), unitSel),
    h('div', {class: 'field'}, h('label', {for: 'sup-day'}, gettext('Day')), dayInput),
    h('button', {type: 'button', class: 'btn', testid: 'sup-load', onclick: load}, icon('⟳'), ' ', gettext('Refresh'))),
  body);
  await load();
}

function itemTitles(residents) {
  // The day view carries each resident's items of the month's published card (title, category, measures).
  return new Map(residents.flatMap((row) => (row.items || []).map((item) => [item.id, item])));
}

async function show(body, unitId, day, reload) {
  const view = await api.get(`/api/units/${unitId}/days/${day}`);
  const items = itemTitles(view.residents);
  const definition = await loadDefinition().catch(() => null);
  const name = (id) => view.names[String(id)] || '—';
  const residentName = new Map(view.residents.map((r) => [r.resident.id, r.resident.full_name]));
  const confirm = async (residentId) => {
    const who = residentId ? residentName.get(residentId) : view.unit.name;
    // What the confirmation covers (docs/domain.md, Confirmation): said before she confirms.
    const ok = await confirmDialog(gettext('Confirm the day?'), view.day_over ? format(
      gettext('Confirm the records of %(who)s for this day. The day is over: your confirmation covers all of it, and entries that arrive later are shown to you as arriving after confirmation.'),
      {who}) : format(
      gettext('The day is not over yet. Your confirmation covers what has been recorded for %(who)s up to now (%(time)s); the times still ahead stay open on the tablets. Confirm again once the day has ended.'),
      {who, time: formatTime(new Date())}), gettext('Confirm'));
    if (!ok) return;
    try {
      await api.post(`/api/units/${unitId}/days/${day}/confirm`, residentId ? {resident_id: residentId} : {});
      toast(gettext('The day is confirmed.'));
    } catch (err) {
      toast(err instanceof OfflineError ? gettext('No connection. Nothing was confirmed.') : err.message);
    }
    reload();
  };
  const unitConfirmation = view.confirmations.filter((c) => c.resident_id == null).slice(-1)[0];
  const parts = [];
  const confirmButton = (label) => h('div', {class: 'button-row'}, h('button', {type: 'button', class: 'btn btn-primary',
    testid: 'sup-confirm-day', onclick: () => confirm(null)}, icon('✓'), ' ', label));
  if (!unitConfirmation) {
    parts.push(confirmButton(gettext('Confirm day for the unit')));
  } else if (view.unit_confirmed_whole) {
    parts.push(h('p', {class: 'notice notice-lock', testid: 'sup-locked', dataset: {whole: 'true'}}, icon('⊠'), ' ',
      format(gettext('Confirmed by %(name)s at %(time)s.'),
        {name: name(unitConfirmation.confirmed_by), time: formatDateTime(utc(unitConfirmation.confirmed_at))})));
  } else {  // confirmed during the day: what was recorded by then; the rest of the day stays open
    parts.push(h('p', {class: 'notice notice-lock', testid: 'sup-locked', dataset: {whole: 'false'}}, icon('⊠'), ' ',
      format(gettext('Confirmed by %(name)s up to %(time)s. The rest of the day stays open on the tablets.'),
        {name: name(unitConfirmation.confirmed_by), time: formatDateTime(utc(unitConfirmation.confirmed_at))})),
    confirmButton(view.day_over ? gettext('Confirm the whole day') : gettext('Confirm what has been recorded since')));
  }

  const stale = view.devices.filter((d) => d.stale);
  if (stale.length) {
    parts.push(h('div', {class: 'notice notice-warn', testid: 'sup-devices'},
      h('p', {}, icon('⚠'), ' ', h('strong', {}, gettext('Tablets not synced since the end of the shift'))),
      h('ul', {}, stale.map((d) => h('li', {}, format(ngettext('%(user)s — last sync %(time)s, %(n)s entry waiting', '%(user)s — last sync %(time)s, %(n)s entries waiting', d.outbox_len),
        {user: d.last_user || d.id.slice(0, 8), time: d.last_sync ? formatDateTime(utc(d.last_sync)) : gettext('never'),
          n: d.outbox_len}))))));
  }

  const gapped = view.devices.filter((d) => d.gaps && d.gaps.length);
  if (gapped.length) {
    const ranges = (gaps) => gaps.map(([from, to]) => (from === to ? String(from) : `${from}–${to}`)).join(', ');
    parts.push(h('div', {class: 'notice notice-warn', testid: 'sup-gaps'},
      h('p', {}, icon('⚠'), ' ', h('strong', {}, gettext('Entries missing from a tablet'))),
      h('p', {}, gettext('These entries were made on the tablet but never reached the server; the tablet may have lost its storage. Ask the staff who worked on it.')),
      h('ul', {}, gapped.map((d) => h('li', {}, format(gettext('%(user)s — entry numbers %(numbers)s'),
        {user: d.last_user || d.id.slice(0, 8), numbers: ranges(d.gaps)}))))));
  }

  const withdrawn = view.from_revoked_devices || [];
  if (withdrawn.length) {
    parts.push(h('div', {class: 'notice notice-warn', testid: 'sup-revoked'},
      h('p', {}, icon('⚠'), ' ', h('strong', {}, gettext('Entries from a withdrawn tablet'))),
      h('p', {}, gettext('An administrator withdrew the tablet these came from. They are kept; check them with the staff named.')),
      h('ul', {}, withdrawn.map((e) => h('li', {}, h('strong', {}, residentName.get(e.resident_id) || ''), ' · ',
        kindLabel(e.kind), ' · ', format(gettext('%(name)s at %(time)s'),
          {name: name(e.author_id), time: formatTime(e.device_time)}))))));
  }

  const late = view.late_entries;
  parts.push(h('h2', {class: 'section-title'}, gettext('Arrived after confirmation')),
    h('div', {testid: 'sup-late-list'}, late.length ? [
      h('ul', {class: 'record-list'}, late.map((e) => h('li', {class: 'record'},
        h('strong', {}, residentName.get(e.resident_id) || ''), ' · ', kindLabel(e.kind),
        e.item_id ? ` · ${(items.get(e.item_id) || {}).title || ''}` : '',
        e.status ? ` · ${statusLabel(e.status)}` : '', ' · ',
        format(gettext('%(name)s at %(time)s'), {name: name(e.author_id), time: formatTime(e.device_time)})))),
      h('button', {type: 'button', class: 'btn btn-primary', testid: 'sup-confirm-again',
        onclick: () => confirm(unitConfirmation ? null : late[0].resident_id)}, icon('✓'), ' ', gettext('Confirm again'))]
      : h('p', {class: 'empty'}, gettext('Nothing arrived after confirmation.'))));

  const list = (title, entries, fn) => [h('h2', {class: 'section-title'}, title), entries.length
    ? h('ul', {class: 'record-list'}, entries.map((e) => h('li', {class: ['record', `record-${e.kind}`]},
      h('p', {class: 'record-head'}, h('strong', {}, residentName.get(e.resident_id) || ''), ' · ',
        format(gettext('%(name)s at %(time)s'), {name: name(e.author_id), time: formatTime(e.device_time)})), fn(e))))
    : h('p', {class: 'empty'}, gettext('None.'))];
  parts.push(...list(gettext('Vital signs outside the normal range'), view.vitals_alerts,
    (e) => h('p', {class: 'values'}, formatValues(e.values, e.flags, definition))));
  parts.push(...list(gettext('Changes in condition'), view.condition_reports,
    (e) => [h('p', {}, h('strong', {}, conditionLabel(e.category))), h('p', {}, e.note)]));
  parts.push(...list(gettext('Notes'), view.notes, (e) => h('p', {}, e.note)));
  const whileAway = view.while_away || [];
  if (whileAway.length) {
    parts.push(h('div', {class: 'notice notice-warn', testid: 'sup-while-away'},
      h('p', {}, icon('⚠'), ' ', h('strong', {}, gettext('Recorded while the resident was away'))),
      h('p', {}, gettext('These were made after she left (hospital, leave, discharge) by the tablet\'s clock. They are kept; check them with the staff named.')),
      h('ul', {}, whileAway.map((e) => h('li', {}, h('strong', {}, residentName.get(e.resident_id) || ''), ' · ',
        kindLabel(e.kind), ' · ', format(gettext('%(name)s at %(time)s'),
          {name: name(e.author_id), time: formatTime(e.device_time)}))))));
  }

  parts.push(h('h2', {class: 'section-title'}, gettext('Residents')));
  for (const row of view.residents) {
    const r = row.resident;
    const c = row.counts;
    parts.push(h('article', {class: ['sup-resident', row.locked && 'is-locked'], testid: `sup-resident-${r.id}`},
      h('div', {class: 'sup-resident-head'},
        h('div', {}, h('h3', {}, `${r.room}/${r.bed} · ${r.full_name}`,
          r.status && r.status !== 'present' ? [' ', h('span', {class: 'tag tag-away'}, stayLabel(r.status))] : null),
          h('p', {class: 'sub'}, r.care_group ? format(gettext('Care group %(group)s'), {group: roman(r.care_group)}) : '',
            ' · ', format(gettext('%(done)s done, %(not_done)s not done, %(missing)s missed, %(late)s late'),
              {done: c.done || 0, not_done: c.not_done || 0, missing: c.missing || 0, late: c.late || 0}))),
        row.locked ? h('span', {class: 'tag'}, icon('⊠'), ' ', gettext('Confirmed'))
          : h('button', {type: 'button', class: 'btn btn-small', testid: `sup-confirm-resident-${r.id}`,
            onclick: () => confirm(r.id)}, gettext('Confirm this resident'))),
      row.cells.length || (row.period_done || []).length ? h('div', {class: 'sup-grid'},
        row.cells.map((cell) => supCell(r, cell, items, name, reload)), (row.period_done || []).map((done) =>
          periodDoneCell(r, done, items)))
        : h('p', {class: 'empty'}, gettext('No published care card for this month.'))));
  }
  mount(body, parts);
}

/** A periodic item recorded on an earlier day of its period (docs/domain.md, "Periodic services"): not due today. */
function periodDoneCell(resident, done, items) {
  const item = items.get(done.item_id) || {title: format(gettext('Item %(id)s'), {id: done.item_id})};
  const state = done.status === 'done' ? 'done' : 'not_done';
  return h('div', {class: ['sup-cell', `state-${state}`], testid: `sup-period-${resident.id}-${done.item_id}`,
    dataset: {state, day: done.day}},
  h('div', {class: 'sup-cell-text'},
    h('span', {class: 'sup-cell-title'}, h('strong', {}, item.schedule_kind ? scheduleText(item) : ''), ' ', item.title),
    h('span', {class: ['chip', `chip-${state}`]}, icon(STATE_ICON[state] || '•'), ' ', format(state === 'done'
      ? gettext('Done on %(day)s, for this period') : gettext('Not done on %(day)s, for this period'),
    {day: formatDate(done.day, {day: 'numeric', month: 'long'})}))));
}

function supCell(resident, cell, items, name, reload) {
  const item = items.get(cell.item_id) || {title: format(gettext('Item %(id)s'), {id: cell.item_id})};
  const e = cell.entry;
  const when = !cell.slot ? gettext('As needed') : cell.slot.startsWith('shift:') ? shiftLabel(cell.slot.slice(6))
    : cell.slot.startsWith(PERIOD_PREFIX) ? (item.schedule_kind ? scheduleText(item) : '') : cell.time;
  return h('div', {class: ['sup-cell', `state-${cell.state}`], testid: `sup-cell-${resident.id}-${cell.item_id}-${cell.slot ?? (e && e.id)}`,
    dataset: {state: cell.state}},
  h('div', {class: 'sup-cell-text'},
    h('span', {class: 'sup-cell-title'}, h('strong', {}, when), ' ', item.title),
    h('span', {}, h('span', {class: ['chip', `chip-${cell.state}`]}, icon(STATE_ICON[cell.state] || '•'), ' ',
      cellStateLabel(cell.state)),
    e && e.reason ? ` ${reasonLabel(e.reason)}` : '',
    cell.late ? h('span', {class: 'chip chip-late'}, icon('◴'), ' ', gettext('late')) : null,
    e && e.amendment_reason ? h('span', {class: 'tag'}, gettext('amended')) : null),
    e ? h('span', {class: 'hint'}, format(gettext('%(name)s at %(time)s'), {name: name(e.author_id), time: formatTime(e.device_time)})) : null),
  e ? h('button', {type: 'button', class: 'btn btn-small btn-ghost', testid: 'btn-amend',
    'aria-label': format(gettext('Amend: %(item)s'), {item: item.title}),
    onclick: async () => { if (await amendDialog(item.title, e)) reload(); }}, gettext('Amend')) : null);
}

function amendDialog(title, entry) {
  return openDialog({title: format(gettext('Amend: %(item)s'), {item: title}), testid: 'dialog-amend', build: () => {
    const reasonsBox = h('div', {hidden: entry.status !== 'not_done'});
    const reasons = choiceGroup({label: gettext('Reason not done'), options: REASONS, labelOf: reasonLabel,
      testPrefix: 'reason', value: entry.reason});
    const status = choiceGroup({label: gettext('Status'), options: ['done', 'not_done'], labelOf: statusLabel,
      testPrefix: 'status', value: entry.status, onChange: (code) => { reasonsBox.hidden = code !== 'not_done'; }});
    reasonsBox.append(h('p', {class: 'label'}, gettext('Reason not done')), reasons.el);
    const note = h('textarea', {id: 'amend-note', class: 'input', rows: 2, testid: 'note-text'}, entry.note || '');
    const why = h('textarea', {id: 'amend-why', class: 'input', rows: 2, testid: 'amend-reason', 'aria-required': 'true'});
    const whyMsg = h('p', {class: 'field-msg is-error'});
    return {
      body: [h('p', {class: 'label'}, gettext('Status')), status.el, reasonsBox,
        h('div', {class: 'field'}, h('label', {for: 'amend-note'}, gettext('Note')), note),
        h('div', {class: 'field'}, h('label', {for: 'amend-why'}, gettext('Why is the record changed? (required)')), why, whyMsg)],
      onSave: async () => {
        if (why.value.trim().length < 3) { why.focus(); throw new Error(gettext('Give the reason for the change.')); }
        const st = status.get();
        try {
          await api.post(`/api/entries/${entry.id}/amend`, {reason: why.value.trim(), status: st,
            not_done_reason: st === 'not_done' ? reasons.get() : null, note: note.value.trim() || null});
        } catch (err) {
          if (err instanceof ApiError && err.fields) whyMsg.textContent = Object.values(err.fields).join(' ');
          throw err instanceof OfflineError ? new Error(gettext('No connection. Nothing was changed.')) : err;
        }
        toast(gettext('The record was amended.'));
        return true;
      },
    };
  }});
}
