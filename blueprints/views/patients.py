"""How staff see patients, their allergies and medical records: labels, list columns and
filters, choices and help of the forms, the cells of the lists, and the data of the patient
chart (the patient's own detail screen)."""
from flask import url_for
from markupsafe import Markup
from marshmallow import ValidationError

from models import MedicalRecord, Patient, PatientAllergy, User, clinic_now
from services.engine.fields import FlexDate
from services.format import GENDERS, day_text, gender
from services.patients import queries as patient_queries

from .appointments import status_chip
from .base import AdminView, Column, admin_view

BLOOD_CHOICES = [(value, value) for group in ("A", "B", "AB", "O")
                 for value in (group, f"{group}+", f"{group}-")]
ALLERGIES_IN_A_CELL = 4
WIDE_ONLY = "d-none d-md-table-cell"  # a list column left out on a phone
NONE_YET = Markup('<span class="text-secondary small">{}</span>')

def patient_name(obj) -> str:
    """The name of the patient of an allergy or a record."""
    return obj.patient.nama_lengkap_pasien if obj.patient else ""


def allergy_names(patient) -> str:
    """The patient's allergy names, comma separated."""
    return ", ".join(row.allergies for row in patient.allergies)


def allergy_chips(patient) -> Markup:
    """The first allergies as red chips (and how many more), or "Tidak ada"."""
    if not patient.allergies:
        return NONE_YET.format("Tidak ada")
    chips = Markup(" ").join(Markup('<span class="badge text-bg-danger">{}</span>').format(
        row.allergies) for row in patient.allergies[:ALLERGIES_IN_A_CELL])
    more = len(patient.allergies) - ALLERGIES_IN_A_CELL
    if more > 0:
        chips += Markup(' <span class="small text-danger">+{}</span>').format(more)
    return chips


def gender_cell(patient) -> Markup:
    """Gender spelled out (– for none)."""
    return Markup("{}").format(gender(patient.jenis_kelamin))


def account_username(patient) -> str:
    """The linked account's username ("" when none)."""
    return patient.user.username if patient.user else ""


def account_cell(patient) -> Markup:
    """The linked account's username, or "Belum terhubung"."""
    if patient.user is None:
        return NONE_YET.format("Belum terhubung")
    return Markup('<i class="bi bi-person"></i> {}').format(patient.user.username)


def appointment_text(record) -> str:
    """The appointment a record belongs to: date, time, doctor, service ("" when none)."""
    item = record.appointment
    if item is None:
        return ""
    doctor = item.doctor.user.users_fullname if item.doctor and item.doctor.user else "-"
    service = item.service.services_name if item.service else "-"
    return f"#{item.id} · {item.tanggal:%d/%m/%Y} {item.jam:%H:%M} · {doctor} · {service}"


def verification_text(record) -> str:
    """Verification as staff read it."""
    return "Terverifikasi" if record.is_verified else "Belum diverifikasi"


def verification_badge(record) -> Markup:
    """Verification as a green or yellow badge."""
    if record.is_verified:
        return Markup('<span class="badge text-bg-success"><i class="bi bi-patch-check"></i> '
                      'Terverifikasi</span>')
    return Markup('<span class="badge text-bg-warning">Belum diverifikasi</span>')


def birthday_of(value):
    """A birth date typed in a form (YYYY-MM-DD or DD/MM/YYYY), or None."""
    if not value:
        return None
    try:
        return FlexDate(allow_none=True).deserialize(value)
    except ValidationError:
        return None


def duplicates_of(actor, values: dict, exclude_id=None) -> list:
    """The live patients probably the same as the one in the form's `values` (name and
    birth date, or mobile number); only the office gets any."""
    return patient_queries.probable_duplicates(
        actor, values.get("nama_lengkap_pasien"), birthday_of(values.get("tanggal_lahir")),
        values.get("no_handphone"), exclude_id)


def duplicate_notice(patients) -> Markup | None:
    """"Mungkin sudah terdaftar: <link to each patient>" (with birth date and mobile number),
    or None when there are none."""
    if not patients:
        return None
    links = Markup(", ").join(
        Markup('<a href="{}" target="_blank" rel="noopener">{}</a> ({})').format(
            url_for("crud.detail", name="patients", object_id=patient.id),
            patient.nama_lengkap_pasien,
            " · ".join(part for part in (
                f"lahir {day_text(patient.tanggal_lahir)}" if patient.tanggal_lahir else "",
                f"HP {patient.no_handphone}" if patient.no_handphone else "") if part) or "-")
        for patient in patients)
    return Markup("Mungkin sudah terdaftar: {}").format(links)


