"""Domain events are sent inside the workflow's transaction: a receiver's rows commit with the
change and vanish with a refused one; every order move and appointment change is announced."""
from datetime import time

import pytest
from sqlalchemy import func, select

from models import Log, db
from models.orders import CHECKOUT, PAID
from services import events
from services.errors import Conflict
from services.orders.flow import OrderFlow
from tests.factories.accounts import make_user
from tests.factories.orders import make_stocked_cart


@pytest.fixture
def heard():
    """What the signals said, in order."""
    said = []

    def on_order(order, **kw):
        said.append(("order", order.id, kw["before"], kw["after"]))

    def on_appointment(appointment, **kw):
        said.append(("appointment", appointment.id, kw["action"]))

    events.order_status_changed.connect(on_order)
    events.appointment_changed.connect(on_appointment)
    yield said
    events.order_status_changed.disconnect(on_order)
    events.appointment_changed.disconnect(on_appointment)


def test_order_moves_are_announced(app, heard):
    customer = make_user()
    order, _item, _row = make_stocked_cart(customer)
    OrderFlow(order, customer).checkout()
    OrderFlow(order, None).mark_paid("QRIS")
    assert heard == [("order", order.id, "SHOPPING CARTS", CHECKOUT),
                     ("order", order.id, CHECKOUT, PAID)]


def _note(sender, **kw):
    db.session.add(Log(action="note", descriptions=f"announced {kw['after']}", is_manual=True))


def notes() -> int:
    return db.session.execute(select(func.count(Log.id)).where(
        Log.descriptions.like("announced %"))).scalar_one()


def test_a_receivers_rows_commit_with_the_change(app):
    customer = make_user()
    order, _item, _row = make_stocked_cart(customer)
    events.order_status_changed.connect(_note)
    try:
        OrderFlow(order, customer).checkout()
    finally:
        events.order_status_changed.disconnect(_note)
    assert notes() == 1


def test_a_receivers_rows_vanish_with_a_refused_change(app):
    customer = make_user()
    order, _item, _row = make_stocked_cart(customer)
    OrderFlow(order, customer).cancel("salah")
    make_stocked_cart(customer)  # another open cart: the first cannot be a cart again
    events.order_status_changed.connect(_note)
    try:
        with pytest.raises(Conflict):
            OrderFlow(order, customer).uncancel()  # announced, then refused by the database
    finally:
        events.order_status_changed.disconnect(_note)
    db.session.rollback()
    assert notes() == 0


def test_appointment_changes_are_announced(app, heard):
    from services.appointments.operations import AppointmentFlow
    from tests.factories.patients import make_appointment_with, make_doctor_account, make_patient
    from models import clinic_now

    doctor = make_doctor_account()
    appointment = make_appointment_with(doctor, make_patient(), day=clinic_now().date(),
                                        start=time(10, 0), status="BOOKING")
    staff = make_user(roles=("USERS",))
    AppointmentFlow(appointment, staff).arrive()
    AppointmentFlow(appointment, staff).done("INV-1")
    assert heard == [("appointment", appointment.id, "arrived"),
                     ("appointment", appointment.id, "done")]
