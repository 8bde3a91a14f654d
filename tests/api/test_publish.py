"""backend/services/publish.py: one published write takes consecutive feed numbers under the feed lock and appends
its audit rows, in order and stamped with the request's context, in the same commit; a write that fails leaves
neither numbers nor audit rows behind."""
from datetime import datetime, timezone

import pytest

from backend.extensions import db
from backend.models import AuditEvent
from backend.services import feed
from backend.services.context import Ctx
from backend.services.publish import audited, published

NOW = datetime(2026, 11, 25, 9, 30, tzinfo=timezone.utc)


def _state(app):
    with app.app_context():
        seq = feed.high_water(db.session)[0]
        rows = [(e.action, e.actor_id, e.object_id, e.device_id, e.address, e.at, e.detail)
                for e in AuditEvent.query.order_by(AuditEvent.id)]
        db.session.remove()
    return seq, rows


def test_a_published_write_numbers_and_audits_in_one_commit(app):
    seq, before = _state(app)
    ctx = Ctx(None, NOW, device_id="tab-9", address="10.0.0.9")
    with app.app_context():
        with published(ctx) as w:
            assert w.epoch is not None
            first = w.numbers(3)
            one_more = w.number()
            w.audit("first", "thing", 1, detail={"n": 1})
            w.audit("second", "thing", 2, address="elsewhere")
        db.session.remove()
    assert (first, one_more) == (seq + 1, seq + 4)
    high, after = _state(app)
    assert high == seq + 4
    assert after[len(before):] == [
        ("first", None, "1", "tab-9", "10.0.0.9", NOW.replace(tzinfo=None), {"n": 1}),
        ("second", None, "2", "tab-9", "elsewhere", NOW.replace(tzinfo=None), None)]


def test_a_failed_write_leaves_no_number_and_no_audit_row(app):
    before = _state(app)
    with app.app_context():
        with pytest.raises(RuntimeError):
            with published(Ctx(None, NOW)) as w:
                w.number()
                w.audit("never", "thing", 1)
                raise RuntimeError("refused halfway")
        db.session.remove()
    assert _state(app) == before


def test_an_audited_write_takes_no_feed_number(app):
    seq, before = _state(app)
    with app.app_context():
        with audited(Ctx(None, NOW)) as w:
            with pytest.raises(RuntimeError):
                w.number()
            w.audit("noted", "thing", 7)
        db.session.remove()
    high, after = _state(app)
    assert high == seq and [r[0] for r in after[len(before):]] == ["noted"]
