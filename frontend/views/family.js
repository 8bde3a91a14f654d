// The family view (#/family): a relative's resident(s) — today's schedule, the coming week day by day, the home's
// events, recent participation and the satisfaction questionnaire. Nothing medical reaches this screen: the server
// answers through allow-lists (backend/api/family_schemas.py). The last payload is kept in IndexedDB (meta
// 'family:<user id>', removed at sign-out) and shown "as of" its time when the server cannot be reached.
// A person who lives at home (a relative of a community home: her account's home_kind) has her visits first: today's
// with where each stands, the coming week's, the last 30 days' with whether each was verified, and her alarms with
// their outcome -- times and services only: no carer, no location, no note (GET .../visits).
//
// data-testid: family-view, family-resident-<id> (picker; aria-pressed), family-offline, family-today,
//   family-row (data-kind routine|activity|event, data-cancelled), family-week, family-day-<YYYY-MM-DD> (day buttons;
//   aria-pressed), family-day-rows, family-events, family-event, family-participation, family-took-part,
//   family-survey, family-survey-status, family-survey-open, ans-<question>-<value>, ans-<question>,
//   q-error-<question>, survey-submit, survey-error, survey-done, family-error;
//   a person at home (issue 18): family-visits-today, family-visits-coming, family-visits-recent (lists of
//   family-visit: data-status planned|arrived|left|no_access|cancelled, data-verified true|false|none),
//   family-visit-status, family-visit-verified, family-alarms, family-alarm (data-kind, data-open)
import {ApiError, OfflineError, api} from '../lib/api.js';
import {delMeta, getMeta, setMeta} from '../lib/db.js';
import {h, icon, mount} from '../lib/dom.js';
import {loadDefinition, questions} from '../lib/forms.js';
import {format, formatDate, formatDateTime, formatTime, gettext, ngettext} from '../lib/i18n.js';
import {communityHome, session} from '../lib/session.js';
import {numbered, txt} from '../lib/formtext.js';
import {choiceGroup, toast} from './dialogs.js';

export const FORM_ID = 'satisfaction_relative';
const key = (userId) => 'family:' + userId;
let chosenResident = null;  // survives re-renders (a language change)
let chosenDay = null;

/** Forget a relative's saved family payload (app.js calls it at sign-out). */
export async function forgetFamily(userId) {
  await delMeta(key(userId)).catch(() => {});
}


/** Everything the view shows, from the server (and saved), or the saved copy when offline. */
async function load(userId) {
  try {
    const residents = await api.get('/api/family/residents');
    const overviews = {};
    for (const r of residents) overviews[r.id] = await api.get('/api/family/residents/' + r.id + '/overview');
    // only a community home's people have visits (a relative's residents are all of her own home)
    const visits = {};
    if (communityHome()) {
      for (const r of residents) visits[r.id] = await api.get('/api/family/residents/' + r.id + '/visits');
    }
    const surveys = await api.get('/api/family/surveys');
    const payload = {saved_at: new Date().toISOString(), residents, overviews, visits, surveys};
    await setMeta(key(userId), payload);
    return {payload, offline: false};
  } catch (err) {
    if (!(err instanceof OfflineError)) throw err;
    return {payload: (await getMeta(key(userId))) || null, offline: true};
  }
}

const span = (start, end) => (end ? start + '–' + end : start);

function kindTag(kind) {
  if (kind === 'event') return h('span', {class: 'tag'}, gettext('Event'));
  if (kind === 'activity') return h('span', {class: 'tag'}, gettext('Activity'));
  return null;
}

function rowItem(row) {
  const meta = [kindTag(row.kind), row.place ? h('span', {class: 'muted'}, row.place) : null,
    row.cancelled ? h('span', {class: 'chip chip-missing'}, icon('✕'), ' ', gettext('Cancelled')) : null,
    !row.cancelled && row.original_time ? h('span', {class: 'chip chip-due'},
      format(gettext('Moved from %(time)s'), {time: row.original_time})) : null,
    row.note ? h('span', {class: 'muted'}, row.note) : null].filter(Boolean);
  return h('li', {class: 'cell', testid: 'family-row', dataset: {kind: row.kind, cancelled: String(!!row.cancelled)}},
    h('span', {class: 'cell-time'}, span(row.time, row.end)),
    h('div', {}, h('div', {class: 'cell-title'}, row.title), meta.length ? h('div', {class: 'cell-meta'}, meta) : null));
}

