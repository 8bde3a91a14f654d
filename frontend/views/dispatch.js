// #/dispatch: the station head's screen in a community home (issue 18, section 3): today's board of her station's
// visits (refreshed every minute while shown), the week (generate, assign and reassign, cancel with a reason, a visit
// added by hand), the station's alarms (steps, close; refreshed every minute while shown, as the board is) and the
// week's follow-up calls (回访: the sample of finished visits to call, each call's result and, when the call reached
// someone, the home-care satisfaction questionnaire, frontend/forms/satisfaction_homecare.json, scored by the server).
// Online only; every time is the home's clock.
//
// data-testid: dispatch-unit, dispatch-day, dispatch-tab-<board|week|alarms|follow_ups>, dispatch-refresh,
//   dispatch-error,
//   dispatch-body; board: board-asof, board-counts, board-count-<state> (data-count), board-visit-<id> (data-state),
//   board-state-<id>, board-flags-<id>, board-verified-<id> (data-verified), board-accept-<id>,
//   board-accepted-<id>, dialog-accept-location (accept-reason); week: week-generate, week-add,
//   week-result, week-visit-<id> (data-cancelled), week-carers-<id>, week-assign-<id>, week-cancel-<id>;
//   dialogs: dialog-assign (assign-carer-<id>, assign-blocked-<id>), dialog-cancel-visit (cancel-reason),
//   dialog-visit (visit-person, visit-day, visit-time, visit-minutes); alarms: alarm-<id> (data-open),
//   alarm-<id>-<step>, alarm-close-<id>, dialog-close-alarm (alarm-outcome, alarm-false); follow-up calls:
//   followup-week (data-finished, data-sample), followup-<id> (data-result, data-band), followup-phone-<id>,
//   followup-result-<id>, followup-record-<id>, dialog-follow-up (followup-call-<result>, followup-note,
//   followup-questions, followup-ans-<question id>-<value>, followup-error-<question id>)
import {api, withQuery} from '../lib/api.js';
import {h, icon, mount} from '../lib/dom.js';
import {dateInput} from '../lib/dateinput.js';
import {ALARM_KIND_MARK, ALARM_STEPS, ATTENTION, STATES, STATE_MARK, acceptedText, alarmKindText, alarmStepText,
  endTime, flagText, mondayOf, skippedText, stateLabel, stateText, verificationText} from '../lib/dispatch_text.js';
import {checkGroup, clearErrors, field, problem, selectInput, sent, setError, textInput}
  from '../lib/fields.js';
import {format, formatDate, formatDateTime, formatNumber, formatTime, gettext, ngettext} from '../lib/i18n.js';
import {loadDefinition, questions} from '../lib/formdefs.js';
import {bandLabel, numbered, scoreText, txt} from '../lib/formtext.js';
import {today, tz} from '../lib/session.js';
import {addDays, wallClock} from '../lib/time.js';
import {choiceGroup, openDialog, toast} from './dialogs.js';

const REFRESH_MS = 60 * 1000;
const MAX_CARERS = 3;
const TABS = ['board', 'week', 'alarms', 'follow_ups'];
/** The tabs drawn again every REFRESH_MS while shown (the week is drawn again after each change she makes). */
const REFRESHED = ['board', 'alarms'];
const chosen = {unit: null, day: null, tab: 'board'};
const tabLabel = (tab) => ({board: gettext('Today\'s board'), week: gettext('The week'),
  alarms: gettext('Alarms'), follow_ups: gettext('Follow-up calls')})[tab];

