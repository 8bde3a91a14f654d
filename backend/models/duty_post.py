from ..extensions import db


class DutyPost(db.Model):
    """A duty post (дежурный пост) where the unit's tablets and care cards are kept."""
    __tablename__ = "duty_post"
    id = db.Column(db.Integer, primary_key=True)
    unit_id = db.Column(db.Integer, db.ForeignKey("unit.id"), nullable=False, index=True)
    name = db.Column(db.String(200), nullable=False)
    unit = db.relationship("Unit")
