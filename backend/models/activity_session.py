from ..extensions import db


class ActivitySession(db.Model):
    """A line of the home's timetable: a weekly session (weekday, time, from/until) or a one-off event (a date).

    One occurrence's cancellation or change is a SessionChange; ending a weekly series sets valid_to.
    """
    __tablename__ = "activity_session"
    id = db.Column(db.Integer, primary_key=True)
    home_id = db.Column(db.Integer, db.ForeignKey("home.id"), nullable=False, index=True)
    activity_id = db.Column(db.Integer, db.ForeignKey("activity.id"), nullable=False, index=True)
    #: None: open to the whole home; else the unit whose residents it is for.
    unit_id = db.Column(db.Integer, db.ForeignKey("unit.id"))
    #: weekly | event
    kind = db.Column(db.String(10), nullable=False)
    #: ISO weekday 1 (Monday) to 7 for a weekly session.
    weekday = db.Column(db.Integer)
    #: The date of a one-off event.
    on_date = db.Column(db.Date)
    start_time = db.Column(db.String(5), nullable=False)
    duration_minutes = db.Column(db.Integer, nullable=False, default=60)
    valid_from = db.Column(db.Date)
    valid_to = db.Column(db.Date)
    #: An event's own title (a concert, an excursion, a holiday), in each language; None: the activity's name.
    title = db.Column(db.JSON)
    place = db.Column(db.String(200))
    staff_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    capacity = db.Column(db.Integer)
    seq = db.Column(db.BigInteger, nullable=False, default=0, index=True)
    activity = db.relationship("Activity")
