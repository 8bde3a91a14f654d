from ..extensions import db


class AuditEvent(db.Model):
    """An append-only audit record: who, in which role, from which device, did what, when.
    Rows are chained by hash; `bedside audit verify` checks the chain."""
    __tablename__ = "audit_event"
    id = db.Column(db.Integer, primary_key=True)
    at = db.Column(db.DateTime, nullable=False, index=True)
    actor_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    role = db.Column(db.String(20))
    device_id = db.Column(db.String(64))
    address = db.Column(db.String(64))
    action = db.Column(db.String(40), nullable=False)
    object_type = db.Column(db.String(40))
    object_id = db.Column(db.String(64))
    detail = db.Column(db.JSON(none_as_null=True))
    #: The hash chain (domain/audit_chain.py): the previous row's hash, and sha256 over it and this row's fields.
    prev_hash = db.Column(db.String(64), nullable=False)
    hash = db.Column(db.String(64), nullable=False)
