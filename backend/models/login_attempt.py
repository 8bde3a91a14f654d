from ..extensions import db


class LoginAttempt(db.Model):
    """A sign-in attempt; failures within a window throttle the account and the address."""
    __tablename__ = "login_attempt"
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(80), nullable=False, index=True)
    address = db.Column(db.String(64), nullable=False, index=True)
    at = db.Column(db.DateTime, nullable=False, index=True)
    success = db.Column(db.Boolean, nullable=False)
