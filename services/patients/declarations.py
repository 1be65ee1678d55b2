"""Declarations of patients, allergies and medical records (`patient_rekam_medis`): the API
data contract. How staff see them is blueprints/views/patients.py.

Medical data: every query of the three follows the patient's reach (queries.py): office staff
(OWNER, ADMIN, USERS) reach every patient; a user the patients linked to their account; a
doctor the patients who have an appointment with them. Out of reach is 404. Customers create
and manage the patients linked to themselves; doctors read their patients and write their
medical records; the linked customer reads only verified records. The rules behind the hooks
are in operations.py."""
import re

from marshmallow import ValidationError, fields
from sqlalchemy.orm import joinedload, selectinload

from models import MedicalRecord, Patient, PatientAllergy, User, UserDepartment
from models.patients import SEARCHED
from services.access import OFFICE
from services.engine import get_resource
from services.engine.filters import custom, eq, id_filter, like, matches_text
from services.engine.resource import Resource, Upload, register
from services.format import day_text
from services.uploads import public_url

from . import operations as patient_ops
from . import queries as reach
from . import records

ALLERGIES_MAX = 30
ALLERGY_LENGTH = 150
ADDRESS_FIELDS = ("alamat_domisili", "provinsi", "kota", "kecamatan", "kode_provinsi",
                  "kode_kota", "kode_kecamatan", "lat", "lng")
EVERY_ACTION = frozenset({"read", "create", "update", "delete"})
OFFICE_ACCESS = {"read": OFFICE, "create": OFFICE, "update": OFFICE, "delete": OFFICE}


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


SEARCHED_COLUMNS = SEARCHED  # name, mobile number, external id, identity number


def keyword_filter(stmt, value):
    """Patients in whom every word of the text is found (any case, any order, anywhere in
    the word: a substring) in the name, mobile number, external id or identity number:
    "ambar rita" finds "Rita Ambar", "0812" the numbers holding it. The words are looked for
    in `search_text` (those four columns in lower case, kept by the model), which the index
    ix_patients_search holds with `deleted_at`: a search scans that narrow index, not the
    patients' wide rows (a substring search cannot seek a b-tree)."""
    condition = matches_text([Patient.search_text], value, words=True)
    return stmt if condition is None else get_resource("patients").text_searched(
        stmt.where(condition))


# MariaDB would otherwise take the live patients through ix_patients_deleted_at and read every
# row for its search_text; without it, it scans the covering ix_patients_search (or takes a
# better index, e.g. the linked account's). SQLite picks ix_patients_search by itself.
SEARCH_HINTS = {dialect: "IGNORE INDEX (ix_patients_deleted_at)"
                for dialect in ("mysql", "mariadb")}