export async function render(main) {
  const error = h('p', {class: 'form-error', role: 'alert', hidden: true, testid: 'dispatch-error'});
  const section = h('section', {class: 'panel stack view-dispatch-panel'}, h('h1', {}, gettext('Visits')), error);
  main.append(section);
  let units;
  try {
    units = await api.get('/api/units');
  } catch (err) {
    error.textContent = problem(err);
    error.hidden = false;
    return;
  }
  if (!units.some((u) => u.id === chosen.unit)) chosen.unit = units.length ? units[0].id : null;
  if (!chosen.day) chosen.day = today();
  const unit = selectInput('dispatch-unit', units.map((u) => [u.id, u.name]), chosen.unit);
  const day = dateInput({id: 'dispatch-day', testid: 'dispatch-day', value: chosen.day});
  const body = h('div', {testid: 'dispatch-body', 'aria-live': 'polite'});
  const tabs = h('div', {class: 'lang-picker dispatch-tabs', role: 'group', 'aria-label': gettext('Visits')},
    TABS.map((tab) => h('button', {type: 'button', class: 'choice', testid: `dispatch-tab-${tab}`,
      'aria-pressed': String(tab === chosen.tab), onclick: () => { chosen.tab = tab; draw(); }}, tabLabel(tab))));
  const refresh = h('button', {type: 'button', class: 'btn', testid: 'dispatch-refresh', onclick: () => draw()},
    icon('⟳'), ' ', gettext('Refresh'));
  section.append(h('div', {class: 'toolbar'},
    // one station: its name; several: she chooses
    units.length > 1 ? field({}, 'unit', gettext('Station'), unit)
      : h('p', {class: 'dispatch-station'}, h('strong', {}, units[0] ? units[0].name : '')),
    field({}, 'day', gettext('Day'), day), refresh), tabs, body);
  unit.addEventListener('change', () => { chosen.unit = Number(unit.value); draw(); });
  day.addEventListener('change', () => { if (day.dataset.iso) { chosen.day = day.dataset.iso; draw(); } });

  let asked = 0;  // only the latest question's answer is drawn
  async function draw(quiet = false) {
    const mine = ++asked;
    for (const b of tabs.children) {
      b.setAttribute('aria-pressed', String(b.dataset.testid === `dispatch-tab-${chosen.tab}`));
    }
    if (!quiet) error.hidden = true;
    if (chosen.unit === null) return;
    try {
      const drawn = await {board: boardView, week: weekView, alarms: alarmView, follow_ups: followUpView}[chosen.tab](
        chosen.unit, chosen.day, () => draw());
      if (mine !== asked) return;
      mount(body, drawn);
      error.hidden = true;
    } catch (err) {
      if (mine !== asked) return;
      error.textContent = problem(err);
      error.hidden = false;
    }
  }
  // every minute while the board or the alarms are shown (a new alarm reaches her without a tap); stops once she
  // has left the screen
  const timer = setInterval(() => {
    if (!section.isConnected) clearInterval(timer);
    else if (REFRESHED.includes(chosen.tab) && !document.hidden && !document.querySelector('dialog[open]')) draw(true);
  }, REFRESH_MS);
  await draw();
}

// --- the board -----------------------------------------------------------------------------------------------

const mark = (state) => h('span', {class: 'dstate-mark', 'aria-hidden': 'true'}, STATE_MARK[state] || '•');
const timeSpan = (v) => `${v.start_time}–${endTime(v.start_time, v.planned_minutes)}`;
const carerNames = (v) => (v.carers.length ? v.carers.map((c) => c.full_name).join(', ') : null);

function personLine(v) {
  return h('div', {class: 'dispatch-person'}, h('strong', {}, v.person.full_name),
    v.person.address ? h('span', {}, ` · ${v.person.address}`) : null,
    v.person.phone ? h('span', {}, ` · ${v.person.phone}`) : null);
}

