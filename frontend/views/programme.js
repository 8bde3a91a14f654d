// A resident's individual programme (which activities, how often, at what time, with which goal) and the days it
// yields: today and the coming week, beside the fixed parts of the day (frontend/forms/day_routine.json comes with
// each day from the server) and the care card's timed procedures. Route: #/programme/<resident_id>
// (#/programme alone: back to the activities screen's resident picker).
//
// data-testid: prog-title, prog-offline, prog-lines, prog-line-<id> (data-ended), prog-end-<id>, prog-add,
//   prog-change-<id>, prog-empty; add or change dialog: dialog-programme, pl-activity, pl-dow-<1..7>, pl-time, pl-goal, btn-save, btn-cancel;
//   schedule: prog-schedule, sched-day-<YYYY-MM-DD>, sched-row (data-kind: routine|activity|event|care,
//   data-cancelled), prog-back
import {api, withQuery} from '../lib/api.js';
import {h, icon, mount} from '../lib/dom.js';
import {format, formatDate, gettext} from '../lib/i18n.js';
import {today} from '../lib/session.js';
import {addDays} from '../lib/time.js';
import {weekdayName} from '../lib/periodicity.js';
import {confirmDialog, openDialog, toast} from './dialogs.js';
import {directionLabel, field, formatLabel, localText, occurrenceTitle, problem, showErrors} from '../lib/activitytext.js';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];
const KIND_ICON = {routine: '◷', activity: '●', event: '★', care: '✚'};
const kindLabel = (k) => ({routine: gettext('Daily routine'), activity: gettext('Activity'), event: gettext('Event'),
  care: gettext('Care')}[k] || k);

export function oftenText(line) {
  if (!line.weekdays || !line.weekdays.length) {
    return line.start_time ? gettext('Every day') : gettext('Every session of the timetable');
  }
  return line.weekdays.map(weekdayName).join(', ');
}

/** The dialog that adds a programme line, or changes `line` (its activity, weekdays, own time and goal). */
function lineDialog(residentId, residentName, activities, line = null) {
  const title = line ? format(gettext('Change the programme of %(name)s'), {name: residentName})
    : format(gettext('Add to the programme of %(name)s'), {name: residentName});
  return openDialog({title, testid: 'dialog-programme', draft: `programme:${residentId}:${line ? line.id : 'new'}`,
    build: () => {
      const msgs = {};
      const activity = h('select', {id: 'pl-activity', class: 'input', testid: 'pl-activity'},
        activities.filter((a) => a.active || (line && a.id === line.activity_id)).map((a) => h('option', {value: String(a.id)},
          localText(a.name) + ' · ' + directionLabel(a.direction) + ' · ' + formatLabel(a.format))));
      const days = WEEKDAYS.map((d) => h('input', {type: 'checkbox', id: `pl-dow-${d}`, testid: `pl-dow-${d}`, value: String(d)}));
      const time = h('input', {id: 'pl-time', class: 'input', type: 'time', testid: 'pl-time'});
      const goal = h('textarea', {id: 'pl-goal', class: 'input', rows: 2, maxlength: 1000, testid: 'pl-goal'});
      if (line) {
        activity.value = String(line.activity_id);
        for (const c of days) c.checked = (line.weekdays || []).includes(Number(c.value));
        time.value = line.start_time || '';
        goal.value = line.goal || '';
      }
      msgs.weekdays = h('p', {class: 'field-msg is-error', id: 'pl-dow-msg'});
      return {body: [
        field(msgs, 'activity_id', gettext('Activity'), activity),
        h('fieldset', {class: 'field', 'aria-describedby': 'pl-dow-msg'}, h('legend', {class: 'label'}, gettext('How often: on which weekdays')),
          h('p', {class: 'hint'}, gettext('None ticked: every session of the timetable (or every day at the time below).')),
          h('div', {class: 'checks'}, days.map((c, i) => h('label', {class: 'check'}, c, weekdayName(i + 1)))), msgs.weekdays),
        field(msgs, 'start_time', gettext('Own time (an individual activity outside the timetable)'), time),
        field(msgs, 'goal', gettext('Goal'), goal),
      ], onSave: async () => {
        for (const m of Object.values(msgs)) m.textContent = '';
        const weekdays = days.filter((c) => c.checked).map((c) => Number(c.value));
        const body = {activity_id: Number(activity.value), weekdays: weekdays.length ? weekdays : null,
          start_time: time.value || null, goal: goal.value.trim()};
        try {
          return line ? await api.patch(`/api/activities/programmes/${line.id}`, body)
            : await api.post('/api/activities/programmes', {resident_id: residentId, ...body});
        } catch (err) { return showErrors(err, msgs); }
      }};
    }});
}

