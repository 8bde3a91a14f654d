// Staff: invitation codes for relatives (issue, see which are open, used or expired, withdraw).
import {h} from '../lib/dom.js';
import {gettext} from '../lib/i18n.js';

export function render(main) {
  main.append(h('section', {class: 'panel'}, h('h1', {}, gettext('Bedside'))));
}
