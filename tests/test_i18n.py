"""The catalogs are complete and every translation keeps the placeholders of its source text."""
import importlib.util
import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "translations"
LOCALES = ("ru", "zh_Hans", "en")
# Python-style placeholders: %(name)s, %(n)d and the positional %s / %d.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]")


def load_script():
    spec = importlib.util.spec_from_file_location("bedside_i18n_script", ROOT / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def catalog(locale):
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return read_po(fh, locale=locale)


def messages(locale):
    return [m for m in catalog(locale) if m.id]


def placeholders(text):
    return Counter(PLACEHOLDER.findall(text))


def test_check_passes():
    assert load_script().check() == []


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_placeholders(locale):
    wrong = []
    for m in messages(locale):
        if isinstance(m.id, str):
            if m.string and placeholders(m.string) != placeholders(m.id):
                wrong.append((m.id, m.string))
        else:
            expected = placeholders(m.id[0]) | placeholders(m.id[1])
            wrong.extend((m.id[0], form) for form in m.string if form and placeholders(form) != expected)
    assert wrong == []


def test_russian_plurals_have_three_forms():
    ru = catalog("ru")
    assert ru.num_plurals == 3
    plurals = [m for m in ru if m.id and not isinstance(m.id, str)]
    assert plurals, "the catalog has plural entries"
    bad = [m.id[0] for m in plurals if len(m.string) != 3 or not all(form.strip() for form in m.string)]
    assert bad == []


# gettext('...') / ngettext('...', '...') with a plain literal; Babel's JavaScript extractor has been seen to
# drop every string after a template literal nested in another, so the catalogs are checked against the source.
JS_CALL = re.compile(r"""\b(n?gettext)\(\s*(['"])((?:\\.|(?!\2).)*)\2(?:\s*,\s*(['"])((?:\\.|(?!\4).)*)\4)?""")


def test_every_string_of_the_tablet_is_in_the_catalogs():
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in messages("en")}
    missing = []
    for path in sorted((ROOT / "frontend").rglob("*.js")):
        for match in JS_CALL.finditer(path.read_text(encoding="utf-8")):
            msgid = match.group(3).encode().decode("unicode_escape") if "\\" in match.group(3) else match.group(3)
            if msgid not in known:
                missing.append(f"{path.relative_to(ROOT)}: {msgid}")
    assert not missing, "\n".join(missing)