function scheduleRow(row) {
  let what;
  let detail = null;
  if (row.kind === 'routine') what = localText(row.label);
  else if (row.kind === 'care') { what = row.title; detail = gettext('Care card'); } else {
    what = occurrenceTitle(row);
    detail = [row.place, row.goal ? format(gettext('Goal: %(goal)s'), {goal: row.goal}) : null].filter(Boolean).join(' · ');
  }
  return h('li', {class: ['sched-row', `sched-${row.kind}`, row.cancelled ? 'is-cancelled' : null], testid: 'sched-row',
    dataset: {kind: row.kind, cancelled: String(!!row.cancelled)}},
  h('span', {class: 'occ-time'}, row.end ? row.time + '–' + row.end : row.time),
  h('div', {},
    h('span', {class: 'visually-hidden'}, kindLabel(row.kind) + ': '),
    icon(KIND_ICON[row.kind]), ' ', h('strong', {}, what),
    row.cancelled ? h('span', {class: 'tag tag-warn'}, ' ', icon('✕'), ' ', gettext('Cancelled')) : null,
    row.changed ? h('span', {class: 'tag tag-warn'}, icon('↻'), ' ', gettext('Changed')) : null,
    detail ? h('p', {class: 'hint'}, detail) : null,
    row.note ? h('p', {class: 'hint'}, row.note) : null));
}

