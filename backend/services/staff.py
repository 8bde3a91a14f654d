"""Staff accounts, run by the home's administrators: create (with a one-time password she must change at her
first sign-in), change name, roles, units or language, reset her password or PIN, clear a sign-in hold, disable and
enable. Everyone changes her own password here too (the old one required).

Who manages whom (docs/security.md): administrators manage every staff account of their home; nobody else does.
An administrator cannot disable herself, nor leave the home without an active administrator.

What tablets hold of a person (her name, whether she is active, from when her signing keys count) is in the post
pull's `staff` rows; every change of these bumps her feed position, so tablets learn it at their next pull. A
disabled account or a PIN reset retires her signing keys: entries she signed before still verify and are stored
(flagged when a key's tablet was revoked, as before); her PIN opens nothing once the tablet has pulled.

No password, temporary or chosen, is ever written to the audit log or a log line: the audit row says what was done.
"""
import secrets
from datetime import timedelta

from sqlalchemy import func, update

from ..domain import passwords, posts, roles
from ..domain.errors import Conflict, NotFound, TooMany, invalid
from ..domain.messages import Msg
from ..extensions import db
from ..models import Home, LoginAttempt, SigningKey, User, UserSession
from . import access, auth, devices
from .publish import audited, published

#: Letters and digits that cannot be mistaken for each other when read off a screen or a slip of paper.
_TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def _naive(now):
    return now.replace(tzinfo=None)


def temporary_password():
    """A one-time password an administrator reads out or hands over: 3 groups of 4 (about 59 bits)."""
    return "-".join("".join(secrets.choice(_TEMPORARY_ALPHABET) for _ in range(4)) for _ in range(3))


def _refuse(field, message):
    raise invalid({field: message})


def check_password(password, user=None, username="", full_name="", home_name=""):
    """Refuse a password the policy refuses (domain/passwords.py), naming the field `new_password`."""
    if user is not None:
        username, full_name, home_name = user.username, user.full_name, user.home.name
    found = passwords.problems(password, (username, full_name, home_name))
    if found:
        _refuse("new_password", found[0])


def _not_found():
    return NotFound(Msg("No such member of staff."))


def get(actor, user_id):
    user = db.session.get(User, user_id)
    if user is None or user.home_id != actor.home_id or user.role == roles.RELATIVE:
        raise _not_found()
    return user


def _held_usernames(usernames, now, limits):
    since = _naive(now) - timedelta(seconds=limits["window"])
    if not usernames:
        return set()
    rows = (db.session.query(LoginAttempt.username, func.count(LoginAttempt.id))
            .filter(LoginAttempt.username.in_(usernames), LoginAttempt.at >= since,
                    LoginAttempt.success.is_(False))
            .group_by(LoginAttempt.username))
    return {name for name, count in rows if count >= limits["per_account"]}


def account(user, held=False):
    """The account as the administrator's screen shows it."""
    return {"id": user.id, "username": user.username, "full_name": user.full_name, "role": user.role,
            "roles": list(user.roles), "post": user.post, "units": [{"id": u.id, "name": u.name, "names": u.names}
                                                               for u in user.units],
            "locale": user.locale,
            "active": user.active, "must_change_password": user.must_change_password, "held": held,
            "created_at": user.created_at, "password_changed_at": user.password_changed_at}


def listing(actor, now, limits):
    users = (User.query.filter(User.home_id == actor.home_id, User.role != roles.RELATIVE)
             .order_by(User.active.desc(), User.full_name, User.id).all())
    held = _held_usernames([u.username for u in users], now, limits)
    return [account(u, u.username in held) for u in users]


def account_of(user, now, limits):
    return account(user, bool(_held_usernames([user.username], now, limits)))


def _units(actor, unit_ids):
    """The home's units with these ids, in the order of their ids (none: she works across the whole home)."""
    units = []
    for unit_id in unit_ids:
        unit = access.find_unit(actor, unit_id)
        if unit is None:
            _refuse("unit_ids", Msg("No such unit in this home."))
        if unit not in units:
            units.append(unit)
    return sorted(units, key=lambda u: u.id)


def _check_roles(names):
    """Her roles, the main one first: at least one, each a staff role, none twice."""
    if not names or any(name not in roles.STAFF for name in names):
        _refuse("roles", Msg("Choose one of the staff roles."))
    if len(set(names)) != len(names):
        _refuse("roles", Msg("A role is listed twice."))


def _check_post(code):
    """Her post (domain/posts.py), or None: not chosen."""
    if code is not None and posts.check(code):
        _refuse("post", Msg("Choose one of the posts."))


def _active_admins(home_id, other_than=None):
    query = User.query.filter(User.home_id == home_id, User.holding(roles.ADMIN), User.active.is_(True))
    if other_than is not None:
        query = query.filter(User.id != other_than)
    return query.count()


