"""Declarations of patients, allergies and medical records (`patient_rekam_medis`).

Medical data: every query of the three follows the patient's reach (services/patients.py):
office staff (OWNER, ADMIN, USERS) reach every patient; a user the patients linked to their
account; a doctor the patients who have an appointment with them. Out of reach is 404.
Customers create and manage the patients linked to themselves; doctors read their patients
and write their medical records; the linked customer reads only verified records."""
import re

from markupsafe import Markup
from marshmallow import ValidationError, fields
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from models import (Appointment, MedicalRecord, Patient, PatientAllergy, Role, User,
                    UserDepartment, clinic_now, db)
from services import audit
from services.patients import operations as patient_ops
from services.engine import get_resource
from services.format import day_text
from services.engine.resource import Resource, Upload, contains, custom, eq, like, register
from services.errors import Conflict, Forbidden, Invalid
from services.uploads import public_url


OFFICE = patient_ops.OFFICE
BLOOD_GROUP = re.compile(r"^(A|B|AB|O)[+-]?$")
ALLERGIES_MAX = 30
ALLERGY_LENGTH = 150
ADDRESS_FIELDS = ("alamat_domisili", "provinsi", "kota", "kecamatan", "kode_provinsi",
                  "kode_kota", "kode_kecamatan", "lat", "lng")
GENDERS = {"L": "Laki-laki", "P": "Perempuan"}
BLOOD_CHOICES = [(value, value) for group in ("A", "B", "AB", "O")
                 for value in (group, f"{group}+", f"{group}-")]
ACTIVE_APPOINTMENTS = ("BOOKING", "RESCHEDULE", "ARRIVED")


class AllergyNames(fields.Field):
    """Allergy names: a JSON list of strings (the app), or one text with the names separated
    by commas or new lines (the admin form). Blank names are skipped, repeats (any case)
    kept once; each name at most 150 characters, at most 30 names."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            items = re.split(r"[,\n]", value)
        elif isinstance(value, list):
            items = value
        else:
            raise ValidationError('Kirim daftar alergi, misalnya ["Kerang", "Nangka"].')
        names, seen = [], set()
        for item in items:
            if not isinstance(item, str):
                raise ValidationError("Setiap alergi berupa teks.")
            name = " ".join(item.split())
            if not name:
                continue
            if len(name) > ALLERGY_LENGTH:
                raise ValidationError(f"Setiap alergi maksimal {ALLERGY_LENGTH} karakter.")
            if name.lower() not in seen:
                seen.add(name.lower())
                names.append(name)
        if len(names) > ALLERGIES_MAX:
            raise ValidationError(f"Maksimal {ALLERGIES_MAX} alergi.")
        return names


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def keyword_filter(stmt, value):
    """Patients whose name, mobile number or external id contains the text (any case)."""
    text = str(value).strip()
    if not text:
        return stmt
    return stmt.where(or_(contains(Patient.nama_lengkap_pasien, text),
                          contains(Patient.no_handphone, text),
                          contains(Patient.patient_external_id, text)))


def _user_column(column):
    """A column of the linked account, as a correlated subquery (sort and search)."""
    def expression():
        return (select(column).where(User.id == Patient.id_users)
                .correlate(Patient).scalar_subquery())
    return expression


def _patient_column(model, column):
    """A column of the patient of an allergy or record, as a correlated subquery."""
    def expression():
        return (select(column).where(Patient.id == model.id_patients)
                .correlate(model).scalar_subquery())
    return expression


def customer_choices():
    """Live customer accounts, for the patient form's account select."""
    rows = db.session.execute(
        select(User).join(Role, Role.iduser == User.id)
        .where(Role.rolecodes == "CUSTOMER", User.deleted_at.is_(None))
        .order_by(User.users_fullname, User.id)).scalars().unique()
    return [(user.id, f"{user.users_fullname} ({user.username})") for user in rows]


