from ..extensions import db


class VisitCarer(db.Model):
    """A carer's assignment to a visit: the history of who was sent. Her current visits are those of her rows with
    no unassigned_at; a reassignment ends one row and adds another (and bumps the visit's seq)."""
    __tablename__ = "visit_carer"
    id = db.Column(db.Integer, primary_key=True)
    visit_id = db.Column(db.Integer, db.ForeignKey("visit.id"), nullable=False, index=True)
    #: A user with role nurse in the visit's unit.
    carer_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False, index=True)
    assigned_at = db.Column(db.DateTime, nullable=False)
    assigned_by = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)
    #: None while she is assigned.
    unassigned_at = db.Column(db.DateTime)
    visit = db.relationship("Visit", back_populates="carers")