async function boardView(unitId, day, reload) {
  const board = await api.get(withQuery('/api/visits/board', {unit_id: unitId, day}));
  const counts = h('ul', {class: 'dispatch-counts', testid: 'board-counts', 'aria-label': gettext('Visits by state')},
    STATES.map((s) => h('li', {class: ['dstate', `dstate-${s}`], testid: `board-count-${s}`,
      dataset: {count: String(board.counts[s] || 0)}}, mark(s), ' ', stateLabel(s), ': ',
    h('strong', {}, String(board.counts[s] || 0)))));
  const rows = board.visits.map((v) => h('li', {class: ['record', 'dispatch-visit',
    ATTENTION.includes(v.state) && 'record-bad'], testid: `board-visit-${v.id}`, dataset: {state: v.state}},
  h('div', {class: 'dispatch-visit-head'}, h('span', {class: 'dispatch-time'}, timeSpan(v)), personLine(v)),
  h('p', {class: 'dispatch-carers'}, carerNames(v) || h('span', {class: 'tag tag-warn'}, icon('⚠'), ' ',
    gettext('no carer assigned'))),
  h('p', {class: ['dstate', `dstate-${v.state}`], testid: `board-state-${v.id}`}, mark(v.state), ' ',
    stateText(v, day)),
  v.flags.length ? h('p', {class: 'tags', testid: `board-flags-${v.id}`}, v.flags.map((f) => h('span',
    {class: 'tag tag-warn', dataset: {flag: f}}, icon('⚑'), ' ', flagText(f)))) : null,
  h('p', {class: 'dispatch-verified', testid: `board-verified-${v.id}`,
    dataset: {verified: String(!!(v.verification && v.verification.verified))}},
  icon(v.verification && v.verification.verified ? '✔' : '◌'), ' ', verificationText(v.verification)),
  acceptedLine(v, 'board'),
  // an arrival or departure shows no presence at her home: the station head may accept the carer's reason
  v.location_acceptable ? h('div', {class: 'button-row'}, h('button', {type: 'button', class: 'btn btn-small',
    testid: `board-accept-${v.id}`, onclick: async () => { if (await acceptDialog(v)) reload(); }},
  icon('✔'), ' ', gettext('Accept the carer\'s reason'))) : null));
  return [h('p', {class: 'hint', testid: 'board-asof'}, format(gettext('As of %(time)s, %(date)s.'),
    {time: formatTime(board.now), date: formatDate(day)})), counts,
  rows.length ? h('ul', {class: 'record-list'}, rows)
    : h('p', {class: 'empty'}, gettext('No visits on this day.'))];
}

function acceptedLine(v, where) {
  return v.location_accepted ? h('p', {class: 'hint', testid: `${where}-accepted-${v.id}`}, icon('✔'), ' ',
    acceptedText(v)) : null;
}

function acceptDialog(v) {
  return openDialog({title: format(gettext('Accept the carer\'s reason: %(person)s, %(time)s'),
    {person: v.person.full_name, time: `${formatDate(String(v.day))} ${v.start_time}`}),
  testid: 'dialog-accept-location', saveLabel: gettext('Accept the carer\'s reason'), build: () => {
    const msgs = {};
    const reason = h('textarea', {id: 'accept-reason', class: 'input', testid: 'accept-reason', rows: 3,
      maxlength: 500, 'aria-required': 'true'});
    const hint = gettext('No presence at her home is shown. Accept the reason only once you have checked it.');
    return {body: [h('p', {class: 'hint'}, hint), field(msgs, 'reason', gettext('Why you accept it'), reason)],
    onSave: async () => {
      clearErrors(msgs);
      if (reason.value.trim().length < 3) {
        setError(msgs, 'reason', gettext('Write at least 3 characters.'));
        reason.focus();
        return false;
      }
      if (!(await sent(msgs, () =>
        api.post(`/api/visits/${v.id}/accept-location`, {reason: reason.value.trim()})))) return false;
      toast(gettext('The carer\'s reason is accepted.'));
      return true;
    }};
  }});
}

// --- the week ------------------------------------------------------------------------------------------------

