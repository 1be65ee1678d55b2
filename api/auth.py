"""Bearer-token authentication for /api (cookies are never used here)."""
from flask import g, request

from app.auth import current_actor
from services.accounts.tokens import user_for_token
from services.errors import Unauthorized

from . import bp


@bp.before_request
def load_bearer_token():
    """Set g.actor and g.token from `Authorization: Bearer …`; a bad token is a 401."""
    g.actor = None
    g.token = None
    header = request.headers.get("Authorization", "")
    if not header:
        return
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise Unauthorized("Gunakan header Authorization: Bearer <token>.", error_code="bad_token")
    g.actor, g.token = user_for_token(raw.strip())


def signed_in_actor():
    """The signed-in user, or 401."""
    actor = current_actor()
    if actor is None:
        raise Unauthorized()
    return actor
