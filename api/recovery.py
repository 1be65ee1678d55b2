"""Password recovery (public): ask for a link by e-mail or WhatsApp, then set a new password
with it. users/{email or phone}/recovery/password/email|wa and
users/{email or phone}/forgot/{hash}/password/email|wa, as documented."""
from flask import current_app, jsonify, request

from app.extensions import limiter
from services.accounts import recovery
from services.errors import Invalid

from .body import json_body
from .resources import action

VARIANTS = ("", "reset")


def recovery_limit():
    """The configured per-client recovery rate (asking for links and using them)."""
    return current_app.config["RECOVERY_RATE_LIMIT"]


def _variant() -> str:
    variant = request.args.get("variant", "")
    if variant not in VARIANTS:
        raise Invalid(fields={"variant": "Pilihan variant hanya 'reset'."})
    return variant


@limiter.limit(recovery_limit)
def _recovery_by_email(identity):
    """Send a recovery link to this e-mail address (the same answer for any address)."""
    recovery.request_recovery("email", identity, _variant())
    return jsonify({"recovery_password_email": True, "users_email": identity})


@limiter.limit(recovery_limit)
def _recovery_by_whatsapp(identity):
    """Send a recovery link to this WhatsApp number (the same answer for any number)."""
    recovery.request_recovery("wa", identity)
    return jsonify({"recovery_password_wa": True, "users_phone": identity})


def _new_password():
    body = json_body(required=True)
    return body.get("new_password"), body.get("confirm_new_password")


@limiter.limit(recovery_limit)
def _forgot_by_email(identity, token):
    """Set a new password with the link sent by e-mail."""
    recovery.reset_password("email", identity, token, *_new_password())
    return jsonify({"forgot_password_email": True, "users_email": identity})


@limiter.limit(recovery_limit)
def _forgot_by_whatsapp(identity, token):
    """Set a new password with the link sent by WhatsApp."""
    recovery.reset_password("wa", identity, token, *_new_password())
    return jsonify({"forgot_password_wa": True, "users_phone": identity})


NEW_PASSWORD = {"new_password": "string", "confirm_new_password": "string"}
action("users/<identity>/recovery/password/email", ["POST"],
       "Send a password-recovery link by e-mail (same answer for any address)",
       public=True)(_recovery_by_email)
action("users/<identity>/recovery/password/wa", ["POST"],
       "Send a password-recovery link by WhatsApp (same answer for any number)",
       public=True)(_recovery_by_whatsapp)
action("users/<identity>/forgot/<token>/password/email", ["POST"],
       "Set a new password with an e-mailed recovery link", NEW_PASSWORD,
       public=True)(_forgot_by_email)
action("users/<identity>/forgot/<token>/password/wa", ["POST"],
       "Set a new password with a WhatsApp recovery link", NEW_PASSWORD,
       public=True)(_forgot_by_whatsapp)
