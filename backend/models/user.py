from flask_login import UserMixin
from sqlalchemy import false

from ..extensions import db


class User(UserMixin, db.Model):
    """A staff member or a relative."""
    __tablename__ = "user"
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(80), nullable=False, unique=True)
    password_hash = db.Column(db.String(255), nullable=False)
    full_name = db.Column(db.String(200), nullable=False)
    role = db.Column(db.String(20), nullable=False)
    home_id = db.Column(db.Integer, db.ForeignKey("home.id"), nullable=False, index=True)
    #: The unit a staff member works in; None means the whole home.
    unit_id = db.Column(db.Integer, db.ForeignKey("unit.id"))
    locale = db.Column(db.String(16))
    active = db.Column(db.Boolean, nullable=False, default=True)
    #: A one-time password set by an administrator: nothing but choosing her own password until she does.
    must_change_password = db.Column(db.Boolean, nullable=False, default=False, server_default=false())
    password_changed_at = db.Column(db.DateTime)
    #: Signing keys issued before this moment are retired (a PIN reset, a disabled account): a tablet that
    #: learns it at its next pull forgets her PIN (she signs in with her password there again).
    keys_valid_from = db.Column(db.DateTime)
    created_at = db.Column(db.DateTime)
    #: Position in the change feed; bumped when what tablets hold of her changes (name, active, keys).
    seq = db.Column(db.BigInteger, nullable=False, default=0, server_default="0", index=True)
    home = db.relationship("Home")

    @property
    def is_active(self):
        return self.active
