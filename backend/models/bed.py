from ..extensions import db


class Bed(db.Model):
    """A bed of a room, by the label the home gives it ("1", "2", "у окна")."""
    __tablename__ = "bed"
    __table_args__ = (db.UniqueConstraint("room_id", "label"),)
    id = db.Column(db.Integer, primary_key=True)
    room_id = db.Column(db.Integer, db.ForeignKey("room.id"), nullable=False, index=True)
    label = db.Column(db.String(20), nullable=False)
    position = db.Column(db.Integer, nullable=False, default=0)
    room = db.relationship("Room", back_populates="beds")
