"""Sign-in with throttling kept in the database (so it holds across gunicorn workers), and
server-side sessions (so logout, a disabled account or a revoked session take effect at once)."""
import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import func, insert, literal, select, text, update
from itsdangerous import BadSignature, URLSafeSerializer

from ..database import is_sqlite, write_transaction
from ..domain.errors import TooMany, Unauthenticated
from ..domain.messages import Msg
from ..extensions import db
from ..hashing import check_password_hash, generate_password_hash
from ..domain import roles, signing
from ..models import LoginAttempt, User, UserSession
from . import audit, devices

#: A password hash to compare against when the user does not exist, so timing tells nothing.
_DUMMY_HASH = generate_password_hash("not-a-password")


def hash_password(password):
    return generate_password_hash(password)


def password_matches(user, password):
    return check_password_hash(user.password_hash, password or "")


def _token_id(token):
    return hashlib.sha256(token.encode()).hexdigest()


def _naive(now):
    return now.replace(tzinfo=None)


def _failures(column, value, since):
    """Failed (or still being checked) attempts by this account or address since `since`, as a subquery."""
    return (select(func.count(LoginAttempt.id))
            .where(column == value, LoginAttempt.at >= since, LoginAttempt.success.is_(False)).scalar_subquery())


def _lock_key(value):
    return int.from_bytes(hashlib.sha256(value.encode()).digest()[:4], "big", signed=True)


def reserve_attempt(username, address, now, limits):
    """The id of a new attempt row (committed), or None when the account or the address is held.

    The row is written as a failure BEFORE the password is checked (`mark_success` after a right one), and only
    while fewer than the limit of failures are in the window: the count and the insert are one statement, on
    PostgreSQL behind transaction locks on the account's and the address's name (taken in that order by every
    attempt), on SQLite under its write lock. So eight wrong passwords sent at once, to any gunicorn workers, get at
    most five password checks (issue 14). An attempt whose worker died before the check counts as a failure."""
    since = _naive(now) - timedelta(seconds=limits["window"])
    with write_transaction():
        return _reserve(username, address, _naive(now), since, limits)


def mark_success(attempt):
    """The reserved attempt turned out right: it holds nobody (in the caller's transaction)."""
    db.session.execute(update(LoginAttempt).where(LoginAttempt.id == attempt).values(success=True))


def attempt_succeeded(attempt):
    """mark_success in a transaction of its own (a password change: its own write comes after more checks)."""
    with write_transaction():
        mark_success(attempt)


def _reserve(username, address, now, since, limits):
    if not is_sqlite():
        for namespace, value in ((1, username), (2, address)):
            db.session.execute(text("SELECT pg_advisory_xact_lock(:namespace, :key)"),
                               {"namespace": namespace, "key": _lock_key(value)})
    row = select(literal(username, LoginAttempt.username.type), literal(address, LoginAttempt.address.type),
                 literal(now, LoginAttempt.at.type), literal(False, LoginAttempt.success.type)).where(
        _failures(LoginAttempt.username, username, since) < limits["per_account"],
        _failures(LoginAttempt.address, address, since) < limits["per_address"])
    statement = (insert(LoginAttempt).from_select(["username", "address", "at", "success"], row)
                 .returning(LoginAttempt.id))
    return db.session.execute(statement).scalar()


def _device_revoked():
    return Unauthenticated(Msg("This tablet has been withdrawn by an administrator."), code="device_revoked")


