// A care plan's versions and what changed between two of them, in words: the plan screen's lower part
// (views/plan.js), a component of it rather than a screen.
import {api, withQuery} from './api.js';
import {h, mount} from './dom.js';
import {format, formatDate, formatDateTime, gettext} from './i18n.js';
import {measureLabel, roman} from './labels.js';
import {categoryLabel, sectionName} from './office_labels.js';
import {periodicityLabel} from './periodicity.js';

/** The version list and the comparison of two; `problem(err)` words a failed request. */
export function versionsPanel(residentId, versions, problem) {
  const diffBox = h('div', {testid: 'plan-diff', 'aria-live': 'polite'});
  if (!versions.length) return h('div', {});
  const options = (selected) => versions.map((v) => h('option', {value: String(v.number), selected: v.number === selected},
    format(gettext('Version %(n)s'), {n: v.number})));
  const from = h('select', {id: 'compare-from', class: 'input', testid: 'compare-from'}, options(versions[1] ? versions[1].number : versions[0].number));
  const to = h('select', {id: 'compare-to', class: 'input', testid: 'compare-to'}, options(versions[0].number));
  return h('div', {testid: 'plan-versions'},
    h('h2', {class: 'section-title'}, gettext('Versions')),
    h('ul', {class: 'record-list'}, versions.map((v) => h('li', {class: 'record', testid: `version-${v.number}`},
      h('a', {href: `#/plan/${residentId}/${v.number}`}, format(gettext('Version %(n)s'), {n: v.number})),
      ` · ${formatDateTime(v.created_at)} · ${v.created_by_name || '—'}`, v.note ? h('p', {class: 'hint'}, v.note) : null))),
    versions.length > 1 ? h('div', {class: 'toolbar'},
      h('div', {class: 'field'}, h('label', {for: 'compare-from'}, gettext('Compare version')), from),
      h('div', {class: 'field'}, h('label', {for: 'compare-to'}, gettext('with version')), to),
      h('button', {type: 'button', class: 'btn', testid: 'btn-compare', onclick: async () => {
        try {
          const [a, b] = [Number(from.value), Number(to.value)];
          const [diff, va, vb] = await Promise.all([api.get(withQuery(`/api/care-plans/${residentId}/diff`, {from: a, to: b})),
            api.get(`/api/care-plans/${residentId}/versions/${a}`), api.get(`/api/care-plans/${residentId}/versions/${b}`)]);
          mount(diffBox, diffView(diff, va.content, vb.content));
        } catch (err) { mount(diffBox, h('p', {class: 'notice notice-bad'}, problem(err))); }
      }}, gettext('Compare'))) : null,
    diffBox);
}

const FIELD_LABELS = () => ({
  care_group: gettext('Care group'), 'ippsu.number': gettext('IPPSU No.'), 'ippsu.date': gettext('IPPSU dated'),
  'ipra.number': gettext('IPRA No.'), 'ipra.date': gettext('IPRA dated'),
  pressure_ulcer_points: gettext('Pressure-ulcer risk, points'), fall_risk_points: gettext('Fall risk, points'),
  pain: gettext('Presence of pain'), current_state: gettext('Current condition'), physical: gettext('Physical condition'),
  psychological: gettext('Psychological condition'), social: gettext('Social life, contacts'),
  service_type: gettext('Type of social service from the IPPSU'), measures_type: gettext('Type of measures under the IPRA'),
  conclusion: gettext('Conclusion on rehabilitation'), term: gettext('Term'), name: gettext('Name of the service'),
  volume: gettext('Volume'), periodicity: gettext('Periodicity'), 'term.from': gettext('Term: from'), 'term.to': gettext('Term: to'),
  on_card: gettext('On the care card'), category: gettext('Category on the card'), instructions: gettext('Instructions for the nurse'),
  measures: gettext('Measures'), problem: gettext('Problem or resource'), goal: gettext('Goal'),
  set_on: gettext('Date the goal was set'), review_on: gettext('Date of review'), section: gettext('Section'),
});

function show(field, value) {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? gettext('yes') : gettext('no');
  if (field === 'category') return categoryLabel(value);
  if (field === 'section') return sectionName(value);
  if (field === 'care_group') return roman(value);
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\d$/.test(value)) return formatDate(value, {dateStyle: 'medium'});
  if (Array.isArray(value)) return value.map((v) => (field === 'measures' ? measureLabel(v) : v)).join(', ');
  return String(value);
}

function services(content) {
  const out = {};
  for (const s of content.sections) for (const svc of s.services) out[svc.id] = svc;
  return out;
}

/** The changes in words: periodicity shown whole, as the planner would say it. */
export function diffView(diff, before, after) {
  if (!diff.changes.length) return h('p', {class: 'empty'}, gettext('No differences.'));
  const labels = FIELD_LABELS();
  const [old, now] = [services(before), services(after)];
  const fieldLines = (change) => {
    const lines = [];
    let periodicity = false;
    for (const f of change.fields || []) {
      if (f.field.startsWith('periodicity.')) {
        if (periodicity) continue;
        periodicity = true;
        const a = old[change.id] ? periodicityLabel(old[change.id].periodicity) : '—';
        const b = now[change.id] ? periodicityLabel(now[change.id].periodicity) : '—';
        lines.push(h('li', {}, `${labels.periodicity}: `, change.change.endsWith('added') ? b : h('span', {}, h('del', {}, a), ' → ', h('ins', {}, b))));
        continue;
      }
      const label = labels[f.field] || f.field;
      lines.push(h('li', {}, `${label}: `, change.change.endsWith('added') ? show(f.field, f.new)
        : h('span', {}, h('del', {}, show(f.field, f.old)), ' → ', h('ins', {}, show(f.field, f.new)))));
    }
    return lines.length ? h('ul', {}, lines) : null;
  };
  const title = (c) => {
    const where = c.section ? sectionName(c.section) : '';
    switch (c.change) {
      case 'header': return gettext('Header');
      case 'section': case 'rehabilitation': return where;
      case 'service_added': return format(gettext('Service added: %(name)s'), {name: c.name});
      case 'service_removed': return format(gettext('Service removed: %(name)s'), {name: c.name});
      case 'service_changed': return format(gettext('Service changed: %(name)s'), {name: c.name});
      case 'row_added': return format(gettext('Goal added: %(name)s'), {name: c.name});
      case 'row_removed': return format(gettext('Goal removed: %(name)s'), {name: c.name});
      case 'row_changed': return format(gettext('Goal changed: %(name)s'), {name: c.name});
      default: return c.change;
    }
  };
  return h('div', {},
    h('h3', {class: 'plan-subtitle'}, format(gettext('From version %(a)s to version %(b)s'), {a: diff.from, b: diff.to})),
    h('ul', {class: 'record-list'}, diff.changes.map((c) => h('li', {class: 'record', testid: 'diff-change', dataset: {change: c.change}},
      h('strong', {}, title(c)), c.section && !['section', 'rehabilitation'].includes(c.change) ? h('p', {class: 'hint'}, sectionName(c.section)) : null,
      fieldLines(c)))));
}

