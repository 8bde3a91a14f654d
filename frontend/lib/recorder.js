// The recorder: a worker that signs and stores what a tap records (lib/entries.js) beside the page's frames; started
// by lib/outbox.js startRecorder (docs/frontend.md, "lib/entries.js").
import {openDB} from './db.js';
import {storeSigned} from './entries.js';

openDB().catch(() => {});  // opened now, not on the first tap

self.onmessage = async (event) => {
  const {n, key, built, scores, base, seq} = event.data;
  try {
    const result = await storeSigned(key, built, scores, base, seq);
    self.postMessage({n, ...result, at: performance.timeOrigin + performance.now()});
  } catch (err) {
    self.postMessage({n, error: {name: (err && err.name) || 'Error', message: String((err && err.message) || err)}});
  }
};
