// One resident's care day (lib/day.js): this view mounts its rows, follows the outbox and reconciles. A planner
// records only assessments. data-testid: btn-assess, day-counts (data-done...), record-<id>, record-assessment-<id>
// (data-form, data-total, data-band)
import {get, getAll} from '../lib/db.js';
import {h, icon, mount, reconcile} from '../lib/dom.js';
import {format, formatDate, formatTime, gettext} from '../lib/i18n.js';
import {STATE_ICON, cellStateLabel, conditionLabel, reasonLabel, roman, shiftLabel, statusLabel, stayLabel}
  from '../lib/labels.js';
import {mayRecord} from '../lib/roles.js';
import {can, session, today} from '../lib/session.js';
import {record, rejected as heldIds, watch} from '../lib/outbox.js';
import {events} from '../lib/sync.js';
import {dayOf} from '../lib/day.js';
import {dayAt, readDay} from '../lib/today.js';
import {utc} from '../lib/time.js';
import {choiceGroup, conditionDialog, noteDialog, notDoneDialog, openDialog, toast, vitalsDialog} from './dialogs.js';
import {check, loadDefinition} from '../lib/vitals.js';
import {loadDefinition as loadForm} from '../lib/formdefs.js';
import {mayAssess, scoreText, txt} from '../lib/formtext.js';
import {formatValues, syncMark} from '../lib/marks.js';
import {scheduleText} from '../lib/periodicity.js';
import {PERIOD_PREFIX} from '../lib/schedule.js';

const later = (fn) => (window.requestIdleCallback || ((f) => setTimeout(f, 50)))(fn, {timeout: 300});

function slotLabel(cell, item) {
  if (!cell.slot) return gettext('As needed');
  if (cell.slot.startsWith('shift:')) return shiftLabel(cell.slot.slice(6));
  if (cell.slot.startsWith(PERIOD_PREFIX)) return item && item.schedule_kind ? scheduleText(item) : '';
  return cell.time;
}

