from ..extensions import db


class DutyPost(db.Model):
    """A duty post (дежурный пост) where the unit's tablets and care cards are kept."""
    __tablename__ = "duty_post"
    id = db.Column(db.Integer, primary_key=True)
    unit_id = db.Column(db.Integer, db.ForeignKey("unit.id"), nullable=False, index=True)
    name = db.Column(db.String(200), nullable=False)
    #: The name in the home's other languages ({"en": ..., "zh_Hans": ...}); `name` is the name as entered and the
    #: fallback (issue 16: place names entered in Russian stay Russian on the English and Chinese screens).
    names = db.Column(db.JSON)
    unit = db.relationship("Unit")
