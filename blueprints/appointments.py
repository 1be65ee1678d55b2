"""Admin screens of appointments: the Kalender (FullCalendar fed by the timeline), the
booking form offering only free slots, and an appointment's panel with its actions (arrived,
done, reschedule, cancel). Every change goes through services/appointments/operations.py, the
same operations the API calls; after each one the answer carries an HX-Trigger that shows a
toast and makes the calendar fetch its events again."""
import re
from datetime import date, datetime

from flask import Blueprint, current_app, flash, jsonify, request

from app.auth import current_actor, requires
from app.extensions import htmx
from models import Appointment, clinic_now, db
from services.access import STAFF, is_doctor_only, is_office
from services.appointments import operations, queries
from services.appointments.statuses import STATUS_LABELS, status_label
from services.doctors.queries import doctor_choices
from services.engine.fields import FlexDate, ValidationError
from services.errors import DomainError, Forbidden, Invalid

from .render import inline_refusal, render, toast
from .views.appointments import panel_context

bp = Blueprint("calendar", __name__, url_prefix="/admin/calendar")
REFRESH = "calendar:refresh"
CLOCK = re.compile(r"^\d{2}:\d{2}(:\d{2})?$")
NOT_FOR_DOCTORS = "Dokter tidak membuat janji; minta front office untuk memesankan."


@bp.before_request
@requires(*STAFF)
def staff_only():
    """Staff only; each operation checks what this staff member may do."""


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
    doctors = doctor_choices() if not is_doctor_only(actor) else []
    return render("calendar/index.html", doctors=doctors, can_book=operations.may_book(actor),
                  hours=queries.calendar_hours(), statuses=STATUS_LABELS, now=clinic_now(),
                  chosen_doctor=_number(request.args.get("id_doctors")))


def calendar_event(event: dict) -> dict:
    """A timeline event as the Kalender draws it: its status class, the status label, and a
    title naming the patient before the doctor."""
    props = event["extendedProps"]
    event["id"] = str(props["id"])
    event["classNames"] = ["status-event", f"status-{props['status'].lower()}"]
    props["doctor"] = event["title"]
    props["status_label"] = status_label(props["status"])
    event["title"] = f"{props['patients']} · {event['title']}"
    return event


def day_count_event(day: date, count: int) -> dict:
    """One day of the month view of every doctor: the number of its appointments; a click
    opens that day."""
    return {"id": f"day-{day.isoformat()}", "title": f"{count} janji", "start": day.isoformat(),
            "allDay": True, "classNames": ["day-count-event"],
            "extendedProps": {"day_count": count, "date": day.isoformat()}}


@bp.get("/events")
def events():
    """The events between FullCalendar's `start` and `end` (end exclusive), of one doctor
    when `id_doctors` is given; cancelled ones only when `cancelled=1`. A range longer than
    the timeline gives every doctor at once (the month view without a doctor chosen) answers
    the number of appointments per day instead (at most six weeks, like one doctor's)."""
    start, end = _day(request.args.get("start")), _day(request.args.get("end"))
    if start is None or end is None:
        return jsonify({"error": "Parameter start dan end wajib berupa tanggal."}), 422
    if end > start:
        end = date.fromordinal(end.toordinal() - 1)  # FullCalendar's end is exclusive
    actor, doctor_id = current_actor(), _number(request.args.get("id_doctors"))
    with_cancelled = request.args.get("cancelled") == "1"
    try:
        if start <= end and (end - start).days + 1 > queries.timeline_limit(actor, doctor_id):
            counts = queries.day_counts(start, end, actor, with_cancelled)
            return jsonify([day_count_event(day, count) for day, count in sorted(counts.items())])
        timeline = queries.timeline(start, end, actor, doctor_id)
    except DomainError as exc:
        refusal = inline_refusal(exc)
        return jsonify({"error": refusal.message, "fields": refusal.fields}), refusal.status
    return jsonify([calendar_event(event) for event in timeline
                    if with_cancelled or event["extendedProps"]["status"] != "CANCEL"])


# ---- booking -------------------------------------------------------------------------------
def _clock(value) -> str | None:
    """An HH:MM clock time from a form or query value (HH:MM or HH:MM:SS); None if bad."""
    text = str(value or "").strip()
    if not CLOCK.match(text):
        return None
    try:
        return datetime.strptime(text[:5], "%H:%M").strftime("%H:%M")
    except ValueError:
        return None


def _place(values) -> str:
    """Where the booking form or a panel stands: the calendar's modal (HTMX) or its own page."""
    asked = values.get("place")
    if asked in ("modal", "calendar", "page"):
        return asked
    return "modal" if htmx else "calendar"


