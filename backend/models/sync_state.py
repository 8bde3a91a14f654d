from ..extensions import db


class SyncState(db.Model):
    """The single row holding the change-feed counter and the server epoch.

    Every write that tablets must pull takes the next numbers from `seq` by updating this row,
    so writers are serialised on it and numbers become visible in commit order.
    """
    __tablename__ = "sync_state"
    id = db.Column(db.Integer, primary_key=True)
    seq = db.Column(db.BigInteger, nullable=False, default=0)
    #: Changes when the database is restored or rebuilt; tablets then push again what it lacks.
    epoch = db.Column(db.String(40), nullable=False)
