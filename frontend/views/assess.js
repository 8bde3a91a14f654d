// Assessments at the bedside: choose a form, fill it offline with the score shown live, save it as an entry.
import {h} from '../lib/dom.js';
import {gettext} from '../lib/i18n.js';

export function render(main) {
  main.append(h('section', {class: 'panel'}, h('h1', {}, gettext('Bedside'))));
}
