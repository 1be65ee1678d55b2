"""Admin "Hari ini": who sees what (a doctor their own day and threads; the office every
doctor, the orders to prepare and the low stock), the arrive and done actions from the
screen (the Kalender's operations: same state, same audit), what is refused, and a fixed
number of queries whatever the number of rows."""
import json
from datetime import time, timedelta

import pytest
from sqlalchemy import func, select

from models import Appointment, Log, Order, OutboxMessage, clinic_now, db
from tests.conftest import count_queries, csrf_from, make_user
from tests.factories.appointments import make_appointment, make_clinic, make_patient_of
from tests.factories.stores import make_product, make_store, make_store_menu
from tests.factories.threads import make_message, make_thread

URL = "/admin/hari-ini/"
STARTS = tuple(time(8 + index // 2, 30 * (index % 2)) for index in range(12))


def signed_in(auth, user):
    response = auth.admin_login(user)
    assert response.status_code == 302, response.get_data(as_text=True)
    return user


def fresh(appointment_id):
    db.session.rollback()
    return db.session.get(Appointment, appointment_id)


def trigger_of(response):
    return json.loads(response.headers.get("HX-Trigger", "{}"))


def paid_order(status="PAID", minutes_ago=30, order_type="E", store=None, **kw):
    """A paid order written directly (the board's own states)."""
    customer = make_user(roles=("CUSTOMER",))
    paid = clinic_now() - timedelta(minutes=minutes_ago)
    values = {"is_paid": True, "paid_date": paid, **kw}
    order = Order(id_member=customer.id, order_type=order_type, status=status, order_date=paid - timedelta(minutes=5),
                  nama_pemesan=customer.users_fullname, total_price=150000,
                  grand_totals=150000, id_brandstore=store.id if store else None,
                  order_code=f"{order_type}-HARI-{customer.id:04d}", **values)
    db.session.add(order)
    db.session.commit()
    return order


@pytest.fixture
def day():
    """Two doctors practising today, each with patients on today's list."""
    today = clinic_now().date()
    first = make_clinic(day=today, starts=STARTS, window=(time(8, 0), time(14, 0)))
    second = make_clinic(day=today, starts=STARTS, window=(time(8, 0), time(14, 0)))
    mine = make_appointment(first, first["slots"][0], day=today,
                            patient=make_patient_of(nama_lengkap_pasien="Rita Ambar"))
    theirs = make_appointment(second, second["slots"][1], day=today,
                              patient=make_patient_of(nama_lengkap_pasien="Bayu Seno"))
    return {"today": today, "first": first, "second": second, "mine": mine, "theirs": theirs}


@pytest.fixture
def desk(auth, day):
    """The front desk signed in."""
    return signed_in(auth, make_user(roles=("USERS",), users_fullname="Front Desk"))


# ---- who sees what -------------------------------------------------------------------------
def test_front_desk_sees_every_doctor_orders_and_low_stock(client, desk, day):
    store = make_store(nama="Colederma Dago")
    make_store_menu(make_product(nama_menus="Serum Menipis"), store, quantity=2)
    make_store_menu(make_product(nama_menus="Krim Habis"), store, quantity=0)
    make_store_menu(make_product(nama_menus="Toner Aman"), store, quantity=40)
    waiting = paid_order("PAID", store=store)
    prepared = paid_order("PREPARED")
    unpaid = paid_order("CHECKOUT", is_paid=False, paid_date=None)
    consultation = paid_order("PAID", order_type="C")
    page = client.get(URL)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Rita Ambar" in html and "Bayu Seno" in html
    assert day["first"]["doctor_user"].users_fullname in html
    assert day["second"]["doctor_user"].users_fullname in html
    assert 'id="today-doctor"' in html  # the doctor filter
    assert f'/admin/patients/{day["mine"].id_patients}' in html  # the chart
    # orders to prepare: paid product orders only, each linking to the order
    assert f'/admin/orders/{waiting.id}"' in html and f'/admin/orders/{prepared.id}"' in html
    assert f'/admin/orders/{unpaid.id}"' not in html
    assert f'/admin/orders/{consultation.id}"' not in html
    assert "Colederma Dago" in html
    # low stock: at or below the threshold, linking to the store's stock screen
    assert "Serum Menipis" in html and "Krim Habis" in html and "Toner Aman" not in html
    assert f'/admin/stores/{store.id}/' in html
    assert "Stok menipis" in html and "(≤ 5)" in html
    assert "<script>" not in html and " style=" not in html


def test_front_desk_filters_by_doctor(htmx, client, desk, day):
    doctor = day["second"]["doctor"]
    part = htmx.get(f"{URL}?dokter={doctor.id}")
    html = part.get_data(as_text=True)
    assert part.status_code == 200 and "HX-Request" in part.headers["Vary"]
    assert 'id="today-appointments"' in html and "<html" not in html
    assert "Bayu Seno" in html and "Rita Ambar" not in html
    assert "every 60s" in html  # the part refreshes itself
    unknown = client.get(f"{URL}?dokter=abc").get_data(as_text=True)
    assert "Rita Ambar" in unknown and "Bayu Seno" in unknown  # not understood: everyone


def test_empty_day_speaks_bahasa(client, auth):
    signed_in(auth, make_user(roles=("USERS",)))
    html = client.get(URL).get_data(as_text=True)
    assert "Tidak ada janji temu hari ini." in html
    assert "Tidak ada pesanan yang perlu disiapkan." in html
    assert "Stok semua toko masih aman." in html


def test_doctor_sees_only_their_own_day_and_threads(client, auth, day):
    doctor_user = day["first"]["doctor_user"]
    customer = make_user(roles=("CUSTOMER",))
    patient = make_patient_of(customer, nama_lengkap_pasien="Wulan Sari")
    own = make_thread(customer, day["first"]["doctor"], id_patients=patient.id)
    make_message(own, content="Dok, kulit saya gatal")
    other = make_thread(make_user(roles=("CUSTOMER",)), day["second"]["doctor"],
                        id_patients=make_patient_of(nama_lengkap_pasien="Orang Lain").id)
    make_message(other, content="Pesan untuk dokter lain")
    paid_order("PAID")
    signed_in(auth, doctor_user)
    page = client.get(URL)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Hari saya" in html and "Janji saya hari ini" in html
    assert "Rita Ambar" in html and "Bayu Seno" not in html
    assert day["second"]["doctor_user"].users_fullname not in html
    assert 'id="today-doctor"' not in html
    assert f"/admin/consultations/{own.id}" in html and "Wulan Sari" in html
    assert f"/admin/consultations/{other.id}" not in html and "Orang Lain" not in html
    assert 'id="today-orders"' not in html and 'id="today-stock"' not in html
    assert "Tandai datang" in html  # a doctor records arrivals too
    # the filter is the office's: a doctor asking for another doctor still sees their own
    asked = client.get(f"{URL}?dokter={day['second']['doctor'].id}").get_data(as_text=True)
    assert "Rita Ambar" in asked and "Bayu Seno" not in asked


def test_customers_and_strangers_are_refused(client, auth, day):
    assert client.get(URL).status_code == 302  # not signed in: to the login
    customer = make_user(roles=("CUSTOMER",))
    assert auth.admin_login(customer).status_code == 403
    assert client.get(URL).status_code == 302


def test_navigation_starts_with_hari_ini_for_the_front_desk(client, desk):
    html = client.get(URL).get_data(as_text=True)
    nav = html[html.index('<nav'):]
    assert "Dashboard" not in nav  # the clinic's figures are for managers; /admin/ lands here
    assert nav.index("Hari ini") < nav.index("Kalender")
    assert 'aria-current="page"' in html and "bi-sun" in html


# ---- the actions ---------------------------------------------------------------------------
def _writes(before_logs, before_outbox):
    logs = db.session.execute(select(Log.action, Log.object_type, Log.descriptions)
                              .where(Log.id > before_logs).order_by(Log.id)).all()
    outbox = db.session.execute(select(func.count(OutboxMessage.id))
                                .where(OutboxMessage.id > before_outbox)).scalar_one()
    return [tuple(row) for row in logs if row[0] != "login"], outbox


def _marks():
    return (db.session.execute(select(func.coalesce(func.max(Log.id), 0))).scalar_one(),
            db.session.execute(select(func.coalesce(func.max(OutboxMessage.id), 0))).scalar_one())


def test_arrive_then_done_from_the_screen_as_the_calendar_does(client, htmx, desk, day):
    token = csrf_from(client.get(URL).get_data(as_text=True))
    headers = {"X-CSRFToken": token}
    other = make_appointment(day["first"], day["first"]["slots"][4], day=day["today"])
    # the Kalender's action on one appointment, the screen's on another: the same writes
    db.session.rollback()
    marks = _marks()
    assert htmx.post(f"/admin/calendar/appointments/{other.id}/arrived",
                     headers=headers).status_code == 200
    db.session.rollback()
    calendar_writes = _writes(*marks)
    marks = _marks()
    response = htmx.post(f"{URL}appointments/{day['mine'].id}/arrived", headers=headers)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<li class="today-row status-arrived" id="today-row-{day["mine"].id}"')
    assert "Selesai" in html and "Tandai datang" not in html
    assert "ditandai datang" in trigger_of(response)["toast"]["message"]
    assert trigger_of(response)["today:changed"] is True
    db.session.rollback()
    assert [row[:2] for row in _writes(*marks)[0]] == [row[:2] for row in calendar_writes[0]] \
        == [("arrived", "user_schedules")]
    assert _writes(*marks)[1] == calendar_writes[1]
    arrived = fresh(day["mine"].id)
    assert arrived.status == "ARRIVED" and arrived.arrived_at is not None

    # done without an invoice number: refused inline (422), nothing changes
    url = f"{URL}appointments/{day['mine'].id}/done"
    refused = htmx.post(url, data={"digisoft_invoice_numbers": "  "}, headers=headers)
    assert refused.status_code == 422
    assert "Nomor invoice wajib" in refused.get_data(as_text=True)
    assert "is-invalid" in refused.get_data(as_text=True)
    assert fresh(day["mine"].id).status == "ARRIVED"
    done = htmx.post(url, data={"digisoft_invoice_numbers": "0007/2026/12-IORA"}, headers=headers)
    assert done.status_code == 200
    finished = fresh(day["mine"].id)
    assert finished.status == "DONE" and finished.digisoft_invoice_numbers == "0007/2026/12-IORA"
    assert finished.done_at is not None
    assert "0007/2026/12-IORA" in done.get_data(as_text=True)
    assert 'name="digisoft_invoice_numbers"' not in done.get_data(as_text=True)
    assert db.session.execute(select(Log.descriptions).where(
        Log.action == "done", Log.object_id == finished.id)).scalar_one() == "0007/2026/12-IORA"


def test_done_and_cancelled_offer_no_action(client, htmx, desk, day):
    first = day["first"]
    done = make_appointment(first, first["slots"][2], day=day["today"], status="DONE")
    cancelled = make_appointment(first, first["slots"][3], day=day["today"], status="CANCEL")
    html = client.get(URL).get_data(as_text=True)
    for appointment in (done, cancelled):
        row = html[html.index(f'id="today-row-{appointment.id}"'):]
        row = row[:row.index("</li>")]
        assert "/arrived" not in row and "/done" not in row
    assert f"appointments/{day['mine'].id}/arrived" in html
    token = csrf_from(html)
    refused = htmx.post(f"{URL}appointments/{done.id}/arrived", headers={"X-CSRFToken": token})
    assert refused.status_code == 409
    assert "tidak dapat ditandai datang" in trigger_of(refused)["toast"]["message"]
    assert fresh(done.id).status == "DONE"
    again = htmx.post(f"{URL}appointments/{cancelled.id}/done",
                      data={"digisoft_invoice_numbers": "X-1"}, headers={"X-CSRFToken": token})
    assert again.status_code == 409 and fresh(cancelled.id).status == "CANCEL"


def test_arrival_is_for_today_only(client, htmx, desk, day):
    tomorrow = make_appointment(day["first"], day["first"]["slots"][0],
                                day=day["today"] + timedelta(days=7))
    token = csrf_from(client.get(URL).get_data(as_text=True))
    refused = htmx.post(f"{URL}appointments/{tomorrow.id}/arrived", headers={"X-CSRFToken": token})
    assert refused.status_code == 409
    assert "hari janji" in trigger_of(refused)["toast"]["message"]
    assert fresh(tomorrow.id).status == "BOOKING"


def test_a_doctor_acts_on_their_own_and_not_on_another_doctors(client, htmx, auth, day):
    signed_in(auth, day["first"]["doctor_user"])
    token = csrf_from(client.get(URL).get_data(as_text=True))
    headers = {"X-CSRFToken": token}
    assert htmx.post(f"{URL}appointments/{day['theirs'].id}/arrived",
                     headers=headers).status_code == 404
    assert fresh(day["theirs"].id).status == "BOOKING"
    assert htmx.post(f"{URL}appointments/{day['mine'].id}/arrived",
                     headers=headers).status_code == 200
    assert fresh(day["mine"].id).status == "ARRIVED"


def test_actions_need_the_csrf_token(htmx, desk, day):
    assert htmx.post(f"{URL}appointments/{day['mine'].id}/arrived").status_code == 400
    assert fresh(day["mine"].id).status == "BOOKING"


# ---- a fixed number of queries -------------------------------------------------------------
def _fill(day, first, last):
    """Appointments today (both doctors), paid orders and low-stock products, numbered
    first..last-1 (an appointment takes slot 2 + number // 2 of its doctor)."""
    for index in range(first, last):
        clinic = day["first"] if index % 2 else day["second"]
        make_appointment(clinic, clinic["slots"][2 + index // 2], day=day["today"],
                         status=("BOOKING", "ARRIVED", "DONE", "CANCEL")[index % 4])
        paid_order(("PAID", "PROCESSING", "PREPARED")[index % 3], minutes_ago=index + 1)
        make_store_menu(make_product(), make_store() if index % 3 == 0 else None, quantity=index % 4)


def _queries_of(client, path):
    db.session.rollback()
    with count_queries() as statements:
        response = client.get(path)
    assert response.status_code == 200
    return len(statements)


def test_queries_do_not_grow_with_the_rows(client, auth, day):
    signed_in(auth, make_user(roles=("USERS",)))
    _fill(day, 0, 2)
    few = _queries_of(client, URL)
    _fill(day, 2, 10)
    assert db.session.execute(select(func.count(Appointment.id))).scalar_one() == 12
    assert _queries_of(client, URL) == few


def test_doctor_queries_do_not_grow_with_the_rows(client, auth, day):
    doctor = day["first"]
    signed_in(auth, doctor["doctor_user"])
    for index in range(2):
        make_message(make_thread(make_user(roles=("CUSTOMER",)), doctor["doctor"]))
    few = _queries_of(client, URL)
    for index in range(8):
        make_appointment(doctor, doctor["slots"][2 + index], day=day["today"])
        make_message(make_thread(make_user(roles=("CUSTOMER",)), doctor["doctor"]))
    assert _queries_of(client, URL) == few
