"""Workflows of patients: the rules a patient or an allergy must meet before it is written,
replacing a patient's allergies, and linking a patient to a customer account. Medical records
are in records.py; who reaches what is in queries.py."""
import re

from sqlalchemy import func, select

from models import Appointment, Patient, PatientAllergy, clinic_now, db
from services import audit
from services.access import is_office
from services.appointments.statuses import LIVE
from services.engine.filters import INT_MAX
from services.engine.writing import commit_or_conflict
from services.errors import Conflict, Forbidden, Invalid, NotFound
from services.format import GENDERS

from .queries import find_patient, live_customer, may_manage_patient, patient_in_reach

ACTIVE_APPOINTMENTS = LIVE  # still to come: the patient stays
BLOOD_GROUP = re.compile(r"^(A|B|AB|O)[+-]?$")
NOT_A_MANAGER = "Alergi dicatat oleh staf klinik atau akun yang terhubung dengan pasien."


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


# ---- patients -------------------------------------------------------------------------------
def check_patient_input(data: dict, actor, patient: Patient | None) -> dict:
    """Who the patient is linked to (a customer links only to themselves), gender L/P, blood
    group, a birth date not in the future, coordinates, a unique external id; 403/422."""
    creating = patient is None
    if not is_office(actor):
        if creating and not actor.has_role("CUSTOMER"):
            raise Forbidden("Pasien didaftarkan oleh pelanggan (untuk dirinya dan "
                            "keluarganya) atau oleh staf klinik.")
        if "id_users" in data and data["id_users"] != actor.id:
            raise Forbidden("Pasien hanya dapat dihubungkan ke akun Anda sendiri.",
                            fields={"id_users": "Hanya akun Anda sendiri."})
        if creating:
            data["id_users"] = actor.id
    problems = {}
    if "nama_lengkap_pasien" in data and _blank(data["nama_lengkap_pasien"]):
        problems["nama_lengkap_pasien"] = "Wajib diisi."
    if is_office(actor) and data.get("id_users") is not None \
            and live_customer(data["id_users"]) is None:
        problems["id_users"] = "Akun pelanggan tidak ditemukan."
    problems.update(_normalise_codes(data))
    birthday = data.get("tanggal_lahir")
    if birthday is not None:
        if birthday > clinic_now().date():
            problems["tanggal_lahir"] = "Tanggal lahir tidak boleh di masa depan."
        elif birthday.year < 1900:
            problems["tanggal_lahir"] = "Tahun lahir minimal 1900."
    for name, limit in (("lat", 90), ("lng", 180)):
        value = data.get(name)
        if value is not None and not -limit <= value <= limit:
            problems[name] = f"Antara -{limit} dan {limit}."
    external = data.get("patient_external_id")
    if external is None and "patient_external_id" in data:
        data["patient_external_id"] = ""
    elif external and _external_id_taken(external, patient):
        problems["patient_external_id"] = "Sudah dipakai pasien lain."
    if problems:
        raise Invalid(fields=problems)
    if "allergies" in data and data["allergies"] is None:
        data.pop("allergies")
    return data


def _normalise_codes(data: dict) -> dict:
    """Gender as L/P and blood group as A, B, AB or O (with + or -), in place; the problems."""
    problems = {}
    if "jenis_kelamin" in data:
        value = (data["jenis_kelamin"] or "").strip().upper()
        if value == "" or value in GENDERS:
            data["jenis_kelamin"] = value or None
        else:
            problems["jenis_kelamin"] = "Gunakan L (laki-laki) atau P (perempuan)."
    if "golongan_darah" in data:
        value = "".join((data["golongan_darah"] or "").split()).upper()
        if value == "" or BLOOD_GROUP.match(value):
            data["golongan_darah"] = value or None
        else:
            problems["golongan_darah"] = "Gunakan A, B, AB atau O (boleh dengan + atau -)."
    return problems


def _external_id_taken(external: str, patient: Patient | None) -> bool:
    """True when another live patient has this external id (any case)."""
    taken = select(Patient.id).where(func.lower(Patient.patient_external_id) == external.lower(),
                                     Patient.deleted_at.is_(None))
    if patient is not None:
        taken = taken.where(Patient.id != patient.id)
    return db.session.execute(taken.limit(1)).first() is not None


def refuse_patient_change(actor, patient: Patient) -> None:
    """403 unless office staff or the linked account: doctors only read a patient."""
    if not may_manage_patient(actor, patient):
        raise Forbidden("Data pasien hanya dapat diubah oleh staf klinik atau akun yang "
                        "terhubung dengan pasien.")


def refuse_patient_removal(patient: Patient) -> None:
    """409 while the patient has an appointment still to come."""
    active = db.session.execute(select(func.count(Appointment.id)).where(
        Appointment.id_patients == patient.id, Appointment.status.in_(ACTIVE_APPOINTMENTS),
        Appointment.tanggal >= clinic_now().date())).scalar_one()
    if active:
        raise Conflict(f"Pasien masih memiliki {active} janji temu aktif. Batalkan atau "
                       "selesaikan dulu.")


