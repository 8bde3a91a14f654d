// #/invitations (staff: supervisor, planner, activities, admin): invitation codes for relatives. Pick a unit and a
// resident, issue a code (shown once, big, with its expiry; copy or print it), see the resident's codes (open,
// used, expired, withdrawn — never the code again) and withdraw an open one; see the relatives who have an account
// for the resident and remove one (after a confirmation).
//
// data-testid: invite-unit, invite-resident, invite-days, invite-issue, invite-issued, invite-code, invite-expires,
//   invite-copy, invite-print, invite-address, invite-list, invite-row-<id> (data-status), invite-withdraw-<id>,
//   invite-withdrawn-by-<id>, invite-used-by-<id>, invite-error,
//   invite-empty, relatives-list, relative-<user_id>, relative-remove-<user_id>, relatives-empty, relatives-error
import {ApiError, OfflineError, api} from '../lib/api.js';
import {h, icon, mount} from '../lib/dom.js';
import {format, formatDateTime, gettext, ngettext} from '../lib/i18n.js';
import {confirmDialog, toast} from './dialogs.js';

const DAYS = [3, 7, 14, 30];
let chosenUnit = null;
let chosenResident = null;

const statusLabel = (s) => ({open: gettext('Valid'), used: gettext('Used'), expired: gettext('Expired'),
  withdrawn: gettext('Withdrawn')}[s] || s);
const statusChip = {open: 'chip-due', used: 'chip-done', expired: 'chip-upcoming', withdrawn: 'chip-not_done'};

/** The address a relative opens to use a code: this app's own, as the browser reached it. */
export const joinAddress = () => `${location.origin}/#/join`;

function message(err) {
  if (err instanceof OfflineError) return gettext('No connection to the server. Codes are issued online.');
  return (err && err.message) || gettext('Something went wrong.');
}

