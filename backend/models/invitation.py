from ..extensions import db


class Invitation(db.Model):
    """A code staff give a relative to link an account to a resident. Only the code's hash is kept; a code is
    used once, expires, and can be withdrawn."""
    __tablename__ = "invitation"
    id = db.Column(db.Integer, primary_key=True)
    code_hash = db.Column(db.String(64), nullable=False, unique=True)
    resident_id = db.Column(db.Integer, db.ForeignKey("resident.id"), nullable=False, index=True)
    created_by = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False)
    expires_at = db.Column(db.DateTime, nullable=False)
    used_at = db.Column(db.DateTime)
    used_by = db.Column(db.Integer, db.ForeignKey("user.id"))
    withdrawn_at = db.Column(db.DateTime)
    withdrawn_by = db.Column(db.Integer, db.ForeignKey("user.id"))
