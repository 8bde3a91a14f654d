// Month close and the archive: each resident's card of a month, closable or why not; close (supervisor), the
// read-only grid laid out as the paper card, and the printable PDF of a closed card.
// testids: archive-unit, archive-month, archive-lang, archive-list, archive-row-<resident id>,
//   archive-status-<resident id>, archive-why-<resident id>, archive-close-<resident id>, archive-close-all,
//   archive-pdf-<resident id>, archive-view-<resident id>, archive-sheet, archive-grid, archive-after-close,
//   archive-error
import {OfflineError, api, withQuery} from '../lib/api.js';
import {h, mount} from '../lib/dom.js';
import {LOCALES, format, formatDateTime, formatMonth, gettext, locale, ngettext} from '../lib/i18n.js';
import {reasonLabel, shiftLabel, statusLabel} from '../lib/labels.js';
import {absenceLabel, stayEventLabel} from '../lib/office_labels.js';
import {can, today} from '../lib/session.js';
import {monthSelect} from '../lib/monthselect.js';
import {addDays, monthOf, utc} from '../lib/time.js';
import {periodicLabel} from '../lib/periodicity.js';
import {confirmDialog, toast} from './dialogs.js';

const state = {unit: null, month: null};
const SYMBOL = {done: '✓', not_done: '✗', refused: '⊘', missing: '○', as_needed: '', pending: '', not_scheduled: '',
  away: '–'};
const MARK = {corrected: '*', amended: '†', late: '!', after_close: '»'};
const LANGUAGE = {ru: 'Русский', zh_Hans: '中文', en: 'English'};

const statusText = (s) => ({draft: gettext('Draft'), published: gettext('Published'), closed: gettext('Closed')}[s]
  || gettext('No card'));
const stateText = (s) => ({done: gettext('Done'), not_done: gettext('Not done'), refused: gettext('Refused'),
  missing: gettext('No record (missed)'), as_needed: gettext('As needed'), pending: gettext('Not yet due'),
  not_scheduled: gettext('Not scheduled'),
  away: gettext('Away from the home (hospital, leave) or her stay had ended: not due')}[s] || s);
const markText = (m) => ({corrected: gettext('corrected by the author'), amended: gettext('amended by a supervisor'),
  late: gettext('recorded after the day was confirmed'),
  after_close: gettext('an entry arrived after the card was closed')}[m]);

function problem(err) {
  return err instanceof OfflineError ? gettext('The archive needs a connection to the server.')
    : (err.message || gettext('Something went wrong.'));
}

/** The month before the home's current month, as YYYY-MM. */
function lastMonth() {
  return addDays(monthOf(today()), -1).slice(0, 7);
}

