"""The owner's dashboard in a real browser (issue 12 item 2): the charts are drawn by
Chart.js under the strict CSP (no browser errors), a KPI card opens the list it counts and
the list's sum is the card's number; at 1440 px and at 390 px, without sideways scroll.
Screenshots: dashboard-1440.png, dashboard-390.png, dashboard-card-list.png."""
import re
from datetime import datetime, time, timedelta

from playwright.sync_api import expect

from models import clinic_now
from tests.admin.test_dashboard import _order
from tests.conftest import make_user
from tests.e2e.layout import no_sideways_scroll
from tests.e2e.signin import sign_in
from tests.factories.appointments import make_appointment, make_clinic
from tests.factories.catalog import make_menu, make_promotion
from tests.factories.patients import make_patient

CHARTS = ("chart-months", "chart-doctors", "chart-products", "chart-services")


def busy_clinic():
    """Paid orders today and in the earlier months of this year, DONE appointments today,
    one coming, a patient registered today and a running promotion."""
    now = clinic_now()
    today_start = datetime.combine(now.date(), time(0, 1))
    customer = make_user(users_fullname="Rita Ambar")
    serum, cream = make_menu(nama_menus="Serum Vitamin C"), make_menu(nama_menus="Krim Malam")
    _order(customer, max(now - timedelta(minutes=30), today_start), total=450000, menu=serum,
           qty=3)
    _order(customer, max(now - timedelta(minutes=20), today_start), status="PROCESSING",
           total=200000, discount=25000, menu=cream, qty=1)
    for month in range(1, now.month):
        _order(customer, datetime(now.year, month, 10, 11, 0), status="DONE",
               total=300000 + 50000 * month, menu=serum, qty=2)
    clinic = make_clinic(day=now.date())
    for slot in clinic["slots"][:2]:
        make_appointment(clinic, slot=slot, day=now.date(), status="DONE")
    coming = make_clinic()
    make_appointment(coming)
    make_patient(nama_lengkap_pasien="Pasien Baru Hari Ini")
    make_promotion(title="Promo Akhir Tahun", quota=100, used=35)


def charts_drawn(page):
    page.wait_for_function("() => window.dashboardCharts && window.Chart")
    for chart in CHARTS:
        expect(page.locator(f"#{chart}")).to_be_visible()
        assert page.evaluate(f"() => !!window.Chart.getChart(document.getElementById('{chart}'))")


def test_owner_sees_the_charts_and_a_card_opens_its_list(page, live_server, artifacts_dir):
    make_user(roles=("OWNER", "ADMIN", "USERS"), username="pemilik.klinik")
    busy_clinic()
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(page, live_server, "pemilik.klinik")
    expect(page.locator('[data-kpi="revenue-today"]')).to_have_text("Rp 625.000")
    charts_drawn(page)
    assert no_sideways_scroll(page)
    page.screenshot(path=str(artifacts_dir / "dashboard-1440.png"), full_page=True)

    month_total = page.locator('[data-kpi="revenue-month"]').inner_text()
    invoices = page.locator('[data-kpi="invoices-month"]').inner_text()
    page.locator("#kpi-revenue-month").click(position={"x": 24, "y": 24})  # the card is the link
    page.wait_for_url(re.compile(r"/admin/orders/list\?bayar_dari="))
    expect(page.locator("#order-list-net")).to_have_text(month_total)
    expect(page.locator("#order-list-paid-count")).to_have_text(invoices)
    expect(page.locator("#order-list tbody tr")).to_have_count(int(invoices))
    page.screenshot(path=str(artifacts_dir / "dashboard-card-list.png"), full_page=True)

    page.go_back()
    page.locator("#kpi-appointments-done").click(position={"x": 24, "y": 24})
    page.wait_for_url(re.compile(r"/admin/user_schedules/\?status=DONE&dari="))
    expect(page.locator("#list-period")).to_be_visible()
    expect(page.locator("#list-user_schedules tbody tr")).to_have_count(2)
    assert page.browser_errors.unexpected() == []


def test_the_dashboard_on_a_phone(page, live_server, artifacts_dir):
    make_user(roles=("OWNER", "ADMIN", "USERS"), username="pemilik.hp")
    busy_clinic()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "pemilik.hp")
    charts_drawn(page)
    assert no_sideways_scroll(page)
    for chart in CHARTS:  # each chart fits the phone's width
        box = page.locator(f"#{chart}").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390.5 and box["height"] >= 200
    page.screenshot(path=str(artifacts_dir / "dashboard-390.png"), full_page=True)
    assert page.browser_errors.unexpected() == []
