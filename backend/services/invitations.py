"""Invitation codes: staff issue one for a resident, a relative redeems it (a new account, or one more resident
for the account they are signed in with), staff see a resident's codes and withdraw one.

Rules of the code and of a new account: domain/invitations.py. Guessing is held like sign-in guessing: every
failed redemption is a `login_attempt` row (user name INVITATION_MARKER, which no account can have, and the
caller's address), and MAX_FAILURES of them from one address within the sign-in window hold that address (429)
until the window passes — counted in the database, so every gunicorn worker sees them. An unknown, expired,
withdrawn or used code all answer the same error. Every issue, withdrawal, redemption and refusal is audited
(never the code itself).
"""
from datetime import timedelta

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from ..domain import invitations as rules
from ..domain import places
from ..domain import roles
from ..domain.errors import Conflict, Invalid, NotFound, TooMany
from ..domain.messages import Msg
from ..extensions import db
from ..models import Invitation, LoginAttempt, RelativeLink, Resident, Unit, User
from . import access, auth
from .publish import audited

#: The `login_attempt.username` of a failed redemption (a space: no account name can be this).
INVITATION_MARKER = "invitation code"
#: Failed redemptions from one address within the sign-in window before the address is held.
MAX_FAILURES = 10


def _naive(now):
    return now.replace(tzinfo=None)


def _not_found():
    return NotFound(Msg("No such invitation."))


def _with_names(invitations, now):
    ids = {i.created_by for i in invitations} | {i.used_by for i in invitations} | {i.withdrawn_by
                                                                                   for i in invitations}
    ids.discard(None)
    names = dict(db.session.query(User.id, User.full_name).filter(User.id.in_(ids))) if ids else {}
    current = _naive(now)
    return [{"id": i.id, "resident_id": i.resident_id, "status": rules.status(i, current),
             "created_at": i.created_at, "created_by_name": names.get(i.created_by), "expires_at": i.expires_at,
             "used_at": i.used_at, "used_by_name": names.get(i.used_by), "withdrawn_at": i.withdrawn_at,
             "withdrawn_by_name": names.get(i.withdrawn_by)} for i in invitations]


# --- staff ---------------------------------------------------------------------------------------

def residents_for(actor, now):
    """The residents the staff member may invite relatives for (their units), with counts of open codes and
    linked relatives."""
    current = _naive(now)
    found = (Resident.query.join(Unit, Unit.id == Resident.unit_id)
             .filter(Resident.unit_id.in_(access.unit_ids(actor)), Resident.active.is_(True))
             .order_by(Unit.name, Unit.id, Resident.full_name, Resident.id).all())
    ids = [r.id for r in found]
    open_codes = dict(db.session.query(Invitation.resident_id, func.count(Invitation.id))
                      .filter(Invitation.resident_id.in_(ids), Invitation.used_at.is_(None),
                              Invitation.withdrawn_at.is_(None), Invitation.expires_at > current)
                      .group_by(Invitation.resident_id)) if ids else {}
    relatives = dict(db.session.query(RelativeLink.resident_id, func.count(RelativeLink.user_id))
                     .filter(RelativeLink.resident_id.in_(ids)).group_by(RelativeLink.resident_id)) if ids else {}
    return [{"id": r.id, "full_name": r.full_name, "unit_id": r.unit_id, "unit_name": places.of(r.unit),
             "open_invitations": open_codes.get(r.id, 0), "relatives": relatives.get(r.id, 0)} for r in found]


def invitations_of(actor, resident_id, now):
    """A resident's invitations, newest first (never the code: only its hash is kept)."""
    access.get_resident(actor, resident_id)
    found = (Invitation.query.filter_by(resident_id=resident_id)
             .order_by(Invitation.created_at.desc(), Invitation.id.desc()).all())
    return _with_names(found, now)


