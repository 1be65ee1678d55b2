"""Admin screens of patients beyond the generic ones: the patient chart's live parts —
allergies added and removed inline, medical records written, edited, verified and removed
inline (HTMX), each with its earlier versions. The chart page itself is the generic detail
screen rendering app/templates/patients/detail.html, which asks `patient_chart(obj)` for
its data (read in a fixed number of queries and written to the audit log)."""
from flask import Blueprint, flash, request

from app.auth import current_actor, requires
from app.extensions import htmx
from models import STAFF_ROLES
from services.patients import operations as patient_ops
from services.engine import core, get_resource
from services.errors import DomainError

from .render import go, render, toast

bp = Blueprint("patients", __name__, url_prefix="/admin/patients")

RECORD_FIELDS = ("tanggal_konsul", "keluhan", "diagnosa", "catatan_kaki")
APPOINTMENT_COLOURS = {"BOOKING": "primary", "RESCHEDULE": "warning", "ARRIVED": "info",
                       "DONE": "success", "CANCEL": "secondary"}
APPOINTMENT_LABELS = {"BOOKING": "Dipesan", "RESCHEDULE": "Dijadwal ulang",
                      "ARRIVED": "Datang", "DONE": "Selesai", "CANCEL": "Batal"}


@bp.before_request
@requires(*STAFF_ROLES)
def staff_only():
    """Signed-in staff only; each action checks the patient's reach and the actor's rights."""


@bp.app_template_global("patient_chart")
def patient_chart_global(patient):
    """The chart data of a patient for the signed-in user (the record read is audited)."""
    return patient_ops.patient_chart(current_actor(), patient)


@bp.app_template_global("patient_age")
def patient_age_global(birthday):
    """Age in years, or None."""
    return patient_ops.age_of(birthday)


@bp.app_template_global("appointment_badge")
def appointment_badge_global(status):
    """(colour, label) of an appointment status."""
    return APPOINTMENT_COLOURS.get(status, "light"), APPOINTMENT_LABELS.get(status, status)


def _patient(patient_id):
    """The patient in the actor's reach, or 404."""
    return core.load(get_resource("patients"), current_actor(), patient_id)


def _refused(exc: DomainError, fallback_patient_id=None):
    """A refused change: for HTMX a toast and nothing swapped; otherwise a flash (or the
    error page for 404 and 401)."""
    if exc.status in (401, 404) or not (htmx or fallback_patient_id):
        raise exc
    if htmx:
        response = render("crud/_nothing.html", status=exc.status,
                          trigger=toast(exc.message, "danger"))
        response.headers["HX-Reswap"] = "none"
        return response
    flash(exc.message, "danger")
    return go("crud.detail", name="patients", object_id=fallback_patient_id)


# ---- allergies --------------------------------------------------------------------------------
def _allergies(patient, message=None, errors=None, value="", status=200):
    actor = current_actor()
    chart_may = patient_ops.chart_permissions(actor, patient)
    trigger = toast(message) if message and not errors else None
    return render("patients/_allergies.html", "patients/_allergies.html", status=status,
                  trigger=trigger, patient=patient, allergies=list(patient.allergies),
                  may=chart_may, errors=errors or {}, value=value)


@bp.post("/<int:patient_id>/allergies")
def add_allergy(patient_id):
    """Add an allergy from the chart; errors come back inline."""
    patient = _patient(patient_id)
    name = request.form.get("allergies", "")
    try:
        core.create(get_resource("patient_allergies"), current_actor(),
                    {"id_patients": patient.id, "allergies": name})
    except DomainError as exc:
        if exc.status != 422:
            return _refused(exc, patient.id)
        if not htmx:
            flash(exc.fields.get("allergies") or exc.message, "danger")
            return go("crud.detail", name="patients", object_id=patient.id)
        return _allergies(_patient(patient_id), errors=exc.fields, value=name, status=422)
    if not htmx:
        flash("Alergi ditambahkan.", "success")
        return go("crud.detail", name="patients", object_id=patient.id)
    return _allergies(_patient(patient_id), "Alergi ditambahkan.")


@bp.post("/allergies/<int:allergy_id>/delete")
def remove_allergy(allergy_id):
    """Remove an allergy from the chart."""
    actor = current_actor()
    allergy = core.load(get_resource("patient_allergies"), actor, allergy_id)
    patient_id = allergy.id_patients
    try:
        core.delete(get_resource("patient_allergies"), actor, allergy_id)
    except DomainError as exc:
        return _refused(exc, patient_id)
    if not htmx:
        flash("Alergi dihapus.", "success")
        return go("crud.detail", name="patients", object_id=patient_id)
    return _allergies(_patient(patient_id), "Alergi dihapus.")


# ---- medical records ----------------------------------------------------------------------------
def _record_payload():
    return {name: request.form.get(name, "") for name in RECORD_FIELDS}


