"""The password policy (domain/passwords.py): ASVS 5.0 level 2 -- length, the bundled common-password list, the
context words, and no composition rules."""
import pytest

from backend.domain import passwords

CONTEXT = ("o.zimina", "Ольга Зимина", "Дом ветеранов «Берёзка»")


@pytest.mark.parametrize("password", ["correct horse battery", "берёзовая роща", "我的花园很漂亮啊", "a" * 7 + "bc",
                                      "x" * 3 + "yz12345", "p" * 60 + "q" * 60 + "r" * 8])
def test_accepted_without_composition_rules(password):
    assert passwords.problems(password, CONTEXT) == []


@pytest.mark.parametrize("password", ["", "short", "1234567", "колобок", "我的花园"])
def test_too_short(password):
    assert "At least 8" in passwords.problems(password, CONTEXT)[0]


def test_length_counts_what_the_person_sees():
    composed = "е\u0308лка-пила"  # ё as e + combining diaeresis: 9 code points typed, 8 after NFC... still >= 8
    assert passwords.length(composed) == 9
    assert passwords.problems("x" * 129, CONTEXT)[0].startswith("At most 128")
    assert passwords.problems("xyz" * 40 + "abcdefgh", CONTEXT) == []  # 128 exactly


@pytest.mark.parametrize("password", ["password", "Password1", "qwerty123", "iloveyou", "12345678", "ЙЦУКЕН123",
                                      "пароль123", "woaini1314", "a5201314", "88888888", "P@ssw0rd", "zzzzzzzzzz"])
def test_common_passwords_are_refused_whatever_the_case(password):
    found = passwords.problems(password, CONTEXT)
    assert found and "common" in found[0]


@pytest.mark.parametrize("password", ["o.zimina2026", "Зимина навсегда", "берёзка и клён", "my bedside pass"])
def test_context_words_are_refused(password):
    found = passwords.problems(password, CONTEXT)
    assert found and "user name" in found[0]


def test_the_list_is_bundled_and_large():
    words = passwords.common_passwords()
    assert len(words) > 19000 and "123456" in words and "йцукен" in words
