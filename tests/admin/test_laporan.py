"""Admin "Laporan" (issue 12 item 4): sales (every paid order, per product, per store, online
consultations) and appointment performance per doctor, against hand-computed fixtures (a
cancelled and an unpaid order; payments at 23:30 the evening before and 00:30 on the day,
clinic time; DONE, CANCEL, ARRIVED and never-arrived appointments); the screen's numbers equal
the API's for the same filters; CSV, Excel and PDF open and hold the same totals; the store
filter; sorting; who may look; bad filters."""
import csv
import io
import re
from datetime import date, datetime, timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from models import clinic_now, db
from services.reports import queries, question
from tests.api.test_reports import _order
from tests.conftest import make_user
from tests.factories.appointments import make_appointment, make_clinic
from tests.factories.catalog import make_menu
from tests.factories.doctors import make_doctor
from tests.factories.stores import make_store

DAY = date(2025, 3, 10)
ON_DAY = {"dari": "10/03/2025", "sampai": "10/03/2025"}
API_DAY = {"tgl_awal": "10/03/2025", "tgl_akhir": "10/03/2025"}
SALES = "/admin/laporan/penjualan"
APPOINTMENTS = "/admin/laporan/janji-temu"


def _in_store(order, store):
    order.id_brandstore = store.id if store else None
    db.session.commit()
    return order


@pytest.fixture
def sales():
    """Stores Dago and Tebet; products Serum A (Rp 100.000) and Krim B (Rp 200.000); a
    consultation doctor. On 10 March (the clinic's day) count: "night" (Tebet, 00:30, A+B,
    discount 50.000, courier 20.000), "dago" (Dago, 15:00, B) and the consultation (no store);
    not the 23:30 payment of the 9th, the 00:30 one of the 11th, the unpaid nor the
    cancelled."""
    first, second = make_user(users_fullname="Ayu Lestari"), make_user(users_fullname="Bima")
    dago, tebet = make_store(nama="Colederma Dago"), make_store(nama="Colederma Tebet")
    menu_a, menu_b = make_menu(nama_menus="Serum A"), make_menu(nama_menus="Krim B")
    doctor = make_doctor()
    orders = {
        "evening": _in_store(_order(first, paid_at=datetime(2025, 3, 9, 23, 30),
                                    lines=[(menu_a, 2, 100000)]), dago),
        "night": _in_store(_order(second, paid_at=datetime(2025, 3, 10, 0, 30), status="DONE",
                                  lines=[(menu_a, 1, 100000), (menu_b, 1, 200000)],
                                  discount=50000, courier=20000), tebet),
        "dago": _in_store(_order(first, paid_at=datetime(2025, 3, 10, 15), status="PROCESSING",
                                 lines=[(menu_b, 1, 200000)]), dago),
        "unpaid": _in_store(_order(first, status="CHECKOUT", lines=[(menu_b, 5, 200000)]), dago),
        "cancelled": _in_store(_order(second, paid_at=datetime(2025, 3, 10, 10), status="CANCEL",
                                      cancelled=True, lines=[(menu_b, 2, 200000)]), dago),
        "consultation": _order(first, order_type="C", paid_at=datetime(2025, 3, 10, 12),
                               extras=[(doctor, 150000)]),
        "next_day": _in_store(_order(second, paid_at=datetime(2025, 3, 11, 0, 30),
                                     lines=[(menu_b, 1, 200000)]), tebet),
    }
    return {"dago": dago, "tebet": tebet, "doctor": doctor, "orders": orders}


@pytest.fixture
def manager(auth):
    user = make_user(roles=("OWNER", "ADMIN", "USERS"), username="pemilik.laporan")
    assert auth.admin_login(user).status_code == 302
    return user


def text_of(html, element_id):
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</', html, re.S)
    assert match, element_id
    return re.sub(r"\s+", " ", match.group(1)).strip()


def table_rows(html, table_id):
    """The body rows of a table as lists of cell texts (tags stripped)."""
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S).group(0)
    body = re.search(r"<tbody>(.*?)</tbody>", table, re.S).group(1)
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in
             re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def totals_row(html):
    row = re.search(r'id="laporan-totals">(.*?)</tr>', html, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<th[^>]*>(.*?)</th>",
                                                                         row, re.S)]


