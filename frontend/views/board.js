// The planner's board: reassessments due, overdue or marked per unit, and care-plan goals due for review.
//
// data-testid: board-unit (unit <select>), board-counts, board-count-<status>, board-table,
//   board-row-<resident_id> (data-status, data-group, data-due), board-status-<resident_id>,
//   board-group-link-<resident_id>, board-group-undecided-<resident_id> (a group set without a recorded decision),
//   board-plan-link-<resident_id>, board-assess-link-<resident_id>,
//   board-programme-link-<resident_id> (the resident's activity programme),
//   board-goals, board-goal-<resident_id>-<row_id>, board-admit, board-cards-link, board-offline,
//   admit dialog: dialog-admit, admit-name, admit-birth, admit-post, admit-room, admit-bed, admit-date, btn-save,
//           btn-cancel
import {ApiError, OfflineError, api, withQuery} from '../lib/api.js';
import {h, icon, mount} from '../lib/dom.js';
import {dateInput} from '../lib/dateinput.js';
import {format, formatDate, gettext, ngettext} from '../lib/i18n.js';
import {groupText, reassessmentLabel} from '../lib/office_labels.js';
import {session, setPost, today} from '../lib/session.js';
import {pull} from '../lib/sync.js';
import {openDialog, toast} from './dialogs.js';

const STATUSES = ['overdue', 'marked', 'never_assessed', 'due', 'ok'];
const STATUS_ICON = {overdue: '!', marked: '⚑', never_assessed: '○', due: '◔', ok: '✓'};
let lastUnit = null;

const sectionLabel = (id) => ({
  communication: gettext('Communication'),
  mobility: gettext('Mobility and self-care'),
  nutrition: gettext('Nutrition, drinking, elimination'),
  vitals: gettext('Vital signs'),
  sleep_leisure: gettext('Sleep, rest and leisure'),
  safety: gettext('Safe surroundings, life events'),
}[id] || id || '');

function problem(err) {
  return err instanceof OfflineError ? gettext('No connection. The board needs the server.') : (err.message || String(err));
}

function statusTag(row) {
  const bad = row.status === 'overdue' || row.status === 'marked';
  return h('span', {class: ['tag', bad || row.status === 'never_assessed' || row.status === 'due' ? 'tag-warn' : null],
    testid: `board-status-${row.resident_id}`}, icon(STATUS_ICON[row.status] || ''), ' ', reassessmentLabel(row.status),
  row.marked && row.status !== 'marked' ? ' · ' + gettext('marked') : '');
}

function dueText(row) {
  if (!row.due_on) return gettext('First assessment needed');
  const when = formatDate(row.due_on, {dateStyle: 'medium'});
  if (row.days_left < 0) {
    const n = -row.days_left;
    return format(ngettext('%(date)s (%(n)s day ago)', '%(date)s (%(n)s days ago)', n), {date: when, n});
  }
  if (row.days_left === 0) return format(gettext('%(date)s (today)'), {date: when});
  return format(ngettext('%(date)s (in %(n)s day)', '%(date)s (in %(n)s days)', row.days_left), {date: when, n: row.days_left});
}

const link = (href, testid, text) => h('a', {class: 'btn btn-small', href, testid}, text);

/** Assess: straight to the resident's assessment forms. The forms work on the residents of a duty post on this
 * tablet, so her post is chosen (else the first of the unit's) and pulled first -- no detour through the post
 * picker and the resident list. */
async function assessDirectly(residentId, unitId, posts) {
  let postId = null;
  try { postId = (await api.get(`/api/residents/${residentId}`)).resident.post_id; } catch (_) { /* the unit's post */ }
  const post = posts.find((p) => p.id === postId) || posts.find((p) => p.unit_id === unitId);
  if (post) {
    if (session.postId !== post.id) await setPost(post);
    try {
      await pull(post.id);
    } catch (err) {
      if (!(err instanceof OfflineError || err instanceof ApiError)) throw err;
    }
  }
  location.hash = `#/assess/${residentId}`;
}

