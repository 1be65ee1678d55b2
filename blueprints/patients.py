"""Admin screens of patients beyond the generic ones: the patient chart's live parts —
allergies added and removed inline, medical records written, edited, verified and removed
inline (HTMX), each with its earlier versions. The chart page itself is the generic detail
screen rendering app/templates/patients/detail.html with the data PatientsView.detail_context
reads (in a fixed number of queries, the records read written to the audit log).

A refused change answers as every screen does (blueprints/render.py): for HTMX a red toast
with the refusal's status and nothing swapped, otherwise a flash back on the chart."""
from flask import Blueprint, flash, request, url_for

from app.auth import current_actor, requires
from app.extensions import htmx
from services.access import STAFF
from services.engine import core, get_resource, writing
from services.errors import DomainError
from services.patients import queries as patient_queries
from services.patients import records as patient_records

from .render import go, inline_refusal, render, toast, toast_refusal
from .views.patients import duplicate_notice, duplicates_of

bp = Blueprint("patients", __name__, url_prefix="/admin/patients")


@bp.before_request
@requires(*STAFF)
def staff_only():
    """Signed-in staff only; each action checks the patient's reach and the actor's rights."""


def _patient(patient_id):
    """The patient in the actor's reach, or 404."""
    return core.load(get_resource("patients"), current_actor(), patient_id)


def _chart_url(patient_id) -> str:
    """The address of a patient's chart."""
    return url_for("crud.detail", name="patients", object_id=patient_id)


def _chart_of_record(actor, record_id) -> str:
    """The address of the chart a record is on (404 when the record is out of reach)."""
    return _chart_url(patient_queries.readable_record(actor, record_id).id_patients)


def _refused_on_chart(error: DomainError, back_to: str):
    """A refused change on the chart: a toast with the refusal's status, or a flash on the
    chart without HTMX."""
    return toast_refusal(error, back_to)


def _back_to_chart(patient_id, message: str):
    """Without HTMX, a done change goes back to the chart with a message."""
    flash(message, "success")
    return go("crud.detail", name="patients", object_id=patient_id)


# ---- probable duplicates ----------------------------------------------------------------------
@bp.get("/duplicates")
def duplicates():
    """The patient form's live check: patients probably the same as the one being typed (same
    name and birth date, or same mobile number) — for the office only, nobody else sees other
    patients' names; `exclude` is the patient being edited."""
    found = duplicates_of(current_actor(), request.args, request.args.get("exclude"))
    return render("patients/_duplicates.html", "patients/_duplicates.html",
                  notice=duplicate_notice(found))


# ---- allergies --------------------------------------------------------------------------------
def _allergies(patient, message=None, errors=None, value="", status=200):
    """The allergy part of the chart (alert and add form)."""
    actor = current_actor()
    trigger = toast(message) if message and not errors else None
    return render("patients/_allergies.html", "patients/_allergies.html", status=status,
                  trigger=trigger, patient=patient, allergies=list(patient.allergies),
                  may=patient_queries.chart_permissions(actor, patient), errors=errors or {},
                  value=value)


@bp.post("/<int:patient_id>/allergies")
def add_allergy(patient_id):
    """Add an allergy from the chart; errors come back inline."""
    patient = _patient(patient_id)
    name = request.form.get("allergies", "")
    try:
        writing.create(get_resource("patient_allergies"), current_actor(),
                       {"id_patients": patient.id, "allergies": name})
    except DomainError as exc:
        if exc.status != 422 or not htmx:
            return _refused_on_chart(exc, _chart_url(patient.id))
        return _allergies(_patient(patient_id), errors=inline_refusal(exc).fields, value=name,
                          status=422)
    if not htmx:
        return _back_to_chart(patient.id, "Alergi ditambahkan.")
    return _allergies(_patient(patient_id), "Alergi ditambahkan.")


@bp.post("/allergies/<int:allergy_id>/delete")
def remove_allergy(allergy_id):
    """Remove an allergy from the chart."""
    actor = current_actor()
    allergy = core.load(get_resource("patient_allergies"), actor, allergy_id)
    patient_id = allergy.id_patients
    try:
        writing.delete(get_resource("patient_allergies"), actor, allergy_id)
    except DomainError as exc:
        return _refused_on_chart(exc, _chart_url(patient_id))
    if not htmx:
        return _back_to_chart(patient_id, "Alergi dihapus.")
    return _allergies(_patient(patient_id), "Alergi dihapus.")


# ---- medical records ----------------------------------------------------------------------------
RECORD_FORM_FIELDS = (*patient_records.RECORD_FIELDS, "id_user_schedules")


def _record_payload():
    """The record form as the payload the API takes (no appointment chosen: none)."""
    return {name: request.form.get(name, "") for name in RECORD_FORM_FIELDS}