def _guard_last_admin(user, new_roles=(roles.ADMIN,), disabling=False):
    if user.has_role(roles.ADMIN) and user.active and (disabling or roles.ADMIN not in new_roles) \
            and _active_admins(user.home_id, other_than=user.id) == 0:
        raise Conflict(Msg("The home must keep at least one active administrator."), code="last_administrator")


def normalise_username(text):
    return (text or "").strip().lower()


def create(ctx, data):
    """A new staff account with a one-time password. Returns (user, temporary password): shown once."""
    actor, now = ctx.actor, ctx.now
    username = normalise_username(data["username"])
    if not username or any(c.isspace() for c in username):
        _refuse("username", Msg("A user name is one word, without spaces."))
    post = data.get("post")
    _check_post(post)
    # her roles: as sent, else the post's (the staff screen fills them from the post; they stay editable)
    names = data.get("roles") or (list(posts.roles_of(post)) if post else None)
    _check_roles(names)
    units = _units(actor, data.get("unit_ids") or [])
    if User.query.filter_by(username=username).first() is not None:
        _refuse("username", Msg("This user name is taken."))
    temporary = temporary_password()
    with published(ctx) as w:
        s = w.session
        user = User(username=username, full_name=data["full_name"].strip(), home_id=actor.home_id, units=units,
                    locale=data.get("locale"), active=True, must_change_password=True, post=post,
                    password_hash=auth.hash_password(temporary), created_at=_naive(now), seq=w.number())
        user.set_roles(names)
        s.add(user)
        s.flush()
        w.audit("staff_create", "user", user.id,
                detail={"username": username, "roles": list(user.roles), "post": post, "unit_ids": user.unit_ids})
    return user, temporary


def _retire_keys(s, user, at):
    """Her signing keys stop counting from now (entries signed before still verify)."""
    s.execute(update(SigningKey).where(SigningKey.user_id == user.id, SigningKey.revoked_at.is_(None))
              .values(revoked_at=at))
    user.keys_valid_from = at


def _end_sessions(s, user, at, keep=None):
    query = update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    if keep is not None:
        query = query.where(UserSession.id != keep)
    s.execute(query.values(ended_at=at))


def change(ctx, user_id, data):
    """Name, post, roles (the main one first), units or language. Roles none of which signs entries retire her keys.
    A change of post leaves her roles as sent (the staff screen fills them from the post)."""
    actor, now = ctx.actor, ctx.now
    user = get(actor, user_id)
    detail = {}
    if "post" in data and data["post"] != user.post:
        _check_post(data["post"])
        detail["post"] = [user.post, data["post"]]
    if "roles" in data and tuple(data["roles"]) != user.roles:
        _check_roles(data["roles"])
        _guard_last_admin(user, new_roles=data["roles"])
        detail["roles"] = [list(user.roles), list(data["roles"])]
    units = None
    if "unit_ids" in data:
        units = _units(actor, data["unit_ids"])
        if [u.id for u in units] != user.unit_ids:
            detail["unit_ids"] = [user.unit_ids, [u.id for u in units]]
    if "full_name" in data and data["full_name"].strip() != user.full_name:
        detail["full_name"] = True
    if "locale" in data and data["locale"] != user.locale:
        detail["locale"] = data["locale"]
    if not detail:
        return user
    at = _naive(now)
    with published(ctx) as w:
        s = w.session
        if "roles" in detail:
            user.set_roles(data["roles"])
            if not roles.holds(data["roles"], roles.AUTHORS):
                _retire_keys(s, user, at)
        if "unit_ids" in detail:
            user.units = units
        if "post" in detail:
            user.post = data["post"]
        if "full_name" in detail:
            user.full_name = data["full_name"].strip()
        if "locale" in detail:
            user.locale = data["locale"]
        w.number(user)
        w.audit("staff_change", "user", user.id, detail=detail)
    return user


def reset_password(ctx, user_id):
    """A new one-time password (she must change it at her next sign-in); her sessions end, her hold is cleared.
    Her PIN still unlocks the tablets she holds a key on (reset that too when the account may be in other hands)."""
    actor, now = ctx.actor, ctx.now
    user = get(actor, user_id)
    temporary = temporary_password()
    at = _naive(now)
    with published(ctx) as w:
        s = w.session
        user.password_hash = auth.hash_password(temporary)
        user.must_change_password = True
        _end_sessions(s, user, at)
        _clear_failures(s, user.username)
        w.audit("staff_reset_password", "user", user.id)
    return user, temporary