def _records(patient, message=None, errors=None, values=None, status=200):
    """The records part of the chart (new-record form and timeline)."""
    actor = current_actor()
    records, names = patient_ops.chart_records(actor, patient.id, "kartu pasien")
    trigger = toast(message) if message and not errors else None
    return render("patients/_records.html", "patients/_records.html", status=status,
                  trigger=trigger, patient=patient, records=records, names=names,
                  may=patient_ops.chart_permissions(actor, patient), new_errors=errors or {},
                  new_values=values or {}, open_form=bool(errors))


def _record_card(record_id, message=None, level="success", how="kartu pasien"):
    """One record's card on the chart."""
    actor = current_actor()
    record, names = patient_ops.chart_record(actor, record_id, how)
    patient = _patient(record.id_patients)
    return render("patients/_record.html", "patients/_record.html",
                  trigger=toast(message, level) if message else None, record=record,
                  names=names, patient=patient,
                  may=patient_ops.chart_permissions(actor, patient))


@bp.post("/<int:patient_id>/records")
def add_record(patient_id):
    """Write a new medical record from the chart; errors come back inline."""
    patient = _patient(patient_id)
    payload = {"id_patients": patient.id, **_record_payload()}
    try:
        core.create(get_resource("patient_rekam_medis"), current_actor(), payload)
    except DomainError as exc:
        if exc.status != 422:
            return _refused(exc, patient.id)
        if not htmx:
            flash(exc.message + " " + "; ".join(f"{k}: {v}" for k, v in exc.fields.items()),
                  "danger")
            return go("crud.detail", name="patients", object_id=patient.id)
        return _records(_patient(patient_id), errors=exc.fields, values=payload, status=422)
    if not htmx:
        flash("Rekam medis disimpan.", "success")
        return go("crud.detail", name="patients", object_id=patient.id)
    return _records(_patient(patient_id), "Rekam medis disimpan.")


@bp.get("/records/<int:record_id>")
def record(record_id):
    """One record's card (e.g. after cancelling an edit)."""
    if not htmx:
        record_row = patient_ops.readable_record(current_actor(), record_id)
        return go("crud.detail", name="patients", object_id=record_row.id_patients)
    return _record_card(record_id)


@bp.route("/records/<int:record_id>/edit", methods=["GET", "POST"])
def edit_record(record_id):
    """Edit a record inline; locked (409) while verified; errors come back inline."""
    actor = current_actor()
    resource = get_resource("patient_rekam_medis")
    try:
        obj = core.load(resource, actor, record_id, "update")
    except DomainError as exc:
        fallback = None
        if exc.status in (403, 409):
            fallback = patient_ops.readable_record(actor, record_id).id_patients
        return _refused(exc, fallback)
    if request.method == "GET":
        patient_ops.audit_record_reads(actor, [obj], "formulir ubah")
        return render("patients/record_form.html", "patients/_record_form.html", record=obj,
                      values={name: getattr(obj, name) for name in RECORD_FIELDS}, errors={},
                      message=None)
    payload = _record_payload()
    try:
        core.update(resource, actor, record_id, payload)
    except DomainError as exc:
        if exc.status != 422:
            return _refused(exc, obj.id_patients)
        obj = core.load(resource, actor, record_id, "update")
        return render("patients/record_form.html", "patients/_record_form.html", status=422,
                      record=obj, values=payload, errors=exc.fields, message=exc.message)
    if not htmx:
        flash("Rekam medis disimpan.", "success")
        return go("crud.detail", name="patients", object_id=obj.id_patients)
    return _record_card(record_id, "Rekam medis disimpan.")


def _verification(record_id, change, message):
    actor = current_actor()
    try:
        record_row = change(actor, record_id, request.form.get("catatan_kaki") or None)
    except DomainError as exc:
        fallback = None
        if exc.status in (403, 409):
            fallback = patient_ops.readable_record(actor, record_id).id_patients
        return _refused(exc, fallback)
    if not htmx:
        flash(message, "success")
        return go("crud.detail", name="patients", object_id=record_row.id_patients)
    return _record_card(record_id, message)


@bp.post("/records/<int:record_id>/verify")
def verify_record(record_id):
    """A treating doctor verifies the record (it is locked)."""
    return _verification(record_id, patient_ops.verify_record, "Rekam medis diverifikasi.")


@bp.post("/records/<int:record_id>/unverify")
def unverify_record(record_id):
    """The verifying doctor takes the verification back (it can be edited again)."""
    return _verification(record_id, patient_ops.unverify_record,
                         "Verifikasi rekam medis dibatalkan.")


@bp.route("/records/<int:record_id>/delete", methods=["POST", "DELETE"])
def delete_record(record_id):
    """Remove a record (not while verified); HTMX removes its card."""
    actor = current_actor()
    record_row = patient_ops.readable_record(actor, record_id)
    try:
        core.delete(get_resource("patient_rekam_medis"), actor, record_id)
    except DomainError as exc:
        return _refused(exc, record_row.id_patients)
    if not htmx:
        flash("Rekam medis dihapus.", "success")
        return go("crud.detail", name="patients", object_id=record_row.id_patients)
    return render("crud/_nothing.html", trigger=toast("Rekam medis dihapus."))
