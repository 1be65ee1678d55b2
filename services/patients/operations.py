"""Patients and their medical records: who reaches which patient, linking a patient to a
customer account, record versions and verification, the read audit, and the patient chart.

Reach (the one rule every query of patients, allergies and records follows):
- clinic office (OWNER, ADMIN, USERS): every live patient;
- a user reaches the patients linked to their account (`patients.id_users`) — customers
  manage them (themselves and their family);
- a DOCTOR reaches the patients who have an appointment (any status) with them
  (`user_schedules` of a live `doctors` row whose `id_users` is the doctor's account): they
  read them and write their medical records;
- medical records: office and the treating doctors read and write them all; the linked
  customer reads only the VERIFIED records of their patients and never writes one.
Everything else is out of reach: 404, as if it did not exist."""
from datetime import date

from sqlalchemy import and_, false, or_, select, true
from sqlalchemy.orm import selectinload

from models import (Appointment, Doctor, MedicalRecord, MedicalRecordVersion, Patient,
                    PatientAllergy, User, clinic_now, db)
from services import audit
from services.accounts.operations import user_data_part
from services.errors import Conflict, Forbidden, Invalid, NotFound

OFFICE = frozenset({"OWNER", "ADMIN", "USERS"})
AUDIT_IDS_PER_ENTRY = 40  # record ids listed in one audit entry (its text holds 500 characters)


# ---- who reaches what ---------------------------------------------------------------------
def is_office(actor) -> bool:
    """Clinic office staff (OWNER, ADMIN, USERS) reach every patient."""
    return actor is not None and actor.has_role(*OFFICE)


def is_doctor(actor) -> bool:
    """The actor holds the DOCTOR role."""
    return actor is not None and actor.has_role("DOCTOR")


def treated_patient_ids(actor):
    """SELECT of the ids of patients who have an appointment (any status) with this doctor."""
    return (select(Appointment.id_patients)
            .join(Doctor, Doctor.id == Appointment.id_doctors)
            .where(Doctor.id_users == actor.id, Doctor.deleted_at.is_(None)))


def linked_patient_ids(actor):
    """SELECT of the ids of patients linked to this account."""
    return select(Patient.id).where(Patient.id_users == actor.id)


def patient_condition(actor):
    """SQL condition on `patients` for the patients this actor reaches (true for office)."""
    if actor is None:
        return false()
    if is_office(actor):
        return true()
    conditions = [Patient.id_users == actor.id]
    if is_doctor(actor):
        conditions.append(Patient.id.in_(treated_patient_ids(actor)))
    return or_(*conditions)


def reachable_patient_ids(actor):
    """SELECT of the ids of live patients this actor reaches."""
    return select(Patient.id).where(Patient.deleted_at.is_(None), patient_condition(actor))


def record_condition(actor):
    """SQL condition on `patient_rekam_medis` for the records this actor may read."""
    if actor is None:
        return false()
    if is_office(actor):
        return true()
    conditions = [and_(MedicalRecord.id_patients.in_(linked_patient_ids(actor)),
                       MedicalRecord.is_verified.is_(True))]
    if is_doctor(actor):
        conditions.append(MedicalRecord.id_patients.in_(treated_patient_ids(actor)))
    return or_(*conditions)


def treats(actor, patient_id) -> bool:
    """True when this doctor has an appointment (any status) with the patient."""
    if not is_doctor(actor) or patient_id is None:
        return False
    return db.session.execute(treated_patient_ids(actor).where(
        Appointment.id_patients == patient_id).limit(1)).first() is not None


def may_manage_patient(actor, patient: Patient) -> bool:
    """Office staff, or the account the patient is linked to, change the patient's data
    (identity, address, picture, allergies) — doctors read it."""
    return is_office(actor) or (actor is not None and patient.id_users == actor.id)


def may_write_records(actor, patient_id) -> bool:
    """Office staff and the doctors treating the patient write medical records."""
    return is_office(actor) or treats(actor, patient_id)


def find_patient(actor, patient_id) -> Patient | None:
    """The live patient with this id when the actor reaches it, else None."""
    try:
        patient_id = int(str(patient_id).strip())
    except (TypeError, ValueError):
        return None
    if not 0 < patient_id <= 2_147_483_647:
        return None
    return db.session.execute(select(Patient).where(
        Patient.id == patient_id, Patient.deleted_at.is_(None),
        patient_condition(actor))).scalars().first()


def patient_in_reach(actor, patient_id, field="id_patients") -> Patient:
    """The referenced patient, or 422 on the field: unknown and unreachable patients look the
    same, so nothing tells a caller that someone else's patient exists."""
    patient = find_patient(actor, patient_id)
    if patient is None:
        raise Invalid(fields={field: "Pasien tidak ditemukan."})
    return patient


