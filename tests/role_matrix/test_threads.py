"""Who may do what with consultations: every route of threads, thread_messages and
menu_reedems × every caller, against a consultation of CUSTOMER with DOCTOR.

Written out from the clinic's rules, not derived from the declarations:
- a customer reaches their own threads; another customer's do not exist for them (404);
- a doctor reaches the threads with them; another doctor's do not exist (404); only the
  thread's doctor prescribes (the customer: 403); the thread's doctor or the office closes,
  reopens and updates (the customer: 403);
- the office (USERS, ADMIN, OWNER) sees every thread, opens one for a paid order by hand and
  deletes (soft), but does not read or write the conversation (403 on writing, nothing
  listed) — the conversation is between patient and doctor;
- one's own message is edited or deleted by its author only (others: 403, or 404 where the
  message is out of their reach);
- a prescription is redeemed by its own customer only;
- nothing here is public."""
from models import Thread
from tests.factories.doctors import make_doctor
from tests.factories.threads import (_paid_order_without_thread, make_message,
                                     make_prescription, make_thread)
from tests.factories.stores import make_product

from .base import RoleMatrix, Rows, plain_users, row_builder

CALLERS = ("anonymous", "CUSTOMER", "FOREIGN_CUSTOMER", "DOCTOR", "OTHER_DOCTOR", "USERS",
           "ADMIN", "OWNER")
E = row_builder(CALLERS)
OFFICE_SEES = Rows("thread", match="includes")
THREAD_LISTS = E(401, OWN := Rows("thread", match="includes"), Rows("thread", match="excludes"),
                 OWN,
                 Rows("thread", match="excludes"), OFFICE_SEES, OFFICE_SEES, OFFICE_SEES)
MESSAGE_LISTS = E(401, MINE := Rows("message", match="includes"),
                  Rows("message", match="excludes"), MINE,
                  Rows("message", match="excludes"), Rows("message", match="excludes"),
                  Rows("message", match="excludes"), Rows("message", match="excludes"))
PARTICIPANTS = E(401, 200, 404, 200, 404, 403, 403, 403)
DOCTOR_OR_OFFICE = E(401, 403, 404, 200, 404, 200, 200, 200)
MATRIX = {
    #                                          anon CUST FOREIGN DOC OTHERDOC USERS ADMIN OWNER
    "POST threads/create":                     E(401, 403, 403, 403, 403, 200, 200, 200),
    "POST threads/explore":                    THREAD_LISTS,
    "GET threads/explore":                     THREAD_LISTS,
    "POST threads/search":                     THREAD_LISTS,
    "POST threads/table":                      THREAD_LISTS,
    "POST threads/adminview":                  E(401, 403, 403, 403, 403, 200, 200, 200),
    "POST threads/overview":                   E(401, 200, 200, 200, 200, 200, 200, 200),
    "POST threads/overview/doctors":           E(401, 403, 403, 200, 200, 200, 200, 200),
    "GET threads/{?}":                         E(401, 200, 404, 200, 404, 200, 200, 200),
    "PUT threads/{?}/update":                  DOCTOR_OR_OFFICE,
    "PUT threads/{?}/close":                   DOCTOR_OR_OFFICE,
    "PUT threads/{?}/reopen":                  DOCTOR_OR_OFFICE,
    "DELETE threads/{?}/delete":               E(401, 403, 403, 403, 403, 200, 200, 200),
    "POST thread_messages/text":               PARTICIPANTS,
    "POST thread_messages/image":              PARTICIPANTS,
    "POST thread_messages/attachments":        PARTICIPANTS,
    "POST thread_messages/prescriptions":      E(401, 403, 404, 200, 404, 403, 403, 403),
    "POST thread_messages/explore":            MESSAGE_LISTS,
    "GET thread_messages/explore":             MESSAGE_LISTS,
    "POST thread_messages/search":             MESSAGE_LISTS,
    "POST thread_messages/table":              MESSAGE_LISTS,
    "GET thread_messages/{?}":                 E(401, 200, 404, 200, 404, 404, 404, 404),
    "PUT thread_messages/{?}/update_text":     E(401, 200, 404, 403, 404, 404, 404, 404),
    "DELETE thread_messages/{?}/delete":       E(401, 200, 404, 403, 404, 404, 404, 404),
    "POST menu_reedems/add_to_carts":          E(401, 200, 404, 404, 404, 404, 404, 404),
    # any signed-in account may ask for a prescription product for themselves
    "POST menus/prescriptions/requests":       E(401, 200, 200, 200, 200, 200, 200, 200),
}
FILES = {"thread_messages/image": "image", "thread_messages/attachments": "attachments"}


