// How a recorded entry shows on the screens that list entries: its sync mark and its measured values.
import {h, icon} from './dom.js';
import {formatNumber, gettext} from './i18n.js';
import {flagLabel, measureLabel, unitLabel} from './labels.js';

/** 'Saved on tablet' vs 'Synced' (icon + text). */
export function syncMark(entry, rejected) {
  if (rejected) {
    return h('span', {class: 'mark mark-bad', testid: `entry-state-${entry.id}`, dataset: {state: 'rejected'}},
      icon('⚠'), ' ', gettext('Needs attention'));
  }
  return entry.synced
    ? h('span', {class: 'mark mark-ok', testid: `entry-state-${entry.id}`, dataset: {state: 'synced'}}, icon('☁'), ' ',
      gettext('Synced'))
    : h('span', {class: 'mark mark-local', testid: `entry-state-${entry.id}`, dataset: {state: 'local'}}, icon('▣'), ' ',
      gettext('Saved on tablet'));
}

/** Measured values ({measure: value}) with their units, a flagged one marked. */
export function formatValues(values, flags, definition) {
  const v = values || {};
  const parts = [];
  if (v.bp_systolic !== undefined) {
    const f = (flags || {}).bp_systolic || (flags || {}).bp_diastolic;
    parts.push(h('span', {class: ['value', f && 'is-flagged']}, gettext('BP') + ` ${v.bp_systolic}/${v.bp_diastolic ?? '—'} `,
      unitLabel('mmHg'), f ? ` ▲ ${flagLabel(f)}` : ''));
  }
  for (const [m, value] of Object.entries(v)) {
    if (m === 'bp_systolic' || m === 'bp_diastolic') continue;
    const f = (flags || {})[m];
    const unit = definition && definition.measures[m] ? unitLabel(definition.measures[m].unit) : '';
    parts.push(h('span', {class: ['value', f && 'is-flagged']}, `${measureLabel(m)} ${typeof value === 'number'
      ? formatNumber(value) : value} ${unit}`, f ? ` ▲ ${flagLabel(f)}` : ''));
  }
  return parts;
}
