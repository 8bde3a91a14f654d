// fetch wrapper: same-origin cookies, JSON, the X-Bedside CSRF header, one error shape.
import {getMeta} from './db.js';

export class ApiError extends Error {
  constructor(status, code, message, fields) {
    super(message || code);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields || {};
  }
}

/** The network could not be reached (or the request timed out). */
export class OfflineError extends Error {
  constructor(cause) {
    super('offline');
    this.name = 'OfflineError';
    this.cause = cause;
  }
}

/** 'device-revoked' is dispatched when the server says an administrator withdrew this tablet. */
export const apiEvents = new EventTarget();

// An enrolled tablet's id and credential, sent on every request (loaded once per page or worker).
let deviceHeaders;
export function setDeviceHeaders(value) { deviceHeaders = value; }
async function loadDeviceHeaders() {
  if (deviceHeaders !== undefined) return deviceHeaders;
  const record = await getMeta('enrolment').catch(() => null);
  if (deviceHeaders === undefined) deviceHeaders = record ? {id: record.device_id, key: record.credential} : null;
  return deviceHeaders;
}

/** `file`: the reply is a file (a PDF): resolved as a Blob when the request succeeds; an error is read as any other. */
export async function request(method, path, body, {timeout = 20000, file = false} = {}) {
  const headers = {'X-Bedside': '1', 'Accept': 'application/json'};
  const device = await loadDeviceHeaders();
  if (device) {
    headers['X-Device-Id'] = device.id;
    headers['X-Device-Key'] = device.key;
  }
  const init = {method, headers, credentials: 'same-origin', cache: 'no-store'};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const controller = typeof AbortController === 'function' ? new AbortController() : null;
  if (controller) init.signal = controller.signal;
  const timer = controller ? setTimeout(() => controller.abort(), timeout) : null;
  let response;
  try {
    response = await fetch(path, init);
  } catch (err) {
    throw new OfflineError(err);
  } finally {
    if (timer) clearTimeout(timer);
  }
  if (file && response.ok) return response.blob();
  let data = null;
  const text = await response.text().catch(() => '');
  if (text) {
    try { data = JSON.parse(text); } catch (_) { data = null; }
  }
  // A proxy or a stopped server answering 502/503/504 means the same as no network.
  if ([502, 503, 504].includes(response.status) && !(data && data.error)) {
    throw new OfflineError(new Error(`HTTP ${response.status}`));
  }
  if (!response.ok) {
    const d = data || {};
    if (response.status === 401 && d.error === 'device_revoked') apiEvents.dispatchEvent(new Event('device-revoked'));
    throw new ApiError(response.status, d.error || `http_${response.status}`, d.message || '', d.fields);
  }
  return data;
}

export const api = {
  get: (path) => request('GET', path),
  post: (path, body = {}) => request('POST', path, body),
  patch: (path, body = {}) => request('PATCH', path, body),
  del: (path) => request('DELETE', path),
  /** A file the server makes from a POST's body (a printed sheet: what it is asked with stays out of the URL). */
  postForFile: (path, body = {}) => request('POST', path, body, {timeout: 60000, file: true}),
};

/** '/x' + {a: 1, b: null} -> '/x?a=1' */
export function withQuery(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
