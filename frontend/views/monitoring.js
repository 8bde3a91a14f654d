// The head of the home's monthly monitoring page: the figures from the records as big numbers, each with its target,
// numerator / denominator and definition (engagement in social occupation; residents' satisfaction with the
// relatives' beside it; the sitter post's load); participation by direction; the residents' satisfaction comparison
// (baseline, after 6 months, after a year, as the practice reports it); links to the CSV and PDF copies.
// testids: monitoring-month, monitoring-unit, monitoring-lang, monitoring-figures, figure-<key>, figure-value-<key>,
//   figure-fraction-<key>, figure-target-<key>, figure-definition-<key>, figure-note-<engagement|caregiver_load>,
//   monitoring-directions, monitoring-milieu (its figures figure-<key> as above),
//   direction-<direction>, monitoring-comparison, comparison-<offset>, monitoring-csv, monitoring-pdf,
//   monitoring-error
import {OfflineError, api, withQuery} from '../lib/api.js';
import {h, mount} from '../lib/dom.js';
import {LOCALES, format, formatMonth, formatNumber, gettext, locale, ngettext} from '../lib/i18n.js';
import {today} from '../lib/session.js';
import {monthSelect} from '../lib/monthselect.js';

const state = {unit: '', month: null};
const LANGUAGE = {ru: 'Русский', zh_Hans: '中文', en: 'English'};

function problem(err) {
  return err instanceof OfflineError ? gettext('The monitoring page needs a connection to the server.')
    : (err.message || gettext('Something went wrong.'));
}

function shown(value, unit) {
  if (value === null || value === undefined) return '—';
  if (unit === 'share') return formatNumber(value, {style: 'percent', maximumFractionDigits: 1});
  return formatNumber(value, {maximumFractionDigits: 1});
}

function targetText(f) {
  if (f.target === null || f.target === undefined) return '';
  if (f.key === 'caregiver_load') {
    const [min, max] = (f.extra && f.extra.norm) || [8, 10];
    return format(gettext('The sitter post\'s norm (source 000): %(min)s to %(max)s, warning above %(n)s'),
      {min, max, n: f.target});
  }
  if (f.key === 'overdue_reassessments') return gettext('Target: none overdue');
  return format(gettext('Target: %(t)s'), {t: shown(f.target, 'share')});
}

function fractionText(f) {
  if (f.numerator === null || f.denominator === null) return '';
  if (f.key === 'caregiver_load') {
    return format(gettext('%(over)s of %(n)s sitter-shifts above the limit'), {over: f.numerator, n: f.denominator});
  }
  return format(gettext('%(a)s of %(b)s'), {a: f.numerator, b: f.denominator});
}

function figureCard(f) {
  const warn = f.key === 'caregiver_load' ? f.numerator > 0
    : (f.key === 'overdue_reassessments' ? f.numerator > 0 : false);
  return h('article', {class: 'figure' + (warn ? ' figure-warn' : ''), testid: `figure-${f.key}`},
    h('h2', {class: 'figure-title'}, f.title),
    h('p', {class: 'figure-value', testid: `figure-value-${f.key}`}, shown(f.value, f.unit)),
    h('p', {class: 'figure-fraction', testid: `figure-fraction-${f.key}`}, fractionText(f)),
    h('p', {class: 'figure-target', testid: `figure-target-${f.key}`}, targetText(f)),
    f.before !== null && f.before !== undefined
      ? h('p', {class: 'figure-before'}, format(gettext('The practice: %(before)s before, %(after)s after'),
        {before: shown(f.before, 'share'), after: shown(f.target, 'share')}))
      : null,
    noteOf(f),
    h('p', {class: 'figure-def', testid: `figure-definition-${f.key}`}, f.definition));
}

/** What a figure leaves out and a reader should still see: residents who took part only in medical or
 * psychological activities are not engaged; assignments of staff who are not sitters are not the sitters' load. */
function noteOf(f) {
  const note = (text) => h('p', {class: 'figure-fraction', testid: `figure-note-${f.key}`}, text);
  const extra = f.extra || {};
  if (f.key === 'engagement' && extra.other_only) {
    const n = extra.other_only;
    return note(format(ngettext('%(n)s resident took part only in medical or psychological activities: not counted as engaged.',
      '%(n)s residents took part only in medical or psychological activities: not counted as engaged.', n), {n}));
  }
  if (f.key === 'caregiver_load' && extra.others && extra.others.shifts) {
    return note(format(gettext('Assignments of staff whose post is not sitter, not counted: highest %(n)s over %(shifts)s carer-shifts.'),
      {n: extra.others.highest, shifts: extra.others.shifts}));
  }
  return null;
}

function directionsTable(rows) {
  return h('section', {class: 'stack', testid: 'monitoring-directions'},
    h('h2', {class: 'section-title'}, gettext('Participation by direction')),
    h('table', {class: 'data-table'},
      h('thead', {}, h('tr', {},
        h('th', {scope: 'col'}, gettext('Direction')), h('th', {scope: 'col'}, gettext('Residents')),
        h('th', {scope: 'col'}, gettext('Share')), h('th', {scope: 'col'}, gettext('Times')))),
      h('tbody', {}, rows.map((f) => h('tr', {testid: `direction-${f.direction}`},
        h('th', {scope: 'row'}, f.title), h('td', {}, fractionText(f)), h('td', {}, shown(f.value, 'share')),
        h('td', {}, formatNumber(f.extra.times)))))),
    rows.length ? h('p', {class: 'figure-def'}, rows[0].definition) : null);
}

