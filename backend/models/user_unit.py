from ..extensions import db


class UserUnit(db.Model):
    """A unit a member of staff works in. A member of staff with no unit works across the whole home."""
    __tablename__ = "user_unit"
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), primary_key=True)
    unit_id = db.Column(db.Integer, db.ForeignKey("unit.id"), primary_key=True, index=True)
