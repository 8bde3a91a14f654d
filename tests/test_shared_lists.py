"""Lists the tablet and the server both hold, kept equal: the categories of a reported change in condition and the
categories of service recipient, the staff posts (frontend/lib/labels.js against backend/domain)."""
import re
from pathlib import Path

import pytest

from backend.domain import entries, posts, recipients

LABELS = (Path(__file__).resolve().parents[1] / "frontend" / "lib" / "labels.js").read_text(encoding="utf-8")


def js_list(name):
    found = re.search(rf"export const {name} = \[([^\]]*)\];", LABELS)
    assert found, f"{name} is not a literal list in labels.js"
    return tuple(re.findall(r"'([a-z_]+)'", found.group(1)))


@pytest.mark.parametrize("name, python", [("CONDITION_CATEGORIES", entries.CONDITION_CATEGORIES),
                                          ("RECIPIENT_CATEGORIES", recipients.CATEGORIES),
                                          ("POSTS", posts.CODES)])
def test_the_tablets_list_is_the_servers(name, python):
    assert js_list(name) == tuple(python)
