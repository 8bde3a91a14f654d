// The family view: a relative's resident(s), today's and the coming week's schedule, the home's events, recent participation, the questionnaire.
import {h} from '../lib/dom.js';
import {gettext} from '../lib/i18n.js';

export function render(main) {
  main.append(h('section', {class: 'panel'}, h('h1', {}, gettext('Bedside'))));
}