export async function render(main) {
  const error = h('p', {class: 'form-error', role: 'alert', hidden: true, testid: 'invite-error'});
  const view = h('section', {class: 'panel stack'}, h('h1', {}, gettext('Invitations for relatives')),
    h('p', {class: 'hint'}, gettext("A relative uses the code once to create an account that shows the resident's schedule, the home's events and recent activities — nothing medical.")), error);
  main.append(view);
  let residents;
  try {
    residents = await api.get('/api/invitations/residents');
  } catch (err) {
    error.textContent = message(err);
    error.hidden = false;
    return;
  }
  if (!residents.length) {
    view.append(h('p', {class: 'empty', testid: 'invite-empty'}, gettext('No residents.')));
    return;
  }
  const units = [...new Map(residents.map((r) => [r.unit_id, r.unit_name])).entries()];
  if (!units.some(([id]) => id === chosenUnit)) chosenUnit = units[0][0];
  const unitSelect = h('select', {id: 'invite-unit', class: 'input', testid: 'invite-unit'},
    units.map(([id, name]) => h('option', {value: String(id), selected: id === chosenUnit}, name)));
  const residentSelect = h('select', {id: 'invite-resident', class: 'input', testid: 'invite-resident'});
  const daysSelect = h('select', {id: 'invite-days', class: 'input', testid: 'invite-days'},
    DAYS.map((n) => h('option', {value: String(n), selected: n === 14},
      format(ngettext('%(n)s day', '%(n)s days', n), {n}))));
  const body = h('div', {class: 'stack'});

  function fillResidents() {
    const here = residents.filter((r) => r.unit_id === chosenUnit);
    if (!here.some((r) => r.id === chosenResident)) chosenResident = here.length ? here[0].id : null;
    mount(residentSelect, here.map((r) => h('option', {value: String(r.id), selected: r.id === chosenResident},
      r.full_name)));
  }

  let showing = 0;  // only the latest choice may draw: a slower reply for an earlier resident is dropped
  async function showResident(issued = null) {
    const turn = ++showing;
    error.hidden = true;
    if (!chosenResident) { mount(body); return; }
    let list;
    let relatives;
    try {
      [list, relatives] = await Promise.all([api.get('/api/invitations?resident_id=' + chosenResident),
        api.get(`/api/residents/${chosenResident}/relatives`).catch((err) => err)]);
    } catch (err) {
      if (turn !== showing) return;
      error.textContent = message(err);
      error.hidden = false;
      return;
    }
    if (turn !== showing) return;
    const issueButton = h('button', {type: 'button', class: 'btn btn-primary', testid: 'invite-issue'},
      icon('+'), ' ', gettext('Issue a code'));
    issueButton.addEventListener('click', async () => {
      issueButton.disabled = true;
      try {
        const made = await api.post('/api/invitations', {resident_id: chosenResident, days: Number(daysSelect.value)});
        await showResident(made);
      } catch (err) {
        error.textContent = message(err);
        error.hidden = false;
        issueButton.disabled = false;
      }
    });
    mount(body,
      h('div', {class: 'toolbar'}, h('div', {class: 'field'}, h('label', {for: 'invite-days'}, gettext('Valid for')),
        daysSelect), issueButton),
      issued ? issuedBox(issued) : null,
      h('h2', {class: 'section-title'}, gettext('Relatives with an account')),
      relativesList(relatives),
      h('h2', {class: 'section-title'}, gettext('Codes of this resident')),
      list.length ? h('table', {class: 'data-table', testid: 'invite-list'},
        h('thead', {}, h('tr', {}, h('th', {}, gettext('State')), h('th', {}, gettext('Issued')),
          h('th', {}, gettext('Expires')), h('th', {}, gettext('Used by')), h('th', {}, h('span', {class: 'visually-hidden'},
            gettext('Actions'))))),
        h('tbody', {}, list.map((i) => row(i))))
        : h('p', {class: 'empty'}, gettext('No codes issued yet.')));
  }

  /** The relatives linked to the resident, each with Remove (after a confirmation). */
  function relativesList(relatives) {
    if (!Array.isArray(relatives)) {
      return h('p', {class: 'form-error', testid: 'relatives-error'}, message(relatives));
    }
    if (!relatives.length) return h('p', {class: 'empty', testid: 'relatives-empty'}, gettext('No relative has an account yet.'));
    return h('ul', {class: 'org-list', testid: 'relatives-list'}, relatives.map((r) => h('li', {class: 'org-item',
      testid: 'relative-' + r.user_id},
    h('span', {class: 'org-item-name'}, h('strong', {}, r.full_name), ' ',
      h('span', {class: 'muted'}, format(gettext('User name: %(username)s'), {username: r.username}))),
    h('button', {type: 'button', class: 'btn btn-small btn-danger', testid: 'relative-remove-' + r.user_id,
      onclick: async () => {
        const ok = await confirmDialog(format(gettext('Remove %(name)s?'), {name: r.full_name}),
          gettext('This relative\'s account will no longer show anything about the resident.'),
          gettext('Remove'));
        if (!ok) return;
        try {
          await api.del(`/api/residents/${chosenResident}/relatives/${r.user_id}`);
          toast(gettext('The relative was removed.'));
          await showResident();
        } catch (err) {
          error.textContent = message(err);
          error.hidden = false;
        }
      }}, gettext('Remove')))));
  }

  function row(i) {
    const withdraw = i.status === 'open' ? h('button', {type: 'button', class: 'btn btn-small btn-danger',
      testid: 'invite-withdraw-' + i.id}, gettext('Withdraw')) : null;
    if (withdraw) {
      withdraw.addEventListener('click', async () => {
        const ok = await confirmDialog(gettext('Withdraw this code?'),
          gettext('Nobody will be able to use it any more. Accounts already made with other codes stay.'),
          gettext('Withdraw'));
        if (!ok) return;
        try {
          await api.post('/api/invitations/' + i.id + '/withdraw');
          toast(gettext('The code was withdrawn.'));
          await showResident();
        } catch (err) {
          error.textContent = err instanceof ApiError || err instanceof OfflineError ? message(err) : String(err);
          error.hidden = false;
        }
      });
    }
    // who withdrew a code is said beside its state: 'Used by' names only the relative who used it
    const withdrawnBy = i.status === 'withdrawn' && i.withdrawn_by_name ? i.withdrawn_by_name : '';
    const who = i.status === 'used' ? i.used_by_name : '';
    return h('tr', {testid: 'invite-row-' + i.id, dataset: {status: i.status}},
      h('td', {}, h('span', {class: 'chip ' + (statusChip[i.status] || '')}, statusLabel(i.status)),
        withdrawnBy ? [h('br'), h('span', {class: 'muted', testid: 'invite-withdrawn-by-' + i.id},
          format(gettext('Withdrawn by %(name)s'), {name: withdrawnBy}))] : null),
      h('td', {}, formatDateTime(i.created_at), h('br'), h('span', {class: 'muted'}, i.created_by_name || '')),
      h('td', {}, formatDateTime(i.expires_at)),
      h('td', {testid: 'invite-used-by-' + i.id}, who || '—'),
      h('td', {}, withdraw));
  }

  function issuedBox(made) {
    const copy = h('button', {type: 'button', class: 'btn', testid: 'invite-copy'}, gettext('Copy'));
    copy.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(made.code);
        toast(gettext('Copied.'));
      } catch (_) {
        toast(gettext('Copying is not allowed here: write the code down.'));
      }
    });
    const print = h('button', {type: 'button', class: 'btn', testid: 'invite-print', onclick: () => window.print()},
      gettext('Print'));
    const resident = residents.find((r) => r.id === made.resident_id);
    return h('div', {class: 'notice', role: 'status', testid: 'invite-issued'},
      h('p', {}, format(gettext('The code for relatives of %(name)s:'), {name: resident ? resident.full_name : ''})),
      h('p', {class: 'invite-code', testid: 'invite-code', lang: 'en'}, made.code),
      h('p', {testid: 'invite-expires'}, format(gettext('Valid until %(time)s. It is shown only now: give it to the relative (on paper or by message). They open this app and choose "I have an invitation code".'),
      {time: formatDateTime(made.expires_at)})),
      // the printed slip says where to open the app: this server's own address
      h('p', {testid: 'invite-address'}, format(gettext('Open %(address)s and enter the code.'),
        {address: joinAddress()})),
      h('div', {class: 'button-row'}, copy, print));
  }

  unitSelect.addEventListener('change', () => {
    chosenUnit = Number(unitSelect.value);
    fillResidents();
    showResident();
  });
  residentSelect.addEventListener('change', () => {
    chosenResident = Number(residentSelect.value);
    showResident();
  });
  fillResidents();
  view.append(h('div', {class: 'toolbar'},
    units.length > 1 ? h('div', {class: 'field'}, h('label', {for: 'invite-unit'}, gettext('Unit')), unitSelect) : null,
    h('div', {class: 'field'}, h('label', {for: 'invite-resident'}, gettext('Resident')), residentSelect)), body);
  await showResident();
}
