"""Realistic entries for one duty post: every slot of every card item, vitals with plausible values.

The layout (nurse, post, residents, card items) is read through the API, so every id is valid and the
server accepts every entry. Each entry is signed as the tablet signs it (HMAC under the key the server issued
the nurse for this device at her sign-in, backend/domain/signing.py) when it is made, before any clock starts.
"""
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from backend.domain import schedule, signing
from backend.services.ids import uuid7

from .server import DEVICE_ID, BenchmarkError, get_json

#: Oldest care day the server takes (domain.sync.MAX_DAYS_BEHIND is 400); stay clear of the edge.
MAX_DAYS_BACK = 390
NOT_DONE_REASONS = ("asleep", "refused", "absent")


@dataclass
class Layout:
    user_id: int
    unit_id: int
    post_id: int
    timezone: str
    today: date
    residents: list      # resident dicts of the post, by id
    items: dict          # resident id -> list of item dicts (the newest published card)
    device_id: str = DEVICE_ID
    signing_key: tuple | None = None  # (key id, raw secret) issued to the user on device_id


def read_layout(client):
    me = get_json(client, "/api/auth/me")
    posts = get_json(client, "/api/posts")
    if not posts:
        raise BenchmarkError("the nurse has no duty post")
    post = sorted(posts, key=lambda p: p["id"])[0]
    snap = get_json(client, f"/api/sync/pull?post_id={post['id']}&cursor=0")
    residents = sorted(snap["residents"], key=lambda r: r["id"])
    items = {}
    for card in sorted(snap["cards"], key=lambda c: c["month"]):
        items[card["resident_id"]] = card["items"]          # the newest month wins
    today = date.fromisoformat(snap["today"])
    if getattr(client, "signing_key", None) is None:
        raise BenchmarkError("the client holds no signing key: sign in with a device id as a recorder")
    return Layout(user_id=me["id"], unit_id=post["unit_id"], post_id=post["id"], timezone=me["timezone"],
                  today=today, residents=residents, items=items, device_id=client.device_id,
                  signing_key=client.signing_key)


class EntryFactory:
    """Builds entries as the tablet does. Ids are UUIDv7 made now (a tablet makes them when recording); each
    entry is signed with the layout's key, which belongs to the layout's user on the layout's device."""

    def __init__(self, layout, seed=7):
        self.layout = layout
        self.device_id = layout.device_id
        self.key_id, self.secret = layout.signing_key
        self.rng = random.Random(seed)
        self.client_seq = 0
        self.tz = ZoneInfo(layout.timezone)

    #: Realistic ranges for generated measurements: (low, high, decimals).
    RANGES = {"bp_systolic": (100, 165, 0), "bp_diastolic": (58, 96, 0), "pulse": (55, 104, 0),
              "temperature": (35.8, 37.6, 1), "spo2": (91, 99, 0), "respiratory_rate": (12, 22, 0),
              "glucose": (4.0, 9.0, 1)}

    def _vitals(self, measures):
        rng = self.rng
        values = {}
        for m in measures:
            low, high, decimals = self.RANGES[m]
            values[m] = round(rng.uniform(low, high), 1) if decimals else rng.randint(low, high)
        if "bp_systolic" in values and "bp_diastolic" in values and values["bp_systolic"] <= values["bp_diastolic"]:
            values["bp_systolic"] = values["bp_diastolic"] + 30
        return values

    def day(self, day):
        """Every slot of every card item of every resident of the post on `day`, in time order per resident."""
        out = []
        for resident in self.layout.residents:
            for item in self.layout.items.get(resident["id"], []):
                valid_from = date.fromisoformat(item["valid_from"]) if item.get("valid_from") else None
                valid_to = date.fromisoformat(item["valid_to"]) if item.get("valid_to") else None
                if not schedule.applies_on(day, item.get("days_of_week"), valid_from, valid_to):
                    continue
                for slot in schedule.slots(item["schedule_kind"], item["schedule"]):
                    out.append(self._entry(resident, item, day, slot))
        return out

    def _entry(self, resident, item, day, slot):
        self.client_seq += 1
        minute = min(slot.time + self.rng.randint(0, 25), 24 * 60 - 1)
        local = datetime(day.year, day.month, day.day, minute // 60, minute % 60, self.rng.randint(0, 59),
                         tzinfo=self.tz)
        e = {"id": uuid7(), "kind": "tick", "resident_id": resident["id"], "item_id": item["id"],
             "day": day.isoformat(), "slot": slot.key, "author_id": self.layout.user_id,
             "device_id": self.device_id, "client_seq": self.client_seq,
             "device_time": local.isoformat(timespec="seconds")}
        if item.get("measures"):
            e["kind"] = "vitals"
            e["values"] = self._vitals(item["measures"])
        elif self.rng.random() < 0.05:
            e["status"] = "not_done"
            e["reason"] = self.rng.choice(NOT_DONE_REASONS)
        else:
            e["status"] = "done"
        e["key_id"] = self.key_id
        e["sig"] = signing.sign(self.secret, e)
        return e

    def days(self, first, count):
        """`count` whole days ending at `first` and going back (first, first-1, ...), oldest first."""
        out = []
        for k in reversed(range(count)):
            out.extend(self.day(first - timedelta(days=k)))
        return out


class DayStream:
    """Endless supply of fresh entries for the push benchmark: whole days, walking back from today.

    Wraps around after MAX_DAYS_BACK days (the same slots again, with new ids: still accepted).
    """

    def __init__(self, factory):
        self.factory = factory
        self.back = 0
        self.buffer = []

    def take(self, n):
        while len(self.buffer) < n:
            self.buffer.extend(self.factory.day(self.factory.layout.today - timedelta(days=self.back)))
            self.back = (self.back + 1) % MAX_DAYS_BACK
        taken, self.buffer = self.buffer[:n], self.buffer[n:]
        return taken
