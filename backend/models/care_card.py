from ..extensions import db


class CareCard(db.Model):
    """A resident's care card (карта ухода) for one month."""
    __tablename__ = "care_card"
    __table_args__ = (db.UniqueConstraint("resident_id", "month"),)
    id = db.Column(db.Integer, primary_key=True)
    resident_id = db.Column(db.Integer, db.ForeignKey("resident.id"), nullable=False, index=True)
    #: First day of the month.
    month = db.Column(db.Date, nullable=False)
    status = db.Column(db.String(20), nullable=False, default="draft")  # draft | published | closed
    #: The care-plan version the card was generated from (None for a card made by hand).
    plan_version_id = db.Column(db.Integer, db.ForeignKey("care_plan_version.id"))
    #: A closed card (the month over and its days confirmed) is read-only: the archive copy.
    closed_at = db.Column(db.DateTime)
    closed_by = db.Column(db.Integer, db.ForeignKey("user.id"))
    version = db.Column(db.Integer, nullable=False, default=1)
    seq = db.Column(db.BigInteger, nullable=False, default=0, index=True)
    updated_at = db.Column(db.DateTime)
    updated_by = db.Column(db.Integer, db.ForeignKey("user.id"))
    items = db.relationship("CardItem", order_by="CardItem.position", back_populates="card")
    resident = db.relationship("Resident")
