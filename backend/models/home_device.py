from ..extensions import db


class HomeDevice(db.Model):
    """A device in an older person's home that raises alarms (an SOS button, a fall or smoke sensor...). It
    authenticates to the alarm intake by its token, kept here only as a SHA-256 digest."""
    __tablename__ = "home_device"
    id = db.Column(db.Integer, primary_key=True)
    home_id = db.Column(db.Integer, db.ForeignKey("home.id"), nullable=False, index=True)
    resident_id = db.Column(db.Integer, db.ForeignKey("resident.id"), nullable=False, index=True)
    #: sos | fall | smoke | gas | water | door | bed | bracelet (domain/homecare_codes.py DEVICE_KINDS)
    kind = db.Column(db.String(12), nullable=False)
    #: Where it is or what it is, in the home's words ("kitchen", "bracelet, left wrist").
    label = db.Column(db.String(200), nullable=False, default="")
    #: SHA-256 hex digest of the device's token; the intake finds the device by it.
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    #: A device taken out of use is kept (its alarms name it) and refused by the intake.
    active = db.Column(db.Boolean, nullable=False, default=True)
    created_at = db.Column(db.DateTime, nullable=False)
