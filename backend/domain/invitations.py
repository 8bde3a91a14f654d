"""Invitation codes for relatives, and the rules of a relative's new account (pure: no Flask, no database).

A code is 10 characters from a 32-letter alphabet without the look-alikes 0/O, 1/I/L... (here: no 0, 1, I, O),
so 50 bits: shown grouped as "ABCDE-FGHJK", typed in any case, with or without the dash or spaces (full-width
letters typed on a Chinese keyboard count as the plain ones). Only the SHA-256 of the normalised code is stored.
A code is open until it expires (14 days by default, at most 30), is used once, or is withdrawn.
"""
import hashlib
import re
import secrets
import unicodedata
from datetime import timedelta

from .messages import Msg

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
LENGTH = 10
GROUP = 5
DEFAULT_DAYS = 14
MAX_DAYS = 30
STATUSES = ("open", "used", "expired", "withdrawn")

PASSWORD_MIN = 8
PASSWORD_MAX = 128
#: Letters of any script, digits and . _ - @ +; lower-cased (sign-in lower-cases the name it is given).
_USERNAME = re.compile(r"[\w.@+-]{3,80}")


def new_code(choice=secrets.choice):
    """A fresh code, normalised (no dash)."""
    return "".join(choice(ALPHABET) for _ in range(LENGTH))


def normalise(text):
    """The code as stored: NFKC (full-width to plain), upper case, without spaces and dashes; None when it
    cannot be a code (wrong length or a letter outside the alphabet)."""
    if not isinstance(text, str):
        return None
    plain = unicodedata.normalize("NFKC", text).upper()
    plain = re.sub(r"[\s\-‐‑–—_.]", "", plain)
    if len(plain) != LENGTH or any(c not in ALPHABET for c in plain):
        return None
    return plain


def display(code):
    """"ABCDEFGHJK" -> "ABCDE-FGHJK"."""
    return "-".join(code[i:i + GROUP] for i in range(0, len(code), GROUP))


def code_hash(code):
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def expiry(now, days=DEFAULT_DAYS):
    return now + timedelta(days=days)


def status(invitation, now):
    """open | used | expired | withdrawn for an object or dict with used_at, withdrawn_at, expires_at (naive
    UTC, as `now`)."""
    get = invitation.get if isinstance(invitation, dict) else lambda name: getattr(invitation, name)
    if get("withdrawn_at") is not None:
        return "withdrawn"
    if get("used_at") is not None:
        return "used"
    if now >= get("expires_at"):
        return "expired"
    return "open"


def normalise_username(text):
    return unicodedata.normalize("NFKC", text or "").strip().lower()


def account_problems(username, password, full_name):
    """{field: Msg} for a relative's new account (empty when it may be created). `username` normalised."""
    problems = {}
    if not _USERNAME.fullmatch(username or "") or not any(c.isalnum() for c in username):
        problems["username"] = Msg("3 to 80 letters or digits (also . _ - @ +), no spaces")
    if not isinstance(password, str) or len(password) < PASSWORD_MIN:
        problems["password"] = Msg("at least %(n)s characters", n=PASSWORD_MIN)
    elif len(password) > PASSWORD_MAX:
        problems["password"] = Msg("at most %(n)s characters", n=PASSWORD_MAX)
    elif username and password.strip().lower() == username:
        problems["password"] = Msg("must not be the user name")
    if not (full_name or "").strip():
        problems["full_name"] = Msg("required")
    return problems