def live_customer(user_id) -> User | None:
    """The live (not deleted) account with this id holding the CUSTOMER role, else None."""
    user = db.session.get(User, user_id) if user_id is not None else None
    if user is None or user.deleted_at is not None or not user.has_role("CUSTOMER"):
        return None
    return user


# ---- allergies ------------------------------------------------------------------------------
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
    _commit()
    return patient


def _id_problem(value) -> str | None:
    """What is wrong with an id sent in a body (None when it is a usable number)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return "Wajib diisi."
    if isinstance(value, bool) or not isinstance(value, (int, str)) \
            or not str(value).strip().isdigit() or int(str(value).strip()) > 2_147_483_647:
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
    _commit()
    return patient


# ---- medical records: versions, verification, audit -----------------------------------------
RECORD_FIELDS = ("tanggal_konsul", "keluhan", "diagnosa", "catatan_kaki", "is_verified")


def keep_version(record: MedicalRecord, actor) -> MedicalRecordVersion:
    """Write the record as it is now as a previous version, then count its version up;
    call it before every change."""
    version = MedicalRecordVersion(
        id_rekam_medis=record.id, version=record.version or 1,
        tanggal_konsul=record.tanggal_konsul, keluhan=record.keluhan or "",
        diagnosa=record.diagnosa or "", catatan_kaki=record.catatan_kaki or "",
        is_verified=bool(record.is_verified), changed_by=getattr(actor, "id", None),
        changed_at=clinic_now())
    db.session.add(version)
    record.version = (record.version or 1) + 1
    return version


def record_changes(record: MedicalRecord, data: dict) -> list[str]:
    """Names of the record fields whose value `data` changes."""
    return [name for name in ("tanggal_konsul", "keluhan", "diagnosa", "catatan_kaki")
            if name in data and data[name] != getattr(record, name)]


def _note(note):
    """The optional `catatan_kaki` sent with verify/unverify (None when not sent)."""
    if note is None:
        return None
    if isinstance(note, (int, float)) and not isinstance(note, bool):
        note = str(note)
    if not isinstance(note, str):
        raise Invalid(fields={"catatan_kaki": "Harus berupa teks."})
    if len(note) > 65535:
        raise Invalid(fields={"catatan_kaki": "Maksimal 65535 karakter."})
    return note.strip()


def readable_record(actor, record_id) -> MedicalRecord:
    """A live record of a live patient the actor may read, or 404."""
    try:
        record_id = int(str(record_id).strip())
    except (TypeError, ValueError) as exc:
        raise NotFound("Rekam medis tidak ditemukan.") from exc
    if not 0 < record_id <= 2_147_483_647:
        raise NotFound("Rekam medis tidak ditemukan.")
    record = db.session.execute(
        select(MedicalRecord).join(Patient, Patient.id == MedicalRecord.id_patients)
        .where(MedicalRecord.id == record_id, MedicalRecord.deleted_at.is_(None),
               Patient.deleted_at.is_(None), record_condition(actor))).scalars().first()
    if record is None:
        raise NotFound("Rekam medis tidak ditemukan.")
    return record


def verify_record(actor, record_id, note=None) -> MedicalRecord:
    """A doctor treating the patient signs the record: it is locked until unverified."""
    record = readable_record(actor, record_id)
    if not is_doctor(actor):
        raise Forbidden("Hanya dokter yang dapat memverifikasi rekam medis.")
    if not (is_office(actor) or treats(actor, record.id_patients)):
        raise Forbidden("Hanya dokter yang merawat pasien ini yang dapat memverifikasi.")
    if record.is_verified:
        raise Conflict("Rekam medis sudah diverifikasi.")
    note = _note(note)
    keep_version(record, actor)
    if note is not None:
        record.catatan_kaki = note
    record.is_verified = True
    record.verified_iduser = actor.id
    record.verified_at = clinic_now()
    audit.record("verify_medical_record", actor, "patients", record.id_patients,
                 f"rekam medis #{record.id} diverifikasi (versi {record.version})")
    _commit()
    return record


def unverify_record(actor, record_id, note=None) -> MedicalRecord:
    """The doctor who verified a record takes the signature back, so it can be edited."""
    record = readable_record(actor, record_id)
    if not is_doctor(actor):
        raise Forbidden("Hanya dokter yang dapat membatalkan verifikasi rekam medis.")
    if not record.is_verified:
        raise Conflict("Rekam medis belum diverifikasi.")
    if record.verified_iduser is not None and record.verified_iduser != actor.id:
        raise Forbidden("Hanya dokter yang memverifikasi yang dapat membatalkan verifikasinya.")
    note = _note(note)
    keep_version(record, actor)
    if note is not None:
        record.catatan_kaki = note
    record.is_verified = False
    record.verified_iduser = None
    record.verified_at = None
    audit.record("unverify_medical_record", actor, "patients", record.id_patients,
                 f"verifikasi rekam medis #{record.id} dibatalkan (versi {record.version})")
    _commit()
    return record


def audit_record_reads(actor, records, how: str) -> None:
    """Write who read which medical records: one entry per patient (object_type "patients",
    object_id the patient id) listing the record ids, then commit — keeping the rows just
    read loaded, so answering them costs no further queries."""
    by_patient = {}
    for record in records:
        by_patient.setdefault(record.id_patients, []).append(record.id)
    if not by_patient:
        return
    entries = []
    for patient_id, ids in by_patient.items():
        for start in range(0, len(ids), AUDIT_IDS_PER_ENTRY):
            chunk = ids[start:start + AUDIT_IDS_PER_ENTRY]
            entries.append(audit.entry_for(
                "read_medical_record", actor, "patients", patient_id,
                f"rekam medis {', '.join(f'#{number}' for number in chunk)} ({how})"))
    audit.record_many(entries)
    _commit(keep_loaded=True)


def _commit(keep_loaded: bool = False) -> None:
    """Commit; with keep_loaded the objects in the session stay loaded (not expired)."""
    session = db.session()
    expire = session.expire_on_commit
    if keep_loaded:
        session.expire_on_commit = False
    try:
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.expire_on_commit = expire


# ---- the patient chart ----------------------------------------------------------------------
def chart_records(actor, patient_id, how: str, record_ids=None):
    """The patient's records this actor may read, newest first, with their previous versions,
    author and verifier loaded, and the names of who changed each version — (records, names)
    in a fixed number of queries. The read is written to the audit log."""
    stmt = (select(MedicalRecord)
            .where(MedicalRecord.id_patients == patient_id, MedicalRecord.deleted_at.is_(None),
                   record_condition(actor))
            .options(selectinload(MedicalRecord.versions),
                     selectinload(MedicalRecord.verifier), selectinload(MedicalRecord.author))
            .order_by(MedicalRecord.tanggal_konsul.desc(), MedicalRecord.id.desc()))
    if record_ids is not None:
        stmt = stmt.where(MedicalRecord.id.in_(list(record_ids)))
    records = db.session.execute(stmt).scalars().all()
    changers = {version.changed_by for record in records for version in record.versions
                if version.changed_by}
    names = {}
    if changers:
        names = {user.id: user.users_fullname for user in db.session.execute(
            select(User).where(User.id.in_(changers))).scalars()}
    audit_record_reads(actor, records, how)
    return records, names


def chart_record(actor, record_id, how: str):
    """One record for the chart (with versions and names), audited as read; 404 when out of
    reach."""
    record = readable_record(actor, record_id)
    records, names = chart_records(actor, record.id_patients, how, [record.id])
    if not records:
        raise NotFound("Rekam medis tidak ditemukan.")
    return records[0], names


def patient_appointments(actor, patient_id) -> list[Appointment]:
    """The patient's appointments this actor may see, newest first (doctor, their account and
    the service loaded with them)."""
    from services.appointments.operations import scope_appointments

    stmt = scope_appointments(
        select(Appointment).where(Appointment.id_patients == patient_id), actor)
    return db.session.execute(
        stmt.options(selectinload(Appointment.doctor).selectinload(Doctor.user),
                     selectinload(Appointment.service))
        .order_by(Appointment.tanggal.desc(), Appointment.jam.desc(), Appointment.id.desc())
    ).scalars().all()


def chart_permissions(actor, patient: Patient) -> dict:
    """What this actor may do on the chart."""
    writes = may_write_records(actor, patient.id)
    return {"manage_patient": may_manage_patient(actor, patient),
            "write_records": writes,
            "verify": is_doctor(actor) and writes}


def patient_chart(actor, patient: Patient) -> dict:
    """Everything the chart shows, in a fixed number of queries: allergies, records (with
    versions, audited as read) and appointments, plus what the actor may do."""
    allergies = list(patient.allergies)  # the detail screen has loaded them already
    records, names = chart_records(actor, patient.id, "kartu pasien")
    return {"allergies": allergies, "records": records, "names": names,
            "appointments": patient_appointments(actor, patient.id),
            "may": chart_permissions(actor, patient)}


def age_of(birthday: date | None, today: date | None = None) -> int | None:
    """Age in whole years on `today` (the clinic's date), or None."""
    if birthday is None:
        return None
    today = today or clinic_now().date()
    return today.year - birthday.year - ((today.month, today.day) < (birthday.month, birthday.day))


# ---- users/data -----------------------------------------------------------------------------
@user_data_part
def linked_patients_part(user) -> dict:
    """users/data: the patients linked to the signed-in account, each with its allergies."""
    from services.engine import get_resource

    resource = get_resource("patients")
    rows = db.session.execute(
        select(Patient).where(Patient.id_users == user.id, Patient.deleted_at.is_(None))
        .options(selectinload(Patient.allergies)).order_by(Patient.id)).scalars().all()
    return {"patients": [resource.serialize(row, user, "list") for row in rows]}
