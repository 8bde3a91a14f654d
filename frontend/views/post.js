// The duty post: choose it (renderPicker) and its residents with today's counts (render; lib/day.js counts them).
import {ApiError, OfflineError, api} from '../lib/api.js';
import {getAll} from '../lib/db.js';
import {h, icon, mount} from '../lib/dom.js';
import {format, formatDate, gettext, ngettext} from '../lib/i18n.js';
import {roman, stayLabel} from '../lib/labels.js';
import {placeName, session, setPost, today} from '../lib/session.js';
import {watch} from '../lib/outbox.js';
import {events, pull} from '../lib/sync.js';
import {residentDay} from '../lib/today.js';

export async function renderPicker(main, _params, {go}) {
  const box = h('section', {class: 'panel narrow'}, h('h1', {}, gettext('Choose your duty post')));
  main.append(box);
  let posts;
  try {
    posts = await api.get('/api/posts');
  } catch (err) {
    box.append(h('p', {class: 'notice notice-warn', role: 'alert'}, icon('⊘'), ' ', err instanceof OfflineError
      ? gettext('The list of posts needs a connection. You can keep working at the post chosen before.')
      : (err.message || gettext('Something went wrong.'))));
    if (session.postId) box.append(h('a', {class: 'btn btn-primary', href: '#/home'}, gettext('Continue')));
    return;
  }
  const select = h('select', {id: 'post-select', class: 'input', testid: 'post-select'},
    posts.map((p) => h('option', {value: String(p.id), selected: p.id === session.postId},
      `${p.name} — ${p.unit_name}`)));
  const status = h('p', {class: 'hint', role: 'status', 'aria-live': 'polite'});
  const submit = h('button', {type: 'submit', class: 'btn btn-primary btn-block', testid: 'post-submit'},
    gettext('Start'));
  const form = h('form', {class: 'stack', novalidate: true},
    h('div', {class: 'field'}, h('label', {for: 'post-select'}, gettext('Duty post')), select), status, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const post = posts.find((p) => String(p.id) === select.value);
    if (!post) return;
    submit.disabled = true;
    status.textContent = gettext('Loading residents and care cards…');
    await setPost(post);
    try {
      await pull(post.id);
    } catch (err) {
      if (!(err instanceof OfflineError || err instanceof ApiError)) throw err;
    }
    go('home');
  });
  box.append(posts.length ? form : h('p', {}, gettext('You are not assigned to any duty post.')));
}

function count(n, text, cls, glyph) {
  return h('span', {class: ['count', cls, !n && 'is-zero']}, icon(glyph), ' ', text);
}

export async function render(main, _params, {go}) {
  if (!session.postId) return go('posts');
  const list = h('ul', {class: 'resident-list', 'aria-label': gettext('Residents')});
  const day = today();
  main.append(h('section', {class: 'panel'},
    h('div', {class: 'panel-head'},
      h('h1', {}, session.post ? placeName(session.post) : gettext('Residents')),
      h('p', {class: 'sub'}, formatDate(day, {weekday: 'long', day: 'numeric', month: 'long'}))),
    list));

  let ticket = 0;  // concurrent refreshes: only the latest one may paint
  async function fill() {
    const turn = ++ticket;
    const [residents, cards] = await Promise.all([getAll('residents'), getAll('cards')]);
    const mine = residents.filter((r) => r.post_id === session.postId && r.active !== false)
      .sort((a, b) => String(a.room).localeCompare(String(b.room), undefined, {numeric: true})
        || String(a.bed).localeCompare(String(b.bed), undefined, {numeric: true}));
    if (!mine.length) {
      mount(list, h('li', {class: 'empty'}, gettext('No residents loaded yet. Connect to the network and press “Sync now”.')));
      return;
    }
    const rows = await Promise.all(mine.map(async (r) => {
      // her day's counts as the supervisor's day view gives them (lib/day.js)
      const {done, not_done: notDone, missing, due} = (await residentDay(r, day, cards)).counts;
      return h('li', {}, h('a', {href: `#/resident/${r.id}`, class: 'resident-row', testid: `resident-row-${r.id}`,
        dataset: {due, missing, done, notDone}},
      h('span', {class: 'room'}, h('span', {class: 'room-num'}, r.room), h('span', {class: 'bed'},
        format(gettext('bed %(bed)s'), {bed: r.bed}))),
      h('span', {class: 'who'},
        h('span', {class: 'name'}, r.full_name),
        h('span', {class: 'tags'},
          r.care_group ? h('span', {class: 'tag'}, format(gettext('Care group %(group)s'), {group: roman(r.care_group)})) : null,
          r.needs_reassessment ? h('span', {class: 'tag tag-warn'}, icon('⚑'), ' ', gettext('Needs reassessment')) : null,
          r.status === 'away' ? h('span', {class: 'tag tag-away', testid: `resident-away-${r.id}`}, stayLabel('away'))
            : null)),
      h('span', {class: 'counts'},
        count(due, format(ngettext('%(n)s due', '%(n)s due', due), {n: due}), 'count-due', '●'),
        count(missing, format(ngettext('%(n)s overdue', '%(n)s overdue', missing), {n: missing}), 'count-missing', '!'),
        count(done, format(ngettext('%(n)s done', '%(n)s done', done), {n: done}), 'count-done', '✓'),
        notDone ? count(notDone, format(ngettext('%(n)s not done', '%(n)s not done', notDone), {n: notDone}),
          'count-not-done', '✗') : null),
      icon('›')));
    }));
    if (turn === ticket) mount(list, rows);
  }
  await fill();
  performance.mark('bedside:residents-interactive');  // drawn, handlers attached (benchmarks/tablet.py)
  const onChange = () => fill();
  events.addEventListener('change', onChange);  // pushed, held, pulled
  const unwatch = watch({recorded: onChange});   // recorded here or in another tab
  const timer = setInterval(fill, 60000);
  return () => { events.removeEventListener('change', onChange); unwatch(); clearInterval(timer); };
}