export async function render(main) {
  const section = h('section', {class: 'panel'}, h('div', {class: 'panel-head'}, h('h1', {}, gettext('Archive'))));
  main.append(section);
  const error = h('div', {role: 'alert', testid: 'archive-error'});
  let units;
  try { units = await api.get('/api/units'); } catch (err) { section.append(h('p', {class: 'notice notice-warn'}, problem(err))); return; }
  const unitSel = h('select', {id: 'archive-unit', class: 'input', testid: 'archive-unit'},
    units.map((u) => h('option', {value: String(u.id), selected: u.id === state.unit}, u.name)));
  const monthInput = monthSelect({id: 'archive-month', testid: 'archive-month', value: state.month || lastMonth(),
    max: today().slice(0, 7)});
  const langSel = h('select', {id: 'archive-lang', class: 'input', testid: 'archive-lang'},
    LOCALES.map((l) => h('option', {value: l, selected: l === locale(), lang: l.replace('_', '-')}, LANGUAGE[l])));
  const list = h('div', {testid: 'archive-list', 'aria-live': 'polite'});
  const sheetBox = h('div', {});
  section.append(h('div', {class: 'toolbar'},
    h('div', {class: 'field'}, h('label', {for: 'archive-unit'}, gettext('Unit')), unitSel),
    h('div', {class: 'field'}, h('label', {for: 'archive-month'}, gettext('Month')), monthInput),
    h('div', {class: 'field'}, h('label', {for: 'archive-lang'}, gettext('Language of the printed card')), langSel)),
  error, list, sheetBox);

  const guard = (fn) => async (...args) => {
    mount(error);
    try { await fn(...args); } catch (err) { mount(error, h('p', {class: 'notice notice-bad'}, problem(err))); }
  };
  const pdfHref = (cardId) => withQuery(`/api/archive/cards/${cardId}.pdf`, {lang: langSel.value});

  async function load() {
    if (!/^\d{4}-\d{2}$/.test(monthInput.value)) return;
    state.unit = Number(unitSel.value);
    state.month = monthInput.value;
    mount(sheetBox);
    const data = await api.get(withQuery('/api/archive/months', {unit_id: state.unit, month: state.month}));
    const closable = data.residents.filter((r) => r.closable);
    const closeAll = can('close_archive') && closable.length
      ? h('button', {class: 'btn btn-primary', type: 'button', testid: 'archive-close-all',
        onclick: guard(async () => {
          const yes = await confirmDialog(gettext('Close the month'), format(ngettext(
            'Close %(n)s card of %(month)s? Closed cards can no longer be changed.',
            'Close %(n)s cards of %(month)s? Closed cards can no longer be changed.', closable.length),
          {n: closable.length, month: formatMonth(`${state.month}-01`)}), gettext('Close'));
          if (!yes) return;
          const reply = await api.post('/api/archive/months/close', {unit_id: state.unit, month: state.month});
          toast(format(ngettext('%(n)s card closed.', '%(n)s cards closed.', reply.closed.length), {n: reply.closed.length}));
          await load();
        })}, format(gettext('Close all closable cards (%(n)s)'), {n: closable.length}))
      : null;
    mount(list,
      h('h2', {}, format(gettext('Care cards of %(month)s'), {month: formatMonth(`${state.month}-01`)})),
      closeAll ? h('div', {class: 'toolbar'}, closeAll) : null,
      h('table', {class: 'data-table'},
        h('thead', {}, h('tr', {},
          h('th', {scope: 'col'}, gettext('Room')), h('th', {scope: 'col'}, gettext('Resident')),
          h('th', {scope: 'col'}, gettext('Status')), h('th', {scope: 'col'}, gettext('Can it be closed?')),
          h('th', {scope: 'col'}, gettext('Actions')))),
        h('tbody', {}, data.residents.map(row))));
  }

  function row(r) {
    const id = r.resident_id;
    const why = r.status === 'closed'
      ? format(gettext('Closed %(when)s by %(who)s'), {when: formatDateTime(utc(r.closed_at)), who: r.closed_by || ''})
      : (r.closable ? gettext('Yes: the month is over and its days are confirmed.')
        : r.reasons.map((x) => x.text).join('; '));
    const actions = [];
    if (r.card_id) {
      actions.push(h('button', {class: 'btn btn-small', type: 'button', testid: `archive-view-${id}`,
        onclick: guard(() => showSheet(r))}, gettext('View')));
    }
    if (r.closable && can('close_archive')) {
      actions.push(h('button', {class: 'btn btn-small btn-primary', type: 'button', testid: `archive-close-${id}`,
        onclick: guard(async () => {
          const yes = await confirmDialog(gettext('Close the card'), format(gettext(
            'Close the card of %(name)s for %(month)s? It can no longer be changed; entries that arrive later are kept and listed apart.'),
          {name: r.full_name, month: formatMonth(`${state.month}-01`)}), gettext('Close'));
          if (!yes) return;
          await api.post(`/api/archive/cards/${r.card_id}/close`);
          toast(gettext('The card is closed.'));
          await load();
        })}, gettext('Close')));
    }
    if (r.status === 'closed') {
      const link = h('a', {class: 'btn btn-small', href: pdfHref(r.card_id), target: '_blank', rel: 'noopener',
        testid: `archive-pdf-${id}`}, gettext('PDF'));
      langSel.addEventListener('change', () => { link.href = pdfHref(r.card_id); });
      actions.push(link);
    }
    return h('tr', {testid: `archive-row-${id}`},
      h('td', {}, `${r.room}/${r.bed}`), h('th', {scope: 'row'}, r.full_name),
      h('td', {testid: `archive-status-${id}`}, statusText(r.status)),
      h('td', {testid: `archive-why-${id}`}, why),
      h('td', {}, h('div', {class: 'archive-actions'}, actions)));
  }

  async function showSheet(r) {
    const sheet = await api.get(`/api/archive/cards/${r.card_id}`);
    mount(sheetBox, sheetView(sheet));
    sheetBox.scrollIntoView({block: 'start'});
  }

  unitSel.addEventListener('change', guard(load));
  monthInput.addEventListener('change', guard(load));
  await guard(load)();
}

