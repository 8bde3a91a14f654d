"""One word per concept (issue 17): the catalogs follow docs/glossary.tsv.

Each row of the glossary names a concept's word in ru, zh_Hans and en (the sources' own words: 004 for Russian,
002/003 and the shared glossary for Chinese) and, as regular expressions (case-insensitive):
- `avoid_<locale>`: the other renderings found for it; no translation of that locale may contain one;
- `en_match` and `<locale>_match`: where an English msgid names the concept, its translation names it with the
  glossary's word.
Placeholders (%(name)s) are replaced by {} before matching, so a variable's name is never taken for a word.
"""
import csv
import importlib.util
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "docs" / "glossary.tsv"
TRANSLATIONS = ROOT / "translations"
LOCALES = ("ru", "zh_Hans", "en")
COLUMNS = ["concept", "ru", "zh_Hans", "en", "source", "note", "en_match", "ru_match", "zh_Hans_match",
           "avoid_ru", "avoid_zh_Hans", "avoid_en"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]")


def glossary():
    with open(GLOSSARY, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def pattern(text):
    return re.compile(text, re.IGNORECASE) if text else None


def plain(text):
    return PLACEHOLDER.sub("{}", text)


def translations(locale):
    """(English msgid, translation) for every form of every message the compiled catalog holds (no fuzzy or
    obsolete entries, as write_mo leaves them out); a plural's forms each go with both English forms."""
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as fh:
        catalog = read_po(fh, locale=locale)
    pairs = []
    for m in catalog:
        if not m.id or m.fuzzy:
            continue
        english = m.id if isinstance(m.id, str) else " | ".join(m.id)
        forms = [m.string] if isinstance(m.string, str) else list(m.string)
        pairs.extend((plain(english), plain(form)) for form in forms if form)
    return pairs


def test_glossary_is_well_formed():
    rows = glossary()
    assert rows, "the glossary has concepts"
    with open(GLOSSARY, encoding="utf-8") as fh:
        assert fh.readline().rstrip("\n").split("\t") == COLUMNS
    concepts = [row["concept"] for row in rows]
    assert len(concepts) == len(set(concepts)), "a concept is listed twice"
    for row in rows:
        assert None not in row and all(row[c] is not None for c in COLUMNS), f"{row['concept']}: wrong column count"
        assert row["ru"] and row["zh_Hans"] and row["en"] and row["source"], row["concept"]
        for column in COLUMNS[6:]:
            pattern(row[column])  # compiles
        if row["en_match"]:
            assert row["ru_match"] and row["zh_Hans_match"], f"{row['concept']}: a match without the words to find"


# What issue 17 found (finding 7), and the catalogs' other variants: each is a rendering the glossary rules out.
FOUND = [
    ("ru", "Дни, подтверждённые старшей медсестрой для всего отделения"),
    ("ru", "Изменения старших медсестёр"),
    ("ru", "Повторная оценка просрочена"),
    ("ru", "Просроченные переоценки"),
    ("ru", "В этом отделении нет жителей."),
    ("ru", "Весь дом"),
    ("ru", "Посещаемость"),
    ("zh_Hans", "护理组长"), ("zh_Hans", "由主管修改"), ("zh_Hans", "护士长对整个科室确认的天数"), ("zh_Hans", "主管护士"),
    ("zh_Hans", "护理卡"), ("zh_Hans", "照护卡完成率"), ("zh_Hans", "护理等级"), ("zh_Hans", "文化休闲"),
    ("zh_Hans", "体育健康"), ("zh_Hans", "信息教育"), ("zh_Hans", "信息与教育"), ("zh_Hans", "住户"), ("zh_Hans", "长者"),
    ("zh_Hans", "院民"), ("zh_Hans", "整个病区的当天"), ("zh_Hans", "本平板电脑"), ("zh_Hans", "住户的个人计划"),
    ("zh_Hans", "因病情变化已标记"),
    ("en", "Culture and leisure"), ("en", "Information and education"),
]


@pytest.mark.parametrize("locale, text", FOUND)
def test_the_glossary_rules_out_the_variants_found(locale, text):
    assert any(pattern(row[f"avoid_{locale}"]) and pattern(row[f"avoid_{locale}"]).search(text)
               for row in glossary()), f"no avoid_{locale} rule catches {text!r}"


def test_the_chosen_words_are_not_avoided():
    clash = [(row["concept"], locale, other["concept"]) for row in glossary() for locale in LOCALES
             for other in glossary() if pattern(other[f"avoid_{locale}"])
             and pattern(other[f"avoid_{locale}"]).search(row[locale].split(" (")[0])]
    assert clash == []


@pytest.mark.parametrize("locale", LOCALES)
def test_no_translation_uses_an_avoided_rendering(locale):
    rules = [(row["concept"], pattern(row[f"avoid_{locale}"])) for row in glossary() if row[f"avoid_{locale}"]]
    found = sorted({f"{concept}: {english!r} -> {text!r}" for english, text in translations(locale)
                    for concept, rule in rules if rule.search(text)})
    assert not found, "\n".join(found)


@pytest.mark.parametrize("locale", ("ru", "zh_Hans"))
def test_each_concept_keeps_its_word(locale):
    rules = [(row["concept"], pattern(row["en_match"]), pattern(row[f"{locale}_match"])) for row in glossary()
             if row["en_match"]]
    found = sorted({f"{concept}: {english!r} -> {text!r}" for english, text in translations(locale)
                    for concept, names, word in rules if names.search(english) and not word.search(text)})
    assert not found, "\n".join(found)


def load_script():
    spec = importlib.util.spec_from_file_location("bedside_i18n_script", ROOT / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_applying_a_translation_warns_of_the_glossary():
    """scripts/i18n.py apply names what a translation file leaves of the glossary (it applies it all the same)."""
    problems = load_script().glossary_problems
    assert problems("zh_Hans", {"Close the card": "关闭护理卡"}) == [
        "zh_Hans: care_card: not '护理卡' but '照护记录单', in 'Close the card'"]
    assert problems("ru", {"Amendments by supervisors": "Изменения старших медсестёр"}) == [
        "ru: ward_nurse: not 'старших медс' but 'палатная медсестра (004: медицинская сестра палатная (постовая))', "
        "in 'Amendments by supervisors'"]
    assert problems("ru", {"Residents of the month: %(n)s": "Жителей в месяце: %(n)s"}) == [
        "ru: resident: not 'Жител' but 'проживающий', in 'Residents of the month: %(n)s'"]
    assert problems("zh_Hans", {"%(n)s card closed.": ["已关闭 %(n)s 张照护记录单。"]}) == []
