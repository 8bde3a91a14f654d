from ..extensions import db


class DayConfirmation(db.Model):
    """A supervisor's confirmation of a unit's day (or one resident's day). Append-only.

    A later confirmation of the same day covers entries that arrived late after the first.
    """
    __tablename__ = "day_confirmation"
    id = db.Column(db.Integer, primary_key=True)
    seq = db.Column(db.BigInteger, nullable=False, unique=True)
    unit_id = db.Column(db.Integer, db.ForeignKey("unit.id"), nullable=False)
    resident_id = db.Column(db.Integer, db.ForeignKey("resident.id"))
    day = db.Column(db.Date, nullable=False, index=True)
    confirmed_by = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)
    #: Her post (domain/posts.py) when she confirmed; None before migration 0014.
    confirmed_by_post = db.Column(db.String(40))
    confirmed_at = db.Column(db.DateTime, nullable=False)
    note = db.Column(db.Text)
