// Caregiver load: which sitter (the carers here: staff whose post is sitter, not junior nurses) looks after which
// residents on a shift of a unit. The supervisor picks a carer for each resident; the load per carer updates as she
// goes, with a warning above the limit (8 to 10 residents: source 000's norm for the sitter post -- the screen says
// so); someone assigned before who is no sitter shows with her post, never warned of; a unit with no sitter says
// so; residents without a carer are counted; Save replaces the shift's assignments.
// testids: carers-unit, carers-day, carers-shift, carers-list, carer-<id> (data-sitter), carer-load-<id>,
//   carers-warning, carers-norm, carers-none (no sitter in the unit),
//   carers-without, carers-residents, carer-of-<resident id>, carers-save, carers-saved, carers-error,
//   carers-unsaved (changes kept from before she left the screen), carers-discard
// Unsaved changes are never lost silently: choosing another unit, day or shift asks first; leaving the screen keeps
// them (for this unit, day and shift) until she comes back and saves or discards them; closing the page asks.
import {OfflineError, api, withQuery} from '../lib/api.js';
import {h, mount} from '../lib/dom.js';
import {dateInput} from '../lib/dateinput.js';
import {confirmDialog} from './dialogs.js';
import {format, gettext, ngettext} from '../lib/i18n.js';
import {shiftLabel} from '../lib/labels.js';
import {postLabel} from '../lib/office_labels.js';
import {can, today} from '../lib/session.js';

const state = {unit: null, day: null, shift: 'day'};
/** Choices not saved when she left the screen: {key: 'unit|day|shift', choice: [[resident id, carer id]]}. */
let kept = null;

function problem(err) {
  return err instanceof OfflineError ? gettext('Carers are assigned with a connection to the server.')
    : (err.message || gettext('Something went wrong.'));
}

