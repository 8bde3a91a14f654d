"""The server's verdict on each pushed entry (domain.sync.judge), with plain dicts for what the server knows."""
from datetime import date, datetime, timedelta

import pytest

from backend.domain import signing, sync, vitals

HOME, U100, U200 = frozenset(), frozenset({100}), frozenset({200})  # an author's units (none: the whole home)

TODAY = date(2026, 11, 25)
NURSE, OTHER_NURSE, SUPERVISOR, STRANGER = 10, 11, 12, 13
#: Each person's key on tab-1 (and a revoked one of the nurse's on tab-9).
SECRETS = {uid: bytes([uid % 256]) * 32 for uid in (NURSE, OTHER_NURSE, SUPERVISOR, STRANGER, 999)}
KEYS = {f"k{uid}": (uid, "tab-1", secret, False) for uid, secret in SECRETS.items()}
KEYS["k-revoked"] = (NURSE, "tab-9", SECRETS[NURSE], True)


def ctx(**overrides):
    values = dict(actor_id=NURSE, today=TODAY, existing={}, residents={1: 100, 2: 100},
                  items={5: 1, 6: 2}, authors={NURSE: U100, OTHER_NURSE: U100, SUPERVISOR: HOME, STRANGER: U200},
                  superseded_targets={}, confirmations=[], vitals_definition=vitals.load_definition(),
                  keys=KEYS, timezone="Asia/Krasnoyarsk")
    values.update(overrides)
    return sync.Context(**values)


_n = iter(range(1, 10_000))


def entry(**fields):
    n = next(_n)
    e = {"id": f"00000000-0000-7000-8000-{n:012d}", "kind": "tick", "resident_id": 1, "item_id": 5, "day": TODAY,
         "slot": "08:00", "status": "done", "reason": None, "note": None, "values": None, "category": None,
         "supersedes": None, "author_id": NURSE, "device_id": "tab-1", "client_seq": n,
         "device_time": "2026-11-25T08:05:00+07:00"}
    e.update(fields)
    if "day" in fields and "device_time" not in fields:  # the tablet's clock on the entry's day (issue 14)
        e["device_time"] = f"{e['day'].isoformat()}T08:05:00+07:00"
    return signed(e)


def signed(e, key_id=None):
    """The entry signed as its author's tablet does (key k<author> unless named)."""
    key_id = key_id or f"k{e['author_id']}"
    return dict(e, key_id=key_id, sig=signing.sign(KEYS[key_id][2], e))


def test_accepted_entry_is_remembered_for_the_batch():
    c, e = ctx(), entry()
    d = sync.judge(e, c)
    assert (d.status, d.reason, d.fields, d.late, d.flags) == ("accepted", None, None, False, None)
    assert c.accepted[e["id"]]["hash"] == sync.payload_hash(e)


def test_stored_id_with_same_payload_is_a_duplicate():
    e = entry()
    d = sync.judge(e, ctx(existing={e["id"]: sync.payload_hash(e)}))
    assert (d.id, d.status) == (e["id"], "duplicate")


def test_stored_id_with_other_payload_is_an_id_conflict():
    e = entry()
    d = sync.judge(dict(e, status="not_done", reason="asleep"), ctx(existing={e["id"]: sync.payload_hash(e)}))
    assert (d.status, d.reason) == ("rejected", "id_conflict")


def test_same_id_twice_in_one_batch():
    c, e = ctx(), entry()
    assert sync.judge(e, c).status == "accepted"
    assert sync.judge(dict(e), c).status == "duplicate"
    assert (sync.judge(dict(e, note="changed"), c).reason) == "id_conflict"


def test_payload_hash_ignores_server_fields_and_key_order():
    e = entry()
    assert sync.payload_hash(e) == sync.payload_hash(dict(reversed(list(e.items())), seq=5, received_at="x"))
    assert sync.payload_hash(e) != sync.payload_hash(dict(e, client_seq=e["client_seq"] + 1))


