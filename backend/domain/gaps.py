"""Gaps in a tablet's client sequence numbers: numbers the tablet used that never reached the server.

Pure: no Flask, no database. The tablet numbers its entries 1, 2, 3, … in the same IndexedDB transaction
as the entry (docs/sync.md), so a number between 1 and the highest the server holds that the server does
not hold is an entry the server lacks: lost with a wiped tablet, or with a restore of the server.

A tablet's history grows without end, so the supervisor's day view does not read all of it each time: it keeps
what it found (`rescan`): every number from 1 to `checked_to` was held then, except the gaps. Entries are never
deleted, so that stays true; the next look reads only the numbers inside those gaps and above `checked_to`.
"""
from bisect import bisect_left, bisect_right


def missing_between(received, low, high):
    """The numbers in low..high that are not in `received`, compressed into inclusive [from, to] ranges.

    Numbers outside low..high are ignored.

    >>> missing_between([5, 7], 4, 9)
    [[4, 4], [6, 6], [8, 9]]
    """
    ranges = []
    expected = low  # the lowest number not yet accounted for
    for n in sorted({n for n in received if low <= n <= high}):
        if n > expected:
            ranges.append([expected, n - 1])
        expected = n + 1
    if expected <= high:
        ranges.append([expected, high])
    return ranges


def missing_numbers(received, highest):
    """The numbers in 1..highest that are not in `received`, compressed into inclusive [from, to] ranges.

    Numbers below 1 (server-made amendments use 0) and above `highest` are ignored.

    >>> missing_numbers([1, 2, 5, 9], 10)
    [[3, 4], [6, 8], [10, 10]]
    """
    return missing_between(received, 1, highest)


def joined(ranges):
    """Ranges sorted, with overlapping and touching ones joined.

    >>> joined([[6, 8], [3, 4], [5, 5], [10, 10]])
    [[3, 8], [10, 10]]
    """
    out = []
    for low, high in sorted(ranges):
        if out and low <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], high)
        else:
            out.append([low, high])
    return out


def fill(gaps, arrived):
    """The gaps with the numbers that have arrived since taken out.

    >>> fill([[3, 6], [9, 9]], [4, 9, 12])
    [[3, 3], [5, 6]]
    """
    numbers = sorted(set(arrived))
    out = []
    for low, high in gaps:
        inside = numbers[bisect_left(numbers, low):bisect_right(numbers, high)]
        out += missing_between(inside, low, high)
    return out


def rescan(checked_to, gaps, arrived, highest):
    """missing_numbers, carried on from an earlier look instead of from every number the tablet ever sent.

    checked_to, gaps: what the earlier look found (every number 1..checked_to was held then, except those in gaps;
    0 and [] when there was none); arrived: the numbers held now that lie inside those gaps or above checked_to
    (others may be given; they change nothing); highest: the highest number the tablet reported.
    Returns (checked_to, gaps) to keep for the next look, and the gaps to show: those of
    missing_numbers(every number held, max(highest, the highest held)).

    >>> rescan(0, [], [1, 2, 5], 6)
    (5, [[3, 4]], [[3, 4], [6, 6]])
    >>> rescan(5, [[3, 4]], [4, 7], 7)
    (7, [[3, 3], [6, 6]], [[3, 3], [6, 6]])
    """
    above = [n for n in arrived if n > checked_to]
    top = max(above, default=checked_to)
    kept = joined(fill(gaps, arrived) + missing_between(above, checked_to + 1, top))
    end = max(highest, top)
    shown = kept + ([[top + 1, end]] if end > top else [])
    return top, kept, shown
