from ..extensions import db


class CarerBlock(db.Model):
    """A carer barred from visits (黑名单, 002 Jing'an: care workers who break the rules): who barred her, when, why,
    and when and by whom it was lifted. While a block stands (lifted_at None) she cannot be assigned."""
    __tablename__ = "carer_block"
    id = db.Column(db.Integer, primary_key=True)
    home_id = db.Column(db.Integer, db.ForeignKey("home.id"), nullable=False, index=True)
    carer_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False, index=True)
    blocked_by = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)
    blocked_at = db.Column(db.DateTime, nullable=False)
    reason = db.Column(db.Text, nullable=False)
    lifted_at = db.Column(db.DateTime)
    lifted_by = db.Column(db.Integer, db.ForeignKey("user.id"))
