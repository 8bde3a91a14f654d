// Attendance on the tablet: today's sessions, a group's attendance in one step, residents without activity for seven days.
// Works offline from IndexedDB (the attendance pull, lib/sync.js pullAttendance); Save puts one signed entry per
// resident (kind 'attendance') in the outbox.
//
// #/attendance                              today's sessions and individual activities, "No activity for 7 days"
// #/attendance/s/<session_id>               mark a session's occurrence today
// #/attendance/i/<activity_id>              mark an individual activity (outside the timetable) today
//
// data-testid: att-day, att-list, att-session-<session_id> (data-cancelled), att-open-<session_id>,
//   att-individual-<activity_id>-<resident_id>, att-ind-activity (select), att-ind-open, att-idle,
//   att-idle-<resident_id>, att-questionnaire-<resident_id>, att-forms-<resident_id> (the monitoring forms),
//   att-pending (data-count), att-sync-now, att-offline,
//   att-back, att-cancelled, att-rows, att-row-<resident_id> (data-engagement), att-present-<resident_id> (checkbox),
//   att-eng-<resident_id>-<active|passive|refused|absent>, att-reason-<resident_id>-<code>,
//   att-minutes-<resident_id>, att-note-<resident_id>, att-state-<resident_id> (data-state 'local'|'synced'),
//   att-all-present, att-add-select, att-add, att-save, att-error
import {IDLE_DAYS, idle, occurrences, programmeApplies, standingByOccurrence} from '../lib/activities.js';
import {getAll} from '../lib/db.js';
import {h, icon, mount} from '../lib/dom.js';
import {format, formatDate, gettext, locale, ngettext} from '../lib/i18n.js';
import {session, today} from '../lib/session.js';
import {record, rejected} from '../lib/outbox.js';
import {attendanceHeld, events, pullAttendance, status, syncNow} from '../lib/sync.js';
import {choiceGroup, toast} from './dialogs.js';

/** backend/domain/attendance.py: engagements and absence reasons. */
const ENGAGEMENTS = ['active', 'passive', 'refused', 'absent'];
const REASONS = ['ill', 'hospital', 'procedure', 'visit', 'asleep', 'other'];
const MINUTES_MAX = 600;

const txt = (text) => (text ? text[locale()] || text.en || text.ru || '' : '');
const engagementLabel = (code) => ({active: gettext('Active'), passive: gettext('Passive'),
  refused: gettext('Refused'), absent: gettext('Absent')})[code] || code;
const reasonLabel = (code) => ({ill: gettext('Ill'), hospital: gettext('In hospital'),
  procedure: gettext('At a procedure'), visit: gettext('Visit or leave'), asleep: gettext('Asleep'),
  other: gettext('Other reason')})[code] || code;

/** The day's occurrences of the timetable (lib/activities.js, the server's rules) with what the screen shows. */
function occurrencesOn(day, sessions, changes, activities) {
  const byId = new Map(sessions.map((s) => [s.id, s]));
  const withPlaces = sessions.map((s) => ({...s, activity_place: (activities.get(s.activity_id) || {}).place}));
  return occurrences(withPlaces, changes, day, day).map((o) => {
    const activity = activities.get(o.activity_id);
    return {session: byId.get(o.session_id), activity, cancelled: o.cancelled, note: o.note, start: o.start_time,
      place: o.place, title: o.title ? txt(o.title) : activity ? txt(activity.name) : '?'};
  });
}

const standing = standingByOccurrence;

/** Residents who took part in no social occupation (leisure and socially useful activity) in the IDLE_DAYS days
 * ending today. activities: Map id -> activity (its direction). */
function idleResidents(residents, entries, day, activities) {
  const ids = new Set(idle(residents.map((r) => r.id), entries, day, activities).map((r) => r.resident_id));
  return residents.filter((r) => ids.has(r.id));
}

const programmeToday = (lines, day) => lines.filter((p) => programmeApplies(p, day));

async function load() {
  const [residents, activityRows, sessions, changes, programme, entries, held] = await Promise.all([
    getAll('att_residents'), getAll('activities'), getAll('sessions'), getAll('session_changes'),
    getAll('programme'), getAll('entries'), rejected()]);
  residents.sort((a, b) => String(a.room).localeCompare(String(b.room)) || a.full_name.localeCompare(b.full_name));
  return {residents, activities: new Map(activityRows.map((a) => [a.id, a])), activityRows, sessions, changes,
    programme, entries, rejected: held};
}

