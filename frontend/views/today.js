// "Today" on a community carer's phone (issue 18): her stops of the day in time order from IndexedDB (the post
// pull of a community station: visits, residents[].at_home, cards, entries; lib/sync.js), and the visit entries
// (kind 'visit', lib/visits.js) she records through the outbox: arrive, no access, leave. Works offline.
//
// Arrive never waits on the location: the tap's time is kept, a fix is asked in parallel (at most FIX_WAIT ms) and
// the entry is recorded when it comes, when the time is up (presence none, "timeout"), at once when the browser says
// no ("denied", "unavailable") or she saves without location ("other"), or with the home code she types (presence
// "code": its hash with the person's salt). Two people at one address at one time are one stop: one tap, one entry
// each. The items are ticked on the person's card screen (#/resident/<id>).
//
// data-testid: today-day, today-plan (data-count: entries waiting), today-list, today-empty, today-stop-<first visit>,
//   today-visit-<visit_id> (data-state planned|arrived|left|no_access|cancelled), today-arrive-<first visit>,
//   today-locating, today-no-location, today-code, today-code-save, today-items-<visit_id>, today-item-<visit>-<item>
//   (data-state open|done|not_done), today-note-<visit_id>, today-flag-<visit_id> (data-flag), today-no-access-<id>,
//   today-leave-<id>; dialogs: dialog-no-access (no-access-<reason>, no-access-note), dialog-leave (leave-open,
//   confirmed-<person|family|nobody>, leave-note, leave-duration-reason), btn-save, btn-cancel
import {delMeta, req, setMeta, tx} from '../lib/db.js';
import {h, icon, mount} from '../lib/dom.js';
import {format, formatDate, formatDateTime, formatTime, gettext, ngettext} from '../lib/i18n.js';
import {counts, record} from '../lib/outbox.js';
import {events} from '../lib/bus.js';
import {session, setPost, today} from '../lib/session.js';
import {pull} from '../lib/sync.js';
import {api} from '../lib/api.js';
import {itemsFor} from '../lib/day.js';
import {standing} from '../lib/schedule.js';
import {ARRIVED, CODE, CONFIRMERS, FIX, KIND, LEFT, NONE, NO_ACCESS, NO_ACCESS_REASONS, check, codeHash,
  localFlags, roundFix} from '../lib/visits.js';
import {choiceGroup, openDialog, toast} from './dialogs.js';

/** How long an arrival waits for a location fix (ms). */
const FIX_WAIT = 10000;
/** The arrival being located, kept so a closed app does not lose the tap: {user, visit_ids, at}. */
const ARRIVING = 'visit_arriving';

const stateLabel = (code) => ({planned: gettext('Planned'), arrived: gettext('Arrived'), left: gettext('Left'),
  no_access: gettext('No access'), cancelled: gettext('Cancelled')})[code] || code;
const noAccessLabel = (code) => ({not_home: gettext('Not at home'), refused: gettext('Refused the visit'),
  hospital: gettext('In hospital'), other: gettext('Other reason')})[code] || code;
const confirmerLabel = (code) => ({person: gettext('The person herself'), family: gettext('A family member'),
  nobody: gettext('Nobody')})[code] || code;

const none = (reason) => ({presence: NONE, presence_reason: reason});

/** Ask for one location fix; resolves with the presence values (a fix rounded, or none with the reason). */
function locate(wait = FIX_WAIT) {
  return new Promise((resolve) => {
    if (!navigator.geolocation) { resolve(none('unavailable')); return; }
    const timer = setTimeout(() => resolve(none('timeout')), wait);
    navigator.geolocation.getCurrentPosition((pos) => {
      clearTimeout(timer);
      resolve({presence: FIX, lat: roundFix(pos.coords.latitude), lon: roundFix(pos.coords.longitude),
        accuracy_m: Math.max(0, Math.round(pos.coords.accuracy))});
    }, (err) => {
      clearTimeout(timer);
      resolve(none(err.code === 1 ? 'denied' : err.code === 3 ? 'timeout' : 'unavailable'));
    }, {enableHighAccuracy: true, timeout: wait, maximumAge: 0});
  });
}

/** Everything the screen shows, read from IndexedDB in one transaction: the day's visits and the arrival left over,
 * then each of her people with her cards and entries (all at once: on a slow phone each round trip to the database
 * costs a frame or more); beside it the waiting count (lib/outbox.js). `raw`: each person's entries as stored,
 * `entries`: those standing. */
