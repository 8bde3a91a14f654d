// Port of backend/domain/vitals.py check(): same keys; messages through gettext.
import {format, gettext} from './i18n.js';

let definitionPromise = null;
/** forms/vitals.json, fetched once (the service worker caches it). */
export function loadDefinition() {
  if (!definitionPromise) {
    definitionPromise = fetch('/forms/vitals.json').then((r) => r.json()).catch((err) => {
      definitionPromise = null;
      throw err;
    });
  }
  return definitionPromise;
}

const has = (obj, key) => Object.prototype.hasOwnProperty.call(obj, key);

/** {errors: {measure: message}, flags: {measure: 'low'|'high'}} */
export function check(values, definition) {
  const measures = definition.measures;
  const errors = {};
  const flags = {};
  if (!values || typeof values !== 'object' || Array.isArray(values) || !Object.keys(values).length) {
    return {errors: {values: gettext('At least one measurement is required.')}, flags};
  }
  for (const [name, value] of Object.entries(values)) {
    const spec = measures[name];
    if (!spec) { errors[name] = gettext('Unknown measurement.'); continue; }
    if (typeof value !== 'number' || !Number.isFinite(value)) { errors[name] = gettext('Must be a number.'); continue; }
    const [low, high] = spec.plausible;
    if (value < low || value > high) {
      errors[name] = format(gettext('Must be between %(low)s and %(high)s %(unit)s.'), {low, high, unit: spec.unit});
      continue;
    }
    if (Number(value.toFixed(spec.decimals)) !== value) {
      errors[name] = format(gettext('At most %(n)s decimal places.'), {n: spec.decimals});
      continue;
    }
    const [nlow, nhigh] = spec.normal;
    if (value < nlow) flags[name] = 'low';
    else if (value > nhigh) flags[name] = 'high';
  }
  for (const [first, second] of definition.pairs || []) {
    if (has(values, first) !== has(values, second)) {
      errors[has(values, first) ? second : first] = gettext('Record both blood pressure values together.');
    } else if (has(values, first) && !has(errors, first) && !has(errors, second) && values[first] <= values[second]) {
      errors[first] = gettext('The upper value must be greater than the lower value.');
    }
  }
  return {errors, flags};
}
