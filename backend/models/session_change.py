from ..extensions import db


class SessionChange(db.Model):
    """One occurrence of a timetable line cancelled or changed (time, place), with a note for residents and families."""
    __tablename__ = "session_change"
    __table_args__ = (db.UniqueConstraint("session_id", "on_date"),)
    id = db.Column(db.Integer, primary_key=True)
    session_id = db.Column(db.Integer, db.ForeignKey("activity_session.id"), nullable=False, index=True)
    on_date = db.Column(db.Date, nullable=False)
    cancelled = db.Column(db.Boolean, nullable=False, default=False)
    start_time = db.Column(db.String(5))
    place = db.Column(db.String(200))
    note = db.Column(db.Text)
    changed_by = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)
    changed_at = db.Column(db.DateTime, nullable=False)
    seq = db.Column(db.BigInteger, nullable=False, default=0, index=True)
