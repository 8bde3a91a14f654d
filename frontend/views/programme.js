// A resident's individual programme (activities, how often, goal) and the daily schedule it yields beside the fixed parts of the day.
import {h} from '../lib/dom.js';
import {gettext} from '../lib/i18n.js';

export function render(main) {
  main.append(h('section', {class: 'panel'}, h('h1', {}, gettext('Bedside'))));
}