def schedule_context(values, errors=None) -> dict:
    """The schedule part of the booking form: the chosen doctor's services, the free slots of
    the date and the slot preselected — the one asked for while it is free, else the free
    slot at or nearest the time clicked in the calendar (`jam`). A click without a service
    (or with one the doctor does not offer) takes the nearest free slot of any service of
    that doctor, or of any doctor when none is chosen."""
    errors = dict(errors or {})
    doctors = doctor_choices()
    asked_doctor = str(values.get("id_doctors") or "").strip()
    doctor_id = _number(asked_doctor)
    if asked_doctor and doctor_id not in {value for value, _ in doctors}:
        doctor_id = None
        errors.setdefault("id_doctors", "Dokter tidak ditemukan.")
    elif not asked_doctor and len(doctors) == 1:
        doctor_id = doctors[0][0]
    at = _clock(values.get("jam"))
    day = _day(values.get("tanggal")) or clinic_now().date()
    offers = queries.doctor_offers(doctor_id)
    service_id = _number(values.get("id_services"))
    if service_id not in {offer.id_services for offer in offers} and at \
            and "id_doctors" not in errors:
        nearest = queries.nearest_free_slot(doctor_id, day, at)
        if nearest:
            service_id = nearest["id_services"]
            if nearest["id_doctors"] != doctor_id:
                doctor_id = nearest["id_doctors"]
                offers = queries.doctor_offers(doctor_id)
    if offers and service_id not in {offer.id_services for offer in offers}:
        service_id = offers[0].id_services
    free, free_dates = queries.free_slots_on(doctor_id, service_id, day)
    chosen_slot = _number(values.get("id_doctor_schedules"))
    if chosen_slot not in {slot["id"] for slot in free}:
        nearest = queries.nearest_slot(free, at)
        chosen_slot = nearest["id"] if nearest else None
    return {"doctors": doctors, "doctor_id": doctor_id, "offers": offers,
            "service_id": service_id, "day": day, "at": at, "free": free,
            "free_dates": free_dates, "chosen_slot": chosen_slot, "errors": errors}


def patient_context(values, errors=None, patient_message=None, patient=None,
                    added=None) -> dict:
    """The patient part of the booking form: the picker (the chosen patient) and the walk-in
    patient's fields (kept while they have errors, emptied once the patient is added)."""
    chosen = patient or queries.live_patient(_number(values.get("id_patients")))
    walk_in = {} if added else {name: values.get(name, "")
                                for name in operations.WALK_IN_FIELDS}
    return {"patient": chosen, "query": "" if added else values.get("q", ""),
            "errors": errors or {}, "patient_message": patient_message, "added": added,
            "walk_in": walk_in, "walk_in_open": not added and (
                bool(patient_message) or any(name in (errors or {})
                                             for name in operations.WALK_IN_FIELDS)),
            "can_add_patient": is_office(current_actor())}


def booking_context(values, errors=None, message=None, **patient):
    """What the booking form shows for the chosen doctor, service, date and patient
    (`patient`: patient_context's patient, added and message for a walk-in just added)."""
    errors = errors or {}
    return {**patient_context(values, errors, **patient), **schedule_context(values, errors),
            "custom_price": values.get("custom_price", ""), "message": message,
            "place": _place(values), "can_set_price": is_office(current_actor()),
            "window_days": current_app.config["BOOKING_WINDOW_DAYS"]}


def _may_book():
    if not operations.may_book(current_actor()):
        raise Forbidden(NOT_FOR_DOCTORS)


@bp.get("/book")
def book_form():
    """The booking form (prefilled from the calendar: date, time, doctor); in the calendar's
    modal for HTMX, a page of its own otherwise."""
    _may_book()
    return render("calendar/book.html", "calendar/_book_form.html",
                  **booking_context(request.args))


@bp.get("/book/schedule")
def book_schedule():
    """The booking form's schedule part again after the doctor, service or date changed: the
    services that doctor offers and their free slots (an unknown doctor: 422, none listed)."""
    _may_book()
    context = schedule_context(request.args)
    return render("calendar/_book_schedule.html", "calendar/_book_schedule.html",
                  status=422 if "id_doctors" in context["errors"] else 200, **context)


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
    if form.get("custom_price", "").strip() and is_office(actor):
        payload["custom_price"] = form.get("custom_price").strip()
    try:
        appointment = operations.book(actor, payload)
    except DomainError as exc:
        refusal = inline_refusal(exc)
        return render("calendar/book.html", "calendar/_book_form.html", status=422,
                      **booking_context(form, refusal.fields, refusal.message))
    name = appointment.patient.nama_lengkap_pasien
    return _panel(appointment, _place(form),
                  trigger=_trigger(f"Janji {name} {appointment.tanggal:%d/%m/%Y} "
                                   f"{appointment.jam:%H:%M} dibuat."))