export async function render(main) {
  const section = h('section', {class: 'panel'}, h('div', {class: 'panel-head'}, h('h1', {}, gettext('Carers on a shift'))));
  main.append(section);
  const error = h('div', {role: 'alert', testid: 'carers-error'});
  let units = [];
  try { units = await api.get('/api/units'); } catch (err) { section.append(h('p', {class: 'notice notice-warn'}, problem(err))); return; }
  if (!units.length) { section.append(h('p', {class: 'empty'}, gettext('No units.'))); return; }
  const unitSel = h('select', {id: 'carers-unit', class: 'input', testid: 'carers-unit'},
    units.map((u) => h('option', {value: String(u.id), selected: u.id === state.unit}, u.name)));
  const dayInput = dateInput({id: 'carers-day', value: state.day || today(),
    required: true, testid: 'carers-day'});
  const shiftSel = h('select', {id: 'carers-shift', class: 'input', testid: 'carers-shift'},
    ['day', 'night'].map((s) => h('option', {value: s, selected: s === state.shift}, shiftLabel(s))));
  const body = h('div', {class: 'stack'});
  const saved = h('p', {role: 'status', testid: 'carers-saved'});
  const unsavedNote = h('div', {});
  section.append(h('div', {class: 'toolbar'},
    h('div', {class: 'field'}, h('label', {for: 'carers-unit'}, gettext('Unit')), unitSel),
    h('div', {class: 'field'}, h('label', {for: 'carers-day'}, gettext('Day')), dayInput),
    h('div', {class: 'field'}, h('label', {for: 'carers-shift'}, gettext('Shift')), shiftSel)),
  error, saved, unsavedNote, body);

  let shift = null;
  const choice = new Map();  // resident id -> carer id or null
  const keyOf = () => `${state.unit}|${state.day}|${state.shift}`;
  const unsaved = () => !!shift && shift.residents.some((r) => choice.get(r.id) !== r.carer_id);

  function loads() {
    const out = new Map(shift.carers.map((c) => [c.id, 0]));
    for (const carer of choice.values()) if (carer !== null) out.set(carer, (out.get(carer) || 0) + 1);
    return out;
  }

  function summary() {
    const counts = loads();
    // the norm is the sitter post's (source 000): only a sitter is warned of (someone assigned before who is no
    // sitter shows as she is)
    const over = shift.carers.filter((c) => c.sitter && (counts.get(c.id) || 0) > shift.limit);
    const without = [...choice.values()].filter((c) => c === null).length;
    return h('div', {class: 'stack'},
      shift.carers.some((c) => c.sitter) ? null
        : h('p', {class: 'notice notice-warn', role: 'status', testid: 'carers-none'},
        gettext('No sitter works in this unit. The administrator gives a member of staff the sitter post on the Staff screen.')),
      h('ul', {class: 'counts carer-counts', testid: 'carers-list'}, shift.carers.map((c) => {
        const n = counts.get(c.id) || 0;
        const state = c.sitter && n > shift.limit ? 'count-missing' : (n ? 'count-done' : 'is-zero');
        return h('li', {class: `count ${state}`,
          testid: `carer-${c.id}`, dataset: {sitter: String(!!c.sitter)}},
        c.name + (c.sitter ? '' : ' (' + (c.post ? postLabel(c.post) : gettext('no post')) + ')') + ': ',
        h('span', {testid: `carer-load-${c.id}`}, String(n)));
      })),
      over.length ? h('p', {class: 'notice notice-warn', role: 'status', testid: 'carers-warning'},
        over.map((c) => format(ngettext('%(name)s has %(n)s resident: above the norm of %(max)s.',
          '%(name)s has %(n)s residents: above the norm of %(max)s.', counts.get(c.id)),
        {name: c.name, n: counts.get(c.id), max: shift.limit})).join(' ')) : null,
      h('p', {class: without ? 'notice notice-warn' : 'muted', testid: 'carers-without'}, without
        ? format(ngettext('%(n)s resident without a carer.', '%(n)s residents without a carer.', without), {n: without})
        : gettext('Every resident has a carer.')),
      h('p', {class: 'hint', testid: 'carers-norm'}, format(gettext('The norm of %(min)s to %(max)s residents per staff member is the one source 000 set for the sitter post: the carers here are the unit\'s sitters, not its junior nurses.'),
        {min: shift.norm[0], max: shift.norm[1]})));
  }

  const summaryBox = h('div', {'aria-live': 'polite'});

  function draw() {
    const editable = can('assign_carers');
    mount(summaryBox, summary());
    mount(body, summaryBox,
      h('table', {class: 'data-table', testid: 'carers-residents'},
        h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, gettext('Resident')), h('th', {scope: 'col'}, gettext('Room / bed')),
          h('th', {scope: 'col'}, gettext('Carer')))),
        h('tbody', {}, shift.residents.map((r) => {
          const id = `carer-of-${r.id}`;
          const sel = h('select', {id, class: 'input', testid: id, disabled: !editable,
            onchange: () => { choice.set(r.id, sel.value ? Number(sel.value) : null); mount(summaryBox, summary()); }},
          h('option', {value: '', selected: choice.get(r.id) === null}, gettext('No carer')),
          shift.carers.map((c) => h('option', {value: String(c.id), selected: choice.get(r.id) === c.id}, c.name)));
          return h('tr', {}, h('th', {scope: 'row'}, h('label', {for: id}, r.name)),
            h('td', {}, `${r.room} / ${r.bed}`), h('td', {}, sel));
        }))),
      editable ? h('div', {class: 'button-row'}, h('button', {class: 'btn btn-primary', type: 'button',
        testid: 'carers-save', onclick: save}, gettext('Save'))) : null);
  }

  function take(reply, keep = null) {
    shift = reply;
    choice.clear();
    for (const r of shift.residents) choice.set(r.id, r.carer_id);
    for (const [resident, carer] of keep || []) if (choice.has(resident)) choice.set(resident, carer);
    mount(unsavedNote, keep && unsaved() ? h('p', {class: 'notice notice-warn', role: 'status', testid: 'carers-unsaved'},
      gettext('Your changes from before are not saved yet: save them, or discard them.'), ' ',
      h('button', {type: 'button', class: 'btn btn-small', testid: 'carers-discard', onclick: () => take(reply)},
        gettext('Discard changes'))) : null);
    draw();
  }

  async function load() {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(dayInput.value)) return;
    state.unit = Number(unitSel.value);
    state.day = dayInput.value;
    state.shift = shiftSel.value;
    mount(error);
    mount(saved);
    const keep = kept && kept.key === keyOf() ? kept.choice : null;
    kept = null;
    try {
      take(await api.get(withQuery('/api/monitoring/carers', {unit_id: state.unit, day: state.day, shift: state.shift})),
        keep);
    } catch (err) { mount(body); mount(error, h('p', {class: 'notice notice-bad'}, problem(err))); }
  }

  /** Another unit, day or shift: with unsaved changes she is asked first; "no" puts the choice back. */
  async function change() {
    if (unsaved() && !(await confirmDialog(gettext('Leave without saving?'),
      gettext('The carers you chose on this shift are not saved yet and will be lost.'), gettext('Leave without saving')))) {
      unitSel.value = String(state.unit);
      dayInput.value = state.day;
      shiftSel.value = state.shift;
      return;
    }
    await load();
  }

  async function save() {
    mount(error);
    mount(unsavedNote);
    try {
      const assignments = [...choice.entries()].map(([resident_id, carer_id]) => ({resident_id, carer_id}));
      take(await api.post('/api/monitoring/carers', {unit_id: state.unit, day: state.day, shift: state.shift, assignments}));
      mount(saved, gettext('Saved.'));
    } catch (err) { mount(error, h('p', {class: 'notice notice-bad'}, problem(err))); }
  }

  unitSel.addEventListener('change', change);
  dayInput.addEventListener('change', change);
  shiftSel.addEventListener('change', change);
  const onUnload = (event) => { if (unsaved()) event.preventDefault(); };  // closing or reloading the page asks
  window.addEventListener('beforeunload', onUnload);
  await load();
  return () => {
    window.removeEventListener('beforeunload', onUnload);
    kept = unsaved() ? {key: keyOf(), choice: [...choice.entries()]} : null;
  };
}
