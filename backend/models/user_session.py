from ..extensions import db


class UserSession(db.Model):
    """A server-side session: the cookie carries only its token, so logout and revocation are real."""
    __tablename__ = "user_session"
    #: SHA-256 of the random token held in the signed cookie.
    id = db.Column(db.String(64), primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False, index=True)
    device_id = db.Column(db.String(64))
    created_at = db.Column(db.DateTime, nullable=False)
    last_seen = db.Column(db.DateTime, nullable=False)
    ended_at = db.Column(db.DateTime)
