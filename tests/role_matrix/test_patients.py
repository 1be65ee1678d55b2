"""Who reaches which patient, allergy and medical record: every route × every kind of caller.

The expectations are written out from the clinic's rules, not derived from the declarations:
- the patient P is linked to the customer CUST and has an appointment with the doctor DOC;
  FOREIGN is another customer, OTHER_DOC a doctor who treats someone else;
- office staff (USERS, ADMIN, OWNER) reach every patient; CUST the patients linked to them
  (and creates and manages them); DOC reads P and writes P's medical records, but does not
  change P's identity or allergies; FOREIGN and OTHER_DOC do not know P exists (404, and
  lists without P; a reference to P in a body is 422 like an unknown id);
- medical records (clinical safety): only DOC, who treats P, writes, changes and deletes
  them; office staff read them (writing is 403 for them); CUST reads only the verified ones
  and writes none; a verified record is locked (409) for DOC; only a doctor verifies (staff
  403), and only the verifying doctor unverifies;
- users/patients/link is office work; unlink also by the linked customer.

"sees"/"blind" mean 200 with/without the target in the list."""
from models import Patient, db
from tests.conftest import make_user
from tests.factories.patients import (make_allergy, make_appointment_with, make_doctor_account,
                                      make_medical_record, make_patient)

from .base import RoleMatrix, Rows, next_number, picture, plain_users, resource_of, row_builder

CALLERS = ("anonymous", "CUSTOMER", "FOREIGN", "DOCTOR", "OTHER_DOCTOR", "USERS", "ADMIN",
           "OWNER")
E = row_builder(CALLERS)
SEES = Rows("target", match="includes", name="sees")
BLIND = Rows("target", match="excludes", name="blind")

