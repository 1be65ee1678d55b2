"""Who reaches which patient, allergy and medical record: every route × every kind of caller.

The expectations are written out from the clinic's rules, not derived from the declarations:
- the patient P is linked to the customer CUST and has an appointment with the doctor DOC;
  FOREIGN is another customer, OTHER_DOC a doctor who treats someone else;
- office staff (USERS, ADMIN, OWNER) reach every patient; CUST the patients linked to them
  (and creates and manages them); DOC reads P and writes P's medical records, but does not
  change P's identity or allergies; FOREIGN and OTHER_DOC do not know P exists (404, and
  lists without P; a reference to P in a body is 422 like an unknown id);
- medical records: CUST reads only the verified ones and writes none; a verified record is
  locked (409) for everyone who may write it; only a doctor verifies (staff 403), and only
  the verifying doctor unverifies;
- users/patients/link is office work; unlink also by the linked customer.

"sees"/"blind" mean 200 with/without the target in the list."""
import io
import itertools
import re

import pytest

from models import Patient, db

from .conftest import make_user, png_bytes
from .factories.patients import (make_allergy, make_appointment_with, make_doctor_account,
                                 make_medical_record, make_patient)

ROLES = ("anonymous", "CUSTOMER", "FOREIGN", "DOCTOR", "OTHER_DOCTOR", "USERS", "ADMIN",
         "OWNER")
SEES, BLIND = "sees", "blind"
_serial = itertools.count(1)


def E(anonymous, customer, foreign, doctor, other_doctor, users, admin, owner):
    """One row of the matrix, in the order of ROLES."""
    return dict(zip(ROLES, (anonymous, customer, foreign, doctor, other_doctor, users, admin,
                            owner)))


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
    ("POST patient_rekam_medis/create", "for P"):       E(401, 403, 422, 200, 422, 200, 200, 200),
    ("POST patient_rekam_medis/explore", "unverified"): E(401, BLIND, BLIND, SEES, BLIND, SEES, SEES, SEES),
    ("POST patient_rekam_medis/explore", "verified"):   E(401, SEES, BLIND, SEES, BLIND, SEES, SEES, SEES),
    ("GET patient_rekam_medis/explore", "verified"):    E(401, SEES, BLIND, SEES, BLIND, SEES, SEES, SEES),
    ("POST patient_rekam_medis/search", "unverified"):  E(401, BLIND, BLIND, SEES, BLIND, SEES, SEES, SEES),
    ("POST patient_rekam_medis/search", "verified"):    E(401, SEES, BLIND, SEES, BLIND, SEES, SEES, SEES),
    ("POST patient_rekam_medis/table", "unverified"):   E(401, BLIND, BLIND, SEES, BLIND, SEES, SEES, SEES),
    ("POST patient_rekam_medis/table", "verified"):     E(401, SEES, BLIND, SEES, BLIND, SEES, SEES, SEES),
    ("GET patient_rekam_medis/{?}", "unverified"):      E(401, 404, 404, 200, 404, 200, 200, 200),
    ("GET patient_rekam_medis/{?}", "verified"):        E(401, 200, 404, 200, 404, 200, 200, 200),
    ("PUT patient_rekam_medis/{?}/update", "unverified"): E(401, 404, 404, 200, 404, 200, 200, 200),
    ("PUT patient_rekam_medis/{?}/update", "verified"): E(401, 403, 404, 409, 404, 409, 409, 409),
    ("POST patient_rekam_medis/{?}/update", "unverified"): E(401, 404, 404, 200, 404, 200, 200, 200),
    ("DELETE patient_rekam_medis/{?}/delete", "unverified"): E(401, 404, 404, 200, 404, 200, 200, 200),
    ("DELETE patient_rekam_medis/{?}/delete", "verified"): E(401, 403, 404, 409, 404, 409, 409, 409),
    ("PUT patient_rekam_medis/{?}/verify", "unverified"): E(401, 404, 404, 200, 404, 403, 403, 403),
    ("PUT patient_rekam_medis/{?}/verify", "verified"): E(401, 403, 404, 409, 404, 403, 403, 403),
    ("PUT patient_rekam_medis/{?}/unverify", "verified"): E(401, 403, 404, 200, 404, 403, 403, 403),
    ("PUT patient_rekam_medis/{?}/unverify", "unverified"): E(401, 404, 404, 409, 404, 403, 403, 403),
    # links between patients and customer accounts
    ("PUT users/patients/link", "P unlinked"):          E(401, 403, 403, 403, 403, 200, 200, 200),
    ("PUT users/patients/unlink", "P"):                 E(401, 200, 404, 403, 404, 200, 200, 200),
}

