"""Who reaches which patient and medical record, and the read models of patients: the chart,
the read audit, the users/data part and the choices of the patient form.

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

from sqlalchemy import and_, false, func, or_, select, true
from sqlalchemy.orm import selectinload

from models import Appointment, Doctor, MedicalRecord, Patient, Role, User, clinic_now, db
from services import audit
from services.access import has_doctor_role, is_office
from services.accounts.operations import user_data_part
from services.engine.filters import INT_MAX, related_column
from services.errors import Invalid, NotFound

AUDIT_IDS_PER_ENTRY = 40  # record ids listed in one audit entry (its text holds 500 characters)


# ---- who reaches what ---------------------------------------------------------------------
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
    if has_doctor_role(actor):
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
    if has_doctor_role(actor):
        conditions.append(MedicalRecord.id_patients.in_(treated_patient_ids(actor)))
    return or_(*conditions)


def of_live_patients(stmt, model):
    """Restrict a query of `model` (allergies, records) to the rows of live patients: those
    whose patient is not among the deleted ones. The deleted patients are few and read from
    the index on deleted_at once per statement (a small list on SQLite, a materialized table
    on MariaDB), so a list walks its own ordering index and never visits the patients' rows —
    where "IN (the live patients)" looked every row's patient up (a deep page of records
    went from 0.67 s to 0.1 s on MariaDB). `id_patients` is NOT NULL and a foreign key, so
    both say the same."""
    return stmt.where(model.id_patients.not_in(
        select(Patient.id).where(Patient.deleted_at.is_not(None))))


def treats(actor, patient_id) -> bool:
    """True when this doctor has an appointment (any status) with the patient."""
    if not has_doctor_role(actor) or patient_id is None:
        return False
    return db.session.execute(treated_patient_ids(actor).where(
        Appointment.id_patients == patient_id).limit(1)).first() is not None


def may_manage_patient(actor, patient: Patient) -> bool:
    """Office staff, or the account the patient is linked to, change the patient's data
    (identity, address, picture, allergies) — doctors read it."""
    return is_office(actor) or (actor is not None and patient.id_users == actor.id)


def may_write_records(actor, patient_id) -> bool:
    """Only the doctors treating the patient write, change and delete medical records
    (clinical safety); office staff read them."""
    return treats(actor, patient_id)


def _row_id(value) -> int | None:
    """An id sent by a caller as a number, or None when it is not one."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= INT_MAX else None


def find_patient(actor, patient_id) -> Patient | None:
    """The live patient with this id when the actor reaches it, else None."""
    patient_id = _row_id(patient_id)
    if patient_id is None:
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


def readable_record(actor, record_id) -> MedicalRecord:
    """A live record of a live patient the actor may read, or 404."""
    record_id = _row_id(record_id)
    record = None if record_id is None else db.session.execute(
        select(MedicalRecord).join(Patient, Patient.id == MedicalRecord.id_patients)
        .where(MedicalRecord.id == record_id, MedicalRecord.deleted_at.is_(None),
               Patient.deleted_at.is_(None), record_condition(actor))).scalars().first()
    if record is None:
        raise NotFound("Rekam medis tidak ditemukan.")
    return record


def live_customer(user_id) -> User | None:
    """The live (not deleted) account with this id holding the CUSTOMER role, else None."""
    user = db.session.get(User, user_id) if user_id is not None else None
    if user is None or user.deleted_at is not None or not user.has_role("CUSTOMER"):
        return None
    return user


def customer_choices():
    """Live customer accounts as (id, "name (username)"), for the patient form's account
    select."""
    rows = db.session.execute(
        select(User).join(Role, Role.iduser == User.id)
        .where(Role.rolecodes == "CUSTOMER", User.deleted_at.is_(None))
        .order_by(User.users_fullname, User.id)).scalars().unique()
    return [(user.id, f"{user.users_fullname} ({user.username})") for user in rows]