def _png():
    import io

    from tests.conftest import png_bytes
    return (io.BytesIO(png_bytes()), "foto.png")


class TestThreadsRoleMatrix(RoleMatrix):
    """Threads, messages and redeeming; a fresh consultation for every call."""

    callers = CALLERS
    matrix = MATRIX
    resources = ("threads", "thread_messages", "menu_reedems")
    route_count = 26
    change_bodies = {"threads/{?}/update": {"is_closed": 1},
                     "thread_messages/{?}/update_text": {"content": "*edited"}}

    def covers(self, path):
        """The three resources, and the prescription requests of menus."""
        return super().covers(path) or path == "menus/prescriptions/requests"

    def people(self):
        """Two customers, two doctors (with their doctor records) and the office."""
        users = plain_users("CUSTOMER", "USERS", "ADMIN", "OWNER")
        users["FOREIGN_CUSTOMER"] = plain_users("CUSTOMER")["CUSTOMER"]
        self.doctor = make_doctor()
        self.other_doctor = make_doctor()
        users["DOCTOR"], users["OTHER_DOCTOR"] = self.doctor.user, self.other_doctor.user
        return users

    def thread(self, closed=False) -> Thread:
        """CUSTOMER's consultation with DOCTOR."""
        return make_thread(self.users["CUSTOMER"], self.doctor, is_closed=closed)

    def seed_list(self, route, target):
        """A thread with a message of its customer."""
        self.listed = self.thread()
        self.listed_message = make_message(self.listed, self.users["CUSTOMER"])

    def row_ids(self, label, caller, route):
        """The seeded thread or message."""
        return {self.listed.id} if label == "thread" else {self.listed_message.id}

    def target_object(self, caller, route, target):
        """A fresh thread, or a fresh message of its customer."""
        path = route.split(" ", 1)[1]
        if path.startswith("thread_messages"):
            return make_message(self.thread(), self.users["CUSTOMER"])
        return self.thread(closed=path.endswith("/reopen"))

    def _create(self, caller, method, target):
        return self.call(caller, "POST", "/api/threads/create", json=_paid_order_without_thread())

    def _grouped(self, caller, method, target):
        path = "adminview" if target == "admin" else None
        return self.call(caller, "POST", "/api/threads/" + (path or "overview"), json={})

    def _post(path):
        def run(self, caller, method, target):
            thread = self.thread()
            if path in FILES:
                return self.call(caller, "POST", f"/api/{path}", data={
                    "id_threads": str(thread.id), FILES[path]: _png()},
                    content_type="multipart/form-data")
            body = {"id_threads": thread.id, "content": "Halo"}
            if path.endswith("prescriptions"):
                body = {"id_threads": thread.id, "id_menu": make_product().id, "qty": 1}
            return self.call(caller, "POST", f"/api/{path}", json=body)
        return run

    def _explore(self, caller, method, target):
        self.seed_list(None, None)
        if method == "GET":
            return self.call(caller, "GET", "/api/thread_messages/explore?page=1&length=100")
        return self.call(caller, "POST", "/api/thread_messages/explore?page=1&length=100",
                         json={})

    def _redeem(self, caller, method, target):
        thread = self.thread()
        prescription = make_prescription(thread)
        return self.call(caller, "POST", "/api/menu_reedems/add_to_carts", json={
            "id_menu": prescription.id_menu, "id_threads": thread.id})

    def _request(self, caller, method, target):
        return self.call(caller, "POST", "/api/menus/prescriptions/requests",
                         json={"id_menu": make_product(is_resep_required=True).id})

    def _simple(path):
        def run(self, caller, method, target):
            return self.call(caller, "POST", f"/api/threads/{path}", json={})
        return run

    custom_calls = {
        "threads/create": _create,
        "threads/adminview": _simple("adminview"),
        "threads/overview": _simple("overview"),
        "threads/overview/doctors": _simple("overview/doctors"),
        "thread_messages/text": _post("thread_messages/text"),
        "thread_messages/image": _post("thread_messages/image"),
        "thread_messages/attachments": _post("thread_messages/attachments"),
        "thread_messages/prescriptions": _post("thread_messages/prescriptions"),
        "thread_messages/explore": _explore,
        "menu_reedems/add_to_carts": _redeem,
        "menus/prescriptions/requests": _request,
    }

