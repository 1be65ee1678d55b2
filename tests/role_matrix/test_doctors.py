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
from tests.conftest import make_user
from tests.factories.doctors import make_doctor, make_offer, make_slot, make_window, user_of
from tests.factories.treatments import make_service

from .base import RoleMatrix, next_number, plain_users, resource_of, row_builder

CALLERS = ("anonymous", "CUSTOMER", "DOCTOR", "OWN", "USERS", "ADMIN", "OWNER")
E = row_builder(CALLERS)

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


class TestDoctorsRoleMatrix(RoleMatrix):
    """Every call on a fresh target doctor T with an offer, a Monday window and a Monday
    slot; "OWN" signs in as T, "DOCTOR" as another doctor."""

    callers = CALLERS
    matrix = MATRIX
    resources = ("doctors", "doctor_services", "schedules", "doctor_schedules")
    route_count = 39
    change_bodies = {"doctors/{?}/update": {"short_description": "Diubah"},
                     "doctor_services/{?}/update": {"doctor_buffer_time": 5},
                     "schedules/{?}/update": {"jam_selesai": "12:30"},
                     "doctor_schedules/{?}/update": {"jam": "09:30"}}

    def people(self):
        """Another doctor, a customer and the office (T signs in per call)."""
        return {"DOCTOR": user_of(make_doctor()),
                **plain_users("CUSTOMER", "USERS", "ADMIN", "OWNER")}

    def before_call(self, caller):
        """A fresh T with an offer, a window and a slot; "OWN" is T's account."""
        self.doctor = make_doctor()
        self.offer = make_offer(self.doctor, make_service(buffer_time=30))
        self.window = make_window(self.doctor, hari="Senin", jam="09:00", jam_selesai="12:00")
        self.slot = make_slot(self.offer, hari="Senin", jam="09:00")
        if caller == "OWN":
            self.headers["OWN"] = self.auth.headers(user_of(self.doctor))

    def target_object(self, caller, route, target):
        """T, T's offer, window or slot."""
        return {"doctors": self.doctor, "doctor_services": self.offer,
                "schedules": self.window, "doctor_schedules": self.slot}[resource_of(route)]

    def create_request(self, caller, resource, target):
        """A valid create body naming T."""
        number = next_number()
        if resource == "doctors":
            return {"json": {"id_users": make_user(roles=("USERS",)).id, "custom_price": 200000}}
        if resource == "doctor_services":
            return {"json": {"id_doctors": self.doctor.id, "id_services": make_service().id,
                             "custom_price": 300000, "doctor_buffer_time": 10}}
        if resource == "schedules":
            return {"json": {"id_doctors": self.doctor.id, "hari": "Selasa",
                             "jam": f"{8 + number % 10:02d}:00",
                             "jam_selesai": f"{8 + number % 10:02d}:30"}}
        return {"json": {"id_doctors": self.doctor.id, "id_doctor_services": self.offer.id,
                         "hari": "Rabu", "jam": "17:00"}}

    def generate(self, caller, method, target):
        """POST doctor_schedules/generate for T."""
        return self.call(caller, "POST", "/api/doctor_schedules/generate",
                         json={"id_doctors": self.doctor.id})

    custom_calls = {"doctor_schedules/generate": generate}
