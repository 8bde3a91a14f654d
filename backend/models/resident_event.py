from ..extensions import db


class ResidentEvent(db.Model):
    """One event of a resident's stay, as it is recorded (domain/stay.py): admission, a change of her details, a
    move, a temporary absence and her return, discharge, death, re-admission. Never changed or deleted: the record
    of her stay is the list of these.

    `at` is when it took effect (naive UTC; `day` is the home's calendar day of it), `recorded_at` when it was
    written and `recorded_by` by whom. A move keeps where she was (`from_post_id`, and the unit, room and bed in
    `detail`), so the post she left learns of it at its next pull."""
    __tablename__ = "resident_event"
    __table_args__ = (db.Index("ix_resident_event_resident_at", "resident_id", "at"),)
    id = db.Column(db.Integer, primary_key=True)
    resident_id = db.Column(db.Integer, db.ForeignKey("resident.id"), nullable=False)
    kind = db.Column(db.String(20), nullable=False)
    at = db.Column(db.DateTime, nullable=False)
    day = db.Column(db.Date, nullable=False)
    #: For an absence: hospital | leave | other.
    absence = db.Column(db.String(20))
    reason = db.Column(db.Text, nullable=False, default="")
    detail = db.Column(db.JSON(none_as_null=True))
    from_post_id = db.Column(db.Integer, db.ForeignKey("duty_post.id"), index=True)
    recorded_by = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)
    recorded_at = db.Column(db.DateTime, nullable=False)
    #: Position in the change feed (the resident's row is bumped with it).
    seq = db.Column(db.BigInteger, nullable=False, default=0, index=True)
