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
        shell = client.get(f"/i18n/{locale}.json").get_json()["messages"]
        rest = client.get(f"/i18n/{locale}.rest.json").get_json()["messages"]
        assert not set(shell) & set(rest), locale
        sent = {**shell, **rest}
        catalog = {_key(m): m for m in _po(locale) if m.id}
        tablet = {k for k, m in catalog.items() if any(p.startswith("frontend/") for p, _ in m.locations)}
        assert set(sent) <= tablet, locale
        differs = {k for k in tablet if catalog[k].string and not catalog[k].fuzzy
                   and tuple(catalog[k].string if not isinstance(catalog[k].string, str) else (catalog[k].string,))
                   != tuple(catalog[k].id if not isinstance(catalog[k].id, str) else (catalog[k].id,))}
        assert set(sent) == differs, locale
    server_only = {_key(m) for m in _po("ru") if m.id and not any(p.startswith("frontend/") for p, _ in m.locations)}
    assert server_only, "the server has strings of its own"


def test_the_shell_part_holds_the_nurses_strings_and_the_rest_the_others(app):
    """/i18n/<locale>.json comes with the app shell: the strings of the nurse's app's modules (backend/shell_graph.py);
    /i18n/<locale>.rest.json the others, loaded before another screen is drawn (frontend/lib/i18n.js loadRest)."""
    from backend.shell_graph import NURSE_ROUTES, nurse_modules

    nurse = {"frontend/" + m for m in nurse_modules(str(ROOT / "frontend"))}
    catalog = {_key(m): m for m in _po("ru") if m.id}
    client = app.test_client()
    shell = client.get("/i18n/ru.json").get_json()
    rest = client.get("/i18n/ru.rest.json").get_json()
    assert shell["shell_routes"] == list(NURSE_ROUTES) and "resident" in shell["shell_routes"]
    assert all(any(p in nurse for p, _ in catalog[k].locations) for k in shell["messages"])
    assert not any(any(p in nurse for p, _ in catalog[k].locations) for k in rest["messages"])
    assert "Done" in shell["messages"] and len(rest["messages"]) > 100
    assert client.get("/i18n/ru.more.json").status_code == 404 and client.get("/i18n/xx.rest.json").status_code == 404