function slotText(row) {
  if (row.as_needed) return gettext('as needed');
  if (row.periodic) return periodicLabel({kind: row.schedule_kind, ...(row.schedule || {})});
  if (row.slot.startsWith('shift:')) return shiftLabel(row.slot.slice(6));
  return row.slot;
}

function cellText(c) {
  let top = SYMBOL[c.state] || '';
  if (c.state === 'not_done' && c.reason_number) top += String(c.reason_number);
  if (c.state === 'as_needed' && c.count) top = String(c.count);
  top += Object.keys(MARK).filter((m) => c[m]).map((m) => MARK[m]).join('');
  return top;
}

function cellLabel(c, day) {
  const parts = [format(gettext('Day %(day)s'), {day}), stateText(c.state)];
  if (c.reason) parts.push(reasonLabel(c.reason));
  if (c.state === 'as_needed' && c.count) parts.push(format(gettext('%(n)s times'), {n: c.count}));
  for (const m of Object.keys(MARK)) if (c[m]) parts.push(markText(m));
  if (c.by.length) parts.push(c.by.join(' '));
  return parts.join(', ');
}

function entryList(title, entries, testid) {
  if (!entries.length) return null;
  return h('div', {testid}, h('h3', {}, title), h('ul', {class: 'archive-entries'}, entries.map((e) => {
    const what = e.new.status ? statusLabel(e.new.status) + (e.new.reason ? ` (${reasonLabel(e.new.reason)})` : '')
      : (e.new.note || e.new.category || Object.entries(e.new.values || {}).map(([k, v]) => `${k} ${v}`).join(', '));
    return h('li', {}, `${e.day} · ${e.item || ''} ${e.slot || ''} · ${what} · ${e.by} · ${formatDateTime(utc(e.at))}`
      + (e.reason ? ` · ${e.reason}` : ''));
  })));
}

function sheetView(sheet) {
  const head = h('tr', {}, h('th', {scope: 'col'}, gettext('Item / time')),
    sheet.days.map((d) => h('th', {scope: 'col'}, String(d))));
  const body = sheet.rows.map((row) => h('tr', {},
    h('th', {scope: 'row'}, `${row.title} — ${slotText(row)}`),
    row.cells.map((c, i) => h('td', {class: ['archive-cell', `is-${c.state}`], title: cellLabel(c, sheet.days[i]),
      'aria-label': cellLabel(c, sheet.days[i])}, h('span', {'aria-hidden': 'true'}, cellText(c),
      c.by.length ? h('br') : null, c.by.join(' '))))));
  const legend = h('p', {class: 'muted'},
    Object.keys(SYMBOL).filter((s) => SYMBOL[s]).map((s) => `${SYMBOL[s]} ${stateText(s)}`).join('   ') + '   '
    + Object.keys(MARK).map((m) => `${MARK[m]} ${markText(m)}`).join('   '));
  const staff = h('p', {class: 'muted'}, sheet.staff.map((s) => `${s.mark} — ${s.name}`).join('   '));
  return h('section', {testid: 'archive-sheet', 'aria-label': format(gettext('Care card of %(name)s'), {name: sheet.resident})},
    h('h2', {}, `${sheet.resident} — ${formatMonth(sheet.month + '-01')}`),
    h('p', {}, `${sheet.unit} · ${gettext('Room')} ${sheet.room}/${sheet.bed} · ${statusText(sheet.status)}`),
    (sheet.stay_events || []).length ? h('p', {testid: 'archive-stay'}, gettext('Her stay this month'), ': ',
      sheet.stay_events.map((e) => `${formatDateTime(e.at)} ${stayEventLabel(e.kind)}`
        + (e.absence ? ` (${absenceLabel(e.absence)})` : '') + (e.reason ? `: ${e.reason}` : '')).join('; ')) : null,
    h('div', {class: 'archive-scroll', tabindex: '0', role: 'region', 'aria-label': gettext('Care card grid')},
      h('table', {class: 'archive-grid', testid: 'archive-grid'}, h('thead', {}, head), h('tbody', {}, body))),
    legend, staff,
    entryList(gettext('Amendments by supervisors'), sheet.amendments, 'archive-amendments'),
    entryList(gettext('Corrections by the author'), sheet.corrections, 'archive-corrections'),
    entryList(gettext('Arrived after the card was closed'), sheet.after_close, 'archive-after-close'),
    entryList(gettext('Other entries of the month'), sheet.other_entries, 'archive-other'),
    h('p', {}, format(ngettext('%(n)s confirmation of a day this month.', '%(n)s confirmations of days this month.',
      sheet.confirmations.length), {n: sheet.confirmations.length})));
}