/** The milieu-therapy monitoring of source 001: what the month's observations, interviews and specialists' reports
 * (forms filled on the tablet, offline) add up to. */
function milieuSection(figures) {
  return h('section', {class: 'stack', testid: 'monitoring-milieu', 'aria-labelledby': 'monitoring-milieu-title'},
    h('h2', {class: 'section-title', id: 'monitoring-milieu-title'},
      gettext('Milieu-therapy monitoring: observations, interviews, specialists\' reports')),
    h('div', {class: 'figure-grid'}, (figures || []).map(figureCard)));
}

function comparison(c) {
  const rows = c.rows.length ? h('div', {class: 'figure-grid'}, c.rows.map((r) => h('article',
    {class: 'figure', testid: `comparison-${r.offset}`},
    h('h3', {class: 'figure-title'}, r.label),
    h('p', {class: 'figure-value'}, shown(r.value, 'share')),
    h('p', {class: 'figure-fraction'}, r.denominator
      ? format(gettext('%(a)s of %(b)s residents satisfied'), {a: r.numerator, b: r.denominator})
      : gettext('No questionnaires in this month')),
    h('p', {class: 'figure-target'}, formatMonth(`${r.month}-01`)))))
    : h('p', {class: 'empty'}, gettext('No questionnaires yet.'));
  return h('section', {class: 'stack', testid: 'monitoring-comparison'},
    h('h2', {class: 'section-title'}, gettext('Residents\' satisfaction: baseline, after 6 months, after a year')),
    rows,
    h('p', {class: 'figure-def'}, format(gettext('The practice reports %(before)s satisfied before and %(after)s after; a year of questionnaires is compared here the same way.'),
      {before: shown(c.practice_before, 'share'), after: shown(c.target, 'share')})));
}

export async function render(main) {
  const section = h('section', {class: 'panel'}, h('div', {class: 'panel-head'}, h('h1', {}, gettext('Monthly monitoring'))));
  main.append(section);
  const error = h('div', {role: 'alert', testid: 'monitoring-error'});
  let units = [];
  try { units = await api.get('/api/units'); } catch (err) { section.append(h('p', {class: 'notice notice-warn'}, problem(err))); return; }
  const unitSel = h('select', {id: 'monitoring-unit', class: 'input', testid: 'monitoring-unit'},
    h('option', {value: '', selected: state.unit === ''}, gettext('Whole home')),
    units.map((u) => h('option', {value: String(u.id), selected: String(u.id) === state.unit}, u.name)));
  const monthInput = monthSelect({id: 'monitoring-month', testid: 'monitoring-month',
    value: state.month || today().slice(0, 7), max: today().slice(0, 7)});
  const langSel = h('select', {id: 'monitoring-lang', class: 'input', testid: 'monitoring-lang'},
    LOCALES.map((l) => h('option', {value: l, selected: l === locale(), lang: l.replace('_', '-')}, LANGUAGE[l])));
  const csv = h('a', {class: 'btn', testid: 'monitoring-csv', download: ''}, gettext('Download CSV'));
  const pdf = h('a', {class: 'btn', testid: 'monitoring-pdf', target: '_blank', rel: 'noopener'}, gettext('Open PDF'));
  const body = h('div', {class: 'stack', 'aria-live': 'polite'});
  section.append(h('div', {class: 'toolbar'},
    h('div', {class: 'field'}, h('label', {for: 'monitoring-month'}, gettext('Month')), monthInput),
    h('div', {class: 'field'}, h('label', {for: 'monitoring-unit'}, gettext('Unit')), unitSel),
    h('div', {class: 'field'}, h('label', {for: 'monitoring-lang'}, gettext('Language of the copies')), langSel),
    h('div', {class: 'button-row'}, csv, pdf)),
  error, body);

  function links() {
    const query = {month: monthInput.value, unit_id: unitSel.value || null, lang: langSel.value};
    csv.setAttribute('href', withQuery('/api/monitoring/month.csv', query));
    pdf.setAttribute('href', withQuery('/api/monitoring/month.pdf', query));
  }

  async function load() {
    if (!/^\d{4}-\d{2}$/.test(monthInput.value)) return;
    state.month = monthInput.value;
    state.unit = unitSel.value;
    links();
    mount(error);
    try {
      const data = await api.get(withQuery('/api/monitoring/month', {month: state.month, unit_id: state.unit || null}));
      mount(body,
        h('p', {class: 'muted'}, format(gettext('%(scope)s, %(month)s: %(n)s residents of the month, %(days)s days passed.'), {
          scope: data.unit || gettext('Whole home'), month: formatMonth(`${data.month}-01`), n: data.residents,
          days: data.days_passed})),
        h('div', {class: 'figure-grid', testid: 'monitoring-figures'}, data.figures.map(figureCard)),
        directionsTable(data.directions),
        milieuSection(data.milieu),
        comparison(data.comparison));
    } catch (err) {
      mount(error, h('p', {class: 'notice notice-bad'}, problem(err)));
    }
  }
  monthInput.addEventListener('change', load);
  unitSel.addEventListener('change', load);
  langSel.addEventListener('change', links);
  await load();
}
