"""Admin screens of appointments: the Kalender (FullCalendar fed by booking.timeline), the
booking form offering only free slots, and an appointment's panel with its actions (arrived,
done, reschedule, cancel). Every change goes through services/appointments/, the
same operations the API calls; after each one the answer carries an HX-Trigger that shows a
toast and makes the calendar fetch its events again."""
from datetime import date

from flask import Blueprint, current_app, flash, jsonify, request

from app.auth import current_actor, requires
from app.extensions import htmx
from models import STAFF_ROLES, Appointment, Patient, clinic_now, db
from services.appointments import operations as booking
from services.engine import core, get_resource
from services.engine.fields import FlexDate, ValidationError
from services.errors import DomainError, Forbidden, Invalid
from services.appointments import declarations as ops

from .render import render, toast

bp = Blueprint("calendar", __name__, url_prefix="/admin/calendar")
REFRESH = "calendar:refresh"


@bp.before_request
@requires(*STAFF_ROLES)
def staff_only():
    """Staff only; each operation checks what this staff member may do."""


@bp.app_template_global("appointment_status_badge")
def status_badge_global(status):
    """A coloured status badge."""
    return ops.status_badge(status)


@bp.app_template_global("appointment_status_label")
def status_label_global(status):
    """The status in Bahasa Indonesia."""
    return ops.status_label(status)


@bp.app_template_global("appointment_panel")
def appointment_panel_global(appointment, place="page"):
    """The context of an appointment's panel (for the generic detail screen)."""
    return panel_context(appointment, place=place)


def _day(value) -> date | None:
    """A date from a form or query value (ISO, dd/mm/yyyy, or an ISO datetime); None if bad."""
    if not value:
        return None
    text = str(value).strip()[:25]
    try:
        return FlexDate().deserialize(text[:10] if len(text) > 10 and text[4] == "-" else text)
    except (ValidationError, IndexError):
        return None


def _number(value):
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= 2_147_483_647 else None


def _trigger(message, level="success"):
    return {**toast(message, level), REFRESH: True}


# ---- the calendar --------------------------------------------------------------------------
@bp.get("/")
def index():
    """Kalender: day, week and month views coloured by status, a doctor filter, the booking
    form for the office."""
    actor = current_actor()
    doctors = ops.doctor_choices() if not ops.is_doctor(actor) else []
    return render("calendar/index.html", doctors=doctors, can_book=ops.may_book(actor),
                  hours=ops.calendar_hours(),
                  statuses=ops.STATUS_LABELS, now=clinic_now(),
                  chosen_doctor=_number(request.args.get("id_doctors")))


@bp.get("/events")
def events():
    """The events between FullCalendar's `start` and `end` (end exclusive), of one doctor
    when `id_doctors` is given; cancelled ones only when `cancelled=1`."""
    start, end = _day(request.args.get("start")), _day(request.args.get("end"))
    if start is None or end is None:
        return jsonify({"error": "Parameter start dan end wajib berupa tanggal."}), 422
    if end > start:
        end = date.fromordinal(end.toordinal() - 1)  # FullCalendar's end is exclusive
    try:
        answer = ops.calendar_events(current_actor(), start, end,
                                     _number(request.args.get("id_doctors")))
    except DomainError as exc:
        return jsonify({"error": exc.message, "fields": exc.fields}), exc.status
    if request.args.get("cancelled") != "1":
        answer = [event for event in answer if event["extendedProps"]["status"] != "CANCEL"]
    return jsonify(answer)


