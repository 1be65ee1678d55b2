"""How staff see patients, their allergies and medical records: labels, list columns and
filters, choices and help of the forms, the cells of the lists, and the data of the patient
chart (the patient's own detail screen)."""
from markupsafe import Markup

from models import MedicalRecord, PatientAllergy, User
from services.format import GENDERS, gender
from services.patients import queries as patient_queries

from .appointments import status_chip
from .base import AdminView, Column, admin_view

BLOOD_CHOICES = [(value, value) for group in ("A", "B", "AB", "O")
                 for value in (group, f"{group}+", f"{group}-")]
ALLERGIES_IN_A_CELL = 4
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


def verification_text(record) -> str:
    """Verification as staff read it."""
    return "Terverifikasi" if record.is_verified else "Belum diverifikasi"


def verification_badge(record) -> Markup:
    """Verification as a green or yellow badge."""
    if record.is_verified:
        return Markup('<span class="badge text-bg-success"><i class="bi bi-patch-check"></i> '
                      'Terverifikasi</span>')
    return Markup('<span class="badge text-bg-warning">Belum diverifikasi</span>')


@admin_view
class PatientsView(AdminView):
    """The patient list and form; the detail screen is the patient chart."""

    resource_name = "patients"
    list_columns = ("nama_lengkap_pasien", "jenis_kelamin", "tanggal_lahir", "no_handphone",
                    "patient_external_id", "akun", "alergi")
    list_filters = ("jenis_kelamin",)
    # labels that differ from the field name read as words ("tempat_lahir": "Tempat lahir")
    labels = {"id": "ID", "id_users": "Akun pelanggan", "patient_external_id": "ID eksternal",
              "nama_lengkap_pasien": "Nama lengkap", "no_identitas": "No. identitas",
              "no_telp_wali": "Telp. wali", "alamat_identitas": "Alamat sesuai identitas",
              "perusahaan_tempat_bekerja": "Tempat bekerja", "perusahaan_no_telp": "Telp. kantor",
              "no_telp_rumah": "Telp. rumah", "no_handphone": "No. HP", "kota": "Kota/Kabupaten",
              "lat": "Lintang", "lng": "Bujur", "allergies": "Alergi", "patient_picture": "Foto",
              "users_fullname": "Nama akun", "username": "Akun"}
    columns = {"jenis_kelamin": Column(cell=gender_cell),
               "akun": Column("Akun", value=account_username, cell=account_cell,
                              sort=patient_queries.account_column(User.username)),
               "alergi": Column("Alergi", value=allergy_names, cell=allergy_chips)}
    choices = {"jenis_kelamin": list(GENDERS.items()), "golongan_darah": BLOOD_CHOICES,
               "id_users": patient_queries.customer_choices}
    form_help = {"allergies": "Pisahkan dengan koma, misalnya: Kerang, Nangka. Daftar ini "
                              "menggantikan alergi yang tercatat.",
                 "id_users": "Akun pelanggan (keluarga) yang mengelola pasien ini di aplikasi.",
                 "patient_external_id": "Nomor pasien di sistem Digisoft, bila ada.",
                 "tanggal_lahir": "Tanggal lahir tidak boleh di masa depan."}

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
    detail_fields = ("pasien", "tanggal_konsul", "keluhan", "diagnosa", "catatan_kaki",
                     "status_verifikasi", "version")
    list_filters = ("is_verified",)
    labels = {"id": "ID", "id_patients": "ID pasien", "tanggal_konsul": "Tanggal konsultasi",
              "catatan_kaki": "Catatan", "is_verified": "Verifikasi", "version": "Versi",
              "verified_iduser": "Diverifikasi oleh"}
    columns = {"pasien": Column("Pasien", value=patient_name,
                                sort=patient_queries.patient_name_of(MedicalRecord)),
               "status_verifikasi": Column("Verifikasi", value=verification_text,
                                           cell=verification_badge,
                                           sort=MedicalRecord.is_verified)}
    choices = {"is_verified": [("1", "Terverifikasi"), ("0", "Belum diverifikasi")]}
    form_help = {"id_patients": "Lebih mudah: tulis rekam medis dari kartu pasien.",
                 "tanggal_konsul": "Tanggal konsultasi, tidak boleh di masa depan."}
