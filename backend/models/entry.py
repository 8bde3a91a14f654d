from sqlalchemy import false

from ..extensions import db


class Entry(db.Model):
    """An immutable bedside entry: a tick, vital signs, a note, a condition report or an assessment.

    The id is generated on the tablet (UUIDv7) and makes every push idempotent.
    """
    __tablename__ = "entry"
    __table_args__ = (db.Index("ix_entry_resident_day", "resident_id", "day"),
                      db.Index("ix_entry_unit_day", "unit_id", "day"),
                      db.Index("ix_entry_device_seq", "device_id", "client_seq"))
    id = db.Column(db.String(36), primary_key=True)
    #: Position in the change feed, assigned at commit order (see docs/sync.md).
    seq = db.Column(db.BigInteger, nullable=False, unique=True)
    kind = db.Column(db.String(16), nullable=False)
    resident_id = db.Column(db.Integer, db.ForeignKey("resident.id"), nullable=False)
    unit_id = db.Column(db.Integer, db.ForeignKey("unit.id"), nullable=False)
    item_id = db.Column(db.Integer, db.ForeignKey("card_item.id"))
    day = db.Column(db.Date, nullable=False)
    slot = db.Column(db.String(16))
    status = db.Column(db.String(16))
    reason = db.Column(db.String(20))
    note = db.Column(db.Text)
    values = db.Column(db.JSON(none_as_null=True))
    flags = db.Column(db.JSON(none_as_null=True))
    category = db.Column(db.String(30))
    supersedes = db.Column(db.String(36), index=True)
    author_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)
    #: The author's post (domain/posts.py) when the entry reached the server; None before migration 0014 or when
    #: her post was not chosen.
    author_post = db.Column(db.String(40))
    #: Who was signed in when the entry reached the server (the outbox belongs to the tablet).
    pushed_by = db.Column(db.Integer, db.ForeignKey("user.id"))
    device_id = db.Column(db.String(64), nullable=False)
    client_seq = db.Column(db.Integer, nullable=False)
    #: The tablet's clock, with its UTC offset, as sent.
    device_time = db.Column(db.String(40), nullable=False)
    received_at = db.Column(db.DateTime, nullable=False)
    late_after_confirmation = db.Column(db.Boolean, nullable=False, default=False)
    #: A supervisor's change after confirmation, with its reason.
    amendment_reason = db.Column(db.Text)
    payload_hash = db.Column(db.String(64), nullable=False)
    #: The signing key (the author's, on the device that made the entry) and the signature, kept so the
    #: attribution can be checked again later.
    key_id = db.Column(db.String(36))
    signature = db.Column(db.String(64))
    #: Reached the server from a tablet after an administrator revoked it: to be reviewed.
    from_revoked_device = db.Column(db.Boolean, nullable=False, default=False, server_default=false())
    #: For an assessment (kind 'assessment', `category` the form id, `values` the answers): the server's own,
    #: authoritative score {"total", "subscores", "band", "complete", "version"} from backend/domain/forms.py.
    score = db.Column(db.JSON(none_as_null=True))
