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
from datetime import time

from models import clinic_now
from tests.conftest import make_user
from tests.factories.appointments import make_appointment, make_clinic, make_patient_of

from .base import RoleMatrix, Rows, plain_users, row_builder

CALLERS = ("anonymous", "CUSTOMER", "FOREIGN_CUSTOMER", "DOCTOR", "OTHER_DOCTOR", "USERS",
           "ADMIN", "OWNER")
E = row_builder(CALLERS)
ALL = Rows("mine", "theirs", "walk_in")
OWN_CUSTOMER = Rows("mine")
OTHER_CUSTOMER = Rows("theirs")
OWN_DOCTOR = Rows("mine", "walk_in")
OTHER_DOCTOR = Rows("theirs")

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


class TestAppointmentsRoleMatrix(RoleMatrix):
    """The doctor (with many slots two days ahead), the other doctor, both customers; every
    call on a fresh appointment of the customer's patient with the doctor."""

    callers = CALLERS
    matrix = MATRIX
    resources = ("user_schedules",)
    route_count = 16
    change_bodies = {"user_schedules/{?}/cancel": {"cancel_reason": "Berhalangan"},
                     "user_schedules/{?}/done": {"digisoft_invoice_numbers": "0001/2026/02-IORA"}}

    def people(self):
        """Both customers with a patient each, both doctors, a walk-in patient, the office."""
        starts = [time(7 + half // 2, 30 * (half % 2)) for half in range(26)]  # 07:00–19:30
        self.clinic = make_clinic(starts=starts, window=(time(7, 0), time(20, 30)))
        self.other = make_clinic(day=self.clinic["day"], starts=starts,
                                 window=(time(7, 0), time(20, 30)))
        customer = make_user(roles=("CUSTOMER",))
        foreign = make_user(roles=("CUSTOMER",))
        self.patient = make_patient_of(customer)
        self.foreign_patient = make_patient_of(foreign)
        self.walk_in = make_patient_of(None)
        self.slots = itertools.cycle(self.clinic["slots"])
        self.other_slots = itertools.cycle(self.other["slots"])
        return {"CUSTOMER": customer, "FOREIGN_CUSTOMER": foreign,
                "DOCTOR": self.clinic["doctor_user"], "OTHER_DOCTOR": self.other["doctor_user"],
                **plain_users("USERS", "ADMIN", "OWNER")}

    def setup(self):
        """One appointment of each kind for the lists, made once: their ids by label."""
        self.listed = {
            "mine": self.appointment().id,
            "theirs": make_appointment(self.other, slot=next(self.other_slots),
                                       patient=self.foreign_patient).id,
            "walk_in": make_appointment(self.clinic, slot=next(self.slots),
                                        patient=self.walk_in).id}

    def appointment(self, status="BOOKING", today=False):
        """A fresh appointment of the customer's patient with the doctor."""
        day = self.clinic["day"]
        if today:  # written directly (on a slot of another weekday: only the date matters)
            day = clinic_now().date()
        return make_appointment(self.clinic, slot=next(self.slots), patient=self.patient,
                                day=day, status=status)

    def booking_body(self):
        """A booking of the customer's patient with the doctor on the next free slot."""
        slot = next(self.slots)
        return {"id_doctors": self.clinic["doctor"].id, "id_services": self.clinic["service"].id,
                "id_doctor_schedules": slot.id,
                "tanggal": self.clinic["day"].strftime("%d/%m/%Y"),
                "jam": slot.jam.strftime("%H:%M"), "id_patients": self.patient.id}

    def row_ids(self, label, caller, route):
        """The appointment made for the label."""
        return {self.listed[label]}

    def listed_ids(self, route, body):
        """The timeline shows events; the other lists rows."""
        if route.endswith("timeline"):
            return [event["extendedProps"]["id"] for event in body["events"]]
        return super().listed_ids(route, body)

    def create_request(self, caller, resource, target):
        """A booking for the customer's patient."""
        return {"json": self.booking_body()}

    def target_object(self, caller, route, target):
        """An appointment in the state the action starts from (arrival and completion today)."""
        action = route.rsplit("/", 1)[1]
        status = {"done": "ARRIVED", "delete": "CANCEL"}.get(action, "BOOKING")
        return self.appointment(status=status, today=action in ("arrived", "done"))

    def change_request(self, caller, path, target, obj):
        """Moving takes a new booking body; the other actions fixed bodies."""
        if path in ("user_schedules/{?}/update", "user_schedules/{?}/reschedule"):
            return {"json": self.booking_body()}
        return super().change_request(caller, path, target, obj)

    def timeline(self, caller, method, target):
        """POST user_schedules/timeline over the booking day."""
        day = self.clinic["day"].strftime("%d/%m/%Y")
        return self.call(caller, "POST", "/api/user_schedules/timeline",
                         json={"date_from": day, "date_to": day})

    def availability(self, caller, method, target):
        """POST user_schedules/check/doctor/availability for the doctor."""
        return self.call(caller, "POST", "/api/user_schedules/check/doctor/availability",
                         json={"id_doctors": self.clinic["doctor"].id})

    custom_calls = {"user_schedules/timeline": timeline,
                    "user_schedules/check/doctor/availability": availability}

    def test_a_doctor_who_is_also_staff_sees_everything(self):
        """OWNER, ADMIN and USERS reach every appointment, whatever other role they hold."""
        self.sign_in()
        self.setup()
        both = self.auth.headers(make_user(roles=("DOCTOR", "USERS")))
        answer = self.client.post("/api/user_schedules/search", headers=both, json={})
        assert {row["id"] for row in answer.get_json()["user_schedules"]} == \
            set(self.listed.values())
