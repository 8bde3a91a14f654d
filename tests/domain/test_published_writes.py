"""Every service write that publishes goes through one context manager (backend/services/publish.py `published`, or
its sibling `audited`): the write transaction, the feed lock, the feed numbers and the audit rows are written the
same way everywhere, so the cursor guarantee of docs/sync.md holds by construction. Outside that module nothing in
backend/services opens a write transaction or touches the feed counter, but for the exceptions named below."""
import ast
from pathlib import Path

SERVICES = Path(__file__).resolve().parents[2] / "backend" / "services"
#: The calls only publish.py makes.
GUARDED = ("feed.lock", "feed.allocate", "write_transaction")
#: The module that owns them.
OWNER = "publish.py"
#: (module, function, call): each a write that is neither a feed write nor audited, with why it stays as it is.
EXCEPTIONS = {
    ("audit.py", "record_many", "feed.lock"):
        "the audit chain's own serialisation: an audit row appended outside a feed write takes the feed lock to read "
        "the chain's head (publish.audited relies on it)",
    ("auth.py", "reserve_attempt", "write_transaction"):
        "a sign-in attempt row, committed before the password is checked, under advisory locks: no audit, no feed",
    ("auth.py", "attempt_succeeded", "write_transaction"):
        "the reserved attempt marked right: bookkeeping of the sign-in hold, no audit, no feed",
    ("supervision.py", "_keep_scans", "write_transaction"):
        "the day view's cache of device gap scans (true whenever made): no audit, no feed",
    ("sync.py", "_note_pull", "write_transaction"):
        "a pull notes its tablet under the device row's own lock (not the feed's, or every pull would queue behind "
        "every push); no audit",
    ("sync.py", "_note_pull", "feed.lock"):
        "a tablet's first contact inserts its row under the feed lock, ordering it against a first push of the "
        "same tablet",
}


def _name(node):
    """'feed.lock' for feed.lock(...), 'write_transaction' for write_transaction(...)."""
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return f"{func.value.id}.{func.attr}"
    return None


def guarded_calls(source):
    """(function, call) for each guarded call in a module's source, named by its enclosing top-level function."""
    found = []
    for top in ast.parse(source).body:
        where = top.name if isinstance(top, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else "<module>"
        for node in ast.walk(top):
            if isinstance(node, ast.Call) and _name(node) in GUARDED:
                found.append((where, _name(node)))
    return found


def test_only_publish_opens_writes_and_numbers_the_feed():
    bad, used = [], set()
    for path in sorted(SERVICES.glob("*.py")):
        if path.name == OWNER:
            continue
        for function, call in guarded_calls(path.read_text(encoding="utf-8")):
            key = (path.name, function, call)
            if key in EXCEPTIONS:
                used.add(key)
            else:
                bad.append(f"{path.name}: {function} calls {call}( -- use publish.published(ctx) or audited(ctx)")
    assert bad == []
    # an exception nobody needs any more goes from the list
    stale = [key for key in EXCEPTIONS if key not in used]
    assert stale == []


def test_publish_makes_the_guarded_calls():
    calls = {call for _function, call in guarded_calls((SERVICES / OWNER).read_text(encoding="utf-8"))}
    assert calls == set(GUARDED)


def test_the_check_sees_what_it_forbids():
    source = ("from ..database import write_transaction\n"
              "def f(s):\n    with write_transaction() as s:\n        feed.lock(s)\n        x = feed.allocate(s, 1)\n"
              "class W:\n    def g(self):\n        return feed.allocate(self.s, 2)\n")
    assert guarded_calls(source) == [("f", "write_transaction"), ("f", "feed.lock"), ("f", "feed.allocate"),
                                     ("W", "feed.allocate")]
