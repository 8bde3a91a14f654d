// The planner's board: reassessments due, overdue or marked per unit, and care-plan goals due for review.
import {h} from '../lib/dom.js';
import {gettext} from '../lib/i18n.js';

export function render(main) {
  main.append(h('section', {class: 'panel'}, h('h1', {}, gettext('Bedside'))));
}