# ---- allergies ------------------------------------------------------------------------------
def check_allergy_input(data: dict, actor, allergy: PatientAllergy | None) -> dict:
    """A patient in reach that the actor may manage, a name, once per patient (any case);
    an allergy never moves to another patient."""
    if allergy is None:
        patient = patient_in_reach(actor, data.get("id_patients"))
        if not may_manage_patient(actor, patient):
            raise Forbidden(NOT_A_MANAGER)
        patient_id = patient.id
    else:
        patient_id = allergy.id_patients
        if "id_patients" in data and data["id_patients"] != allergy.id_patients:
            raise Invalid(fields={"id_patients": "Alergi tidak dapat dipindahkan ke pasien "
                                                 "lain."})
    if "allergies" in data:
        data["allergies"] = " ".join((data["allergies"] or "").split())
        if not data["allergies"]:
            raise Invalid(fields={"allergies": "Wajib diisi."})
        taken = select(PatientAllergy.id).where(
            PatientAllergy.id_patients == patient_id,
            func.lower(PatientAllergy.allergies) == data["allergies"].lower())
        if allergy is not None:
            taken = taken.where(PatientAllergy.id != allergy.id)
        if db.session.execute(taken.limit(1)).first():
            raise Invalid(fields={"allergies": "Alergi ini sudah tercatat untuk pasien."})
    for name in ("diagnosa", "catatan_kaki"):
        if name in data and data[name] is None:
            data[name] = "-"
    return data


def refuse_allergy_change(actor, allergy: PatientAllergy) -> None:
    """403 unless the actor is office staff or the patient's linked account."""
    if not may_manage_patient(actor, allergy.patient):
        raise Forbidden(NOT_A_MANAGER)


def replace_allergies(patient: Patient, names: list[str]) -> None:
    """Make the patient's allergies exactly `names` (case-insensitive): rows whose name stays
    keep their id, diagnosis and notes; the others go; new names are added."""
    wanted = {name.lower(): name for name in names}
    for row in list(patient.allergies):
        if row.allergies.lower() in wanted:
            wanted.pop(row.allergies.lower())
        else:
            patient.allergies.remove(row)
    for name in names:
        if name.lower() in wanted:
            patient.allergies.append(PatientAllergy(allergies=name, diagnosa="-",
                                                    catatan_kaki="-"))


# ---- linking --------------------------------------------------------------------------------
def link_patient(actor, patient_id, user_id) -> Patient:
    """Office staff link a patient to a live customer account (users/patients/link)."""
    if not is_office(actor):
        raise Forbidden("Hanya staf klinik yang dapat menghubungkan pasien ke akun pelanggan.")
    problems = {name: problem for name, problem in (
        ("id_patients", _id_problem(patient_id)), ("id_users", _id_problem(user_id))) if problem}
    if problems:
        raise Invalid(fields=problems)
    patient = find_patient(actor, patient_id)
    if patient is None:
        raise NotFound("Pasien tidak ditemukan.")
    user = live_customer(int(str(user_id).strip()))
    if user is None:
        raise Invalid(fields={"id_users": "Akun pelanggan tidak ditemukan."})
    if patient.id_users == user.id:
        return patient  # already so: nothing changes
    if patient.id_users is not None:
        raise Conflict("Pasien sudah terhubung ke akun lain. Lepaskan dulu (unlink), lalu "
                       "hubungkan ke akun yang baru.",
                       fields={"id_patients": "Sudah terhubung ke akun lain."})
    patient.id_users = user.id
    audit.record("link_patient", actor, "patients", patient.id,
                 f"{patient.nama_lengkap_pasien} -> {user.username} (#{user.id})")
    commit_or_conflict()
    return patient


def _id_problem(value) -> str | None:
    """What is wrong with an id sent in a body (None when it is a usable number)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return "Wajib diisi."
    if isinstance(value, bool) or not isinstance(value, (int, str)) \
            or not str(value).strip().isdigit() or int(str(value).strip()) > INT_MAX:
        return "Harus berupa angka."
    return None


def unlink_patient(actor, patient_id) -> Patient:
    """Office staff, or the customer the patient is linked to, remove the link."""
    problem = _id_problem(patient_id)
    if problem:
        raise Invalid(fields={"id_patients": problem})
    patient = find_patient(actor, patient_id)
    if patient is None:
        raise NotFound("Pasien tidak ditemukan.")
    if not (is_office(actor) or patient.id_users == actor.id):
        raise Forbidden("Hanya staf klinik atau akun yang terhubung yang dapat melepas pasien.")
    if patient.id_users is None:
        raise Conflict("Pasien tidak terhubung ke akun mana pun.")
    previous = patient.id_users
    patient.id_users = None
    audit.record("unlink_patient", actor, "patients", patient.id,
                 f"{patient.nama_lengkap_pasien} lepas dari akun #{previous}")
    commit_or_conflict()
    return patient
