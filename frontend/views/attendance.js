// Attendance on the tablet: today's sessions, a group's attendance in one step, residents without activity for seven days.
import {h} from '../lib/dom.js';
import {gettext} from '../lib/i18n.js';

export function render(main) {
  main.append(h('section', {class: 'panel'}, h('h1', {}, gettext('Bedside'))));
}
