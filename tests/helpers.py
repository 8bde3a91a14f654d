"""Helpers for building entries as a tablet does."""
import itertools

from backend.services.ids import uuid7

_seq = itertools.count(1)


def entry(resident_id, author_id, day="2026-11-25", kind="tick", device_id="tab-1", client_seq=None, **fields):
    e = {"id": uuid7(), "kind": kind, "resident_id": resident_id, "day": day, "author_id": author_id,
         "device_id": device_id, "client_seq": client_seq if client_seq is not None else next(_seq),
         "device_time": f"{day}T10:00:00+07:00"}
    if kind == "tick":
        e.update(status="done")
    e.update(fields)
    return e