async function load(day) {
  const [read, waiting] = await Promise.all([readDay(day), counts()]);
  return {...read, pending: waiting.pending + waiting.rejected};
}

function readDay(day) {
  return tx(['visits', 'residents', 'cards', 'entries', 'meta'], 'readonly', async (s) => {
    const [visits, pulledAt, arriving] = await Promise.all([req(s.visits.index('day').getAll(day)),
      req(s.meta.get('pulled_at')), req(s.meta.get(ARRIVING))]);
    const ids = [...new Set(visits.filter((v) => v.mine !== false).map((v) => v.resident_id))];
    const people = new Map();
    const cards = [];
    const raw = new Map();
    await Promise.all(ids.map(async (rid) => {
      const [person, own, stored] = await Promise.all([req(s.residents.get(rid)),
        req(s.cards.index('resident_id').getAll(rid)),
        req(s.entries.index('by_resident_day').getAll(IDBKeyRange.bound([rid, ''], [rid, '\uffff'])))]);
      if (!person) return;
      people.set(rid, person);
      cards.push(...own);
      raw.set(rid, stored);
    }));
    const mine = visits.filter((v) => v.mine !== false && people.has(v.resident_id))
      .sort((a, b) => a.start_time.localeCompare(b.start_time) || a.id - b.id);
    const entries = new Map([...raw].map(([rid, list]) => [rid, standing(list)]));
    return {day, visits: mine, people, cards, raw, entries, pulledAt, arriving};
  });
}

/** Entries just stored (here or in another tab) added to what was read; the people they touch on the list. */
function addRecorded(data, recorded) {
  const touched = new Set();
  for (const rid of new Set(recorded.map((e) => e.resident_id))) {
    if (!data.raw.has(rid)) continue;
    const here = recorded.filter((e) => e.resident_id === rid);
    const ids = new Set(here.map((e) => e.id));
    const list = [...data.raw.get(rid).filter((e) => !ids.has(e.id)), ...here];
    data.raw.set(rid, list);
    data.entries.set(rid, standing(list));
    touched.add(rid);
  }
  return touched;
}

/** A visit's events by her phone (standing, in time order) and what they make of it. */
function visitOf(v, data) {
  const all = data.entries.get(v.resident_id) || [];
  const evs = all.filter((e) => e.kind === KIND && e.values && e.values.visit_id === v.id)
    .sort((a, b) => a.device_time.localeCompare(b.device_time));
  const arrival = evs.filter((e) => e.status === ARRIVED).at(-1) || null;
  const last = evs.at(-1);
  const state = v.cancelled_at ? 'cancelled' : last ? last.status : 'planned';
  const items = itemsFor(data.cards, v.resident_id, v.day).filter((i) => (v.item_ids || []).includes(i.id));
  const ticks = all.filter((e) => e.kind === 'tick' && e.day === v.day);
  const itemState = (item) => {
    const t = ticks.filter((e) => e.item_id === item.id).sort((a, b) => a.device_time.localeCompare(b.device_time));
    return t.length ? t.at(-1).status : 'open';
  };
  const note = all.filter((e) => e.kind === 'note').sort((a, b) => a.device_time.localeCompare(b.device_time)).at(-1);
  return {v, person: data.people.get(v.resident_id), events: evs, arrival, state, items, itemState, note};
}

/** Visits at one address at one time are one stop (two people living together). */
function stopsOf(visits) {
  const stops = [];
  for (const x of visits) {
    const address = (x.person.at_home && x.person.at_home.address) || '';
    const same = stops.find((s) => address && s.address === address && s.time === x.v.start_time);
    if (same) same.visits.push(x); else stops.push({address, time: x.v.start_time, visits: [x]});
  }
  return stops;
}

/** The flags of an entry: the server's once it has answered, else what the phone knows itself. */
function flagsOf(entry, x) {
  if (entry.flags) return entry.flags;
  const home = (x.person && x.person.at_home) || {};
  return localFlags(entry, x.v, home, entry.status === LEFT ? x.arrival : null);
}

function flagText(flags) {
  if (flags.far) return format(gettext('Far from her home: %(m)s m'), {m: flags.far.distance_m});
  if (flags.no_location) return gettext('Saved without location');
  if (flags.wrong_code) return gettext('The home code did not match');
  return null;
}

