"""One way to write what tablets pull and the audit log records: `published(ctx)`.

Every service write that changes a row the feed carries runs as

    with published(ctx) as w:
        ...                      # read what the write depends on, under the feed lock
        w.number(row)            # the row's position in the change feed (row.seq)
        w.audit("card_publish", "care_card", card.id, detail={...})

which opens the write transaction (database.write_transaction), takes the feed's row lock before anything is read
(feed.lock; the epoch is `w.epoch`), numbers rows from the one counter (feed.allocate) and, before the commit,
appends the audit rows in the order they were given, stamped with the context's actor, now, tablet and address
(audit.record_many under the lock already held). Writers are serialised on the feed row, so every row numbered at
or below the committed high-water mark is visible: the cursor guarantee of docs/sync.md.

`audited(ctx)` is its sibling for audited writes no tablet pulls (invitations, a relative's survey, carers'
assignments, the home's units, posts and rooms, a password change, a clear hold, and audit.read/refused): the same
transaction and audit rows, the feed lock taken only to append them (the audit chain's order), no numbers.

Only this module opens write transactions or touches the feed counter in backend/services;
tests/domain/test_published_writes.py holds it to that and names the few bookkeeping writes that do not (sign-in
attempts, a pull noting its tablet, the day view's gap scans). Sign-ins, sign-outs, the language choice and tablet
enrolment write on the request's session and commit there (services/auth.py, devices.py): no feed row, and their
audit row takes the feed lock itself (audit.record).
"""
from contextlib import contextmanager

from ..database import write_transaction
from . import audit, feed

_ACTOR = object()


class Write:
    """The open write: its session, the server epoch, feed numbers and the audit rows to append."""

    def __init__(self, session, ctx, actor, epoch=None, numbered=True):
        self.session = session
        self.ctx = ctx
        self._actor = actor
        self.epoch = epoch
        self._numbered = numbered
        self._rows = []

    def numbers(self, count):
        """Reserve `count` consecutive feed positions; returns the first."""
        if not self._numbered:
            raise RuntimeError("an audited write takes no feed positions: use published(ctx)")
        return feed.allocate(self.session, count)

    def number(self, row=None):
        """The next feed position, set as `row.seq` when a row is given; returns it."""
        seq = self.numbers(1)
        if row is not None:
            row.seq = seq
        return seq

    def audit(self, action, object_type=None, object_id=None, detail=None, actor=_ACTOR, **who):
        """Append an audit row at the commit (in call order). `actor`, `device_id`, `address`: instead of the
        context's (a relative who joined in this write, a wiped tablet's own id)."""
        ctx = self.ctx
        stamp = {"device_id": ctx.device_id, "address": ctx.address}
        stamp.update(who)
        self._rows.append(audit.row(self._actor if actor is _ACTOR else actor, action, object_type, object_id,
                                    detail=detail, at=ctx.now, **stamp))


@contextmanager
def published(ctx):
    """A write tablets pull: transaction, feed lock, feed numbers, audit rows, commit."""
    actor = audit.Actor.of(ctx.actor)  # read before the transaction's opening commit expires the user
    with write_transaction() as s:
        w = Write(s, ctx, actor, epoch=feed.lock(s))
        yield w
        audit.record_many(s, w._rows, locked=True)


@contextmanager
def audited(ctx):
    """A write that is audited but not in the feed: transaction, audit rows, commit."""
    actor = audit.Actor.of(ctx.actor)
    with write_transaction() as s:
        w = Write(s, ctx, actor, numbered=False)
        yield w
        audit.record_many(s, w._rows)