def test_unknown_resident():
    d = sync.judge(entry(resident_id=99), ctx())
    assert (d.status, d.reason, list(d.fields)) == ("rejected", "unknown_resident", ["resident_id"])


def test_unknown_author():
    d = sync.judge(entry(author_id=999), ctx())
    assert (d.status, d.reason, list(d.fields)) == ("rejected", "unknown_author", ["author_id"])


def test_an_author_of_another_unit_may_not_record_here_whoever_pushes():
    d = sync.judge(entry(author_id=STRANGER), ctx())
    assert (d.status, d.reason, list(d.fields)) == ("rejected", "unknown_resident", ["resident_id"])


def test_a_home_wide_author_may_record_in_any_unit():
    assert sync.judge(entry(author_id=SUPERVISOR), ctx()).status == "accepted"


@pytest.mark.parametrize("offset, ok", [(1, True), (2, False), (-400, True), (-401, False), (0, True)])
def test_day_range(offset, ok):
    d = sync.judge(entry(day=TODAY + timedelta(days=offset)), ctx())
    if ok:
        assert d.status == "accepted"
    else:
        assert (d.status, d.reason, list(d.fields)) == ("rejected", "day_out_of_range", ["day"])


@pytest.mark.parametrize("item_id", [6, 404])
def test_unknown_item(item_id):
    d = sync.judge(entry(item_id=item_id), ctx())
    assert (d.status, d.reason, list(d.fields)) == ("rejected", "unknown_item", ["item_id"])


def test_invalid_fields_are_named():
    d = sync.judge(entry(status="not_done"), ctx())
    assert (d.status, d.reason, list(d.fields)) == ("rejected", "invalid", ["reason"])
    d = sync.judge(entry(kind="vitals", item_id=None, slot=None, status=None, values={"pulse": 500}), ctx())
    assert (d.status, d.reason, list(d.fields)) == ("rejected", "invalid", ["pulse"])


def test_vitals_flags_come_back_with_an_accepted_entry():
    d = sync.judge(entry(kind="vitals", item_id=None, slot=None, status=None, values={"spo2": 90}), ctx())
    assert (d.status, d.flags) == ("accepted", {"spo2": "low"})


def test_rejected_entries_are_not_remembered():
    c = ctx()
    bad = entry(resident_id=99)
    sync.judge(bad, c)
    assert bad["id"] not in c.accepted


def test_correction_of_a_stored_entry():
    old = entry()
    stored = dict(old, seq=1)
    new = entry(supersedes=old["id"], status="not_done", reason="refused")
    assert sync.judge(new, ctx(superseded_targets={old["id"]: stored})).status == "accepted"


def test_correction_of_an_entry_accepted_earlier_in_the_same_batch():
    c, old = ctx(), entry()
    assert sync.judge(old, c).status == "accepted"
    new = entry(supersedes=old["id"], status="not_done", reason="refused")
    assert sync.judge(new, c).status == "accepted"


def test_correction_naming_a_rejected_entry_of_the_batch_is_refused():
    c, old = ctx(), entry(status="bogus")
    assert sync.judge(old, c).status == "rejected"
    d = sync.judge(entry(supersedes=old["id"]), c)
    assert (d.status, d.reason, d.fields) == ("rejected", "superseded_unknown", {"supersedes": "the corrected entry is not on the server"})


def test_supersede_rules():
    old = entry()
    targets = {old["id"]: old}
    d = sync.judge(entry(supersedes=old["id"], author_id=OTHER_NURSE), ctx(superseded_targets=targets))
    assert (d.status, d.reason) == ("rejected", "not_own_entry")
    d = sync.judge(entry(supersedes=old["id"], slot="14:00"), ctx(superseded_targets=targets))
    assert (d.status, d.reason) == ("rejected", "superseded_mismatch")
    d = sync.judge(entry(supersedes=old["id"], resident_id=2, item_id=6), ctx(superseded_targets=targets))
    assert (d.status, d.reason) == ("rejected", "superseded_mismatch")
    d = sync.judge(entry(supersedes="00000000-0000-7000-8000-999999999999"), ctx())
    assert (d.status, d.reason) == ("rejected", "superseded_unknown")


