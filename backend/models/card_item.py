from ..extensions import db


class CardItem(db.Model):
    """One line of a care card: what to do, and when."""
    __tablename__ = "card_item"
    id = db.Column(db.Integer, primary_key=True)
    card_id = db.Column(db.Integer, db.ForeignKey("care_card.id"), nullable=False, index=True)
    category = db.Column(db.String(30), nullable=False)
    title = db.Column(db.String(200), nullable=False)
    instructions = db.Column(db.Text, nullable=False, default="")
    schedule_kind = db.Column(db.String(20), nullable=False)
    schedule = db.Column(db.JSON, nullable=False, default=dict)
    #: ISO weekdays (1 = Monday); None means every day.
    days_of_week = db.Column(db.JSON(none_as_null=True))
    #: For vital-sign items: the measurements to take (keys of frontend/forms/vitals.json).
    measures = db.Column(db.JSON(none_as_null=True))
    position = db.Column(db.Integer, nullable=False, default=0)
    #: An item removed mid-month keeps its history: it ends, it is not deleted.
    valid_from = db.Column(db.Date)
    valid_to = db.Column(db.Date)
    #: The care-plan service this item was generated from (its id in the plan's JSON); None when added by hand.
    plan_service = db.Column(db.String(36))
    #: Home care (issue 18): the catalogue service (service_item.id) this item delivers, from the person's contract:
    #: its standard minutes plan the visits and its price settles them. None in a care home. No foreign key (the
    #: services keep it within the home; migration 0016 says why).
    service_item_id = db.Column(db.Integer)
    card = db.relationship("CareCard", back_populates="items")