function rowList(rows, testid) {
  if (!rows.length) return h('p', {class: 'empty', testid}, gettext('Nothing planned.'));
  return h('ul', {class: 'cell-list', testid}, rows.map(rowItem));
}

const weekday = (iso) => formatDate(iso, {weekday: 'short', day: 'numeric'});

function weekBlock(days) {
  const coming = days.slice(1);
  if (!coming.length) return null;
  if (!coming.some((d) => d.date === chosenDay)) chosenDay = coming[0].date;
  const rowsBox = h('div', {testid: 'family-day-rows'});
  const heading = h('h3', {class: 'section-title'});
  const show = () => {
    const day = coming.find((d) => d.date === chosenDay);
    heading.textContent = formatDate(day.date, {weekday: 'long', day: 'numeric', month: 'long'});
    mount(rowsBox, rowList(day.rows, 'family-day-list'));
  };
  const buttons = coming.map((d) => h('button', {type: 'button', class: 'choice', testid: 'family-day-' + d.date,
    'aria-pressed': String(d.date === chosenDay),
    'aria-label': formatDate(d.date, {weekday: 'long', day: 'numeric', month: 'long'}),
    onclick: (ev) => {
      chosenDay = d.date;
      for (const b of buttons) b.setAttribute('aria-pressed', String(b === ev.currentTarget));
      show();
    }}, weekday(d.date)));
  show();
  return h('section', {testid: 'family-week'},
    h('h2', {class: 'section-title'}, gettext('The coming week')),
    h('div', {class: 'choices family-days', role: 'group', 'aria-label': gettext('Day')}, buttons),
    heading, rowsBox);
}

function eventsBlock(events) {
  return h('section', {testid: 'family-events'},
    h('h2', {class: 'section-title'}, gettext('Events at the home')),
    events.length ? h('ul', {class: 'cell-list'}, events.map((e) => {
      const item = rowItem(e);
      item.dataset.testid = 'family-event';
      item.querySelector('.cell-time').prepend(formatDate(e.date, {weekday: 'short', day: 'numeric', month: 'short'}),
        h('br'));
      return item;
    })) : h('p', {class: 'empty'}, gettext('No events in the coming weeks.')));
}

function tookPart(p) {
  const text = p.engagement === 'active'
    ? format(gettext('Took part in %(activity)s, active'), {activity: p.title})
    : format(gettext('Took part in %(activity)s, watching and listening'), {activity: p.title});
  return h('li', {class: 'cell', testid: 'family-took-part', dataset: {engagement: p.engagement}},
    h('span', {class: 'cell-time'}, formatDate(p.date, {day: 'numeric', month: 'short'})),
    h('div', {}, h('div', {class: 'cell-title'}, text),
      p.minutes ? h('div', {class: 'cell-meta muted'},
        format(ngettext('%(n)s minute', '%(n)s minutes', p.minutes), {n: p.minutes})) : null));
}

function participationBlock(list) {
  return h('section', {testid: 'family-participation'},
    h('h2', {class: 'section-title'}, gettext('Recent activities (last 14 days)')),
    list.length ? h('ul', {class: 'cell-list'}, list.map(tookPart))
      : h('p', {class: 'empty'}, gettext('No activities recorded in the last 14 days.')));
}

// --- a person at home: her visits and alarms ---------------------------------------------------------------

/** A mark per visit status, shown with its words (never colour alone). */
const VISIT_MARK = {planned: '○', arrived: '●', left: '✓', no_access: '⊘', cancelled: '⊖'};
const VISIT_CHIP = {planned: 'chip-upcoming', arrived: 'chip-late', left: 'chip-done', no_access: 'chip-missing',
  cancelled: 'chip-away'};

