// #/import (administrator): staff or residents from a CSV file (services/onboarding.py). Download a template (its
// header row in Russian, Chinese or English), choose the file, check it (a dry run lists every problem by line and
// column; nothing is written), then import (every row at once, only when all are valid; rows already held are
// left as they are). New staff's one-time passwords are shown once, to print or hand over.
//
// data-testid: import-kind-<staff|residents>, import-template-<ru|zh_Hans|en>, import-file, import-encoding,
//   import-check, import-run, import-error, import-summary (data-valid), import-problems, import-problem-<n>,
//   import-result, import-accounts, import-account-<username>
import {ApiError, api} from '../lib/api.js';
import {h, icon, mount} from '../lib/dom.js';
import {field, problem, selectInput} from '../lib/fields.js';
import {LANGUAGE_NAMES, LOCALES, format, gettext, locale, ngettext} from '../lib/i18n.js';
import {roleLabel} from '../lib/labels.js';
import {toast} from './dialogs.js';

/** A file's text: UTF-8 when it is (with or without a BOM), else the encoding chosen (Excel's "CSV" is cp1251 on a
 * Russian Windows, GB18030 on a Chinese one). */
export function decode(bytes, fallback) {
  try {
    return new TextDecoder('utf-8', {fatal: true}).decode(bytes).replace(/^\ufeff/, '');
  } catch (_) {
    return new TextDecoder(fallback).decode(bytes);
  }
}