def test_overall_tab_counts_paid_orders_by_payment_day(client, manager, owner_headers, sales):
    page = client.get(SALES, query_string=ON_DAY)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    # stats: night 300.000 − 50.000 and dago 200.000 (products), the consultation 150.000
    assert text_of(html, "stat-amount_total") == "Rp 600.000"
    assert text_of(html, "stat-amount_sales") == "Rp 500.000"
    assert text_of(html, "stat-amount_online_consultation") == "Rp 150.000"
    assert text_of(html, "stat-amount_discount") == "Rp 50.000"
    assert text_of(html, "stat-total_customer") == "2"
    # the same numbers as the API for the same period
    api = client.post("/api/report/penjualan/stats", json=API_DAY, headers=owner_headers)
    stats = api.get_json()
    assert stats["amount_total"] == 600000 and stats["amount_sales"] == 500000
    orders = sales["orders"]
    rows = table_rows(html, "laporan-semua")
    # newest payment first, as the API's overall list
    codes = [row[0] for row in rows]
    assert codes == [orders["dago"].order_code, orders["consultation"].order_code,
                     orders["night"].order_code]
    overall = client.post("/api/report/penjualan/overall", json=API_DAY,
                          headers=owner_headers).get_json()
    assert codes == [row[0] for row in overall["data"]]
    assert rows[2] == [orders["night"].order_code, "10/03/2025 00:30", "Produk", "Bima",
                       "Colederma Tebet", "Rp 300.000", "Rp 50.000", "Rp 20.000", "Rp 0",
                       "Rp 270.000", "Selesai"]
    assert totals_row(html)[:11] == ["Total (3 pesanan)", "", "", "", "", "Rp 650.000",
                                     "Rp 50.000", "Rp 20.000", "Rp 0", "Rp 620.000", ""]
    # the 23:30 payment belongs to the 9th
    evening = client.get(SALES, query_string={"dari": "09/03/2025", "sampai": "09/03/2025"})
    html = evening.get_data(as_text=True)
    assert [row[0] for row in table_rows(html, "laporan-semua")] == [orders["evening"].order_code]
    assert text_of(html, "stat-amount_total") == "Rp 200.000"


def test_default_period_is_this_month(client, manager):
    html = client.get(SALES).get_data(as_text=True)
    today = clinic_now().date()
    assert f'value="{today.replace(day=1):%d/%m/%Y}"' in html
    assert f'value="{today:%d/%m/%Y}"' in html


def test_products_stores_and_consultations_tabs_agree_with_the_api(client, manager,
                                                                   owner_headers, sales):
    html = client.get(SALES, query_string={**ON_DAY, "tab": "produk"}).get_data(as_text=True)
    assert table_rows(html, "laporan-produk") == [["Krim B", "2", "Rp 400.000"],
                                                  ["Serum A", "1", "Rp 100.000"]]
    assert totals_row(html) == ["Total", "3", "Rp 500.000"]
    api = client.post("/api/report/penjualan/products", json=API_DAY,
                      headers=owner_headers).get_json()
    assert api["data"] == [["Krim B", 2, 400000], ["Serum A", 1, 100000]]

    html = client.get(SALES, query_string={**ON_DAY, "tab": "toko"}).get_data(as_text=True)
    assert table_rows(html, "laporan-toko") == [
        ["Colederma Tebet", "1", "Rp 300.000", "Rp 50.000", "Rp 250.000"],
        ["Colederma Dago", "1", "Rp 200.000", "Rp 0", "Rp 200.000"],
        ["Tanpa toko (konsultasi online)", "1", "Rp 150.000", "Rp 0", "Rp 150.000"]]
    # the stores add up to the stats' amount_total
    assert totals_row(html) == ["Total", "3", "Rp 650.000", "Rp 50.000", "Rp 600.000"]

    html = client.get(SALES, query_string={**ON_DAY, "tab": "konsultasi"}).get_data(as_text=True)
    name = sales["doctor"].user.users_fullname
    assert table_rows(html, "laporan-konsultasi") == [[name, "1", "Rp 150.000"]]
    api = client.post("/api/report/penjualan/online_consultations", json=API_DAY,
                      headers=owner_headers).get_json()
    assert api["data"] == [[name, 1, 150000]]


