"""Who may do what with appointments (user_schedules): every route × every role, against an
appointment of the customer's own patient with "the doctor".

The expected statuses are written out below from the clinic's rules, not derived from the
declarations:
- the office (USERS, ADMIN, OWNER) sees and handles every appointment;
- a customer sees the appointments they booked or of the patients linked to them, books for
  those patients, reschedules and cancels them, but does not record arrival or completion;
  another customer's appointment does not exist for them (404);
- a doctor sees the appointments with them and records arrival and completion, but does not
  book, move or cancel; another doctor's appointment does not exist for them (404);
- only managers (ADMIN, OWNER) delete, and only cancelled appointments;
- availability is public; everything else needs a sign-in.

List cells name the appointments the caller must see — exactly those: "mine" (the
customer's patient with the doctor), "theirs" (the foreign customer's patient with the
other doctor) and "walk_in" (a patient without an account, with the doctor)."""
import itertools
import re
from datetime import time

import pytest

from models import clinic_now
from tests.conftest import make_user
from tests.factories.appointments import make_appointment, make_clinic, make_patient_of

ROLES = ("anonymous", "CUSTOMER", "FOREIGN_CUSTOMER", "DOCTOR", "OTHER_DOCTOR", "USERS",
         "ADMIN", "OWNER")
ALL = frozenset({"mine", "theirs", "walk_in"})
OWN_CUSTOMER = frozenset({"mine"})
OTHER_CUSTOMER = frozenset({"theirs"})
OWN_DOCTOR = frozenset({"mine", "walk_in"})
OTHER_DOCTOR = frozenset({"theirs"})


def E(anonymous, customer, foreign, doctor, other_doctor, users, admin, owner):
    """One row of the matrix, in the order of ROLES."""
    return dict(zip(ROLES, (anonymous, customer, foreign, doctor, other_doctor, users, admin,
                            owner)))


LISTS = E(401, OWN_CUSTOMER, OTHER_CUSTOMER, OWN_DOCTOR, OTHER_DOCTOR, ALL, ALL, ALL)
MATRIX = {
    #                                               anon  CUST  FOREIGN DOC  OTHERDOC USERS ADMIN OWNER
    # booking for the customer's patient
    "POST user_schedules/create":                  E(401,  200,  403,   403,  403,    200,  200,  200),
    # lists: each sees exactly their reach
    "POST user_schedules/explore":                 LISTS,
    "GET user_schedules/explore":                  LISTS,
    "POST user_schedules/search":                  LISTS,
    "POST user_schedules/table":                   LISTS,
    "POST user_schedules/timeline":                LISTS,
    # one appointment of the customer's patient with the doctor
    "GET user_schedules/{?}":                      E(401,  200,  404,   200,  404,    200,  200,  200),
    "PUT user_schedules/{?}/update":               E(401,  200,  404,   403,  404,    200,  200,  200),
    "POST user_schedules/{?}/update":              E(401,  200,  404,   403,  404,    200,  200,  200),
    "PUT user_schedules/{?}/reschedule":           E(401,  200,  404,   403,  404,    200,  200,  200),
    "POST user_schedules/{?}/reschedule":          E(401,  200,  404,   403,  404,    200,  200,  200),
    "PUT user_schedules/{?}/cancel":               E(401,  200,  404,   403,  404,    200,  200,  200),
    "PUT user_schedules/{?}/arrived":              E(401,  403,  404,   200,  404,    200,  200,  200),
    "PUT user_schedules/{?}/done":                 E(401,  403,  404,   200,  404,    200,  200,  200),
    # deleting: managers, a cancelled appointment
    "DELETE user_schedules/{?}/delete":            E(401,  403,  403,   403,  403,    403,  200,  200),
    # free slots: public
    "POST user_schedules/check/doctor/availability": E(200, 200, 200,   200,  200,    200,  200,  200),
}


