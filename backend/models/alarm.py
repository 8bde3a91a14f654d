from ..extensions import db


class Alarm(db.Model):
    """An alarm a home device raised, from intake to its closing: what, for whom, when, what was done (alarm_step),
    how it ended."""
    __tablename__ = "alarm"
    __table_args__ = (db.UniqueConstraint("device_id", "kind", "raised_minute"),
                      db.Index("ix_alarm_home_raised", "home_id", "raised_at"),
                      db.Index("ix_alarm_resident_raised", "resident_id", "raised_at"))
    id = db.Column(db.Integer, primary_key=True)
    home_id = db.Column(db.Integer, db.ForeignKey("home.id"), nullable=False)
    #: The device's person when it was raised (kept if the device later moves).
    resident_id = db.Column(db.Integer, db.ForeignKey("resident.id"), nullable=False)
    device_id = db.Column(db.Integer, db.ForeignKey("home_device.id"), nullable=False)
    #: One of domain/homecare_codes.py DEVICE_KINDS (a bracelet may raise a fall).
    kind = db.Column(db.String(12), nullable=False)
    #: When the device raised it, and when the server received it.
    raised_at = db.Column(db.DateTime, nullable=False)
    received_at = db.Column(db.DateTime, nullable=False)
    #: raised_at with its seconds cut off: unique with the device and kind, so repeats of an alarm within one
    #: minute are stored once (homecare_codes.ALARM_REPEAT_SECONDS; the service checks the 60 s window itself).
    raised_minute = db.Column(db.DateTime, nullable=False)
    #: The device's own short text when it raised it (a repeat's is in the audit only); the dispatcher reads it,
    #: the family does not (migration 0019).
    detail = db.Column(db.Text)
    #: Found to be a false alarm (pressed by mistake, a sensor's fault).
    false_alarm = db.Column(db.Boolean, nullable=False, default=False)
    #: What happened, in the words of who closed it.
    outcome = db.Column(db.Text)
    #: None while open; set with the "closed" step.
    closed_at = db.Column(db.DateTime)
    steps = db.relationship("AlarmStep", back_populates="alarm", order_by="AlarmStep.id")
