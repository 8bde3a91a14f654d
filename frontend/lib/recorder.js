// The recorder: a dedicated worker that signs and stores what a tap records (lib/entries.js), so the transaction
// runs beside the page's frames instead of waiting for them (docs/benchmarks.md, the tick). Started by the page's
// outbox module (lib/outbox.js startRecorder); answers each request with its number and the moment it committed.
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