def test_store_filter_on_screen_and_api(client, manager, owner_headers, sales):
    dago = sales["dago"]
    html = client.get(SALES, query_string={**ON_DAY, "toko": dago.id}).get_data(as_text=True)
    assert [row[0] for row in table_rows(html, "laporan-semua")] == \
        [sales["orders"]["dago"].order_code]
    assert text_of(html, "stat-amount_total") == "Rp 200.000"
    api = client.post("/api/report/penjualan/stats", json={**API_DAY, "id_brandstore": dago.id},
                      headers=owner_headers).get_json()
    assert (api["amount_total"], api["total_sales"], api["total_online_consultation"]) == \
        (200000, 1, 0)
    products = client.get(SALES, query_string={**ON_DAY, "tab": "produk",
                                               "toko": dago.id}).get_data(as_text=True)
    assert table_rows(products, "laporan-produk") == [["Krim B", "1", "Rp 200.000"]]
    # the API without the filter is unchanged, with a bad one it is a 422
    bad = client.post("/api/report/penjualan/stats", json={**API_DAY, "id_brandstore": "x"},
                      headers=owner_headers)
    assert bad.status_code == 422 and "id_brandstore" in bad.get_json()["exception"]["fields"]


def test_sorting_is_server_side_and_swaps_the_table(client, manager, htmx, sales):
    query = {**ON_DAY, "tab": "produk", "sort": "qty", "dir": "asc"}
    html = client.get(SALES, query_string=query).get_data(as_text=True)
    assert [row[0] for row in table_rows(html, "laporan-produk")] == ["Serum A", "Krim B"]
    assert re.search(r'<th[^>]*aria-sort="ascending"[^>]*>\s*<a[^>]*data-sort="qty"', html)
    # clicking the sorted heading again asks for the other direction
    assert re.search(r'href="[^"]*sort=qty[^"]*dir=desc', html)
    partial = htmx.get(SALES, query_string={**query, "dir": "desc"},
                       headers={"HX-Target": "laporan-table"})
    body = partial.get_data(as_text=True)
    assert partial.status_code == 200 and "laporan-filters" not in body
    assert [row[0] for row in table_rows(body, "laporan-produk")] == ["Krim B", "Serum A"]
    overall = client.get(SALES, query_string={**ON_DAY, "sort": "grand_totals",
                                              "dir": "asc"}).get_data(as_text=True)
    assert [row[9] for row in table_rows(overall, "laporan-semua")] == \
        ["Rp 150.000", "Rp 200.000", "Rp 270.000"]
    unknown = client.get(SALES, query_string={**ON_DAY, "sort": "nope; drop"})
    assert unknown.status_code == 200


def _csv(response):
    assert response.status_code == 200
    assert response.data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_exports_hold_the_screen_numbers(client, manager, sales, app):
    query = {**ON_DAY, "tab": "produk"}
    response = client.get(f"{SALES}/unduh/csv", query_string=query)
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="laporan-penjualan-produk-2025-03-10_2025-03-10.csv"'
    assert _csv(response) == [["Produk", "Terjual", "Penjualan"], ["Krim B", "2", "400000"],
                              ["Serum A", "1", "100000"], ["Total", "3", "500000"]]

    workbook = client.get(f"{SALES}/unduh/xlsx", query_string=query)
    assert workbook.status_code == 200
    assert "laporan-penjualan-produk-2025-03-10_2025-03-10.xlsx" in \
        workbook.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(workbook.data)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert "Per Produk" in values[0][0] and "10/03/2025" in values[1][0]
    assert values[2:] == [["Produk", "Terjual", "Penjualan"], ["Krim B", 2, 400000],
                          ["Serum A", 1, 100000], ["Total", 3, 500000]]
    assert "Rp" in sheet.cell(row=4, column=3).number_format

    pdf = client.get(f"{SALES}/unduh/pdf", query_string=query)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert app.config["CLINIC_NAME"] in text
    assert "Rp 500.000" in text and "Rp 400.000" in text and "10/03/2025" in text

    # the overall list: every order (all pages) and the totals row
    rows = _csv(client.get(f"{SALES}/unduh/csv", query_string=ON_DAY))
    assert rows[0][0] == "Kode" and len(rows) == 1 + 3 + 1
    assert rows[-1][5:10] == ["650000", "50000", "20000", "0", "620000"]
    stores = client.get(f"{SALES}/unduh/xlsx", query_string={**ON_DAY, "tab": "toko",
                                                           "toko": sales["dago"].id})
    sheet = load_workbook(io.BytesIO(stores.data)).active
    assert "Toko: Colederma Dago" in sheet["A2"].value
    assert [cell.value for cell in sheet[sheet.max_row]] == ["Total", 1, 200000, 0, 200000]


