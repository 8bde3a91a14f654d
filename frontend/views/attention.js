// Needs attention: entries the server refused, and entries still waiting. Nothing is dropped silently.
import {getAll} from '../lib/db.js';
import {h, icon, mount} from '../lib/dom.js';
import {format, formatDate, formatTime, gettext} from '../lib/i18n.js';
import {kindLabel, rejectionLabel} from '../lib/labels.js';
import {onAnyChange, retry, rows} from '../lib/outbox.js';
import {loadDefinition} from '../lib/formdefs.js';
import {questionLabel, txt} from '../lib/formtext.js';

/** Why the server did not take an entry, in words: its code where known, else what kind of answer it was. An entry
 * held after the server refused or failed on it sent alone keeps that answer (lib/outbox.js noteLoneFailure). */
function reasonText(o) {
  const known = rejectionLabel(o.reason);
  if (!o.answer || (known && known !== o.reason)) return known;
  if (o.answer.status >= 500) return gettext('The server failed on this entry each time it was sent.');
  if (o.answer.status === 413) return gettext('The entry is too large for the server.');
  return gettext('The server did not accept this entry.');
}

export async function render(main) {
  const list = h('div', {});
  main.append(h('section', {class: 'panel'},
    h('div', {class: 'panel-head'}, h('h1', {}, gettext('Needs attention')),
      h('p', {class: 'sub'}, gettext('Entries the server did not accept stay here until someone looks at them. They are never deleted automatically.'))),
    list));

  let ticket = 0;
  async function fill() {
    const mine = ++ticket;
    const [{rejected, pending}, residents] = await Promise.all([rows(), getAll('residents')]);
    if (mine !== ticket) return;
    const names = new Map(residents.map((r) => [r.id, r.full_name]));
    // Assessments: the form's title, and each refused field as its question ("12. Label").
    const forms = new Map();
    for (const o of [...rejected, ...pending]) {
      if (o.entry.kind === 'assessment' && !forms.has(o.entry.category)) {
        forms.set(o.entry.category, await loadDefinition(o.entry.category).catch(() => null));
      }
    }
    if (mine !== ticket) return;
    const kindOf = (e) => (e.kind === 'assessment' && forms.get(e.category)
      ? `${kindLabel(e.kind)}: ${txt(forms.get(e.category).title)}` : kindLabel(e.kind));
    const fieldName = (e, k) => (e.kind === 'assessment' ? questionLabel(forms.get(e.category), k) : k);
    const row = (o) => h('li', {class: ['record', o.state === 'rejected' && 'record-bad'], testid: `attention-item-${o.id}`},
      h('p', {class: 'record-head'}, h('strong', {}, kindOf(o.entry)), ' · ',
        names.get(o.entry.resident_id) || format(gettext('Resident %(id)s'), {id: o.entry.resident_id}), ' · ',
        formatDate(o.entry.day, {day: 'numeric', month: 'short'}), ' ', formatTime(o.entry.device_time)),
      o.state === 'rejected' ? h('p', {class: 'notice notice-bad', testid: 'attention-reason'}, icon('⚠'), ' ',
        reasonText(o)) : null,
      o.state === 'rejected' && o.answer ? h('p', {class: 'hint', testid: 'attention-answer'},
        format(gettext('The server answered %(status)s: %(message)s'), {status: o.answer.status,
          message: o.answer.message || o.answer.code})) : null,
      o.fields && Object.keys(o.fields).length ? h('ul', {class: 'field-list'},
        Object.entries(o.fields).map(([k, v]) => h('li', {testid: `attention-field-${k}`},
          o.entry.kind === 'assessment' && k.startsWith('values.') ? h('strong', {}, fieldName(o.entry, k))
            : h('code', {}, k), ': ', String(v)))) : null,
      o.last_error ? h('p', {class: 'hint'}, format(gettext('Attempts: %(n)s, last problem: %(error)s'),
        {n: o.attempts || 0, error: o.last_error})) : null,
      o.state === 'rejected' ? h('button', {type: 'button', class: 'btn btn-small', testid: 'btn-retry', onclick: async () => {
        await retry(o.id);
        fill();
      }}, icon('⟳'), ' ', gettext('Send again')) : null);
    mount(list,
      h('h2', {class: 'section-title'}, gettext('Not accepted by the server')),
      rejected.length ? h('ul', {class: 'record-list'}, rejected.map(row))
        : h('p', {class: 'empty'}, icon('✓'), ' ', gettext('Nothing needs attention.')),
      h('h2', {class: 'section-title'}, gettext('Waiting to be sent')),
      pending.length ? h('ul', {class: 'record-list'}, pending.map(row))
        : h('p', {class: 'empty'}, icon('✓'), ' ', gettext('All entries have been sent.')));
  }
  await fill();
  return onAnyChange(() => fill());
}
