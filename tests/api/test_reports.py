"""Reports and dashboards: figures against hand-computed fixtures (paid, unpaid and cancelled
orders; a payment at 23:30 and one at 00:30 on each side of a clinic day; DONE and cancelled
appointments), the documented shapes, and who may ask."""
from datetime import date, datetime, time, timedelta

import pytest

from models import Order, OrderExtra, OrderItem, clinic_now, db
from tests.factories.accounts import make_user
from tests.factories.appointments import make_appointment, make_clinic
from tests.factories.catalog import make_menu, make_promotion
from tests.factories.doctors import make_doctor

DAY = date(2025, 3, 10)
BODY = {"tgl_awal": "10/03/2025", "tgl_akhir": "2025-03-10"}
STATS_KEYS = ["total_sales", "total_online_consultation", "amount_sales",
              "amount_online_consultation", "amount_discount", "amount_total", "total_customer"]


def _order(customer, order_type="E", paid_at=None, status="PAID", lines=(), extras=(),
           discount=0, courier=0, cancelled=False):
    """An order written directly with hand-set money: lines (menu, qty, price), extras
    (doctor, price)."""
    total = sum(qty * price for _menu, qty, price in lines) + sum(p for _d, p in extras)
    order = Order(id_member=customer.id, order_type=order_type, status=status,
                  order_date=(paid_at or datetime.combine(DAY, time(8))) - timedelta(minutes=5),
                  nama_pemesan=customer.users_fullname, is_paid=paid_at is not None,
                  paid_date=paid_at, total_price=total, total_discount=discount,
                  courier_price=courier, grand_totals=total - discount + courier,
                  is_canceled=cancelled, order_code=f"{order_type}-T-{customer.id}-{status}-"
                  f"{(paid_at or datetime(2000, 1, 1)):%d%H%M}")
    db.session.add(order)
    db.session.flush()
    for menu, qty, price in lines:
        db.session.add(OrderItem(id_order=order.id, id_menu=menu.id, qty=qty, price=price,
                                 price_total=qty * price))
    for doctor, price in extras:
        db.session.add(OrderExtra(id_orders=order.id, id_doctors=doctor.id, qty=1,
                                  extra_prices=price))
    db.session.commit()
    return order


@pytest.fixture
def sales():
    """Two customers; products A (Rp 100.000) and B (Rp 200.000); a consultation doctor."""
    first, second = make_user(), make_user()
    menu_a = make_menu(nama_menus="Serum A")
    menu_b = make_menu(nama_menus="Krim B")
    doctor = make_doctor()
    orders = {
        # paid 23:30 the evening before DAY: belongs to 9 March
        "evening": _order(first, paid_at=datetime(2025, 3, 9, 23, 30),
                          lines=[(menu_a, 2, 100000)]),
        # paid 00:30 on DAY: belongs to 10 March
        "night": _order(second, paid_at=datetime(2025, 3, 10, 0, 30), status="DONE",
                        lines=[(menu_a, 1, 100000), (menu_b, 1, 200000)], discount=50000,
                        courier=20000),
        "unpaid": _order(first, status="CHECKOUT", lines=[(menu_b, 5, 200000)]),
        "cancelled": _order(second, paid_at=datetime(2025, 3, 10, 10), status="CANCEL",
                            cancelled=True, lines=[(menu_b, 2, 200000)]),
        "consultation": _order(first, order_type="C", paid_at=datetime(2025, 3, 10, 12),
                               extras=[(doctor, 150000)]),
        # paid 00:30 the day after: belongs to 11 March
        "next_day": _order(second, paid_at=datetime(2025, 3, 11, 0, 30),
                           lines=[(menu_b, 1, 200000)]),
    }
    return {"menu_a": menu_a, "menu_b": menu_b, "doctor": doctor, "orders": orders}


