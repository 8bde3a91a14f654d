from ..extensions import db


class CarePlan(db.Model):
    """A resident's individual care plan (индивидуальный план ухода, appendix 5): its versions are the content."""
    __tablename__ = "care_plan"
    id = db.Column(db.Integer, primary_key=True)
    resident_id = db.Column(db.Integer, db.ForeignKey("resident.id"), nullable=False, unique=True)
    #: The number of the latest version (versions count from 1).
    current_version = db.Column(db.Integer, nullable=False, default=0)
    versions = db.relationship("CarePlanVersion", order_by="CarePlanVersion.number", back_populates="plan")
    resident = db.relationship("Resident")
