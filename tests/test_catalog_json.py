"""The catalogs the tablet downloads (/i18n/<locale>.json) hold its own strings only: those found in frontend/, and
of those only the ones whose text differs from what the tablet shows without a catalog (the msgid)."""
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]


def _po(locale):
    with open(ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return read_po(fh, locale=locale)


def _key(message):
    return message.id if isinstance(message.id, str) else message.id[0]


def test_only_the_tablets_strings_and_only_where_they_differ(app):
    client = app.test_client()
    for locale in ("ru", "zh_Hans", "en"):
        sent = client.get(f"/i18n/{locale}.json").get_json()["messages"]
        catalog = {_key(m): m for m in _po(locale) if m.id}
        tablet = {k for k, m in catalog.items() if any(p.startswith("frontend/") for p, _ in m.locations)}
        assert set(sent) <= tablet, locale
        differs = {k for k in tablet if catalog[k].string and not catalog[k].fuzzy
                   and tuple(catalog[k].string if not isinstance(catalog[k].string, str) else (catalog[k].string,))
                   != tuple(catalog[k].id if not isinstance(catalog[k].id, str) else (catalog[k].id,))}
        assert set(sent) == differs, locale
    server_only = {_key(m) for m in _po("ru") if m.id and not any(p.startswith("frontend/") for p, _ in m.locations)}
    assert server_only, "the server has strings of its own"
