// #/region: the inspector's screen (issue 18, section 3): her region's month by provider -- people served, family
// care beds, visits planned / delivered / verified and the share verified, flags, alarm acknowledgement times,
// satisfaction against the 95 % target, follow-up calls confirmed, blocked carers -- the settlement (资金结算) as a
// CSV download and its totals by funding source on demand, and the carers she blocks and unblocks. Online only;
// every time is the home's clock (lib/i18n.js). The figures' rules: backend/domain/region_month.py.
//
// data-testid: region-month, region-name, region-error, region-body, region-table, region-provider-<home id>,
//   region-total, region-verified-<home id|total>, region-satisfaction-note, region-csv, region-settlement-show,
//   region-settlement, region-settlement-<funding|none>, region-blocked, region-blocked-<block id>,
//   region-unblock-<carer id>, region-block-<home id>, dialog-block (block-carer, block-reason)
import {api, withQuery} from '../lib/api.js';
import {h, icon, mount} from '../lib/dom.js';
import {flagText} from '../lib/dispatch_text.js';
import {clearErrors, field, problem, selectInput, sent, setError} from '../lib/fields.js';
import {format, formatDateTime, formatMonth, formatNumber, gettext, intlLocale, locale, ngettext}
  from '../lib/i18n.js';
import {monthSelect} from '../lib/monthselect.js';
import {today} from '../lib/session.js';
import {openDialog, toast} from './dialogs.js';

const chosen = {month: null};
const DASH = '—';

const percent = (value) => (value === null || value === undefined ? DASH
  : formatNumber(value, {style: 'percent', maximumFractionDigits: 1}));
const number = (value) => (value === null || value === undefined ? DASH
  : formatNumber(value, {maximumFractionDigits: 1}));

/** An amount the server sends as exact decimal text ('1234.50'), in her language's digits, never through a float. */
function money(text) {
  const [whole, fraction] = String(text).split('.');
  const decimal = (new Intl.NumberFormat(intlLocale()).formatToParts(1.5).find((p) => p.type === 'decimal') || {})
    .value || '.';
  return formatNumber(BigInt(whole)) + (fraction ? decimal + fraction : '');
}

function fundingText(code) {
  if (!code) return gettext('no contract in force');
  return ({government: gettext('Government-funded'), ltc_insurance: gettext('Long-term care insurance'),
    self_pay: gettext('Self-paid'), mixed: gettext('Mixed funding')})[code] || code;
}

export async function render(main) {
  const error = h('p', {class: 'form-error', role: 'alert', hidden: true, testid: 'region-error'});
  const name = h('p', {class: 'hint', testid: 'region-name'});
  const section = h('section', {class: 'panel stack'}, h('h1', {}, gettext('Home care in the region')), name, error);
  main.append(section);
  const max = today().slice(0, 7);
  const month = monthSelect({id: 'region-month', testid: 'region-month', value: chosen.month || max, max});
  const csv = h('a', {class: 'btn', testid: 'region-csv', download: ''}, icon('⤓'), ' ',
    gettext('Settlement (CSV)'));
  const body = h('div', {class: 'stack', testid: 'region-body', 'aria-live': 'polite'});
  section.append(h('div', {class: 'toolbar'}, field({}, 'month', gettext('Month'), month),
    h('div', {class: 'button-row'}, csv)), body);
  month.addEventListener('change', () => { chosen.month = month.value; draw(); });

  let asked = 0;  // only the latest question's answer is drawn
  async function draw() {
    const mine = ++asked;
    chosen.month = month.value;
    csv.setAttribute('href', withQuery('/api/region/settlement', {month: month.value, format: 'csv',
      lang: locale()}));
    try {
      const data = await api.get(withQuery('/api/region/month', {month: month.value}));
      if (mine !== asked) return;
      name.textContent = format(gettext('%(region)s, %(month)s'), {region: data.region.name,
        month: formatMonth(`${month.value}-01`)});
      mount(body, monthTable(data), satisfactionNote(data), settlementPart(month.value),
        blockedPart(data, draw));
      error.hidden = true;
    } catch (err) {
      if (mine !== asked) return;
      error.textContent = problem(err);
      error.hidden = false;
      mount(body);
    }
  }
  await draw();
}

// --- the month by provider --------------------------------------------------------------------------------------

function flagsCell(flags) {
  const found = Object.entries(flags || {}).filter(([, n]) => n > 0);
  if (!found.length) return DASH;
  return h('ul', {class: 'record-list'}, found.map(([flag, n]) => h('li', {},
    format(gettext('%(flag)s: %(n)s'), {flag: flagText(flag), n: formatNumber(n)}))));
}

function alarmCell(a) {
  if (!a.alarms) return gettext('no alarms');
  const parts = [format(gettext('%(median)s / %(p90)s min'), {median: number(a.median_minutes),
    p90: number(a.p90_minutes)})];
  const open = a.alarms - a.acknowledged;
  if (open) {
    parts.push(h('br'), h('span', {class: 'hint'}, format(ngettext('%(n)s not acknowledged',
      '%(n)s not acknowledged', open), {n: open})));
  }
  return parts;
}

