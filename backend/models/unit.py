from ..extensions import db


class Unit(db.Model):
    """A unit (department, отделение) of a home."""
    __tablename__ = "unit"
    id = db.Column(db.Integer, primary_key=True)
    home_id = db.Column(db.Integer, db.ForeignKey("home.id"), nullable=False, index=True)
    name = db.Column(db.String(200), nullable=False)
    home = db.relationship("Home")
