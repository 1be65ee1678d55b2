"""Conformance seeds of consultations (threads, thread_messages, menu_reedems and
menus/prescriptions/requests). The walk calls as the owner (office staff): office staff see
every thread but only participants read the conversation, so the threads whose messages the
walk reads are the owner's own (as their customer), and for a prescription the owner is also
that thread's doctor."""
from models import Thread, db
from tests.factories.doctors import make_doctor
from tests.factories.stores import make_product
from tests.factories.threads import (_paid_order_without_thread, make_message,
                                     make_prescription, make_thread, paid_consultation)

from . import ID_KEYS, MISSING_EXAMPLES, SEEDS, Seed

ID_KEYS.update({"id_threads", "id_user_from", "id_user_to"})
MISSING_EXAMPLES.update({
    "thread_messages/search": {},
    "thread_messages/image": {"id_threads": 4, "content_type": "image"},
    "thread_messages/attachments": {"id_threads": 4, "content_type": "attachments"},
})


def _owners_thread(caller, with_doctor_caller=False):
    """A consultation whose customer is the caller (and doctor, when asked)."""
    if with_doctor_caller:
        doctor = make_doctor(user=caller) if not caller.has_role("DOCTOR") else None
        doctor = doctor or make_doctor()
        return make_thread(caller, doctor=doctor)
    return make_thread(caller)


def seed_threads(kind, path, caller):
    """What each threads endpoint needs."""
    if path == "threads/create":
        body = _paid_order_without_thread()
        return Seed(ids={"id_order": [body["id_order"]]})
    order, thread = paid_consultation()
    ids = {"id_order": [order.id], "id_user_from": [thread.id_user_from],
           "id_user_to": [thread.id_user_to]}
    if path.endswith("/reopen"):
        thread.is_closed = True
        db.session.commit()
    return Seed(target=thread, ids=ids)


def seed_thread_messages(kind, path, caller):
    """The owner's own consultation, with a prescription as its newest message."""
    doctor = make_doctor()
    thread = make_thread(caller, doctor=doctor)
    # the documented explore asks for the doctor's messages (id_user_from: the prescriber)
    ids = {"id_threads": [thread.id], "id_user_from": [doctor.id_users],
           "id_user_to": [caller.id]}
    if path == "thread_messages/prescriptions":
        thread.id_user_to = caller.id  # the owner is this thread's doctor
        ids["id_user_from"] = [caller.id]
        db.session.commit()
        make_doctor(user=caller)
        return Seed(ids={**ids, "id_menu": [make_product(is_resep_required=True).id]})
    text = make_message(thread, caller, "Halo dokter")
    prescription = make_prescription(thread)
    db.session.expire_all()  # the messages are read again, with their prescription
    if path.endswith("/update_text") or path.endswith("/delete"):
        return Seed(target=text, ids=ids)
    return Seed(target=prescription.message, ids=ids)


def seed_menu_reedems(kind, path, caller):
    """A prescription for the owner (as the customer) in their consultation."""
    thread = make_thread(caller)
    prescription = make_prescription(thread)
    return Seed(ids={"id_menu": [prescription.id_menu], "id_threads": [thread.id],
                     "id_orders": [0]})


_menus_seed = SEEDS.get("menus")


def seed_menus(kind, path, caller):
    """menus/prescriptions/requests: a product that needs a prescription."""
    if path == "menus/prescriptions/requests":
        return Seed(ids={"id_menu": [make_product(is_resep_required=True).id]})
    return _menus_seed(kind, path, caller)


SEEDS.update({"threads": seed_threads, "thread_messages": seed_thread_messages,
              "menu_reedems": seed_menu_reedems, "menus": seed_menus})
__all__ = ["Thread", "_owners_thread"]