async function weekView(unitId, day, reload) {
  const monday = mondayOf(day);
  const [visits, carers] = await Promise.all([
    api.get(withQuery('/api/visits', {unit_id: unitId, from: monday, to: addDays(monday, 6)})),
    api.get(withQuery('/api/homecare/carers', {unit_id: unitId}))]);
  const result = h('div', {testid: 'week-result', role: 'status'});
  const generate = async () => {
    try {
      const made = await api.post('/api/visits/generate', {unit_id: unitId, week_start: monday});
      const reasons = {};
      for (const s of made.skipped) reasons[s.reason] = (reasons[s.reason] || 0) + 1;
      toast(format(ngettext('%(n)s visit made.', '%(n)s visits made.', made.made.length), {n: made.made.length}));
      await reload();
      const shown = document.querySelector('[data-testid=week-result]');
      if (shown) {
        mount(shown, h('p', {class: 'notice', dataset: {made: String(made.made.length)}},
          format(ngettext('%(n)s visit made.', '%(n)s visits made.', made.made.length), {n: made.made.length}),
          Object.keys(reasons).length ? ' ' + gettext('Not made:') + ' ' + Object.entries(reasons)
            .map(([r, n]) => `${skippedText(r)} (${n})`).join(', ') : ''));
      }
    } catch (err) {
      mount(result, h('p', {class: 'form-error', role: 'alert'}, problem(err)));
    }
  };
  const byDay = new Map();
  for (const v of visits) (byDay.get(String(v.day)) || byDay.set(String(v.day), []).get(String(v.day))).push(v);
  const days = [...byDay.keys()].sort();
  return [
    h('div', {class: 'button-row'},
      h('button', {type: 'button', class: 'btn btn-primary', testid: 'week-generate', onclick: generate}, icon('⊕'),
        ' ', format(gettext('Generate the week from %(date)s'), {date: formatDate(monday)})),
      h('button', {type: 'button', class: 'btn', testid: 'week-add',
        onclick: async () => { if (await visitDialog(unitId, day)) reload(); }}, icon('+'), ' ',
      gettext('Add a visit'))),
    result,
    days.length ? days.map((d) => h('div', {class: 'dispatch-day'}, h('h2', {class: 'section-title date'},
      formatDate(d, {weekday: 'long', day: 'numeric', month: 'long'})),
    h('ul', {class: 'record-list'}, byDay.get(d).map((v) => weekRow(v, carers, reload)))))
      : h('p', {class: 'empty'}, gettext('No visits this week yet.'))];
}

function weekRow(v, carers, reload) {
  return h('li', {class: ['record', 'dispatch-visit', v.cancelled && 'is-cancelled'], testid: `week-visit-${v.id}`,
    dataset: {cancelled: String(v.cancelled)}},
  h('div', {class: 'dispatch-visit-head'}, h('span', {class: 'dispatch-time'}, timeSpan(v)), personLine(v)),
  h('p', {class: 'dispatch-carers', testid: `week-carers-${v.id}`}, carerNames(v)
    || h('span', {class: 'tag tag-warn'}, icon('⚠'), ' ', gettext('no carer assigned'))),
  v.cancelled ? h('p', {class: 'dstate dstate-cancelled'}, mark('cancelled'), ' ',
    format(gettext('Cancelled by %(name)s at %(time)s: %(reason)s'), {name: v.cancelled_by_name || '',
      time: formatDateTime(v.cancelled_at), reason: v.cancel_reason || ''})) : null,
  acceptedLine(v, 'week'),
  v.cancelled ? null : h('div', {class: 'button-row'},
    h('button', {type: 'button', class: 'btn btn-small', testid: `week-assign-${v.id}`,
      onclick: async () => { if (await assignDialog(v, carers)) reload(); }},
    v.carers.length ? gettext('Reassign') : gettext('Assign')),
    h('button', {type: 'button', class: 'btn btn-small btn-danger', testid: `week-cancel-${v.id}`,
      onclick: async () => { if (await cancelDialog(v)) reload(); }}, gettext('Cancel the visit'))));
}

function assignDialog(v, carers) {
  const free = carers.filter((c) => !c.blocked);
  const blocked = carers.filter((c) => c.blocked);
  return openDialog({title: format(gettext('Carers for %(person)s, %(time)s'), {person: v.person.full_name,
    time: `${formatDate(String(v.day))} ${v.start_time}`}), testid: 'dialog-assign', saveLabel: gettext('Assign'),
  build: () => {
    const msgs = {};
    const group = checkGroup(msgs, 'carer_ids', {testid: 'assign-carer', legend: gettext('Carers (one to three)'),
      options: free.map((c) => [c.id, c.full_name]), chosen: v.carers.map((c) => c.id)});
    const body = [group.element];
    if (blocked.length) {
      body.push(h('p', {class: 'hint'}, gettext('Blocked, not offered:')), h('ul', {class: 'dispatch-blocked'},
        blocked.map((c) => h('li', {testid: `assign-blocked-${c.id}`}, icon('⊘'), ' ', c.full_name, ' — ',
          format(gettext('blocked: %(reason)s'), {reason: (c.block && c.block.reason) || ''})))));
    }
    return {body, onSave: async () => {
      clearErrors(msgs);
      const ids = group.value().map(Number);
      if (ids.length < 1 || ids.length > MAX_CARERS) {
        setError(msgs, 'carer_ids', gettext('Choose one to three carers.'));
        return false;
      }
      if (!(await sent(msgs, () => api.post(`/api/visits/${v.id}/assign`, {carer_ids: ids})))) return false;
      toast(gettext('Assigned. The carers\' phones learn of it at their next sync.'));
      return true;
    }};
  }});
}

