// Nothing typed is lost: a form's typed state kept as the signed-in person's own draft (lib/people.js drafts),
// saved as she types, put back when the form is drawn again (after a lock, a switch of user, a reload), cleared by
// a successful save; a notice says so (draft-restored, draft-discard). keepForm is the DOM way (dialogs: openDialog
// `draft`); lib/model_draft.js the way of a form drawn from an object (the care plan). Design: docs/frontend.md.
import {getMeta, setMeta, delMeta} from './db.js';
import {h, icon} from './dom.js';
import {format, formatDateTime, gettext} from './i18n.js';
import {currentPerson, draft, saveDraft} from './people.js';

const DELAY_MS = 400;
const pending = new Map();    // key -> {timer, write}
let chain = Promise.resolve();  // writes one after another: each reads and rewrites her record

/** Write (or erase, value null) her draft `key` now, after the writes already asked for. */
function write(key, value, userId) {
  chain = chain.then(() => {
    const p = currentPerson();
    if (!p || p.user.id !== userId) return null;  // locked (or someone else) since: never into another's record
    return saveDraft(key, value);
  }).catch(() => null);
  return chain;
}

/** Write `make()` as draft `key` once she has stopped typing for DELAY_MS (lib/model_draft.js too). */
export function later(key, make) {
  const p = currentPerson();
  if (!p) return;
  const userId = p.user.id;
  const old = pending.get(key);
  if (old) clearTimeout(old.timer);
  const entry = {write: () => write(key, make(), userId)};
  entry.timer = setTimeout(() => { pending.delete(key); entry.write(); }, DELAY_MS);
  pending.set(key, entry);
}

export function cancel(key) {
  const old = pending.get(key);
  if (old) clearTimeout(old.timer);
  pending.delete(key);
}

/** Every draft still waiting for its debounce, written now (before a lock). */
export async function flushDrafts() {
  const all = [...pending.values()];
  pending.clear();
  for (const entry of all) { clearTimeout(entry.timer); entry.write(); }
  await chain;
}

/** Put a draft (a whole value) or erase it (null), now. */
export function putDraft(key, value) {
  cancel(key);
  const p = currentPerson();
  return p ? write(key, value, p.user.id) : Promise.resolve(null);
}

export const kept = (data, base) => ({data, base: base ?? null, saved_at: new Date().toISOString()});

// --- the notice -----------------------------------------------------------------------------------------------

let ask = (title, text) => Promise.resolve(window.confirm(`${title}\n\n${text}`));
/** views/dialogs.js hands its confirmDialog here (a lib does not import a view). */
export function useConfirm(fn) { ask = fn; }

/** Ask before her typed changes are thrown away. */
export const confirmDiscard = () => ask(gettext('Discard your changes?'),
  gettext('What you typed and did not save is lost.'), gettext('Discard changes'));

/**
 * The notice of a restored draft: `text` (default "Your unsaved changes were restored."), when they were typed,
 * `buttons` before "Discard changes"; onDiscard runs after she said yes.
 */
export function draftNotice({text = null, savedAt = null, onDiscard, buttons = [], testid = 'draft-restored',
  warn = false}) {
  const discard = h('button', {type: 'button', class: 'btn btn-small', testid: 'draft-discard', onclick: async () => {
    if (await confirmDiscard()) await onDiscard();
  }}, gettext('Discard changes'));
  return h('div', {class: ['notice', warn ? 'notice-warn' : null, 'draft-notice'], role: 'status', testid},
    h('p', {}, icon('✎'), ' ', text || gettext('Your unsaved changes were restored.'),
      savedAt ? h('span', {class: 'hint'}, ' ', format(gettext('(typed %(when)s)'), {when: formatDateTime(savedAt)}))
        : null),
    h('div', {class: 'button-row'}, buttons, discard));
}

// --- the DOM way ---------------------------------------------------------------------------------------------

const SKIP_TYPES = new Set(['password', 'hidden', 'file', 'submit', 'button', 'reset', 'image']);
const SECRET = /(^|[-_])(pin|pw|password|passcode|secret)([-_]|$)/i;

const nameOf = (el) => el.dataset.testid || el.id || '';

/** The kept fields of root: name -> element (names met twice are left out: which one would it be?). */
function fieldsOf(root) {
  const seen = new Map();
  const twice = new Set();
  const candidates = root.querySelectorAll(
    'input, textarea, select, button[role=radio][data-testid], button[aria-pressed][data-testid]');
  for (const el of candidates) {
    const name = nameOf(el);
    if (!name || el.closest('[data-no-draft]')) continue;
    if (el.tagName === 'INPUT' && SKIP_TYPES.has(el.type)) continue;
    const auto = el.getAttribute('autocomplete') || '';
    if (SECRET.test(name) || SECRET.test(el.name || '') || /password|one-time-code/.test(auto)) continue;
    if (seen.has(name)) twice.add(name); else seen.set(name, el);
  }
  for (const name of twice) seen.delete(name);
  return seen;
}

function readField(el) {
  if (el.tagName === 'BUTTON') {
    return el.getAttribute('role') === 'radio' ? el.getAttribute('aria-checked') === 'true'
      : el.getAttribute('aria-pressed') === 'true';
  }
  if (el.type === 'checkbox' || el.type === 'radio') return el.checked;
  if (el.tagName === 'SELECT' && el.multiple) return [...el.selectedOptions].map((o) => o.value);
  return el.value;
}

