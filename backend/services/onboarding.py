"""Bulk onboarding: staff accounts and residents imported from a CSV file (the rules: domain/csv_import.py).

A dry run reads and checks the file and writes nothing. A real import writes only when every row is valid: all
of the file's new people in one transaction, the check run again inside it under the feed lock (so two imports,
or an import and an admission, cannot both create the same person). Rows the home already holds as they are
count as `unchanged`: importing the same file twice changes nothing but the second import's own audit row.

New staff get a one-time password each (services/staff.py's), returned once in `accounts` and never written to
the audit log; they must choose their own at their first sign-in. New residents reach their post's tablets
through the feed (a new seq each), as an admission does (services/residents.py).
"""
import csv
import io
from datetime import datetime, time, timezone

from ..domain import csv_import, roles
from ..domain.errors import Invalid
from ..domain.messages import ngettext
from ..extensions import db
from ..models import Bed, DutyPost, Home, Resident, Room, Unit, User
from . import auth, homes, stay
from .staff import temporary_password
from .publish import published

KINDS = csv_import.KINDS


def _naive(now):
    return now.replace(tzinfo=None)


def template(kind, locale):
    """The header row of an import file in `locale`, as CSV text (the API adds the byte-order mark)."""
    out = io.StringIO()
    csv.writer(out, delimiter=csv_import.template_separator(locale), lineterminator="\r\n").writerow(
        csv_import.template_headers(kind, locale))
    return out.getvalue()


def _units(home_id):
    units = Unit.query.filter_by(home_id=home_id).order_by(Unit.id).all()
    ids = [u.id for u in units]
    posts = DutyPost.query.filter(DutyPost.unit_id.in_(ids)).order_by(DutyPost.id).all() if ids else []
    rooms = (Room.query.filter(Room.unit_id.in_(ids), Room.active.is_(True)).order_by(Room.id).all()
             if ids else [])
    beds = {}
    if rooms:
        for bed in Bed.query.filter(Bed.room_id.in_([r.id for r in rooms])).order_by(Bed.position, Bed.id):
            beds.setdefault(bed.room_id, []).append(bed.label)
    return [csv_import.UnitInfo(
        id=u.id, name=u.name, posts={p.name: p.id for p in posts if p.unit_id == u.id},
        aliases=tuple((u.names or {}).values()),
        post_aliases={n: p.id for p in posts if p.unit_id == u.id for n in (p.names or {}).values()},
        rooms={r.name: csv_import.RoomInfo(r.name, r.post_id, tuple(beds.get(r.id, ()))) for r in rooms
               if r.unit_id == u.id}) for u in units]


def _existing_users(home_id, table):
    logins = sorted({v.strip().lower() for v in table.values("username") if v.strip()})
    found = []
    for start in range(0, len(logins), 500):
        for user in User.query.filter(User.username.in_(logins[start:start + 500])):
            found.append(csv_import.ExistingUser(user.username, user.home_id == home_id and user.role in roles.STAFF,
                                                 user.full_name, user.roles, tuple(user.unit_ids), user.post))
    return found


def _existing_residents(units):
    ids = [u.id for u in units]
    if not ids:
        return []
    rows = (db.session.query(Resident.full_name, Resident.birth_date, Resident.unit_id, Resident.post_id,
                             Resident.room, Resident.bed)
            .filter(Resident.unit_id.in_(ids), Resident.active.is_(True)))
    return [csv_import.ExistingResident(*row) for row in rows]


def _check(home, kind, text, now):
    table = csv_import.read(kind, text)
    units = _units(home.id)
    today = homes.home_today(home, now)
    if kind == csv_import.STAFF:
        return table, csv_import.check(table, units, today, users=_existing_users(home.id, table))
    return table, csv_import.check(table, units, today, residents=_existing_residents(units))


def _problems(outcome):
    return [{"line": p.line, "column": p.column, "message": p.message} for p in outcome.problems]


def _rows(table, outcome):
    """Each row of the file with what the import makes of it (for the screen's preview)."""
    key = "username" if table.kind == csv_import.STAFF else "full_name"
    return [{"line": row.line, "name": row.cells.get("full_name", ""), "key": row.cells.get(key, ""),
             "status": outcome.statuses.get(row.line, "invalid")} for row in table.rows]


def _result(table, outcome, dry_run, created=0, accounts=()):
    return {"kind": table.kind, "dry_run": dry_run, "valid": outcome.valid, "problems": _problems(outcome),
            "rows": _rows(table, outcome), "to_create": len(outcome.new), "created": created,
            "unchanged": len(outcome.unchanged), "accounts": list(accounts)}


