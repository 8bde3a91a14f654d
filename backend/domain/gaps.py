"""Gaps in a tablet's client sequence numbers: numbers the tablet used that never reached the server.

Pure: no Flask, no database. The tablet numbers its entries 1, 2, 3, … in the same IndexedDB transaction
as the entry (docs/sync.md), so a number between 1 and the highest the server holds that the server does
not hold is an entry the server lacks: lost with a wiped tablet, or with a restore of the server.
"""


def missing_numbers(received, highest):
    """The numbers in 1..highest that are not in `received`, compressed into inclusive [from, to] ranges.

    Numbers below 1 (server-made amendments use 0) and above `highest` are ignored.

    >>> missing_numbers([1, 2, 5, 9], 10)
    [[3, 4], [6, 8], [10, 10]]
    """
    ranges = []
    expected = 1  # the lowest number not yet accounted for
    for n in sorted({n for n in received if 1 <= n <= highest}):
        if n > expected:
            ranges.append([expected, n - 1])
        expected = n + 1
    if expected <= highest:
        ranges.append([expected, highest])
    return ranges
