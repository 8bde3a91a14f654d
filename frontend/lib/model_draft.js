// Her draft of a form drawn from a JSON-able object (the care plan's `content`): lib/drafts.js's "model way", loaded
// only by the screens that use it (views/plan.js), not by the nurse's app. Design: docs/frontend.md, "lib/drafts.js".
import {cancel, draftNotice, kept, later, putDraft} from './drafts.js';
import {currentPerson, draft, person} from './people.js';

/** Her drafts whose key starts with `prefix`: [[key, value]]. */
export async function drafts(prefix) {
  const p = currentPerson();
  if (!p) return [];
  const record = await person(p.user.id);
  return Object.entries((record && record.drafts) || {}).filter(([key]) => key.startsWith(prefix));
}

/**
 * Resolves {saved, watch(root, snapshot, pristine), keep(data), clear(), notice({onDiscard})}: `saved` is the kept
 * {data, base, saved_at} or null (the view draws itself from saved.data when it wants it); watch() keeps snapshot()
 * (debounced) on every input, change or click inside root, and erases the draft when snapshot() equals `pristine`.
 */
export async function modelDraft(key, {base = null} = {}) {
  const raw = await draft(key);
  const saved = raw && typeof raw === 'object' && 'data' in raw ? raw : null;
  let pristineText = null;
  let snap = null;
  const handle = {
    saved,
    keep(data) { putDraft(key, kept(data, base)); },
    watch(root, snapshot, pristine) {
      snap = snapshot;
      pristineText = JSON.stringify(pristine);
      const onEvent = (event) => {
        // the notice's own buttons (use, discard) change the draft themselves
        if (event.target instanceof Element && event.target.closest('.draft-notice')) return;
        later(key, () => {
          const data = snap();
          return JSON.stringify(data) === pristineText ? null : kept(data, base);
        });
      };
      for (const type of ['input', 'change', 'click']) root.addEventListener(type, onEvent);
    },
    async clear() {
      cancel(key);
      if (snap) pristineText = JSON.stringify(snap());
      await putDraft(key, null);
    },
    notice({onDiscard, text = null, buttons = [], warn = false, testid} = {}) {
      return draftNotice({text, savedAt: saved && saved.saved_at, buttons, warn, testid,
        onDiscard: async () => { await handle.clear(); await onDiscard(); }});
    },
  };
  return handle;
}
