from ..extensions import db


class Activity(db.Model):
    """An activity of the home's catalogue (milieu therapy): what, in which direction, of which kind, where, by whom.

    Names and descriptions are the home's own words in each language: {"ru": ..., "zh_Hans": ..., "en": ...}.
    """
    __tablename__ = "activity"
    id = db.Column(db.Integer, primary_key=True)
    home_id = db.Column(db.Integer, db.ForeignKey("home.id"), nullable=False, index=True)
    name = db.Column(db.JSON, nullable=False)
    description = db.Column(db.JSON)
    #: physical_health | cultural_leisure | educational | work_therapy | psychological | medical
    direction = db.Column(db.String(20), nullable=False)
    #: active | passive (001: passive needs nothing of the resident: concerts, television)
    mode = db.Column(db.String(10), nullable=False)
    #: group | individual
    format = db.Column(db.String(12), nullable=False)
    place = db.Column(db.String(200), nullable=False, default="")
    staff_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    capacity = db.Column(db.Integer)
    active = db.Column(db.Boolean, nullable=False, default=True)
    #: Position in the change feed (tablets of activity staff pull the catalogue).
    seq = db.Column(db.BigInteger, nullable=False, default=0, index=True)