# ---- booking -------------------------------------------------------------------------------
def booking_context(values, errors=None, message=None):
    """What the booking form shows for the chosen doctor, service and date: the doctor's
    services, the free slots of that date, the dates that still have one, the patient."""
    doctors = ops.doctor_choices()
    doctor_id = _number(values.get("id_doctors"))
    if doctor_id is None and len(doctors) == 1:
        doctor_id = doctors[0][0]
    offers = ops.doctor_offers(doctor_id)
    service_id = _number(values.get("id_services"))
    if offers and service_id not in {offer.id_services for offer in offers}:
        service_id = offers[0].id_services
    day = _day(values.get("tanggal")) or clinic_now().date()
    free, free_dates = ops.free_slots_on(doctor_id, service_id, day)
    chosen_slot = _number(values.get("id_doctor_schedules"))
    if chosen_slot is None and values.get("jam"):
        chosen_slot = next((slot["id"] for slot in free
                            if slot["jam_mulai"] == str(values.get("jam"))[:5]), None)
    patient_id = _number(values.get("id_patients"))
    patient = db.session.get(Patient, patient_id) if patient_id else None
    if patient is not None and patient.deleted_at is not None:
        patient = None
    return {"doctors": doctors, "doctor_id": doctor_id, "offers": offers,
            "service_id": service_id, "day": day, "free": free, "free_dates": free_dates,
            "chosen_slot": chosen_slot, "patient": patient, "query": values.get("q", ""),
            "custom_price": values.get("custom_price", ""), "errors": errors or {},
            "message": message, "can_set_price": ops.is_office(current_actor()),
            "window_days": current_app.config["BOOKING_WINDOW_DAYS"]}


@bp.get("/book")
def book_form():
    """The booking form (prefilled from the calendar: date, time, doctor)."""
    if not ops.may_book(current_actor()):
        raise Forbidden("Dokter tidak membuat janji; minta front office untuk memesankan.")
    return render("calendar/book.html", "calendar/_book_form.html",
                  **booking_context(request.args))


@bp.post("/book")
def book():
    """Book through the booking rules; errors come back inline in the form."""
    actor = current_actor()
    form = request.form
    payload = {name: form.get(name) for name in ("id_doctors", "id_services",
                                                 "id_doctor_schedules", "id_patients")
               if form.get(name)}
    day = _day(form.get("tanggal"))
    payload["tanggal"] = day.isoformat() if day else form.get("tanggal")
    if form.get("custom_price", "").strip() and ops.is_office(actor):
        payload["custom_price"] = form.get("custom_price").strip()
    try:
        appointment = ops.book(actor, payload)
    except DomainError as exc:
        if exc.status in (401, 404):
            raise
        return render("calendar/book.html", "calendar/_book_form.html", status=422,
                      **booking_context(form, exc.fields, exc.message))
    name = appointment.patient.nama_lengkap_pasien
    return _panel(appointment, form.get("place", "modal"),
                  trigger=_trigger(f"Janji {name} {appointment.tanggal:%d/%m/%Y} "
                                   f"{appointment.jam:%H:%M} dibuat."))


@bp.get("/patients")
def patients():
    """Patients whose name, phone or record number contains `q` (the booking form's picker)."""
    query = request.args.get("q", "")
    return render("calendar/_patient_options.html", "calendar/_patient_options.html",
                  patients=ops.find_patients(query), query=query.strip(),
                  chosen=_number(request.args.get("id_patients")))


# ---- one appointment -----------------------------------------------------------------------
def _load(object_id, action="read"):
    return ops.load_appointment(current_actor(), object_id, action)


def panel_context(appointment, place="modal", errors=None, message=None, values=None,
                  open_section=None, reschedule_day=None):
    """What an appointment's panel shows and which actions this staff member has."""
    actor = current_actor()
    office, doctor = ops.is_office(actor), ops.is_doctor(actor)
    resource = get_resource("user_schedules")
    reschedulable = office and ops.can_reschedule(appointment)
    day = reschedule_day or appointment.tanggal
    free, free_dates = ([], [])
    if reschedulable:
        free, free_dates = ops.free_slots_on(appointment.id_doctors, appointment.id_services, day)
        free = [slot for slot in free if not (slot["id"] == appointment.id_doctor_schedules
                                              and day == appointment.tanggal)]
    live = appointment.status in booking.AppointmentFlow.RESCHEDULABLE
    return {
        "appointment": appointment, "place": place, "data": resource.serialize(
            appointment, actor, "list"),
        "ends": resource.out_ends(appointment),
        "may_arrive": (office or doctor) and live,
        "arrive_today": ops.can_arrive(appointment),
        "may_done": (office or doctor) and appointment.status == "ARRIVED",
        "may_reschedule": reschedulable, "may_cancel": office and appointment.status in
        booking.AppointmentFlow.CANCELLABLE,
        "may_delete": core.allowed(resource, actor, "delete") and appointment.status == "CANCEL",
        "reschedule_day": day, "free": free, "free_dates": free_dates,
        "errors": errors or {}, "message": message, "values": values or {},
        "open_section": open_section, "limit": current_app.config["RESCHEDULE_LIMIT"],
    }


