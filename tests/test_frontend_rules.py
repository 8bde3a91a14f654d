"""Rules the tablet's code keeps so the CSP and the storage policy hold (docs/security.md)."""
import re
from pathlib import Path

import pytest

FRONTEND = Path(__file__).resolve().parents[1] / "frontend"
SOURCES = sorted(FRONTEND.rglob("*.js")) + sorted(FRONTEND.rglob("*.html"))
FORBIDDEN = {
    "innerHTML / insertAdjacentHTML (markup from strings)": re.compile(r"\binnerHTML\b|insertAdjacentHTML"),
    "eval / new Function (blocked by the CSP)": re.compile(r"\beval\s*\(|new\s+Function\s*\("),
    "localStorage / sessionStorage (data goes to IndexedDB through lib/db.js)":
        re.compile(r"\b(localStorage|sessionStorage)\b"),
    "inline event handler attributes": re.compile(r"<[^>]+\son[a-z]+\s*=", re.I),
    "inline <script> or style attributes": re.compile(r"<script>(?!</script>)|\sstyle\s*=\s*[\"']", re.I),
}


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(FRONTEND)))
def test_no_forbidden_constructs(path):
    text = path.read_text(encoding="utf-8")
    found = [name for name, pattern in FORBIDDEN.items() if pattern.search(text)]
    assert found == [], f"{path.relative_to(FRONTEND)}: {found}"
