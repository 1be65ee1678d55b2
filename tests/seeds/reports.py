"""Conformance seeds of the reports and dashboards: today, a paid product order (still to
hand over), a paid online consultation, a DONE appointment, one booked for tomorrow and a
running promotion, so every report and dashboard answer of the walk holds a row."""
from datetime import timedelta

from models import Order, OrderExtra, OrderItem, clinic_now, db
from tests.factories.accounts import make_user
from tests.factories.appointments import make_appointment, make_clinic
from tests.factories.catalog import make_menu, make_promotion
from tests.factories.doctors import make_doctor

from . import SEEDS, Seed


def _paid(customer, order_type, code):
    now = clinic_now()
    order = Order(id_member=customer.id, order_type=order_type, status="PAID", is_paid=True,
                  paid_date=now, order_date=now, order_code=code,
                  nama_pemesan=customer.users_fullname, total_price=200000, grand_totals=200000)
    db.session.add(order)
    db.session.flush()
    return order


def seed_figures(kind, path, caller):
    """One of everything the figures count (today) and the upcoming lists show."""
    customer, menu, doctor = make_user(), make_menu(), make_doctor()
    product_order = _paid(customer, "E", f"E-SEED-{customer.id}")
    db.session.add(OrderItem(id_order=product_order.id, id_menu=menu.id, qty=2, price=100000,
                             price_total=200000))
    consultation = _paid(customer, "C", f"C-SEED-{customer.id}")
    db.session.add(OrderExtra(id_orders=consultation.id, id_doctors=doctor.id, qty=1,
                              extra_prices=200000))
    db.session.commit()
    today = clinic_now().date()
    clinic = make_clinic(day=today)
    make_appointment(clinic, day=today, status="DONE")
    tomorrow = make_clinic(day=today + timedelta(days=1))
    make_appointment(tomorrow, day=today + timedelta(days=1), status="BOOKING")
    make_promotion()
    return Seed()


SEEDS["report"] = seed_figures
SEEDS["dashboard"] = seed_figures
