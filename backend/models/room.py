from sqlalchemy import true

from ..extensions import db


class Room(db.Model):
    """A room of a unit, and the duty post whose tablets and cards cover it.

    A resident's room and bed stay text on her record (what the card and the tablets print); the rooms an
    administrator keeps here are what a move or an admission chooses from, and which post she then belongs to.
    A room is retired, never deleted: the residents who lived in it keep its name on their records."""
    __tablename__ = "room"
    __table_args__ = (db.UniqueConstraint("unit_id", "name"),)
    id = db.Column(db.Integer, primary_key=True)
    unit_id = db.Column(db.Integer, db.ForeignKey("unit.id"), nullable=False, index=True)
    #: The duty post that covers this room (None: not yet assigned to a post).
    post_id = db.Column(db.Integer, db.ForeignKey("duty_post.id"), index=True)
    name = db.Column(db.String(20), nullable=False)
    active = db.Column(db.Boolean, nullable=False, default=True, server_default=true())
    beds = db.relationship("Bed", order_by="Bed.position", back_populates="room")
