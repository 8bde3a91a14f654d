from ..extensions import db


class CarePlanVersion(db.Model):
    """One immutable version of a care plan: the header and the six sections, as JSON.

    Every change makes a new version; older versions stay readable (see backend/domain/care_plan.py).
    """
    __tablename__ = "care_plan_version"
    __table_args__ = (db.UniqueConstraint("plan_id", "number"),)
    id = db.Column(db.Integer, primary_key=True)
    plan_id = db.Column(db.Integer, db.ForeignKey("care_plan.id"), nullable=False, index=True)
    number = db.Column(db.Integer, nullable=False)
    content = db.Column(db.JSON, nullable=False)
    created_by = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False)
    #: Why it changed, in the planner's words.
    note = db.Column(db.Text)
    plan = db.relationship("CarePlan", back_populates="versions")
