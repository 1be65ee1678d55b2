"""One way to know who is calling, for both faces, and one decorator to require it."""
from functools import wraps

from flask import g, request
from flask_login import current_user

from services.errors import Forbidden, Unauthorized


def is_api_request() -> bool:
    """True for the JSON face."""
    return request.path.startswith("/api")


def current_actor():
    """The signed-in user: bearer token on /api, session on /admin; None when anonymous."""
    if is_api_request():
        return g.get("actor")
    return current_user if current_user.is_authenticated else None


def requires(*roles):
    """Require a signed-in user (holding one of `roles`, when given).

    The API answers 401/403 as JSON; the admin face redirects to its login page (see
    the error handlers in blueprints/admin)."""
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            actor = current_actor()
            if actor is None:
                raise Unauthorized()
            if roles and not actor.has_role(*roles):
                raise Forbidden()
            return view(*args, **kwargs)
        return wrapper
    return decorator