# ---- probable duplicates --------------------------------------------------------------------
DUPLICATES_SHOWN = 5
PHONE_SEPARATORS = (" ", "-", ".", "(", ")", "+", "/")
PHONE_DIGITS_MIN = 6  # shorter numbers say nothing about who it is


def name_key(name) -> str:
    """A name as duplicates are compared: lower case, without spaces."""
    return "".join(str(name or "").split()).lower()


def phone_key(phone) -> str:
    """A phone number as duplicates are compared: its digits, without the country code 62 or
    the leading 0 ("+62 812-34" and "081234" are the same); "" when too short to tell."""
    digits = "".join(character for character in str(phone or "") if character.isdigit())
    if digits.startswith("62"):
        digits = digits[2:]
    digits = digits.lstrip("0")
    return digits if len(digits) >= PHONE_DIGITS_MIN else ""


def _without(expression, characters):
    for character in characters:
        expression = func.replace(expression, character, "")
    return expression


def probable_duplicates(actor, name=None, birthday: date | None = None, phone=None,
                        exclude_id=None) -> list[Patient]:
    """Live patients who are probably the one being registered: the same name (any case and
    spacing) and birth date, or the same mobile number (written any way). Only the office
    looks among every patient (nobody else sees other patients' names): [] for others."""
    if not is_office(actor):
        return []
    conditions = []
    key = name_key(name)
    if key and birthday is not None:
        conditions.append(and_(
            func.lower(_without(Patient.nama_lengkap_pasien, (" ", "\t"))) == key,
            Patient.tanggal_lahir == birthday))
    number = phone_key(phone)
    if number:
        conditions.append(_without(Patient.no_handphone, PHONE_SEPARATORS).in_(
            [number, f"0{number}", f"62{number}"]))
    if not conditions:
        return []
    stmt = select(Patient).where(Patient.deleted_at.is_(None), or_(*conditions))
    exclude_id = _row_id(exclude_id)
    if exclude_id is not None:
        stmt = stmt.where(Patient.id != exclude_id)
    return db.session.execute(stmt.order_by(Patient.id).limit(DUPLICATES_SHOWN)).scalars().all()


# ---- columns of related rows, for sorting and searching lists -------------------------------
def account_column(column):
    """A column of a patient's linked account, as a correlated subquery (made when called)."""
    return related_column(column, Patient, User.id == Patient.id_users)


def patient_name_of(model):
    """The patient's name beside a row of `model` (an allergy or a record), as a correlated
    subquery (made when called)."""
    return related_column(Patient.nama_lengkap_pasien, model, Patient.id == model.id_patients)


# ---- the read audit -------------------------------------------------------------------------
def audit_record_reads(actor, records, how: str) -> None:
    """Note who read which medical records: one entry per patient (object_type "patients",
    object_id the patient id) listing the record ids, handed to the audit queue
    (services/audit.queue_entries: a Celery task writes them in its own transaction, off the
    read path). Nothing is written or committed in the request's transaction; the rows just
    read stay loaded."""
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
    audit.queue_entries(entries)


