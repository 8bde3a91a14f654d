// The language choice (sign-in, joining as a relative, settings): a button per language, the current one pressed.
// Its own module: the nurse's screens need it, not the form fields of lib/fields.js.
import {h} from './dom.js';
import {LANGUAGE_NAMES, LOCALES, gettext} from './i18n.js';

export function languagePicker(current, onPick) {
  return h('div', {class: 'lang-picker', role: 'group', 'aria-label': gettext('Language')},
    LOCALES.map((code) => h('button', {type: 'button', class: 'choice choice-lang', lang: code.replace('_', '-'),
      'aria-pressed': String(code === current), testid: `lang-${code}`, onclick: () => onPick(code)},
    LANGUAGE_NAMES[code])));
}
