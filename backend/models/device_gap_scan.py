from ..extensions import db


class DeviceGapScan(db.Model):
    """What the supervisor's day view last found of a tablet's entry numbers (backend/domain/gaps.py `rescan`):
    every number from 1 to `checked_to` was held then, except those in `gaps`.

    Entries are never deleted, so this stays true; the next look reads only the numbers inside the gaps and above
    `checked_to` instead of every number the tablet ever sent (a tablet sends about 90,000 in six months). A backup
    holds it with the entries it describes; it can be deleted at any time (the next look reads everything again).
    """
    __tablename__ = "device_gap_scan"
    device_id = db.Column(db.String(64), db.ForeignKey("device.id"), primary_key=True)
    checked_to = db.Column(db.Integer, nullable=False)
    #: [[from, to], ...]: the numbers up to checked_to the server did not hold at that look.
    gaps = db.Column(db.JSON, nullable=False)