export async function render(main, params, {go}) {
  const residentId = Number(params[0]);
  const resident = await get('residents', residentId);
  if (!resident) return go('home');
  const day = today();
  const definition = await loadDefinition().catch(() => null);
  const body = h('div', {class: 'cells'});
  const other = h('div', {class: 'records'});
  const lockBox = h('div', {});
  const countsBox = h('p', {class: 'sub day-counts', testid: 'day-counts'});
  let focusKey = null;

  const act = (key, fn) => async () => {
    focusKey = key;
    try {
      await fn();
    } catch (err) {
      toast(err.message || String(err));
    }
  };
  const saved = () => toast(gettext('Saved on the tablet. It will be sent when the connection allows.'));

  // Bedside entries are the recorders'; assessments the planners' and supervisors' (lib/roles.js mayRecord).
  const bedside = mayRecord(session.user, 'note');
  const assessButton = mayAssess() ? h('a', {class: 'btn', href: `#/assess/${residentId}`, testid: 'btn-assess'},
    icon('▤'), ' ', gettext('Assessments')) : null;
  const stayButton = can('keep_stays') ? h('a', {class: 'btn', href: `#/stay/${residentId}`,
    testid: 'btn-stay'}, gettext('Her stay')) : null;
  // The day's vital signs, notes and reports are listed below the cells (thirty and more): one tap takes her there.
  const otherTitle = h('h2', {class: 'section-title', tabindex: '-1'}, gettext('Other records today'));
  const toOthers = h('button', {type: 'button', class: 'btn', testid: 'btn-other-records',
    onclick: () => { otherTitle.scrollIntoView({block: 'start'}); otherTitle.focus({preventScroll: true}); }},
  icon('↓'), ' ', gettext('Other records today'));
  const actions = h('div', {class: 'resident-actions'}, !bedside ? [assessButton, stayButton, toOthers] : [
    h('button', {type: 'button', class: 'btn', testid: 'btn-vitals', onclick: act('btn-vitals', async () => {
      const res = await vitalsDialog(format(gettext('Vital signs: %(name)s'), {name: resident.full_name}), null,
        `vitals:${residentId}:${day}`);
      if (res) { await record([{kind: 'vitals', day, resident_id: residentId, values: res.values}]); saved(); }
    })}, icon('♥'), ' ', gettext('Vital signs')),
    h('button', {type: 'button', class: 'btn', testid: 'btn-note', onclick: act('btn-note', async () => {
      const res = await noteDialog(resident.full_name, `note:${resident.id}`);
      if (res) { await record([{kind: 'note', day, resident_id: residentId, note: res.note}]); saved(); }
    })}, icon('✎'), ' ', gettext('Note')),
    h('button', {type: 'button', class: 'btn btn-warn', testid: 'btn-condition', onclick: act('btn-condition', async () => {
      const res = await conditionDialog(resident.full_name, `condition:${residentId}:${day}`);
      if (res) {
        await record([{kind: 'condition', day, resident_id: residentId, category: res.category, note: res.note}]);
        toast(gettext('Reported. The supervisor will see it; the resident is marked for reassessment.'));
      }
    })}, icon('⚑'), ' ', gettext('Report a change in condition')), assessButton, stayButton, toOthers]);

  const panel = h('section', {class: 'panel'},
    h('a', {href: '#/home', class: 'back-link'}, '‹ ', gettext('All residents')),
    h('div', {class: 'panel-head resident-head'},
      h('div', {},
        h('h1', {}, resident.full_name),
        h('p', {class: 'sub'},
          format(gettext('Room %(room)s, bed %(bed)s'), {room: resident.room, bed: resident.bed}),
          resident.care_group ? ` · ${format(gettext('Care group %(group)s'), {group: roman(resident.care_group)})}` : '',
          ` · ${formatDate(day, {weekday: 'long', day: 'numeric', month: 'long'})}`),
        resident.needs_reassessment ? h('p', {class: 'tag tag-warn'}, icon('⚑'), ' ', gettext('Needs reassessment')) : null,
        resident.status && resident.status !== 'present'
          ? h('p', {class: 'tag tag-away', testid: 'resident-stay'}, stayLabel(resident.status)) : null,
        countsBox),
      actions),
    lockBox, body,
    otherTitle, other);

  let ticket = 0;  // concurrent refreshes: only the latest one may paint
  let model = null;
  let drawn = new Map();  // row key -> {sig, el}
  let reading = false;
  let othersShown = null;
  let countsShown = null;
  // rows worked out on 'recording', put up on 'recorded' (docs/sync.md, "Recording")
  let prepared = null;
  const cellList = h('ol', {class: 'cell-list', 'aria-label': gettext('Care today')});
  const at = dayAt(residentId, resident.unit_id, day,
    {flagsOf: (values) => (definition ? check(values, definition).flags : null)});
  const idsOf = (list) => list.map((e) => e.id).sort().join(' ');
  function onRecording(entries) {
    prepared = null;
    const next = model && !reading ? model.with(entries) : null;
    if (next) prepared = {model, drawn, ids: idsOf(entries), next, rows: cellRows(next)};
  }

  const byline = (d, e) => h('span', {class: 'byline'},
    format(gettext('%(name)s at %(time)s'), {name: d.staff.get(e.author_id) || gettext('unknown staff member'),
      time: formatTime(e.device_time)}), ' ', syncMark(e, d.held(e.id)));

  /** The rows of `d`, detached; a row whose sig is unchanged keeps its element. */
  function cellRows(d) {
    const next = new Map();
    const list = d.rows.map((row) => {
      const old = drawn.get(row.key);
      const el = old && old.sig === row.sig ? old.el : row.asNeeded ? asNeededRow(d, row)
        : row.periodDone ? periodDoneRow(d, row) : cellRow(d, row);
      next.set(row.key, {sig: row.sig, el});
      return el;
    });
    return {list, drawn: next};
  }
  function cellRow(d, {key, cell, item, entry: e}) {
    const locked = !!d.lock;
    const isVitals = item.category === 'vitals' && item.measures && item.measures.length;
    const tick = (status, extra = {}) => record([{kind: 'tick', day, resident_id: residentId,
      item_id: cell.item_id, slot: cell.slot, status, ...extra}]).then(saved);
    const buttons = [];
    if (!bedside) {
      // a planner reads the day; she does not tick
    } else if (!e && !locked) {
      if (isVitals) {
        buttons.push(h('button', {type: 'button', class: 'btn btn-primary', testid: 'btn-measure',
          onclick: act(key, async () => {
            const res = await vitalsDialog(item.title, item.measures,
              `vitals:${residentId}:${day}:${cell.item_id}:${cell.slot}`);
            if (!res) return;
            await record([
              {kind: 'vitals', day, resident_id: residentId, item_id: cell.item_id, slot: cell.slot, values: res.values},
              {kind: 'tick', day, resident_id: residentId, item_id: cell.item_id, slot: cell.slot, status: 'done'}]);
            saved();
          })}, icon('♥'), ' ', gettext('Measure')));
      } else {
        buttons.push(h('button', {type: 'button', class: 'btn btn-primary', testid: 'btn-done',
          ontap: act(key, () => tick('done'))}, icon('✓'), ' ', gettext('Done')));
      }
      buttons.push(h('button', {type: 'button', class: 'btn', testid: 'btn-not-done', onclick: act(key, async () => {
        const res = await notDoneDialog(item.title);
        if (res) await tick('not_done', {reason: res.reason, note: res.note});
      })}, icon('✗'), ' ', gettext('Not done')));
    } else if (e && !locked && e.author_id === session.user.id) {
      buttons.push(h('button', {type: 'button', class: 'btn btn-ghost', testid: 'btn-correct',
        onclick: act(key, async () => {
          const res = await correctDialog(item.title, e);
          if (res) await tick(res.status, {reason: res.reason, note: res.note, supersedes: e.id});
        })}, icon('↺'), ' ', gettext('Correct')));
    }
    return h('li', {class: ['cell', `state-${cell.state}`], testid: key, tabindex: -1,
      dataset: {state: cell.state, entry: cell.entry_id || ''}},
    h('span', {class: 'cell-time'}, slotLabel(cell, item)),
    h('div', {class: 'cell-main'},
      h('p', {class: 'cell-title'}, item.title),
      item.instructions ? h('p', {class: 'cell-instructions'}, item.instructions) : null,
      h('p', {class: 'cell-meta'},
        h('span', {class: ['chip', `chip-${cell.state}`]}, icon(STATE_ICON[cell.state] || '•'), ' ',
          cellStateLabel(cell.state)),
        cell.late ? h('span', {class: 'chip chip-late'}, icon('◴'), ' ', gettext('Recorded late')) : null,
        e && e.status === 'not_done' ? h('span', {class: 'reason'}, reasonLabel(e.reason)) : null,
        e ? byline(d, e) : null),
      e && e.note ? h('p', {class: 'cell-note'}, e.note) : null),
    h('div', {class: 'cell-actions'}, buttons));
  }
  // A periodic item recorded on an earlier day of its period: done for the period, not offered again (docs/domain.md,
  // "Periodic services").
  const periodDoneRow = (d, {key, item, periodDone, entry: e}) => {
    const on = formatDate(periodDone.day, {day: 'numeric', month: 'long'});
    const done = !e || e.status === 'done';
    return h('li', {class: ['cell', 'cell-period-done', `state-${done ? 'done' : 'not_done'}`], testid: key,
      dataset: {state: done ? 'done' : 'not_done', entry: periodDone.entry_id, period: periodDone.slot}},
    h('span', {class: 'cell-time'}, scheduleText(item)),
    h('div', {class: 'cell-main'},
      h('p', {class: 'cell-title'}, item.title),
      h('p', {class: 'cell-meta'},
        h('span', {class: ['chip', `chip-${done ? 'done' : 'not_done'}`]},
          icon(STATE_ICON[done ? 'done' : 'not_done'] || '•'), ' ', format(done
            ? gettext('Done on %(day)s, for this period') : gettext('Not done on %(day)s, for this period'), {day: on})),
        e && e.status === 'not_done' ? h('span', {class: 'reason'}, reasonLabel(e.reason)) : null,
        e ? byline(d, e) : null)));
  };
  // As-needed items get a "Record" row of their own.
  const asNeededRow = (d, {key, item}) => h('li', {class: 'cell cell-asneeded', testid: key},
    h('span', {class: 'cell-time'}, gettext('As needed')),
    h('div', {class: 'cell-main'}, h('p', {class: 'cell-title'}, item.title),
      item.instructions ? h('p', {class: 'cell-instructions'}, item.instructions) : null),
    h('div', {class: 'cell-actions'}, d.lock || !bedside ? null : h('button', {type: 'button', class: 'btn btn-primary',
      testid: 'btn-record', ontap: act(key, () => record([{kind: 'tick', day,
        resident_id: residentId, item_id: item.id, slot: null, status: 'done'}]).then(saved))},
    icon('+'), ' ', gettext('Record'))));

  /** Redraw; `recorded` (just stored here or in another tab) is added to the day without reading it again. */
  async function fill(recorded) {
    const mine = ++ticket;
    const ready = prepared;
    prepared = null;
    let rows;
    if (recorded && model) {
      if (ready && ready.model === model && ready.drawn === drawn && ready.ids === idsOf(recorded)) {
        ({next: model, rows} = ready);
      } else {
        const next = model.with(recorded);
        if (!next) return;
        model = next;
        rows = cellRows(model);
      }
      if (reading) setTimeout(() => fill(), 0);  // a read begun before this entry was stored is dropped: read again
    } else {
      reading = true;
      let read;
      try {
        const [days, staff, confirmations, rejected] = await Promise.all([
          readDay(residentId, day, null, resident), getAll('staff'), getAll('confirmations'), heldIds()]);
        read = {...days, staff, confirmations, rejected};
      } finally {
        if (mine === ticket) reading = false;
      }
      if (mine !== ticket) return;
      model = dayOf(at, read);
      rows = cellRows(model);
    }
    const d = model;
    const seen = d.confirmation;
    mount(lockBox, seen ? h('p', {class: 'notice notice-lock', testid: 'lock-notice', dataset: {whole: String(seen.whole)}},
      icon('⊠'), ' ', format(seen.whole
        ? gettext('This day was confirmed by %(name)s at %(time)s. Entries can no longer be corrected here.')
        : gettext('Confirmed by %(name)s up to %(time)s. What you record now is reviewed at the next confirmation.'),
      {name: d.staff.get(seen.confirmed_by) || '—', time: formatTime(utc(seen.confirmed_at))})) : null);
    drawn = rows.drawn;
    // Repainting must not throw the keyboard/screen-reader focus back to the top.
    const active = document.activeElement;
    const activeRow = active && body.contains(active) ? active.closest('li.cell') : null;
    if (activeRow) focusKey = activeRow.dataset.testid;
    if (!rows.list.length) mount(body, h('p', {class: 'empty'}, gettext('No care card for this month has been published for this resident.')));
    else if (body.firstChild !== cellList) mount(body, reconcile(cellList, rows.list));
    else reconcile(cellList, rows.list);
    // the counts after the tap's frame is painted (the first time at once: nothing moves down later)
    if (countsShown === null) drawCounts(d.counts);
    else if (!countsDue) {
      countsDue = true;
      requestAnimationFrame(() => setTimeout(() => { countsDue = false; drawCounts(model.counts); }, 0));
    }

    const records = d.records;
    const forms = new Map();
    for (const id of new Set(records.filter((e) => e.kind === 'assessment').map((e) => e.category))) {
      forms.set(id, await loadForm(id).catch(() => null));
    }
    if (mine !== ticket) return;
    const heading = (e) => {
      if (e.kind === 'vitals') return gettext('Vital signs');
      if (e.kind === 'note') return gettext('Note');
      if (e.kind === 'assessment') {
        const form = forms.get(e.category);
        return format(gettext('Assessment: %(form)s'), {form: form ? txt(form.title) : e.category});
      }
      return format(gettext('Change in condition: %(category)s'), {category: conditionLabel(e.category)});
    };
    const shown = JSON.stringify([records, records.map((e) => d.flags(e)), records.map((e) => d.held(e.id)),
      [...d.staff], [...forms.keys()]]);
    if (shown === othersShown) return focusAfterRedraw();
    othersShown = shown;
    mount(other, records.length ? h('ul', {class: 'record-list'}, records.map((e) =>
      h('li', {class: ['record', `record-${e.kind}`], testid: e.kind === 'assessment' ? `record-assessment-${e.id}` : `record-${e.id}`,
        dataset: e.kind === 'assessment' ? {form: e.category, total: e.score ? e.score.total ?? '' : '',
          band: e.score ? e.score.band || '' : ''} : null},
        h('p', {class: 'record-head'}, h('strong', {}, heading(e)), ' ', byline(d, e)),
        e.kind === 'vitals' ? h('p', {class: 'values'}, formatValues(e.values, d.flags(e), definition)) : null,
        e.kind === 'assessment' && e.score ? h('p', {class: 'values'}, scoreText(forms.get(e.category), e.score)) : null,
        e.note ? h('p', {class: 'cell-note'}, e.note) : null)))
      : h('p', {class: 'empty'}, gettext('No vital signs, notes or reports yet today.')));
    focusAfterRedraw();
  }
  let countsDue = false;
  function drawCounts(c) {
    const text = format(gettext('%(done)s done, %(not_done)s not done, %(missing)s missed, %(late)s late'), c);
    if (text === countsShown) return;
    countsShown = text;
    countsBox.textContent = text;
    const {not_done: notDone, ...rest} = c;
    Object.assign(countsBox.dataset, rest, {notDone});
  }
  function focusAfterRedraw() {
    if (!focusKey) return;
    const key = focusKey;
    focusKey = null;
    // When idle (focusing lays out: 10 ms of a tap at 4x), and only if the focus was lost with the redrawn row.
    later(() => {
      const target = main.querySelector(`[data-testid="${key}"]`);
      const lost = !document.activeElement || document.activeElement === document.body;
      if (target && lost && !document.querySelector('dialog[open]')) target.focus({preventScroll: true});
    });
  }
  await fill();
  main.append(panel);  // with its cells: what follows them does not move down once they are read
  // Pushed, held, pulled: read the day again. Recorded (here or in another tab): add what was stored.
  const onChange = () => fill();
  events.addEventListener('change', onChange);
  const unwatch = watch({recorded: (entries) => fill(entries), recording: onRecording});
  const timer = setInterval(() => fill(), 60000);
  return () => {
    events.removeEventListener('change', onChange);
    unwatch();
    clearInterval(timer);
  };
}