def _panel(appointment, place="modal", status=200, trigger=None, **context):
    place = "page" if place == "page" else "modal"
    if trigger and not htmx:
        flash(trigger["toast"]["message"], trigger["toast"]["level"])
    return render("calendar/appointment.html", "calendar/_appointment.html", status=status,
                  trigger=trigger if htmx else None, **panel_context(appointment, place, **context))


@bp.get("/appointments/<int:object_id>")
def appointment(object_id):
    """An appointment with the actions this staff member may take."""
    found = _load(object_id)
    return _panel(found, request.args.get("place", "modal"))


@bp.get("/appointments/<int:object_id>/slots")
def reschedule_slots(object_id):
    """The free slots of the appointment's doctor and service on another date."""
    found = _load(object_id, "reschedule")
    day = _day(request.args.get("tanggal")) or found.tanggal
    context = panel_context(found, request.args.get("place", "modal"), reschedule_day=day)
    return render("calendar/_slot_options.html", "calendar/_slot_options.html",
                  free=context["free"], free_dates=context["free_dates"], chosen_slot=None,
                  day=day, date_input=f"#reschedule-date-{found.id}",
                  field_error=None, empty_hint=True)


def _act(object_id, action, run, done_message, section):
    """Run one action on an appointment; the panel again, with a toast or the error inline."""
    place = request.form.get("place", "modal")
    found = _load(object_id, action)
    try:
        changed = run(found)
    except DomainError as exc:
        if exc.status in (401, 404):
            raise
        db.session.rollback()
        found = db.session.get(Appointment, found.id)
        return _panel(found, place, status=422, errors=exc.fields, message=exc.message,
                      values=request.form, open_section=section,
                      reschedule_day=_day(request.form.get("tanggal")))
    return _panel(changed, place, trigger=_trigger(done_message(changed)))


def _who(found):
    return found.patient.nama_lengkap_pasien if found.patient else f"#{found.id_patients}"


@bp.post("/appointments/<int:object_id>/arrived")
def arrived(object_id):
    """Mark the patient arrived (on the day)."""
    return _act(object_id, "arrived", lambda found: ops.arrive(current_actor(), found.id),
                lambda found: f"{_who(found)} ditandai datang.", "arrived")


@bp.post("/appointments/<int:object_id>/done")
def done(object_id):
    """Finish the visit with its invoice number."""
    payload = {"digisoft_invoice_numbers": request.form.get("digisoft_invoice_numbers", "")}
    return _act(object_id, "done", lambda found: ops.finish(current_actor(), found.id, payload),
                lambda found: f"Kunjungan {_who(found)} selesai "
                              f"(invoice {found.digisoft_invoice_numbers}).", "done")


@bp.post("/appointments/<int:object_id>/cancel")
def cancel(object_id):
    """Cancel with a reason; the slot is free again."""
    payload = {"cancel_reason": request.form.get("cancel_reason", "")}
    return _act(object_id, "cancel", lambda found: ops.cancel(current_actor(), found.id, payload),
                lambda found: f"Janji {_who(found)} dibatalkan.", "cancel")


@bp.post("/appointments/<int:object_id>/reschedule")
def reschedule(object_id):
    """Move to another free slot of the same doctor and service."""
    def run(found):
        day = _day(request.form.get("tanggal"))
        payload = {"id_doctor_schedules": request.form.get("id_doctor_schedules"),
                   "tanggal": day.isoformat() if day else request.form.get("tanggal")}
        if not payload["id_doctor_schedules"]:
            raise Invalid("Pilih slot yang masih kosong.",
                          fields={"id_doctor_schedules": "Pilih slot yang masih kosong."})
        return ops.reschedule(current_actor(), found.id, payload)
    return _act(object_id, "reschedule", run,
                lambda found: f"Janji {_who(found)} dipindah ke {found.tanggal:%d/%m/%Y} "
                              f"{found.jam:%H:%M}.", "reschedule")
