from ..extensions import db


class Region(db.Model):
    """A region (a city, a banner or county) whose homes a civil-affairs inspector reads (issue 18): its month of
    home care, its settlement export."""
    __tablename__ = "region"
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False)
    #: The name in the other languages ({"ru": ..., "zh_Hans": ..., "en": ...}); `name` is the name as entered and the
    #: fallback (like unit.names).
    names = db.Column(db.JSON)
    #: IANA time zone of the region's reports (its homes keep their own home.timezone).
    timezone = db.Column(db.String(64), nullable=False)
