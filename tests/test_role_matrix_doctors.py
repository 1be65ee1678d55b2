"""Who may do what on doctors, doctor services, practice windows (schedules) and slots
(doctor_schedules): every route × every role.

The expected statuses are written out below from the clinic's rules, not derived from the
declarations: browsing is public (the app shows doctors and their schedule); managers (ADMIN,
OWNER) keep doctors and their prices; the front desk (USERS) also keeps the weekly schedule
(windows, slots, generate, activate/unactivate); a doctor keeps their own windows and slots
("OWN": the doctor the row belongs to) but never another doctor's ("DOCTOR": some other doctor),
nor a price or a profile. Customers change nothing here.

Every call works on a fresh target doctor T with an active offer, a window and a slot; create
bodies name T, so "OWN" is T's account creating for themselves."""
import itertools
import re

import pytest

from .conftest import make_user
from .factories.doctors import make_doctor, make_offer, make_slot, make_window, user_of
from .factories.treatments import make_service

ROLES = ("anonymous", "CUSTOMER", "DOCTOR", "OWN", "USERS", "ADMIN", "OWNER")
ANON = "anonymous"
_serial = itertools.count(1)


def E(anonymous, customer, doctor, own, users, admin, owner):
    """One row of the matrix, in the order of ROLES."""
    return dict(zip(ROLES, (anonymous, customer, doctor, own, users, admin, owner)))


MATRIX = {
    #                                              anon  CUST  DOC   OWN   USERS ADMIN OWNER
    # doctors: public reads; managers only write (a doctor does not change their profile).
    "POST doctors/create":                        E(401,  403,  403,  403,  403,  200,  200),
    "POST doctors/explore":                       E(200,  200,  200,  200,  200,  200,  200),
    "GET doctors/explore":                        E(200,  200,  200,  200,  200,  200,  200),
    "POST doctors/search":                        E(200,  200,  200,  200,  200,  200,  200),
    "POST doctors/table":                         E(200,  200,  200,  200,  200,  200,  200),
    "GET doctors/{?}":                            E(200,  200,  200,  200,  200,  200,  200),
    "PUT doctors/{?}/update":                     E(401,  403,  403,  403,  403,  200,  200),
    "POST doctors/{?}/update":                    E(401,  403,  403,  403,  403,  200,  200),
    "DELETE doctors/{?}/delete":                  E(401,  403,  403,  403,  403,  200,  200),
    # doctor services (prices): public reads; managers only write.
    "POST doctor_services/create":                E(401,  403,  403,  403,  403,  200,  200),
    "POST doctor_services/explore":               E(200,  200,  200,  200,  200,  200,  200),
    "GET doctor_services/explore":                E(200,  200,  200,  200,  200,  200,  200),
    "POST doctor_services/search":                E(200,  200,  200,  200,  200,  200,  200),
    "POST doctor_services/table":                 E(200,  200,  200,  200,  200,  200,  200),
    "GET doctor_services/{?}":                    E(200,  200,  200,  200,  200,  200,  200),
    "PUT doctor_services/{?}/update":             E(401,  403,  403,  403,  403,  200,  200),
    "POST doctor_services/{?}/update":            E(401,  403,  403,  403,  403,  200,  200),
    "DELETE doctor_services/{?}/delete":          E(401,  403,  403,  403,  403,  200,  200),
    # practice windows: public reads; office and the doctor themselves write.
    "POST schedules/create":                      E(401,  403,  403,  200,  200,  200,  200),
    "POST schedules/explore":                     E(200,  200,  200,  200,  200,  200,  200),
    "GET schedules/explore":                      E(200,  200,  200,  200,  200,  200,  200),
    "POST schedules/search":                      E(200,  200,  200,  200,  200,  200,  200),
    "POST schedules/table":                       E(200,  200,  200,  200,  200,  200,  200),
    "GET schedules/{?}":                          E(200,  200,  200,  200,  200,  200,  200),
    "PUT schedules/{?}/update":                   E(401,  403,  403,  200,  200,  200,  200),
    "POST schedules/{?}/update":                  E(401,  403,  403,  200,  200,  200,  200),
    "DELETE schedules/{?}/delete":                E(401,  403,  403,  200,  200,  200,  200),
    # slots: public reads; office and the doctor themselves write, open, close, generate.
    "POST doctor_schedules/create":               E(401,  403,  403,  200,  200,  200,  200),
    "POST doctor_schedules/explore":              E(200,  200,  200,  200,  200,  200,  200),
    "GET doctor_schedules/explore":               E(200,  200,  200,  200,  200,  200,  200),
    "POST doctor_schedules/search":               E(200,  200,  200,  200,  200,  200,  200),
    "POST doctor_schedules/table":                E(200,  200,  200,  200,  200,  200,  200),
    "GET doctor_schedules/{?}":                   E(200,  200,  200,  200,  200,  200,  200),
    "PUT doctor_schedules/{?}/update":            E(401,  403,  403,  200,  200,  200,  200),
    "POST doctor_schedules/{?}/update":           E(401,  403,  403,  200,  200,  200,  200),
    "DELETE doctor_schedules/{?}/delete":         E(401,  403,  403,  200,  200,  200,  200),
    "POST doctor_schedules/generate":             E(401,  403,  403,  200,  200,  200,  200),
    "PUT doctor_schedules/{?}/activate":          E(401,  403,  403,  200,  200,  200,  200),
    "PUT doctor_schedules/{?}/unactivate":        E(401,  403,  403,  200,  200,  200,  200),
}

