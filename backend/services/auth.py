"""Sign-in with throttling kept in the database (so it holds across gunicorn workers), and
server-side sessions (so logout, a disabled account or a revoked session take effect at once)."""
import hashlib
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import func
from werkzeug.security import check_password_hash, generate_password_hash

from ..errors import ApiError
from ..extensions import db
from ..models import LoginAttempt, User, UserSession
from . import audit

#: A password hash to compare against when the user does not exist, so timing tells nothing.
_DUMMY_HASH = generate_password_hash("not-a-password")


def hash_password(password):
    return generate_password_hash(password)


def _token_id(token):
    return hashlib.sha256(token.encode()).hexdigest()


def _naive(now):
    return now.replace(tzinfo=None)


def _failures(column, value, since):
    return (db.session.query(func.count(LoginAttempt.id))
            .filter(column == value, LoginAttempt.at >= since, LoginAttempt.success.is_(False)).scalar())


def login(username, password, address, device_id, now, limits):
    """Check the password; returns (user, token). Raises ApiError 401 or 429."""
    username = (username or "").strip().lower()
    since = _naive(now) - timedelta(seconds=limits["window"])
    if (_failures(LoginAttempt.username, username, since) >= limits["per_account"]
            or _failures(LoginAttempt.address, address, since) >= limits["per_address"]):
        audit.record(db.session, None, "login_throttled", object_type="user", object_id=username,
                     device_id=device_id, address=address, at=now)
        db.session.commit()
        raise ApiError(429, "too_many_attempts",
                       _("Too many failed sign-ins. Wait 15 minutes or ask an administrator."),
                       headers={"Retry-After": str(limits["window"])})
    user = User.query.filter_by(username=username).one_or_none()
    ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, password or "")
    ok = ok and user is not None and user.active
    db.session.add(LoginAttempt(username=username, address=address, at=_naive(now), success=ok))
    audit.record(db.session, user if ok else None, "login" if ok else "login_failed", object_type="user",
                 object_id=user.id if user else username, device_id=device_id, address=address, at=now)
    if not ok:
        db.session.commit()
        raise ApiError(401, "bad_credentials", _("Wrong user name or password."))
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(id=_token_id(token), user_id=user.id, device_id=device_id,
                               created_at=_naive(now), last_seen=_naive(now)))
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


def logout(record, user, now, address):
    if record is not None:
        record.ended_at = _naive(now)
        audit.record(db.session, user, "logout", object_type="user", object_id=user.id,
                     device_id=record.device_id, address=address, at=now)
        db.session.commit()


def set_locale(user, locale, now):
    user.locale = locale
    audit.record(db.session, user, "set_locale", object_type="user", object_id=user.id, detail={"locale": locale},
                 at=now)
    db.session.commit()
    return user