function stateMark(entry, rejected, rid) {
  const state = rejected.has(entry.id) ? 'rejected' : entry.synced ? 'synced' : 'local';
  const label = {rejected: gettext('Needs attention'), synced: gettext('Synced'), local: gettext('Saved on tablet')}[state];
  return h('span', {class: `mark mark-${state === 'synced' ? 'ok' : state === 'local' ? 'local' : 'bad'}`,
    testid: `att-state-${rid}`, dataset: {state}}, icon(state === 'synced' ? '☁' : state === 'local' ? '▣' : '⚠'), ' ',
  engagementLabel(entry.status), ' · ', label);
}

async function syncBar() {
  const s = await status();
  const pending = s.pending + s.rejected;
  return h('div', {class: 'resident-actions'},
    h('span', {class: 'hint', testid: 'att-pending', dataset: {count: String(pending)}},
      format(ngettext('%(n)s entry waiting to sync', '%(n)s entries waiting to sync', pending), {n: pending})),
    h('button', {type: 'button', class: 'btn btn-small', testid: 'att-sync-now', onclick: () => syncNow()},
      icon('⟳'), ' ', gettext('Sync now')));
}

let dirty = false;  // she is marking: a sync in the background does not redraw the screen under her
let listening = null;  // the screen's 'change' listener

export async function render(main, params, ctx, {again = false} = {}) {
  // This drawing's own address: a refresh still running after she has moved on (even to another attendance
  // screen) draws nothing over the screen she is on now.
  const here = ['#/attendance', ...params].join('/');
  const current = () => decodeURIComponent(location.hash) === here;
  if (!current()) return null;
  if (!again) dirty = false;
  const refresh = () => render(main, params, ctx, {again: true});
  if (!(await attendanceHeld())) {  // never pulled here, or for another unit (lib/sync.js attendanceUnit)
    mount(main, h('section', {class: 'panel'}, h('h1', {}, gettext('Attendance')),
      h('p', {class: 'hint', role: 'status'}, gettext('Loading the activities…'))));
    try { await pullAttendance({force: true}); } catch (_) { /* offline: shown below */ }
  }
  const data = await load();
  if (!current()) return null;  // she moved on while it loaded
  // a redraw after a sync, begun before she started marking: her marks stay (she saves them, or leaves)
  if (again && dirty) return null;
  dirty = false;
  const [mode, id] = params;
  if (mode === 's' || mode === 'i') await renderMarking(main, data, mode, Number(id), ctx);
  else await renderDay(main, data);
  // Pulled or pushed elsewhere (auto sync): show the new state, unless she is in the middle of marking.
  // One listener for the screen, whichever drawing put it there (a redraw's replaces the one before).
  if (listening) events.removeEventListener('change', listening);
  listening = (event) => {
    const d = event.detail || {};
    if (!dirty && (d.pulled || d.pushed)) refresh();
  };
  events.addEventListener('change', listening);
  return () => {
    if (listening) events.removeEventListener('change', listening);
    listening = null;
  };
}

