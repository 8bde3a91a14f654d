from ..extensions import db


class RelativeLink(db.Model):
    """Links a relative's account to a resident."""
    __tablename__ = "relative_link"
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), primary_key=True)
    resident_id = db.Column(db.Integer, db.ForeignKey("resident.id"), primary_key=True)