def reset_pin(ctx, user_id):
    """Her PIN stops working on every tablet at its next pull: her keys are retired and her sessions end. On each
    tablet she signs in with her password once and chooses a new PIN."""
    actor, now = ctx.actor, ctx.now
    user = get(actor, user_id)
    at = _naive(now)
    with published(ctx) as w:
        s = w.session
        _retire_keys(s, user, at)
        _end_sessions(s, user, at)
        w.number(user)
        w.audit("staff_reset_pin", "user", user.id)
    return user


def _clear_failures(s, username):
    return s.query(LoginAttempt).filter(LoginAttempt.username == username,
                                        LoginAttempt.success.is_(False)).delete(synchronize_session=False)


def clear_hold(ctx, user_id):
    """Lift the hold that failed sign-ins put on her account (the audit log keeps every attempt)."""
    actor = ctx.actor
    user = get(actor, user_id)
    with audited(ctx) as w:
        s = w.session
        cleared = _clear_failures(s, user.username)
        w.audit("staff_clear_hold", "user", user.id,
                detail={"failures": cleared})
    return user


def disable(ctx, user_id):
    """She can no longer sign in or unlock: her sessions end and her keys are retired. Her past entries keep her
    name; entries her tablets still hold are accepted when pushed (signed before)."""
    actor, now = ctx.actor, ctx.now
    user = get(actor, user_id)
    if user.id == actor.id:
        raise Conflict(Msg("You cannot disable your own account."), code="own_account")
    _guard_last_admin(user, disabling=True)
    if not user.active:
        return user
    at = _naive(now)
    with published(ctx) as w:
        s = w.session
        user.active = False
        _retire_keys(s, user, at)
        _end_sessions(s, user, at)
        w.number(user)
        w.audit("staff_disable", "user", user.id)
    return user


def enable(ctx, user_id):
    """Active again; she signs in with her password (her old keys stay retired)."""
    actor = ctx.actor
    user = get(actor, user_id)
    if user.active:
        return user
    with published(ctx) as w:
        user.active = True
        w.number(user)
        w.audit("staff_enable", "user", user.id)
    return user


def change_own_password(ctx, current, new, limits, master, keep_session=None):
    """Her own password, the old one required (a wrong one counts as a failed sign-in). Her other sessions end.
    Returns the signing key issued for `device_id` (None without one, or for a role that signs nothing), derived
    from `master` (the server's master secret)."""
    user, now, device_id = ctx.actor, ctx.now, ctx.device_id
    # the same hold as a sign-in, reserved before the check (auth.reserve_attempt): at most five checks at once
    attempt = auth.reserve_attempt(user.username, ctx.address or "unknown", now, limits)
    if attempt is None:
        raise TooMany(Msg("Too many failed sign-ins. Wait 15 minutes or ask an administrator."),
                      retry_after=limits["window"])
    if not auth.password_matches(user, current):
        with audited(ctx) as w:
            w.audit("password_change_failed", "user", user.id)
        _refuse("current_password", Msg("This is not your current password."))
    auth.attempt_succeeded(attempt)
    if new == current:
        _refuse("new_password", Msg("Choose a password different from the current one."))
    check_password(new, user)
    at = _naive(now)
    with audited(ctx) as w:
        s = w.session
        user.password_hash = auth.hash_password(new)
        user.must_change_password = False
        user.password_changed_at = at
        _end_sessions(s, user, at, keep=keep_session)
        key = (devices.issue_key(s, user, device_id, now, master) if device_id and user.has_role(*roles.AUTHORS)
               else None)
        w.audit("password_change", "user", user.id)
    return key


class HomeExists(Exception):
    """`bedside setup` on a database that already holds a home."""


def setup(ctx, home_name, timezone, locale, username, full_name, password):
    """The first run: the home and its first administrator (whose password passes the policy). Returns the
    administrator. Refuses a database that holds a home. `ctx`: nobody acts yet (actor None), at the clock's now."""
    now = ctx.now
    if db.session.query(Home.id).first() is not None:
        raise HomeExists("this database already holds a care home")
    username = normalise_username(username)
    found = passwords.problems(password, (username, full_name, home_name))
    if found:
        raise ValueError(str(found[0]))
    with published(ctx) as w:
        s = w.session
        home = Home(name=home_name.strip(), timezone=timezone, locale=locale)
        s.add(home)
        s.flush()
        admin = User(username=username, full_name=full_name.strip(), role=roles.ADMIN, post=posts.ADMINISTRATOR,
                     home_id=home.id,
                     locale=locale, active=True, must_change_password=False, password_hash=auth.hash_password(password),
                     created_at=_naive(now), password_changed_at=_naive(now), seq=w.number())
        s.add(admin)
        s.flush()
        w.audit("home_setup", "home", home.id,
                detail={"name": home.name, "timezone": timezone, "locale": locale, "admin": username})
    return admin
