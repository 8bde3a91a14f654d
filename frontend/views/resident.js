// One resident's care day: today's cells, Done / Not done / vitals, notes, condition reports, corrections,
// assessments made today. A planner sees the day but records only assessments (btn-assess).
// data-testid (besides those in app.js): btn-assess, record-assessment-<entry_id> (data-form, data-total, data-band)
import {get, getAll} from '../lib/db.js';
import {h, icon, mount, reconcile} from '../lib/dom.js';
import {format, formatDate, formatTime, gettext} from '../lib/i18n.js';
import {STATE_ICON, cellStateLabel, conditionLabel, reasonLabel, roman, shiftLabel, statusLabel, stayLabel}
  from '../lib/labels.js';
import {appliesOn, isLocked} from '../lib/schedule.js';
import {mayRecord} from '../lib/roles.js';
import {can, session, today} from '../lib/session.js';
import {record, rejected as heldIds, watch} from '../lib/outbox.js';
import {events} from '../lib/sync.js';
import {cellsOf, residentDay, withMinute} from '../lib/today.js';
import {utc} from '../lib/time.js';
import {choiceGroup, conditionDialog, noteDialog, notDoneDialog, openDialog, toast, vitalsDialog} from './dialogs.js';
import {loadDefinition} from '../lib/vitals.js';
import {loadDefinition as loadForm} from '../lib/forms.js';
import {mayAssess, scoreText, txt} from '../lib/formtext.js';
import {formatValues, syncMark} from '../lib/marks.js';


