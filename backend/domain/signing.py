"""Entry signatures: who made an entry, checkable by the server.

At a password sign-in the server issues the tablet a key for that person on that device (32 random
bytes). The tablet keeps it wrapped under the person's PIN and signs every entry she makes with
HMAC-SHA256 over the entry's canonical text; the server, which holds the same key, recomputes it.
An entry whose signature is missing, made with another person's or another device's key, or made
over different content is refused as `bad_signature` (it stays visible on the tablet).

Why a MAC and not a public-key signature: the check needs a secret only the tablet and the server
know, not proof to third parties (the server is the record keeper), and the HMAC itself costs about
1.4 µs per entry where ECDSA verification costs about a hundred -- the push path stores thousands of
entries a second. With the canonical text built in Python the whole check is 10-18 µs per entry
(docs/benchmarks.md); `canonical` is where to optimise if the push path needs it.

The canonical text is the same in `frontend/lib/signing.js`; `tests/fixtures/signing_cases.json`
holds vectors that both implementations must reproduce byte for byte.
"""
import base64
import binascii
import hashlib
import hmac
import json
import math
from datetime import date

from . import entry_fields

#: Fields covered by the signature, in this order (the same as the payload hash's): domain/entry_fields.py.
SIGNED_FIELDS = entry_fields.SIGNED
VERSION = "bedside-entry-v1"


def js_number(x):
    """A number as JavaScript's Number.prototype.toString writes it (ECMA-262 Number::toString)."""
    if isinstance(x, bool):
        raise TypeError("not a number")
    if isinstance(x, int):
        if abs(x) < 10 ** 21:
            return str(x)
        x = float(x)
    if math.isnan(x) or math.isinf(x):
        return "null"  # JSON has neither; JSON.stringify writes null
    if x == 0:
        return "0"
    if x < 0:
        return "-" + js_number(-x)
    # Shortest round-trip digits (both languages use them), then JavaScript's layout rules.
    digits, _, exp = f"{x!r}".partition("e")
    mantissa = digits.replace(".", "")
    point = digits.index(".") if "." in digits else len(digits)
    n = point + (int(exp) if exp else 0)  # the decimal point's position in the digit string
    stripped = mantissa.lstrip("0")
    n -= len(mantissa) - len(stripped)
    s = stripped.rstrip("0") or "0"
    k = len(s)
    if k <= n <= 21:
        return s + "0" * (n - k)
    if 0 < n <= 21:
        return s[:n] + "." + s[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + s
    e = n - 1
    sign = "+" if e >= 0 else "-"
    return (s[0] + ("." + s[1:] if k > 1 else "")) + "e" + sign + str(abs(e))


#: json.dumps(s, ensure_ascii=False) for a str, without dumps' per-call encoder set-up (the same C function).
_json_str = json.encoder.encode_basestring
#: Integers JavaScript writes as plain digits (js_number's first case).
_PLAIN_INT = 10 ** 21


def _sorted_keys(mapping):
    """Keys sorted by UTF-16 code units, as JavaScript's default sort does (for ASCII text: plain order)."""
    keys = list(mapping)
    if all(type(k) is str for k in keys) and "".join(keys).isascii():
        return sorted(keys)
    return sorted(keys, key=lambda k: str(k).encode("utf-16-be"))


def _text(value):
    # The push path signs every entry: the common types first, by exact type (bool is not int here).
    kind = type(value)
    if kind is str:
        return _json_str(value)
    if kind is int and -_PLAIN_INT < value < _PLAIN_INT:
        return str(value)
    if kind is float:
        # Python's repr in fixed notation (1e-4 <= |x| < 1e16) has JavaScript's digits and layout, except for
        # a trailing ".0" (JavaScript writes 36) and the exponent forms; nan and inf end in a letter.
        text = repr(value)
        return text if text[-1].isdigit() and "e" not in text and not text.endswith(".0") else js_number(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return js_number(value)
    if isinstance(value, date):
        return '"' + value.isoformat() + '"'
    if isinstance(value, str):
        return _json_str(value)
    if isinstance(value, dict):
        keys = _sorted_keys(value)
        return "[" + ",".join("[" + _text(str(k)) + "," + _text(value[k]) + "]" for k in keys) + "]"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_text(v) for v in value) + "]"
    raise TypeError(f"cannot sign a {type(value).__name__}")


def canonical(entry):
    """The exact text an entry's signature covers."""
    # Text and empty fields, most of an entry, without a call of _text each.
    return "\n".join([VERSION, *[_json_str(value) if type(value) is str else "null" if value is None else _text(value)
                                 for value in map(entry.get, SIGNED_FIELDS)]])


_URLSAFE = bytes.maketrans(b"+/", b"-_")


#: What a key's secret is derived for (domain separation from the app's other uses of its secret key).
KEY_PURPOSE = b"bedside-signing-key-v1"


def derive_key(master, key_id, user_id, device_id):
    """A signing key's 32-byte secret, derived from the server's master secret (kept outside the database: the
    instance folder's secret key) and what the key is for. The server keeps every key it issues in its database
    as well; the derivation is what lets it check an entry signed with a key issued after the backup it was
    restored from (backend/backup.py), which the restored database no longer holds."""
    if isinstance(master, str):
        master = master.encode()
    text = "|".join((key_id, str(user_id), device_id)).encode()
    return hmac.new(master, KEY_PURPOSE + b"|" + text, hashlib.sha256).digest()


def b64(raw):
    """base64url without padding (base64.urlsafe_b64encode's text, without its two Python-level calls)."""
    return binascii.b2a_base64(raw, newline=False).translate(_URLSAFE).rstrip(b"=").decode()


def decode_key(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(secret, entry):
    """The signature of an entry under a key (raw bytes)."""
    body = canonical(entry).encode("utf-8", "surrogatepass")
    return b64(hmac.digest(secret, body, "sha256"))


def verify(secret, entry, signature):
    if not isinstance(signature, str) or not signature:
        return False
    try:
        expected = sign(secret, entry)
    except TypeError:
        return False
    return hmac.compare_digest(expected, signature)


def proof(secret, purpose, *parts):
    """A keyed proof over a short message (PIN unlock online: the server's challenge)."""
    body = "\n".join([purpose, *map(str, parts)]).encode()
    return b64(hmac.new(secret, body, hashlib.sha256).digest())


def check_proof(secret, signature, purpose, *parts):
    return isinstance(signature, str) and hmac.compare_digest(proof(secret, purpose, *parts), signature)
