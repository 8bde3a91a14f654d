"""The change feed's counter. See models/sync_state.py and docs/sync.md for why it is one row."""
from sqlalchemy import text



def lock(session):
    """Take the feed's row lock for this transaction, before reading what the write depends on.
    Returns the server epoch."""
    return session.execute(text("UPDATE sync_state SET seq = seq WHERE id = 1 RETURNING epoch")).scalar_one()


def allocate(session, count):
    """Reserve `count` numbers; returns the first. Must run inside the writing transaction."""
    last = session.execute(text("UPDATE sync_state SET seq = seq + :n WHERE id = 1 RETURNING seq"),
                           {"n": count}).scalar_one()
    return last - count + 1


def high_water(session):
    """(seq, epoch): the highest number whose writer has committed (every row at or below it is visible),
    and the server epoch, in one read."""
    return tuple(session.execute(text("SELECT seq, epoch FROM sync_state WHERE id = 1")).one())