async function renderDay(main, data) {
  const day = today();
  const occurrences = occurrencesOn(day, data.sessions, data.changes, data.activities);
  const stand = [...standing(data.entries).values()].filter((e) => e.day === day);
  const names = new Map(data.residents.map((r) => [r.id, r]));
  const individual = programmeToday(data.programme, day).filter((p) => p.start_time && names.has(p.resident_id))
    .sort((a, b) => a.start_time.localeCompare(b.start_time));
  const list = h('ul', {class: 'field-list', testid: 'att-list'},
    occurrences.map((o) => {
      const marked = stand.filter((e) => e.values && e.values.session_id === o.session.id);
      return h('li', {class: 'resident-row', testid: `att-session-${o.session.id}`, dataset: {cancelled: String(o.cancelled)}},
        h('strong', {}, o.start),
        h('div', {}, h('div', {}, o.title), h('div', {class: 'hint'}, o.place),
          o.cancelled ? h('div', {class: 'mark mark-bad'}, icon('⊘'), ' ', gettext('Cancelled'), o.note ? ' · ' + o.note : '') : null),
        h('span', {class: 'hint'}, format(ngettext('%(n)s marked', '%(n)s marked', marked.length), {n: marked.length})),
        h('a', {class: 'btn btn-small', href: `#/attendance/s/${o.session.id}`, testid: `att-open-${o.session.id}`,
          'aria-label': format(gettext('Mark attendance: %(title)s at %(time)s'), {title: o.title, time: o.start})},
        gettext('Open')));
    }),
    individual.map((p) => {
      const activity = data.activities.get(p.activity_id);
      return h('li', {class: 'resident-row', testid: `att-individual-${p.activity_id}-${p.resident_id}`},
        h('strong', {}, p.start_time),
        h('div', {}, h('div', {}, activity ? txt(activity.name) : '?'), h('div', {class: 'hint'},
          gettext('Individual'), ' · ', names.get(p.resident_id).full_name)),
        h('span', {}),
        h('a', {class: 'btn btn-small', href: `#/attendance/i/${p.activity_id}`}, gettext('Open')));
    }));
  const empty = !occurrences.length && !individual.length
    ? h('p', {class: 'hint'}, data.activityRows.length ? gettext('No sessions today.')
      : gettext('No activities on this tablet yet. Connect to the network to load them.')) : null;
  const choosable = data.activityRows.filter((a) => a.active !== false);
  const pick = h('select', {class: 'input', id: 'att-ind-activity', testid: 'att-ind-activity'},
    choosable.map((a) => h('option', {value: String(a.id)}, txt(a.name))));
  const idle = idleResidents(data.residents, data.entries, day, data.activities);
  mount(main,
    h('section', {class: 'panel'},
      h('div', {class: 'panel-head'}, h('h1', {testid: 'att-day'}, gettext('Attendance'), ' · ', formatDate(day)),
        await syncBar()),
      list, empty,
      choosable.length ? h('div', {class: 'field'},
        h('label', {for: 'att-ind-activity'}, gettext('An individual activity outside the timetable')),
        h('div', {class: 'resident-actions'}, pick, h('button', {type: 'button', class: 'btn btn-small', testid: 'att-ind-open',
          onclick: () => { location.hash = `#/attendance/i/${pick.value}`; }}, gettext('Open')))) : null),
    h('section', {class: 'panel', testid: 'att-idle', 'aria-labelledby': 'att-idle-title'},
      h('h2', {id: 'att-idle-title'}, format(gettext('No activity for %(n)s days'), {n: IDLE_DAYS})),
      h('p', {class: 'hint'}, gettext('Residents who took part (actively or passively) in no leisure or socially useful activity in the last seven days, today included. Medical and psychological activities do not count.')),
      idle.length ? h('ul', {class: 'field-list'}, idle.map((r) => h('li', {class: 'resident-row', testid: `att-idle-${r.id}`},
        h('span', {}, r.room), h('span', {}, r.full_name), h('span', {}),
        h('a', {class: 'btn btn-small', href: `#/assess/${r.id}/satisfaction_resident`, testid: `att-questionnaire-${r.id}`,
          'aria-label': format(gettext('Questionnaire with %(name)s'), {name: r.full_name})}, gettext('Questionnaire')))))
        : h('p', {}, gettext('Everyone took part in a leisure or socially useful activity this week.'))));
}

/** What a saved mark says, in the row's terms (an entry of kind 'attendance'). */
const markOf = (entry) => ({engagement: entry.status, reason: entry.status === 'absent' ? entry.reason || null : null,
  minutes: entry.values && entry.values.minutes != null ? String(entry.values.minutes) : '', note: entry.note || ''});

/** Does the row say something else than its saved mark? Only then does Save write a correction. */
const changed = (st, held) => {
  const was = markOf(held);
  return st.engagement !== was.engagement || (st.engagement === 'absent' && st.reason !== was.reason)
    || st.minutes !== was.minutes || st.note !== was.note;
};

/** One resident's row: present checkbox, engagement, reason when absent, minutes, note, and what stands now. A saved
 * mark is the row's state (its engagement chosen, its reason, minutes and note filled in): she sees what is saved and
 * changes it only by changing it. */