export async function render(main, params, ctx) {
  const go = (ctx && ctx.go) || ((route) => { location.hash = `#/${route}`; });
  const residentId = Number(params && params[0]);
  if (!residentId) { go('activities'); return; }
  const section = h('section', {class: 'panel programme'});
  main.append(section);
  let people;
  let activities;
  try {
    [people, activities] = await Promise.all([api.get('/api/activities/people'), api.get('/api/activities/catalogue')]);
  } catch (err) {
    section.append(h('h1', {}, gettext('Programme')), h('p', {class: 'notice notice-warn', role: 'alert', testid: 'prog-offline'}, problem(err)));
    return;
  }
  const resident = people.residents.find((r) => r.id === residentId);
  if (!resident) {
    section.append(h('h1', {}, gettext('Programme')), h('p', {class: 'notice notice-bad'}, gettext('No such resident.')));
    return;
  }
  const byId = Object.fromEntries(activities.map((a) => [a.id, a]));
  const linesBox = h('div', {'aria-live': 'polite'});
  const scheduleBox = h('div', {testid: 'prog-schedule'});
  const start = today();
  const loadSchedule = async () => {
    const days = await api.get(withQuery('/api/activities/schedule', {resident_id: residentId, start, end: addDays(start, 6)}));
    mount(scheduleBox, h('div', {class: 'tt-days'}, days.map((d) => h('div', {class: ['tt-day', d.date === start ? 'is-today' : null],
      testid: `sched-day-${d.date}`},
    h('h3', {class: 'tt-day-title'}, d.date === start ? gettext('Today') + ', ' + formatDate(d.date, {day: 'numeric', month: 'long'})
      : formatDate(d.date, {weekday: 'long', day: 'numeric', month: 'long'})),
    h('ul', {class: 'occ-list'}, d.rows.map(scheduleRow))))));
  };
  const loadLines = async () => {
    const lines = await api.get(withQuery('/api/activities/programmes', {resident_id: residentId}));
    const current = lines.filter((l) => !l.valid_to || l.valid_to >= start);
    const endLine = async (line) => {
      const name = localText((byId[line.activity_id] || {}).name);
      if (!await confirmDialog(gettext('End this programme line?'), format(gettext('%(name)s stays in the programme until the end of today.'), {name}),
        gettext('End the line'))) return;
      try {
        await api.post(`/api/activities/programmes/${line.id}/end`, {});
      } catch (err) { toast(problem(err)); return; }
      toast(gettext('The line is ended.'));
      await Promise.all([loadLines(), loadSchedule()]);
    };
    mount(linesBox, current.length ? h('table', {class: 'data-table', testid: 'prog-lines'},
      h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, gettext('Activity')), h('th', {scope: 'col'}, gettext('How often')),
        h('th', {scope: 'col'}, gettext('Time')), h('th', {scope: 'col'}, gettext('Goal')),
        h('th', {scope: 'col'}, h('span', {class: 'visually-hidden'}, gettext('Actions'))))),
      h('tbody', {}, current.map((line) => {
        const a = byId[line.activity_id] || {};
        return h('tr', {testid: `prog-line-${line.id}`, dataset: {ended: String(!!line.valid_to)}},
          h('td', {}, h('strong', {}, localText(a.name)), h('p', {class: 'hint'}, directionLabel(a.direction))),
          h('td', {}, oftenText(line)),
          h('td', {}, line.start_time || gettext('as in the timetable')),
          h('td', {}, line.goal || '—', line.valid_to ? h('p', {class: 'tag tag-warn'}, format(gettext('until %(date)s'),
            {date: formatDate(line.valid_to, {dateStyle: 'medium'})})) : null),
          h('td', {}, line.valid_to ? null : h('div', {class: 'button-row'},
            h('button', {type: 'button', class: 'btn btn-small', testid: `prog-change-${line.id}`,
              onclick: () => change(line)}, gettext('Change'), h('span', {class: 'visually-hidden'}, ' ' + localText(a.name))),
            h('button', {type: 'button', class: 'btn btn-small', testid: `prog-end-${line.id}`,
              onclick: () => endLine(line)}, gettext('End'), h('span', {class: 'visually-hidden'}, ' ' + localText(a.name))))));
      }))) : h('p', {class: 'empty', testid: 'prog-empty'}, gettext('No programme yet. Add the activities this resident takes part in.')));
  };
  const change = async (line) => {
    if (!await lineDialog(residentId, resident.full_name, activities, line)) return;
    toast(gettext('The programme is saved.'));
    await Promise.all([loadLines(), loadSchedule()]);
  };
  const add = async () => {
    if (!activities.some((a) => a.active)) { toast(gettext('Add an activity to the catalogue first.')); return; }
    if (!await lineDialog(residentId, resident.full_name, activities)) return;
    toast(gettext('The programme is saved.'));
    await Promise.all([loadLines(), loadSchedule()]);
  };
  section.append(
    h('a', {class: 'back-link', href: '#/activities', testid: 'prog-back'}, '‹ ', gettext('Activities')),
    h('div', {class: 'panel-head'},
      h('div', {}, h('h1', {testid: 'prog-title'}, format(gettext('Programme: %(name)s'), {name: resident.full_name})),
        h('p', {class: 'sub'}, resident.unit_name + ', ' + format(gettext('Room %(room)s, bed %(bed)s'), {room: resident.room, bed: resident.bed}))),
      h('button', {type: 'button', class: 'btn btn-primary', testid: 'prog-add', onclick: add}, icon('+'), ' ', gettext('Add an activity'))),
    linesBox,
    h('h2', {class: 'section-title'}, gettext('Today and the coming week')),
    h('p', {class: 'hint'}, gettext('The daily routine, the programme\'s activities, the home\'s events and the care card\'s timed procedures.')),
    scheduleBox);
  try {
    await Promise.all([loadLines(), loadSchedule()]);
  } catch (err) {
    section.append(h('p', {class: 'notice notice-warn', role: 'alert'}, problem(err)));
  }
}