function visitStatusText(visit, past) {
  const time = visit.status_at ? formatTime(visit.status_at) : '';
  switch (visit.status) {
    case 'arrived': return format(gettext('The carer arrived at %(time)s'), {time});
    case 'left': return format(gettext('Visit finished at %(time)s'), {time});
    case 'no_access': return gettext('The carer could not get in');
    case 'cancelled': return gettext('Cancelled');
    default: return past ? gettext('Not recorded') : gettext('Planned');
  }
}

function visitItem(visit, {withDate = false, past = false} = {}) {
  const verified = visit.verified === true ? 'true' : visit.verified === false ? 'false' : 'none';
  const meta = [h('span', {class: 'chip ' + (VISIT_CHIP[visit.status] || 'chip-upcoming'),
    testid: 'family-visit-status'}, icon(VISIT_MARK[visit.status] || '○'), ' ', visitStatusText(visit, past))];
  // whether it was verified, once there is something to verify: a finished visit, or one of the past
  if (visit.verified !== null && visit.verified !== undefined && (visit.status === 'left' || past)) {
    meta.push(visit.verified
      ? h('span', {class: 'mark mark-ok', testid: 'family-visit-verified'}, icon('✔'), ' ', gettext('Verified'))
      : h('span', {class: 'mark', testid: 'family-visit-verified'}, icon('?'), ' ', gettext('Not verified')));
  }
  const time = h('span', {class: 'cell-time'}, span(visit.time, visit.end));
  if (withDate) time.prepend(formatDate(visit.date, {weekday: 'short', day: 'numeric', month: 'short'}), h('br'));
  return h('li', {class: 'cell', testid: 'family-visit', dataset: {status: visit.status, verified}},
    time,
    h('div', {}, h('div', {class: 'cell-title'}, visit.services.length ? visit.services.join(' · ')
      : gettext('Home visit')), h('div', {class: 'cell-meta'}, meta)));
}

function visitList(visits, testid, empty, options) {
  if (!visits.length) return h('p', {class: 'empty', testid}, empty);
  return h('ul', {class: 'cell-list', testid}, visits.map((v) => visitItem(v, options)));
}

function alarmKindText(kind) {
  return ({sos: gettext('SOS alarm button'), fall: gettext('Fall'), smoke: gettext('Smoke'), gas: gettext('Gas'),
    water: gettext('Water leak'), door: gettext('Door'), bed: gettext('Bed sensor'),
    bracelet: gettext('Bracelet')})[kind] || kind;
}

function alarmItem(alarm) {
  const meta = [alarm.open
    ? h('span', {class: 'chip chip-due'}, icon('⚠'), ' ', gettext('Open: the station is dealing with it'))
    : h('span', {class: 'chip chip-done'}, icon('✓'), ' ',
      format(gettext('Closed %(time)s'), {time: formatDateTime(alarm.closed_at)}))];
  if (alarm.false_alarm) meta.push(h('span', {class: 'tag'}, gettext('False alarm')));
  return h('li', {class: 'cell', testid: 'family-alarm', dataset: {kind: alarm.kind, open: String(alarm.open)}},
    h('span', {class: 'cell-time'}, formatDate(alarm.raised_at, {day: 'numeric', month: 'short'}), h('br'),
      formatTime(alarm.raised_at)),
    h('div', {}, h('div', {class: 'cell-title'}, alarmKindText(alarm.kind)), h('div', {class: 'cell-meta'}, meta),
      alarm.outcome ? h('p', {class: 'muted'}, alarm.outcome) : null));
}

