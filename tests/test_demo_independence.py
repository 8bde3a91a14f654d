"""Tests do not depend on the demo's content (issue 15 point 8): the demo (backend/demo/) is for people and
benchmarks and may change; a test builds its own data (tests/factories.py, the `small` home) or, on the demo home,
finds what it needs by structure (tests/api/conftest.py `world`: ids, and the names the demo gave them in
`world.names`).

The rule, checked here over every file under tests/ (.py, .js, .mjs, .json):

* Content: no test file contains a content string of backend/demo/ -- a string literal of its modules (not a
  docstring, not an error message) of at least 6 characters holding a letter that reads as text for people rather
  than code: one with a non-ASCII letter (the residents' names, card items, activities, places, the home, units and
  posts, staff names, notes), a space ("Table tennis and darts"), or one capitalised word ("Massage"). Keys and
  identifiers ("hygiene", "per_shift", "Asia/Krasnoyarsk") are code. A string counts where it stands as a whole
  word (not inside a longer word: "Петрова" is not the demo's "Петров"), case-sensitively.
* Logins: the demo's accounts are part of what it promises (the README lists them with their password), so tests
  may sign in with them -- but name them in one place only, tests/conftest.py's LOGINS (and DEMO_PASSWORD): no
  other test file has a string literal (docstrings aside) holding one as a word. Moving every demo test to the
  `small` factory home would be cleaner still; it is done where cheap, and the table keeps the rest to one line to
  change when the demo's accounts do. The table is checked against the demo and the README below, and so is
  DEMO_RESIDENTS_PER_POST, the one count of the demo that tests use (browser tests waiting for a whole post on
  the tablet); API tests count what `world` found instead.

Exceptions, files that are about the demo itself: EXEMPT.
"""
import ast
import re
from functools import cache
from pathlib import Path

from backend.demo import home as demo_home
from backend.demo import residents as demo_residents

from .conftest import DEMO_PASSWORD, DEMO_RESIDENTS_PER_POST, LOGINS

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "backend" / "demo"
TESTS = ROOT / "tests"
#: Files that may hold the demo's content or logins, and why.
EXEMPT = {
    "tests/test_demo.py": "tests the demo itself: what it seeds and when",
    "tests/test_demo_independence.py": "this guard",
}
#: The one place that names the demo's logins.
LOGIN_TABLE = "tests/conftest.py"
SUFFIXES = (".py", ".js", ".mjs", ".json")


def _docstrings(tree):
    """ids of the docstring nodes of a module, its classes and functions."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _strings(tree, skip=()):
    return [node for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip]


def is_content(text):
    text = text.strip()
    return (len(text) >= 6 and re.search(r"[^\W\d_]", text) is not None
            and (re.search(r"[^\x00-\x7f]", text) is not None or " " in text or re.fullmatch(r"[A-Z][a-z]+", text)))


@cache
def demo_content():
    """The content strings of backend/demo/*.py."""
    found = set()
    for path in sorted(DEMO.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Raise):
                skip |= {id(inner) for inner in ast.walk(node)}
        found |= {node.value.strip() for node in _strings(tree, skip) if is_content(node.value)}
    return found


def _test_files():
    for path in sorted(TESTS.rglob("*")):
        name = path.relative_to(ROOT).as_posix()
        if path.is_file() and path.suffix in SUFFIXES and "node_modules" not in path.parts and name not in EXEMPT:
            yield name, path


def _word(text):
    return re.compile(r"(?<!\w)" + re.escape(text) + r"(?!\w)")


def test_the_rule_reads_content_not_code():
    assert is_content("Утренний туалет") and is_content("Table tennis and darts") and is_content("Massage")
    assert not any(is_content(s) for s in ("hygiene", "per_shift", "Asia/Krasnoyarsk", "nurse1", "Пост", "12:00"))
    content = demo_content()
    assert {demo_home.HOME_NAME, *(name for _key, name, _post in demo_home.UNITS)} <= content
    assert {full_name for _login, full_name, _roles, _unit in demo_home.PEOPLE} <= content
    assert len(content) > 100  # residents, card items, activities, places, goals ...


def test_no_test_holds_the_demos_content():
    patterns = [(text, _word(text)) for text in sorted(demo_content())]
    found = []
    for name, path in _test_files():
        source = path.read_text(encoding="utf-8")
        for number, line in enumerate(source.splitlines(), 1):
            found += [f"{name}:{number}: {text!r}" for text, pattern in patterns if pattern.search(line)]
    assert not found, ("tests depend on the demo's content; build the data (tests/factories.py) or read it by "
                       "structure (world.names):\n" + "\n".join(found))


def test_the_demo_logins_are_named_in_one_place():
    logins = [_word(username) for username in vars(LOGINS).values()]
    found = []
    for name, path in _test_files():
        if path.suffix != ".py" or name == LOGIN_TABLE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [f"{name}:{node.lineno}: {node.value[:60]!r}" for node in _strings(tree, _docstrings(tree))
                  if any(pattern.search(node.value) for pattern in logins)]
    assert not found, "name the demo's accounts through tests/conftest.py LOGINS:\n" + "\n".join(found)


def test_the_demos_posts_hold_what_the_table_and_the_readme_say():
    assert {len(groups) for groups in demo_residents.GROUPS.values()} == {DEMO_RESIDENTS_PER_POST}
    assert len(demo_home.UNITS) == 2
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"two units with a duty post and {DEMO_RESIDENTS_PER_POST} residents each" in readme


def test_the_login_table_is_the_demos_and_the_readmes():
    accounts = {username for username, _name, _roles, _unit in demo_home.PEOPLE}
    assert set(vars(LOGINS).values()) == accounts and all(key == value for key, value in vars(LOGINS).items())
    assert DEMO_PASSWORD == demo_home.PASSWORD
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"the password `{DEMO_PASSWORD}`" in readme
    assert [u for u in sorted(accounts) if f"`{u}`" not in readme] == []
