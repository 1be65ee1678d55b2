"""Factories of patients, allergies and medical records — and of what puts a patient within a
doctor's reach: a doctor (a user with the DOCTOR role and its `doctors` row) and an
appointment of that doctor with the patient, written directly with the models."""
import itertools
from datetime import date, datetime, time, timedelta

from models import (DAYS, Appointment, Doctor, DoctorSchedule, DoctorService, MedicalRecord,
                    Patient, PatientAllergy, db)

from . import FACTORIES, VALID_CREATE, WRITER
from .accounts import make_user

_counter = itertools.count(1)


def make_patient(user=None, allergies=(), **kw):
    """A patient, linked to `user` when given, with these allergy names."""
    number = next(_counter)
    values = {"nama_lengkap_pasien": f"Pasien {number}", "patient_external_id": "",
              "tanggal_lahir": date(1990, 1, 1) + timedelta(days=number), "jenis_kelamin": "P",
              "no_handphone": f"0813{number:08d}", "alamat_domisili": "Jl. Merdeka 1, Bandung",
              "tempat_lahir": "Bandung", "catatan": "", "patient_picture": ""}
    values.update(kw)
    if user is not None:
        values["id_users"] = user.id
    patient = Patient(**values)
    patient.allergies = [PatientAllergy(allergies=name, diagnosa="-", catatan_kaki="-")
                         for name in allergies]
    db.session.add(patient)
    db.session.commit()
    return patient


def make_allergy(patient=None, **kw):
    """An allergy of a patient."""
    number = next(_counter)
    values = {"allergies": f"Alergi {number}", "diagnosa": "-", "catatan_kaki": "-"}
    values.update(kw)
    row = PatientAllergy(id_patients=(patient or make_patient()).id, **values)
    db.session.add(row)
    db.session.commit()
    return row


def make_medical_record(patient=None, verified_by=None, author=None, **kw):
    """A medical record (unverified unless `verified_by`, a doctor's user, is given)."""
    number = next(_counter)
    values = {"tanggal_konsul": date(2024, 1, 1) + timedelta(days=number % 300),
              "keluhan": f"Gatal dan kemerahan {number}", "diagnosa": "Dermatitis kontak",
              "catatan_kaki": "Kontrol 2 minggu", "version": 1}
    values.update(kw)
    record = MedicalRecord(id_patients=(patient or make_patient()).id, **values)
    if author is not None:
        record.id_users_author = author.id
    if verified_by is not None:
        record.is_verified = True
        record.verified_iduser = verified_by.id
        record.verified_at = datetime(2024, 2, 1, 10, 0)
    db.session.add(record)
    db.session.commit()
    return record


def make_doctor_account(user=None, **kw):
    """A doctor: a user holding the DOCTOR role (unless an existing user is given, who then
    gains it) and its `doctors` row. Returns the user."""
    from models import Role

    if user is None:
        user = make_user(roles=("DOCTOR",), **kw)
    elif not user.has_role("DOCTOR"):
        user.roles.append(Role(rolecodes="DOCTOR", descriptions=""))
    db.session.add(Doctor(id_users=user.id, short_description="Dokter spesialis kulit"))
    db.session.commit()
    return user


def doctor_of(user) -> Doctor:
    """The `doctors` row of a doctor's account."""
    return db.session.query(Doctor).filter_by(id_users=user.id).one()


def make_appointment_with(doctor_user, patient, status="DONE", day=None, start=time(9, 0)):
    """An appointment of this doctor with this patient (service, offer and slot made for it),
    which puts the patient in the doctor's reach."""
    from .treatments import make_service

    doctor = doctor_of(doctor_user)
    number = next(_counter)
    service = make_service(services_name=f"Konsultasi {number}")
    offer = DoctorService(id_doctors=doctor.id, id_services=service.id, custom_price=250000,
                          doctor_buffer_time=0)
    db.session.add(offer)
    db.session.flush()
    day = day or date(2024, 1, 1) + timedelta(days=number)
    slot = DoctorSchedule(id_doctors=doctor.id, id_doctor_services=offer.id,
                          custom_price=250000, hari=DAYS[day.weekday()], jam=start)
    db.session.add(slot)
    db.session.flush()
    appointment = Appointment(
        id_doctors=doctor.id, id_services=service.id, id_doctor_schedules=slot.id,
        id_users=patient.id_users, id_patients=patient.id, custom_price=250000,
        hari=slot.hari, jam=start, tanggal=day, status=status,
        slot_key=None if status == "CANCEL" else
        f"{doctor.id}|{day.isoformat()}|{start.strftime('%H:%M')}")
    db.session.add(appointment)
    db.session.commit()
    return appointment


FACTORIES.update({"patients": make_patient, "patient_allergies": make_allergy,
                  "patient_rekam_medis": make_medical_record})


def treating_doctor(user, record_or_body):
    """Only the doctor treating the patient writes medical records: `user` becomes one."""
    patient_id = record_or_body["id_patients"] if isinstance(record_or_body, dict) \
        else record_or_body.id_patients
    make_doctor_account(user=user)
    make_appointment_with(user, db.session.get(Patient, int(patient_id)))


WRITER.update({"patient_rekam_medis": treating_doctor})

VALID_CREATE.update({
    "patients": lambda: {"nama_lengkap_pasien": "Andrianto", "tempat_lahir": "Jakarta",
                         "tanggal_lahir": "31/12/1992", "jenis_kelamin": "L",
                         "golongan_darah": "B+", "no_handphone": "081300912993",
                         "lat": "0.23878", "lng": "7.87981", "kode_provinsi": 12,
                         "allergies": ["Kerang Seafood", "Nangka"]},
    "patient_allergies": lambda: {"id_patients": str(make_patient().id),
                                  "allergies": "seafood"},
    "patient_rekam_medis": lambda: {"id_patients": str(make_patient().id),
                                    "tanggal_konsul": "21/03/2023",
                                    "keluhan": "Sakit perut melilit", "diagnosa": "GERD akut",
                                    "catatan_kaki": "Periksa lab"},
})
