"""Medical records: the rules a record must meet before it is written, its versions, and its
verification, each audited. Who may read or write a patient's records is in queries.py."""


from models import MedicalRecord, MedicalRecordVersion, clinic_now, db
from services import audit
from services.access import has_doctor_role, is_office
from services.engine.writing import commit_or_conflict
from services.errors import Conflict, Forbidden, Invalid
from services.format import day_text

from .queries import (
    may_write_records,
    patient_in_reach,
    readable_record,
    record_appointment,
    treats,
)

RECORD_FIELDS = ("tanggal_konsul", "keluhan", "diagnosa", "catatan_kaki")
NOT_A_WRITER = "Rekam medis hanya ditulis, diubah dan dihapus oleh dokter yang merawat pasien."


# ---- medical records: input, versions, verification, audit -----------------------------------
def check_record_input(data: dict, actor, record: MedicalRecord | None) -> dict:
    """A patient in reach that the actor may write records of; a consultation date not in
    the future (today when a new record names none); something written (complaint or
    diagnosis); the appointment it belongs to, when named, one of the patient's; a record
    never moves."""
    if record is None:
        patient = patient_in_reach(actor, data.get("id_patients"))
        if not may_write_records(actor, patient.id):
            raise Forbidden(NOT_A_WRITER)
        patient_id = patient.id
        data.setdefault("tanggal_konsul", clinic_now().date())
    elif "id_patients" in data and data["id_patients"] != record.id_patients:
        raise Invalid(fields={"id_patients": "Rekam medis tidak dapat dipindahkan ke "
                                             "pasien lain."})
    else:
        patient_id = record.id_patients
    problems = {}
    linked = data.get("id_user_schedules")
    unchanged = record is not None and linked == record.id_user_schedules
    appointment_problem = None if unchanged else _record_appointment_problem(actor, patient_id,
                                                                             linked)
    if appointment_problem:
        problems["id_user_schedules"] = appointment_problem
    day = data.get("tanggal_konsul")
    if "tanggal_konsul" in data and day is None:
        problems["tanggal_konsul"] = "Wajib diisi."
    elif day is not None:
        if day > clinic_now().date():
            problems["tanggal_konsul"] = "Tanggal konsultasi tidak boleh di masa depan."
        elif day.year < 1900:
            problems["tanggal_konsul"] = "Tahun minimal 1900."
    for name in ("keluhan", "diagnosa", "catatan_kaki"):
        if name in data and data[name] is None:
            data[name] = ""
    keluhan = data.get("keluhan", record.keluhan if record else "")
    diagnosa = data.get("diagnosa", record.diagnosa if record else "")
    if not (keluhan or "").strip() and not (diagnosa or "").strip():
        problems["keluhan"] = "Isi keluhan atau diagnosa."
    if problems:
        raise Invalid(fields=problems)
    return data


def _record_appointment_problem(actor, patient_id, appointment_id) -> str | None:
    """What is wrong with the appointment a record is linked to (None when none is named or
    it is one of the patient's appointments, seen by the actor and not cancelled)."""
    if appointment_id is None:
        return None
    appointment = record_appointment(actor, appointment_id)
    if appointment is None:
        return "Janji temu tidak ditemukan."
    if appointment.id_patients != patient_id:
        return "Janji temu ini milik pasien lain."
    if appointment.status == "CANCEL":
        return "Janji temu ini sudah dibatalkan."
    return None


def refuse_record_change(actor, record: MedicalRecord) -> None:
    """403 unless a treating doctor; 409 while the record is verified."""
    if not may_write_records(actor, record.id_patients):
        raise Forbidden(NOT_A_WRITER)
    if record.is_verified:
        raise Conflict("Rekam medis sudah diverifikasi dan terkunci. Batalkan verifikasi "
                       "terlebih dahulu untuk mengubahnya.", error_code="record_verified")


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


def record_changes(record: MedicalRecord, data: dict, names=RECORD_FIELDS) -> list[str]:
    """Names of the record fields (of `names`) whose value `data` changes."""
    return [name for name in names if name in data and data[name] != getattr(record, name)]


def start_record(record: MedicalRecord, actor) -> None:
    """A new record: its author, version 1, not verified."""
    record.id_users_author = actor.id
    record.version = 1
    record.is_verified = False


def before_record_update(record: MedicalRecord, data: dict, actor) -> None:
    """Keep the previous version when `data` changes something; write the update to the
    audit log."""
    changed = record_changes(record, data)
    if changed:
        keep_version(record, actor)
    changed += record_changes(record, data, ("id_user_schedules",))  # the link: no version
    audit.record("update_medical_record", actor, "patients", record.id_patients,
                 f"rekam medis #{record.id}: {', '.join(changed) or 'tanpa perubahan'}"
                 f" (versi {record.version})")


def record_created(record: MedicalRecord, actor) -> None:
    """Write a new record to the audit log."""
    audit.record("create_medical_record", actor, "patients", record.id_patients,
                 f"rekam medis #{record.id} ({day_text(record.tanggal_konsul)})")


def before_record_removal(record: MedicalRecord, actor) -> None:
    """Keep the last version and write the removal to the audit log."""
    keep_version(record, actor)
    audit.record("delete_medical_record", actor, "patients", record.id_patients,
                 f"rekam medis #{record.id} dihapus")


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


def verify_record(actor, record_id, note=None) -> MedicalRecord:
    """A doctor treating the patient signs the record: it is locked until unverified."""
    return _change_verification(actor, record_id, note, verified=True)


def unverify_record(actor, record_id, note=None) -> MedicalRecord:
    """The doctor who verified a record takes the signature back, so it can be edited."""
    return _change_verification(actor, record_id, note, verified=False)


def _refuse_verification_change(actor, record: MedicalRecord, verified: bool) -> None:
    """Only a doctor signs: one treating the patient, a record not yet signed; only the doctor
    who signed takes it back, from a signed record (403/409)."""
    if not has_doctor_role(actor):
        raise Forbidden("Hanya dokter yang dapat memverifikasi rekam medis." if verified else
                        "Hanya dokter yang dapat membatalkan verifikasi rekam medis.")
    if verified:
        if not (is_office(actor) or treats(actor, record.id_patients)):
            raise Forbidden("Hanya dokter yang merawat pasien ini yang dapat memverifikasi.")
        if record.is_verified:
            raise Conflict("Rekam medis sudah diverifikasi.")
        return
    if not record.is_verified:
        raise Conflict("Rekam medis belum diverifikasi.")
    if record.verified_iduser is not None and record.verified_iduser != actor.id:
        raise Forbidden("Hanya dokter yang memverifikasi yang dapat membatalkan verifikasinya.")


def _change_verification(actor, record_id, note, verified: bool) -> MedicalRecord:
    """Keep the version, then set or clear the signature (and the note when sent); audited."""
    record = readable_record(actor, record_id)
    _refuse_verification_change(actor, record, verified)
    note = _note(note)
    keep_version(record, actor)
    if note is not None:
        record.catatan_kaki = note
    record.is_verified = verified
    record.verified_iduser = actor.id if verified else None
    record.verified_at = clinic_now() if verified else None
    if verified:
        action, text = "verify_medical_record", f"rekam medis #{record.id} diverifikasi"
    else:
        action, text = "unverify_medical_record", f"verifikasi rekam medis #{record.id} dibatalkan"
    audit.record(action, actor, "patients", record.id_patients,
                 f"{text} (versi {record.version})")
    commit_or_conflict()
    return record