@pytest.fixture
def appointments():
    """Doctor one on DAY (past): DONE, CANCEL, BOOKING never arrived (no-show); a week later
    a RESCHEDULE never arrived. Doctor two on DAY: DONE and ARRIVED (came, not done)."""
    one = make_clinic(day=DAY, price=275000, duration=45)
    make_appointment(one, slot=one["slots"][0], day=DAY, status="DONE")
    make_appointment(one, slot=one["slots"][1], day=DAY, status="CANCEL")
    make_appointment(one, slot=one["slots"][2], day=DAY, status="BOOKING")
    make_appointment(one, slot=one["slots"][0], day=DAY + timedelta(days=7), status="RESCHEDULE")
    two = make_clinic(day=DAY, price=300000, duration=30)
    make_appointment(two, slot=two["slots"][0], day=DAY, status="DONE")
    make_appointment(two, slot=two["slots"][1], day=DAY, status="ARRIVED")
    return {"one": one, "two": two}


def test_appointment_performance_per_doctor(client, manager, owner_headers, appointments):
    page = client.get(APPOINTMENTS, query_string=ON_DAY)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    one, two = appointments["one"], appointments["two"]
    rows = {row[0]: row[1:] for row in table_rows(html, "laporan-dokter")}
    # booked, done, cancelled, no-show, no-show / (booked − cancelled), revenue (DONE)
    assert rows[one["doctor_user"].users_fullname] == ["3", "1", "1", "1", "50,0%", "Rp 275.000"]
    assert rows[two["doctor_user"].users_fullname] == ["2", "1", "0", "0", "0,0%", "Rp 300.000"]
    assert totals_row(html) == ["Total", "5", "2", "1", "1", "25,0%", "Rp 575.000"]
    assert "harinya sudah lewat" in text_of(html, "laporan-help")
    # the per-service breakdown (the API's rows) behind the doctor's link
    link = re.search(r'<a href="([^"]*tab=layanan[^"]*)">' + re.escape(
        one["doctor_user"].users_fullname), html).group(1)
    assert f"dokter={one['doctor'].id}" in link
    detail = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert table_rows(detail, "laporan-layanan") == [
        [one["doctor_user"].users_fullname, one["service"].services_name, "3", "1", "1", "1",
         "45", "Rp 275.000"]]
    api = client.post("/api/report/offline/appoinment/performance", headers=owner_headers,
                      json={**API_DAY, "id_doctors": one["doctor"].id}).get_json()
    assert api["data"][0][:4] == [one["doctor_user"].users_fullname,
                                  one["service"].services_name, 1, 45]
    # the week: the RESCHEDULE never arrived either
    week = client.get(APPOINTMENTS, query_string={"dari": "10/03/2025", "sampai": "17/03/2025",
                                                  "dokter": one["doctor"].id})
    assert table_rows(week.get_data(as_text=True), "laporan-dokter") == [
        [one["doctor_user"].users_fullname, "4", "1", "1", "2", "66,7%", "Rp 275.000"]]


def test_a_future_booking_is_not_a_no_show(appointments):
    today = clinic_now().date()
    later = today + timedelta(days=2)
    clinic = make_clinic(day=later)
    make_appointment(clinic, day=later, status="BOOKING")
    filters = question.read_filters({"tgl_awal": today.isoformat(),
                                    "tgl_akhir": (today + timedelta(days=7)).isoformat()})
    [row] = queries.doctor_performance(filters)
    assert (row["booked"], row["no_show"], row["no_show_rate"]) == (1, 0, 0.0)
    assert queries.no_show_rate(0, 2, 2) is None


