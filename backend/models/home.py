from ..extensions import db


class Home(db.Model):
    """A care home (or a community care service)."""
    __tablename__ = "home"
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False)
    #: IANA time zone; the care day is the home's local calendar day.
    timezone = db.Column(db.String(64), nullable=False, default="Europe/Moscow")
    locale = db.Column(db.String(16), nullable=False, default="ru")
    #: residential | community (domain/homecare_codes.py HOME_KINDS): a community home is a home-care provider or
    #: centre (中心); its units are stations (站), its residents older people living at home.
    kind = db.Column(db.String(12), nullable=False, default="residential", server_default="residential")
    #: The region whose inspector reads it; None for a home in no region.
    region_id = db.Column(db.Integer, db.ForeignKey("region.id"), index=True)