function residentTable(rows, assess) {
  if (!rows.length) return h('p', {class: 'empty'}, gettext('No residents in this unit.'));
  return h('table', {class: 'data-table', testid: 'board-table'},
    h('caption', {class: 'visually-hidden'}, gettext('Reassessment by resident, most urgent first')),
    h('thead', {}, h('tr', {},
      h('th', {scope: 'col'}, gettext('Resident')), h('th', {scope: 'col'}, gettext('Care group')),
      h('th', {scope: 'col'}, gettext('Status')), h('th', {scope: 'col'}, gettext('Reassessment due')),
      h('th', {scope: 'col'}, h('span', {class: 'visually-hidden'}, gettext('Actions'))))),
    h('tbody', {}, rows.map((row) => h('tr', {testid: `board-row-${row.resident_id}`,
      dataset: {status: row.status, group: String(row.care_group || ''), due: row.due_on || ''}},
    h('td', {}, h('strong', {}, row.name), h('p', {class: 'hint'}, format(gettext('Room %(room)s, bed %(bed)s'),
      {room: row.room, bed: row.bed}))),
    h('td', {}, groupText(row.care_group),
      row.last_decided_on ? h('p', {class: 'hint'}, format(gettext('decided %(date)s'),
        {date: formatDate(row.last_decided_on, {dateStyle: 'medium'})}))
        // a group set at admission (or brought in) before any recorded decision: the care-group page says the same
        : row.care_group ? h('p', {class: 'hint', testid: `board-group-undecided-${row.resident_id}`},
          gettext('set without a recorded decision')) : null),
    h('td', {}, statusTag(row)),
    h('td', {}, dueText(row)),
    h('td', {}, h('div', {class: 'checks'},
      link(`#/group/${row.resident_id}`, `board-group-link-${row.resident_id}`, gettext('Care group')),
      h('a', {class: 'btn btn-small', href: `#/assess/${row.resident_id}`, testid: `board-assess-link-${row.resident_id}`,
        onclick: (event) => {
          event.preventDefault();
          event.currentTarget.setAttribute('aria-busy', 'true');
          assess(row.resident_id);
        }}, gettext('Assess')),
      link(`#/plan/${row.resident_id}`, `board-plan-link-${row.resident_id}`, gettext('Care plan')),
      link(`#/programme/${row.resident_id}`, `board-programme-link-${row.resident_id}`, gettext('Programme'))))))));
}

function goalsList(goals) {
  if (!goals.length) return h('p', {class: 'empty'}, gettext('No goals are due for review.'));
  return h('table', {class: 'data-table', testid: 'board-goals'},
    h('thead', {}, h('tr', {},
      h('th', {scope: 'col'}, gettext('Resident')), h('th', {scope: 'col'}, gettext('Plan section')),
      h('th', {scope: 'col'}, gettext('Goal')), h('th', {scope: 'col'}, gettext('Review date')),
      h('th', {scope: 'col'}, h('span', {class: 'visually-hidden'}, gettext('Actions'))))),
    h('tbody', {}, goals.map((g) => h('tr', {testid: `board-goal-${g.resident_id}-${g.row_id}`},
      h('td', {}, g.name),
      h('td', {}, sectionLabel(g.section)),
      h('td', {}, h('strong', {}, g.goal), g.problem ? h('p', {class: 'hint'}, g.problem) : null),
      h('td', {}, formatDate(g.review_on, {dateStyle: 'medium'}), g.overdue_days > 0
        ? h('p', {class: 'tag tag-warn'}, format(ngettext('%(n)s day past', '%(n)s days past', g.overdue_days), {n: g.overdue_days}))
        : null),
      h('td', {}, link(`#/plan/${g.resident_id}`, `board-goal-plan-${g.resident_id}-${g.row_id}`, gettext('Review in the plan')))))));
}