def login(ctx, username, password, limits, master):
    """Check the password; returns (user, token, signing key or None). Raises Unauthenticated (401) or TooMany (429).

    With a device id (`ctx.device_id`), the person gets a new signing key for that device (domain/signing.py),
    derived from `master` (the server's master secret: the app's secret key).

    Sign-ins write on the request's session (the attempt, the session, the audit row) and commit here: no feed row,
    so no publish.published; the audit row takes the feed lock itself (audit.record)."""
    now, device_id, address = ctx.now, ctx.device_id, ctx.address
    if devices.is_revoked(device_id):
        raise _device_revoked()
    username = (username or "").strip().lower()
    attempt = reserve_attempt(username, address, now, limits)
    if attempt is None:
        audit.record_alone(ctx.acting(None), "login_throttled", "user", username)
        raise TooMany(Msg("Too many failed sign-ins. Wait 15 minutes or ask an administrator."),
                      retry_after=limits["window"])
    user = User.query.filter_by(username=username).one_or_none()
    ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, password or "")
    ok = ok and user is not None and user.active
    if ok:  # the attempt was written as a failure
        mark_success(attempt)
    audit.record(db.session, user if ok else None, "login" if ok else "login_failed", object_type="user",
                 object_id=user.id if user else username, device_id=device_id, address=address, at=now)
    if not ok:
        db.session.commit()
        raise Unauthenticated(Msg("Wrong user name or password."), code="bad_credentials")
    # Only people who author entries (bedside entries or assessments) get a key: nobody else's would be accepted.
    # A one-time password opens nothing but choosing her own: her key comes with the new password.
    key = (devices.issue_key(db.session, user, device_id, now, master)
           if device_id and user.has_role(*roles.AUTHORS) and not user.must_change_password else None)
    token = _start_session(user, device_id, now)
    db.session.commit()
    return user, token, key


def _start_session(user, device_id, now):
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(id=_token_id(token), user_id=user.id, device_id=device_id,
                               created_at=_naive(now), last_seen=_naive(now)))
    return token


#: How long a PIN-unlock challenge stays good.
CHALLENGE_SECONDS = 120


def _challenges(secret_key):
    return URLSafeSerializer(secret_key, salt="bedside-unlock")


def new_challenge(secret_key, now):
    """A challenge for a PIN unlock: the time it was issued, signed with the server's secret."""
    return _challenges(secret_key).dumps(now.timestamp())


def challenge_is_fresh(secret_key, text, now):
    try:
        issued = float(_challenges(secret_key).loads(text))
    except (BadSignature, TypeError, ValueError):
        return False
    return 0 <= now.timestamp() - issued <= CHALLENGE_SECONDS


def unlock(ctx, device, user_id, key_id, challenge, proof, secret_key):
    """A PIN unlock on an enrolled tablet, online: a new server session for the person whose key signed the
    server's challenge. The PIN never leaves the tablet; the key it unwraps is the proof."""
    now, address = ctx.now, ctx.address
    if device.revoked_at is not None:
        raise _device_revoked()
    user = db.session.get(User, user_id)
    secret = devices.live_key(user_id, device.id, key_id)
    ok = (user is not None and user.active and secret is not None
          and challenge_is_fresh(secret_key, challenge, now)
          and signing.check_proof(secret, proof, "unlock", challenge, user_id, device.id))
    audit.record(db.session, user if ok else None, "unlock" if ok else "unlock_failed", object_type="user",
                 object_id=user_id, device_id=device.id, address=address, at=now)
    if not ok:
        db.session.commit()
        raise Unauthenticated(Msg("Sign in with your password on this tablet again."), code="unlock_refused")
    token = _start_session(user, device.id, now)
    db.session.commit()
    return user, token


def resolve(token, now, idle_seconds, absolute_seconds):
    """The user of a live session, or None. Ends sessions past their idle or absolute limit."""
    if not token:
        return None, None
    record = db.session.get(UserSession, _token_id(token))
    if record is None or record.ended_at is not None:
        return None, None
    current = _naive(now)
    expired = (current - record.last_seen > timedelta(seconds=idle_seconds)
               or current - record.created_at > timedelta(seconds=absolute_seconds))
    user = db.session.get(User, record.user_id)
    if expired or user is None or not user.active:
        record.ended_at = current
        db.session.commit()
        return None, None
    if current - record.last_seen > timedelta(seconds=60):  # bookkeeping, not on every request
        record.last_seen = current
        db.session.commit()
    return user, record


def end(record, now):
    """End a session without auditing a logout (it was replaced by a newer one in the same browser)."""
    if record is not None and record.ended_at is None:
        record.ended_at = _naive(now)
        db.session.commit()


def logout(ctx, record):
    user, now, address = ctx.actor, ctx.now, ctx.address
    if record is not None:
        record.ended_at = _naive(now)
        audit.record(db.session, user, "logout", object_type="user", object_id=user.id,
                     device_id=record.device_id, address=address, at=now)
        db.session.commit()


def set_locale(ctx, locale):
    user, now = ctx.actor, ctx.now
    user.locale = locale
    audit.record(db.session, user, "set_locale", object_type="user", object_id=user.id, detail={"locale": locale},
                 at=now)
    db.session.commit()
    return user
