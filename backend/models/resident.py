from ..extensions import db


class Resident(db.Model):
    """A resident (social-service recipient)."""
    __tablename__ = "resident"
    id = db.Column(db.Integer, primary_key=True)
    unit_id = db.Column(db.Integer, db.ForeignKey("unit.id"), nullable=False, index=True)
    post_id = db.Column(db.Integer, db.ForeignKey("duty_post.id"), nullable=False, index=True)
    full_name = db.Column(db.String(200), nullable=False)
    room = db.Column(db.String(20), nullable=False, default="")
    bed = db.Column(db.String(20), nullable=False, default="")
    birth_date = db.Column(db.Date)
    #: Care group 1-4 (I-IV), set by the team.
    care_group = db.Column(db.Integer)
    #: The categories of service recipient she belongs to (004 §1.1; domain/recipients.py), in that order.
    categories = db.Column(db.JSON, nullable=False, default=list, server_default="[]")
    #: Marked by a condition-change report for unplanned reassessment.
    needs_reassessment = db.Column(db.Boolean, nullable=False, default=False)
    #: In the home's census: present or temporarily away (False once discharged or deceased).
    active = db.Column(db.Boolean, nullable=False, default=True)
    #: present | away | discharged | deceased (domain/stay.py); the events behind it are resident_event rows.
    status = db.Column(db.String(16), nullable=False, default="present", server_default="present")
    #: The day of her (last) admission, and the day her stay ended (discharge or death).
    admitted_on = db.Column(db.Date)
    left_on = db.Column(db.Date)
    #: Position in the change feed; bumped on every change so tablets pull it.
    seq = db.Column(db.BigInteger, nullable=False, default=0, index=True)
    unit = db.relationship("Unit")
