// Home and community care (issue 18): placeholder, filled in by its own change.
import {h, mount} from '../lib/dom.js';
import {gettext} from '../lib/i18n.js';

export async function render(main) {
  mount(main, h('section', {class: 'panel'}, h('h1', {}, gettext('Visits'))));
}