function followUpCell(f) {
  if (!f.made) return gettext('no calls');
  return [format(gettext('%(a)s of %(b)s'), {a: formatNumber(f.confirmed), b: formatNumber(f.made)}), ' (',
    percent(f.share_confirmed), ')'];
}

/** The share satisfied of the month's questionnaires (a visit's latest), how many, and the target met or not (in
 * words and a mark: never colour alone). */
function satisfactionCell(s) {
  if (!s.available) return gettext('not recorded');
  return [percent(s.share), ' ', h('span', {class: 'hint'}, '(', format(gettext('%(a)s of %(b)s'),
    {a: formatNumber(s.satisfied), b: formatNumber(s.n)}), ')'), h('br'),
  s.met ? [icon('✓'), ' ', gettext('target met')] : h('span', {class: 'tag tag-warn'}, icon('✗'), ' ',
    gettext('below the target'))];
}

function row(key, label, f, header) {
  const v = f.visits;
  return h('tr', {testid: key === 'total' ? 'region-total' : `region-provider-${key}`},
    h('th', {scope: 'row'}, header ? h('strong', {}, label) : label),
    h('td', {}, formatNumber(f.people_served)), h('td', {}, formatNumber(f.family_beds)),
    h('td', {}, formatNumber(v.planned), v.cancelled ? [h('br'), h('span', {class: 'hint'},
      format(ngettext('%(n)s cancelled', '%(n)s cancelled', v.cancelled), {n: v.cancelled}))] : null),
    h('td', {}, formatNumber(v.delivered)), h('td', {}, formatNumber(v.verified)),
    h('td', {testid: `region-verified-${key}`}, percent(v.share_verified)),
    h('td', {}, flagsCell(f.flags)), h('td', {}, alarmCell(f.alarms)),
    h('td', {}, satisfactionCell(f.satisfaction)), h('td', {}, followUpCell(f.follow_up)),
    h('td', {}, formatNumber(f.blocked.count)));
}

function monthTable(data) {
  if (!data.providers.length) return h('p', {class: 'empty'}, gettext('No provider of home care in the region.'));
  const target = percent(data.satisfaction_target);
  const heads = [gettext('Provider'), gettext('People served'), gettext('Family care beds'),
    gettext('Visits planned'), gettext('Visits delivered'), gettext('Visits verified'), gettext('Share verified'),
    gettext('Flags'), gettext('Alarm acknowledgement, min: median / 90th percentile'),
    format(gettext('Satisfaction (target %(target)s)'), {target}), gettext('Follow-up calls confirmed'),
    gettext('Blocked carers')];
  // a wide table scrolls within its frame (focusable: a keyboard scrolls it too), never the page
  return [h('h2', {class: 'section-title', id: 'region-table-title'}, gettext('The month by provider')),
    h('div', {class: 'archive-scroll', tabindex: '0', role: 'region', 'aria-labelledby': 'region-table-title'},
      h('table', {class: 'data-table', testid: 'region-table', 'aria-labelledby': 'region-table-title'},
        h('thead', {}, h('tr', {}, heads.map((text) => h('th', {scope: 'col'}, text)))),
        h('tbody', {}, data.providers.map((p) => row(p.home_id, p.name, p))),
        h('tfoot', {}, row('total', gettext('The region'), data.total, true))))];
}

function satisfactionNote(data) {
  if (data.total.satisfaction.available) {
    return h('p', {class: 'hint', testid: 'region-satisfaction-note'},
      gettext('Satisfaction: the share of the month\'s home care satisfaction questionnaires, asked in the follow-up calls, in which the person or her family was satisfied. A visit counts once, with its latest questionnaire.'));
  }
  return h('p', {class: 'notice', testid: 'region-satisfaction-note'},
    gettext('Satisfaction is not available: no home care satisfaction questionnaire was recorded in the follow-up calls about this month\'s visits. The confirmed follow-up calls stand beside it, not in its place.'));
}

// --- the settlement --------------------------------------------------------------------------------------------

function settlementPart(monthValue) {
  const out = h('div', {testid: 'region-settlement'});
  const show = h('button', {type: 'button', class: 'btn', testid: 'region-settlement-show', onclick: async () => {
    show.disabled = true;
    try {
      const data = await api.get(withQuery('/api/region/settlement', {month: monthValue}));
      mount(out, settlementTable(data));
      show.remove();
    } catch (err) {
      mount(out, h('p', {class: 'form-error', role: 'alert'}, problem(err)));
      show.disabled = false;
    }
  }}, gettext('Show the settlement\'s totals'));
  return h('section', {class: 'stack', 'aria-labelledby': 'region-settlement-title'},
    h('h2', {class: 'section-title', id: 'region-settlement-title'}, gettext('Settlement by funding source')),
    h('p', {class: 'hint'},
      gettext('Verified visits only are billed; the others are listed apart in the CSV with what they lack.')),
    show, out);
}

