"""Keep the catalogs in step with the source.

`python scripts/i18n.py update` extracts every string of backend/ (Python) and frontend/ (JavaScript)
into translations/messages.pot and merges it into the ru, zh_Hans and en catalogs; `apply LOCALE FILE`
sets translations from a JSON {msgid: text} file (and prints where they leave docs/glossary.tsv's words);
`check` fails when the template is stale or a catalog lacks a translation.
"""
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "translations"
LOCALES = ("ru", "zh_Hans", "en")
GLOSSARY = ROOT / "docs" / "glossary.tsv"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]")
IGNORE = ".venv .git tests instance benchmarks node_modules translations docs scripts"


def extract(target):
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(ROOT / "babel.cfg"),
                    "--ignore-dirs", IGNORE, "--sort-by-file", "--project", "Bedside", "--no-wrap",
                    "-k", "Msg", "-o", str(target), "."], check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def ids(path):
    with open(path, "rb") as fh:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}


def update():
    pot = TRANSLATIONS / "messages.pot"
    extract(pot)
    for locale in LOCALES:
        po = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
        command = "update" if po.exists() else "init"
        args = [sys.executable, "-m", "babel.messages.frontend", command, "-i", str(pot), "-d", str(TRANSLATIONS),
                "-l", locale, "--no-wrap"]
        if command == "update":
            args.append("--no-fuzzy-matching")
        subprocess.run(args, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    fill_english()


def fill_english():
    """English is the source language: its catalog repeats each msgid."""
    po = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
    with open(po, "rb") as fh:
        catalog = read_po(fh, locale="en")
    for m in catalog:
        empty = not m.string or (isinstance(m.string, tuple) and not all(m.string))
        if m.id and empty:
            m.string = m.id if isinstance(m.id, str) else tuple(m.id)
        m.flags.discard("fuzzy")
    with open(po, "wb") as fh:
        write_po(fh, catalog, width=0)


def apply(locale, translations):
    """Set msgstr for the given {msgid: text or (one, few, many)} in a locale's catalog. Returns the msgids given
    in the wrong shape (forms for a singular msgid, one text for a plural one), which are left as they were. The
    catalog is written whole or not at all (a write that failed half-way once left a catalog of 316 of its 1,512
    messages, which `check` did not notice)."""
    po = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
    with open(po, "rb") as fh:
        catalog = read_po(fh, locale=locale)
    wrong = []
    for m in catalog:
        plural = m.id and not isinstance(m.id, str)
        key = m.id[0] if plural else m.id
        if key not in translations:
            continue
        value = translations[key]
        if plural != isinstance(value, tuple):
            wrong.append(key)
            continue
        m.string = value
        m.flags.discard("fuzzy")
    partial = po.with_suffix(".po.partial")
    with open(partial, "wb") as fh:
        write_po(fh, catalog, width=0)
    os.replace(partial, po)
    return wrong


def _rule(text):
    return re.compile(text, re.IGNORECASE) if text else None


def glossary_problems(locale, translations):
    """Where the given {msgid: text or forms} leave the word docs/glossary.tsv gives a concept (the rules
    tests/test_glossary.py applies to the whole catalog): lines to print when applying."""
    if not GLOSSARY.exists():
        return []
    with open(GLOSSARY, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    problems = []
    for msgid, value in translations.items():
        english = PLACEHOLDER.sub("{}", msgid)
        for text in [PLACEHOLDER.sub("{}", form) for form in ([value] if isinstance(value, str) else value)]:
            for row in rows:
                avoid, names = _rule(row[f"avoid_{locale}"]), _rule(row["en_match"])
                word = _rule(row.get(f"{locale}_match"))
                if avoid and avoid.search(text):
                    problems.append(f"{locale}: {row['concept']}: not {avoid.search(text).group(0)!r} but "
                                    f"{row[locale]!r}, in {msgid!r}")
                elif names and word and names.search(english) and not word.search(text):
                    problems.append(f"{locale}: {row['concept']}: say {row[locale]!r} in {msgid!r}")
    return problems


def check():
    """Problems as text lines: strings missing from the template or untranslated in a catalog."""
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "messages.pot"
        extract(fresh)
        current = ids(fresh)
    if current != ids(TRANSLATIONS / "messages.pot"):
        problems.append("translations/messages.pot is stale: run `python scripts/i18n.py update`")
    for locale in LOCALES:
        with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as fh:
            catalog = read_po(fh, locale=locale)
        held = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
        problems.extend(f"{locale}: missing {key!r}" for key in sorted(current - held))
        for m in catalog:
            if not m.id:
                continue
            key = m.id if isinstance(m.id, str) else m.id[0]
            if key in current and (not m.string or (isinstance(m.string, tuple) and not all(m.string)) or m.fuzzy):
                problems.append(f"{locale}: untranslated {key!r}")
            if key not in current:  # iterating a catalog skips its obsolete (#~) entries
                problems.append(f"{locale}: stale entry {key!r}")
    return problems


if __name__ == "__main__":
    if sys.argv[1:] == ["update"]:
        update()
    elif len(sys.argv) == 4 and sys.argv[1] == "apply":  # apply LOCALE FILE.json
        given = {k: tuple(v) if isinstance(v, list) else v
                 for k, v in json.loads(Path(sys.argv[3]).read_text(encoding="utf-8")).items()}
        for msgid in apply(sys.argv[2], given):
            print(f"not applied: {msgid!r} (forms for a singular msgid, or one text for a plural one)", file=sys.stderr)
        for line in glossary_problems(sys.argv[2], given):  # applied all the same; tests/test_glossary.py will fail
            print(f"glossary (docs/glossary.tsv): {line}", file=sys.stderr)
    elif sys.argv[1:] == ["check"]:
        found = check()
        print("\n".join(found) or "catalogs complete")
        sys.exit(1 if found else 0)
    else:
        sys.exit(__doc__)
