from ..extensions import db


class Unit(db.Model):
    """A unit (department, отделение) of a home."""
    __tablename__ = "unit"
    id = db.Column(db.Integer, primary_key=True)
    home_id = db.Column(db.Integer, db.ForeignKey("home.id"), nullable=False, index=True)
    name = db.Column(db.String(200), nullable=False)
    #: The name in the home's other languages ({"en": ..., "zh_Hans": ...}); `name` is the name as entered and the
    #: fallback (issue 16: place names entered in Russian stay Russian on the English and Chinese screens).
    names = db.Column(db.JSON)
    #: The unit's phone number as entered (a station's: the number its people call; on the service sheet); None
    #: when not given (issue 18, migration 0019).
    phone = db.Column(db.String(40))
    home = db.relationship("Home")
