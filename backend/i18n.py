"""Languages: the locale of a request, and the Babel catalogs as JSON for the browser."""
import os

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import current_app, g, request
from flask_babel import force_locale, get_locale, gettext, ngettext
from flask_login import current_user
from sqlalchemy import inspect

from . import shell_graph
from .domain import places

LOCALES = ("ru", "zh_Hans", "en")
_BROWSER_TAGS = {"ru": "ru", "zh": "zh_Hans", "zh-cn": "zh_Hans", "zh-hans": "zh_Hans", "en": "en"}
_cache = {}


def select_locale():
    """The user's choice, else ?lang=, else the browser's preference, else English."""
    chosen = _user_locale()
    if chosen in LOCALES:
        return chosen
    asked = request.args.get("lang")
    if asked in LOCALES:
        return asked
    for tag, _quality in request.accept_languages:
        tag = tag.lower()
        if tag in _BROWSER_TAGS:
            return _BROWSER_TAGS[tag]
        if tag.split("-")[0] in _BROWSER_TAGS:
            return _BROWSER_TAGS[tag.split("-")[0]]
    return "en"


def _user_locale():
    """The signed-in person's language. After a database failure in this request (errors.forget_session) only if
    her row is loaded already: no query on a broken session."""
    if g.get("database_failed"):
        state = inspect(g.get("_login_user"), raiseerr=False)
        return state.dict.get("locale") if state is not None else None
    return current_user.locale if getattr(current_user, "is_authenticated", False) else None


def po_path(locale):
    return os.path.join(current_app.config["BABEL_TRANSLATION_DIRECTORIES"], locale, "LC_MESSAGES", "messages.po")


#: The two parts of a catalog the browser loads: the nurse's app's strings come with the app shell; the rest when
#: a person first opens another screen (frontend/lib/i18n.js loadRest), so the shell stays small.
PARTS = ("shell", "rest")


def catalog_json(locale, part="shell"):
    """{"locale", "plural_forms", "part", "messages": {msgid: msgstr or [forms]}, "shell_routes"} from the .po file,
    cached by mtime.

    Only what the tablet's code asks for: messages found in frontend/ (the server translates its own before they
    leave it), and of those only the ones whose text differs from what the tablet shows without a catalog (its
    gettext falls back to the msgid, and English plurals to the msgid's two forms): English sends almost nothing.
    Every tablet downloads all three catalogs, and this was a third of their size. `part`: "shell" holds the
    messages found in a module of the nurse's app (backend/shell_graph.py), "rest" the others; "shell_routes" names
    the routes the shell part serves."""
    path = po_path(locale)
    shell = shell_files(current_app.config["FRONTEND_DIR"])
    if not os.path.exists(path):
        return {"locale": locale, "plural_forms": None, "part": part, "messages": {},
                "shell_routes": list(shell_graph.NURSE_ROUTES)}
    mtime = os.path.getmtime(path)
    cached = _cache.get((path, part))
    if cached and cached[0] == mtime:
        return cached[1]
    with open(path, "rb") as fh:
        catalog = read_po(fh, locale=locale)
    messages = {}
    for message in catalog:
        if not message.id or not message.string or message.fuzzy:
            continue
        if not any(path.startswith("frontend/") for path, _line in message.locations):
            continue
        if (part == "shell") != any(path in shell for path, _line in message.locations):
            continue
        if message.string == message.id or (isinstance(message.id, tuple) and tuple(message.string) == message.id):
            continue
        if isinstance(message.id, tuple):
            messages[message.id[0]] = list(message.string)
        else:
            messages[message.id] = message.string
    data = {"locale": locale, "plural_forms": catalog.plural_forms, "part": part, "messages": messages,
            "shell_routes": list(shell_graph.NURSE_ROUTES)}
    _cache[(path, part)] = (mtime, data)
    return data


def shell_files(frontend_dir):
    """The nurse's app's modules as the .po files name them ("frontend/lib/sync.js"), read once per directory."""
    key = ("shell", frontend_dir)
    if key not in _cache:
        _cache[key] = {"frontend/" + rel for rel in shell_graph.nurse_modules(frontend_dir)}
    return _cache[key]


def compile_catalogs(translations_dir):
    """Write messages.mo next to each messages.po that is newer (Flask-Babel reads the .mo files)."""
    for locale in LOCALES:
        po = os.path.join(translations_dir, locale, "LC_MESSAGES", "messages.po")
        mo = po[:-3] + ".mo"
        if not os.path.exists(po) or (os.path.exists(mo) and os.path.getmtime(mo) >= os.path.getmtime(po)):
            continue
        with open(po, "rb") as fh:
            catalog = read_po(fh, locale=locale)
        tmp = mo + ".tmp"
        with open(tmp, "wb") as fh:
            write_mo(fh, catalog)
        os.replace(tmp, mo)


def language():
    """The request's language (or the one forced by force_locale): "ru", "zh_Hans" or "en"."""
    found = str(get_locale() or "en")
    return found if found in LOCALES else "en"


def place_name(place, lang=None):
    """A unit's or a duty post's name (a model, or a domain.places.PlaceName) in `lang`, else the request's language:
    the one way a reply names a place (domain/places.py)."""
    return places.name_in(place, lang or language())


def translate(message):
    """A rule's message (domain.messages.Msg), or a place's name (domain.places.PlaceName), in the request's language;
    other text as it is."""
    if isinstance(message, places.PlaceName):
        return message.in_language(language())
    template = getattr(message, "template", None)
    if template is None:
        # A schema's own message (a validator's fixed text) is in the catalogs when it was marked with Msg; any other
        # text -- or one holding what was sent -- is not, and stays as it is.
        return gettext(message) if isinstance(message, str) and message else message
    params = {name: translate(value) if getattr(value, "template", None) is not None else value
              for name, value in (message.params or {}).items()}
    plural = getattr(message, "plural", None)
    if plural is not None:
        params.pop("num", None)
        return ngettext(*plural, **params)
    return gettext(template) % params if params else gettext(template)


def translate_fields(fields):
    return {name: translate(text) for name, text in fields.items()} if fields else fields


def translator(lang=None):
    """The function that writes a message (domain.messages.Msg) in `lang` (None: the request's language): given to
    the services that write for a reader in a chosen language (they import no Flask-Babel)."""
    if lang is None:
        return translate

    def in_language(message):
        with force_locale(lang):
            return translate(message)
    return in_language