def issue(ctx, resident_id, days):
    """A new code for a resident: (invitation dict, the code as shown). The code is returned this once."""
    actor, now = ctx.actor, ctx.now
    resident = access.get_resident(actor, resident_id)
    if not resident.active:
        raise NotFound(Msg("No such resident."))
    code = rules.new_code()
    current = _naive(now)
    with audited(ctx) as w:
        s = w.session
        invitation = Invitation(code_hash=rules.code_hash(code), resident_id=resident.id, created_by=actor.id,
                                created_at=current, expires_at=rules.expiry(current, days))
        s.add(invitation)
        s.flush()
        w.audit("invitation_issue", "invitation", invitation.id,
                detail={"resident_id": resident.id, "expires_at": invitation.expires_at.isoformat()})
    reply = _with_names([invitation], now)[0]
    reply["code"] = rules.display(code)
    return reply


def withdraw(ctx, invitation_id):
    actor, now = ctx.actor, ctx.now
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None:
        raise _not_found()
    resident = db.session.get(Resident, invitation.resident_id)
    if resident is None or resident.unit_id not in access.unit_ids(actor):
        raise _not_found()
    if rules.status(invitation, _naive(now)) != "open":
        raise Conflict(Msg("This code is no longer open: it was used, has expired or was "
                           "withdrawn already."), code="not_open")
    with audited(ctx) as w:
        s = w.session
        invitation = s.get(Invitation, invitation_id)
        invitation.withdrawn_at = _naive(now)
        invitation.withdrawn_by = actor.id
        w.audit("invitation_withdraw", "invitation", invitation.id, detail={"resident_id": invitation.resident_id})
    return _with_names([invitation], now)[0]


# --- relatives -----------------------------------------------------------------------------------

def relatives_of(actor, resident_id):
    """The relatives' accounts linked to a resident of the staff member's units."""
    resident = access.get_resident(actor, resident_id)
    return (User.query.join(RelativeLink, RelativeLink.user_id == User.id)
            .filter(RelativeLink.resident_id == resident.id).order_by(User.full_name, User.id).all())


def unlink(ctx, resident_id, user_id):
    """End a relative's link to a resident: from her next request she sees nothing of this resident (her account
    stays, with her other residents, if any)."""
    actor = ctx.actor
    resident = access.get_resident(actor, resident_id)
    with audited(ctx) as w:
        s = w.session
        removed = (s.query(RelativeLink).filter_by(resident_id=resident.id, user_id=user_id)
                   .delete(synchronize_session=False))
        if not removed:
            raise NotFound(Msg("This relative is not linked to this resident."))
        w.audit("relative_unlink", "resident", resident.id, detail={"user_id": user_id})


def _failures(address, since):
    return (db.session.query(func.count(LoginAttempt.id))
            .filter(LoginAttempt.username == INVITATION_MARKER, LoginAttempt.address == address,
                    LoginAttempt.at >= since, LoginAttempt.success.is_(False)).scalar())


def _all_failures(address, since):
    return (db.session.query(func.count(LoginAttempt.id))
            .filter(LoginAttempt.address == address, LoginAttempt.at >= since,
                    LoginAttempt.success.is_(False)).scalar())


def _refuse(ctx):
    """A code that opens nothing: counted against the address and audited; one answer for every reason."""
    with audited(ctx) as w:
        w.session.add(LoginAttempt(username=INVITATION_MARKER, address=ctx.address, at=_naive(ctx.now),
                                   success=False))
        w.audit("invitation_refused", "invitation", None)
    message = Msg("This code does not open anything: check it, or ask the home for a new one.")
    return Invalid(message, {"code": message}, code="invalid_code")


def _open_invitation(code_text, now):
    code = rules.normalise(code_text)
    if code is None:
        return None
    invitation = Invitation.query.filter_by(code_hash=rules.code_hash(code)).one_or_none()
    if invitation is None or rules.status(invitation, _naive(now)) != "open":
        return None
    return invitation