# ---- patients -------------------------------------------------------------------------------
@register
class Patients(Resource):
    """Patients; customers manage the ones linked to their account, doctors read the ones they
    treat, office staff all. `allergies` (a list of names) is created with the patient and
    replaced when an update sends it."""

    name = "patients"
    model = Patient
    nested = {"users": ("users", "user")}
    label = "Pasien"
    inputs = ("id_users", "patient_external_id", "nama_lengkap_pasien", "tempat_lahir",
              "tanggal_lahir", "alamat_domisili", "nama_ibu_kandung", "jenis_kelamin",
              "nama_ayah", "no_identitas", "jenis_identitas", "catatan", "nama_wali",
              "hubungan_dengan_wali", "alamat_wali", "no_telp_wali", "alamat_identitas",
              "golongan_darah", "pekerjaan", "perusahaan_tempat_bekerja", "perusahaan_no_telp",
              "no_telp_rumah", "no_handphone", "provinsi", "kota", "kecamatan", "kode_provinsi",
              "kode_kota", "kode_kecamatan", "lat", "lng")
    required = ("nama_lengkap_pasien",)
    phone_inputs = ("no_telp_wali", "perusahaan_no_telp", "no_telp_rumah", "no_handphone")
    birth_date_inputs = ("tanggal_lahir",)
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
                      if column.key not in ("created", "updated", "deleted_at", "search_text")),
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
    table_exprs = {"users_fullname": reach.account_column(User.users_fullname),
                   "username": reach.account_column(User.username)}
    search_columns = ("search_text",)  # the table's and the list's text search, word by word
    #                                    (SEARCHED_COLUMNS, as in keyword_filter)
    search_words = True
    search_hints = SEARCH_HINTS
    # small collections joined into the page's statement, as Users.eager explains
    eager = (joinedload(Patient.allergies),
             joinedload(Patient.user).joinedload(User.departments)
             .joinedload(UserDepartment.department))
    # the lists do not nest the account: the table shows its name and username only
    list_eager = (joinedload(Patient.allergies),
                  joinedload(Patient.user).load_only(User.users_fullname, User.username))
    access = OFFICE_ACCESS
    own_actions = EVERY_ACTION
    upload = Upload(column="patient_picture", kind="patients", style="picture",
                    owner_field="id_patients")

    # reach
    def own_rows(self, stmt, actor):
        """Linked patients, and for a doctor the patients they treat."""
        return stmt.where(reach.patient_condition(actor))

    def is_own(self, actor, obj):
        """The patient is linked to the actor's account."""
        return actor is not None and obj.id_users == actor.id

    def check_change(self, obj, actor):
        """Office staff, or the linked account, change a patient — doctors only read."""
        patient_ops.refuse_patient_change(actor, obj)

    def describe(self, obj):
        """The patient's name."""
        return obj.nama_lengkap_pasien

    # input
    def validate(self, data, actor, obj=None):
        """Who the patient is linked to, gender L/P, blood group, birth date, coordinates,
        a unique external id."""
        return patient_ops.check_patient_input(data, actor, obj)

    def after_save(self, obj, data, actor, created):
        """Create the allergies sent with the patient, or replace them on an update."""
        if "allergies" in data:
            patient_ops.replace_allergies(obj, data["allergies"])

    def before_delete(self, obj, actor):
        """Not while the patient has an appointment still to come."""
        patient_ops.refuse_patient_removal(obj)

    # output
    def out_patient_picture_url(self, obj):
        """Absolute URL of the picture ("" when none)."""
        return public_url("patients", obj.patient_picture)

    def out_allergies(self, obj):
        """The allergies, oldest first, each in its brief shape."""
        allergies = get_resource("patient_allergies")
        return [allergies.brief(row) for row in obj.allergies]

    def out_users_fullname(self, obj):
        """The linked account's name."""
        return obj.user.users_fullname if obj.user else ""

    def out_username(self, obj):
        """The linked account's username."""
        return obj.user.username if obj.user else ""

    def table_value(self, obj, name):
        """Allergy names as text in the table."""
        if name == "allergies":
            return ", ".join(row.allergies for row in obj.allergies)
        return super().table_value(obj, name)


# ---- allergies ------------------------------------------------------------------------------
@register
class PatientAllergies(Resource):
    """A patient's allergies; they follow the patient's reach. Office staff and the linked
    account write them; doctors read them."""

    name = "patient_allergies"
    model = PatientAllergy
    nested = {"patients": ("patients", "patient")}
    label = "Alergi pasien"
    inputs = ("id_patients", "allergies", "diagnosa", "catatan_kaki")
    required = ("id_patients", "allergies")
    outputs = ("id", "created", "id_patients", "patients", "allergies", "diagnosa",
               "catatan_kaki")
    list_outputs = ("id", "created", "id_patients", "allergies", "diagnosa", "catatan_kaki")
    brief_fields = list_outputs  # as listed in a patient's `allergies`
    filters = {"id_patients": eq(PatientAllergy.id_patients),
               "allergies": like(PatientAllergy.allergies)}
    table_columns = ("id", "id_patients", "allergies", "diagnosa", "catatan_kaki", "created")
    eager = (selectinload(PatientAllergy.patient),)
    access = OFFICE_ACCESS
    own_actions = EVERY_ACTION

    def visible_rows(self, stmt, actor):
        """Only allergies of live patients."""
        return reach.of_live_patients(stmt, PatientAllergy)

    def own_rows(self, stmt, actor):
        """Allergies of the patients the actor reaches."""
        return stmt.where(PatientAllergy.id_patients.in_(reach.reachable_patient_ids(actor)))

    def check_change(self, obj, actor):
        """Office staff or the linked account change allergies."""
        patient_ops.refuse_allergy_change(actor, obj)

    def describe(self, obj):
        """Allergy and patient."""
        return f"{obj.allergies} ({obj.patient.nama_lengkap_pasien if obj.patient else '-'})"

    def validate(self, data, actor, obj=None):
        """A patient in reach (and that the actor may manage), a name, once per patient."""
        return patient_ops.check_allergy_input(data, actor, obj)


