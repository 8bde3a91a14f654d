// UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits; sorts by creation time.
let lastMs = 0;
let lastRand = null;

/** A new time-ordered UUID string. */
export function uuid7() {
  let ms = Date.now();
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  if (ms <= lastMs && lastRand) {
    // Same millisecond (or clock stepped back): keep order by incrementing the previous random part.
    ms = lastMs;
    bytes.set(lastRand);
    for (let i = 15; i >= 6; i--) {
      bytes[i] = (bytes[i] + 1) & 0xff;
      if (bytes[i] !== 0) break;
    }
  }
  lastMs = ms;
  lastRand = bytes.slice();
  let t = ms;
  for (let i = 5; i >= 0; i--) { bytes[i] = t % 256; t = Math.floor(t / 256); }
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
