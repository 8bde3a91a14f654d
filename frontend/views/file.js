// #/file/<resident_id>: her personal file («личное дело по СДУ», regulation 004 §3.3) -- her record, her stay, her
// assessments with their scores, the team's care-group decisions with their grounds, the care plan's versions with
// what each changed, and her closed care cards; printed whole as a PDF, each closed card on its own.
// Supervisors and planners (can('read_files')). Online only: the server gathers it.
//
// data-testid: file-title, file-facts, file-categories, file-pdf, file-lang, file-stay, file-assessments,
//   file-assessment-<entry id>, file-decisions, file-decision-<id>, file-plan, file-version-<n>, file-cards,
//   file-card-<card id>, file-error
import {api, withQuery} from '../lib/api.js';
import {h, icon} from '../lib/dom.js';
import {format, formatDate, formatDateTime, formatMonth, gettext, locale} from '../lib/i18n.js';
import {groundLabel} from '../lib/care_group.js';
import {loadDefinition as loadForm} from '../lib/forms.js';
import {scoreText, txt} from '../lib/formtext.js';
import {roman, stayLabel} from '../lib/labels.js';
import {absenceLabel, postLabel, recipientLabel, stayEventLabel} from '../lib/office_labels.js';

const PRINT_LANGUAGES = [['ru', 'Русский'], ['zh_Hans', '中文'], ['en', 'English']];

const decisionReason = (reason) => ({initial: gettext('Initial assessment'), planned: gettext('Planned reassessment'),
  unplanned: gettext('Unplanned reassessment')}[reason] || '');

const changeLabel = (kind) => ({header: gettext('Header changed'), section: gettext('Section changed'),
  rehabilitation: gettext('Rehabilitation changed'), service_added: gettext('Service added'),
  service_removed: gettext('Service removed'), service_changed: gettext('Service changed'), row_added: gettext('Goal added'),
  row_removed: gettext('Goal removed'), row_changed: gettext('Goal changed')}[kind] || '');

/** «Ф.И.О., должность»: her name and the post recorded with what she did (none before posts were kept). */
const who = (name, post) => [name || '—', post ? postLabel(post) : null].filter(Boolean).join(', ');

function section(title, testid, items, empty) {
  return h('section', {class: 'stack', testid},
    h('h2', {class: 'section-title'}, title),
    items.length ? h('ul', {class: 'record-list'}, items) : h('p', {class: 'empty'}, empty));
}

