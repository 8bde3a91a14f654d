// Entry signatures and PIN-wrapped keys (backend/domain/signing.py is the server's half; the scheme:
// docs/frontend.md). tests/fixtures/signing_cases.json keeps canonical() equal to the Python one, byte for byte.
import {SIGNED} from './entry_fields.js';

/** The fields the signature covers, in order: lib/entry_fields.js. */
export const SIGNED_FIELDS = SIGNED;
const VERSION = 'bedside-entry-v1';
export const PIN_ITERATIONS = 310000;  // OWASP's PBKDF2-SHA256 figure at the time of writing
export const PIN_PATTERN = /^[0-9]{4,6}$/;

const enc = new TextEncoder();

function text(value) {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(text).join(',')}]`;
  if (typeof value === 'object') {
    return `[${Object.keys(value).sort().map((k) => `[${text(k)},${text(value[k])}]`).join(',')}]`;
  }
  throw new TypeError(`cannot sign a ${typeof value}`);
}

/** The exact text an entry's signature covers. */
export function canonical(entry) {
  return `${VERSION}\n${SIGNED_FIELDS.map((name) => text(entry[name])).join('\n')}`;
}

export function b64url(bytes) {
  let s = '';
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromB64url(textValue) {
  const s = atob(textValue.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((textValue.length + 3) % 4));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/** A non-extractable HMAC key from raw bytes. */
export function importSigningKey(raw) {
  return crypto.subtle.importKey('raw', raw, {name: 'HMAC', hash: 'SHA-256'}, false, ['sign']);
}

async function hmac(key, message) {
  return b64url(await crypto.subtle.sign('HMAC', key, enc.encode(message)));
}

export const sign = (key, entry) => hmac(key, canonical(entry));

/** A proof over a short message (unlocking online: the server's challenge). */
export const proof = (key, purpose, ...parts) => hmac(key, [purpose, ...parts.map(String)].join('\n'));

async function pinKey(pin, salt, iterations) {
  const base = await crypto.subtle.importKey('raw', enc.encode(pin), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey({name: 'PBKDF2', salt, iterations, hash: 'SHA-256'}, base,
    {name: 'AES-GCM', length: 256}, false, ['encrypt', 'decrypt']);
}

/** Encrypt the raw signing key under the PIN: {salt, iv, iterations, wrapped} (all storable). */
export async function wrapWithPin(pin, raw, iterations = PIN_ITERATIONS) {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await pinKey(pin, salt, iterations);
  const wrapped = new Uint8Array(await crypto.subtle.encrypt({name: 'AES-GCM', iv}, key, raw));
  return {salt: b64url(salt), iv: b64url(iv), iterations, wrapped: b64url(wrapped)};
}

/** The signing key for a PIN, or null when the PIN is wrong (the GCM tag does not verify). */
export async function unwrapWithPin(pin, sealed) {
  const key = await pinKey(pin, fromB64url(sealed.salt), sealed.iterations);
  try {
    const raw = await crypto.subtle.decrypt({name: 'AES-GCM', iv: fromB64url(sealed.iv)}, key,
      fromB64url(sealed.wrapped));
    return importSigningKey(new Uint8Array(raw));
  } catch (_) {
    return null;
  }
}
