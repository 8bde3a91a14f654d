"""Bytes a duty-post tablet downloads: the cursor-0 snapshot, and incremental pulls of a day and a month."""
import gzip
import json
from datetime import timedelta

from .push import batches, check_replies, encode_bodies
from .server import BenchmarkError

GZIP_LEVEL = 6


def _page(client, layout, cursor, device_id):
    status, body = client.get(f"/api/sync/pull?post_id={layout.post_id}&cursor={cursor}&device_id={device_id}")
    if status != 200:
        raise BenchmarkError(f"pull answered HTTP {status}: {body[:800]!r}")
    return body, json.loads(body)


def pull_all(client, layout, cursor, device_id):
    """Follow the cursor until has_more is false. Returns sizes and what was received."""
    raw = gz = pages = 0
    entries = []
    while True:
        body, page = _page(client, layout, cursor, device_id)
        pages += 1
        raw += len(body)
        gz += len(gzip.compress(body, GZIP_LEVEL))
        entries.extend(page["entries"])
        cursor = page["cursor"]
        if not page["has_more"] or page.get("snapshot"):
            break
    return {"raw": raw, "gzip": gz, "pages": pages, "entries": len(entries), "cursor": cursor,
            "ids": {e["id"] for e in entries}}


def _push(client, layout, entries, device_id):
    chunks = batches(entries, 500)
    bodies = encode_bodies(layout, device_id, chunks)
    replies = [client.post("/api/sync/push", b) for b in bodies]
    check_replies(chunks, replies, "accepted")


def _expect(name, got, want):
    if got["ids"] != {e["id"] for e in want}:
        raise BenchmarkError(f"{name}: pulled {got['entries']} entries, expected {len(want)}")


def run(client, layout, factory, month_days, history_days, log=print):
    """Push a day (today), pull it incrementally; push the rest of the month, pull the month; then snapshot."""
    device_id = layout.device_id
    empty = pull_all(client, layout, 0, device_id)
    start = empty["cursor"]
    today = factory.day(layout.today)
    _push(client, layout, today, device_id)
    day = pull_all(client, layout, start, device_id)
    _expect("incremental pull of one day", day, today)
    earlier = factory.days(layout.today - timedelta(days=1), month_days - 1)
    _push(client, layout, earlier, device_id)
    month_entries = earlier + today
    month = pull_all(client, layout, start, device_id)
    _expect(f"incremental pull of {month_days} days", month, month_entries)
    snapshot = pull_all(client, layout, 0, device_id)
    since = (layout.today - timedelta(days=history_days)).isoformat()
    _expect("snapshot", snapshot, [e for e in month_entries if e["day"] >= since])
    result = {"day_entries": len(today), "month_days": month_days, "month_entries": len(month_entries),
              "history_days": history_days, "residents": len(layout.residents),
              "empty_snapshot": empty, "snapshot": snapshot, "day": day, "month": month}
    for v in result.values():
        if isinstance(v, dict):
            v.pop("ids", None)
    log(f"  snapshot {snapshot['raw']:,} B ({snapshot['gzip']:,} gz), day {day['raw']:,} B, "
        f"month {month['raw']:,} B ({month['gzip']:,} gz) in {month['pages']} pages")
    return result
