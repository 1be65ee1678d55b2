"""Notification actions beyond reading: mark one, or all, as read (the signed-in user's own)."""
from flask import jsonify

from services.engine import core, get_resource
from services.notifications import operations

from .auth import signed_in_actor
from .body import json_body
from .resources import action


@action("notifications/<object_id>/mark/as/read", ["PUT"], "Mark one of your notifications read")
def mark_as_read(object_id):
    """Mark one notification of the signed-in user read (another's is a 404)."""
    actor = signed_in_actor()
    notification = core.load(get_resource("notifications"), actor, object_id)
    operations.mark_as_read(notification)
    return jsonify({"mark_as_read": True})


@action("notifications/mark/all", ["PUT"], "Mark all your notifications read",
        {"id_users": "integer"})
def mark_all():
    """Mark every notification of the signed-in user read (`id_users`, if sent, must be
    theirs)."""
    actor = signed_in_actor()
    operations.mark_all_as_read(actor, json_body())
    return jsonify({"mark_all": True})