def _field_error(fields):
    return Invalid(Msg("Please check: %(fields)s", fields=", ".join(sorted(fields))), fields)


def redeem(ctx, data, limits):
    """Use a code. Signed in as a relative: link one more resident to that account. Nobody signed in: create a
    relative's account (data: username, password, full_name, locale) linked to the resident. Returns
    {"new_account", "user", "resident"}. `ctx.address` is the address the failures count against."""
    actor, now, address = ctx.actor, ctx.now, ctx.address
    if actor is not None and actor.role != roles.RELATIVE:
        raise Conflict(Msg("You are signed in with a staff account: sign out first, then "
                           "create the relative's account with the code."), code="not_a_relative")
    since = _naive(now) - timedelta(seconds=limits["window"])
    if _failures(address, since) >= MAX_FAILURES or _all_failures(address, since) >= limits["per_address"]:
        with audited(ctx) as w:
            w.audit("invitation_throttled", "invitation", None)
        raise TooMany(Msg("Too many wrong codes. Wait 15 minutes and try again."), retry_after=limits["window"])
    invitation = _open_invitation(data.get("code"), now)
    if invitation is None:
        raise _refuse(ctx)
    resident = db.session.get(Resident, invitation.resident_id)
    home_id = resident.unit.home_id
    if not resident.active:
        raise _refuse(ctx)
    if actor is not None:
        return _link_existing(ctx, invitation, resident)
    username = rules.normalise_username(data.get("username"))
    problems = rules.account_problems(username, data.get("password"), data.get("full_name"))
    if not problems and User.query.filter_by(username=username).first() is not None:
        problems["username"] = Msg("This user name is taken; choose another.")
    if problems:
        raise _field_error(problems)
    try:
        with audited(ctx) as w:
            s = w.session
            user = User(username=username, password_hash=auth.hash_password(data["password"]),
                        full_name=data["full_name"].strip(), role=roles.RELATIVE, home_id=home_id,
                        locale=data.get("locale") or None, active=True)
            s.add(user)
            s.flush()
            _use(s, invitation, user, now)
            w.audit("invitation_redeem", "invitation", invitation.id,
                    detail={"resident_id": resident.id, "new_account": True}, actor=user)
    except IntegrityError:
        raise _field_error({"username": Msg("This user name is taken; choose another.")}) from None
    except _UsedMeanwhile:
        raise _refuse(ctx.acting(None)) from None
    return {"new_account": True, "user": user, "resident": resident}


class _UsedMeanwhile(Exception):
    """Another request used or withdrew the code between the check and the write."""


def _use(session, invitation, user, now):
    """Mark the code used, only if it is still open (one of two racing redemptions wins), and link."""
    current = _naive(now)
    done = (session.query(Invitation)
            .filter(Invitation.id == invitation.id, Invitation.used_at.is_(None),
                    Invitation.withdrawn_at.is_(None), Invitation.expires_at > current)
            .update({"used_at": current, "used_by": user.id}, synchronize_session=False))
    if done != 1:
        raise _UsedMeanwhile()
    session.add(RelativeLink(user_id=user.id, resident_id=invitation.resident_id))


def _link_existing(ctx, invitation, resident):
    actor = ctx.actor
    if resident.unit.home_id != actor.home_id:
        raise Conflict(Msg("This code is for another care home: create a separate account "
                           "for it (sign out first)."), code="other_home")
    if db.session.get(RelativeLink, (actor.id, resident.id)) is not None:
        raise Conflict(Msg("This resident is already linked to your account."), code="already_linked")
    try:
        with audited(ctx) as w:
            _use(w.session, invitation, actor, ctx.now)
            w.audit("invitation_redeem", "invitation", invitation.id,
                    detail={"resident_id": resident.id, "new_account": False})
    except _UsedMeanwhile:
        raise _refuse(ctx) from None
    return {"new_account": False, "user": actor, "resident": resident}