function residentRow(r, held, expected, data, markDirty) {
  const st = {engagement: null, reason: null};
  const row = h('li', {class: 'panel', testid: `att-row-${r.id}`, dataset: {engagement: ''}});
  const present = h('input', {type: 'checkbox', testid: `att-present-${r.id}`});
  const reasonBox = h('div', {hidden: true});
  const minutes = h('input', {type: 'number', class: 'input', min: '1', max: String(MINUTES_MAX), inputmode: 'numeric',
    id: `att-minutes-${r.id}`, testid: `att-minutes-${r.id}`, oninput: markDirty});
  const note = h('input', {type: 'text', class: 'input', maxlength: 2000, id: `att-note-${r.id}`, testid: `att-note-${r.id}`,
    oninput: markDirty});
  const set = (code, {quiet = false} = {}) => {
    st.engagement = code;
    row.dataset.engagement = code || '';
    present.checked = !!code && code !== 'absent';
    reasonBox.hidden = code !== 'absent';
    for (const b of engagement.el.querySelectorAll('.choice')) b.setAttribute('aria-checked', String(b.dataset.code === code));
    if (!quiet) markDirty();
  };
  const engagement = choiceGroup({label: format(gettext('Engagement of %(name)s'), {name: r.full_name}),
    options: ENGAGEMENTS, labelOf: engagementLabel, testPrefix: `att-eng-${r.id}`, onChange: set});
  const reasons = choiceGroup({label: format(gettext('Why %(name)s was absent'), {name: r.full_name}), options: REASONS,
    labelOf: reasonLabel, testPrefix: `att-reason-${r.id}`, onChange: (code) => { st.reason = code; markDirty(); }});
  reasonBox.append(reasons.el);
  const setReason = (code) => {
    st.reason = code;
    for (const b of reasons.el.querySelectorAll('.choice')) b.setAttribute('aria-checked', String(b.dataset.code === code));
  };
  // Unticking a resident whose mark is saved says she was not there (a mark is corrected, never taken back).
  present.addEventListener('change', () => set(present.checked ? 'active' : held ? 'absent' : null));
  if (held) {
    const was = markOf(held);
    set(was.engagement, {quiet: true});
    if (was.reason) setReason(was.reason);
    minutes.value = was.minutes;
    note.value = was.note;
  }
  row.append(
    h('div', {class: 'panel-head'},
      h('label', {class: 'check'}, present, ' ', h('strong', {}, r.full_name), ' ', h('span', {class: 'hint'}, r.room)),
      h('div', {class: 'resident-actions'}, expected ? h('span', {class: 'hint'}, gettext('In the programme')) : null,
        held ? stateMark(held, data.rejected, r.id) : null,
        h('a', {class: 'btn btn-small', href: `#/assess/${r.id}/satisfaction_resident`, testid: `att-questionnaire-${r.id}`,
          'aria-label': format(gettext('Questionnaire with %(name)s'), {name: r.full_name})}, gettext('Questionnaire')),
        // the monitoring forms of 001 (observation, interview, specialist's report) beside the questionnaire
        h('a', {class: 'btn btn-small', href: `#/assess/${r.id}`, testid: `att-forms-${r.id}`,
          'aria-label': format(gettext('Monitoring forms of %(name)s'), {name: r.full_name})}, gettext('Monitoring')))),
    engagement.el, reasonBox,
    h('div', {class: 'resident-actions'},
      h('div', {class: 'field'}, h('label', {for: `att-minutes-${r.id}`}, gettext('Minutes (optional)')), minutes),
      h('div', {class: 'field'}, h('label', {for: `att-note-${r.id}`}, gettext('Note (optional)')), note)));
  return {row, resident: r, held, set, state: () => ({...st, minutes: minutes.value.trim(), note: note.value.trim()}),
    present: () => present.checked};
}