/** Correct an own entry: a new status (and reason); the old entry is kept and superseded. */
function correctDialog(title, entry) {
  return openDialog({title: format(gettext('Correct: %(item)s'), {item: title}), testid: 'dialog-correct', build: () => {
    const reasonsBox = h('div', {hidden: entry.status !== 'done'});
    const reasons = choiceGroup({label: gettext('Reason'), options: ['asleep', 'refused', 'absent', 'hospital',
      'not_needed', 'other'], labelOf: reasonLabel, testPrefix: 'reason'});
    const status = choiceGroup({label: gettext('Correct to'), options: ['done', 'not_done'], labelOf: statusLabel,
      testPrefix: 'status', value: entry.status === 'done' ? 'not_done' : 'done',
      onChange: (code) => { reasonsBox.hidden = code !== 'not_done'; }});
    const note = h('textarea', {id: 'correct-note', class: 'input', rows: 3, testid: 'note-text'});
    reasonsBox.append(h('p', {class: 'label'}, gettext('Reason')), reasons.el);
    return {
      body: [h('p', {class: 'hint'}, gettext('The original entry is kept; the correction replaces it on the card.')),
        status.el, reasonsBox, h('div', {class: 'field'}, h('label', {for: 'correct-note'}, gettext('Note')), note)],
      onSave: () => {
        const st = status.get();
        const text = note.value.trim() || null;
        if (st === 'not_done' && !reasons.get()) throw new Error(gettext('Choose a reason.'));
        if (st === 'not_done' && reasons.get() === 'other' && !text) throw new Error(gettext('Describe the reason in the note.'));
        return {status: st, reason: st === 'not_done' ? reasons.get() : null, note: text};
      },
    };
  }});
}
