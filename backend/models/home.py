from ..extensions import db


class Home(db.Model):
    """A care home (or a community care service)."""
    __tablename__ = "home"
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False)
    #: IANA time zone; the care day is the home's local calendar day.
    timezone = db.Column(db.String(64), nullable=False, default="Europe/Moscow")
    locale = db.Column(db.String(16), nullable=False, default="ru")
