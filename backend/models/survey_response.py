from ..extensions import db


class SurveyResponse(db.Model):
    """A relative's answers to the home's satisfaction questionnaire (a form definition), scored by the server.

    Residents' questionnaires are filled on a tablet with a staff member's help and travel as entries.
    """
    __tablename__ = "survey_response"
    id = db.Column(db.Integer, primary_key=True)
    home_id = db.Column(db.Integer, db.ForeignKey("home.id"), nullable=False, index=True)
    form_id = db.Column(db.String(40), nullable=False)
    resident_id = db.Column(db.Integer, db.ForeignKey("resident.id"))
    respondent_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)
    answers = db.Column(db.JSON, nullable=False)
    score = db.Column(db.JSON)
    submitted_at = db.Column(db.DateTime, nullable=False, index=True)
