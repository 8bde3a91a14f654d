from ..extensions import db


class CareGroupDecision(db.Model):
    """The team's decision on a resident's care group (I-IV): who decided, when, on what. Append-only history.

    The app's suggestion shown at the time is kept beside the decision; it is never applied by itself.
    """
    __tablename__ = "care_group_decision"
    id = db.Column(db.Integer, primary_key=True)
    resident_id = db.Column(db.Integer, db.ForeignKey("resident.id"), nullable=False, index=True)
    #: 1-4 for groups I-IV.
    group = db.Column(db.Integer, nullable=False)
    #: The day of the (re)assessment the decision concludes; planned reassessment counts from it.
    decided_on = db.Column(db.Date, nullable=False)
    decided_by = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)
    #: Her post (domain/posts.py) when the decision was recorded; None before migration 0014.
    decided_by_post = db.Column(db.String(40))
    recorded_at = db.Column(db.DateTime, nullable=False)
    #: initial | planned | unplanned
    reason = db.Column(db.String(20), nullable=False, default="planned")
    #: The suggestion as shown: {"group": n or null, "reasons": [...]}.
    suggestion = db.Column(db.JSON(none_as_null=True))
    #: Ids of the assessment entries the team looked at.
    basis = db.Column(db.JSON(none_as_null=True))
    #: The criteria of the group's definition (004, Appendix 4) the team's decision rests on:
    #: codes of domain/care_groups.py GROUNDS[group], at least one. Empty on decisions recorded before 0012.
    grounds = db.Column(db.JSON(none_as_null=True))
    note = db.Column(db.Text)
