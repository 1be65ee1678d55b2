"""Factories of consultations: a paid online-consultation order whose payment opened its
thread (through OrderFlow.mark_paid, as the gateway does), a prescription request, messages
and prescriptions."""
from datetime import timedelta

from sqlalchemy import select

from models import Prescription, Role, Thread, ThreadMessage, User, clinic_now, db
from models.orders import CHECKOUT
from models.threads import PRESCRIPTION_REQUEST
from services.orders.flow import OrderFlow

from . import FACTORIES, VALID_CREATE, WRITER
from .accounts import make_user
from .appointments import make_patient_of
from .doctors import make_doctor
from .orders import add_consultation, make_cart
from .stores import make_product


def paid_consultation(customer=None, doctor=None, patient=None):
    """A type C order with a doctor, paid: returns (order, thread) — the payment opened it."""
    customer = customer or make_user(roles=("CUSTOMER",))
    doctor = doctor or make_doctor()
    patient = patient or make_patient_of(customer)
    order = make_cart(customer, order_type="C", id_patients=patient.id)
    add_consultation(order, doctor)
    order.cart_key, order.status = None, CHECKOUT
    order.order_code = f"C-20260101-{order.id:03d}"
    db.session.commit()
    OrderFlow(order).mark_paid("bank_transfer")
    thread = db.session.execute(select(Thread).where(Thread.id_order == order.id)).scalar_one()
    return order, thread


def make_thread(customer=None, doctor=None, **kw) -> Thread:
    """A consultation thread (straight in the table, no order)."""
    customer = customer or make_user(roles=("CUSTOMER",))
    doctor = doctor or make_doctor()
    values = {"id_user_from": customer.id, "id_user_to": doctor.id_users,
              "id_doctors": doctor.id, "order_date": clinic_now()}
    values.update(kw)
    thread = Thread(**values)
    db.session.add(thread)
    db.session.commit()
    return thread


def make_request_thread(customer=None, menu=None) -> Thread:
    """An untaken prescription request."""
    customer = customer or make_user(roles=("CUSTOMER",))
    menu = menu or make_product(is_resep_required=True)
    return make_thread(customer, thread_type=PRESCRIPTION_REQUEST, id_menu=menu.id,
                       id_user_to=None, id_doctors=None)


def make_message(thread=None, author=None, content="Halo dokter", minutes_ago=0, **kw):
    """A text message (by the thread's customer unless told)."""
    thread = thread or make_thread()
    author_id = author.id if author is not None else thread.id_user_from
    message = ThreadMessage(id_threads=thread.id, id_user_from=author_id, content=content,
                            **kw)
    if minutes_ago:
        message.created = clinic_now() - timedelta(minutes=minutes_ago)
    db.session.add(message)
    db.session.commit()
    return message


def make_prescription(thread=None, menu=None, qty=2, days=30):
    """A prescription message of the thread's doctor: returns the Prescription."""
    thread = thread or make_thread()
    menu = menu or make_product(is_resep_required=True, harga=120000, pajak=0)
    message = make_message(thread, db.session.get(User, thread.id_user_to),
                           content=menu.nama_menus, content_type="prescriptions",
                           remark=str(qty))
    prescription = Prescription(id_thread_messages=message.id, id_threads=thread.id,
                                id_menu=menu.id, id_doctor_user=thread.id_user_to,
                                id_customer=thread.id_user_from, qty=qty,
                                valid_until=clinic_now() + timedelta(days=days))
    db.session.add(prescription)
    db.session.commit()
    return prescription


def _manager():
    """The first OWNER (the generic tests call as one): messages must be theirs to be read."""
    user = db.session.execute(select(User).join(Role, Role.iduser == User.id).where(
        Role.rolecodes == "OWNER").order_by(User.id)).scalars().first()
    return user or make_user(roles=("OWNER", "ADMIN", "USERS"))


def _managers_message():
    """A message of the manager's own consultation (as its customer), just written."""
    manager = _manager()
    thread = db.session.execute(select(Thread).where(
        Thread.id_user_from == manager.id)).scalars().first() or make_thread(manager)
    return make_message(thread, manager)


def _author_is(user, row):
    """The message becomes `user`'s, in `user`'s own consultation."""
    if isinstance(row, ThreadMessage):
        row.thread.id_user_from = user.id
        row.id_user_from = user.id
        db.session.commit()


def _paid_order_without_thread():
    """threads/create's body: a paid consultation whose thread was never opened."""
    order, thread = paid_consultation()
    db.session.delete(thread)
    db.session.commit()
    return {"id_order": order.id, "id_user_from": order.id_member, "id_user_to": 0}


FACTORIES.update({"threads": make_thread, "thread_messages": _managers_message})
VALID_CREATE.update({"threads": _paid_order_without_thread, "thread_messages": lambda: {}})
WRITER.update({"thread_messages": _author_is})