function cancelDialog(v) {
  return openDialog({title: format(gettext('Cancel the visit to %(person)s, %(time)s?'), {person: v.person.full_name,
    time: `${formatDate(String(v.day))} ${v.start_time}`}), testid: 'dialog-cancel-visit',
  saveLabel: gettext('Cancel the visit'), build: () => {
    const msgs = {};
    const reason = h('textarea', {id: 'cancel-reason', class: 'input', testid: 'cancel-reason', rows: 3,
      maxlength: 1000, 'aria-required': 'true'});
    return {body: [field(msgs, 'reason', gettext('Reason'), reason)], onSave: async () => {
      clearErrors(msgs);
      if (!reason.value.trim()) {
        setError(msgs, 'reason', gettext('A reason is required.'));
        reason.focus();
        return false;
      }
      if (!(await sent(msgs, () =>
        api.post(`/api/visits/${v.id}/cancel`, {reason: reason.value.trim()})))) return false;
      toast(gettext('The visit is cancelled.'));
      return true;
    }};
  }});
}

async function visitDialog(unitId, day) {
  const people = await api.get(withQuery('/api/homecare/people', {unit_id: unitId}));
  return openDialog({title: gettext('Add a visit'), testid: 'dialog-visit', saveLabel: gettext('Add'), build: () => {
    const msgs = {};
    const person = selectInput('visit-person', [[null, gettext('Choose a person')],
      ...people.filter((p) => p.active !== false).map((p) => [p.id, p.full_name])], null);
    const when = dateInput({id: 'visit-day', testid: 'visit-day', value: day});
    const time = textInput('visit-time', {type: 'time', value: wallClock(tz()).slice(11, 16)});
    const minutes = textInput('visit-minutes', {type: 'number', inputmode: 'numeric', min: 5, max: 720, value: '60'});
    return {body: [field(msgs, 'resident_id', gettext('Person'), person),
      field(msgs, 'day', gettext('Day'), when), field(msgs, 'start_time', gettext('Time (the home\'s clock)'), time),
      field(msgs, 'planned_minutes', gettext('Minutes planned'), minutes)], onSave: async () => {
      clearErrors(msgs);
      if (!person.value) { setError(msgs, 'resident_id', gettext('Choose a person.')); return false; }
      if (!(await sent(msgs, () =>
        api.post('/api/visits', {resident_id: Number(person.value), day: when.value, start_time: time.value,
        planned_minutes: Number(minutes.value)})))) return false;
      toast(gettext('The visit is added.'));
      return true;
    }};
  }});
}

// --- alarms --------------------------------------------------------------------------------------------------

async function alarmView(unitId, day, reload) {
  const now = today();
  const [open, recent] = await Promise.all([
    api.get(withQuery('/api/alarms', {unit_id: unitId, from: addDays(now, -30), to: now, open: true})),
    api.get(withQuery('/api/alarms', {unit_id: unitId}))]);
  const all = new Map();
  for (const a of [...open, ...recent]) all.set(a.id, a);
  const alarms = [...all.values()].sort((a, b) => (b.open - a.open)
    || (Date.parse(b.raised_at) - Date.parse(a.raised_at)));
  if (!alarms.length) return h('p', {class: 'empty'}, gettext('No alarms in the last seven days.'));
  return h('ul', {class: 'record-list'}, alarms.map((a) => alarmRow(a, reload)));
}