def allergy_dict(row: PatientAllergy) -> dict:
    """An allergy as listed in a patient."""
    return {"id": row.id, "created": row.created.strftime("%Y-%m-%d %H:%M:%S") if row.created
            else None, "id_patients": row.id_patients, "allergies": row.allergies,
            "diagnosa": row.diagnosa, "catatan_kaki": row.catatan_kaki}



# ---- patients -------------------------------------------------------------------------------
@register
class Patients(Resource):
    """Patients; customers manage the ones linked to their account, doctors read the ones they
    treat, office staff all. `allergies` (a list of names) is created with the patient and
    replaced when an update sends it."""

    name = "patients"
    model = Patient
    nested = {"users": ("users", "user")}
    label, label_plural = "Pasien", "Pasien"
    admin_section = "Pasien"
    inputs = ("id_users", "patient_external_id", "nama_lengkap_pasien", "tempat_lahir",
              "tanggal_lahir", "alamat_domisili", "nama_ibu_kandung", "jenis_kelamin",
              "nama_ayah", "no_identitas", "jenis_identitas", "catatan", "nama_wali",
              "hubungan_dengan_wali", "alamat_wali", "no_telp_wali", "alamat_identitas",
              "golongan_darah", "pekerjaan", "perusahaan_tempat_bekerja", "perusahaan_no_telp",
              "no_telp_rumah", "no_handphone", "provinsi", "kota", "kecamatan", "kode_provinsi",
              "kode_kota", "kode_kecamatan", "lat", "lng")
    required = ("nama_lengkap_pasien",)
    extra_inputs = {"allergies": AllergyNames(allow_none=True)}
    outputs = ("id", "id_users", "patient_external_id", "users", "nama_lengkap_pasien",
               "tempat_lahir", "tanggal_lahir", "alamat_domisili", "nama_ibu_kandung",
               "jenis_kelamin", "nama_ayah", "no_identitas", "jenis_identitas", "catatan",
               "nama_wali", "hubungan_dengan_wali", "alamat_wali", "no_telp_wali",
               "alamat_identitas", "golongan_darah", "pekerjaan", "perusahaan_tempat_bekerja",
               "perusahaan_no_telp", "no_telp_rumah", "no_handphone", "provinsi", "kota",
               "kecamatan", "kode_provinsi", "kode_kota", "kode_kecamatan", "patient_picture",
               "patient_picture_url", "lat", "lng", "allergies")
    list_outputs = tuple(name for name in outputs if name != "users")
    brief_fields = (*(column.key for column in Patient.__table__.columns
                      if column.key not in ("created", "updated", "deleted_at")),
                    "patient_picture_url", ("nama", "nama_lengkap_pasien"),
                    ("alamat", "alamat_domisili"))
    filters = {"id_users": eq(Patient.id_users), "keyword": custom(keyword_filter),
               "jenis_kelamin": eq(Patient.jenis_kelamin),
               "patient_external_id": eq(Patient.patient_external_id)}
    table_columns = ("id", "id_users", "nama_lengkap_pasien", "tempat_lahir", "tanggal_lahir",
                     "alamat_domisili", "nama_ibu_kandung", "jenis_kelamin", "nama_ayah",
                     "no_identitas", "jenis_identitas", "catatan", "nama_wali",
                     "hubungan_dengan_wali", "alamat_wali", "no_telp_wali", "alamat_identitas",
                     "golongan_darah", "pekerjaan", "perusahaan_tempat_bekerja",
                     "perusahaan_no_telp", "no_telp_rumah", "no_handphone", "patient_picture",
                     "provinsi", "kota", "kecamatan", "kode_provinsi", "kode_kota",
                     "kode_kecamatan", "lat", "lng", "patient_external_id", "users_fullname",
                     "username")
    table_exprs = {"users_fullname": _user_column(User.users_fullname),
                   "username": _user_column(User.username),
                   "akun": _user_column(User.username)}
    eager = (selectinload(Patient.allergies),
             selectinload(Patient.user).selectinload(User.departments)
             .selectinload(UserDepartment.department))
    access = {"read": OFFICE, "create": OFFICE, "update": OFFICE, "delete": OFFICE}
    own_actions = frozenset({"read", "create", "update", "delete"})
    upload = Upload(column="patient_picture", kind="patients", style="picture",
                    owner_field="id_patients")

    admin_columns = ("nama_lengkap_pasien", "jenis_kelamin", "tanggal_lahir", "no_handphone",
                     "patient_external_id", "akun", "alergi")
    admin_filters = ("jenis_kelamin",)
    labels = {"id": "ID", "id_users": "Akun pelanggan", "patient_external_id": "ID eksternal",
              "nama_lengkap_pasien": "Nama lengkap", "tempat_lahir": "Tempat lahir",
              "tanggal_lahir": "Tanggal lahir", "alamat_domisili": "Alamat domisili",
              "nama_ibu_kandung": "Nama ibu kandung", "jenis_kelamin": "Jenis kelamin",
              "nama_ayah": "Nama ayah", "no_identitas": "No. identitas",
              "jenis_identitas": "Jenis identitas", "catatan": "Catatan",
              "nama_wali": "Nama wali", "hubungan_dengan_wali": "Hubungan dengan wali",
              "alamat_wali": "Alamat wali", "no_telp_wali": "Telp. wali",
              "alamat_identitas": "Alamat sesuai identitas", "golongan_darah": "Golongan darah",
              "pekerjaan": "Pekerjaan", "perusahaan_tempat_bekerja": "Tempat bekerja",
              "perusahaan_no_telp": "Telp. kantor", "no_telp_rumah": "Telp. rumah",
              "no_handphone": "No. HP", "provinsi": "Provinsi", "kota": "Kota/Kabupaten",
              "kecamatan": "Kecamatan", "kode_provinsi": "Kode provinsi",
              "kode_kota": "Kode kota", "kode_kecamatan": "Kode kecamatan", "lat": "Lintang",
              "lng": "Bujur", "allergies": "Alergi", "alergi": "Alergi", "akun": "Akun",
              "patient_picture": "Foto", "users_fullname": "Nama akun", "username": "Akun"}
    choices = {"jenis_kelamin": list(GENDERS.items()), "golongan_darah": BLOOD_CHOICES,
               "id_users": customer_choices}
    form_help = {"allergies": "Pisahkan dengan koma, misalnya: Kerang, Nangka. Daftar ini "
                              "menggantikan alergi yang tercatat.",
                 "id_users": "Akun pelanggan (keluarga) yang mengelola pasien ini di aplikasi.",
                 "patient_external_id": "Nomor pasien di sistem Digisoft, bila ada.",
                 "tanggal_lahir": "Tanggal lahir tidak boleh di masa depan."}

    # reach
    def own_rows(self, stmt, actor):
        """Linked patients, and for a doctor the patients they treat."""
        return stmt.where(patient_ops.patient_condition(actor))

    def is_own(self, actor, obj):
        """The patient is linked to the actor's account."""
        return actor is not None and obj.id_users == actor.id

    def check_change(self, obj, actor):
        """Office staff, or the linked account, change a patient — doctors only read."""
        if not patient_ops.may_manage_patient(actor, obj):
            raise Forbidden("Data pasien hanya dapat diubah oleh staf klinik atau akun yang "
                            "terhubung dengan pasien.")

    def describe(self, obj):
        """The patient's name."""
        return obj.nama_lengkap_pasien

    # input
    def validate(self, data, actor, obj=None):
        """Who the patient is linked to, gender L/P, blood group, birth date, coordinates,
        a unique external id."""
        creating = obj is None
        if not patient_ops.is_office(actor):
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
        if patient_ops.is_office(actor) and data.get("id_users") is not None \
                and patient_ops.live_customer(data["id_users"]) is None:
            problems["id_users"] = "Akun pelanggan tidak ditemukan."
        if "jenis_kelamin" in data:
            value = (data["jenis_kelamin"] or "").strip().upper()
            if value == "":
                data["jenis_kelamin"] = None
            elif value in GENDERS:
                data["jenis_kelamin"] = value
            else:
                problems["jenis_kelamin"] = "Gunakan L (laki-laki) atau P (perempuan)."
        if "golongan_darah" in data:
            value = "".join((data["golongan_darah"] or "").split()).upper()
            if value == "":
                data["golongan_darah"] = None
            elif BLOOD_GROUP.match(value):
                data["golongan_darah"] = value
            else:
                problems["golongan_darah"] = "Gunakan A, B, AB atau O (boleh dengan + atau -)."
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
        elif external:
            taken = select(Patient.id).where(
                func.lower(Patient.patient_external_id) == external.lower(),
                Patient.deleted_at.is_(None))
            if obj is not None:
                taken = taken.where(Patient.id != obj.id)
            if db.session.execute(taken.limit(1)).first():
                problems["patient_external_id"] = "Sudah dipakai pasien lain."
        if problems:
            raise Invalid(fields=problems)
        if "allergies" in data and data["allergies"] is None:
            data.pop("allergies")
        return data

    def after_save(self, obj, data, actor, created):
        """Create the allergies sent with the patient, or replace them on an update."""
        if "allergies" in data:
            patient_ops.replace_allergies(obj, data["allergies"])

    def before_delete(self, obj, actor):
        """Not while the patient has an appointment still to come."""
        active = db.session.execute(select(func.count(Appointment.id)).where(
            Appointment.id_patients == obj.id, Appointment.status.in_(ACTIVE_APPOINTMENTS),
            Appointment.tanggal >= clinic_now().date())).scalar_one()
        if active:
            raise Conflict(f"Pasien masih memiliki {active} janji temu aktif. Batalkan atau "
                           "selesaikan dulu.")

    def form_extra_values(self, obj):
        """The allergy names for the admin edit form."""
        return {"allergies": ", ".join(row.allergies for row in obj.allergies)}

    # output

    def out_patient_picture_url(self, obj):
        """Absolute URL of the picture ("" when none)."""
        return public_url("patients", obj.patient_picture)

    def out_allergies(self, obj):
        """The allergies, oldest first."""
        return [allergy_dict(row) for row in obj.allergies]

    def out_users_fullname(self, obj):
        """The linked account's name."""
        return obj.user.users_fullname if obj.user else ""

    def out_username(self, obj):
        """The linked account's username."""
        return obj.user.username if obj.user else ""

    out_akun = out_username

    def out_alergi(self, obj):
        """Allergy names, for the admin list."""
        return ", ".join(row.allergies for row in obj.allergies)

    def table_value(self, obj, name):
        """Allergy names as text in the table."""
        if name == "allergies":
            return ", ".join(row.allergies for row in obj.allergies)
        return super().table_value(obj, name)

    def admin_cell(self, obj, name):
        """Allergies in red, gender spelled out, the account as a username."""
        if name == "alergi":
            if not obj.allergies:
                return Markup('<span class="text-secondary small">Tidak ada</span>')
            return Markup(" ").join(
                Markup('<span class="badge text-bg-danger">{}</span>').format(row.allergies)
                for row in obj.allergies[:4]) + (
                Markup(' <span class="small text-danger">+{}</span>').format(
                    len(obj.allergies) - 4) if len(obj.allergies) > 4 else "")
        if name == "jenis_kelamin":
            return Markup("{}").format(GENDERS.get(obj.jenis_kelamin or "", "–"))
        if name == "akun":
            if obj.user is None:
                return Markup('<span class="text-secondary small">Belum terhubung</span>')
            return Markup('<i class="bi bi-person"></i> {}').format(obj.user.username)
        return None


