from ..extensions import db


class FollowUpCall(db.Model):
    """A follow-up call (回访) about a finished home visit: the station phones the person (or her family) and asks
    whether the visit took place. Each week a sample of the finished visits is called (domain/visit_board.py
    follow_up_sample); each call is kept -- an unreachable person may be called again, the latest call counts. A call
    that reached someone may keep the home-care satisfaction questionnaire (frontend/forms/satisfaction_homecare.json;
    domain/follow_ups.py): its answers and the server's score with its band."""
    __tablename__ = "follow_up_call"
    id = db.Column(db.Integer, primary_key=True)
    home_id = db.Column(db.Integer, db.ForeignKey("home.id"), nullable=False, index=True)
    visit_id = db.Column(db.Integer, db.ForeignKey("visit.id"), nullable=False, index=True)
    #: confirmed | not_confirmed | unreachable (services/visits.py FOLLOW_UP_RESULTS)
    result = db.Column(db.String(16), nullable=False)
    note = db.Column(db.Text)
    #: The questionnaire's answers ({question id: value}); None when none was asked (always for unreachable).
    answers = db.Column(db.JSON(none_as_null=True))
    #: The server's score of the answers: {"total", "subscores", "band", "complete", "version"}; None without answers.
    score = db.Column(db.JSON(none_as_null=True))
    called_by = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)
    called_at = db.Column(db.DateTime, nullable=False)