/** Record visit entries (one per visit), checked as the server will; resolves to whether they are saved. */
async function save(list) {
  for (const entry of list) {
    const errors = check(entry);
    if (Object.keys(errors).length) {
      toast(Object.values(errors)[0].message);
      return false;
    }
  }
  try {
    await record(list);
  } catch (_) {
    toast(gettext('Not saved: unlock the phone and try again.'));
    return false;
  }
  return true;
}

const visitEntry = (x, status, values, more = {}) => ({kind: KIND, resident_id: x.v.resident_id, day: x.v.day,
  status, reason: null, note: null, values: {visit_id: x.v.id, ...values}, ...more});

let busy = false;  // an arrival is being located, or a dialog is open: no redraw under her
let arriving = false;  // this page's arrival is being located or saved: the ARRIVING mark is its own

/** Arrive at a stop: the tap's time kept, a fix asked for in parallel, saved once whatever comes first. Once stored,
 * the stop is drawn again from what was recorded ('recorded', in render); the list is read again only if it failed
 * or something else changed meanwhile. */
function arrive(stop, box, screen) {
  const tapped = new Date().toISOString();
  const waiting = stop.visits.filter((x) => x.state === 'planned');
  if (!waiting.length) return;
  busy = true;
  arriving = true;
  let settled = false;
  const finish = async (presenceOf) => {
    if (settled) return;
    settled = true;
    const list = await Promise.all(waiting.map(async (x) => visitEntry(x, ARRIVED, await presenceOf(x),
      {device_time: tapped})));
    busy = false;  // the locating box goes: the stop is drawn anew once the entries are stored
    const ok = await save(list);
    if (ok) await delMeta(ARRIVING).catch(() => {});
    arriving = false;
    if (ok) {
      const flag = flagText(flagsOf(list[0], waiting[0]) || {});
      toast(flag ? `${gettext('Arrival saved.')} ${flag}` : gettext('Arrival saved.'));
    }
    screen.settle(!ok);
  };
  setMeta(ARRIVING, {user: session.user.id, visit_ids: waiting.map((x) => x.v.id), at: tapped}).catch(() => {});
  locate().then((values) => finish(() => values));
  const code = h('input', {type: 'text', inputmode: 'numeric', autocomplete: 'off', class: 'input', id: 'today-code',
    testid: 'today-code', maxlength: 20});
  mount(box, h('div', {class: 'notice visit-locating', role: 'status', testid: 'today-locating'},
    h('p', {}, format(gettext('Arrived at %(time)s. Finding the location (at most 10 seconds)…'),
      {time: formatTime(tapped)})),
    h('button', {type: 'button', class: 'btn btn-block', testid: 'today-no-location',
      ontap: () => finish(() => none('other'))}, gettext('Save without location')),
    h('div', {class: 'field'}, h('label', {for: 'today-code'}, gettext('Or type the home code')),
      h('div', {class: 'resident-actions'}, code, h('button', {type: 'button', class: 'btn', testid: 'today-code-save',
        ontap: () => {
          const typed = code.value.trim();
          if (!typed) { code.focus(); return; }
          finish(async (x) => ({presence: CODE,
            code_hash: await codeHash((x.person.at_home || {}).home_code_salt || '', typed)}));
        }}, gettext('Save with the code'))))));
}

/** An arrival tapped but never saved (the app was closed while locating): saved now, without location. */
async function arrivalLeftOver(data) {
  const left = data.arriving;
  if (!left || busy || arriving) return false;
  await delMeta(ARRIVING);
  if (left.user !== session.user.id) return false;
  const xs = data.visits.filter((v) => left.visit_ids.includes(v.id)).map((v) => visitOf(v, data))
    .filter((x) => x.state === 'planned');
  if (!xs.length) return false;
  return save(xs.map((x) => visitEntry(x, ARRIVED, none('timeout'), {device_time: left.at})));
}

function textArea(id, label, hint) {
  const input = h('textarea', {id, class: 'input', rows: 3, maxlength: 2000, testid: id});
  return {input, el: h('div', {class: 'field'}, h('label', {for: id}, label),
    hint ? h('p', {class: 'hint'}, hint) : null, input)};
}

