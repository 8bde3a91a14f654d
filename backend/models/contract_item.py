from ..extensions import db


class ContractItem(db.Model):
    """A service of a contract and how often: a catalogue service with a card item's schedule."""
    __tablename__ = "contract_item"
    id = db.Column(db.Integer, primary_key=True)
    contract_id = db.Column(db.Integer, db.ForeignKey("service_contract.id"), nullable=False, index=True)
    service_item_id = db.Column(db.Integer, db.ForeignKey("service_item.id"), nullable=False, index=True)
    #: As a card item's: one of domain/schedule.py KINDS, its parameters, and the ISO weekdays (1 = Monday; None:
    #: every day) -- the three a card item generated from it is given.
    schedule_kind = db.Column(db.String(20), nullable=False)
    schedule = db.Column(db.JSON, nullable=False, default=dict)
    days_of_week = db.Column(db.JSON(none_as_null=True))
    contract = db.relationship("ServiceContract", back_populates="items")
