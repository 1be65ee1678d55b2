"""The owner's dashboard (issue 12 item 2): the KPI cards against hand-computed fixtures
(a cancelled, an unpaid order, a payment at 23:30 yesterday and one at 00:30 today clinic
time, last month's same days), each card's link opening a list whose count or sum is the
card's number, the chart data, the "what comes next" lists, who sees the clinic's figures,
and a number of queries that does not grow with the data."""
import html as markup
import json
import re
from datetime import date, datetime, time, timedelta

import pytest

from models import Order, OrderItem, clinic_now, db
from services.reports import kpis
from tests.conftest import count_queries, make_user
from tests.factories.appointments import make_appointment, make_clinic
from tests.factories.catalog import make_menu, make_promotion
from tests.factories.patients import make_patient

TODAY = date(2025, 3, 15)
NOW = datetime.combine(TODAY, time(10, 0))


def _order(customer, paid_at=None, status="PAID", total=0, discount=0, order_type="E",
           cancelled=False, menu=None, qty=1):
    """An order written directly with hand-set money (one line of `menu` when given)."""
    order = Order(id_member=customer.id, order_type=order_type, status=status,
                  order_date=(paid_at or NOW) - timedelta(minutes=5),
                  nama_pemesan=customer.users_fullname, is_paid=paid_at is not None,
                  paid_date=paid_at, total_price=total, total_discount=discount,
                  grand_totals=total - discount, is_canceled=cancelled,
                  order_code=f"{order_type}-D-{customer.id}-{status}-"
                             f"{(paid_at or datetime(2000, 1, 1)):%m%d%H%M}")
    db.session.add(order)
    db.session.flush()
    if menu is not None:
        db.session.add(OrderItem(id_order=order.id, id_menu=menu.id, qty=qty,
                                 price=total // qty, price_total=total))
    db.session.commit()
    return order


@pytest.fixture
def frozen(monkeypatch):
    """The dashboard's today is 15 March 2025, 10:00 clinic time."""
    monkeypatch.setattr(kpis, "clinic_now", lambda: NOW)
    return NOW


@pytest.fixture
def clinic_data(frozen):
    """Orders, appointments and patients around 15 March 2025."""
    customer = make_user()
    serum = make_menu(nama_menus="Serum Vitamin C")
    orders = {
        # yesterday 23:30: this month, not today
        "evening": _order(customer, datetime(2025, 3, 14, 23, 30), total=200000, menu=serum,
                          qty=2),
        # today 00:30: today (300.000 − 50.000 discount)
        "night": _order(customer, datetime(2025, 3, 15, 0, 30), status="PROCESSING",
                        total=300000, discount=50000, menu=serum, qty=3),
        "unpaid": _order(customer, None, status="CHECKOUT", total=1000000),
        "cancelled": _order(customer, datetime(2025, 3, 15, 9, 0), status="CANCEL",
                            total=400000, cancelled=True),
        "consultation": _order(customer, datetime(2025, 3, 2, 12, 0), status="DONE",
                               total=150000, order_type="C"),
        # last month: inside 1–15 February, and after it (not compared)
        "february": _order(customer, datetime(2025, 2, 10, 8, 0), status="DONE", total=100000),
        "late_february": _order(customer, datetime(2025, 2, 20, 8, 0), status="DONE",
                                total=500000),
        "january": _order(customer, datetime(2025, 1, 5, 8, 0), status="DONE", total=70000),
    }
    clinic = make_clinic(day=date(2025, 3, 5))
    appointments = [
        make_appointment(clinic, slot=clinic["slots"][0], day=date(2025, 3, 5), status="DONE"),
        make_appointment(clinic, slot=clinic["slots"][1], day=date(2025, 3, 5), status="DONE"),
        make_appointment(clinic, slot=clinic["slots"][2], day=date(2025, 3, 6),
                         status="CANCEL"),
        make_appointment(clinic, slot=clinic["slots"][0], day=date(2025, 2, 10),
                         status="DONE"),
        # later this month: not yet
        make_appointment(clinic, slot=clinic["slots"][0], day=date(2025, 3, 20),
                         status="BOOKING"),
    ]
    patients = [make_patient(created=datetime(2025, 3, 1, 0, 10)),
                make_patient(created=datetime(2025, 3, 15, 9, 0)),
                make_patient(created=datetime(2025, 2, 28, 23, 59)),
                make_patient(created=datetime(2025, 3, 3, 8, 0), deleted_at=NOW)]
    return {"orders": orders, "clinic": clinic, "appointments": appointments,
            "patients": patients}


def _page(client, auth, user):
    auth.admin_login(user)
    answer = client.get("/admin/")
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def _kpi(page, name) -> str:
    match = re.search(rf'data-kpi="{name}">([^<]*)<', page)
    assert match, name
    return match.group(1).strip()


def _card_link(page, name) -> str:
    block = page[page.index(f'id="kpi-{name}"'):]
    return markup.unescape(re.search(r'class="stretched-link" href="([^"]+)"', block).group(1))


def _chart_data(page) -> dict:
    block = re.search(r'<script type="application/json" id="dashboard-data">(.*?)</script>',
                      page, re.S)
    return json.loads(block.group(1))


def test_cards_show_the_hand_computed_figures(client, auth, owner, clinic_data):
    page = _page(client, auth, owner)
    # today: only the 00:30 payment (300.000 − 50.000); the 23:30 one was yesterday, the
    # cancelled one never counts
    assert _kpi(page, "revenue-today") == "Rp 250.000"
    # this month: 200.000 + 250.000 + 150.000 (consultation); unpaid and cancelled never
    assert _kpi(page, "revenue-month") == "Rp 600.000"
    # 1–15 February: 100.000 (the 20th is later than the same day) → +500%
    change = re.search(r'data-change="([^"]+)"', page).group(1)
    assert float(change) == 500.0 and "+500,0%" in page and "Rp 100.000" in page
    assert _kpi(page, "invoices-month") == "3"
    assert _kpi(page, "appointments-done") == "2"
    assert _kpi(page, "new-patients") == "2"


def test_cards_equal_the_api(client, auth, owner, owner_headers, clinic_data):
    body = {"tgl_awal": "01/03/2025", "tgl_akhir": "15/03/2025"}
    stats = client.post("/api/report/penjualan/stats", json=body,
                        headers=owner_headers).get_json()
    page = _page(client, auth, owner)
    assert _kpi(page, "revenue-month") == f"Rp {stats['amount_total']:,}".replace(",", ".")
    assert int(_kpi(page, "invoices-month")) == \
        stats["total_sales"] + stats["total_online_consultation"]


def test_each_card_opens_the_list_it_counts(client, auth, owner, clinic_data):
    page = _page(client, auth, owner)
    today = client.get(_card_link(page, "revenue-today")).get_data(as_text=True)
    assert 'id="order-list-paid-count">1<' in today and "Rp 250.000" in today
    assert clinic_data["orders"]["night"].order_code in today
    assert clinic_data["orders"]["evening"].order_code not in today
    month_link = _card_link(page, "revenue-month")
    assert month_link == _card_link(page, "invoices-month")
    month = client.get(month_link).get_data(as_text=True)
    assert 'id="order-list-paid-count">3<' in month
    assert 'id="order-list-net">Rp 600.000<' in month
    for name in ("unpaid", "cancelled", "february"):
        assert clinic_data["orders"][name].order_code not in month
    done = client.get(_card_link(page, "appointments-done")).get_data(as_text=True)
    # the DONE ones of 1–15 March, out of the period's three (one cancelled)
    assert "2 dari 3 data" in done and 'id="list-period"' in done
    assert done.count('id="row-') == 2
    patients = client.get(_card_link(page, "new-patients")).get_data(as_text=True)
    assert "2 dari 2 data" in patients
    assert clinic_data["patients"][0].nama_lengkap_pasien in patients
    assert clinic_data["patients"][2].nama_lengkap_pasien not in patients


def test_the_paid_filter_of_the_order_list(client, auth, owner, clinic_data):
    auth.admin_login(owner)
    page = client.get("/admin/orders/list", query_string={
        "bayar_dari": "14/03/2025", "bayar_sampai": "14/03/2025"}).get_data(as_text=True)
    assert 'id="order-list-paid-count">1<' in page and "Rp 200.000" in page
    bad = client.get("/admin/orders/list", query_string={"bayar_dari": "31/02/2025"})
    assert bad.status_code == 200 and "Tanggal tidak valid" in bad.get_data(as_text=True)
    backwards = client.get("/admin/orders/list", query_string={
        "bayar_dari": "15/03/2025", "bayar_sampai": "01/03/2025"}).get_data(as_text=True)
    assert "Tanggal akhir sebelum tanggal awal." in backwards
    plain = client.get("/admin/orders/list").get_data(as_text=True)
    assert 'id="order-list-paid"' not in plain


def test_a_bad_period_on_a_generic_list_is_ignored(client, auth, owner, clinic_data):
    auth.admin_login(owner)
    answer = client.get("/admin/patients/", query_string={"dari": "99/99/2025"})
    assert answer.status_code == 200 and 'id="list-period"' not in answer.get_data(as_text=True)


def test_chart_data(client, auth, owner, clinic_data):
    page = _page(client, auth, owner)
    data = _chart_data(page)
    assert data["year"] == 2025 and data["months"] == ["Jan", "Feb", "Mar"]
    assert data["revenue"] == [70000, 600000, 600000] and data["invoices"] == [1, 2, 3]
    assert data["products"] == {"labels": ["Serum Vitamin C"], "values": [5]}
    assert data["services"]["values"] == [3]
    doctor = clinic_data["clinic"]["doctor_user"].users_fullname
    assert data["doctors"] == {"labels": [doctor], "booked": [3], "done": [2]}
    for chart in ("chart-months", "chart-doctors", "chart-products", "chart-services"):
        assert f'id="{chart}"' in page


def test_empty_dashboard_speaks_indonesian(client, auth, owner, frozen):
    page = _page(client, auth, owner)
    assert _kpi(page, "revenue-today") == "Rp 0"
    for text in ("Belum ada pesanan lunas tahun ini.", "Belum ada janji temu bulan ini.",
                 "Belum ada produk terjual tahun ini.", "Tidak ada janji temu mendatang.",
                 "Tidak ada pesanan yang menunggu.", "Tidak ada promosi yang berjalan."):
        assert text in page
    assert "<canvas" not in page


def test_what_comes_next_links_to_each_object(client, auth, owner):
    clinic = make_clinic()
    upcoming = make_appointment(clinic)
    promotion = make_promotion(quota=50, used=20, title="Promo Ramadan")
    customer = make_user()
    waiting = _order(customer, clinic_now() - timedelta(hours=2), total=90000)
    page = _page(client, auth, owner)
    assert f'/admin/user_schedules/{upcoming.id}"' in page
    assert f'/admin/orders/{waiting.id}"' in page and waiting.order_code in page
    assert f'/admin/promotions/{promotion.id}"' in page and "20 / 50" in page
    assert 'max="50" value="20"' in page


def test_customers_are_refused_and_other_staff_land_on_hari_ini(app, clinic_data):
    from tests.conftest import Auth
    client = app.test_client()
    Auth(client).admin_login(make_user())
    answer = client.get("/admin/")
    assert answer.status_code in (302, 403)
    assert "Rp 600.000" not in answer.get_data(as_text=True)
    for roles in (("DOCTOR",), ("USERS",)):
        client = app.test_client()
        Auth(client).admin_login(make_user(roles=roles))
        answer = client.get("/admin/")
        assert answer.status_code == 302 and answer.location.endswith("/admin/hari-ini/")
        page = client.get("/admin/", follow_redirects=True).get_data(as_text=True)
        assert "Hari ini" in page
        assert 'id="kpi-cards"' not in page and "Pendapatan" not in page
        assert "Rp 600.000" not in page and "dashboard-data" not in page


def _dashboard_queries(client) -> int:
    with count_queries() as statements:
        assert client.get("/admin/").status_code == 200
    return len(statements)


def _busy(count, clinic, customer, menu):
    now = clinic_now()
    for number in range(count):
        _order(customer, now - timedelta(hours=number + 1), total=10000 * (number + 1),
               menu=menu, qty=1)
        make_appointment(clinic, slot=clinic["slots"][number % 3],
                         day=now.date() + timedelta(days=7 * (number + 1)))
        make_appointment(clinic, slot=clinic["slots"][number % 3],
                         day=now.date() - timedelta(days=7 * (number + 1)), status="DONE")
        make_patient()
        make_promotion(quota=10, used=number % 10)


def test_the_dashboard_takes_the_same_queries_for_two_or_twenty(client, auth, owner):
    auth.admin_login(owner)
    clinic, customer, menu = make_clinic(), make_user(), make_menu()
    _busy(2, clinic, customer, menu)
    few = _dashboard_queries(client)
    second = make_clinic(day=clinic["day"])
    _busy(18, second, make_user(), make_menu())
    assert _dashboard_queries(client) == few