RESOURCES = ("patients", "patient_allergies", "patient_rekam_medis")


class Cast:
    """The people of the matrix, signed in once per test."""

    def __init__(self, auth):
        self.customer = make_user(roles=("CUSTOMER",))
        self.foreign = make_user(roles=("CUSTOMER",))
        self.doctor = make_doctor_account()
        self.other_doctor = make_doctor_account()
        make_appointment_with(self.other_doctor, make_patient(self.foreign))  # treats someone
        users = {"CUSTOMER": self.customer, "FOREIGN": self.foreign, "DOCTOR": self.doctor,
                 "OTHER_DOCTOR": self.other_doctor, "USERS": make_user(roles=("USERS",)),
                 "ADMIN": make_user(roles=("ADMIN",)), "OWNER": make_user(roles=("OWNER",))}
        self.headers = {"anonymous": {}}
        self.headers.update({role: auth.headers(user) for role, user in users.items()})

    def patient(self, linked=True):
        """A fresh P: linked to CUST (unless not), with an appointment with DOC."""
        patient = make_patient(self.customer if linked else None,
                               nama_lengkap_pasien=f"Pasien Matriks {next(_serial)}")
        make_appointment_with(self.doctor, patient)
        return patient

    def record(self, verified):
        """A fresh record of a fresh P (verified by DOC when asked)."""
        return make_medical_record(self.patient(), verified_by=self.doctor if verified else None)


def _in_list(response, resource, target_id):
    """Whether the list answer (explore, search or table) contains the target."""
    body = response.get_json()
    if "data" in body and body["data"] and isinstance(body["data"][0], list):
        return any(row[0] == target_id for row in body["data"])
    rows = body.get("data") if "data" in body else body.get(resource, [])
    return any(row["id"] == target_id for row in rows)


