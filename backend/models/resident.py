from sqlalchemy import false

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
    # At home (a community home's resident, issue 18); None or the default for a residential home's.
    #: Where she lives, and her phone.
    address = db.Column(db.Text)
    phone = db.Column(db.String(40))
    #: Her home's location (WGS 84 degrees), if recorded, and how far from it (metres) a carer's fix still counts as
    #: at her door.
    lat = db.Column(db.Float)
    lon = db.Column(db.Float)
    radius_m = db.Column(db.Integer, nullable=False, default=200, server_default="200")
    #: The home code the carer types or scans at her door: only sha256("<salt>:<code>") in hex, and the salt
    #: (the carer's phone gets the salt in its pull and sends the digest).
    home_code_hash = db.Column(db.String(64))
    home_code_salt = db.Column(db.String(32))
    lives_alone = db.Column(db.Boolean, nullable=False, default=False, server_default=false())
    #: tekun 特困 | dibao 低保 | low_income | general (domain/homecare_codes.py ELIGIBILITY)
    eligibility = db.Column(db.String(20))
    #: self_care 自理 | semi 半自理 | full 全护理 (domain/homecare_codes.py CARE_LEVELS)
    care_level = db.Column(db.String(20))
    #: The day her family care bed (家庭养老床位) was set up; None: she has none.
    family_bed_since = db.Column(db.Date)
    #: Position in the change feed; bumped on every change so tablets pull it.
    seq = db.Column(db.BigInteger, nullable=False, default=0, index=True)
    unit = db.relationship("Unit")
