from ..extensions import db


class ProgrammeItem(db.Model):
    """A line of a resident's individual programme (индивидуальная программа сопровождения): which activity,
    on which weekdays (how often), at what time when it is not a timetable session, and with which goal."""
    __tablename__ = "programme_item"
    id = db.Column(db.Integer, primary_key=True)
    resident_id = db.Column(db.Integer, db.ForeignKey("resident.id"), nullable=False, index=True)
    activity_id = db.Column(db.Integer, db.ForeignKey("activity.id"), nullable=False)
    #: ISO weekdays; None: every day the activity has a session.
    weekdays = db.Column(db.JSON(none_as_null=True))
    #: For an individual activity outside the timetable: its time of day (HH:MM).
    start_time = db.Column(db.String(5))
    goal = db.Column(db.Text, nullable=False, default="")
    valid_from = db.Column(db.Date)
    valid_to = db.Column(db.Date)
    created_by = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False)
    seq = db.Column(db.BigInteger, nullable=False, default=0, index=True)
    activity = db.relationship("Activity")
