"""Patients in a real browser: the list, the chart and the patient form on a 390 px phone
without sideways scrolling, the form's sections (technical data folded away), and the
probable-duplicate warning while typing and on saving."""
from datetime import date, time

from playwright.sync_api import expect

from app.extensions import db
from models import Patient
from tests.conftest import make_user
from tests.e2e.signin import sign_in
from tests.factories.patients import (
    make_appointment_with,
    make_doctor_account,
    make_medical_record,
    make_patient,
)

PHONE = {"width": 390, "height": 844}


def assert_no_sideways_scroll(page, what):
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{what}: scrollWidth {widths[0]} > innerWidth {widths[1]}"


def test_patients_fit_a_phone(page, live_server, artifacts_dir):
    make_user(roles=("USERS",), username="resepsionis", users_fullname="Rina Resepsionis")
    customer = make_user(roles=("CUSTOMER",), username="keluarga_panjang_sekali")
    doctor = make_doctor_account(users_fullname="dr. Markus Nahesson SpKK")
    chosen = None
    for number in range(12):
        patient = make_patient(customer if number % 2 else None,
                               nama_lengkap_pasien=f"Raden Ajeng Kartini Wulandari {number}",
                               patient_external_id=f"DIGISOFT_PATIENT-0093420{number}",
                               allergies=("Kerang Seafood", "Penisilin", "Lateks", "Nangka",
                                          "Debu rumah"))
        chosen = chosen or patient
    visit = make_appointment_with(doctor, chosen, day=date(2024, 6, 1), start=time(10, 30))
    make_medical_record(chosen, diagnosa="Dermatitis kontak iritan pada punggung tangan",
                        id_user_schedules=visit.id)
    base = live_server
    page.set_viewport_size(PHONE)
    sign_in(page, base, "resepsionis")

    page.goto(f"{base}/admin/patients/")
    expect(page.get_by_text("Raden Ajeng Kartini Wulandari 0")).to_be_visible()
    assert_no_sideways_scroll(page, "patients list")
    page.screenshot(path=str(artifacts_dir / "patients-390.png"), full_page=True)

    page.goto(f"{base}/admin/patients/{chosen.id}")
    expect(page.get_by_role("heading", name="Raden Ajeng Kartini Wulandari 0")).to_be_visible()
    expect(page.locator(".record-appointment")).to_contain_text("01/06/2024 10:30")
    assert_no_sideways_scroll(page, "patient chart")
    page.screenshot(path=str(artifacts_dir / "patient-chart-390.png"), full_page=True)

    page.goto(f"{base}/admin/patients/new")
    assert_no_sideways_scroll(page, "patient form")
    page.screenshot(path=str(artifacts_dir / "patient-form-390.png"), full_page=True)
    assert page.browser_errors.unexpected() == []


def test_patient_form_sections_and_duplicate_warning(page, live_server, artifacts_dir):
    make_user(roles=("ADMIN",), username="adminklinik")
    rita = make_patient(nama_lengkap_pasien="Rita Ambar", tanggal_lahir=date(1990, 5, 1),
                        no_handphone="081234567890")
    base = live_server
    sign_in(page, base, "adminklinik")
    page.goto(f"{base}/admin/patients/new")

    for title in ("Identitas", "Kontak dan alamat", "Wali", "Dokumen identitas"):
        expect(page.locator("fieldset.form-section legend").get_by_text(title, exact=True)
               ).to_be_visible()
    # technical data folded away until opened
    expect(page.locator("#f-kode_provinsi")).to_be_hidden()
    expect(page.locator("#f-lat")).to_be_hidden()
    page.locator("details.form-section summary", has_text="Data teknis").click()
    expect(page.locator("#f-kode_provinsi")).to_be_visible()

    # typing a phone number already registered points the patient out
    page.locator("#f-nama_lengkap_pasien").fill("Rita Ambarwati")
    page.locator("#f-no_handphone").fill("+62 812-3456-7890")
    page.locator("#f-no_handphone").blur()
    notice = page.locator("#duplicate-check")
    expect(notice).to_contain_text("Mungkin sudah terdaftar")
    expect(notice.get_by_role("link", name="Rita Ambar")).to_have_attribute(
        "href", f"/admin/patients/{rita.id}")
    page.screenshot(path=str(artifacts_dir / "patient-duplicate.png"), full_page=True)

    # saving asks once, then saves when confirmed
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator(".form-warning")).to_contain_text("Mungkin sudah terdaftar")
    expect(page.locator("#f-nama_lengkap_pasien")).to_have_value("Rita Ambarwati")
    db.session.expire_all()
    assert db.session.query(Patient).filter_by(nama_lengkap_pasien="Rita Ambarwati").count() == 0
    page.get_by_label("Tetap simpan").check()
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("heading", name="Rita Ambarwati")).to_be_visible()
    db.session.expire_all()
    assert db.session.query(Patient).filter_by(nama_lengkap_pasien="Rita Ambarwati").count() == 1
    assert page.browser_errors.unexpected() == []