function settlementTable(data) {
  const t = data.total;
  if (!t.rows.length && !t.unverified) return h('p', {class: 'empty'}, gettext('No visits in this month.'));
  return [
    h('table', {class: 'data-table'},
      h('thead', {}, h('tr', {}, [gettext('Funding'), gettext('Visits'), gettext('Minutes'), gettext('Amount')]
        .map((text) => h('th', {scope: 'col'}, text)))),
      h('tbody', {}, t.rows.map((r) => h('tr', {testid: `region-settlement-${r.funding || 'none'}`},
        h('th', {scope: 'row'}, fundingText(r.funding)), h('td', {}, formatNumber(r.visits)),
        h('td', {}, formatNumber(r.minutes)), h('td', {}, money(r.amount))))),
      h('tfoot', {}, h('tr', {}, h('th', {scope: 'row'}, gettext('The region')),
        h('td', {}, formatNumber(t.visits)), h('td', {}, formatNumber(t.minutes)), h('td', {}, money(t.amount))))),
    h('p', {class: 'hint'}, format(ngettext('%(n)s visit not verified, not billed.',
      '%(n)s visits not verified, not billed.', t.unverified), {n: t.unverified}))];
}

// --- blocked carers (黑名单) ----------------------------------------------------------------------------------

function blockLine(b, providerName, reload) {
  const when = format(gettext('blocked %(time)s by %(name)s: %(reason)s'), {time: formatDateTime(b.blocked_at),
    name: b.blocked_by_name || DASH, reason: b.reason});
  const lifted = b.lifted_at ? format(gettext('lifted %(time)s by %(name)s'), {time: formatDateTime(b.lifted_at),
    name: b.lifted_by_name || DASH}) : null;
  return h('li', {testid: `region-blocked-${b.id}`},
    h('p', {}, h('strong', {}, b.carer_name || DASH), ' · ', providerName),
    h('p', {}, icon('⊘'), ' ', when), lifted ? h('p', {class: 'hint'}, lifted) : null,
    b.standing ? h('button', {type: 'button', class: 'btn btn-small', testid: `region-unblock-${b.carer_id}`,
      onclick: async (event) => {
        event.currentTarget.disabled = true;
        try {
          await api.post(`/api/region/carers/${b.carer_id}/unblock`);
          toast(gettext('The block is lifted: the carer may be assigned again.'));
        } catch (err) {
          toast(problem(err));
        }
        reload();
      }}, gettext('Lift the block')) : null);
}

function blockDialog(provider) {
  const free = provider.carers.filter((c) => !c.blocked);
  return openDialog({title: format(gettext('Block a carer of %(provider)s'), {provider: provider.name}),
    testid: 'dialog-block', saveLabel: gettext('Block'), build: () => {
      const msgs = {};
      const carer = selectInput('block-carer', free.map((c) => [c.id, c.full_name]), free.length ? free[0].id : null);
      const reason = h('textarea', {id: 'block-reason', class: 'input', testid: 'block-reason', rows: 3,
        maxlength: 1000, 'aria-required': 'true'});
      return {body: [field(msgs, 'carer', gettext('Carer'), carer), field(msgs, 'reason', gettext('Reason'), reason),
        h('p', {class: 'hint'}, gettext('A blocked carer cannot be assigned; her station head reassigns her visits.'))],
      onSave: async () => {
        clearErrors(msgs);
        if (!reason.value.trim()) {
          setError(msgs, 'reason', gettext('A reason is required.'));
          reason.focus();
          return false;
        }
        if (!(await sent(msgs, () =>
          api.post(`/api/region/carers/${carer.value}/block`, {reason: reason.value.trim()})))) return false;
        toast(gettext('The carer is blocked.'));
        return true;
      }};
    }});
}

function blockedPart(data, reload) {
  const names = new Map(data.providers.map((p) => [p.home_id, p.name]));
  const blocks = data.total.blocked.carers;
  return h('section', {class: 'stack', testid: 'region-blocked', 'aria-labelledby': 'region-blocked-title'},
    h('h2', {class: 'section-title', id: 'region-blocked-title'}, gettext('Blocked carers')),
    blocks.length ? h('ul', {class: 'record-list'}, blocks.map((b) => blockLine(b, names.get(b.home_id) || '',
      reload)))
      : h('p', {class: 'empty'}, gettext('No carer was blocked in this month.')),
    h('div', {class: 'button-row'}, data.providers.filter((p) => p.carers.some((c) => !c.blocked)).map((p) =>
      h('button', {type: 'button', class: 'btn', testid: `region-block-${p.home_id}`, onclick: async () => {
        if (await blockDialog(p)) reload();
      }}, format(gettext('Block a carer of %(provider)s'), {provider: p.name})))));
}