async function admitDialog(unit, posts) {
  const unitPosts = posts.filter((p) => p.unit_id === unit.id);
  // The unit's rooms (Organisation), offered as she types: when the unit keeps them, the room must be one of them.
  const rooms = await api.get(withQuery('/api/rooms', {unit_id: unit.id})).catch(() => []);
  return openDialog({title: format(gettext('Admit a resident to %(unit)s'), {unit: unit.name}), testid: 'dialog-admit',
    saveLabel: gettext('Admit'), draft: `admit:${unit.id}`, build: () => {
      const msgs = {};
      const field = (name, label, input) => {
        msgs[name] = h('p', {class: 'field-msg is-error', id: `admit-${name}-msg`});
        input.setAttribute('aria-describedby', `admit-${name}-msg`);
        return h('div', {class: 'field'}, h('label', {for: input.id}, label), input, msgs[name]);
      };
      const name = h('input', {id: 'admit-name', class: 'input', maxlength: 200, autocomplete: 'off', testid: 'admit-name'});
      const birth = dateInput({id: 'admit-birth', testid: 'admit-birth'});
      const post = h('select', {id: 'admit-post', class: 'input', testid: 'admit-post'},
        unitPosts.map((p) => h('option', {value: String(p.id)}, p.name)));
      const room = h('input', {id: 'admit-room', class: 'input', maxlength: 20, testid: 'admit-room',
        list: 'admit-rooms', autocomplete: 'off'});
      const roomList = h('datalist', {id: 'admit-rooms'}, rooms.map((r) => h('option', {value: r.name},
        format(gettext('Beds: %(beds)s'), {beds: r.beds.join(', ')}))));
      const bed = h('input', {id: 'admit-bed', class: 'input', maxlength: 20, testid: 'admit-bed'});
      const admitted = dateInput({id: 'admit-date', testid: 'admit-date',
        value: today()});
      return {
        body: [field('full_name', gettext('Full name'), name), field('birth_date', gettext('Date of birth'), birth),
          field('post_id', gettext('Duty post'), post), h('div', {class: 'toolbar'},
            field('room', gettext('Room'), room), field('bed', gettext('Bed'), bed)), roomList,
          field('admitted_on', gettext('Day of admission'), admitted)],
        onSave: async () => {
          for (const m of Object.values(msgs)) m.textContent = '';
          if (!name.value.trim()) { msgs.full_name.textContent = gettext('Enter the full name.'); name.focus(); return false; }
          try {
            return await api.post('/api/residents', {full_name: name.value.trim(), birth_date: birth.value || null,
              unit_id: unit.id, post_id: Number(post.value), room: room.value.trim(), bed: bed.value.trim(),
              admitted_on: admitted.value || null});
          } catch (err) {
            if (err instanceof ApiError && err.fields) {
              for (const [key, text] of Object.entries(err.fields)) if (msgs[key]) msgs[key].textContent = `⚠ ${text}`;
            }
            throw new Error(problem(err));
          }
        },
      };
    }});
}

export async function render(main) {
  const section = h('section', {class: 'panel'}, h('div', {class: 'panel-head'},
    h('div', {}, h('h1', {}, gettext('Planning board')),
      h('p', {class: 'sub'}, gettext('Who is due for reassessment, and which care-plan goals need review.'))),
    h('div', {class: 'checks'}, h('a', {class: 'btn', href: '#/cards', testid: 'board-cards-link'}, gettext('Care cards')))));
  main.append(section);
  let units;
  let posts;
  try {
    [units, posts] = await Promise.all([api.get('/api/units'), api.get('/api/posts')]);
  } catch (err) {
    section.append(h('p', {class: 'notice notice-warn', role: 'alert', testid: 'board-offline'}, icon('⊘'), ' ', problem(err)));
    return;
  }
  if (!units.length) { section.append(h('p', {class: 'empty'}, gettext('No units.'))); return; }
  const unitSel = h('select', {id: 'board-unit', class: 'input', testid: 'board-unit'},
    units.map((u) => h('option', {value: String(u.id), selected: u.id === lastUnit}, u.name)));
  const admit = h('button', {type: 'button', class: 'btn btn-primary', testid: 'board-admit'}, icon('+'), ' ',
    gettext('Admit a resident'));
  const body = h('div', {'aria-live': 'polite'});
  section.append(h('div', {class: 'toolbar'},
    h('div', {class: 'field'}, h('label', {for: 'board-unit'}, gettext('Unit')), unitSel), admit), body);

  const load = async () => {
    lastUnit = Number(unitSel.value);
    let board;
    try {
      board = await api.get(withQuery('/api/care-groups/board', {unit_id: lastUnit}));
    } catch (err) {
      mount(body, h('p', {class: 'notice notice-warn', role: 'alert', testid: 'board-offline'}, icon('⊘'), ' ', problem(err)));
      return;
    }
    mount(body,
      h('ul', {class: 'tags', testid: 'board-counts', 'aria-label': gettext('Residents by reassessment status')},
        STATUSES.map((s) => h('li', {class: ['tag', s === 'ok' ? null : 'tag-warn'], testid: `board-count-${s}`,
          dataset: {count: String(board.counts[s] || 0)}}, `${reassessmentLabel(s)}: ${board.counts[s] || 0}`))),
      h('p', {class: 'hint'}, format(gettext('Planned reassessment: 18 months after the last decision for group I, 12 months for groups II, III and IV; shown as due %(days)s days ahead.'),
        {days: board.due_window_days})),
      h('h2', {class: 'section-title'}, gettext('Reassessment')),
      residentTable(board.residents, (residentId) => assessDirectly(residentId, lastUnit, posts)),
      h('h2', {class: 'section-title'}, gettext('Goals due for review')),
      goalsList(board.goals));
  };
  unitSel.addEventListener('change', load);
  admit.addEventListener('click', async () => {
    const unit = units.find((u) => u.id === Number(unitSel.value));
    const created = await admitDialog(unit, posts);
    if (created) {
      toast(format(gettext('%(name)s is admitted. The first assessments are due.'), {name: created.full_name}));
      await load();
    }
  });
  await load();
}
