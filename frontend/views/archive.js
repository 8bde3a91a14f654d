// Month close and the archive: closed cards, read-only, with their printable PDF.
import {h} from '../lib/dom.js';
import {gettext} from '../lib/i18n.js';

export function render(main) {
  main.append(h('section', {class: 'panel'}, h('h1', {}, gettext('Bedside'))));
}
