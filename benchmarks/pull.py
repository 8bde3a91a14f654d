"""Bytes a duty-post tablet downloads: the cursor-0 snapshot (a fresh tablet's first pull), and incremental pulls of a day and a
month."""
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


def push_entries(client, layout, entries, device_id):
    """Push entries through the API in batches of 500; every one must be accepted."""
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
    push_entries(client, layout, today, device_id)
    day = pull_all(client, layout, start, device_id)
    _expect("incremental pull of one day", day, today)
    earlier = factory.days(layout.today - timedelta(days=1), month_days - 1)
    push_entries(client, layout, earlier, device_id)
    month_entries = earlier + today
    month = pull_all(client, layout, start, device_id)
    _expect(f"incremental pull of {month_days} days", month, month_entries)
    snapshot = pull_all(client, layout, 0, device_id)
    since = (layout.today - timedelta(days=history_days)).isoformat()
    _expect("snapshot", snapshot, [e for e in month_entries if e["day"] >= since])
    result = {"day_entries": len(today), "month_days": month_days, "month_entries": len(month_entries),
              "history_days": history_days, "residents": len(layout.residents),
              "empty_snapshot": empty, "snapshot": snapshot, "day": day, "month": month,
              "target_gzip": TARGET_GZIP}
    for v in result.values():
        if isinstance(v, dict):
            v.pop("ids", None)
    result["met"] = met(result)
    log(f"  snapshot (a fresh tablet's first pull) {snapshot['raw']:,} B ({snapshot['gzip']:,} gz), day {day['raw']:,} B, "
        f"month {month['raw']:,} B ({month['gzip']:,} gz) in {month['pages']} pages")
    return result


#: Target (issue 6): a duty post's first pull for a month, gzipped.
TARGET_GZIP = 150 * 1024


def met(result):
    """The first pull a fresh tablet makes for the post once the month's history exists is the snapshot."""
    return result["snapshot"]["gzip"] < TARGET_GZIP


def _kb(x):
    return f"{x / 1024:,.1f}"


def markdown(pl):
    """The report's section on pull sizes, with the target."""
    def row(name, r, entries):
        per = f"{r['raw'] / entries:,.0f} / {r['gzip'] / entries:,.0f}" if entries else "–"
        return (f"| {name} | {entries:,} | {r['pages']} | {_kb(r['raw'])} | {_kb(r['gzip'])} | "
                f"{r['raw'] / r['gzip']:.1f}× | {per} |")
    snap, month = pl["snapshot"], pl["month"]
    verdict = "**met**" if snap["gzip"] < TARGET_GZIP else "**missed**"
    return "\n".join([
        "## Pull size of a duty post", "",
        f"The demo's post 1 with its {pl['residents']} residents. A day is every slot of every card item recorded "
        f"({pl['day_entries']:,} entries, vital signs included); the month is {pl['month_days']} such days "
        f"({pl['month_entries']:,} entries), pushed through the API. Bytes are the JSON response bodies (no headers) as "
        "the server sends them; gzip is level 6 per response, summed (the server gzips JSON replies over 1 KiB for "
        "clients that accept it, and browsers do). Incremental pulls follow the cursor from the snapshot's cursor "
        "taken before any entry existed (default page size 1000).", "",
        "**A duty post's first pull for a month** is the first pull a fresh tablet makes for the post once the "
        f"month's history exists: the snapshot `cursor=0` — the post's residents, their care cards, the staff, and "
        f"the entries of today and the {pl['history_days']} days before (`PULL_HISTORY_DAYS`). Older entries are "
        "never sent to a tablet that starts; the whole month by cursor is shown for reference (a tablet that was "
        "away for a month and kept its cursor).", "",
        "| Pull | Entries | Requests | KiB raw | KiB gzip | gzip factor | Bytes per entry raw / gzip |",
        "|---|---:|---:|---:|---:|---:|---:|",
        row("Snapshot `cursor=0`, no entries yet (residents, cards, staff)", pl["empty_snapshot"], 0),
        row(f"**First pull for a month**: snapshot `cursor=0` after the month (today + {pl['history_days']} days)",
            snap, snap["entries"]),
        row("Incremental, one day", pl["day"], pl["day"]["entries"]),
        row(f"Incremental, the whole month ({pl['month_days']} days), for reference", month, month["entries"]),
        "", f"Target: a duty post's month pull under {TARGET_GZIP // 1024} KB gzipped — {verdict}: "
        f"{_kb(snap['gzip'])} KiB. The whole month by cursor would be {_kb(month['gzip'])} KiB "
        f"({'under' if month['gzip'] < TARGET_GZIP else 'over'} the target).", ""])
