from ..extensions import db


class Device(db.Model):
    """A tablet, identified by the id it generated at installation."""
    __tablename__ = "device"
    id = db.Column(db.String(64), primary_key=True)
    home_id = db.Column(db.Integer, db.ForeignKey("home.id"), nullable=False)
    post_id = db.Column(db.Integer, db.ForeignKey("duty_post.id"))
    first_seen = db.Column(db.DateTime, nullable=False)
    last_seen = db.Column(db.DateTime, nullable=False)
    last_push_at = db.Column(db.DateTime)
    last_pull_at = db.Column(db.DateTime)
    #: Highest client sequence number received, and how many entries it said were still waiting.
    max_client_seq = db.Column(db.Integer, nullable=False, default=0)
    outbox_len = db.Column(db.Integer, nullable=False, default=0)
    last_user_id = db.Column(db.Integer, db.ForeignKey("user.id"))