function alarmRow(a, reload) {
  const act = async (path, payload) => {
    try {
      await api.post(path, payload);
    } catch (err) {
      toast(problem(err));
      return;
    }
    reload();
  };
  const acknowledged = !!a.acknowledged_at;
  return h('li', {class: ['record', a.open && !acknowledged && 'record-bad'], testid: `alarm-${a.id}`,
    dataset: {open: String(a.open)}},
  h('p', {}, h('strong', {}, h('span', {'aria-hidden': 'true'}, ALARM_KIND_MARK[a.kind] || '!'), ' ',
    alarmKindText(a.kind)), ' · ', a.person.full_name,
  a.person.address ? ` · ${a.person.address}` : '', a.person.phone ? ` · ${a.person.phone}` : ''),
  a.detail ? h('p', {testid: `alarm-detail-${a.id}`}, format(gettext('The device says: %(text)s'), {text: a.detail}))
    : null,
  h('p', {}, format(gettext('Raised at %(time)s.'), {time: formatDateTime(a.raised_at)}), ' ',
    acknowledged ? format(gettext('Acknowledged at %(time)s.'), {time: formatDateTime(a.acknowledged_at)})
      : h('span', {class: 'tag tag-warn'}, icon('⚠'), ' ', gettext('not acknowledged'))),
  a.steps.length ? h('ul', {class: 'dispatch-steps'}, a.steps.map((s) => h('li', {}, icon('✓'), ' ',
    format(gettext('%(step)s — %(name)s, %(time)s'), {step: alarmStepText(s.step), name: s.by_name || '',
      time: formatDateTime(s.at)}), s.note ? ` · ${s.note}` : ''))) : null,
  a.open ? h('div', {class: 'button-row'},
    ALARM_STEPS.filter((s) => s !== 'acknowledged' || !acknowledged).map((s) => h('button', {type: 'button',
      class: ['btn', 'btn-small', s === 'acknowledged' && 'btn-primary'], testid: `alarm-${a.id}-${s}`,
      onclick: () => act(`/api/alarms/${a.id}/steps`, {step: s})}, alarmStepText(s))),
    h('button', {type: 'button', class: 'btn btn-small btn-warn', testid: `alarm-close-${a.id}`,
      onclick: async () => { if (await closeDialog(a)) reload(); }}, gettext('Close the alarm')))
    : h('p', {class: 'dstate'}, mark('left'), ' ', a.false_alarm ? gettext('Closed: false alarm.') : gettext('Closed.'),
      a.outcome ? ` ${a.outcome}` : ''));
}

function closeDialog(a) {
  return openDialog({title: format(gettext('Close the alarm: %(person)s'), {person: a.person.full_name}),
    testid: 'dialog-close-alarm', saveLabel: gettext('Close the alarm'), build: () => {
      const msgs = {};
      const outcome = h('textarea', {id: 'alarm-outcome', class: 'input', testid: 'alarm-outcome', rows: 3,
        maxlength: 2000, 'aria-required': 'true'});
      const falseAlarm = h('input', {type: 'checkbox', id: 'alarm-false', testid: 'alarm-false'});
      return {body: [field(msgs, 'outcome', gettext('Outcome'), outcome),
        h('label', {class: 'check'}, falseAlarm, gettext('False alarm'))], onSave: async () => {
        clearErrors(msgs);
        if (!outcome.value.trim()) { setError(msgs, 'outcome', gettext('Describe the outcome.')); return false; }
        if (!(await sent(msgs, () =>
          api.post(`/api/alarms/${a.id}/close`, {outcome: outcome.value.trim(), false_alarm: falseAlarm.checked})))) return false;
        return true;
      }};
    }});
}

// --- follow-up calls (回访) ------------------------------------------------------------------------------------