async function noAccess(x) {
  busy = true;
  const res = await openDialog({title: format(gettext('No access: %(name)s'), {name: x.person.full_name}),
    testid: 'dialog-no-access', build: () => {
      const reasons = choiceGroup({label: gettext('Why was there no access?'), options: NO_ACCESS_REASONS,
        labelOf: noAccessLabel, testPrefix: 'no-access'});
      const note = textArea('no-access-note', gettext('Note'), gettext('Required when the reason is "Other reason".'));
      return {body: [reasons.el, note.el], onSave: () => {
        const reason = reasons.get();
        if (!reason) throw new Error(gettext('Choose a reason.'));
        const text = note.input.value.trim();
        if (reason === 'other' && !text) throw new Error(gettext('Describe the reason in the note.'));
        return {reason, note: text || null};
      }};
    }});
  busy = false;
  if (res && await save([visitEntry(x, NO_ACCESS, {}, {reason: res.reason, note: res.note})])) {
    toast(gettext('Saved on the phone. It will be sent when the connection allows.'));
  }
}

async function leave(x) {
  busy = true;
  let where = null;
  const locating = locate().then((values) => { where = values; });
  const probe = visitEntry(x, LEFT, {...none('other'), confirmed_by: 'person'},
    {device_time: new Date().toISOString()});
  const off = x.arrival ? localFlags(probe, x.v, {}, x.arrival).duration_off_plan : null;
  const open = x.items.filter((i) => x.itemState(i) === 'open');
  const res = await openDialog({title: format(gettext('Leave: %(name)s'), {name: x.person.full_name}),
    testid: 'dialog-leave', saveLabel: gettext('Leave'), build: () => {
      const who = choiceGroup({label: gettext('Who confirmed the visit?'), options: CONFIRMERS,
        labelOf: confirmerLabel, testPrefix: 'confirmed'});
      const note = textArea('leave-note', gettext('Note'), gettext('Required when nobody confirmed the visit.'));
      const reason = off ? textArea('leave-duration-reason', format(gettext(
        'The visit took %(minutes)s min, planned %(planned)s min: why?'),
      {minutes: off.minutes, planned: off.planned_minutes})) : null;
      return {body: [
        open.length ? h('div', {class: 'notice notice-warn', testid: 'leave-open'},
          h('p', {}, gettext('Items still open:')), h('ul', {}, open.map((i) => h('li', {}, i.title))))
          : h('p', {class: 'hint', testid: 'leave-open'}, gettext('Every item of the visit is marked.')),
        h('p', {class: 'label'}, gettext('Who confirmed the visit?')), who.el, reason && reason.el, note.el],
      onSave: () => {
        const by = who.get();
        if (!by) throw new Error(gettext('Choose who confirmed the visit.'));
        const text = note.input.value.trim();
        if (by === 'nobody' && !text) throw new Error(gettext('Describe in the note why nobody confirmed it.'));
        return {by, note: text || null, reason: reason ? reason.input.value.trim() : ''};
      }};
    }});
  busy = false;
  if (!res) return;
  await Promise.race([locating, new Promise((resolve) => setTimeout(resolve, 50))]);
  const values = {...(where || none('other')), confirmed_by: res.by,
    ...(res.reason ? {duration_reason: res.reason} : {})};
  if (await save([visitEntry(x, LEFT, values, {note: res.note})])) {
    toast(gettext('Saved on the phone. It will be sent when the connection allows.'));
  }
}

