"""Gaps in a tablet's client sequence numbers, compressed into ranges; and carried on from an earlier look."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.domain.gaps import fill, joined, missing_between, missing_numbers, rescan


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


# --- carried on from an earlier look (the supervisor's day view keeps what it found) ------------------------------

def test_missing_between_fill_and_joined():
    assert missing_between([5, 7], 4, 9) == [[4, 4], [6, 6], [8, 9]]
    assert missing_between([], 3, 2) == []
    assert fill([[3, 6], [9, 9]], [4, 9, 12]) == [[3, 3], [5, 6]]
    assert fill([], [1, 2]) == []
    assert joined([[6, 8], [3, 4], [5, 5], [10, 10], [9, 9]]) == [[3, 10]]


def test_rescan_from_nothing_is_missing_numbers():
    assert rescan(0, [], [], 0) == (0, [], [])
    assert rescan(0, [], [], 3) == (0, [], [[1, 3]])
    assert rescan(0, [], [1, 2, 5, 9], 10) == (9, [[3, 4], [6, 8]], [[3, 4], [6, 8], [10, 10]])
    assert rescan(0, [], [2, 7], 3) == (7, [[1, 1], [3, 6]], [[1, 1], [3, 6]])  # held above the reported highest


def test_rescan_fills_old_gaps_and_adds_new_ones():
    checked, kept, _shown = rescan(0, [], [1, 2, 5], 6)
    assert (checked, kept) == (5, [[3, 4]])
    assert rescan(checked, kept, [4, 7, 9], 9) == (9, [[3, 3], [6, 6], [8, 8]], [[3, 3], [6, 6], [8, 8]])
    assert rescan(checked, kept, [3, 4], 5) == (5, [], [])                   # a restored tablet re-sent them
    assert rescan(checked, kept, [], 8) == (5, [[3, 4]], [[3, 4], [6, 8]])     # still waiting above: not kept


@given(st.sets(st.integers(1, 60)), st.data())
def test_rescan_agrees_with_reading_everything(held_now, data):
    """Whatever an earlier look saw (a subset of what is held now: entries are never deleted), carrying on from it
    shows what reading every number again shows."""
    held_then = data.draw(st.sets(st.sampled_from(sorted(held_now))) if held_now else st.just(set()))
    highest = data.draw(st.integers(0, 70))
    checked, kept, _ = rescan(0, [], held_then, data.draw(st.integers(0, 70)))
    arrived = [n for n in held_now if n > checked or any(a <= n <= b for a, b in kept)]
    new_checked, new_kept, shown = rescan(checked, kept, arrived, highest)
    assert shown == missing_numbers(held_now, max([highest] + list(held_now)))
    assert new_checked == max(held_now, default=0)
    assert new_kept == missing_numbers(held_now, new_checked)
