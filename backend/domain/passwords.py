"""The password policy (OWASP ASVS 5.0, level 2, chapter V6.2).

- At least 8 characters (V6.2.1), up to 128 (at least 64 must be allowed: V6.2.9). Counted in Unicode code
  points after NFC normalisation, so a Cyrillic or Chinese password counts as the person sees it.
- No composition rules (V6.2.5): no "one upper case, one digit". Length and rarity are what protect.
- Not a common password (V6.2.4): the bundled list of about 20,000 (backend/data/, checked offline, case-
  insensitive), with keyboard walks on the Russian layout and pinyin added.
- Not built on the context (V6.2.11): her user name, her name, the home's name, the product's name.
- Checked exactly as typed (V6.2.8): nothing is trimmed or folded before hashing; the checks above compare a
  lower-cased copy.

The rules are plain Python: `problems(password, context)` returns the reasons (messages, in English; the API
translates them), an empty list when the password is acceptable. Nothing here logs or keeps a password.
"""
import gzip
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from .messages import Msg

MIN_LENGTH = 8
MAX_LENGTH = 128
#: A context word shorter than this is not looked for (a two-letter surname would refuse half of all passwords).
MIN_CONTEXT_WORD = 4
DATA = Path(__file__).resolve().parents[1] / "data"


@lru_cache(maxsize=1)
def common_passwords():
    """The bundled list, lower case, as a frozenset (read once)."""
    with gzip.open(DATA / "common-passwords.txt.gz", "rt", encoding="utf-8") as fh:
        words = {line.strip() for line in fh}
    with open(DATA / "common-passwords-local.txt", encoding="utf-8") as fh:
        words.update(line.strip() for line in fh if not line.startswith("#"))
    words.discard("")
    return frozenset(w.lower() for w in words)


def length(password):
    return len(unicodedata.normalize("NFC", password))


def _context_words(context):
    """The words a password must not be built on: each value whole, and each of its words."""
    words = set()
    for value in context:
        text = unicodedata.normalize("NFC", value or "").lower()
        for part in [re.sub(r"\s+", "", text)] + re.split(r"[\W_]+", text):
            if len(part) >= MIN_CONTEXT_WORD:
                words.add(part)
    return words


def problems(password, context=()):
    """Why `password` is refused (Msg list, empty when it is acceptable). `context`: her user name, her full name,
    the home's name: strings a guesser would try first."""
    n = length(password)
    if n < MIN_LENGTH:
        return [Msg("At least %(n)s characters, please (a few words make a good password).", n=MIN_LENGTH)]
    if n > MAX_LENGTH:
        return [Msg("At most %(n)s characters, please.", n=MAX_LENGTH)]
    folded = unicodedata.normalize("NFC", password).lower()
    if folded in common_passwords() or folded.strip("0123456789!.") in common_passwords():
        return [Msg("This password is one of the most common ones: choose another.")]
    if len(set(folded)) <= 2:
        return [Msg("This password is one of the most common ones: choose another.")]
    for word in _context_words(tuple(context) + ("bedside",)):
        if word in folded:
            return [Msg("A password must not contain your user name, your name or the home's name.")]
    return []
