"""Hari ini in a real browser: the front desk marks a patient arrived, then done, from the
day's list (the row changes in place, no reload); a doctor signs in and sees only their own
day and their waiting consultations; the page fits a desktop and a phone (screenshots)."""
from datetime import time, timedelta

import pytest
from playwright.sync_api import expect

from app.extensions import db
from models import Appointment, Order, clinic_now
from tests.conftest import make_user
from tests.e2e.layout import fits_across, no_sideways_scroll
from tests.e2e.signin import sign_in
from tests.factories.appointments import make_appointment, make_clinic, make_patient_of
from tests.factories.stores import make_product, make_store, make_store_menu
from tests.factories.threads import make_message, make_thread

STARTS = (time(9, 0), time(10, 0), time(11, 0), time(13, 0))


@pytest.fixture
def clinic_day():
    """Two doctors with patients today, a paid order to prepare, low stock, a thread."""
    today = clinic_now().date()
    window = (time(9, 0), time(15, 0))
    markus = make_clinic(day=today, starts=STARTS, window=window,
                         doctor_user=make_user(roles=("DOCTOR",), username="dokter.markus",
                                               users_fullname="Markus Nahesson SpKK"))
    sari = make_clinic(day=today, starts=STARTS, window=window,
                       doctor_user=make_user(roles=("DOCTOR",), username="dokter.sari",
                                             users_fullname="dr. Sari Wulandari SpDVE"))
    rita = make_appointment(markus, markus["slots"][0], day=today,
                            patient=make_patient_of(nama_lengkap_pasien="Rita Ambar"))
    make_appointment(markus, markus["slots"][1], day=today, status="DONE",
                     patient=make_patient_of(nama_lengkap_pasien="Dewi Lestari"))
    make_appointment(markus, markus["slots"][2], day=today, status="ARRIVED",
                     patient=make_patient_of(nama_lengkap_pasien="Andi Pratama Wijayakusuma"))
    make_appointment(sari, sari["slots"][0], day=today,
                     patient=make_patient_of(nama_lengkap_pasien="Bayu Seno"))
    make_appointment(sari, sari["slots"][3], day=today, status="CANCEL",
                     patient=make_patient_of(nama_lengkap_pasien="Citra Kirana"))
    store = make_store(nama="Colederma Dago")
    for name, quantity in (("Serum Vitamin C 20%", 2), ("Sunscreen SPF 50", 0),
                           ("Toner Niacinamide", 4)):
        make_store_menu(make_product(nama_menus=name), store, quantity=quantity)
    customer = make_user(roles=("CUSTOMER",), users_fullname="Lina Marlina")
    for number, status in enumerate(("PAID", "PROCESSING", "PREPARED"), start=1):
        paid = clinic_now() - timedelta(hours=number * 3)
        db.session.add(Order(id_member=customer.id, order_type="E", status=status, is_paid=True,
                             paid_date=paid, order_date=paid, nama_pemesan="Lina Marlina",
                             order_code=f"E-HARI-{number:03d}", total_price=250000,
                             grand_totals=250000, id_brandstore=store.id,
                             is_courier=number % 2 == 1))
    db.session.commit()
    thread = make_thread(customer, markus["doctor"],
                         id_patients=make_patient_of(customer, nama_lengkap_pasien="Lina Marlina").id)
    make_message(thread, content="Dok, setelah peeling kulit saya kemerahan, apakah normal?")
    make_user(roles=("USERS",), username="frontdesk", users_fullname="Sari Front Desk")
    return {"rita": rita, "markus": markus, "sari": sari}


