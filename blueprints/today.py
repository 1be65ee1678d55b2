"""Admin "Hari ini": the clinic's day at a glance for the front desk and the doctors.

- today's appointments by doctor (time, patient linked to the chart, service, status) with
  the arrive and done actions — the same operations the Kalender calls
  (services/appointments/operations.py); a row answers itself again in place, a refusal
  answers 4xx with its message (the invoice number inline, anything else as a toast);
- a doctor (not office staff) sees only their own day ("Hari saya") and their open
  consultation threads (services/threads/inbox.py);
- the office (OWNER, ADMIN, USERS) sees every doctor (with a doctor filter), the paid product
  orders still to prepare and hand over (services/orders/queries.py, on the reports' own
  scope) and the products low on stock per store (services/stores/queries.py).

The appointment part refreshes itself every 60 seconds (HTMX polling, see static/js/today.js,
which holds the refresh while an invoice number is being typed)."""
from flask import Blueprint, current_app, request

from app.auth import current_actor, requires
from app.extensions import htmx
from models import clinic_now
from services.access import STAFF, doctor_of, is_doctor_only, is_office
from services.appointments import operations, queries
from services.appointments.operations import AppointmentFlow, may_attend
from services.appointments.statuses import STATUS_LABELS
from services.doctors.queries import doctor_choices
from services.errors import DomainError
from services.orders.board import age_text
from services.orders.flow import status_label as order_status_label
from services.orders.queries import orders_to_prepare
from services.stores.queries import low_stock
from services.threads import inbox

from .render import inline_refusal, render, toast, toast_refusal
from .views.appointments import status_badge

bp = Blueprint("today", __name__, url_prefix="/admin/hari-ini")
CHANGED = "today:changed"  # HX-Trigger after an action: the day's counts refresh themselves


@bp.before_request
@requires(*STAFF)
def staff_only():
    """Clinic staff only (customers: 403); each action checks what this staff member may do."""


def _number(value):
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= 2_147_483_647 else None


def row_context(appointment, actor, errors=None, values=None) -> dict:
    """One appointment as its row draws it, with the actions this staff member has now."""
    flow = AppointmentFlow(appointment, actor)
    attends = may_attend(actor)
    return {"appointment": appointment, "status_badge": status_badge(appointment.status),
            "may_arrive": attends and flow.can_arrive_today(),
            "may_done": attends and appointment.status in AppointmentFlow.FINISHABLE,
            "errors": errors or {}, "values": values or {}}


def _groups(appointments, actor) -> list[dict]:
    """The appointments by doctor (in the query's order), each with its counts by status."""
    groups: dict[int, dict] = {}
    for appointment in appointments:
        group = groups.setdefault(appointment.id_doctors, {
            "doctor": appointment.doctor, "rows": [],
            "counts": dict.fromkeys(STATUS_LABELS, 0)})
        group["rows"].append(row_context(appointment, actor))
        group["counts"][appointment.status] = group["counts"].get(appointment.status, 0) + 1
    return list(groups.values())


def _day_context(actor) -> dict:
    """The appointment part: the day, the chosen doctor (office), the groups."""
    today = clinic_now().date()
    office = is_office(actor)
    doctors = doctor_choices() if office else []
    chosen = _number(request.args.get("dokter")) if office else None
    if chosen not in {value for value, _ in doctors}:
        chosen = None
    appointments = queries.day_appointments(actor, today, chosen)
    return {"today": today, "doctors": doctors, "chosen_doctor": chosen,
            "groups": _groups(appointments, actor), "own_day": is_doctor_only(actor),
            "has_doctor": doctor_of(actor) is not None if is_doctor_only(actor) else True}


@bp.get("/")
def index():
    """Hari ini: the day's appointments (the part alone for HTMX: the doctor filter and the
    60-second refresh), with the office's orders and stock, or the doctor's threads."""
    actor = current_actor()
    context = _day_context(actor)
    if htmx:
        return render("today/_appointments.html", "today/_appointments.html", **context)
    if is_office(actor):
        context.update(handle=orders_to_prepare(), order_status_label=order_status_label,
                       age_text=age_text, now=clinic_now(),
                       stock=low_stock(current_app.config["LOW_STOCK_THRESHOLD"]),
                       threshold=current_app.config["LOW_STOCK_THRESHOLD"])
    if is_doctor_only(actor):
        context.update(threads=inbox.inbox(actor, inbox.InboxFilters(tab="waiting")),
                       thread_counts=inbox.tab_counts(actor, inbox.InboxFilters()),
                       preview=inbox.preview)
    return render("today/index.html", **context)


def _row(appointment, actor, status=200, trigger=None, **context):
    return render("today/_row.html", "today/_row.html", status=status, trigger=trigger,
                  row=row_context(appointment, actor, **context))


def _who(appointment) -> str:
    return appointment.patient.nama_lengkap_pasien if appointment.patient \
        else f"#{appointment.id_patients}"


@bp.post("/appointments/<int:object_id>/arrived")
def arrived(object_id):
    """Mark the patient arrived (operations.arrive, as the Kalender does); the row again."""
    actor = current_actor()
    try:
        changed = operations.arrive(actor, object_id)
    except DomainError as exc:
        return toast_refusal(exc)
    return _row(changed, actor, trigger={**toast(f"{_who(changed)} ditandai datang."),
                                         CHANGED: True})


@bp.post("/appointments/<int:object_id>/done")
def done(object_id):
    """Finish the visit with its invoice number (operations.finish, as the Kalender does);
    the row again, or the row with the invoice number's problem inline (422)."""
    actor = current_actor()
    payload = {"digisoft_invoice_numbers": request.form.get("digisoft_invoice_numbers", "")}
    try:
        changed = operations.finish(actor, object_id, payload)
    except DomainError as exc:
        if exc.status != 422 or not htmx:
            return toast_refusal(exc)
        refusal = inline_refusal(exc)
        found = operations.load_appointment(actor, object_id, "done")
        return _row(found, actor, status=422, errors=refusal.fields, values=request.form)
    return _row(changed, actor, trigger={
        **toast(f"Kunjungan {_who(changed)} selesai (invoice "
                f"{changed.digisoft_invoice_numbers})."), CHANGED: True})