def test_stats_of_a_day_count_paid_orders_by_payment_day(client, owner_headers, sales):
    answer = client.post("/api/report/penjualan/stats", json=BODY, headers=owner_headers)
    assert answer.status_code == 200, answer.get_json()
    data = answer.get_json()
    assert list(data) == STATS_KEYS
    # DAY: "night" (300.000 − 50.000 discount) and the consultation (150.000); the 23:30
    # payment belongs to the day before, the 00:30 one of the 11th to the day after, the
    # unpaid and the cancelled never count
    assert data == {"total_sales": 1, "total_online_consultation": 1, "amount_sales": 300000,
                    "amount_online_consultation": 150000, "amount_discount": 50000,
                    "amount_total": 400000, "total_customer": 2}
    before = client.post("/api/report/penjualan/stats", headers=owner_headers,
                         json={"tgl_awal": "09/03/2025", "tgl_akhir": "09/03/2025"}).get_json()
    assert (before["total_sales"], before["amount_sales"], before["amount_total"]) == \
        (1, 200000, 200000)
    three = client.post("/api/report/penjualan/stats", headers=owner_headers,
                        json={"tgl_awal": "09/03/2025", "tgl_akhir": "11/03/2025"}).get_json()
    assert three["total_sales"] == 3 and three["amount_sales"] == 700000
    assert three["amount_total"] == 700000 + 150000 - 50000 and three["total_customer"] == 2


def test_stats_filters(client, owner_headers, sales):
    url = "/api/report/penjualan/stats"
    only_e = client.post(url, json={**BODY, "order_type": "E"}, headers=owner_headers).get_json()
    assert (only_e["total_sales"], only_e["total_online_consultation"]) == (1, 0)
    by_doctor = client.post(url, json={**BODY, "id_doctors": sales["doctor"].id},
                            headers=owner_headers).get_json()
    assert (by_doctor["total_sales"], by_doctor["amount_online_consultation"]) == (0, 150000)
    by_menu = client.post(url, json={**BODY, "id_menus": [sales["menu_b"].id]},
                          headers=owner_headers).get_json()
    assert (by_menu["total_sales"], by_menu["total_online_consultation"]) == (1, 0)
    done = client.post(url, json={**BODY, "status": "DONE"}, headers=owner_headers).get_json()
    assert done["total_sales"] == 1 and done["total_online_consultation"] == 0
    bad = client.post(url, json={"tgl_awal": "31/02/2025", "tgl_akhir": "01/01/2025",
                                 "order_type": "X", "id_menus": "abc"}, headers=owner_headers)
    assert bad.status_code == 422
    assert set(bad.get_json()["exception"]["fields"]) == {"tgl_awal", "order_type", "id_menus"}
    backwards = client.post(url, json={"tgl_awal": "10/03/2025", "tgl_akhir": "01/03/2025"},
                            headers=owner_headers)
    assert backwards.status_code == 422
    assert "tgl_akhir" in backwards.get_json()["exception"]["fields"]


def test_overall_lists_the_paid_orders_in_table_specs_order(client, owner_headers, sales):
    answer = client.post("/api/report/penjualan/overall", headers=owner_headers,
                         data={"draw": "3", "start": "0", "length": "10", **BODY})
    assert answer.status_code == 200, answer.get_json()
    data = answer.get_json()
    assert data["draw"] == 3 and data["recordsTotal"] == data["recordsFiltered"] == 2
    night, consultation = sales["orders"]["night"], sales["orders"]["consultation"]
    # newest payment first; [order_code, order_date, order_type, nama_pemesan, total_price,
    # total_discount, courier_price, poin_used, grand_totals, status]
    assert [row[0] for row in data["data"]] == [consultation.order_code, night.order_code]
    row = data["data"][1]
    assert len(row) == 10
    assert row[2:] == ["E", night.nama_pemesan, 300000, 50000, 20000, 0, 270000, "DONE"]
    assert row[1] == "2025-03-10 00:25:00"
    searched = client.post("/api/report/penjualan/overall", headers=owner_headers,
                           json={**BODY, "search": {"value": consultation.order_code}}).get_json()
    assert searched["recordsFiltered"] == 1 and searched["recordsTotal"] == 2


