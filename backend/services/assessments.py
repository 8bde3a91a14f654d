"""Assessments: entries of kind 'assessment' (category = form id, values = the answers, score = the server's).

A tablet records an assessment like any other entry (signed, queued, pushed exactly once: services/sync.py);
the push judges the answers against the form definition and stores the server's own score (domain/forms.py).
This module reads them: a resident's standing assessments (not superseded by a correction), newest first.

Other parts of the app (care-group suggestion, care-plan header) use `latest_assessments`.
"""
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import aliased

from ..domain import forms as form_rules
from ..extensions import db
from ..models import Entry, User
from . import access

KIND = "assessment"


def _when(entry):
    """Newest first: by care day, then by the tablet's clock (to UTC), then by id (UUIDv7 sorts by time)."""
    try:
        moment = datetime.fromisoformat(entry.device_time).timestamp()
    except (TypeError, ValueError):
        moment = 0.0
    return entry.day, moment, entry.id


def standing_assessments(resident_id, form_ids=None):
    """The resident's standing assessments (a correction replaces the entry it supersedes), newest first."""
    newer = aliased(Entry)
    query = (select(Entry).where(Entry.resident_id == resident_id, Entry.kind == KIND,
                                 ~select(newer.id).where(newer.supersedes == Entry.id).exists()))
    if form_ids is not None:
        query = query.where(Entry.category.in_(list(form_ids)))
    return sorted(db.session.execute(query).scalars(), key=_when, reverse=True)


def latest_assessments(resident_id, form_ids=None):
    """{form id: the resident's newest standing assessment Entry of that form}.

    `entry.score` is the server's score: {"total", "subscores", "band", "complete", "version"}; `entry.values`
    the answers; `entry.day` the care day it was made; `entry.author_id` who made it. No access check: callers
    check the resident first (access.get_resident).
    """
    latest = {}
    for entry in standing_assessments(resident_id, form_ids):
        latest.setdefault(entry.category, entry)
    return latest


_DEFINITIONS = {}


def definitions():
    """{form id: definition} of frontend/forms (read once per process; the push judges answers against them)."""
    if not _DEFINITIONS:
        _DEFINITIONS.update({form_id: form_rules.load(form_id) for form_id in form_rules.form_ids()})
    return _DEFINITIONS


def form_titles():
    """[{id, version, title: {locale: text}}] of the form definitions."""
    return [{"id": form_id, "version": d.get("version"), "title": d["title"]} for form_id, d in definitions().items()]


def assessments_of(actor, resident_id, form_id=None):
    """A resident's standing assessments for the read API, with the author's name."""
    access.get_resident(actor, resident_id)
    entries = standing_assessments(resident_id, None if form_id is None else [form_id])
    names = dict(db.session.execute(select(User.id, User.full_name).where(
        User.id.in_({e.author_id for e in entries}))).all()) if entries else {}
    return [{"id": e.id, "resident_id": e.resident_id, "form_id": e.category, "day": e.day,
             "device_time": e.device_time, "received_at": e.received_at, "author_id": e.author_id,
             "author_name": names.get(e.author_id), "author_post": e.author_post,
             "answers": e.values if isinstance(e.values, dict) else None,
             "score": e.score,
             "supersedes": e.supersedes, "late_after_confirmation": e.late_after_confirmation}
            for e in entries]
