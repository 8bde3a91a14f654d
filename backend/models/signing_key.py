from ..extensions import db


class SigningKey(db.Model):
    """A person's key on one tablet, issued at a password sign-in; the tablet signs her entries with it.

    The server keeps the key itself (an HMAC key: checking a signature needs it; see domain/signing.py).
    """
    __tablename__ = "signing_key"
    id = db.Column(db.String(36), primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False, index=True)
    device_id = db.Column(db.String(64), nullable=False, index=True)
    secret = db.Column(db.String(64), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False)
    #: Set when the device is revoked: entries signed before still verify, but are flagged for review.
    revoked_at = db.Column(db.DateTime)