/** The questionnaire asked in a follow-up call that reached someone (backend/domain/follow_ups.py FORM_ID). */
const FOLLOW_UP_FORM = 'satisfaction_homecare';
/** A call's results (backend/domain/follow_ups.py RESULTS); the first two reached someone: the questionnaire. */
const CALL_RESULTS = ['confirmed', 'not_confirmed', 'unreachable'];
const ANSWERED = ['confirmed', 'not_confirmed'];
const CALL_MARK = {confirmed: '✓', not_confirmed: '✗', unreachable: '☏'};
/** The share of a week's finished visits called (backend/domain/visits.py FOLLOW_UP_SHARE). */
const FOLLOW_UP_SHARE = 0.05;

function callResultText(result) {
  return ({confirmed: gettext('Confirmed: the visit took place'),
    not_confirmed: gettext('Not confirmed: she says the visit did not take place as recorded'),
    unreachable: gettext('Unreachable: nobody answered')})[result] || result;
}

/** A call in words: its result, its questionnaire's points (and band, `withBand`), who called and when, the note. */
function callLine(call, definition, withBand = true) {
  const parts = [h('span', {'aria-hidden': 'true'}, CALL_MARK[call.result] || '•'), ' ', callResultText(call.result)];
  if (call.score) parts.push(' · ', scoreText(definition, withBand ? call.score : {...call.score, band: null}));
  parts.push(' · ', format(gettext('%(name)s, %(time)s'), {name: call.called_by_name || '—',
    time: formatDateTime(call.called_at)}));
  if (call.note) parts.push(' · ', call.note);
  return parts;
}

async function followUpView(unitId, day, reload) {
  const monday = mondayOf(day);
  const [data, definition] = await Promise.all([
    api.get(withQuery('/api/visits/follow-ups', {unit_id: unitId, week_start: monday})),
    loadDefinition(FOLLOW_UP_FORM)]);
  const summary = h('p', {class: 'hint', testid: 'followup-week', dataset: {finished: String(data.finished),
    sample: String(data.sample_size)}},
  format(gettext('The week from %(date)s: %(sample)s of %(finished)s finished visits to call (a random %(share)s).'),
    {date: formatDate(monday), sample: formatNumber(data.sample_size), finished: formatNumber(data.finished),
      share: formatNumber(FOLLOW_UP_SHARE, {style: 'percent'})}));
  if (!data.visits.length) {
    return [summary, h('p', {class: 'empty'}, gettext('No finished visits to call this week yet.'))];
  }
  return [summary, h('ul', {class: 'record-list'}, data.visits.map((v) => followUpRow(v, definition, reload)))];
}

function followUpRow(v, definition, reload) {
  const last = v.calls.length ? v.calls[v.calls.length - 1] : null;
  const band = v.score && v.score.band;
  return h('li', {class: ['record', 'dispatch-visit', v.result === 'not_confirmed' && 'record-bad'],
    testid: `followup-${v.id}`, dataset: {result: v.result || '', band: band || ''}},
  h('div', {class: 'dispatch-visit-head'}, h('span', {class: 'dispatch-time'},
    formatDate(String(v.day), {weekday: 'short', day: 'numeric', month: 'short'}), ' ', timeSpan(v)),
  h('div', {class: 'dispatch-person'}, h('strong', {}, v.person.full_name),
    v.person.address ? h('span', {}, ' · ', v.person.address) : null)),
  v.person.phone ? h('p', {}, icon('☎'), ' ', h('a', {href: 'tel:' + v.person.phone, testid: `followup-phone-${v.id}`},
    v.person.phone)) : h('p', {class: 'hint'}, gettext('No phone number recorded.')),
  h('p', {class: 'dispatch-carers'}, carerNames(v) || gettext('no carer assigned')),
  h('p', {testid: `followup-result-${v.id}`}, last ? callLine(last, definition, false)
    : [icon('○'), ' ', gettext('Not called yet.')]),
  band ? h('p', {}, h('span', {class: ['tag', band !== 'satisfied' && 'tag-warn']}, icon('◆'), ' ',
    format(gettext('Satisfaction: %(band)s'), {band: bandLabel(definition, band)}))) : null,
  v.calls.length > 1 ? h('details', {}, h('summary', {}, format(ngettext('%(n)s earlier call', '%(n)s earlier calls',
    v.calls.length - 1), {n: v.calls.length - 1})), h('ul', {class: 'dispatch-steps'},
    v.calls.slice(0, -1).map((c) => h('li', {}, callLine(c, definition))))) : null,
  v.in_sample ? null : h('p', {class: 'hint'}, gettext('Called, though no longer in this week\'s sample.')),
  h('div', {class: 'button-row'}, h('button', {type: 'button', class: 'btn btn-small btn-primary',
    testid: `followup-record-${v.id}`, onclick: async () => { if (await followUpDialog(v, definition)) reload(); }},
  icon('☎'), ' ', gettext('Record the call'))));
}