function visitBlock(x, screen) {
  const home = x.person.at_home || {};
  const act = (fn) => async () => { await fn(x); screen.settle(); };
  const flagged = x.events.map((e) => flagText(flagsOf(e, x) || {})).filter(Boolean);
  const itemText = (i) => ({done: gettext('done'), not_done: gettext('not done'),
    open: gettext('open')})[x.itemState(i)];
  const canAct = !['cancelled', 'left', 'no_access'].includes(x.state);
  return h('div', {class: 'visit-person', testid: `today-visit-${x.v.id}`, dataset: {state: x.state}},
    h('div', {class: 'panel-head'}, h('h3', {}, x.person.full_name),
      h('span', {class: `mark mark-${x.state === 'left' ? 'ok' : x.state === 'planned' ? 'local' : 'bad'}`},
        stateLabel(x.state))),
    home.phone ? h('a', {class: 'btn btn-small', href: `tel:${home.phone}`,
      'aria-label': format(gettext('Call %(name)s'), {name: x.person.full_name})}, icon('☎'), ' ', home.phone) : null,
    x.v.cancelled_at && x.v.cancel_reason ? h('p', {class: 'hint'}, x.v.cancel_reason) : null,
    x.items.length ? h('ul', {class: 'visit-items'}, x.items.map((i) => h('li', {testid: `today-item-${x.v.id}-${i.id}`,
      dataset: {state: x.itemState(i)}}, i.title, ' · ', itemText(i)))) : null,
    x.note ? h('p', {class: 'hint', testid: `today-note-${x.v.id}`}, icon('✎'), ' ',
      format(gettext('Last note, %(when)s: %(text)s'), {when: formatDateTime(x.note.device_time), text: x.note.note}))
      : null,
    flagged.map((text) => h('p', {class: 'notice notice-warn', testid: `today-flag-${x.v.id}`}, icon('⚑'), ' ', text)),
    h('div', {class: 'resident-actions'},
      // no access: nothing was done at her home, so the visit offers no items to tick (a no access with ticks is
      // refused: issue 18, section 4)
      x.state === 'no_access' ? null : h('a', {class: 'btn', href: `#/resident/${x.v.resident_id}`,
        testid: `today-items-${x.v.id}`,
        'aria-label': format(gettext('Items and records of %(name)s'), {name: x.person.full_name})},
      gettext('Items and records')),
      canAct && x.state === 'planned' ? h('button', {type: 'button', class: 'btn btn-warn',
        testid: `today-no-access-${x.v.id}`, onclick: act(noAccess)}, gettext('No access')) : null,
      canAct && x.state === 'arrived' ? h('button', {type: 'button', class: 'btn btn-primary',
        testid: `today-leave-${x.v.id}`, onclick: act(leave)}, gettext('Leave')) : null));
}

function stopBlock(stop, screen) {
  const first = stop.visits[0].v.id;
  const box = h('div', {});
  const planned = stop.visits.filter((x) => x.state === 'planned');
  if (planned.length) {
    box.append(h('button', {type: 'button', class: 'btn btn-primary btn-block', testid: `today-arrive-${first}`,
      ontap: () => arrive(stop, box, screen)}, icon('⌂'), ' ', planned.length > 1
      ? format(gettext('Arrive: %(n)s people'), {n: planned.length}) : gettext('Arrive')));
  }
  return h('li', {class: 'panel visit-stop', testid: `today-stop-${first}`},
    h('div', {class: 'panel-head'}, h('h2', {}, stop.time), h('span', {class: 'hint'}, stop.address)),
    stop.visits.map((x) => visitBlock(x, screen)), box);
}

/** The station's post: a carer's phone works at the one post of her station (chosen here when none is yet). */
async function ensurePost() {
  if (session.postId) return true;
  try {
    const posts = await api.get('/api/posts');
    if (!posts.length) return false;
    await setPost(posts[0]);
    await pull(posts[0].id);
    return true;
  } catch (_) {
    return false;
  }
}

/** The first read, begun while the app still checks her server session (app.js: a view's prepare()); dropped if
 * anything changed before the screen took it. */
let early = null;
const EARLY_MS = 10000;  // older than this (the first screen was not hers after all): read again
export function prepare() {
  if (early || !session.user) return;
  const mine = {day: today(), user: session.user.id, at: Date.now(), read: null};
  const drop = () => { if (early === mine) early = null; stop(); };
  const stops = ['change', 'recorded'].map((type) => { events.addEventListener(type, drop); return type; });
  const stop = () => stops.forEach((type) => events.removeEventListener(type, drop));
  mine.stop = stop;
  mine.read = load(mine.day).catch(() => null);
  early = mine;
}

/** The early read if it is still good for this day and person, else null. */
function takeEarly(day) {
  const mine = early;
  early = null;
  if (!mine) return null;
  mine.stop();
  const good = mine.day === day && session.user && mine.user === session.user.id && Date.now() - mine.at < EARLY_MS;
  return good ? mine.read : null;
}