/** The sections of a person at home: visits today, the coming week, the last 30 days, alarms. */
function homeBlocks(home) {
  return [
    h('section', {},
      h('h2', {class: 'section-title'}, format(gettext('Visits today, %(date)s'),
        {date: formatDate(home.today, {weekday: 'long', day: 'numeric', month: 'long'})})),
      visitList(home.today_visits, 'family-visits-today', gettext('No visit today.'))),
    h('section', {},
      h('h2', {class: 'section-title'}, gettext('Visits in the coming week')),
      visitList(home.coming_visits, 'family-visits-coming', gettext('No visits planned in the coming week.'),
        {withDate: true})),
    h('section', {},
      h('h2', {class: 'section-title'}, gettext('Visits in the last 30 days')),
      visitList(home.recent_visits, 'family-visits-recent', gettext('No visits in the last 30 days.'),
        {withDate: true, past: true})),
    h('section', {testid: 'family-alarms'},
      h('h2', {class: 'section-title'}, gettext('Alarms (last 30 days)')),
      home.alarms.length ? h('ul', {class: 'cell-list'}, home.alarms.map(alarmItem))
        : h('p', {class: 'empty'}, gettext('No alarms in the last 30 days.'))),
  ];
}

/** The satisfaction questionnaire: choice and text questions, checked by the server (errors name the question). */
function surveyBlock(resident, survey, offline, onDone) {
  const box = h('section', {testid: 'family-survey'},
    h('h2', {class: 'section-title'}, gettext('Questionnaire')));
  const status = survey && survey.answered_at
    ? format(gettext('Thank you: you answered on %(date)s. You may answer again; your latest answers count.'),
      {date: formatDate(survey.answered_at, {dateStyle: 'long'})})
    : gettext('Please tell the home how satisfied you are. It takes two minutes.');
  box.append(h('p', {testid: 'family-survey-status'}, status));
  if (offline) {
    box.append(h('p', {class: 'hint'}, gettext('The questionnaire needs a connection.')));
    return box;
  }
  const open = h('button', {type: 'button', class: 'btn btn-primary', testid: 'family-survey-open'},
    gettext('Answer the questionnaire'));
  open.addEventListener('click', async () => {
    let definition;
    try {
      definition = await loadDefinition(FORM_ID);
    } catch (_) {
      toast(gettext('The questionnaire could not be loaded. Try again when online.'));
      return;
    }
    open.replaceWith(surveyForm(definition, resident, onDone));
  });
  box.append(open);
  return box;
}

function surveyForm(definition, resident, onDone) {
  const answers = {};
  const errors = new Map();
  const blocks = questions(definition).map((q) => {
    const id = 'ans-' + q.id;
    const error = h('p', {class: 'field-msg', id: id + '-err', testid: 'q-error-' + q.id});
    errors.set(q.id, error);
    if (q.type === 'choice') {
      const group = choiceGroup({label: numbered(q), options: q.options.map((o) => o.value), testPrefix: id,
        labelOf: (code) => txt(q.options.find((o) => o.value === code).label),
        onChange: (code) => { answers[q.id] = code; error.textContent = ''; }});
      return h('fieldset', {class: 'assess-question'},
        h('legend', {class: 'label'}, numbered(q), q.required ? ' *' : ''), group.el, error);
    }
    const area = h('textarea', {id, class: 'input', rows: 3, testid: id, maxlength: q.max_length || null,
      'aria-describedby': id + '-err'});
    area.addEventListener('input', () => {
      if (area.value.trim()) answers[q.id] = area.value; else delete answers[q.id];
    });
    return h('div', {class: 'assess-question'}, h('label', {class: 'label', for: id}, numbered(q)), area, error);
  });
  const failure = h('p', {class: 'form-error', role: 'alert', hidden: true, testid: 'survey-error'});
  const submit = h('button', {type: 'submit', class: 'btn btn-primary btn-block', testid: 'survey-submit'},
    gettext('Send'));
  const form = h('form', {class: 'stack', novalidate: true},
    h('h3', {class: 'section-title'}, txt(definition.title)),
    definition.help ? h('p', {class: 'hint'}, txt(definition.help)) : null, blocks, failure, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    failure.hidden = true;
    for (const el of errors.values()) el.textContent = '';
    submit.disabled = true;
    try {
      await api.post('/api/family/surveys', {form_id: FORM_ID, resident_id: resident.id, answers});
      form.replaceWith(h('p', {class: 'notice', role: 'status', testid: 'survey-done'}, icon('✓'), ' ',
        gettext('Thank you. Your answers were sent to the home.')));
      onDone();
    } catch (err) {
      submit.disabled = false;
      if (err instanceof ApiError && err.fields) {
        for (const [field, text] of Object.entries(err.fields)) {
          const el = errors.get(field.replace(/^answers\./, ''));
          if (el) el.textContent = text;
        }
      }
      failure.textContent = err instanceof OfflineError ? gettext('No connection. Your answers were not sent.')
        : (err.message || gettext('The answers could not be sent.'));
      failure.hidden = false;
    }
  });
  return form;
}