class World:
    """The doctor (with many slots two days ahead), the other doctor, both customers."""

    def __init__(self, auth):
        starts = [time(7 + half // 2, 30 * (half % 2)) for half in range(26)]  # 07:00–19:30
        self.clinic = make_clinic(starts=starts, window=(time(7, 0), time(20, 30)))
        self.other = make_clinic(day=self.clinic["day"], starts=starts,
                                 window=(time(7, 0), time(20, 30)))
        self.customer = make_user(roles=("CUSTOMER",))
        self.foreign = make_user(roles=("CUSTOMER",))
        self.patient = make_patient_of(self.customer)
        self.foreign_patient = make_patient_of(self.foreign)
        self.walk_in = make_patient_of(None)
        self.slots = itertools.cycle(self.clinic["slots"])
        self.other_slots = itertools.cycle(self.other["slots"])
        self.users = {"CUSTOMER": self.customer, "FOREIGN_CUSTOMER": self.foreign,
                      "DOCTOR": self.clinic["doctor_user"],
                      "OTHER_DOCTOR": self.other["doctor_user"]}
        for role in ("USERS", "ADMIN", "OWNER"):
            self.users[role] = make_user(roles=(role,))
        self.headers = {"anonymous": {}}
        self.headers.update({role: auth.headers(user) for role, user in self.users.items()})
        self.today = 0

    def slot(self):
        return next(self.slots)

    def appointment(self, status="BOOKING", today=False):
        """A fresh appointment of the customer's patient with the doctor."""
        day = self.clinic["day"]
        if today:  # written directly (on a slot of another weekday: only the date matters)
            day = clinic_now().date()
        return make_appointment(self.clinic, slot=self.slot(), patient=self.patient, day=day,
                                status=status)

    def listed(self):
        """One appointment of each kind for the lists; their ids by label."""
        return {"mine": self.appointment().id,
                "theirs": make_appointment(self.other, slot=next(self.other_slots),
                                           patient=self.foreign_patient).id,
                "walk_in": make_appointment(self.clinic, slot=self.slot(), patient=self.walk_in).id}


def booking_body(world, slot):
    return {"id_doctors": world.clinic["doctor"].id, "id_services": world.clinic["service"].id,
            "id_doctor_schedules": slot.id, "tanggal": world.clinic["day"].strftime("%d/%m/%Y"),
            "jam": slot.jam.strftime("%H:%M"), "id_patients": world.patient.id}


def perform(client, world, role, route):
    """Call one route as one role; returns the response (lists show world.listed)."""
    method, path = route.split(" ", 1)
    rest = path.removeprefix("user_schedules/")
    headers = world.headers[role]
    day = world.clinic["day"].strftime("%d/%m/%Y")
    if rest == "create":
        return client.post("/api/user_schedules/create", headers=headers,
                           json=booking_body(world, world.slot()))
    if rest == "check/doctor/availability":
        return client.post("/api/" + path, headers=headers,
                           json={"id_doctors": world.clinic["doctor"].id})
    if rest in ("explore", "search", "table", "timeline"):
        if rest == "table":
            response = client.post("/api/user_schedules/table", headers=headers,
                                   data={"draw": "1", "length": "100"})
        elif rest == "timeline":
            response = client.post("/api/user_schedules/timeline", headers=headers,
                                   json={"date_from": day, "date_to": day})
        elif method == "GET":
            response = client.get("/api/user_schedules/explore?length=100", headers=headers)
        else:
            response = client.post(f"/api/user_schedules/{rest}", headers=headers, json={})
        return response
    status = {"{?}/done": "ARRIVED", "{?}/delete": "CANCEL"}.get(rest, "BOOKING")
    target = world.appointment(status=status, today=rest in ("{?}/arrived", "{?}/done"))
    url = f"/api/user_schedules/{target.id}"
    if rest == "{?}":
        return client.get(url, headers=headers)
    if rest in ("{?}/update", "{?}/reschedule"):
        return client.open(url + "/" + rest[4:], method=method, headers=headers,
                           json=booking_body(world, world.slot()))
    if rest == "{?}/cancel":
        return client.put(url + "/cancel", headers=headers,
                          json={"cancel_reason": "Berhalangan"})
    if rest == "{?}/arrived":
        return client.put(url + "/arrived", headers=headers)
    if rest == "{?}/done":
        return client.put(url + "/done", headers=headers,
                          json={"digisoft_invoice_numbers": "0001/2026/02-IORA"})
    if rest == "{?}/delete":
        return client.delete(url + "/delete", headers=headers)
    raise AssertionError(f"no way to call {route}")


def seen_ids(route, body):
    """The appointment ids a list answer shows."""
    if route.endswith("table"):
        return {row[0] for row in body["data"]}
    if route.endswith("timeline"):
        return {event["extendedProps"]["id"] for event in body["events"]}
    if route.endswith("search"):
        return {row["id"] for row in body["user_schedules"]}
    return {row["id"] for row in body["data"]}


@pytest.mark.parametrize("route", list(MATRIX))
def test_role_matrix(client, auth, route):
    world = World(auth)
    listed = world.listed()  # what the lists may show, made once
    failures = []
    for role in ROLES:
        expected = MATRIX[route][role]
        response = perform(client, world, role, route)
        if isinstance(expected, frozenset):
            if response.status_code != 200:
                failures.append(f"{route} as {role}: got {response.status_code}, expected a list")
                continue
            seen = seen_ids(route, response.get_json())
            wanted = {listed[label] for label in expected}
            if seen != wanted:
                names = {value: key for key, value in listed.items()}
                failures.append(f"{route} as {role}: sees {sorted(str(names.get(i, i)) for i in seen)}, "
                                f"expected {sorted(expected)}")
        elif response.status_code != expected:
            failures.append(f"{route} as {role}: got {response.status_code}, expected "
                            f"{expected} — {response.get_data(as_text=True)[:200]}")
        elif expected != 200:
            assert response.get_json()["status"] == "error"
    assert not failures, "\n" + "\n".join(failures)


def test_matrix_covers_every_route(app):
    """Every /api route of user_schedules has a row, for every method it answers."""
    routes = set()
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<[^>]+>", "{?}", rule.rule.removeprefix("/api/"))
        if not rule.rule.startswith("/api/user_schedules/"):
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            routes.add(f"{method} {path}")
    assert routes == set(MATRIX), (sorted(routes - set(MATRIX)), sorted(set(MATRIX) - routes))
    assert len(MATRIX) == 16


def test_a_doctor_who_is_also_staff_sees_everything(client, auth):
    """OWNER, ADMIN and USERS reach every appointment, whatever other role they hold."""
    world = World(auth)
    listed = world.listed()
    both = auth.headers(make_user(roles=("DOCTOR", "USERS")))
    answer = client.post("/api/user_schedules/search", headers=both, json={}).get_json()
    assert {row["id"] for row in answer["user_schedules"]} == set(listed.values())