MATRIX = {
    #                                                      anon CUST FRGN DOC  ODOC USERS ADMIN OWNER
    # patients
    ("POST patients/create", "-"):                      E(401, 200, 200, 403, 403, 200, 200, 200),
    ("POST patients/explore", "P"):                     E(401, SEES, BLIND, SEES, BLIND, SEES, SEES, SEES),
    ("GET patients/explore", "P"):                      E(401, SEES, BLIND, SEES, BLIND, SEES, SEES, SEES),
    ("POST patients/search", "P"):                      E(401, SEES, BLIND, SEES, BLIND, SEES, SEES, SEES),
    ("POST patients/table", "P"):                       E(401, SEES, BLIND, SEES, BLIND, SEES, SEES, SEES),
    ("GET patients/{?}", "P"):                          E(401, 200, 404, 200, 404, 200, 200, 200),
    ("PUT patients/{?}/update", "P"):                   E(401, 200, 404, 403, 404, 200, 200, 200),
    ("POST patients/{?}/update", "P"):                  E(401, 200, 404, 403, 404, 200, 200, 200),
    ("PUT patients/{?}/update/address", "P"):           E(401, 200, 404, 403, 404, 200, 200, 200),
    ("DELETE patients/{?}/delete", "P"):                E(401, 200, 404, 403, 404, 200, 200, 200),
    ("POST patients/picture/upload", "P"):              E(401, 200, 404, 403, 404, 200, 200, 200),
    # allergies of P
    ("POST patient_allergies/create", "for P"):         E(401, 200, 422, 403, 422, 200, 200, 200),
    ("POST patient_allergies/explore", "of P"):         E(401, SEES, BLIND, SEES, BLIND, SEES, SEES, SEES),
    ("GET patient_allergies/explore", "of P"):          E(401, SEES, BLIND, SEES, BLIND, SEES, SEES, SEES),
    ("POST patient_allergies/search", "of P"):          E(401, SEES, BLIND, SEES, BLIND, SEES, SEES, SEES),
    ("POST patient_allergies/table", "of P"):           E(401, SEES, BLIND, SEES, BLIND, SEES, SEES, SEES),
    ("GET patient_allergies/{?}", "of P"):              E(401, 200, 404, 200, 404, 200, 200, 200),
    ("PUT patient_allergies/{?}/update", "of P"):       E(401, 200, 404, 403, 404, 200, 200, 200),
    ("POST patient_allergies/{?}/update", "of P"):      E(401, 200, 404, 403, 404, 200, 200, 200),
    ("DELETE patient_allergies/{?}/delete", "of P"):    E(401, 200, 404, 403, 404, 200, 200, 200),
    # medical records of P
    ("POST patient_rekam_medis/create", "for P"):       E(401, 403, 422, 200, 422, 403, 403, 403),
    ("POST patient_rekam_medis/explore", "unverified"): E(401, BLIND, BLIND, SEES, BLIND, SEES, SEES, SEES),
    ("POST patient_rekam_medis/explore", "verified"):   E(401, SEES, BLIND, SEES, BLIND, SEES, SEES, SEES),
    ("GET patient_rekam_medis/explore", "verified"):    E(401, SEES, BLIND, SEES, BLIND, SEES, SEES, SEES),
    ("POST patient_rekam_medis/search", "unverified"):  E(401, BLIND, BLIND, SEES, BLIND, SEES, SEES, SEES),
    ("POST patient_rekam_medis/search", "verified"):    E(401, SEES, BLIND, SEES, BLIND, SEES, SEES, SEES),
    ("POST patient_rekam_medis/table", "unverified"):   E(401, BLIND, BLIND, SEES, BLIND, SEES, SEES, SEES),
    ("POST patient_rekam_medis/table", "verified"):     E(401, SEES, BLIND, SEES, BLIND, SEES, SEES, SEES),
    ("GET patient_rekam_medis/{?}", "unverified"):      E(401, 404, 404, 200, 404, 200, 200, 200),
    ("GET patient_rekam_medis/{?}", "verified"):        E(401, 200, 404, 200, 404, 200, 200, 200),
    ("PUT patient_rekam_medis/{?}/update", "unverified"): E(401, 404, 404, 200, 404, 403, 403, 403),
    ("PUT patient_rekam_medis/{?}/update", "verified"): E(401, 403, 404, 409, 404, 403, 403, 403),
    ("POST patient_rekam_medis/{?}/update", "unverified"): E(401, 404, 404, 200, 404, 403, 403, 403),
    ("DELETE patient_rekam_medis/{?}/delete", "unverified"): E(401, 404, 404, 200, 404, 403, 403, 403),
    ("DELETE patient_rekam_medis/{?}/delete", "verified"): E(401, 403, 404, 409, 404, 403, 403, 403),
    ("PUT patient_rekam_medis/{?}/verify", "unverified"): E(401, 404, 404, 200, 404, 403, 403, 403),
    ("PUT patient_rekam_medis/{?}/verify", "verified"): E(401, 403, 404, 409, 404, 403, 403, 403),
    ("PUT patient_rekam_medis/{?}/unverify", "verified"): E(401, 403, 404, 200, 404, 403, 403, 403),
    ("PUT patient_rekam_medis/{?}/unverify", "unverified"): E(401, 404, 404, 409, 404, 403, 403, 403),
    # links between patients and customer accounts
    ("PUT users/patients/link", "P unlinked"):          E(401, 403, 403, 403, 403, 200, 200, 200),
    ("PUT users/patients/unlink", "P"):                 E(401, 200, 404, 403, 404, 200, 200, 200),
}


