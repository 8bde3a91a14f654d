from ..extensions import db


class Device(db.Model):
    """A tablet, identified by the id it generated at installation.

    Any browser that syncs gets a row; an administrator *enrols* a tablet for a duty post (a name and a
    device credential, kept here only as a SHA-256 digest) and can *revoke* it.
    """
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
    #: The browser it last synced from (User-Agent, cut to the column): an unenrolled device is told apart by it.
    user_agent = db.Column(db.String(300))
    #: Enrolment by an administrator; the credential's digest; revocation.
    name = db.Column(db.String(80))
    enrolled_at = db.Column(db.DateTime)
    enrolled_by = db.Column(db.Integer, db.ForeignKey("user.id"))
    credential_hash = db.Column(db.String(64))
    revoked_at = db.Column(db.DateTime)
    revoked_by = db.Column(db.Integer, db.ForeignKey("user.id"))
    #: The revoked tablet reported an empty outbox and was told to wipe itself.
    wiped_at = db.Column(db.DateTime)
