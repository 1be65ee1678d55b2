"""API actions of doctors, the services they offer, practice windows and bookable slots beyond
CRUD: generating the slots of a doctor, and opening or closing one slot."""
from flask import jsonify

from app.auth import current_actor
from services.doctors import operations
from services.engine import core, get_resource

from .body import json_body
from .resources import action


@action("doctor_schedules/generate", ["POST"],
        "Cut a doctor's practice windows into bookable slots (OWNER, ADMIN, USERS, or the "
        "doctor)", {"id_doctors": "integer"})
def generate_doctor_schedules():
    """Each practice window is cut, for each active offer, into slots every (service
    duration + doctor's buffer) minutes; existing slots are kept, so running it again adds
    only what is missing. Answers the new slots: `{"data": [{id_doctors, id_services, day,
    open}], "generate": true}`."""
    actor = current_actor()
    core.require(get_resource("doctor_schedules"), actor, "create")  # 401/403 before the body
    body = json_body(required=True)
    created = operations.generate_for(actor, body.get("id_doctors"))
    return jsonify({"data": created, "generate": True})


@action("doctor_schedules/<object_id>/activate", ["PUT"],
        "Open slot {?} for booking (OWNER, ADMIN, USERS, or its doctor)")
def activate_doctor_schedule(object_id):
    """Open the slot for booking (idempotent): `{"activate": true}`."""
    operations.set_slot_active(current_actor(), object_id, True)
    return jsonify({"activate": True})


@action("doctor_schedules/<object_id>/unactivate", ["PUT"],
        "Close slot {?} for booking (OWNER, ADMIN, USERS, or its doctor)")
def unactivate_doctor_schedule(object_id):
    """Close the slot for booking (idempotent; existing appointments stay):
    `{"unactivate": true}`."""
    operations.set_slot_active(current_actor(), object_id, False)
    return jsonify({"unactivate": True})
