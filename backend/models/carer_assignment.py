from ..extensions import db


class CarerAssignment(db.Model):
    """Which carer looks after which resident on one shift of one care day (the caregiver load: 8-10 residents)."""
    __tablename__ = "carer_assignment"
    __table_args__ = (db.UniqueConstraint("resident_id", "day", "shift"),
                      db.Index("ix_carer_assignment_unit_day", "unit_id", "day"))
    id = db.Column(db.Integer, primary_key=True)
    unit_id = db.Column(db.Integer, db.ForeignKey("unit.id"), nullable=False)
    day = db.Column(db.Date, nullable=False)
    #: day | night (backend/domain/schedule.py SHIFTS)
    shift = db.Column(db.String(10), nullable=False)
    carer_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)
    resident_id = db.Column(db.Integer, db.ForeignKey("resident.id"), nullable=False)
    assigned_by = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)
    assigned_at = db.Column(db.DateTime, nullable=False)
