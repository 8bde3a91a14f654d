"""Tablets: enrolment for a duty post, the device credential, revocation, and per-person signing keys."""
import hashlib
import hmac
import secrets
import uuid

from sqlalchemy import select, update

from ..domain import signing
from ..domain.errors import Conflict, NotFound
from ..domain.messages import Msg
from ..extensions import db
from ..models import Device, SigningKey, User, UserSession
from . import access, audit


def _digest(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def _naive(now):
    return now.replace(tzinfo=None)


def listing(actor):
    """The home's enrolled tablets (and browsers that synced), newest contact first. Each carries the name of the
    person who last synced on it (`last_user_name`): with its browser (`user_agent`) it tells an unenrolled one
    apart."""
    found = (Device.query.filter(Device.home_id == actor.home_id)
             .order_by(Device.enrolled_at.is_(None), Device.last_seen.desc()).all())
    ids = {d.last_user_id for d in found if d.last_user_id is not None}
    names = dict(db.session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all()) if ids else {}
    for device in found:
        device.last_user_name = names.get(device.last_user_id)
    return found


def get(actor, device_id):
    device = db.session.get(Device, device_id)
    if device is None or device.home_id != actor.home_id:
        raise NotFound(Msg("No such tablet."))
    return device


def enrol(ctx, device_id, name, post_id):
    """Enrol (or re-enrol) a tablet for a post. Returns (device, credential): the credential is shown once."""
    actor, now = ctx.actor, ctx.now
    post = access.get_post(actor, post_id)
    device = db.session.get(Device, device_id)
    if device is not None and device.home_id != actor.home_id:
        raise Conflict(Msg("This tablet belongs to another home."), code="conflict")
    if device is not None and device.revoked_at is not None:
        raise Conflict(Msg("This tablet was revoked. Reset it before enrolling it again."),
                       {"device_id": Msg("revoked tablets cannot be enrolled again")},
                       code="device_revoked")
    at = _naive(now)
    if device is None:
        device = Device(id=device_id, home_id=actor.home_id, first_seen=at, last_seen=at, max_client_seq=0,
                        outbox_len=0)
        db.session.add(device)
    credential = secrets.token_urlsafe(32)
    device.name = name
    device.post_id = post.id
    device.enrolled_at = at
    device.enrolled_by = actor.id
    device.credential_hash = _digest(credential)
    if ctx.user_agent:  # enrolled on the tablet itself: its browser
        device.user_agent = ctx.user_agent
    audit.record(db.session, actor, "device_enrol", "device", device_id, device_id=device_id, address=ctx.address,
                 at=now, detail={"name": name, "post_id": post.id})
    db.session.commit()
    return device, credential


def revoke(ctx, device_id):
    """Revoke a tablet: its credential opens nothing from now on and every session on it ends."""
    actor, now = ctx.actor, ctx.now
    device = get(actor, device_id)
    if device.revoked_at is None:
        at = _naive(now)
        device.revoked_at = at
        device.revoked_by = actor.id
        db.session.execute(update(UserSession).where(UserSession.device_id == device_id,
                                                     UserSession.ended_at.is_(None)).values(ended_at=at))
        db.session.execute(update(SigningKey).where(SigningKey.device_id == device_id,
                                                    SigningKey.revoked_at.is_(None)).values(revoked_at=at))
        audit.record(db.session, actor, "device_revoke", "device", device_id, device_id=device_id,
                     address=ctx.address, at=now)
        db.session.commit()
    return device


def authenticate(device_id, credential):
    """The enrolled device a credential belongs to (revoked ones included: the caller decides), or None."""
    if not device_id or not credential:
        return None
    device = db.session.get(Device, device_id)
    if device is None or device.credential_hash is None:
        return None
    return device if hmac.compare_digest(device.credential_hash, _digest(credential)) else None


def mark_wiped(ctx, device):
    """A revoked tablet reports that it wiped itself (its credential alone: nobody acts)."""
    now = ctx.now
    if device.wiped_at is None:
        device.wiped_at = _naive(now)
        audit.record(db.session, None, "device_wiped", "device", device.id, device_id=device.id, at=now)
        db.session.commit()


def enrolled(device_id):
    """The enrolled device with this id (revoked or not), or None."""
    device = db.session.get(Device, device_id)
    return device if device is not None and device.credential_hash is not None else None


def is_revoked(device_id):
    device = db.session.get(Device, device_id) if device_id else None
    return device is not None and device.revoked_at is not None


def issue_key(session, user, device_id, now, master):
    """A new signing key for this person on this device (at every password sign-in). Its secret is derived from
    the server's master secret (`master`: the app's secret key, given by the caller) so that it can be recovered
    after a restore (`restored_keys`)."""
    key_id = str(uuid.uuid4())
    secret = signing.derive_key(master, key_id, user.id, device_id)
    key = SigningKey(id=key_id, user_id=user.id, device_id=device_id,
                     secret=signing.b64(secret), created_at=_naive(now))
    session.add(key)
    return key


def keys_for(session, key_ids):
    """key id -> (user id, device id, raw secret, revoked) for the named keys."""
    if not key_ids:
        return {}
    rows = session.execute(select(SigningKey.id, SigningKey.user_id, SigningKey.device_id, SigningKey.secret,
                                  SigningKey.revoked_at).where(SigningKey.id.in_(key_ids)))
    return {kid: (uid, did, signing.decode_key(secret), revoked is not None)
            for kid, uid, did, secret, revoked in rows}


def restored_keys(entries, known, master):
    """Keys the database does not hold, for the entries signed with them: key id -> (user id, device id, derived
    secret, True). After a restore, a key issued after the backup is gone from the database; its secret is
    derived again from the master secret and what the entry says it is for (its author and device). An entry it
    verifies is stored -- no honest entry is lost -- and, as the key's revocation after the backup cannot be
    known, flagged for review like one from a revoked key (`from_revoked_device`). The key is not put back:
    she unlocks online with it no more and signs in with her password again, which issues a new one.
    `master`: the server's master secret (the app's secret key), given by the caller."""
    found = {}
    for e in entries:
        key_id = e.get("key_id")
        if key_id and key_id not in known and key_id not in found and isinstance(e.get("author_id"), int):
            found[key_id] = (e["author_id"], e["device_id"],
                             signing.derive_key(master, key_id, e["author_id"], e["device_id"]), True)
    return found


def live_key(user_id, device_id, key_id):
    """The key a tablet proves itself with when unlocking online, if it is still good."""
    key = db.session.get(SigningKey, key_id) if key_id else None
    if key is None or key.user_id != user_id or key.device_id != device_id or key.revoked_at is not None:
        return None
    return signing.decode_key(key.secret)
