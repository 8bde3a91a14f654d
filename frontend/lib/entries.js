// Sign a tap's entries and store them with their outbox rows and the device's last entry number, in ONE
// transaction (in the recorder worker, lib/recorder.js, or on the page without one).
import {tx} from './db.js';
import {sign} from './signing.js';

/** `built`: entries numbered base+1..seq, unsigned. Resolves {made} once committed; {taken: true} when another
 * context took those numbers (nothing written); {made, already: true} when they are stored already (a retry). */
export async function storeSigned(key, built, scores, base, seq) {
  for (const e of built) e.sig = await sign(key, e);
  let taken = false;
  let already = false;
  // Compare and set in one round trip: the checks, then the writes without waiting; a number taken meanwhile (another
  // tab) aborts the transaction, every write undone (docs/frontend.md, "lib/entries.js").
  const made = await tx(['meta', 'entries', 'outbox'], 'readwrite', ({meta, entries, outbox}, t) => {
    const stored = entries.getKey(built[0].id);
    stored.onsuccess = () => {
      if (stored.result !== undefined) { already = true; t.abort(); }
    };
    const check = meta.get('client_seq');
    check.onsuccess = () => {
      if (!already && (check.result || 0) !== base) { taken = true; t.abort(); }
    };
    for (const [i, e] of built.entries()) {
      // An assessment's score as the tablet computed it, kept locally only (the server computes its own).
      entries.put(scores[i] ? {...e, synced: false, score: scores[i]} : {...e, synced: false});
      outbox.put({id: e.id, client_seq: e.client_seq, state: 'pending', reason: null, fields: null, attempts: 0,
        last_error: null, entry: e});
    }
    meta.put(seq, 'client_seq');
    return built;
  }).catch((err) => {
    if (taken || already) return null;
    throw err;
  });
  if (already) return {made: built, already: true};
  return taken ? {taken: true} : {made};
}
