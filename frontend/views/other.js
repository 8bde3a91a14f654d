// Roles without a tablet screen yet.
import {h} from '../lib/dom.js';
import {format, gettext} from '../lib/i18n.js';
import {roleLabel} from '../lib/labels.js';
import {session} from '../lib/session.js';

export function render(main) {
  main.append(h('section', {class: 'panel narrow'},
    h('h1', {}, gettext('Nothing for your role on this tablet yet')),
    h('p', {}, format(gettext('You are signed in as %(name)s (%(role)s).'),
      {name: session.user.full_name, role: roleLabel(session.user.role)})),
    h('p', {}, gettext('Your work is done in the office application. You can change the language or sign out here.')),
    h('div', {class: 'button-row'}, h('a', {href: '#/settings', class: 'btn'}, gettext('Settings')),
      h('a', {href: '#/logout', class: 'btn', testid: 'logout-other'}, gettext('Sign out')))));
}