# ---- allergies ------------------------------------------------------------------------------
@register
class PatientAllergies(Resource):
    """A patient's allergies; they follow the patient's reach. Office staff and the linked
    account write them; doctors read them."""

    name = "patient_allergies"
    model = PatientAllergy
    nested = {"patients": ("patients", "patient")}
    label, label_plural = "Alergi pasien", "Alergi pasien"
    admin_section = "Pasien"
    inputs = ("id_patients", "allergies", "diagnosa", "catatan_kaki")
    required = ("id_patients", "allergies")
    outputs = ("id", "created", "id_patients", "patients", "allergies", "diagnosa",
               "catatan_kaki")
    list_outputs = ("id", "created", "id_patients", "allergies", "diagnosa", "catatan_kaki")
    filters = {"id_patients": eq(PatientAllergy.id_patients),
               "allergies": like(PatientAllergy.allergies)}
    table_columns = ("id", "id_patients", "allergies", "diagnosa", "catatan_kaki", "created")
    table_exprs = {"pasien": _patient_column(PatientAllergy, Patient.nama_lengkap_pasien)}
    eager = (selectinload(PatientAllergy.patient),)
    access = {"read": OFFICE, "create": OFFICE, "update": OFFICE, "delete": OFFICE}
    own_actions = frozenset({"read", "create", "update", "delete"})
    admin_columns = ("allergies", "pasien", "diagnosa", "catatan_kaki", "created")
    labels = {"id": "ID", "id_patients": "ID pasien", "pasien": "Pasien", "allergies": "Alergi",
              "diagnosa": "Diagnosa", "catatan_kaki": "Catatan", "created": "Dicatat",
              "patients": "Pasien"}
    form_help = {"id_patients": "Lebih mudah: tambahkan alergi dari kartu pasien.",
                 "allergies": "Misalnya: Kerang, Penisilin, Lateks."}

    def visible_rows(self, stmt, actor):
        """Only allergies of live patients."""
        return stmt.where(PatientAllergy.id_patients.in_(
            select(Patient.id).where(Patient.deleted_at.is_(None))))

    def own_rows(self, stmt, actor):
        """Allergies of the patients the actor reaches."""
        return stmt.where(PatientAllergy.id_patients.in_(
            patient_ops.reachable_patient_ids(actor)))

    def check_change(self, obj, actor):
        """Office staff or the linked account change allergies."""
        if not patient_ops.may_manage_patient(actor, obj.patient):
            raise Forbidden("Alergi dicatat oleh staf klinik atau akun yang terhubung dengan "
                            "pasien.")

    def describe(self, obj):
        """Allergy and patient."""
        return f"{obj.allergies} ({obj.patient.nama_lengkap_pasien if obj.patient else '-'})"

    def validate(self, data, actor, obj=None):
        """A patient in reach (and that the actor may manage), a name, once per patient."""
        if obj is None:
            patient = patient_ops.patient_in_reach(actor, data.get("id_patients"))
            if not patient_ops.may_manage_patient(actor, patient):
                raise Forbidden("Alergi dicatat oleh staf klinik atau akun yang terhubung "
                                "dengan pasien.")
            patient_id = patient.id
        else:
            patient_id = obj.id_patients
            if "id_patients" in data and data["id_patients"] != obj.id_patients:
                raise Invalid(fields={"id_patients": "Alergi tidak dapat dipindahkan ke pasien "
                                                     "lain."})
        if "allergies" in data:
            data["allergies"] = " ".join((data["allergies"] or "").split())
            if not data["allergies"]:
                raise Invalid(fields={"allergies": "Wajib diisi."})
            taken = select(PatientAllergy.id).where(
                PatientAllergy.id_patients == patient_id,
                func.lower(PatientAllergy.allergies) == data["allergies"].lower())
            if obj is not None:
                taken = taken.where(PatientAllergy.id != obj.id)
            if db.session.execute(taken.limit(1)).first():
                raise Invalid(fields={"allergies": "Alergi ini sudah tercatat untuk pasien."})
        for name in ("diagnosa", "catatan_kaki"):
            if name in data and data[name] is None:
                data[name] = "-"
        return data


    def out_pasien(self, obj):
        """The patient's name (admin list)."""
        return obj.patient.nama_lengkap_pasien if obj.patient else ""


