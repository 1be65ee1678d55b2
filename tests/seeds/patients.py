"""Conformance seeds of patients, allergies and medical records, and of the patient links of
users (users/patients/link and unlink)."""
from tests.factories.accounts import make_user
from tests.factories.patients import (make_allergy, make_appointment_with, make_doctor_account,
                                      make_medical_record, make_patient)

from . import ID_KEYS, SEEDS, Seed
from . import accounts  # noqa: F401  (the users seed this module extends is registered first)

ID_KEYS.update({"id_patients"})


def documented_patient(customer):
    """The patient the document's examples talk about, linked to `customer`, whose name
    matches the documented keyword "raka", with allergies."""
    return make_patient(customer, allergies=("Alergi Ulat", "Alergi Ngoding sampe Subuh"),
                        nama_lengkap_pasien="Raka Mildi Ghanesa MK2",
                        patient_external_id="DIGISOFT_PATIENT-00934203",
                        tanggal_lahir=None, alamat_domisili="Cibeber kalong No 34 Bandung",
                        catatan="Kurang gizi", jenis_kelamin="L")


def seed_patients(kind, path, caller):
    customer = make_user(roles=("CUSTOMER",), username="didit", users_fullname="Didit Velliz")
    if kind == "create":
        return Seed(ids={"id_users": [customer.id]})
    patient = documented_patient(customer)
    return Seed(target=patient, ids={"id_users": [customer.id]})


def seed_patient_allergies(kind, path, caller):
    patient = documented_patient(make_user(roles=("CUSTOMER",)))
    if kind == "create":
        return Seed(ids={"id_patients": [patient.id]})
    return Seed(target=make_allergy(patient, allergies="seafood"),
                ids={"id_patients": [patient.id]})


def seed_patient_rekam_medis(kind, path, caller):
    patient = documented_patient(make_user(roles=("CUSTOMER",)))
    ids = {"id_patients": [patient.id]}
    if kind != "get":
        # Only a doctor treating the patient writes and verifies: the walk's caller becomes one.
        make_doctor_account(user=caller)
        make_appointment_with(caller, patient)
    if kind == "create":
        return Seed(ids=ids)
    if path.endswith("/verify") or path.endswith("/unverify"):
        verifier = caller if path.endswith("/unverify") else None
        return Seed(target=make_medical_record(patient, verified_by=verifier), ids=ids)
    if kind == "get":  # a verified record, so the verifying doctor is nested as documented
        doctor = make_doctor_account()
        return Seed(target=make_medical_record(patient, verified_by=doctor), ids=ids)
    return Seed(target=make_medical_record(patient), ids=ids)


_seed_users = SEEDS["users"]


def seed_users_with_patient_links(kind, path, caller):
    """users/patients/link needs a live customer and a patient not linked yet; unlink a
    linked patient. Every other users endpoint keeps its own seed."""
    if path == "users/patients/link":
        customer = make_user(roles=("CUSTOMER",))
        return Seed(ids={"id_users": [customer.id], "id_patients": [make_patient().id]})
    if path == "users/patients/unlink":
        patient = make_patient(make_user(roles=("CUSTOMER",)))
        return Seed(ids={"id_patients": [patient.id]})
    return _seed_users(kind, path, caller)


SEEDS.update({"patients": seed_patients, "patient_allergies": seed_patient_allergies,
              "patient_rekam_medis": seed_patient_rekam_medis,
              "users": seed_users_with_patient_links})
