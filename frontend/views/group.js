// A resident's care group: the assessments, the app's suggestion with its reasons, the team's decision and the history.
import {h} from '../lib/dom.js';
import {gettext} from '../lib/i18n.js';

export function render(main) {
  main.append(h('section', {class: 'panel'}, h('h1', {}, gettext('Bedside'))));
}