/** One question of the questionnaire as a group of radio buttons, its error line msgs['answers.<id>']. */
function questionGroup(q, msgs, answers) {
  const name = 'answers.' + q.id;
  const errorId = 'followup-error-' + q.id;
  const group = choiceGroup({label: numbered(q), options: q.options.map((o) => o.value),
    labelOf: (code) => txt(q.options.find((o) => o.value === code).label), testPrefix: 'followup-ans-' + q.id,
    onChange: (code) => {
      answers[q.id] = code;
      msgs[name].textContent = '';
    }});
  group.el.setAttribute('aria-describedby', errorId);
  msgs[name] = h('p', {class: 'field-msg is-error', id: errorId, testid: errorId, 'aria-live': 'polite'});
  const fieldset = h('fieldset', {class: 'field assess-question', tabindex: '-1'},
    h('legend', {class: 'label'}, numbered(q)), group.el, msgs[name]);
  msgs[name].input = fieldset;
  return fieldset;
}

function followUpDialog(v, definition) {
  return openDialog({title: format(gettext('Follow-up call: %(person)s, %(time)s'), {person: v.person.full_name,
    time: formatDate(String(v.day)) + ' ' + v.start_time}), testid: 'dialog-follow-up',
  saveLabel: gettext('Record the call'), build: () => {
    const msgs = {};
    const answers = {};
    let result = null;
    const questionsBox = h('div', {class: 'stack', testid: 'followup-questions', hidden: true},
      h('h3', {class: 'section-title'}, txt(definition.title)),
      definition.help ? h('p', {class: 'hint'}, txt(definition.help)) : null,
      h('p', {class: 'hint'}, gettext('Leave the questions unanswered if she does not want to answer them.')),
      questions(definition).map((q) => questionGroup(q, msgs, answers)));
    const results = choiceGroup({label: gettext('Result of the call'), options: CALL_RESULTS, labelOf: callResultText,
      testPrefix: 'followup-call', onChange: (code) => {
        result = code;
        msgs.result.textContent = '';
        questionsBox.hidden = !ANSWERED.includes(code);
      }});
    results.el.setAttribute('aria-describedby', 'followup-result-msg');
    msgs.result = h('p', {class: 'field-msg is-error', id: 'followup-result-msg', 'aria-live': 'polite'});
    const resultSet = h('fieldset', {class: 'field', tabindex: '-1'},
      h('legend', {class: 'label'}, gettext('Result of the call')), results.el, msgs.result);
    msgs.result.input = resultSet;
    const note = h('textarea', {id: 'followup-note', class: 'input', testid: 'followup-note', rows: 2,
      maxlength: 1000});
    const phone = v.person.phone ? h('p', {}, icon('☎'), ' ', h('a', {href: 'tel:' + v.person.phone},
      v.person.phone)) : null;
    return {body: [phone, resultSet, field(msgs, 'note', gettext('Note (who answered, what she said)'), note),
      questionsBox], onSave: async () => {
      clearErrors(msgs);
      if (!result) {
        setError(msgs, 'result', gettext('Choose the call\'s result.'));
        resultSet.focus();
        return false;
      }
      const body = {result, note: note.value.trim() || null};
      // the questionnaire goes with a call that reached someone, when any question was answered
      if (ANSWERED.includes(result) && Object.keys(answers).length) body.answers = {...answers};
      if (!(await sent(msgs, () => api.post(`/api/visits/${v.id}/follow-up`, body)))) return false;
      toast(gettext('The call is recorded.'));
      return true;
    }};
  }});
}