export async function render(main) {
  const user = session.user;
  const view = h('section', {class: 'panel stack family', testid: 'family-view'});
  main.append(view);
  let result;
  try {
    result = await load(user.id);
  } catch (err) {
    view.append(h('h1', {}, gettext('My family')),
      h('p', {class: 'notice notice-bad', testid: 'family-error'}, err.message || gettext('Something went wrong.')));
    return;
  }
  const {payload, offline} = result;
  if (!payload) {
    view.append(h('h1', {}, gettext('My family')), h('p', {class: 'notice notice-warn', testid: 'family-offline'},
      gettext('No connection, and nothing saved on this device yet.')));
    return;
  }
  const {residents, overviews, surveys} = payload;
  if (!residents.length) {
    view.append(h('h1', {}, gettext('My family')), h('p', {class: 'empty'},
      gettext('No resident is linked to your account yet. Ask the home for an invitation code.')),
    h('a', {class: 'btn', href: '#/join'}, gettext('I have a code')));
    return;
  }
  if (!residents.some((r) => r.id === chosenResident)) chosenResident = residents[0].id;
  const resident = residents.find((r) => r.id === chosenResident);
  const overview = overviews[resident.id];
  const home = (payload.visits || {})[resident.id];
  const atHome = !!(home && home.at_home);
  const picker = residents.length > 1 ? h('div', {class: 'choices', role: 'group',
    'aria-label': gettext('Resident')}, residents.map((r) => h('button', {type: 'button', class: 'choice',
    testid: 'family-resident-' + r.id, 'aria-pressed': String(r.id === resident.id),
    onclick: () => { chosenResident = r.id; chosenDay = null; mount(main); render(main); }}, r.full_name))) : null;
  const survey = (surveys || []).find((s) => s.resident_id === resident.id && s.form_id === FORM_ID);
  // Through mount (lib/dom.js), which leaves out the parts not shown: the element's own append() writes a null
  // part as the text "null".
  mount(view,
    h('h1', {}, resident.full_name),
    h('p', {class: 'muted'}, [resident.home_name, resident.unit_name].filter(Boolean).join(' · ')),
    picker,
    offline ? h('p', {class: 'notice notice-warn', role: 'status', testid: 'family-offline'}, icon('⚠'), ' ',
      format(gettext('No connection. This is the schedule as of %(time)s.'),
        {time: formatDateTime(payload.saved_at)})) : null,
    atHome ? homeBlocks(home) : null,
    // at home, the centre's timetable, events and activities only when there are some
    !atHome || overview.days.some((d) => d.rows.length) ? [h('section', {},
      h('h2', {class: 'section-title'}, format(gettext('Today, %(date)s'),
        {date: formatDate(overview.today, {weekday: 'long', day: 'numeric', month: 'long'})})),
      rowList(overview.days.length ? overview.days[0].rows : [], 'family-today')),
    weekBlock(overview.days)] : null,
    !atHome || overview.events.length ? eventsBlock(overview.events) : null,
    !atHome || overview.participation.length ? participationBlock(overview.participation) : null,
    surveyBlock(resident, survey, offline, () => { load(user.id).catch(() => {}); }),
    residents.length ? h('p', {}, h('a', {class: 'btn', href: '#/join', testid: 'family-add'},
      gettext('Add a resident with a code'))) : null);
}
