"""API actions of patients, allergies and medical records beyond CRUD: the address update,
record verification, and linking a patient to a customer account."""
from flask import jsonify

from services.engine import core, get_resource, writing
from services.errors import Invalid
from services.patients import operations as patient_ops
from services.patients import records as patient_records
from services.patients.declarations import ADDRESS_FIELDS

from .auth import signed_in_actor
from .body import json_body
from .resources import action, one


@action("patients/<object_id>/update/address", ["PUT"],
        "Change only the address fields sent (customer for their own patient, office staff)",
        {name: "string | number" for name in ADDRESS_FIELDS})
def update_patient_address(object_id):
    """Change the address fields that are sent (alamat_domisili, provinsi, kota, kecamatan,
    kode_provinsi, kode_kota, kode_kecamatan, lat, lng) and nothing else; answers the patient
    like update. A body without any of them is 422."""
    actor = signed_in_actor()
    resource = get_resource("patients")
    body = json_body(required=True)
    address = {name: body[name] for name in ADDRESS_FIELDS if name in body}
    if not address:
        core.load(resource, actor, object_id, "update")  # unknown or foreign: 404 first
        raise Invalid("Kirim minimal satu isian alamat.",
                      fields={name: "Isian alamat." for name in ADDRESS_FIELDS})
    return jsonify(one(resource, "update", writing.update(resource, actor, object_id, address),
                       actor))


@action("patient_rekam_medis/<object_id>/verify", ["PUT"],
        "A doctor treating the patient verifies (signs and locks) the record",
        {"catatan_kaki": "string (optional)"})
def verify_medical_record(object_id):
    """Set verified_iduser (the doctor's account) and verified_at; the record is locked until
    unverified. Only a DOCTOR treating the patient; already verified is 409."""
    actor = signed_in_actor()
    body = json_body()
    patient_records.verify_record(actor, object_id, body.get("catatan_kaki"))
    return jsonify({"verify": True})


@action("patient_rekam_medis/<object_id>/unverify", ["PUT"],
        "The doctor who verified the record takes the verification back",
        {"catatan_kaki": "string (optional)"})
def unverify_medical_record(object_id):
    """Clear verified_iduser and verified_at so the record can be edited again. Only the
    doctor who verified it; not verified is 409."""
    actor = signed_in_actor()
    body = json_body()
    patient_records.unverify_record(actor, object_id, body.get("catatan_kaki"))
    return jsonify({"unverify": True})


@action("users/patients/link", ["PUT"], "Link a patient to a customer account (office staff)",
        {"id_users": "integer", "id_patients": "integer"})
def link_patient():
    """Office staff (OWNER, ADMIN, USERS) link patient `id_patients` to the live customer
    account `id_users`; a patient linked to another account must be unlinked first (409)."""
    actor = signed_in_actor()
    body = json_body(required=True)
    patient_ops.link_patient(actor, body.get("id_patients"), body.get("id_users"))
    return jsonify({"link": True})


@action("users/patients/unlink", ["PUT"],
        "Remove a patient's link to its account (office staff, or that customer)",
        {"id_patients": "integer"})
def unlink_patient():
    """Office staff, or the customer the patient is linked to, remove the link; a patient
    out of reach is 404, one not linked 409."""
    actor = signed_in_actor()
    body = json_body(required=True)
    patient_ops.unlink_patient(actor, body.get("id_patients"))
    return jsonify({"unlink": True})