def _records(patient, message=None, errors=None, values=None, status=200):
    """The records part of the chart (new-record form and timeline)."""
    actor = current_actor()
    records, names = patient_queries.chart_records(actor, patient.id, "kartu pasien")
    trigger = toast(message) if message and not errors else None
    choices = patient_queries.record_form_choices(
        actor, patient_queries.patient_appointments(actor, patient.id))
    return render("patients/_records.html", "patients/_records.html", status=status,
                  trigger=trigger, patient=patient, records=records, names=names,
                  may=patient_queries.chart_permissions(actor, patient),
                  appointment_choices=choices["appointment_choices"],
                  new_errors=errors or {},
                  new_values=values or choices["new_record_defaults"], open_form=bool(errors))


def _record_card(record_id, message=None, how="kartu pasien"):
    """One record's card on the chart."""
    actor = current_actor()
    record, names = patient_queries.chart_record(actor, record_id, how)
    patient = _patient(record.id_patients)
    return render("patients/_record.html", "patients/_record.html",
                  trigger=toast(message) if message else None, record=record,
                  names=names, patient=patient,
                  may=patient_queries.chart_permissions(actor, patient))


@bp.post("/<int:patient_id>/records")
def add_record(patient_id):
    """Write a new medical record from the chart; errors come back inline."""
    patient = _patient(patient_id)
    payload = {"id_patients": patient.id, **_record_payload()}
    try:
        writing.create(get_resource("patient_rekam_medis"), current_actor(), payload)
    except DomainError as exc:
        if exc.status != 422 or not htmx:
            return _refused_on_chart(exc, _chart_url(patient.id))
        return _records(_patient(patient_id), errors=inline_refusal(exc).fields,
                        values=payload, status=422)
    if not htmx:
        return _back_to_chart(patient.id, "Rekam medis disimpan.")
    return _records(_patient(patient_id), "Rekam medis disimpan.")


@bp.get("/records/<int:record_id>")
def record(record_id):
    """One record's card (e.g. after cancelling an edit)."""
    if not htmx:
        record_row = patient_queries.readable_record(current_actor(), record_id)
        return go("crud.detail", name="patients", object_id=record_row.id_patients)
    return _record_card(record_id)


def _record_form(record, values, refusal=None):
    """The inline edit form of a record (the whole page without HTMX)."""
    appointments = patient_queries.patient_appointments(current_actor(), record.id_patients)
    return render("patients/record_form.html", "patients/_record_form.html",
                  status=422 if refusal else 200, record=record, values=values,
                  appointment_choices=patient_queries.appointment_choices(
                      appointments, keep=record.id_user_schedules),
                  errors=refusal.fields if refusal else {},
                  message=refusal.message if refusal else None)


@bp.route("/records/<int:record_id>/edit", methods=["GET", "POST"])
def edit_record(record_id):
    """Edit a record inline; locked (409) while verified; errors come back inline."""
    actor = current_actor()
    resource = get_resource("patient_rekam_medis")
    try:
        obj = core.load(resource, actor, record_id, "update")
    except DomainError as exc:
        return _refused_on_chart(exc, _chart_of_record(actor, record_id))
    if request.method == "GET":
        patient_queries.audit_record_reads(actor, [obj], "formulir ubah")
        return _record_form(obj, {name: getattr(obj, name) for name in RECORD_FORM_FIELDS})
    payload = _record_payload()
    try:
        writing.update(resource, actor, record_id, payload)
    except DomainError as exc:
        if exc.status != 422:
            return _refused_on_chart(exc, _chart_url(obj.id_patients))
        refusal = inline_refusal(exc)
        return _record_form(core.load(resource, actor, record_id, "update"), payload, refusal)
    if not htmx:
        return _back_to_chart(obj.id_patients, "Rekam medis disimpan.")
    return _record_card(record_id, "Rekam medis disimpan.")


def _verification(record_id, change, message):
    """Verify or unverify a record from the chart; its card comes back."""
    actor = current_actor()
    try:
        record_row = change(actor, record_id, request.form.get("catatan_kaki") or None)
    except DomainError as exc:
        return _refused_on_chart(exc, _chart_of_record(actor, record_id))
    if not htmx:
        return _back_to_chart(record_row.id_patients, message)
    return _record_card(record_id, message)


@bp.post("/records/<int:record_id>/verify")
def verify_record(record_id):
    """A treating doctor verifies the record (it is locked)."""
    return _verification(record_id, patient_records.verify_record, "Rekam medis diverifikasi.")


@bp.post("/records/<int:record_id>/unverify")
def unverify_record(record_id):
    """The verifying doctor takes the verification back (it can be edited again)."""
    return _verification(record_id, patient_records.unverify_record,
                         "Verifikasi rekam medis dibatalkan.")


@bp.route("/records/<int:record_id>/delete", methods=["POST", "DELETE"])
def delete_record(record_id):
    """Remove a record (not while verified); HTMX removes its card."""
    actor = current_actor()
    record_row = patient_queries.readable_record(actor, record_id)
    try:
        writing.delete(get_resource("patient_rekam_medis"), actor, record_id)
    except DomainError as exc:
        return _refused_on_chart(exc, _chart_url(record_row.id_patients))
    if not htmx:
        return _back_to_chart(record_row.id_patients, "Rekam medis dihapus.")
    return render("crud/_nothing.html", trigger=toast("Rekam medis dihapus."))