def test_appointment_exports(client, manager, appointments):
    response = client.get(f"{APPOINTMENTS}/unduh/csv", query_string=ON_DAY)
    assert "laporan-janji-temu-dokter-2025-03-10_2025-03-10.csv" in \
        response.headers["Content-Disposition"]
    rows = _csv(response)
    assert rows[0] == ["Dokter", "Dipesan", "Selesai", "Dibatalkan", "Tidak datang",
                       "Tingkat tidak datang (%)", "Pendapatan"]
    assert rows[-1] == ["Total", "5", "2", "1", "1", "25.0", "575000"]
    sheet = load_workbook(io.BytesIO(client.get(f"{APPOINTMENTS}/unduh/xlsx",
                                                query_string=ON_DAY).data)).active
    last = [cell for cell in sheet[sheet.max_row]]
    assert [cell.value for cell in last] == ["Total", 5, 2, 1, 1, 0.25, 575000]
    assert last[5].number_format == "0.0%"
    pdf = client.get(f"{APPOINTMENTS}/unduh/pdf", query_string=ON_DAY)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Rp 575.000" in text and "25,0%" in text


def test_bad_filters_answer_in_indonesian_never_a_500(client, manager, htmx, sales):
    page = client.get(SALES, query_string={"dari": "31/02/2025", "sampai": "kemarin",
                                           "toko": "abc"})
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "Tanggal tidak valid" in html and "is-invalid" in html
    assert "Toko: Toko tidak dikenal: pilih dari daftar." in html
    swapped = htmx.get(SALES, query_string={"dari": "10/03/2025", "sampai": "01/03/2025"})
    assert swapped.status_code == 422
    assert "Tanggal akhir tidak boleh sebelum tanggal awal" in swapped.get_data(as_text=True)
    export = client.get(f"{SALES}/unduh/csv", query_string={"dari": "99/99/2025"})
    assert export.status_code == 422 and "Tanggal tidak valid" in export.get_data(as_text=True)
    assert client.get(f"{SALES}/unduh/docx", query_string=ON_DAY).status_code == 422
    assert client.get(APPOINTMENTS, query_string={"dokter": "x"}).status_code == 422


def test_navigation_opens_laporan_for_managers_only(client, auth, manager):
    html = client.get("/admin/", follow_redirects=True).get_data(as_text=True)
    assert 'href="/admin/laporan/penjualan"' in html
    assert client.get("/admin/laporan/").status_code == 302


@pytest.mark.parametrize("roles", [("USERS",), ("DOCTOR",), ("CUSTOMER",)])
def test_front_desk_doctors_and_customers_are_refused(client, auth, roles):
    user = make_doctor().user if roles == ("DOCTOR",) else make_user(roles=roles)
    auth.admin_login(user)
    for path in (SALES, APPOINTMENTS, f"{SALES}/unduh/csv", f"{APPOINTMENTS}/unduh/xlsx"):
        response = client.get(path)
        if roles == ("CUSTOMER",):  # never signed in to /admin
            assert response.status_code == 302 and "/admin/login" in response.headers["Location"]
        else:
            assert response.status_code == 403, (roles, path)
    if roles != ("CUSTOMER",):
        assert "/admin/laporan/" not in client.get("/admin/", follow_redirects=True).get_data(as_text=True)


def test_no_session_goes_to_login(client):
    response = client.get(SALES)
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]
    assert client.get(f"{SALES}/unduh/pdf").status_code == 302


def test_period_presets():
    from blueprints.reports import period_presets
    assert period_presets(date(2026, 3, 1)) == [
        ("Hari ini", date(2026, 3, 1), date(2026, 3, 1)),
        ("Bulan ini", date(2026, 3, 1), date(2026, 3, 1)),
        ("Bulan lalu", date(2026, 2, 1), date(2026, 2, 28)),
        ("Tahun ini", date(2026, 1, 1), date(2026, 3, 1))]
