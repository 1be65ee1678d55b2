"""Account actions beyond CRUD: login, logout, data, unblock, passwords, device tokens."""
from flask import current_app, g, jsonify

from app.extensions import limiter
from services.access import is_manager
from services.accounts import operations as accounts
from services.accounts import tokens
from services.engine import core, get_resource
from services.errors import Forbidden, Invalid

from .auth import signed_in_actor
from .body import json_body
from .resources import action


def login_limit():
    """The configured per-client login rate."""
    return current_app.config["LOGIN_RATE_LIMIT"]


@limiter.limit(login_limit)
def _login():
    """Exchange username (or e-mail) and password for a bearer token."""
    body = json_body(required=True)
    username, password = body.get("username"), body.get("password")
    problems = {name: "Wajib diisi." for name, value in
                (("username", username), ("password", password))
                if not isinstance(value, str) or not value}
    if problems:
        raise Invalid(fields=problems)
    user = accounts.authenticate(username, password)
    raw, token = tokens.issue_token(user, body.get("app", "website"))
    return jsonify({
        "users_phone": user.users_phone, "users_email": user.users_email, "login": True,
        "bearer": raw, "id": user.id,
        "is_password_reset_required": int(user.is_password_reset_required),
        "roles": sorted(user.role_codes),
        "expires": token.expires_at.strftime("%Y-%m-%d %H:%M:%S"),
    })


action("users/login", ["POST"], "Sign in; answers a bearer token",
       {"username": "string", "password": "string", "app": "mobile|website"}, public=True)(_login)


@action("users/logout", ["POST"], "Revoke the bearer token of this request")
def logout():
    """Revoke the token used for this request."""
    signed_in_actor()
    tokens.revoke_token(g.token)
    return jsonify({"logout": True})


@action("users/data", ["GET"], "The signed-in user's profile and summary")
def data():
    """Profile with roles, departments and what later features add."""
    actor = signed_in_actor()
    users = get_resource("users")
    return jsonify(accounts.user_data(actor, users.serialize(actor, actor, "detail")))


@action("users/<object_id>/unblock", ["POST"], "Lift a lockout (OWNER, ADMIN)")
def unblock(object_id):
    """Unblock an account and reset its failed-login counter."""
    actor = signed_in_actor()
    users = get_resource("users")
    if not is_manager(actor):
        raise Forbidden()
    accounts.unblock(actor, core.load(users, actor, object_id))
    return jsonify({"unblock": True})


@action("users/<object_id>/update/password", ["POST"], "Change your own password",
        {"prev_password": "string", "new_password": "string", "new_password_confirm": "string"})
def update_password(object_id):
    """The signed-in user changes their own password (other tokens are revoked)."""
    actor = signed_in_actor()
    user = core.load(get_resource("users"), actor, object_id)
    if user.id != actor.id:
        raise Forbidden("Gunakan update/password/admin untuk akun orang lain.")
    body = json_body(required=True)
    accounts.change_own_password(actor, body.get("prev_password"), body.get("new_password"),
                                 body.get("new_password_confirm"), keep=g.token)
    return jsonify({"update_password": True})


@action("users/<object_id>/update/password/admin", ["POST"],
        "Set someone's password (OWNER, ADMIN)",
        {"new_password": "string", "new_password_confirm": "string"})
def update_password_admin(object_id):
    """A manager sets a user's password; the user must change it at next sign-in."""
    actor = signed_in_actor()
    if not is_manager(actor):
        raise Forbidden()
    user = core.load(get_resource("users"), actor, object_id)
    body = json_body(required=True)
    accounts.set_password_by_admin(actor, user, body.get("new_password"),
                                   body.get("new_password_confirm"))
    return jsonify({"update_password_admin": True})


@action("users/register_device_token", ["POST", "PUT"], "Remember this phone for push messages",
        {"device_token": "string", "already_login": "boolean"})
def register_device_token():
    """Store the push token of the signed-in user's device."""
    actor = signed_in_actor()
    accounts.register_device_token(actor, json_body(required=True).get("device_token"))
    return jsonify({"register_device_token": True})
