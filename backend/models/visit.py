from ..extensions import db


class Visit(db.Model):
    """A home visit (工单): planned work for one older person at home on one day, at a time, for so many minutes, by
    one to three carers (visit_carer). What happens at the door is recorded as entries of kind "visit" (arrived,
    left, no access) and ticks of the card items; the visit itself is only the plan, and its cancellation."""
    __tablename__ = "visit"
    __table_args__ = (db.Index("ix_visit_unit_day", "unit_id", "day"),
                      db.Index("ix_visit_resident_day", "resident_id", "day"),
                      db.Index("ix_visit_home_day", "home_id", "day"))
    id = db.Column(db.Integer, primary_key=True)
    home_id = db.Column(db.Integer, db.ForeignKey("home.id"), nullable=False)
    #: The station (站) whose dispatcher plans it: the person's unit.
    unit_id = db.Column(db.Integer, db.ForeignKey("unit.id"), nullable=False)
    resident_id = db.Column(db.Integer, db.ForeignKey("resident.id"), nullable=False)
    #: The care day (the home's local calendar day) and the planned start, "HH:MM" local time.
    day = db.Column(db.Date, nullable=False)
    start_time = db.Column(db.String(5), nullable=False)
    #: The sum of its items' standard minutes when generated; the dispatcher may change it.
    planned_minutes = db.Column(db.Integer, nullable=False)
    #: plan | ad_hoc | alarm | inspection (domain/homecare_codes.py VISIT_SOURCES)
    source = db.Column(db.String(12), nullable=False, default="plan")
    #: Ids of the card items (card_item.id) the visit is for.
    item_ids = db.Column(db.JSON, nullable=False, default=list)
    #: A cancelled visit is kept, with who cancelled it, when and why.
    cancelled_at = db.Column(db.DateTime)
    cancelled_by = db.Column(db.Integer, db.ForeignKey("user.id"))
    cancel_reason = db.Column(db.Text)
    created_at = db.Column(db.DateTime, nullable=False)
    created_by = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)
    #: The station head accepted the carer's reason for showing no presence at the home (issue 18: the location
    #: element of a verified visit may be "an accepted reason"): when, by whom, and her own reason. Set once; None
    #: until then.
    location_accepted_at = db.Column(db.DateTime)
    location_accepted_by = db.Column(db.Integer)
    location_accepted_reason = db.Column(db.Text)
    #: Position in the change feed; bumped on every change, its carers' assignment included, so phones pull it.
    seq = db.Column(db.BigInteger, nullable=False, default=0, index=True)
    carers = db.relationship("VisitCarer", back_populates="visit", order_by="VisitCarer.id")
