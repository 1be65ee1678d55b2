"""Bearer tokens of the API: issuing one, the signed-in user of one (the statement every
API request runs first), ending one or all of a user's."""
import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import bindparam, inspect, select, update
from sqlalchemy.orm import joinedload, load_only

from models import User, UserToken, clinic_now, db
from services import audit
from services.errors import Forbidden, Unauthorized


def token_digest(raw) -> str:
    """The stored form of a token (a bearer token, a password-recovery token)."""
    return hashlib.sha256(str(raw).encode("utf-8", "replace")).hexdigest()


def issue_token(user: User, app: str = "website") -> tuple[str, UserToken]:
    """A new random bearer token; only its hash is stored."""
    config = current_app.config
    app = "mobile" if app == "mobile" else "website"
    lifetime = (timedelta(days=config["TOKEN_TTL_MOBILE_DAYS"]) if app == "mobile"
                else timedelta(hours=config["TOKEN_TTL_WEBSITE_HOURS"]))
    raw = secrets.token_urlsafe(32)
    token = UserToken(id_users=user.id, token_hash=token_digest(raw), app=app,
                      expires_at=clinic_now() + lifetime)
    db.session.add(token)
    db.session.commit()
    return raw, token


# the user's columns loaded as usual (search_text is never loaded with a user)
PROFILE_COLUMNS = frozenset(attribute.key for attribute in User.__mapper__.column_attrs
                            if not attribute.deferred)
# One SELECT for the token, its user and the user's roles (read by nearly every endpoint's
# access rule): authentication costs one round trip, not three. Of the user it reads what
# deciding needs (blocked, deleted) and the username (every audit entry names it); the rest,
# the profile, comes in one more SELECT, all of it at once, in a request that reads any of
# it (_profile_on_first_read). Built once: SQLAlchemy keys its compiled form on the
# statement object, so a request does not rebuild and re-key it.
TOKEN_STATEMENT = (
    select(UserToken)
    .options(joinedload(UserToken.user).options(
        load_only(User.id, User.username, User.is_blocked, User.deleted_at),
        joinedload(User.roles)))
    .where(UserToken.token_hash == bindparam("digest")))


def _profile_on_first_read(user: User):
    """Mark the columns the token's statement left out as expired: reading any of them then
    loads all of them in one SELECT (a column left out by load_only alone is loaded by
    itself, one SELECT per column read). Columns already in the session stay as they are."""
    state = inspect(user)
    left_out = state.unloaded.intersection(PROFILE_COLUMNS)
    if left_out:
        db.session.expire(user, left_out)


def user_for_token(raw: str) -> tuple[User, UserToken]:
    """The signed-in user of a bearer token, or 401."""
    token = db.session.execute(TOKEN_STATEMENT, {"digest": token_digest(raw or "")}
                               ).unique().scalars().first()
    now = clinic_now()
    if token is None or token.revoked_at is not None or token.expires_at <= now:
        raise Unauthorized("Token tidak valid atau sudah kedaluwarsa.", error_code="bad_token")
    user = token.user
    if user is None or user.deleted_at is not None:
        raise Unauthorized("Token tidak valid atau sudah kedaluwarsa.", error_code="bad_token")
    _profile_on_first_read(user)
    if user.is_blocked:
        raise Forbidden("Akun Anda diblokir.", error_code="account_blocked")
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        db.session.execute(update(UserToken).where(UserToken.id == token.id)
                           .values(last_used_at=now))  # at most one write per 5 minutes
        db.session.commit()
    return user, token


def revoke_token(token: UserToken):
    """End one token (logout)."""
    token.revoked_at = clinic_now()
    audit.record("logout", token.user, "users", token.id_users, token.app)
    db.session.commit()


def revoke_all_tokens(user: User, keep: UserToken | None = None):
    """End every token of a user except `keep` (after a password change or deletion)."""
    stmt = update(UserToken).where(UserToken.id_users == user.id, UserToken.revoked_at.is_(None))
    if keep is not None:
        stmt = stmt.where(UserToken.id != keep.id)
    db.session.execute(stmt.values(revoked_at=clinic_now()))