export async function render(main, params) {
  const residentId = Number(params[0]);
  const view = h('section', {class: 'panel stack'});
  main.append(view);
  let file;
  try {
    file = await api.get(`/api/residents/${residentId}/file`);
  } catch (err) {
    view.append(h('h1', {}, gettext('Personal file')),
      h('p', {class: 'notice notice-bad', role: 'alert', testid: 'file-error'}, err.message || String(err)));
    return;
  }
  const r = file.resident;
  const forms = new Map();
  for (const id of new Set(file.assessments.map((a) => a.form_id))) forms.set(id, await loadForm(id).catch(() => null));

  const lang = h('select', {id: 'file-lang', class: 'input', testid: 'file-lang'},
    PRINT_LANGUAGES.map(([code, name]) => h('option', {value: code, selected: code === locale()}, name)));
  const pdfHref = () => withQuery(`/api/residents/${residentId}/file.pdf`, {lang: lang.value});
  const pdf = h('a', {class: 'btn btn-primary', href: pdfHref(), target: '_blank', rel: 'noopener', testid: 'file-pdf'},
    icon('⎙'), ' ', gettext('Print the personal file (PDF)'));
  lang.addEventListener('change', () => { pdf.href = pdfHref(); });
  const cardHref = (id) => withQuery(`/api/archive/cards/${id}.pdf`, {lang: lang.value});

  const facts = [format(gettext('Room %(room)s'), {room: `${r.room || '—'} / ${r.bed || '—'}`}), file.unit,
    r.care_group ? format(gettext('Care group %(group)s'), {group: roman(r.care_group)}) : gettext('Care group: not decided'),
    stayLabel(r.status),
    r.birth_date ? format(gettext('Born %(date)s'), {date: formatDate(r.birth_date)}) : null,
    r.admitted_on ? format(gettext('Admitted %(date)s'), {date: formatDate(r.admitted_on)}) : null].filter(Boolean);

  view.append(
    h('a', {href: `#/stay/${residentId}`, class: 'back-link'}, '‹ ', r.full_name),
    h('div', {class: 'panel-head'},
      h('div', {},
        h('h1', {testid: 'file-title'}, format(gettext('Personal file: %(name)s'), {name: r.full_name})),
        h('p', {class: 'sub', testid: 'file-facts'}, facts.join(' · ')),
        h('p', {class: 'sub', testid: 'file-categories'}, (r.categories || []).length
          ? r.categories.map(recipientLabel).join(' · ') : gettext('Category of service recipient: not recorded'))),
      h('div', {class: 'toolbar'},
        h('div', {class: 'field'}, h('label', {for: 'file-lang'}, gettext('Language of the copy')), lang), pdf)),

    section(gettext('Her stay'), 'file-stay', file.stay_events.map((e) => h('li', {class: 'record'},
      h('p', {class: 'record-head'}, h('strong', {}, formatDateTime(e.at)), ' · ',
        stayEventLabel(e.kind) + (e.absence ? ` (${absenceLabel(e.absence)})` : '') + (e.reason ? ` — ${e.reason}` : '')),
      h('p', {class: 'hint'}, e.recorded_by_name || '—'))), gettext('Nothing recorded.')),

    section(gettext('Assessments'), 'file-assessments', file.assessments.map((a) => {
      const form = forms.get(a.form_id);
      return h('li', {class: 'record', testid: `file-assessment-${a.id}`},
        h('p', {class: 'record-head'}, h('strong', {}, form ? txt(form.title) : gettext('Assessment')), ' · ',
          formatDate(a.day), ' · ', who(a.author_name, a.author_post)),
        a.score && form ? h('p', {class: 'values'}, scoreText(form, a.score)) : null);
    }), gettext('No assessment yet.')),

    section(gettext('Care-group decisions'), 'file-decisions', file.decisions.map((d) => h('li', {class: 'record',
      testid: `file-decision-${d.id}`},
    h('p', {class: 'record-head'}, h('strong', {}, format(gettext('Care group %(group)s'), {group: roman(d.group)})),
      ' · ', formatDate(d.decided_on), ' · ', decisionReason(d.reason), ' · ', who(d.decided_by_name, d.decided_by_post)),
    (d.grounds || []).length ? h('ul', {class: 'hint'}, d.grounds.map((g) => h('li', {}, groundLabel(g)))) : null,
    d.note ? h('p', {class: 'cell-note'}, d.note) : null)), gettext('No decision recorded yet.')),

    section(gettext('Care plan versions'), 'file-plan', file.plan_versions.map((v) => h('li', {class: 'record',
      testid: `file-version-${v.number}`},
    h('p', {class: 'record-head'}, h('a', {href: `#/plan/${residentId}/${v.number}`},
      format(gettext('Version %(n)s'), {n: v.number})), ` · ${formatDateTime(v.created_at)} · ${v.created_by_name || '—'}`),
    h('p', {class: 'hint'}, v.number === 1 ? gettext('First version') : v.changes.length
      ? v.changes.map((c) => (c.name ? `${changeLabel(c.change)}: ${c.name}` : changeLabel(c.change))).join('; ')
      : gettext('No differences.')),
    v.note ? h('p', {class: 'cell-note'}, v.note) : null)).reverse(), gettext('No plan yet.')),

    section(gettext('Closed care cards'), 'file-cards', file.closed_cards.map((c) => h('li', {class: 'record',
      testid: `file-card-${c.id}`},
    h('p', {class: 'record-head'}, h('strong', {}, formatMonth(c.month)), ' · ',
      format(gettext('closed %(when)s by %(name)s'), {when: formatDateTime(c.closed_at), name: c.closed_by_name || '—'}),
      ' ', h('a', {class: 'btn btn-small', href: cardHref(c.id), target: '_blank', rel: 'noopener'},
        format(gettext('PDF of %(month)s'), {month: formatMonth(c.month)}))))).reverse(),
    gettext('No closed card yet.')));
}