# ---- medical records ------------------------------------------------------------------------
@register
class MedicalRecords(Resource):
    """Medical records. Office staff read them; only the doctors treating the patient write
    them; the linked customer reads only verified ones. A record may name the appointment it
    belongs to (`id_user_schedules`). A verified record is locked (409) until the
    doctor unverifies it; every change first keeps the previous version; every read and
    change is written to the audit log (object "patients", the patient's id)."""

    name = "patient_rekam_medis"
    model = MedicalRecord
    nested = {"patients": ("patients", "patient"), "verified_user": ("users", "verifier")}
    label = "Rekam medis"
    # id_user_schedules (beyond the document): the appointment the record belongs to, one of
    # the patient's; tanggal_konsul defaults to today when a new record names none
    inputs = ("id_patients", "tanggal_konsul", "keluhan", "diagnosa", "catatan_kaki",
              "id_user_schedules")
    required = ("id_patients",)
    outputs = ("id", "id_patients", "patients", "tanggal_konsul", "keluhan", "diagnosa",
               "catatan_kaki", "verified_iduser", "verified_user", "verified_at",
               "is_verified", "version", "id_users_author", "id_user_schedules", "created",
               "updated")
    list_outputs = ("id", "id_patients", "tanggal_konsul", "keluhan", "diagnosa",
                    "catatan_kaki", "verified_iduser", "is_verified", "verified_at", "version",
                    "id_user_schedules")
    filters = {"id_patients": eq(MedicalRecord.id_patients),
               "is_verified": eq(MedicalRecord.is_verified),
               "id_user_schedules": id_filter(MedicalRecord.id_user_schedules)}
    table_columns = ("id", "id_patients", "tanggal_konsul", "keluhan", "diagnosa",
                     "catatan_kaki", "verified_iduser", "is_verified")
    order_by = (MedicalRecord.tanggal_konsul.desc(), MedicalRecord.id.desc())
    eager = (joinedload(MedicalRecord.patient),
             joinedload(MedicalRecord.verifier).selectinload(User.departments)
             .joinedload(UserDepartment.department))
    list_eager = ()  # the lists show the record's own columns only (the detail nests those)
    # clinical safety: the office reads every record; only the doctor treating the patient
    # writes, changes and deletes one (own rows, checked by check_change and validate)
    access = {"read": OFFICE, "create": frozenset(), "update": frozenset(),
              "delete": frozenset()}
    own_actions = EVERY_ACTION

    # reach
    def visible_rows(self, stmt, actor):
        """Only records of live patients."""
        return reach.of_live_patients(stmt, MedicalRecord)

    def own_rows(self, stmt, actor):
        """Records of treated patients (doctor); verified records of linked patients."""
        return stmt.where(reach.record_condition(actor))

    def check_change(self, obj, actor):
        """Written by treating doctors only; locked while verified."""
        records.refuse_record_change(actor, obj)

    def after_read(self, rows, actor, action):
        """Who read which records goes to the audit log."""
        reach.audit_record_reads(actor, rows, action)

    def describe(self, obj):
        """Date and patient."""
        patient = obj.patient.nama_lengkap_pasien if obj.patient else f"#{obj.id_patients}"
        return f"{day_text(obj.tanggal_konsul)} · {patient}"

    # input
    def validate(self, data, actor, obj=None):
        """A patient in reach that the actor may write records of; a consultation date not
        in the future (today by default); something written (complaint or diagnosis); the
        appointment, when named, one of the patient's."""
        return records.check_record_input(data, actor, obj)

    def apply(self, obj, data, actor):
        """On a change, keep the previous version first; a new record carries its author."""
        if obj.id is not None:
            records.before_record_update(obj, data, actor)
        else:
            records.start_record(obj, actor)
        super().apply(obj, data, actor)

    def after_save(self, obj, data, actor, created):
        """A new record is written to the audit log."""
        if created:
            records.record_created(obj, actor)

    def before_delete(self, obj, actor):
        """Keep the last version and write the removal to the audit log."""
        records.before_record_removal(obj, actor)

    # output
    def output(self, obj, name, actor):
        """`verified_user` is the verifying doctor's account, every key null while unverified."""
        if name == "verified_user" and obj.verifier is None:
            return dict.fromkeys(get_resource("users").brief_keys(actor))
        return super().output(obj, name, actor)