RESOURCES = ("doctors", "doctor_services", "schedules", "doctor_schedules")


class World:
    """A target doctor T with an offer, a Monday window and a Monday slot."""

    def __init__(self):
        self.doctor = make_doctor()
        self.offer = make_offer(self.doctor, make_service(buffer_time=30))
        self.window = make_window(self.doctor, hari="Senin", jam="09:00", jam_selesai="12:00")
        self.slot = make_slot(self.offer, hari="Senin", jam="09:00")

    def target(self, resource):
        return {"doctors": self.doctor, "doctor_services": self.offer,
                "schedules": self.window, "doctor_schedules": self.slot}[resource]


def create_body(resource, world):
    """A valid create body naming the target doctor."""
    number = next(_serial)
    if resource == "doctors":
        return {"id_users": make_user(roles=("USERS",)).id, "custom_price": 200000}
    if resource == "doctor_services":
        return {"id_doctors": world.doctor.id, "id_services": make_service().id,
                "custom_price": 300000, "doctor_buffer_time": 10}
    if resource == "schedules":
        return {"id_doctors": world.doctor.id, "hari": "Selasa",
                "jam": f"{8 + number % 10:02d}:00", "jam_selesai": f"{8 + number % 10:02d}:30"}
    return {"id_doctors": world.doctor.id, "id_doctor_services": world.offer.id,
            "hari": "Rabu", "jam": "17:00"}


UPDATE_BODIES = {
    "doctors": {"short_description": "Diubah"},
    "doctor_services": {"doctor_buffer_time": 5},
    "schedules": {"jam_selesai": "12:30"},
    "doctor_schedules": {"jam": "09:30"},
}


def perform(client, headers, route, world):
    """Call one route with these headers; returns the response."""
    method, path = route.split(" ", 1)
    resource, _, rest = path.partition("/")
    if rest == "create":
        return client.post(f"/api/{resource}/create", headers=headers,
                           json=create_body(resource, world))
    if rest == "generate":
        return client.post("/api/doctor_schedules/generate", headers=headers,
                           json={"id_doctors": world.doctor.id})
    if rest in ("explore", "search", "table"):
        if rest == "table":
            return client.post(f"/api/{resource}/table", headers=headers,
                               data={"draw": "1", "start": "0", "length": "50"})
        if method == "GET":
            return client.get(f"/api/{resource}/explore?page=1&length=50", headers=headers)
        return client.post(f"/api/{resource}/{rest}", headers=headers, json={})
    url = f"/api/{resource}/{world.target(resource).id}"
    if rest == "{?}":
        return client.get(url, headers=headers)
    if rest == "{?}/update":
        return client.open(url + "/update", method=method, headers=headers,
                           json=UPDATE_BODIES[resource])
    if rest == "{?}/delete":
        return client.delete(url + "/delete", headers=headers)
    if rest in ("{?}/activate", "{?}/unactivate"):
        return client.put(url + "/" + rest.split("/")[1], headers=headers)
    raise AssertionError(f"no way to call {route}")


@pytest.mark.parametrize("route", list(MATRIX))
def test_role_matrix(client, auth, route):
    other_doctor = make_doctor()
    headers = {ANON: {}, "DOCTOR": auth.headers(user_of(other_doctor))}
    headers.update({role: auth.headers(make_user(roles=(role,)))
                    for role in ("CUSTOMER", "USERS", "ADMIN", "OWNER")})
    failures = []
    for role in ROLES:
        world = World()
        role_headers = auth.headers(user_of(world.doctor)) if role == "OWN" else headers[role]
        expected = MATRIX[route][role]
        response = perform(client, role_headers, route, world)
        if response.status_code != expected:
            failures.append(f"{route} as {role}: got {response.status_code}, expected "
                            f"{expected} — {response.get_data(as_text=True)[:200]}")
        elif expected != 200:
            assert response.get_json()["status"] == "error"
    assert not failures, "\n" + "\n".join(failures)


def test_matrix_covers_every_route(app):
    """Every /api route of the four resources has a row, for every method it answers."""
    routes = set()
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<[^>]+>", "{?}", rule.rule.removeprefix("/api/"))
        if not rule.rule.startswith("/api/") or path.split("/")[0] not in RESOURCES:
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            routes.add(f"{method} {path}")
    assert len(routes) == len(MATRIX) == 39
    assert routes == set(MATRIX), (sorted(routes - set(MATRIX)), sorted(set(MATRIX) - routes))
