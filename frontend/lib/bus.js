// The tablet's sync events, told to this page and (through a BroadcastChannel) to the other tabs and the service
// worker: 'recorded' (lib/outbox.js, entries stored), 'change' (pushed, held, pulled), 'status', 'revoked', 'wiped',
// 'auth-required'. 'recording' (entries being stored) is told to this page only. Nothing here touches
// window/document at import time (the service worker imports it).
export const events = new EventTarget();

export const inPage = () => typeof window !== 'undefined';

const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('bedside-sync') : null;
// Node (tests/js imports lib/outbox.js) has BroadcastChannel too: an open one would keep its process alive.
if (channel && typeof channel.unref === 'function') channel.unref();
if (channel) {
  channel.onmessage = (event) => {
    const {type, detail} = event.data || {};
    if (type) events.dispatchEvent(new CustomEvent(type, {detail}));
  };
}

/** Tell this context, then the others. */
export function emit(type, detail) {
  events.dispatchEvent(new CustomEvent(type, {detail}));
  if (!channel) return;
  const tell = () => {
    try { channel.postMessage({type, detail: detail ? JSON.parse(JSON.stringify(detail)) : null}); } catch (_) { /* not cloneable */ }
  };
  // A page tells the other tabs in a task of its own, in order (copying a tap's entries cost a slow tablet a ms or two
  // before the tapped row was painted); the service worker at once (it may be stopped once its event is done).
  if (inPage()) setTimeout(tell, 0);
  else tell();
}

/** Tell this page only. */
export const tell = (type, detail) => events.dispatchEvent(new CustomEvent(type, {detail}));

/** Listen to `type`; returns the function that stops listening. */
export function on(type, fn) {
  events.addEventListener(type, fn);
  return () => events.removeEventListener(type, fn);
}