function writeField(el, value) {
  if (el.tagName === 'BUTTON') {
    if (value && readField(el) !== true) el.click();  // a toggle is set as she would set it
    return;
  }
  if (el.type === 'checkbox' || el.type === 'radio') el.checked = !!value;
  else if (el.tagName === 'SELECT' && el.multiple) {
    for (const o of el.options) o.selected = Array.isArray(value) && value.includes(o.value);
  } else el.value = value ?? '';
  el.dispatchEvent(new Event('input', {bubbles: true}));
  el.dispatchEvent(new Event('change', {bubbles: true}));
}

const snapshotOf = (root) => Object.fromEntries([...fieldsOf(root)].map(([name, el]) => [name, readField(el)]));

/** What differs from the baseline (only that is kept: a field she did not touch follows the form's own value). */
function changes(now, baseline) {
  const out = {};
  for (const [name, value] of Object.entries(now)) {
    if (JSON.stringify(value) !== JSON.stringify(baseline[name])) out[name] = value;
  }
  return out;
}

/** The DOM way: what she types into `root` kept as her draft `key`; call it once the form is built (its values then
 * are the baseline). Puts a kept draft back with its notice (into `notice`, else atop root). Resolves {restored,
 * clear() (after a save), discard()}. Which fields are kept: docs/frontend.md. */
export async function keepForm(root, key, {base = null, notice = null} = {}) {
  let baseline = snapshotOf(root);
  const raw = await draft(key);
  // a note's draft from before this module was a plain string: the text of its one text field
  const saved = typeof raw === 'string' ? {data: {[nameOf(root.querySelector('textarea') || root)]: raw}, base: null}
    : raw && typeof raw === 'object' && raw.data ? raw : null;
  let noticeEl = null;
  const handle = {restored: false};
  handle.clear = async () => {
    cancel(key);
    baseline = snapshotOf(root);
    if (noticeEl) noticeEl.remove();
    await putDraft(key, null);
  };
  handle.discard = async () => {
    cancel(key);
    const fields = fieldsOf(root);
    for (const [name, value] of Object.entries(baseline)) {
      const el = fields.get(name);
      // (a toggle chosen stays: setting it back by hand would not tell the form's own state)
      if (el && el.tagName !== 'BUTTON' && JSON.stringify(readField(el)) !== JSON.stringify(value)) {
        writeField(el, value);
      }
    }
    cancel(key);
    if (noticeEl) noticeEl.remove();
    await putDraft(key, null);
  };
  if (saved && (base === null || saved.base === null || saved.base === base)) {
    // Twice: a choice put back may draw fields of its own (a care group's grounds appear once the group is chosen).
    const done = new Set();
    for (const _pass of [1, 2]) {
      const fields = fieldsOf(root);
      for (const [name, value] of Object.entries(saved.data)) {
        const el = fields.get(name);
        if (el && !el.disabled && !done.has(name)) {
          writeField(el, value);
          done.add(name);
        }
      }
    }
    handle.restored = true;
    noticeEl = draftNotice({savedAt: saved.saved_at, onDiscard: handle.discard});
    if (notice) notice.replaceChildren(noticeEl);
    else root.prepend(noticeEl);
  }
  const onEvent = (event) => {
    if (event.target instanceof Element && event.target.closest('.draft-notice')) return;
    later(key, () => {
      const diff = changes(snapshotOf(root), baseline);
      return Object.keys(diff).length ? kept(diff, base) : null;
    });
  };
  for (const type of ['input', 'change', 'click']) root.addEventListener(type, onEvent);
  return handle;
}

// --- the dialog open at the lock -----------------------------------------------------------------------------

let open = null;  // {key, opener}: the draft-keeping dialog open now and the selector of the button that opened it

/** A selector that finds `el` again on the same screen drawn anew: its data-testid, within its nearest testid'd
 * ancestor's when the page has more than one. */
export function selectorOf(el) {
  if (!el || !el.dataset || !el.dataset.testid) return null;
  const own = `[data-testid=${JSON.stringify(el.dataset.testid)}]`;
  if (document.querySelectorAll(own).length === 1) return own;
  const outer = el.parentElement && el.parentElement.closest('[data-testid]');
  if (!outer) return null;
  const both = `[data-testid=${JSON.stringify(outer.dataset.testid)}] ${own}`;
  return document.querySelectorAll(both).length === 1 ? both : null;
}

export function dialogOpened(key, openerEl) { open = {key, opener: selectorOf(openerEl)}; }
export function dialogClosed(key) { if (open && open.key === key) open = null; }
export const openForm = () => (open && open.opener ? {...open} : null);

// --- where she was at the idle lock (kept through a reload of the locked tablet) ---------------------------------

const RETURN = 'lock_return';
const RETURN_HOURS = 12;

/** The idle lock: {userId, route, form} of the person it locked (one per tablet: the next unlock takes it). */
export const rememberReturn = (userId, route, form = null) =>
  setMeta(RETURN, {user_id: userId, route, form, at: Date.now()});

/** At an unlock: where the person locked out last was, when it is `userId` (null otherwise); forgotten either way. */
export async function takeReturn(userId) {
  const saved = await getMeta(RETURN);
  if (saved) await delMeta(RETURN);
  if (!saved || saved.user_id !== userId || Date.now() - saved.at > RETURN_HOURS * 3600000) return null;
  return {route: saved.route, form: saved.form || null};
}

/** Open again the dialog she had open at the lock, if her draft of it is still there: its opener, tapped for her
 * once the screen has drawn it (a resident's rows come a moment after the screen). */
export async function reopen(form, stillHere) {
  if (!form || !form.opener || !(await draft(form.key))) return;
  for (let i = 0; i < 40 && stillHere(); i += 1) {
    const el = document.querySelector(form.opener);
    if (el && !el.disabled && !document.querySelector('dialog[open]')) { el.click(); return; }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
