"""API actions of appointments (user_schedules) beyond the generated lists, get and delete:
create, update/reschedule, cancel, arrived, done (all through the booking rules and the
appointment workflow), the timeline and doctor availability."""
from flask import jsonify

from app.auth import current_actor
from app.json_provider import collector_paused
from services.appointments import operations, queries
from services.engine import get_resource
from services.engine.fields import FlexDate, Number, ValidationError
from services.format import day_text
from services.errors import Invalid

from .auth import signed_in_actor
from .body import json_body
from .resources import action, one

BOOKING_BODY = {"id_doctors": "integer", "id_services": "integer",
                "id_doctor_schedules": "integer (required)", "custom_price": "integer (staff)",
                "hari": "Senin … Minggu", "jam": "HH:MM", "tanggal": "DD/MM/YYYY (required)",
                "id_users": "integer (staff)", "id_patients": "integer (required)"}


def _answer(action_name, appointment):
    """The documented single-appointment envelope."""
    return jsonify(one(get_resource("user_schedules"), action_name, appointment, current_actor()))


def _optional_id(body, name):
    """An optional integer of the body (None when absent or blank); 422 when not a number."""
    value = body.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return Number(allow_none=True).deserialize(value)
    except ValidationError as exc:
        raise Invalid(fields={name: "Harus berupa angka."}) from exc


def _required_date(body, name):
    """A required date of the body (DD/MM/YYYY or YYYY-MM-DD); 422 when missing or bad."""
    value = body.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise Invalid(fields={name: "Wajib diisi (DD/MM/YYYY atau YYYY-MM-DD)."})
    try:
        return FlexDate().deserialize(value)
    except ValidationError as exc:
        raise Invalid(fields={name: "Tanggal tidak valid (DD/MM/YYYY atau YYYY-MM-DD)."}) from exc


@action("user_schedules/create", ["POST"],
        "Book an appointment (office for anyone, a customer for their own patients)",
        BOOKING_BODY)
def create_appointment():
    """Book a slot: it must belong to the doctor and service and be open, `tanggal` on its
    weekday, not a holiday, not past, within the notice and window; one live appointment per
    doctor and time (409 when taken). `custom_price` only from the office (else the
    doctor's price)."""
    return _answer("create", operations.book(current_actor(), json_body(required=True)))


def _reschedule(object_id):
    """Move the appointment to another free slot/date of the same doctor and service
    (capped, not once started); `id_doctor_schedules` and `tanggal` are required."""
    return _answer("update", operations.reschedule(current_actor(), object_id,
                                                   json_body(required=True)))


action("user_schedules/<object_id>/update", ["PUT", "POST"],
       "Reschedule an appointment (office, or the customer who owns it)", BOOKING_BODY)(
    _reschedule)


@action("user_schedules/<object_id>/reschedule", ["PUT", "POST"],
        "Reschedule an appointment (the same as update)", BOOKING_BODY)
def reschedule_appointment(object_id):
    """The document's other name of update."""
    return _reschedule(object_id)


@action("user_schedules/<object_id>/cancel", ["PUT"],
        "Cancel an appointment with a reason (office, or the customer who owns it)",
        {"cancel_reason": "string (required)"})
def cancel_appointment(object_id):
    """Cancel (BOOKING, RESCHEDULE or ARRIVED): the slot becomes free again."""
    operations.cancel(current_actor(), object_id, json_body(required=True))
    return jsonify({"cancel": True})


@action("user_schedules/<object_id>/arrived", ["PUT"],
        "The patient has arrived (office or the doctor; on the appointment's day)")
def arrived_appointment(object_id):
    """Record the arrival (BOOKING or RESCHEDULE, only on the appointment's date)."""
    operations.arrive(current_actor(), object_id)
    return jsonify({"arrived": True})


@action("user_schedules/<object_id>/done", ["PUT"],
        "The visit is done, with its Digisoft invoice number (office or the doctor)",
        {"digisoft_invoice_numbers": "string (required, max 50)"})
def done_appointment(object_id):
    """Finish an ARRIVED appointment."""
    operations.finish(current_actor(), object_id, json_body(required=True))
    return jsonify({"done": True})


@action("user_schedules/timeline", ["POST"],
        "FullCalendar events of the appointments you may see between two dates",
        {"date_from": "DD/MM/YYYY", "date_to": "DD/MM/YYYY", "id_doctors": "integer (optional)"})
def appointment_timeline():
    """Events between date_from and date_to (both included); the end of each is its start
    plus the service's duration. At most 7 days of every doctor's appointments, or 42 days
    with `id_doctors` (or of what a doctor or customer sees of their own); longer is a 422
    naming the limit."""
    actor = signed_in_actor()
    body = json_body(required=True)
    date_from, date_to = _required_date(body, "date_from"), _required_date(body, "date_to")
    with collector_paused():  # thousands of events: see collector_paused
        events = queries.timeline(date_from, date_to, actor, _optional_id(body, "id_doctors"))
        answer = jsonify({"date_from": day_text(date_from), "date_to": day_text(date_to),
                          "events": events})
        del events
    return answer


@action("user_schedules/check/doctor/availability", ["POST"],
        "Free slots of the booking window (public)",
        {"id_services": "integer (optional)", "id_doctors": "integer (optional)"}, public=True,
        answers="array")
def doctor_availability():
    """Per date of the next booking window (holidays left out), the free slots of the
    doctor/service: past, too-soon and booked slots left out. A JSON list, as documented."""
    body = json_body()
    doctor_id, service_id = _optional_id(body, "id_doctors"), _optional_id(body, "id_services")
    queries.check_doctor_and_service(doctor_id, service_id)
    with collector_paused():  # every doctor's free slots: thousands of them
        return jsonify(queries.availability(doctor_id, service_id))