def test_front_desk_marks_arrived_then_done(page, live_server, artifacts_dir, clinic_day):
    base = live_server
    page.set_viewport_size({"width": 1440, "height": 1000})
    sign_in(page, base, "frontdesk")
    page.get_by_role("link", name="Hari ini").first.click()
    page.wait_for_url(f"{base}/admin/hari-ini/")
    expect(page.get_by_role("heading", name="Janji temu hari ini")).to_be_visible()
    expect(page.locator("#today-orders")).to_contain_text("E-HARI-001")
    expect(page.locator("#today-stock")).to_contain_text("Sunscreen SPF 50")
    expect(page.locator("#today-stock")).to_contain_text("Habis")
    assert no_sideways_scroll(page)
    page.screenshot(path=str(artifacts_dir / "today-front-desk-1440.png"), full_page=True)
    page.evaluate("window.stillTheSamePage = true")

    row = page.locator(f"#today-row-{clinic_day['rita'].id}")
    expect(row).to_contain_text("Dipesan")
    row.get_by_role("button", name="Tandai datang").click()
    expect(row).to_contain_text("Datang")
    expect(page.locator("#toasts")).to_contain_text("Rita Ambar ditandai datang.")
    row.get_by_role("button", name="Selesai").click()  # no invoice number yet: said inline
    expect(row.locator(".invalid-feedback")).to_have_text("Nomor invoice wajib (maks. 50).")
    expect(row).to_contain_text("Datang")
    page.screenshot(path=str(artifacts_dir / "today-invoice-missing-1440.png"))
    row.get_by_label("Nomor invoice Digisoft untuk Rita Ambar").fill("0042/2026/12-IORA")
    row.get_by_role("button", name="Selesai").click()
    expect(row).to_contain_text("Selesai")
    expect(row).to_contain_text("0042/2026/12-IORA")
    expect(row.get_by_role("button")).to_have_count(0)
    assert page.evaluate("window.stillTheSamePage") is True  # no reload
    db.session.rollback()
    finished = db.session.get(Appointment, clinic_day["rita"].id)
    assert finished.status == "DONE" and finished.digisoft_invoice_numbers == "0042/2026/12-IORA"

    # the doctor filter narrows the list in place
    page.locator("#today-doctor").select_option(str(clinic_day["sari"]["doctor"].id))
    expect(page.locator("#today-appointments")).not_to_contain_text("Rita Ambar")
    expect(page.locator("#today-appointments")).to_contain_text("Bayu Seno")
    assert "dokter=" in page.url
    page.locator("#today-doctor").select_option("")
    expect(page.locator("#today-appointments")).to_contain_text("Rita Ambar")

    # a phone: the rows become cards, nothing scrolls sideways
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.get_by_role("heading", name="Janji temu hari ini")).to_be_visible()
    assert no_sideways_scroll(page)
    for box in page.locator(".today-row").evaluate_all(
            "rows => rows.map(row => row.getBoundingClientRect().toJSON())"):
        assert fits_across(box, 390), box
    page.screenshot(path=str(artifacts_dir / "today-front-desk-390.png"), full_page=True)
    done_url = f"/admin/hari-ini/appointments/{clinic_day['rita'].id}/done"
    assert page.browser_errors.unexpected((422, done_url)) == []


def test_doctor_sees_only_their_own_day(page, live_server, artifacts_dir, clinic_day):
    base = live_server
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, base, "dokter.markus")
    page.goto(f"{base}/admin/hari-ini/")
    expect(page.get_by_role("heading", name="Janji saya hari ini")).to_be_visible()
    day = page.locator("#today-appointments")
    expect(day).to_contain_text("Rita Ambar")
    expect(day).to_contain_text("Andi Pratama Wijayakusuma")
    expect(day).not_to_contain_text("Bayu Seno")
    expect(day).not_to_contain_text("dr. Sari Wulandari")
    expect(page.locator("#today-doctor")).to_have_count(0)
    expect(page.locator("#today-orders")).to_have_count(0)
    expect(page.locator("#today-stock")).to_have_count(0)
    expect(page.locator("#today-threads")).to_contain_text("Lina Marlina")
    assert no_sideways_scroll(page)
    page.screenshot(path=str(artifacts_dir / "today-doctor-390.png"), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.reload()
    expect(day).to_contain_text("Rita Ambar")
    assert no_sideways_scroll(page)
    page.screenshot(path=str(artifacts_dir / "today-doctor-1440.png"), full_page=True)
    assert page.browser_errors.unexpected() == []


def test_the_last_doctor_chosen_wins_even_while_the_first_is_on_its_way(page, live_server,
                                                                         clinic_day):
    """Two choices in a row (the second before the first's answer): the list shows the
    second. Without the filter's hx-sync, htmx dropped the second request and the page kept
    the first doctor's day under "Semua dokter"."""
    base = live_server
    page.set_viewport_size({"width": 1440, "height": 1000})
    sign_in(page, base, "frontdesk")
    page.goto(f"{base}/admin/hari-ini/")
    expect(page.locator("#today-appointments")).to_contain_text("Rita Ambar")
    sari = clinic_day["sari"]["doctor"].id
    slow = {"first": True}

    def hold_first(route):
        if slow["first"] and f"dokter={sari}" in route.request.url:
            slow["first"] = False
            page.wait_for_timeout(800)  # the first answer is still on its way …
        route.continue_()

    page.route("**/admin/hari-ini/**", hold_first)
    page.locator("#today-doctor").select_option(str(sari))
    page.locator("#today-doctor").select_option("")  # … when "every doctor" is chosen
    page.wait_for_timeout(1500)
    expect(page.locator("#today-appointments")).to_contain_text("Rita Ambar")
    expect(page.locator("#today-appointments")).to_contain_text("Bayu Seno")
    expect(page.locator("#today-doctor")).to_have_value("")
