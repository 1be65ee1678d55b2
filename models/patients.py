"""Patients, their allergies, and their medical records with every earlier version kept."""
from datetime import date, datetime

from sqlalchemy import (Boolean, Date, DateTime, Double, ForeignKey, Index, Integer, String, Text,
                        event)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .accounts import User
from .base import SoftDeleteMixin, TimestampMixin, clinic_now, db


SEARCHED = ("nama_lengkap_pasien", "no_handphone", "patient_external_id", "no_identitas")
SEARCH_TEXT_LENGTH = 300  # 150 + 20 + 64 + 32 and the line breaks


def patient_search_text(values) -> str:
    """The searched columns of a patient (a mapping or an object) as one lower-case text, a
    line each: a word of a search (never holding a line break) is found in it exactly when
    it is found in one of the columns."""
    get = values.get if isinstance(values, dict) else (lambda name: getattr(values, name, None))
    return "\n".join(str(get(name) or "").lower() for name in SEARCHED)[:SEARCH_TEXT_LENGTH]


class Patient(TimestampMixin, SoftDeleteMixin, db.Model):
    """A patient; linked to the user (customer) who manages them, when there is one."""

    __tablename__ = "patients"
    __table_args__ = (
        Index("ix_patients_created", "created"),  # new patients of a period
        # the patient search scans this narrow index instead of the wide rows; search_text
        # first, so lookups of the live patients keep using ix_patients_deleted_at
        Index("ix_patients_search", "search_text", "deleted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    id_users: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True, index=True)
    patient_external_id: Mapped[str] = mapped_column(String(64), default="", index=True)
    nama_lengkap_pasien: Mapped[str] = mapped_column(String(150), index=True)
    tempat_lahir: Mapped[str | None] = mapped_column(String(100), nullable=True)
    tanggal_lahir: Mapped[date | None] = mapped_column(Date, nullable=True)
    alamat_domisili: Mapped[str | None] = mapped_column(String(255), nullable=True)
    nama_ibu_kandung: Mapped[str | None] = mapped_column(String(150), nullable=True)
    jenis_kelamin: Mapped[str | None] = mapped_column(String(1), nullable=True)
    nama_ayah: Mapped[str | None] = mapped_column(String(150), nullable=True)
    no_identitas: Mapped[str | None] = mapped_column(String(32), nullable=True)
    jenis_identitas: Mapped[str | None] = mapped_column(String(20), nullable=True)
    catatan: Mapped[str | None] = mapped_column(String(500), nullable=True)
    nama_wali: Mapped[str | None] = mapped_column(String(150), nullable=True)
    hubungan_dengan_wali: Mapped[str | None] = mapped_column(String(50), nullable=True)
    alamat_wali: Mapped[str | None] = mapped_column(String(255), nullable=True)
    no_telp_wali: Mapped[str | None] = mapped_column(String(20), nullable=True)
    alamat_identitas: Mapped[str | None] = mapped_column(String(255), nullable=True)
    golongan_darah: Mapped[str | None] = mapped_column(String(3), nullable=True)
    pekerjaan: Mapped[str | None] = mapped_column(String(100), nullable=True)
    perusahaan_tempat_bekerja: Mapped[str | None] = mapped_column(String(150), nullable=True)
    perusahaan_no_telp: Mapped[str | None] = mapped_column(String(20), nullable=True)
    no_telp_rumah: Mapped[str | None] = mapped_column(String(20), nullable=True)
    no_handphone: Mapped[str | None] = mapped_column(String(20), nullable=True, index=True)
    patient_picture: Mapped[str] = mapped_column(String(100), default="")
    provinsi: Mapped[str | None] = mapped_column(String(100), nullable=True)
    kota: Mapped[str | None] = mapped_column(String(100), nullable=True)
    kecamatan: Mapped[str | None] = mapped_column(String(100), nullable=True)
    kode_provinsi: Mapped[str | None] = mapped_column(String(10), nullable=True)
    kode_kota: Mapped[str | None] = mapped_column(String(10), nullable=True)
    kode_kecamatan: Mapped[str | None] = mapped_column(String(10), nullable=True)
    lat: Mapped[float | None] = mapped_column(Double(), nullable=True)
    lng: Mapped[float | None] = mapped_column(Double(), nullable=True)
    # the searched columns (SEARCHED), lower case, one per line: kept by the ORM on every
    # insert and update (patient_search_text); never part of an answer
    search_text: Mapped[str] = mapped_column(String(SEARCH_TEXT_LENGTH), default="",
                                             server_default="")

    user: Mapped[User | None] = relationship()
    allergies: Mapped[list["PatientAllergy"]] = relationship(
        back_populates="patient", cascade="all, delete-orphan", order_by="PatientAllergy.id")


class PatientAllergy(db.Model):
    """An allergy of a patient."""

    __tablename__ = "patient_allergies"

    id: Mapped[int] = mapped_column(primary_key=True)
    created: Mapped[datetime] = mapped_column(DateTime, default=clinic_now)
    id_patients: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    allergies: Mapped[str] = mapped_column(String(150))
    diagnosa: Mapped[str] = mapped_column(String(255), default="-")
    catatan_kaki: Mapped[str] = mapped_column(String(255), default="-")

    patient: Mapped[Patient] = relationship(back_populates="allergies")


class MedicalRecord(TimestampMixin, SoftDeleteMixin, db.Model):
    """A medical record entry (`patient_rekam_medis`); verified entries are locked. It may
    name the appointment it belongs to (`id_user_schedules`, one of the patient's)."""

    __tablename__ = "patient_rekam_medis"
    # the lists: live records in their order (newest first) with the patient to check
    __table_args__ = (Index("ix_patient_rekam_medis_listing", "deleted_at", "tanggal_konsul",
                            "id", "id_patients"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    id_patients: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    tanggal_konsul: Mapped[date] = mapped_column(Date)
    keluhan: Mapped[str] = mapped_column(Text, default="")
    diagnosa: Mapped[str] = mapped_column(Text, default="")
    catatan_kaki: Mapped[str] = mapped_column(Text, default="")
    is_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    verified_iduser: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    verified_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    id_users_author: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # the appointment (user_schedules) the consultation belongs to, when there is one
    id_user_schedules: Mapped[int | None] = mapped_column(
        ForeignKey("user_schedules.id"), nullable=True, index=True)

    patient: Mapped[Patient] = relationship()
    appointment: Mapped["Appointment | None"] = relationship()  # noqa: F821
    verifier: Mapped[User | None] = relationship(foreign_keys=[verified_iduser])
    author: Mapped[User | None] = relationship(foreign_keys=[id_users_author])
    versions: Mapped[list["MedicalRecordVersion"]] = relationship(
        back_populates="record", order_by="MedicalRecordVersion.version")


class MedicalRecordVersion(db.Model):
    """A previous version of a medical record, written before every change."""

    __tablename__ = "patient_rekam_medis_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    id_rekam_medis: Mapped[int] = mapped_column(ForeignKey("patient_rekam_medis.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    tanggal_konsul: Mapped[date] = mapped_column(Date)
    keluhan: Mapped[str] = mapped_column(Text, default="")
    diagnosa: Mapped[str] = mapped_column(Text, default="")
    catatan_kaki: Mapped[str] = mapped_column(Text, default="")
    is_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=clinic_now)

    record: Mapped[MedicalRecord] = relationship(back_populates="versions")


@event.listens_for(Patient, "before_insert")
@event.listens_for(Patient, "before_update")
def _keep_search_text(_mapper, _connection, patient):
    patient.search_text = patient_search_text(patient)