export async function render(main) {
  const day = today();
  const ahead = takeEarly(day);
  const first = session.postId ? ahead : null;  // no post yet: it is chosen and pulled first
  const title = h('h1', {testid: 'today-day'}, gettext('My visits'), ' · ',
    formatDate(day, {weekday: 'long', day: 'numeric', month: 'long'}));
  const line = h('p', {class: 'sub', testid: 'today-plan'});
  const list = h('ul', {class: 'visit-stops', testid: 'today-list', 'aria-label': gettext('Stops of the day')});
  mount(main, h('section', {class: 'panel'}, title, line), list);
  if (!(await ensurePost())) {
    mount(list, h('li', {class: 'empty', testid: 'today-empty'},
      gettext('No visits on this phone yet. Connect to the network to load them.')));
  }
  let ticket = 0;
  let reading = false;
  let stale = false;  // something changed while she was busy: read again once she is done
  let data = null;  // what the list shows: as read, with the entries recorded since added
  let shown = [];  // [{stop, el}] in the list's order
  let stopped = false;
  const showLine = (pulledAt, pending) => {
    line.dataset.count = String(pending);
    line.textContent = [pulledAt ? format(gettext('plan as of %(time)s'), {time: formatTime(pulledAt)})
      : gettext('plan not loaded yet'), format(ngettext('%(n)s to send', '%(n)s to send', pending),
      {n: pending})].join(' · ');
  };
  /** Read everything again and draw the whole list (at the start, after a pull or a push, or when unsure). */
  const redraw = async (given = null) => {
    if (busy) { stale = true; return; }
    const turn = ++ticket;
    reading = true;
    let read;
    try {
      read = (given && await given) || await load(day);
    } finally {
      if (turn === ticket) reading = false;
    }
    if (turn !== ticket || stopped) return;
    if (await arrivalLeftOver(read)) { redraw(); return; }
    if (turn !== ticket || stopped) return;
    if (busy) { stale = true; return; }
    stale = false;
    data = read;
    showLine(data.pulledAt, data.pending);
    const stops = stopsOf(data.visits.map((v) => visitOf(v, data)));
    shown = stops.map((stop) => ({stop, el: stopBlock(stop, screen)}));
    mount(list, shown.length ? shown.map((s) => s.el)
      : h('li', {class: 'empty', testid: 'today-empty'}, gettext('No visits today.')));
  };
  /** What the list becomes with `recorded` added: the data and its stops drawn anew (detached), or null. */
  const withRecorded = (recorded) => {
    const next = {...data, raw: new Map(data.raw), entries: new Map(data.entries)};
    const touched = addRecorded(next, recorded);
    if (!touched.size) return null;
    const swaps = shown.filter((s) => s.stop.visits.some((x) => touched.has(x.v.resident_id))).map((s) => {
      const stop = {...s.stop, visits: s.stop.visits.map((x) => visitOf(x.v, next))};
      return {s, stop, el: stopBlock(stop, screen)};
    });
    return {data, shown, next, swaps};
  };
  const idsOf = (list) => list.map((e) => e.id).sort().join(' ');
  // the stops worked out on 'recording' (this page's entries, while they are stored), put up on 'recorded'
  let prepared = null;
  const onRecording = (recorded) => {
    prepared = null;
    if (!data || reading || busy) return;
    const ready = withRecorded(recorded);
    if (ready) prepared = {...ready, ids: idsOf(recorded)};
  };
  /** Entries stored (here or in another tab): her stops they touch drawn again from them, nothing read. */
  const onRecorded = (recorded) => {
    const ready = prepared;
    prepared = null;
    if (!data || reading) { redraw(); return; }  // a read under way may have begun before they were stored
    const change = ready && ready.data === data && ready.shown === shown && ready.ids === idsOf(recorded) ? ready
      : withRecorded(recorded);
    if (!change) return;
    data = change.next;
    if (busy) { stale = true; return; }
    for (const {s, stop, el} of change.swaps) {
      s.el.replaceWith(el);
      Object.assign(s, {stop, el});
    }
  };
  /** The line's count once the next frame is painted (a tap's stop first), whatever the status says changed. */
  let lineDue = false;
  const onStatus = () => {
    if (lineDue) return;
    lineDue = true;
    requestAnimationFrame(() => setTimeout(async () => {
      lineDue = false;
      if (!data || stopped) return;
      const c = await counts().catch(() => null);
      if (c && data && !stopped) showLine(data.pulledAt, (data.pending = c.pending + c.rejected));
    }, 0));
  };
  /** After an action of hers: read again if something changed meanwhile (or `again`); what she recorded is drawn. */
  const screen = {settle: (again = false) => { if (again || stale) redraw(); }};
  // Pushed, held, pulled: read again. Recorded (here or in another tab): its stops drawn again. Status: the count.
  const listeners = [['change', () => redraw()], ['recorded', (event) => onRecorded(event.detail.entries)],
    ['recording', (event) => onRecording(event.detail.entries)], ['status', onStatus]];
  for (const [type, fn] of listeners) events.addEventListener(type, fn);
  await redraw(first);
  return () => {
    stopped = true;
    for (const [type, fn] of listeners) events.removeEventListener(type, fn);
    busy = false;
  };
}
