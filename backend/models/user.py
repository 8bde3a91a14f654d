from flask_login import UserMixin

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
    home = db.relationship("Home")

    @property
    def is_active(self):
        return self.active