def test_products_and_consultations_tables(client, owner_headers, sales):
    products = client.post("/api/report/penjualan/products", headers=owner_headers,
                           data={"draw": "1", "tgl_awal": "09/03/2025", "tgl_akhir": "10/03/2025"})
    assert products.status_code == 200, products.get_json()
    # 9th: A×2 (200.000); 10th: A×1 (100.000), B×1 (200.000); cancelled and unpaid never
    assert products.get_json()["data"] == [["Serum A", 3, 300000], ["Krim B", 1, 200000]]
    ordered = client.post("/api/report/penjualan/products", headers=owner_headers, data={
        "tgl_awal": "09/03/2025", "tgl_akhir": "10/03/2025", "order[0][column]": "0",
        "order[0][dir]": "asc"}).get_json()
    assert [row[0] for row in ordered["data"]] == ["Krim B", "Serum A"]
    consultations = client.post("/api/report/penjualan/online_consultations",
                                headers=owner_headers, json=BODY).get_json()
    doctor_name = sales["doctor"].user.users_fullname
    assert consultations["data"] == [[doctor_name, 1, 150000]]
    bad = client.post("/api/report/penjualan/products", headers=owner_headers,
                      data={**BODY, "order[0][column]": "7"})
    assert bad.status_code == 422


def test_appointment_performance_counts_done_only(client, owner_headers):
    clinic = make_clinic(day=DAY, price=275000, duration=45)
    make_appointment(clinic, slot=clinic["slots"][0], day=DAY, status="DONE")
    make_appointment(clinic, slot=clinic["slots"][1], day=DAY, status="CANCEL")
    make_appointment(clinic, slot=clinic["slots"][2], day=DAY, status="BOOKING")
    make_appointment(clinic, slot=clinic["slots"][0], day=DAY + timedelta(days=7), status="DONE")
    answer = client.post("/api/report/offline/appoinment/performance", headers=owner_headers,
                         json=BODY)
    assert answer.status_code == 200, answer.get_json()
    [row] = answer.get_json()["data"]
    assert row[:4] == [clinic["doctor_user"].users_fullname, clinic["service"].services_name,
                       1, 45]
    assert len(row) == 5 and isinstance(row[4], str)
    from services.reports import queries, question
    [figures] = queries.appointment_performance(question.read_filters(BODY))
    assert (figures["booked"], figures["qty"], figures["cancelled"], figures["revenue"]) == \
        (3, 1, 1, 275000)


def test_dashboard_totals_year_to_date(client, owner_headers):
    now = clinic_now()
    customer, menu = make_user(), make_menu(nama_menus="Serum Laris")
    month_start = datetime(now.year, now.month, 1, 0, 30)
    _order(customer, paid_at=month_start, lines=[(menu, 3, 100000)], discount=10000)
    _order(customer, paid_at=datetime(now.year - 1, 12, 31, 23, 30), lines=[(menu, 9, 100000)])
    _order(customer, paid_at=month_start + timedelta(hours=1), status="CANCEL", cancelled=True,
           lines=[(menu, 4, 100000)])
    clinic = make_clinic(day=now.date())
    make_appointment(clinic, day=now.date(), status="DONE")
    make_appointment(clinic, slot=clinic["slots"][1], day=now.date(), status="CANCEL")

    revenue = client.post("/api/dashboard/total/pendapatan", headers=owner_headers).get_json()
    months = revenue["pendapatan"]
    assert [m["months"] for m in months] == list(range(1, now.month + 1))
    assert (months[-1]["months"], months[-1]["years"], months[-1]["amounts"]) == \
        (now.month, now.year, "290000")
    assert set(months[-1]) == {"months", "years", "amounts", "month_names"}
    assert months[-1]["month_names"] == ["January", "February", "March", "April", "May", "June",
                                         "July", "August", "September", "October", "November",
                                         "December"][now.month - 1]
    assert all(m["amounts"] == "0" for m in months[:-1])
    invoices = client.post("/api/dashboard/total/invoice", headers=owner_headers).get_json()
    assert invoices["invoice"][-1]["counts"] == 1 and set(invoices["invoice"][-1]) == {
        "months", "years", "counts", "month_names"}
    products = client.post("/api/dashboard/total/products", headers=owner_headers).get_json()
    assert products == {"items": [{"id_menu": menu.id, "nama_menus": "Serum Laris",
                                   "counts": "3"}]}
    services = client.post("/api/dashboard/total/services", headers=owner_headers).get_json()
    assert services == {"items": [{"id_services": clinic["service"].id,
                                   "services_name": clinic["service"].services_name,
                                   "counts": 1}]}