def perform(client, cast, headers, route, variant):
    """Call one route as one caller on a fresh target; returns (response, target id)."""
    method, path = route.split(" ", 1)
    resource, _, rest = path.partition("/")
    if path == "users/patients/link":
        patient = cast.patient(linked=False)
        return client.put("/api/users/patients/link", headers=headers, json={
            "id_patients": patient.id, "id_users": make_user(roles=("CUSTOMER",)).id}), None
    if path == "users/patients/unlink":
        patient = cast.patient()
        return client.put("/api/users/patients/unlink", headers=headers,
                          json={"id_patients": patient.id}), None
    if resource == "patients":
        if rest == "create":
            return client.post("/api/patients/create", headers=headers, json={
                "nama_lengkap_pasien": f"Pasien Baru {next(_serial)}", "jenis_kelamin": "P",
                "tanggal_lahir": "01/02/2015", "allergies": ["Debu"]}), None
        target = cast.patient()
    elif resource == "patient_allergies":
        if rest == "create":
            return client.post("/api/patient_allergies/create", headers=headers, json={
                "id_patients": cast.patient().id, "allergies": "Lateks"}), None
        target = make_allergy(cast.patient(), allergies="Penisilin")
    else:
        if rest == "create":
            return client.post("/api/patient_rekam_medis/create", headers=headers, json={
                "id_patients": cast.patient().id, "tanggal_konsul": "01/03/2024",
                "keluhan": "Gatal", "diagnosa": "Dermatitis"}), None
        target = cast.record(verified=variant == "verified")
    target_id = target.id
    if rest in ("explore", "search", "table"):
        if rest == "table":
            return client.post(f"/api/{resource}/table", headers=headers,
                               data={"draw": "1", "start": "0", "length": "100"}), target_id
        if method == "GET":
            return client.get(f"/api/{resource}/explore?page=1&length=100",
                              headers=headers), target_id
        url = f"/api/{resource}/{rest}" + ("?page=1&length=100" if rest == "explore" else "")
        return client.post(url, headers=headers, json={}), target_id
    if rest == "picture/upload":
        return client.post("/api/patients/picture/upload", headers=headers, data={
            "id_patients": str(target_id), "picture": (io.BytesIO(png_bytes()), "foto.png")},
            content_type="multipart/form-data"), target_id
    url = f"/api/{resource}/{target_id}"
    if rest == "{?}":
        return client.get(url, headers=headers), target_id
    if rest == "{?}/delete":
        return client.delete(url + "/delete", headers=headers), target_id
    bodies = {"patients/{?}/update": {"catatan": "Diubah", "allergies": ["Debu", "Kerang"]},
              "patients/{?}/update/address": {"kota": "BANDUNG", "lat": -6.9},
              "patient_allergies/{?}/update": {"diagnosa": "Ruam"},
              "patient_rekam_medis/{?}/update": {"diagnosa": "Dermatitis kontak iritan"},
              "patient_rekam_medis/{?}/verify": {"catatan_kaki": "Periksa lab"},
              "patient_rekam_medis/{?}/unverify": {"catatan_kaki": "Perlu koreksi"}}
    suffix = rest.removeprefix("{?}")
    return client.open(url + suffix, method=method, headers=headers,
                       json=bodies[path]), target_id


@pytest.mark.parametrize("row", list(MATRIX), ids=[f"{route} [{variant}]"
                                                    for route, variant in MATRIX])
def test_role_matrix(client, auth, row):
    route, variant = row
    cast = Cast(auth)
    resource = route.split(" ", 1)[1].split("/")[0]
    failures = []
    for role in ROLES:
        expected = MATRIX[row][role]
        response, target_id = perform(client, cast, cast.headers[role], route, variant)
        status = expected if isinstance(expected, int) else 200
        if response.status_code != status:
            failures.append(f"{route} [{variant}] as {role}: got {response.status_code}, "
                            f"expected {expected} — {response.get_data(as_text=True)[:200]}")
            continue
        if status != 200:
            assert response.get_json()["status"] == "error"
        elif expected in (SEES, BLIND):
            if _in_list(response, resource, target_id) != (expected == SEES):
                failures.append(f"{route} [{variant}] as {role}: target "
                                f"{'missing from' if expected == SEES else 'visible in'} list")
    assert not failures, "\n" + "\n".join(failures)


def test_customer_create_is_linked_to_the_customer(client, auth):
    """The CUSTOMER row of "POST patients/create" above: the new patient is theirs."""
    customer = make_user(roles=("CUSTOMER",))
    body = client.post("/api/patients/create", headers=auth.headers(customer),
                       json={"nama_lengkap_pasien": "Anak Saya"}).get_json()
    assert body["patients"]["id_users"] == customer.id
    assert db.session.get(Patient, body["patients"]["id"]).id_users == customer.id


def test_matrix_covers_every_route(app):
    """Every /api route of the three resources and the users/patients actions has a row,
    for every method it answers."""
    routes = set()
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<[^>]+>", "{?}", rule.rule.removeprefix("/api/"))
        if not rule.rule.startswith("/api/"):
            continue
        if path.split("/")[0] not in RESOURCES and not path.startswith("users/patients/"):
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            routes.add(f"{method} {path}")
    covered = {route for route, _variant in MATRIX}
    assert len(routes) == 33
    assert routes == covered, (sorted(routes - covered), sorted(covered - routes))