export async function render(main) {
  let kind = 'staff';
  let text = null;
  let checked = null;
  const error = h('p', {class: 'form-error', role: 'alert', hidden: true, testid: 'import-error'});
  const out = h('div', {});
  const kinds = h('div', {class: 'lang-picker', role: 'group', 'aria-label': gettext('What to import')},
    ['staff', 'residents'].map((k) => h('button', {type: 'button', class: 'choice', testid: `import-kind-${k}`,
      'aria-pressed': String(k === kind), onclick: (event) => {
        kind = k;
        for (const b of kinds.children) b.setAttribute('aria-pressed', String(b === event.currentTarget));
        drawTemplates();
        reset();
      }}, k === 'staff' ? gettext('Staff') : gettext('Residents'))));
  const templates = h('p', {class: 'hint'});
  const drawTemplates = () => mount(templates, gettext('Template:'), ' ', LOCALES.map((code) => [h('a', {
    href: `/api/import/${kind}/template.csv?lang=${code}`, download: `bedside-${kind}-${code}.csv`, class: 'btn btn-small',
    testid: `import-template-${code}`, lang: code.replace('_', '-')}, LANGUAGE_NAMES[code]), ' ']));
  const file = h('input', {type: 'file', id: 'import-file', class: 'input', accept: '.csv,text/csv,text/plain',
    testid: 'import-file'});
  const encoding = selectInput('import-encoding', [['windows-1251', gettext('Cyrillic (Windows-1251)')],
    ['gb18030', gettext('Chinese (GB 18030)')]], locale() === 'zh_Hans' ? 'gb18030' : 'windows-1251');
  const check = h('button', {type: 'button', class: 'btn btn-primary', testid: 'import-check', disabled: true},
    icon('✓'), ' ', gettext('Check the file'));
  const run = h('button', {type: 'button', class: 'btn', testid: 'import-run', disabled: true},
    icon('⇪'), ' ', gettext('Import'));
  const fail = (message) => { error.textContent = message; error.hidden = false; };

  function reset() {
    checked = null;
    run.disabled = true;
    check.disabled = text === null;
    error.hidden = true;
    mount(out);
  }

  async function readFile() {
    text = null;
    reset();
    const chosen = file.files && file.files[0];
    if (!chosen) return;
    if (chosen.size > 2_000_000) { fail(gettext('The file is larger than 2 MB.')); return; }
    text = decode(new Uint8Array(await chosen.arrayBuffer()), encoding.value);
    check.disabled = false;
  }
  file.addEventListener('change', readFile);
  encoding.addEventListener('change', readFile);

  function problemsTable(result) {
    if (!result.problems.length) return null;
    return h('table', {class: 'data-table', testid: 'import-problems'},
      h('caption', {}, format(ngettext('%(n)s problem', '%(n)s problems', result.problems.length),
        {n: result.problems.length})),
      h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, gettext('Line')), h('th', {scope: 'col'}, gettext('Column')),
        h('th', {scope: 'col'}, gettext('Problem')))),
      h('tbody', {}, result.problems.map((p, i) => h('tr', {testid: `import-problem-${i}`},
        h('td', {}, String(p.line)), h('td', {}, p.column || '—'), h('td', {}, p.message)))));
  }

  function summary(result) {
    return h('p', {class: result.valid ? 'notice' : 'notice notice-warn', testid: 'import-summary',
      dataset: {valid: String(result.valid)}},
    result.valid
      ? format(gettext('The file is ready: %(new)s to add, %(same)s already here (left as they are).'),
        {new: result.to_create, same: result.unchanged})
      : gettext('Correct the file and check it again: nothing is imported until every line is right.'));
  }

  check.addEventListener('click', async () => {
    error.hidden = true;
    check.disabled = true;
    try {
      checked = await api.post(`/api/import/${kind}`, {csv: text, dry_run: true});
      run.disabled = !checked.valid || checked.to_create === 0;
      mount(out, summary(checked), problemsTable(checked));
    } catch (err) {
      fail(problem(err));
    } finally {
      check.disabled = false;
    }
  });

  run.addEventListener('click', async () => {
    if (!checked || !checked.valid) return;
    error.hidden = true;
    run.disabled = true;
    try {
      const result = await api.post(`/api/import/${kind}`, {csv: text, dry_run: false});
      toast(format(gettext('%(n)s added.'), {n: result.created}));
      mount(out, h('div', {testid: 'import-result'},
        h('p', {class: 'notice'}, format(gettext('Imported: %(new)s added, %(same)s already here.'),
          {new: result.created, same: result.unchanged})),
        result.accounts.length ? [
          h('h2', {class: 'section-title'}, gettext('One-time passwords')),
          h('p', {class: 'hint'}, gettext('Shown once. Hand each to its owner; she chooses her own password at her first sign-in.')),
          h('table', {class: 'data-table accounts-table', testid: 'import-accounts'},
            h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, gettext('Full name')),
              h('th', {scope: 'col'}, gettext('User name')), h('th', {scope: 'col'}, gettext('Roles')),
              h('th', {scope: 'col'}, gettext('One-time password')))),
            h('tbody', {}, result.accounts.map((a) => h('tr', {testid: `import-account-${a.username}`},
              h('td', {}, a.full_name), h('td', {}, a.username),
              h('td', {}, (a.roles && a.roles.length ? a.roles : [a.role]).map(roleLabel).join(', ')),
              h('td', {class: 'mono'}, a.temporary_password))))),
          h('button', {type: 'button', class: 'btn no-print', onclick: () => window.print()}, gettext('Print'))]
          : null));
      checked = null;
      text = null;
      file.value = '';
      check.disabled = true;
    } catch (err) {
      fail(problem(err));
      if (err instanceof ApiError && err.code === 'import_invalid') run.disabled = true;
    }
  });

  drawTemplates();
  main.append(h('section', {class: 'panel stack'},
    h('h1', {}, gettext('Import')),
    h('p', {class: 'hint'}, gettext('Staff and residents from a CSV file, with its first line as in the template (in any of the three languages).')),
    h('p', {class: 'hint'}, gettext('Several roles or units of one person go in one cell, separated by ";", her main role first; an empty unit cell: she works across the whole home.')),
    kinds, templates,
    field({}, 'file', gettext('CSV file'), file),
    field({}, 'encoding', gettext('If the file is not UTF-8, it is read as'), encoding),
    h('div', {class: 'button-row'}, check, run), error, out));
}