function slotLabel(cell) {
  if (!cell.slot) return gettext('As needed');
  if (cell.slot.startsWith('shift:')) return shiftLabel(cell.slot.slice(6));
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
  const actions = h('div', {class: 'resident-actions'}, !bedside ? [assessButton, stayButton] : [
    h('button', {type: 'button', class: 'btn', testid: 'btn-vitals', onclick: act('btn-vitals', async () => {
      const res = await vitalsDialog(format(gettext('Vital signs: %(name)s'), {name: resident.full_name}));
      if (res) { await record([{kind: 'vitals', day, resident_id: residentId, values: res.values}]); saved(); }
    })}, icon('♥'), ' ', gettext('Vital signs')),
    h('button', {type: 'button', class: 'btn', testid: 'btn-note', onclick: act('btn-note', async () => {
      const res = await noteDialog(resident.full_name, `note:${resident.id}`);
      if (res) { await record([{kind: 'note', day, resident_id: residentId, note: res.note}]); saved(); }
    })}, icon('✎'), ' ', gettext('Note')),
    h('button', {type: 'button', class: 'btn btn-warn', testid: 'btn-condition', onclick: act('btn-condition', async () => {
      const res = await conditionDialog(resident.full_name);
      if (res) {
        await record([{kind: 'condition', day, resident_id: residentId, category: res.category, note: res.note}]);
        toast(gettext('Reported. The supervisor will see it; the resident is marked for reassessment.'));
      }
    })}, icon('⚑'), ' ', gettext('Report a change in condition')), assessButton, stayButton]);

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
          ? h('p', {class: 'tag tag-away', testid: 'resident-stay'}, stayLabel(resident.status)) : null),
      actions),
    lockBox, body,
    h('h2', {class: 'section-title'}, gettext('Other records today')), other);

  let ticket = 0;  // concurrent refreshes: only the latest one may paint
  // Drawn rows by key with what they show: a redraw replaces only the rows whose content changed (a tap changes one
  // cell; rebuilding the whole day was most of a tap's time on a slow tablet).
  let drawn = new Map();
  // An item as its row shows it, written out once per item read (a tap's redraw compares every row's content).
  const itemsShown = new WeakMap();
  const itemShown = (item) => {
    let shown = itemsShown.get(item);
    if (shown === undefined) itemsShown.set(item, shown = JSON.stringify(item));
    return shown;
  };
  const cellList = h('ol', {class: 'cell-list', 'aria-label': gettext('Care today')});
  let othersShown = null;
  let read = null;  // the day as last drawn: what was read from IndexedDB, with the entries recorded since
  let reading = false;
  // The rows for entries being stored right now (lib/outbox.js 'recording'), worked out while the recorder stores
  // them and put up only once they are stored ('recorded'): the screen never shows a tick that is not stored, and the tap's
  // redraw is not left until after the commit (the main thread is idle meanwhile).
  let prepared = null;

  /** The day as last read with `recorded` added (null when none of them is this resident's today). */
  function withRecorded(recorded) {
    const here = recorded.filter((e) => e.resident_id === residentId && e.day === day);
    if (!here.length) return null;
    const ids = new Set(here.map((e) => e.id));
    const entries = [...read.entries.filter((e) => !ids.has(e.id)), ...here.map((e) => withMinute({...e, synced: false}, day))];
    return {...read, entries, cells: cellsOf(read.items, entries, day, read.away)};
  }

  const idsOf = (list) => list.map((e) => e.id).sort().join(' ');
  function onRecording(entries) {
    prepared = null;
    if (!read || reading) return;
    const data = withRecorded(entries);
    if (data) prepared = {read, drawn, ids: idsOf(entries), data, rows: cellRows(data)};
  }

  /** The day's rows for `data` (detached: rows whose content is unchanged are the ones on screen). */
  function cellRows({cells, items, entries, staffList, confirmations, rejected}) {
    const staff = new Map(staffList.map((s) => [s.id, s.full_name]));
    const list = [];
    const nextDrawn = new Map();
    const row = (key, shows, build) => {
      const sig = JSON.stringify(shows);
      const old = drawn.get(key);
      const el = old && old.sig === sig ? old.el : build();
      nextDrawn.set(key, {sig, el});
      list.push(el);
    };
    const byId = new Map(entries.map((e) => [e.id, e]));
    const itemById = new Map(items.map((i) => [i.id, i]));
    const locked = isLocked(confirmations, resident.unit_id, residentId, day);
    const lock = confirmations.filter((c) => c.unit_id === resident.unit_id && c.day === day
      && (c.resident_id == null || c.resident_id === residentId)).sort((a, b) => a.seq - b.seq)[0];
    const lockNode = locked ? h('p', {class: 'notice notice-lock', testid: 'lock-notice'}, icon('⊠'), ' ',
      format(gettext('This day was confirmed by %(name)s at %(time)s. Entries can no longer be corrected here.'),
        {name: staff.get(lock.confirmed_by) || '—', time: formatTime(utc(lock.confirmed_at))})) : null;

    const byline = (e) => h('span', {class: 'byline'},
      format(gettext('%(name)s at %(time)s'), {name: staff.get(e.author_id) || gettext('unknown staff member'),
        time: formatTime(e.device_time)}), ' ', syncMark(e, rejected.has(e.id)));

    for (const cell of cells) {
      const item = itemById.get(cell.item_id) || {title: '?'};
      const e = cell.entry_id ? byId.get(cell.entry_id) : null;
      const key = `cell-${cell.item_id}-${cell.slot ?? cell.entry_id}`;
      row(key, [cell, itemShown(item), locked, bedside, e && [e.status, e.reason, e.note, e.synced, e.device_time, e.author_id,
        staff.get(e.author_id), rejected.has(e.id)]], () => cellRow(cell, item, e, key));
    }
    function cellRow(cell, item, e, key) {
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
              const res = await vitalsDialog(item.title, item.measures);
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
      h('span', {class: 'cell-time'}, slotLabel(cell)),
      h('div', {class: 'cell-main'},
        h('p', {class: 'cell-title'}, item.title),
        item.instructions ? h('p', {class: 'cell-instructions'}, item.instructions) : null,
        h('p', {class: 'cell-meta'},
          h('span', {class: ['chip', `chip-${cell.state}`]}, icon(STATE_ICON[cell.state] || '•'), ' ',
            cellStateLabel(cell.state)),
          cell.late ? h('span', {class: 'chip chip-late'}, icon('◴'), ' ', gettext('Recorded late')) : null,
          e && e.status === 'not_done' ? h('span', {class: 'reason'}, reasonLabel(e.reason)) : null,
          e ? byline(e) : null),
        e && e.note ? h('p', {class: 'cell-note'}, e.note) : null),
      h('div', {class: 'cell-actions'}, buttons));
    }
    // As-needed items get a "Record" row of their own.
    const asNeeded = items.filter((i) => i.schedule_kind === 'as_needed'
      && appliesOn(day, i.days_of_week, i.valid_from, i.valid_to));
    for (const item of asNeeded) {
      row(`asneeded-${item.id}`, [item, locked, bedside], () => h('li', {class: 'cell cell-asneeded', testid: `asneeded-${item.id}`},
        h('span', {class: 'cell-time'}, gettext('As needed')),
        h('div', {class: 'cell-main'}, h('p', {class: 'cell-title'}, item.title),
          item.instructions ? h('p', {class: 'cell-instructions'}, item.instructions) : null),
        h('div', {class: 'cell-actions'}, locked || !bedside ? null : h('button', {type: 'button', class: 'btn btn-primary',
          testid: 'btn-record', ontap: act(`asneeded-${item.id}`, () => record([{kind: 'tick', day,
            resident_id: residentId, item_id: item.id, slot: null, status: 'done'}]).then(saved))},
        icon('+'), ' ', gettext('Record')))));
    }
    return {list, drawn: nextDrawn, staff, byline, lockNode};
  }

  /** Redraw the day. `recorded`: entries just stored on this tablet (a tap here, or in another tab): they are added
   * to what was read last instead of reading the day again -- the tap's cell is drawn without another round trip
   * to the database. */
  async function fill(recorded) {
    const mine = ++ticket;
    const ready = prepared;
    prepared = null;
    let data;
    let rows;
    if (recorded && read) {
      if (ready && ready.read === read && ready.drawn === drawn && ready.ids === idsOf(recorded)) {
        ({data, rows} = ready);
      } else {
        data = withRecorded(recorded);
        if (!data) return;
        rows = cellRows(data);
      }
      read = data;
      if (reading) setTimeout(() => fill(), 0);  // a read begun before this entry was stored is dropped: read again
    } else {
      reading = true;
      try {
        const [{cells, items, entries, away}, staffList, confirmations, rejected] = await Promise.all([
          residentDay(residentId, day), getAll('staff'), getAll('confirmations'), heldIds()]);
        data = {cells, items, entries, away, staffList, confirmations, rejected};
      } finally {
        if (mine === ticket) reading = false;
      }
      if (mine !== ticket) return;
      read = data;
      rows = cellRows(data);
    }
    const {entries, rejected} = data;
    const {staff, byline, lockNode} = rows;
    mount(lockBox, lockNode);
    drawn = rows.drawn;
    // Repainting must not throw the keyboard/screen-reader focus back to the top.
    const active = document.activeElement;
    const activeRow = active && body.contains(active) ? active.closest('li.cell') : null;
    if (activeRow) focusKey = activeRow.dataset.testid;
    if (!rows.list.length) mount(body, h('p', {class: 'empty'}, gettext('No care card for this month has been published for this resident.')));
    else if (body.firstChild !== cellList) mount(body, reconcile(cellList, rows.list));
    else reconcile(cellList, rows.list);

    const extras = entries.filter((e) => e.kind !== 'tick').sort((a, b) => b.minute - a.minute);
    const superseded = new Set(entries.map((e) => e.supersedes).filter(Boolean));
    const forms = new Map();
    for (const id of new Set(extras.filter((e) => e.kind === 'assessment').map((e) => e.category))) {
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
    const shown = JSON.stringify([extras, [...superseded], [...rejected], [...staff], [...forms.keys()]]);
    if (shown === othersShown) return focusAfterRedraw();
    othersShown = shown;
    mount(other, extras.length ? h('ul', {class: 'record-list'}, extras.filter((e) => !superseded.has(e.id)).map((e) =>
      h('li', {class: ['record', `record-${e.kind}`], testid: e.kind === 'assessment' ? `record-assessment-${e.id}` : null,
        dataset: e.kind === 'assessment' ? {form: e.category, total: e.score ? e.score.total ?? '' : '',
          band: e.score ? e.score.band || '' : ''} : null},
        h('p', {class: 'record-head'}, h('strong', {}, heading(e)), ' ', byline(e)),
        e.kind === 'vitals' ? h('p', {class: 'values'}, formatValues(e.values, e.flags, definition)) : null,
        e.kind === 'assessment' && e.score ? h('p', {class: 'values'}, scoreText(forms.get(e.category), e.score)) : null,
        e.note ? h('p', {class: 'cell-note'}, e.note) : null)))
      : h('p', {class: 'empty'}, gettext('No vital signs, notes or reports yet today.')));
    focusAfterRedraw();
  }
  function focusAfterRedraw() {
    if (!focusKey) return;
    const key = focusKey;
    focusKey = null;
    // Once the change is painted and the tablet is idle: focusing lays the page out there and then (10 ms of a
    // tap on a slow tablet). Only when the focus was lost with the redrawn row (it is on the page itself): never
    // taken from where she has moved it meanwhile.
    const later = window.requestIdleCallback || ((fn) => setTimeout(fn, 50));
    later(() => {
      const target = main.querySelector(`[data-testid="${key}"]`);
      const lost = !document.activeElement || document.activeElement === document.body;
      if (target && lost && !document.querySelector('dialog[open]')) target.focus({preventScroll: true});
    }, {timeout: 300});
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