# ---- medical records ------------------------------------------------------------------------
@register
class MedicalRecords(Resource):
    """Medical records. Office staff and the doctors treating the patient write them; the
    linked customer reads only verified ones. A verified record is locked (409) until the
    doctor unverifies it; every change first keeps the previous version; every read and
    change is written to the audit log (object "patients", the patient's id)."""

    name = "patient_rekam_medis"
    model = MedicalRecord
    nested = {"patients": ("patients", "patient"), "verified_user": ("users", "verifier")}
    label, label_plural = "Rekam medis", "Rekam medis"
    admin_section = "Pasien"
    inputs = ("id_patients", "tanggal_konsul", "keluhan", "diagnosa", "catatan_kaki")
    required = ("id_patients", "tanggal_konsul")
    outputs = ("id", "id_patients", "patients", "tanggal_konsul", "keluhan", "diagnosa",
               "catatan_kaki", "verified_iduser", "verified_user", "verified_at",
               "is_verified", "version", "id_users_author", "created", "updated")
    list_outputs = ("id", "id_patients", "tanggal_konsul", "keluhan", "diagnosa",
                    "catatan_kaki", "verified_iduser", "is_verified", "verified_at", "version")
    filters = {"id_patients": eq(MedicalRecord.id_patients),
               "is_verified": eq(MedicalRecord.is_verified)}
    table_columns = ("id", "id_patients", "tanggal_konsul", "keluhan", "diagnosa",
                     "catatan_kaki", "verified_iduser", "is_verified")
    table_exprs = {"pasien": _patient_column(MedicalRecord, Patient.nama_lengkap_pasien),
                   "status_verifikasi": MedicalRecord.is_verified}
    order_by = (MedicalRecord.tanggal_konsul.desc(), MedicalRecord.id.desc())
    eager = (selectinload(MedicalRecord.patient),
             selectinload(MedicalRecord.verifier).selectinload(User.departments)
             .selectinload(UserDepartment.department))
    access = {"read": OFFICE, "create": OFFICE, "update": OFFICE, "delete": OFFICE}
    own_actions = frozenset({"read", "create", "update", "delete"})
    admin_columns = ("tanggal_konsul", "pasien", "keluhan", "diagnosa", "status_verifikasi",
                     "version")
    admin_detail = ("pasien", "tanggal_konsul", "keluhan", "diagnosa", "catatan_kaki",
                    "status_verifikasi", "version")
    admin_filters = ("is_verified",)
    labels = {"id": "ID", "id_patients": "ID pasien", "pasien": "Pasien",
              "tanggal_konsul": "Tanggal konsultasi", "keluhan": "Keluhan",
              "diagnosa": "Diagnosa", "catatan_kaki": "Catatan", "is_verified": "Verifikasi",
              "status_verifikasi": "Verifikasi", "version": "Versi",
              "verified_iduser": "Diverifikasi oleh"}
    choices = {"is_verified": [("1", "Terverifikasi"), ("0", "Belum diverifikasi")]}
    form_help = {"id_patients": "Lebih mudah: tulis rekam medis dari kartu pasien.",
                 "tanggal_konsul": "Tanggal konsultasi, tidak boleh di masa depan."}

    # reach
    def visible_rows(self, stmt, actor):
        """Only records of live patients."""
        return stmt.where(MedicalRecord.id_patients.in_(
            select(Patient.id).where(Patient.deleted_at.is_(None))))

    def own_rows(self, stmt, actor):
        """Records of treated patients (doctor); verified records of linked patients."""
        return stmt.where(patient_ops.record_condition(actor))

    def check_change(self, obj, actor):
        """Written by office staff and treating doctors only; locked while verified."""
        if not patient_ops.may_write_records(actor, obj.id_patients):
            raise Forbidden("Rekam medis hanya ditulis oleh dokter yang merawat atau staf "
                            "klinik.")
        if obj.is_verified:
            raise Conflict("Rekam medis sudah diverifikasi dan terkunci. Batalkan verifikasi "
                           "terlebih dahulu untuk mengubahnya.", error_code="record_verified")

    def after_read(self, rows, actor, action):
        """Who read which records goes to the audit log."""
        patient_ops.audit_record_reads(actor, rows, action)

    def describe(self, obj):
        """Date and patient."""
        patient = obj.patient.nama_lengkap_pasien if obj.patient else f"#{obj.id_patients}"
        return f"{day_text(obj.tanggal_konsul)} · {patient}"

    # input
    def validate(self, data, actor, obj=None):
        """A patient in reach that the actor may write records of; a consultation date not
        in the future; something written (complaint or diagnosis)."""
        if obj is None:
            patient = patient_ops.patient_in_reach(actor, data.get("id_patients"))
            if not patient_ops.may_write_records(actor, patient.id):
                raise Forbidden("Rekam medis hanya ditulis oleh dokter yang merawat atau staf "
                                "klinik.")
        elif "id_patients" in data and data["id_patients"] != obj.id_patients:
            raise Invalid(fields={"id_patients": "Rekam medis tidak dapat dipindahkan ke "
                                                 "pasien lain."})
        problems = {}
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
        keluhan = data.get("keluhan", obj.keluhan if obj else "")
        diagnosa = data.get("diagnosa", obj.diagnosa if obj else "")
        if not (keluhan or "").strip() and not (diagnosa or "").strip():
            problems["keluhan"] = "Isi keluhan atau diagnosa."
        if problems:
            raise Invalid(fields=problems)
        return data

    def apply(self, obj, data, actor):
        """On a change, keep the previous version first; a new record carries its author."""
        if obj.id is not None:
            changed = patient_ops.record_changes(obj, data)
            if changed:
                patient_ops.keep_version(obj, actor)
            audit.record("update_medical_record", actor, "patients", obj.id_patients,
                         f"rekam medis #{obj.id}: {', '.join(changed) or 'tanpa perubahan'}"
                         f" (versi {obj.version})")
        else:
            obj.id_users_author = actor.id
            obj.version = 1
            obj.is_verified = False
        super().apply(obj, data, actor)

    def after_save(self, obj, data, actor, created):
        """A new record is written to the audit log."""
        if created:
            audit.record("create_medical_record", actor, "patients", obj.id_patients,
                         f"rekam medis #{obj.id} ({day_text(obj.tanggal_konsul)})")

    def before_delete(self, obj, actor):
        """Keep the last version and write the removal to the audit log."""
        patient_ops.keep_version(obj, actor)
        audit.record("delete_medical_record", actor, "patients", obj.id_patients,
                     f"rekam medis #{obj.id} dihapus")

    # output

    def output(self, obj, name, actor):
        """`verified_user` is the verifying doctor's account, every key null while unverified."""
        if name == "verified_user" and obj.verifier is None:
            return dict.fromkeys(get_resource("users").brief_keys(actor))
        return super().output(obj, name, actor)

    def out_pasien(self, obj):
        """The patient's name (admin)."""
        return obj.patient.nama_lengkap_pasien if obj.patient else ""

    def out_status_verifikasi(self, obj):
        """Verification as staff read it."""
        return "Terverifikasi" if obj.is_verified else "Belum diverifikasi"

    def admin_cell(self, obj, name):
        """Verification badge; the complaint and diagnosis shortened."""
        if name == "status_verifikasi":
            if obj.is_verified:
                return Markup('<span class="badge text-bg-success"><i class="bi bi-patch-check">'
                              '</i> Terverifikasi</span>')
            return Markup('<span class="badge text-bg-warning">Belum diverifikasi</span>')
        return None