def test_upcoming_tables(client, owner_headers):
    today = clinic_now().date()
    clinic = make_clinic(day=today + timedelta(days=1))
    soon = make_appointment(clinic, day=today + timedelta(days=1), status="BOOKING")
    make_appointment(clinic, slot=clinic["slots"][1], day=today + timedelta(days=1),
                     status="CANCEL")
    make_appointment(clinic, slot=clinic["slots"][2], day=today - timedelta(days=7),
                     status="BOOKING")
    answer = client.post("/api/dashboard/upcoming/offline_appoinments", headers=owner_headers,
                         data={"draw": "1"}).get_json()
    assert [row[0] for row in answer["data"]] == [soon.id]
    assert len(answer["data"][0]) == 20

    customer, menu = make_user(), make_menu()
    waiting = _order(customer, paid_at=clinic_now() - timedelta(hours=2), status="PROCESSING",
                     lines=[(menu, 1, 100000)])
    _order(customer, paid_at=clinic_now() - timedelta(hours=1), status="DONE",
           lines=[(menu, 1, 100000)])
    _order(customer, status="CHECKOUT", lines=[(menu, 1, 100000)])
    orders = client.post("/api/dashboard/upcoming/ecommerce", headers=owner_headers,
                         data={"draw": "1"}).get_json()
    assert [row[0] for row in orders["data"]] == [waiting.id]
    assert len(orders["data"][0]) == 46 and orders["data"][0][20] == "PROCESSING"

    running, _ended = make_promotion(), make_promotion(current=False)
    promotions = client.post("/api/dashboard/upcoming/promotions", headers=owner_headers,
                             data={"draw": "1"}).get_json()
    assert [row[0] for row in promotions["data"]] == [running.id]
    assert len(promotions["data"][0]) == 11


FIGURE_PATHS = ["report/penjualan/stats", "report/penjualan/overall",
                "report/penjualan/products", "report/penjualan/online_consultations",
                "report/offline/appoinment/performance", "dashboard/total/pendapatan",
                "dashboard/total/invoice", "dashboard/total/products", "dashboard/total/services"]
UPCOMING_PATHS = ["dashboard/upcoming/offline_appoinments", "dashboard/upcoming/ecommerce",
                  "dashboard/upcoming/promotions"]


@pytest.mark.parametrize("path", FIGURE_PATHS + UPCOMING_PATHS)
def test_access(client, auth, path):
    assert client.post(f"/api/{path}", json={}).status_code == 401
    customer = make_user(roles=("CUSTOMER",))
    doctor = make_doctor().user
    front_desk = make_user(roles=("USERS",))
    admin = make_user(roles=("ADMIN",))
    for user in (customer, doctor):
        answer = client.post(f"/api/{path}", json={}, headers=auth.headers(user))
        assert answer.status_code == 403, (user.username, answer.get_json())
    desk = client.post(f"/api/{path}", json={}, headers=auth.headers(front_desk))
    assert desk.status_code == (200 if path in UPCOMING_PATHS else 403)
    assert client.post(f"/api/{path}", json={}, headers=auth.headers(admin)).status_code == 200