@admin_view
class PatientsView(AdminView):
    """The patient list and form; the detail screen is the patient chart."""

    resource_name = "patients"
    list_columns = ("nama_lengkap_pasien", "jenis_kelamin", "tanggal_lahir", "no_handphone",
                    "patient_external_id", "akun", "alergi")
    list_filters = ("jenis_kelamin",)
    period_column = staticmethod(lambda: Patient.created)  # the dashboard's new patients
    period_label = "Terdaftar"
    # labels that differ from the field name read as words ("tempat_lahir": "Tempat lahir")
    labels = {"id": "ID", "id_users": "Akun pelanggan", "patient_external_id": "ID eksternal",
              "nama_lengkap_pasien": "Nama lengkap", "no_identitas": "No. identitas",
              "no_telp_wali": "Telp. wali", "alamat_identitas": "Alamat sesuai identitas",
              "perusahaan_tempat_bekerja": "Tempat bekerja", "perusahaan_no_telp": "Telp. kantor",
              "no_telp_rumah": "Telp. rumah", "no_handphone": "No. HP", "kota": "Kota/Kabupaten",
              "lat": "Lintang", "lng": "Bujur", "allergies": "Alergi", "patient_picture": "Foto",
              "users_fullname": "Nama akun", "username": "Akun"}
    # on a phone the list keeps name, birth date, mobile number and allergies
    columns = {"jenis_kelamin": Column(cell=gender_cell, css=WIDE_ONLY),
               "patient_external_id": Column(css=WIDE_ONLY),
               "akun": Column("Akun", value=account_username, cell=account_cell,
                              sort=patient_queries.account_column(User.username), css=WIDE_ONLY),
               "alergi": Column("Alergi", value=allergy_names, cell=allergy_chips)}
    choices = {"jenis_kelamin": list(GENDERS.items()), "golongan_darah": BLOOD_CHOICES,
               "id_users": patient_queries.customer_choices}
    form_help = {"allergies": "Pisahkan dengan koma, misalnya: Kerang, Nangka. Daftar ini "
                              "menggantikan alergi yang tercatat.",
                 "id_users": "Akun pelanggan (keluarga) yang mengelola pasien ini di aplikasi.",
                 "patient_external_id": "Nomor pasien di sistem Digisoft, bila ada.",
                 "tanggal_lahir": "Tanggal lahir tidak boleh di masa depan."}

    form_sections = (
        ("Identitas", ("nama_lengkap_pasien", "jenis_kelamin", "tempat_lahir", "tanggal_lahir",
                       "golongan_darah", "nama_ibu_kandung", "nama_ayah", "pekerjaan",
                       "perusahaan_tempat_bekerja", "allergies", "catatan", "id_users")),
        ("Kontak dan alamat", ("no_handphone", "no_telp_rumah", "perusahaan_no_telp",
                               "alamat_domisili", "provinsi", "kota", "kecamatan")),
        ("Wali", ("nama_wali", "hubungan_dengan_wali", "no_telp_wali", "alamat_wali")),
        ("Dokumen identitas", ("jenis_identitas", "no_identitas", "alamat_identitas")),
        ("Data teknis", ("patient_external_id", "kode_provinsi", "kode_kota", "kode_kecamatan",
                         "lat", "lng"), True),
    )
    form_addon = "patients/_duplicate_check.html"
    assets = ("css/patients.css",)

    def creation_warning(self, payload: dict, actor):
        """A probable duplicate (same name and birth date, or same mobile number) is pointed
        out before a new patient is saved."""
        return duplicate_notice(duplicates_of(actor, payload))

    def extra_form_values(self, obj) -> dict:
        """The allergy names, as the form's one text input."""
        return {"allergies": allergy_names(obj)}

    def detail_context(self, obj, actor) -> dict:
        """The chart (allergies, records read and audited, appointments, what the actor may
        do) and the patient's age."""
        return {"chart": patient_queries.patient_chart(actor, obj),
                "age": patient_queries.age_of(obj.tanggal_lahir),
                "appointment_status": status_chip}


@admin_view
class PatientAllergiesView(AdminView):
    """The allergy list (allergies are usually written on the chart)."""

    resource_name = "patient_allergies"
    list_columns = ("allergies", "pasien", "diagnosa", "catatan_kaki", "created")
    labels = {"id": "ID", "id_patients": "ID pasien", "allergies": "Alergi",
              "catatan_kaki": "Catatan", "created": "Dicatat", "patients": "Pasien"}
    columns = {"pasien": Column("Pasien", value=patient_name,
                                sort=patient_queries.patient_name_of(PatientAllergy))}
    form_help = {"id_patients": "Lebih mudah: tambahkan alergi dari kartu pasien.",
                 "allergies": "Misalnya: Kerang, Penisilin, Lateks."}


@admin_view
class MedicalRecordsView(AdminView):
    """The record list and detail (records are usually written on the chart)."""

    resource_name = "patient_rekam_medis"
    list_columns = ("tanggal_konsul", "pasien", "keluhan", "diagnosa", "status_verifikasi",
                    "version")
    detail_fields = ("pasien", "tanggal_konsul", "janji_temu", "keluhan", "diagnosa",
                     "catatan_kaki", "status_verifikasi", "version")
    list_filters = ("is_verified",)
    labels = {"id": "ID", "id_patients": "ID pasien", "tanggal_konsul": "Tanggal konsultasi",
              "catatan_kaki": "Catatan", "is_verified": "Verifikasi", "version": "Versi",
              "verified_iduser": "Diverifikasi oleh", "id_user_schedules": "No. janji temu"}
    columns = {"pasien": Column("Pasien", value=patient_name,
                                sort=patient_queries.patient_name_of(MedicalRecord)),
               "janji_temu": Column("Janji temu", value=appointment_text),
               "status_verifikasi": Column("Verifikasi", value=verification_text,
                                           cell=verification_badge,
                                           sort=MedicalRecord.is_verified)}
    choices = {"is_verified": [("1", "Terverifikasi"), ("0", "Belum diverifikasi")]}
    form_help = {"id_patients": "Lebih mudah: tulis rekam medis dari kartu pasien.",
                 "tanggal_konsul": "Tanggal konsultasi, tidak boleh di masa depan.",
                 "id_user_schedules": "Nomor janji temu pasien ini (boleh kosong). Lebih "
                                      "mudah: pilih dari kartu pasien."}

    def new_form_values(self, actor) -> dict:
        """A new record is of today (the clinic's date)."""
        return {"tanggal_konsul": clinic_now().date()}