@bp.get("/patients")
def patients():
    """Patients whose name, phone or record number contains `q` (the booking form's picker)."""
    query = request.args.get("q", "")
    return render("calendar/_patient_options.html", "calendar/_patient_options.html",
                  patients=queries.find_patients(query), query=query.strip(),
                  chosen=_number(request.args.get("id_patients")))


@bp.post("/patients")
def add_patient():
    """A walk-in patient added from the booking form (office staff, the patients resource's
    rules): the form's patient part again with the patient chosen, or the errors inline."""
    _may_book()
    form = request.form
    try:
        patient = operations.add_walk_in_patient(current_actor(), form)
    except DomainError as exc:
        refusal = inline_refusal(exc)
        return render("calendar/book.html", "calendar/_book_patient.html", status=422,
                      **booking_context(form, refusal.fields,
                                        patient_message=refusal.message))
    added = (f"Pasien baru {patient.nama_lengkap_pasien} tersimpan dan dipilih. Janji belum "
             "dibuat sampai Anda menekan Simpan janji.")
    return render("calendar/book.html", "calendar/_book_patient.html",
                  trigger=toast(f"Pasien baru {patient.nama_lengkap_pasien} tersimpan."),
                  **booking_context(form, patient=patient, added=added))


# ---- one appointment -----------------------------------------------------------------------
def _load(object_id, action="read"):
    return operations.load_appointment(current_actor(), object_id, action)


def _panel(appointment, place="modal", status=200, trigger=None, **context):
    if trigger and not htmx:
        flash(trigger["toast"]["message"], trigger["toast"]["level"])
    return render("calendar/appointment.html", "calendar/_appointment.html", status=status,
                  trigger=trigger if htmx else None,
                  panel=panel_context(appointment, current_actor(), place, **context))


@bp.get("/appointments/<int:object_id>")
def appointment(object_id):
    """An appointment with the actions this staff member may take."""
    found = _load(object_id)
    return _panel(found, _place(request.args))


@bp.get("/appointments/<int:object_id>/slots")
def reschedule_slots(object_id):
    """The free slots of the appointment's doctor and service on another date."""
    found = _load(object_id, "reschedule")
    day = _day(request.args.get("tanggal")) or found.tanggal
    panel = panel_context(found, current_actor(), _place(request.args),
                          reschedule_day=day)
    return render("calendar/_slot_options.html", "calendar/_slot_options.html",
                  free=panel["free"], free_dates=panel["free_dates"], chosen_slot=None,
                  day=day, date_input=f"#reschedule-date-{found.id}",
                  field_error=None, empty_hint=True)


def _act(object_id, action, run, done_message, section):
    """Run one action on an appointment; the panel again, with a toast or the error inline."""
    place = _place(request.form)
    found = _load(object_id, action)
    try:
        changed = run(found)
    except DomainError as exc:
        refusal = inline_refusal(exc)
        return _panel(db.session.get(Appointment, found.id), place, status=422,
                      errors=refusal.fields, message=refusal.message, values=request.form,
                      open_section=section, reschedule_day=_day(request.form.get("tanggal")))
    return _panel(changed, place, trigger=_trigger(done_message(changed)))


def _who(found):
    return found.patient.nama_lengkap_pasien if found.patient else f"#{found.id_patients}"


@bp.post("/appointments/<int:object_id>/arrived")
def arrived(object_id):
    """Mark the patient arrived (on the day)."""
    return _act(object_id, "arrived", lambda found: operations.arrive(current_actor(), found.id),
                lambda found: f"{_who(found)} ditandai datang.", "arrived")


@bp.post("/appointments/<int:object_id>/done")
def done(object_id):
    """Finish the visit with its invoice number."""
    payload = {"digisoft_invoice_numbers": request.form.get("digisoft_invoice_numbers", "")}
    return _act(object_id, "done",
                lambda found: operations.finish(current_actor(), found.id, payload),
                lambda found: f"Kunjungan {_who(found)} selesai "
                              f"(invoice {found.digisoft_invoice_numbers}).", "done")


@bp.post("/appointments/<int:object_id>/cancel")
def cancel(object_id):
    """Cancel with a reason; the slot is free again."""
    payload = {"cancel_reason": request.form.get("cancel_reason", "")}
    return _act(object_id, "cancel",
                lambda found: operations.cancel(current_actor(), found.id, payload),
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
        return operations.reschedule(current_actor(), found.id, payload)
    return _act(object_id, "reschedule", run,
                lambda found: f"Janji {_who(found)} dipindah ke {found.tanggal:%d/%m/%Y} "
                              f"{found.jam:%H:%M}.", "reschedule")
