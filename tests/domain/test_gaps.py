"""Gaps in a tablet's client sequence numbers, compressed into ranges."""
import pytest

from backend.domain.gaps import missing_numbers


@pytest.mark.parametrize("received, highest, gaps", [
    ([], 0, []),
    ([1, 2, 3], 3, []),
    ([3, 1, 2, 2], 3, []),                      # order and repeats do not matter
    ([], 3, [[1, 3]]),                          # nothing arrived
    ([1, 2, 5, 9], 10, [[3, 4], [6, 8], [10, 10]]),
    ([2, 3], 3, [[1, 1]]),                      # the first number is missing
    ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 22], 22, [[17, 21]]),
    ([0, 0, 2], 2, [[1, 1]]),                   # 0 (server-made amendments) is not a tablet number
    ([1, 7], 3, [[2, 3]]),                      # above the highest is ignored
])
def test_missing_numbers(received, highest, gaps):
    assert missing_numbers(received, highest) == gaps


def test_a_huge_number_costs_nothing_extra():
    assert missing_numbers([1, 2_000_000_000], 2_000_000_000) == [[2, 1_999_999_999]]


def test_gaps_module_is_pure():
    import subprocess
    import sys
    code = ("import sys, backend.domain.gaps\n"
            "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('flask', 'sqlalchemy', 'flask_sqlalchemy', 'marshmallow', 'werkzeug'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