def _invalid(table, outcome):
    count = len(outcome.problems)
    message = ngettext("%(num)d problem in the file: nothing was imported.",
                       "%(num)d problems in the file: nothing was imported.", count)
    return Invalid(message,
                   {"csv": message},
                   extra={"problems": _problems(outcome), "rows": _rows(table, outcome)},
                   code="import_invalid")


def run(ctx, kind, text, dry_run):
    """Check the file and, unless `dry_run`, import it when every row is valid (else Invalid `import_invalid`
    with every problem). Returns the result (see the API's ImportResultSchema)."""
    actor, now = ctx.actor, ctx.now
    home = db.session.get(Home, actor.home_id)
    table, outcome = _check(home, kind, text, now)
    if dry_run:
        return _result(table, outcome, True)
    if not outcome.valid:
        raise _invalid(table, outcome)
    # hashing is slow by design: done before the transaction, for the new staff the check found
    hashes = {}
    if kind == csv_import.STAFF:
        hashes = {row["username"]: _new_password() for row in outcome.new}
    home_id = home.id
    with published(ctx) as w:
        home = db.session.get(Home, home_id)
        table, outcome = _check(home, kind, text, now)  # again, under the lock: what the home holds now
        if not outcome.valid:
            raise _invalid(table, outcome)
        if kind == csv_import.STAFF:
            accounts = _create_staff(w, outcome.new, hashes)
        else:
            accounts = []
            _create_residents(w, outcome.new)
        w.audit("import", kind, None,
                detail={"kind": kind, "rows": len(table.rows), "created": len(outcome.new),
                        "unchanged": len(outcome.unchanged)})
    return _result(table, outcome, False, created=len(outcome.new), accounts=accounts)


def _new_password():
    temporary = temporary_password()
    return temporary, auth.hash_password(temporary)


def _create_staff(w, rows, hashes):
    if not rows:
        return []
    s, actor, now = w.session, w.ctx.actor, w.ctx.now
    at = _naive(now)
    first = w.numbers(len(rows))
    units = {u.id: u for u in s.query(Unit).filter(Unit.home_id == actor.home_id)}
    users = []
    for offset, row in enumerate(rows):
        temporary, hashed = hashes.get(row["username"]) or _new_password()
        user = User(username=row["username"], full_name=row["full_name"], home_id=actor.home_id,
                    units=[units[i] for i in row["unit_ids"]], locale=row["locale"], post=row["post"], active=True,
                    must_change_password=True, password_hash=hashed, created_at=at, seq=first + offset)
        user.set_roles(row["roles"])
        s.add(user)
        users.append((user, temporary))
    s.flush()
    for user, _temporary in users:
        w.audit("staff_create", "user", user.id, detail={"username": user.username, "roles": list(user.roles),
                                                          "post": user.post, "unit_ids": user.unit_ids,
                                                          "import": True})
    return [{"username": user.username, "full_name": user.full_name, "role": user.role, "roles": list(user.roles),
             "post": user.post, "unit_ids": user.unit_ids, "temporary_password": temporary} for user, temporary in users]


def _create_residents(w, rows):
    """As services/residents.admit does, per row: the resident (present, admitted on the row's day) and the first
    event of her stay; one audit row each."""
    if not rows:
        return
    s, actor, now = w.session, w.ctx.actor, w.ctx.now
    tz = homes.home_zone(actor.home_id)
    today = homes.home_today(tz, now)
    recorded = now.astimezone(timezone.utc).replace(tzinfo=None)
    first = w.numbers(len(rows))
    residents = []
    for offset, row in enumerate(rows):
        admitted_on = row["admitted_on"]
        resident = Resident(unit_id=row["unit_id"], post_id=row["post_id"], full_name=row["full_name"],
                            room=row["room"], bed=row["bed"], birth_date=row["birth_date"], care_group=None,
                            needs_reassessment=False, active=True, status="present", admitted_on=admitted_on,
                            seq=first + offset)
        s.add(resident)
        residents.append(resident)
    s.flush()
    for resident in residents:
        # admitted today: from now on; on an earlier day (recorded late): from the start of that day
        day = resident.admitted_on
        at = recorded if day == today else (datetime.combine(day, time()).replace(tzinfo=tz)
                                            .astimezone(timezone.utc).replace(tzinfo=None))
        stay.admission_event(s, actor, resident, at, day, resident.seq, now)
    for r in residents:
        w.audit("resident_admit", "resident", r.id, detail={"unit_id": r.unit_id, "post_id": r.post_id,
                                                             "admitted_on": r.admitted_on.isoformat(), "import": True})