#: Made at 09:00 home time the morning after TODAY: it covers the whole day.
NEXT_MORNING = datetime(2026, 11, 26, 2, 0)


def test_an_entry_for_a_confirmed_day_is_accepted_and_flagged_late():
    unit_conf = [{"unit_id": 100, "resident_id": None, "day": TODAY, "seq": 3, "confirmed_at": NEXT_MORNING}]
    d = sync.judge(entry(), ctx(confirmations=unit_conf))
    assert (d.status, d.late) == ("accepted", True)
    other_day = sync.judge(entry(day=TODAY - timedelta(days=1)), ctx(confirmations=unit_conf))
    assert (other_day.status, other_day.late) == ("accepted", False)
    resident_conf = [{"unit_id": 100, "resident_id": 2, "day": TODAY, "seq": 3, "confirmed_at": NEXT_MORNING}]
    assert sync.judge(entry(), ctx(confirmations=resident_conf)).late is False
    assert sync.judge(entry(resident_id=2, item_id=6), ctx(confirmations=resident_conf)).late is True


def test_a_confirmation_during_the_day_covers_what_was_recorded_before_it():
    """Confirmed at 10:00 home time (03:00 UTC): an entry the tablet made at 08:05 and sent afterwards is late; one
    made at 10:30 for a slot still ahead is not (docs/domain.md, Confirmation)."""
    early = [{"unit_id": 100, "resident_id": None, "day": TODAY, "seq": 3, "confirmed_at": datetime(2026, 11, 25, 3)}]
    assert sync.judge(entry(), ctx(confirmations=early)).late is True  # made 08:05 +07:00
    later = entry(device_time="2026-11-25T10:30:00+07:00")
    assert sync.judge(later, ctx(confirmations=early)).late is False


def test_check_order_duplicate_before_everything_else():
    # a retry of an entry whose resident has since moved away is still answered `duplicate`, not rejected
    e = entry()
    assert sync.judge(e, ctx(existing={e["id"]: sync.payload_hash(e)}, residents={})).status == "duplicate"



def test_an_unsigned_entry_is_refused_by_name():
    e = entry()
    del e["sig"]
    d = sync.judge(e, ctx())
    assert (d.status, d.reason, list(d.fields)) == ("rejected", "bad_signature", ["author_id"])


@pytest.mark.parametrize("forgery", ["other_persons_key", "stated_author_changed", "content_changed",
                                     "other_device", "unknown_key", "garbage"])
def test_a_forged_author_or_altered_entry_is_refused(forgery):
    e = entry()
    if forgery == "other_persons_key":      # a colleague signs with her own key but names the nurse
        e = signed(e, key_id=f"k{OTHER_NURSE}")
    elif forgery == "stated_author_changed":  # signed by the nurse, then the author rewritten
        e = dict(e, author_id=OTHER_NURSE)
    elif forgery == "content_changed":
        e = dict(e, status="not_done", reason="asleep")
    elif forgery == "other_device":          # the nurse's key, but the entry claims another tablet
        e = dict(signed(dict(e, device_id="tab-2")), key_id=f"k{NURSE}")
    elif forgery == "unknown_key":
        e = dict(e, key_id="nope")
    else:
        e = dict(e, sig="A" * 43)
    d = sync.judge(e, ctx())
    assert (d.status, d.reason) == ("rejected", "bad_signature")
    assert e["id"] not in ctx().accepted


def test_a_revoked_tablets_entry_is_accepted_and_flagged():
    e = signed(entry(device_id="tab-9"), key_id="k-revoked")
    d = sync.judge(e, ctx())
    assert (d.status, d.revoked_device) == ("accepted", True)
    assert sync.judge(entry(), ctx()).revoked_device is False