# ---- the patient chart ----------------------------------------------------------------------
def chart_records(actor, patient_id, how: str, record_ids=None):
    """The patient's records this actor may read, newest first, with their previous versions,
    author and verifier loaded, and the names of who changed each version — (records, names)
    in a fixed number of queries. The read is written to the audit log."""
    stmt = (select(MedicalRecord)
            .where(MedicalRecord.id_patients == patient_id, MedicalRecord.deleted_at.is_(None),
                   record_condition(actor))
            .options(selectinload(MedicalRecord.versions),
                     selectinload(MedicalRecord.verifier), selectinload(MedicalRecord.author),
                     selectinload(MedicalRecord.appointment).selectinload(Appointment.doctor)
                     .selectinload(Doctor.user),
                     selectinload(MedicalRecord.appointment).selectinload(Appointment.service))
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
    from services.appointments.queries import scope_appointments

    stmt = scope_appointments(
        select(Appointment).where(Appointment.id_patients == patient_id), actor)
    return db.session.execute(
        stmt.options(selectinload(Appointment.doctor).selectinload(Doctor.user),
                     selectinload(Appointment.service))
        .order_by(Appointment.tanggal.desc(), Appointment.jam.desc(), Appointment.id.desc())
    ).scalars().all()


def record_appointment(actor, appointment_id) -> Appointment | None:
    """The appointment a record may be linked to, when it exists and the actor sees it
    (None for an unknown or unseen one, so nothing tells a caller it exists)."""
    from services.appointments.queries import scope_appointments

    appointment_id = _row_id(appointment_id)
    if appointment_id is None:
        return None
    return db.session.execute(scope_appointments(
        select(Appointment).where(Appointment.id == appointment_id), actor)).scalars().first()


def appointment_choices(appointments, keep=None) -> list[tuple[int, str]]:
    """The appointments (newest first) as (id, "dd/mm/yyyy HH:MM · doctor · service") for the
    record form's select; cancelled ones are left out (but the one a record names, `keep`)."""
    choices = []
    for item in appointments:
        if item.status == "CANCEL" and item.id != keep:
            continue
        doctor = item.doctor.user.users_fullname if item.doctor and item.doctor.user else "–"
        service = item.service.services_name if item.service else "–"
        choices.append((item.id, f"{item.tanggal:%d/%m/%Y} {item.jam:%H:%M} · {doctor} · "
                                 f"{service}"))
    return choices


def todays_appointment(actor, appointments) -> int | None:
    """The id of the patient's appointment today with this doctor (not cancelled), the
    default of a new record, or None."""
    today = clinic_now().date()
    for item in appointments:
        if item.tanggal == today and item.status != "CANCEL" and item.doctor is not None \
                and item.doctor.id_users == getattr(actor, "id", None) \
                and item.doctor.deleted_at is None:
            return item.id
    return None


def appointment_records(actor, appointment_id) -> list[MedicalRecord]:
    """The live records linked to an appointment that this actor may read (date and id
    only are shown beside the appointment: not a read of their content)."""
    return db.session.execute(
        select(MedicalRecord).join(Patient, Patient.id == MedicalRecord.id_patients)
        .where(MedicalRecord.id_user_schedules == appointment_id,
               MedicalRecord.deleted_at.is_(None), Patient.deleted_at.is_(None),
               record_condition(actor))
        .order_by(MedicalRecord.tanggal_konsul.desc(), MedicalRecord.id.desc())).scalars().all()


def chart_permissions(actor, patient: Patient) -> dict:
    """What this actor may do on the chart."""
    writes = may_write_records(actor, patient.id)
    return {"manage_patient": may_manage_patient(actor, patient),
            "write_records": writes,
            "verify": has_doctor_role(actor) and writes}


def patient_chart(actor, patient: Patient) -> dict:
    """Everything the chart shows, in a fixed number of queries: allergies, records (with
    versions, audited as read) and appointments, plus what the actor may do."""
    allergies = list(patient.allergies)  # the detail screen has loaded them already
    records, names = chart_records(actor, patient.id, "kartu pasien")
    appointments = patient_appointments(actor, patient.id)
    return {"allergies": allergies, "records": records, "names": names,
            "appointments": appointments, "may": chart_permissions(actor, patient),
            **record_form_choices(actor, appointments)}


def record_form_choices(actor, appointments) -> dict:
    """What the record forms of a chart offer: the patient's appointments to link a record
    to, and the default of a new record (today's appointment with this doctor, today)."""
    return {"appointment_choices": appointment_choices(appointments),
            "new_record_defaults": {"tanggal_konsul": clinic_now().date(),
                                    "id_user_schedules": todays_appointment(actor,
                                                                            appointments)}}


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
