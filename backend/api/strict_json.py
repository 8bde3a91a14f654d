"""The API's one JSON parser: strict, bounded, and naming where a body goes wrong (docs/security.md,
"The input boundary").

Python's `json` accepts what the rest of the app cannot hold: NaN and Infinity (not JSON at all), integers of any
length, lone UTF-16 surrogates written as `\\ud800` (a str that fails to encode later: a 500), U+0000 (PostgreSQL's
text cannot hold it) and any nesting (marshmallow then recurses until RecursionError). `parse` refuses each of them
with the dotted path of the first place found, as marshmallow names fields (`entries.3.note`; the body itself: `_`).

Cost on the hot path (a push of 500 entries): the number hooks run only for floats and the constants, the text of
strings is looked at only when the raw body holds a `\\u0000` or a surrogate escape, and one walk over the parsed
values (not into the strings) checks depth and integers: about half a millisecond for 500 entries, on top of the
millisecond json itself takes.
"""
import json
import math
import re

#: Deepest nesting of objects and arrays (the body itself is level 1). A push is 4 deep (body, entries, entry,
#: values); the deepest honest body is a care plan's content, well under this.
MAX_DEPTH = 32
#: The integers JavaScript (the tablet) represents exactly: Number.MAX_SAFE_INTEGER.
MAX_SAFE_INTEGER = 2**53 - 1

NUL = "\x00"
_NUL_ESCAPE = b"\\u0000"
#: The start of a `\ud800`..`\udfff` escape: the only way a surrogate reaches a parsed string (strict UTF-8 decoding
#: refuses encoded ones). A valid pair, or Korean text escaped as `\ud5xx`, also matches: the walk then looks at the
#: strings and lets them through. Two plain searches: a regular expression tried at every `\u` of a body escaped to
#: ASCII cost a millisecond per push.
_SURROGATE_ESCAPES = (b"\\ud", b"\\uD")
_SURROGATE = re.compile("[\ud800-\udfff]")

# What is wrong, as the boundary reports it (it translates them).
MALFORMED, TOO_DEEP, NOT_FINITE, UNSAFE_INTEGER, NUL_TEXT, SURROGATE_TEXT = (
    "malformed", "too_deep", "not_finite", "unsafe_integer", "nul", "surrogate")


class BadJson(ValueError):
    def __init__(self, problem, path="_"):
        super().__init__(f"{path}: {problem}")
        self.problem, self.path = problem, path or "_"


class _NotFinite:
    """Left in place of NaN, Infinity or a float too large for a double, so the walk can name where it was."""


_NOT_FINITE = _NotFinite()


def _constant(_name):
    return _NOT_FINITE


def _float(text):
    value = float(text)
    return value if math.isfinite(value) else _NOT_FINITE


_DECODER = json.JSONDecoder(parse_float=_float, parse_constant=_constant)


def parse(raw):
    """The value of a JSON body (bytes), or BadJson naming the problem and where it is."""
    try:
        text = raw.decode("utf-8")
        value = _DECODER.decode(text)
    except RecursionError:
        raise BadJson(TOO_DEEP) from None
    except ValueError:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise BadJson(MALFORMED) from None
    # a backslash is found at memchr speed: the browser's bodies have none unless a note holds a line break or a quote
    check_text = b"\\" in raw and (_NUL_ESCAPE in raw or any(escape in raw for escape in _SURROGATE_ESCAPES))
    found = _first_problem(value, check_text)
    if found is not None:
        raise BadJson(*found)
    return value


def text_problem(text):
    """NUL_TEXT or SURROGATE_TEXT for text the database cannot store, else None."""
    if NUL in text:
        return NUL_TEXT
    if not text.isascii() and _SURROGATE.search(text):
        return SURROGATE_TEXT
    return None


def _scalar_problem(value, check_text):
    kind = type(value)
    if kind is int:
        return None if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER else UNSAFE_INTEGER
    if value is _NOT_FINITE:
        return NOT_FINITE
    if check_text and kind is str:
        return text_problem(value)
    return None


def _items(node):
    return iter(node.items()) if type(node) is dict else enumerate(node)


def _first_problem(value, check_text):
    """(problem, dotted path) of the first problem in document order, or None.

    Depth first with a stack of iterators, never recursing whatever the depth; the path is spelled only for a
    problem. The loop is inlined (no call, no allocation per value): it runs for every value of every push, and
    what it allocates wakes the garbage collector over the freshly parsed body."""
    if type(value) is not dict and type(value) is not list:
        problem = _scalar_problem(value, check_text)
        return (problem, "_") if problem else None
    stack, keys = [_items(value)], []
    while stack:
        for key, item in stack[-1]:
            if check_text and type(key) is str and text_problem(key):
                return text_problem(key), _path(keys)  # a key is named by the object that holds it
            kind = type(item)
            if kind is dict or kind is list:
                keys.append(key)
                if len(stack) == MAX_DEPTH:
                    return TOO_DEEP, _path(keys)
                stack.append(_items(item))
                break
            if (kind is int and not -MAX_SAFE_INTEGER <= item <= MAX_SAFE_INTEGER or item is _NOT_FINITE
                    or check_text and kind is str and text_problem(item)):
                return _scalar_problem(item, check_text), _path(keys + [key])
        else:
            stack.pop()
            if keys:
                keys.pop()
    return None


def _path(keys):
    return ".".join(map(str, keys)) or "_"
