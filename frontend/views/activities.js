// Activity staff: the activity catalogue and the home's timetable (weekly sessions, events, cancellations and changes).
import {h} from '../lib/dom.js';
import {gettext} from '../lib/i18n.js';

export function render(main) {
  main.append(h('section', {class: 'panel'}, h('h1', {}, gettext('Bedside'))));
}