class TestPatientsRoleMatrix(RoleMatrix):
    """Every call on a fresh P (linked to CUST, with an appointment with DOC), P's allergy or
    a record of a fresh P."""

    callers = CALLERS
    matrix = MATRIX
    resources = ("patients", "patient_allergies", "patient_rekam_medis")
    route_count = 33
    change_bodies = {
        "patients/{?}/update": {"catatan": "Diubah", "allergies": ["Debu", "Kerang"]},
        "patients/{?}/update/address": {"kota": "BANDUNG", "lat": -6.9},
        "patient_allergies/{?}/update": {"diagnosa": "Ruam"},
        "patient_rekam_medis/{?}/update": {"diagnosa": "Dermatitis kontak iritan"},
        "patient_rekam_medis/{?}/verify": {"catatan_kaki": "Periksa lab"},
        "patient_rekam_medis/{?}/unverify": {"catatan_kaki": "Perlu koreksi"},
    }

    def people(self):
        """CUST and FOREIGN, DOC and OTHER_DOC (who treats FOREIGN's patient), the office."""
        self.customer = make_user(roles=("CUSTOMER",))
        self.foreign = make_user(roles=("CUSTOMER",))
        self.doctor = make_doctor_account()
        other_doctor = make_doctor_account()
        make_appointment_with(other_doctor, make_patient(self.foreign))  # treats someone
        return {"CUSTOMER": self.customer, "FOREIGN": self.foreign, "DOCTOR": self.doctor,
                "OTHER_DOCTOR": other_doctor, **plain_users("USERS", "ADMIN", "OWNER")}

    def covers(self, path):
        """The three resources and the users/patients actions."""
        return super().covers(path) or path.startswith("users/patients/")

    def patient(self, linked=True):
        """A fresh P: linked to CUST (unless not), with an appointment with DOC."""
        patient = make_patient(self.customer if linked else None,
                               nama_lengkap_pasien=f"Pasien Matriks {next_number()}")
        self.visit = make_appointment_with(self.doctor, patient)
        return patient

    def target_object(self, caller, route, target):
        """A fresh P, an allergy of a fresh P, or a record of a fresh P (verified by DOC when
        the target says so)."""
        resource = resource_of(route)
        if resource == "patients":
            return self.patient()
        if resource == "patient_allergies":
            return make_allergy(self.patient(), allergies="Penisilin")
        return make_medical_record(self.patient(),
                                   verified_by=self.doctor if target == "verified" else None)

    def seed_list(self, route, target):
        """The target the list must (not) show."""
        self.listed = self.target_object(None, route, target)

    def row_ids(self, label, caller, route):
        """The target of the list call."""
        return {self.listed.id}

    def create_request(self, caller, resource, target):
        """A new patient, or an allergy or a record for a fresh P (linked to P's appointment
        with DOC)."""
        if resource == "patients":
            return {"json": {"nama_lengkap_pasien": f"Pasien Baru {next_number()}",
                             "jenis_kelamin": "P", "tanggal_lahir": "01/02/2015",
                             "allergies": ["Debu"]}}
        if resource == "patient_allergies":
            return {"json": {"id_patients": self.patient().id, "allergies": "Lateks"}}
        patient = self.patient()  # linked to its appointment with DOC: the link changes no row
        return {"json": {"id_patients": patient.id, "tanggal_konsul": "01/03/2024",
                         "keluhan": "Gatal", "diagnosa": "Dermatitis",
                         "id_user_schedules": self.visit.id}}

    def upload_picture(self, caller, method, target):
        """POST patients/picture/upload for a fresh P."""
        return self.call(caller, "POST", "/api/patients/picture/upload", data={
            "id_patients": str(self.patient().id), "picture": picture()},
            content_type="multipart/form-data")

    def link(self, caller, method, target):
        """PUT users/patients/link: an unlinked P to a new customer."""
        patient = self.patient(linked=False)
        return self.call(caller, "PUT", "/api/users/patients/link", json={
            "id_patients": patient.id, "id_users": make_user(roles=("CUSTOMER",)).id})

    def unlink(self, caller, method, target):
        """PUT users/patients/unlink: P from CUST."""
        return self.call(caller, "PUT", "/api/users/patients/unlink",
                         json={"id_patients": self.patient().id})

    custom_calls = {"patients/picture/upload": upload_picture,
                    "users/patients/link": link, "users/patients/unlink": unlink}


def test_customer_create_is_linked_to_the_customer(client, auth):
    """The CUSTOMER row of "POST patients/create" above: the new patient is theirs."""
    customer = make_user(roles=("CUSTOMER",))
    body = client.post("/api/patients/create", headers=auth.headers(customer),
                       json={"nama_lengkap_pasien": "Anak Saya"}).get_json()
    assert body["patients"]["id_users"] == customer.id
    assert db.session.get(Patient, body["patients"]["id"]).id_users == customer.id
