from ..extensions import db


class AlarmStep(db.Model):
    """One thing done about an alarm: who, when, with a note. Append-only."""
    __tablename__ = "alarm_step"
    id = db.Column(db.Integer, primary_key=True)
    alarm_id = db.Column(db.Integer, db.ForeignKey("alarm.id"), nullable=False, index=True)
    #: acknowledged | family_told | emergency_called | carer_sent | closed (domain/homecare_codes.py ALARM_STEPS)
    step = db.Column(db.String(20), nullable=False)
    by_user = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)
    at = db.Column(db.DateTime, nullable=False)
    note = db.Column(db.Text)
    alarm = db.relationship("Alarm", back_populates="steps")