async function renderMarking(main, data, mode, id, {go}) {
  const day = today();
  let title;
  let sessionId = null;
  let activityId;
  let occurrence = null;
  if (mode === 's') {
    occurrence = occurrencesOn(day, data.sessions, data.changes, data.activities).find((o) => o.session.id === id);
    if (!occurrence) return go('attendance');
    ({title} = occurrence);
    sessionId = id;
    activityId = occurrence.session.activity_id;
  } else {
    const activity = data.activities.get(id);
    if (!activity) return go('attendance');
    title = txt(activity.name);
    activityId = id;
  }
  const names = new Map(data.residents.map((r) => [r.id, r]));
  const lines = programmeToday(data.programme, day).filter((p) => p.activity_id === activityId
    && (mode === 's' ? !p.start_time && [null, undefined, names.get(p.resident_id)?.unit_id].includes(occurrence.session.unit_id)
      : !!p.start_time));
  const expected = new Set(lines.map((p) => p.resident_id).filter((rid) => names.has(rid)));
  const stand = new Map([...standing(data.entries).values()].filter((e) => e.day === day && e.values
    && (sessionId !== null ? e.values.session_id === sessionId
      : e.values.session_id == null && e.values.activity_id === activityId)).map((e) => [e.resident_id, e]));
  const shown = [...new Set([...expected, ...stand.keys()])].filter((rid) => names.has(rid));
  const rowsEl = h('ul', {class: 'field-list', testid: 'att-rows'});
  const rows = [];
  const markDirty = () => { dirty = true; };
  const addRow = (rid) => {
    const row = residentRow(names.get(rid), stand.get(rid), expected.has(rid), data, markDirty);
    rows.push(row);
    rowsEl.append(row.row);
    return row;
  };
  shown.forEach(addRow);
  const addSelect = h('select', {class: 'input', id: 'att-add-select', testid: 'att-add-select'});
  const fillAdd = () => mount(addSelect, data.residents.filter((r) => !rows.some((x) => x.resident.id === r.id))
    .map((r) => h('option', {value: String(r.id)}, r.full_name, ' · ', r.room)));
  fillAdd();
  const error = h('p', {class: 'form-error', role: 'alert', testid: 'att-error'});
  const save = async () => {
    error.textContent = '';
    const list = [];
    for (const row of rows) {
      const st = row.state();
      // Nothing to say, or just what is saved: no entry (a saved mark changes only when she changes it).
      if (!st.engagement || (row.held && !changed(st, row.held))) continue;
      const minutes = st.minutes === '' ? null : Number(st.minutes);
      const problem = st.engagement === 'absent' && !st.reason ? gettext('Choose why the resident was absent.')
        : st.reason === 'other' && st.engagement === 'absent' && !st.note ? gettext('Describe the reason in a note.')
          : minutes !== null && !(Number.isInteger(minutes) && minutes >= 1 && minutes <= MINUTES_MAX)
            ? format(gettext('Minutes must be between %(min)s and %(max)s.'), {min: 1, max: MINUTES_MAX}) : null;
      if (problem) {
        error.textContent = row.resident.full_name + ': ' + problem;
        return;
      }
      const mine = row.held && row.held.author_id === session.user.id && !data.rejected.has(row.held.id);
      list.push({kind: 'attendance', resident_id: row.resident.id, day, status: st.engagement,
        reason: st.engagement === 'absent' ? st.reason : null, note: st.note || null,
        values: {session_id: sessionId, activity_id: activityId, minutes},
        supersedes: mine ? row.held.id : null});
    }
    if (!list.length) {
      error.textContent = rows.some((row) => row.held) ? gettext('Nothing has changed since the last save.')
        : gettext('Mark at least one resident.');
      return;
    }
    try {
      await record(list);
    } catch (err) {
      error.textContent = gettext('Not saved: unlock the tablet and try again.');
      return;
    }
    toast(format(ngettext('%(n)s attendance saved on the tablet.', '%(n)s attendances saved on the tablet.', list.length),
      {n: list.length}));
    dirty = false;
    go(mode === 's' ? `attendance/s/${id}` : `attendance/i/${id}`);
  };
  mount(main, h('section', {class: 'panel'},
    h('div', {class: 'panel-head'},
      h('h1', {}, title, occurrence ? ' · ' + occurrence.start : '', ' · ', formatDate(day)),
      h('a', {class: 'btn btn-small', href: '#/attendance', testid: 'att-back'}, gettext('Back'))),
    occurrence ? h('p', {class: 'hint'}, occurrence.place) : h('p', {class: 'hint'}, gettext('Individual activity outside the timetable')),
    occurrence && occurrence.cancelled ? h('p', {class: 'notice notice-warn', testid: 'att-cancelled'}, icon('⊘'), ' ',
      gettext('This session is cancelled.'), occurrence.note ? ' ' + occurrence.note : '') : null,
    h('p', {class: 'hint'}, gettext('Tick the residents who are here, then Save once. Present means active unless you choose otherwise.')),
    stand.size ? h('p', {class: 'hint', testid: 'att-saved-hint'},
      gettext('Saved marks are shown as they are. Change a resident\'s mark to correct it; the rest stays as saved.')) : null,
    h('div', {class: 'resident-actions'},
      // Fills the residents not marked yet; a saved or chosen mark stays as it is.
      h('button', {type: 'button', class: 'btn', testid: 'att-all-present', onclick: () => {
        for (const row of rows) if (!row.state().engagement) row.set('active');
      }}, icon('✓'), ' ', stand.size ? gettext('Mark the others present') : gettext('Mark all present'))),
    rowsEl,
    h('div', {class: 'field'}, h('label', {for: 'att-add-select'}, gettext('Add a resident')),
      h('div', {class: 'resident-actions'}, addSelect, h('button', {type: 'button', class: 'btn btn-small', testid: 'att-add',
        onclick: () => {
          const rid = Number(addSelect.value);
          if (!rid) return;
          addRow(rid).set('active');
          fillAdd();
        }}, gettext('Add')))),
    error,
    h('div', {class: 'resident-actions'},
      h('button', {type: 'button', class: 'btn btn-primary', testid: 'att-save', onclick: save}, gettext('Save')),
      await syncBar())));
}
