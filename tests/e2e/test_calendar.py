"""The Kalender in a real browser: the front desk books a patient from the calendar, marks
them arrived, then done — the calendar follows each step without reloading the page."""
import re
from datetime import datetime, time

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from models import Appointment, clinic_now
from services.appointments import availability, operations, queries, slots
from tests.conftest import make_user
from tests.e2e.signin import sign_in
from tests.factories.appointments import make_clinic, make_patient_of


@pytest.fixture
def early_morning(monkeypatch):
    """The booking rules see today at 07:00 (clinic time), whatever the hour the suite runs:
    today's 09:00 slot is bookable (past the minimum notice) and arrival is on the day."""
    morning = datetime.combine(clinic_now().date(), time(7, 0))
    for module in (slots, operations, queries, availability):
        monkeypatch.setattr(module, "clinic_now", lambda: morning)
    return morning


def test_front_desk_books_marks_arrived_then_done(page, live_server, artifacts_dir, early_morning):
    make_user(roles=("USERS",), username="resepsionis", users_fullname="Sari Wulandari")
    clinic = make_clinic(day=early_morning.date(), starts=(time(9, 0), time(10, 0), time(11, 0)))
    doctor_name = clinic["doctor_user"].users_fullname
    make_patient_of(nama_lengkap_pasien="Rita Ambar", no_handphone="081234567890")
    make_patient_of(nama_lengkap_pasien="Budi Santoso")
    base = live_server
    sign_in(page, base, "resepsionis")

    page.get_by_label("Navigasi utama").get_by_role("link", name="Kalender").click()
    page.wait_for_url(f"{base}/admin/calendar/")
    expect(page.get_by_role("heading", name="Kalender janji temu")).to_be_visible()
    expect(page.locator("#calendar .fc-timegrid")).to_be_visible()
    page.evaluate("window.stillTheSamePage = true")

    # Book: the form offers the free slots of the only doctor today.
    page.get_by_role("button", name="Buat janji").click()
    modal = page.locator("#calendar-modal")
    expect(modal.get_by_role("heading", name="Buat janji")).to_be_visible()
    expect(page.locator("#book-doctor")).to_have_value(str(clinic["doctor"].id))
    expect(modal.locator(".slot-options label")).to_have_text(
        ["09:00–09:30", "10:00–10:30", "11:00–11:30"])
    modal.get_by_text("09:00–09:30").click()
    page.locator("#patient-search").fill("rita")
    expect(modal.get_by_text("081234567890")).to_be_visible()
    expect(modal.get_by_role("radio", name=re.compile("Rita Ambar"))).to_be_checked()
    modal.get_by_role("button", name="Simpan janji").click()

    expect(modal.get_by_role("heading", name=re.compile(r"Janji #\d+"))).to_contain_text("Dipesan")
    expect(page.locator("#toasts")).to_contain_text("Janji Rita Ambar")
    db.session.rollback()
    appointment = db.session.execute(select(Appointment)).scalar_one()
    event = page.locator(f'.fc-event[data-appointment-id="{appointment.id}"]')
    expect(event).to_contain_text("Rita Ambar")
    expect(event).to_have_class(re.compile(r"\bstatus-booking\b"))

    # Arrived.
    modal.get_by_role("button", name="Tandai datang").click()
    expect(modal.locator(f"#appointment-status-{appointment.id}")).to_have_text("Datang")
    expect(page.locator("#toasts")).to_contain_text("Rita Ambar ditandai datang.")
    expect(event).to_have_class(re.compile(r"\bstatus-arrived\b"))

    # Done, with the invoice number.
    modal.get_by_label("Nomor invoice Digisoft").fill("0001/2026/02-IORA")
    modal.get_by_role("button", name="Selesai").click()
    expect(modal.locator(f"#appointment-status-{appointment.id}")).to_have_text("Selesai")
    expect(modal.locator(f"#appointment-invoice-{appointment.id}")).to_contain_text(
        "0001/2026/02-IORA")
    expect(page.locator("#toasts")).to_contain_text("Kunjungan Rita Ambar selesai")
    expect(event).to_have_class(re.compile(r"\bstatus-done\b"))

    modal.get_by_role("button", name="Tutup").last.click()
    expect(modal).to_be_hidden()
    expect(page.locator(".modal-backdrop")).to_have_count(0)
    expect(event).to_contain_text(doctor_name)
    assert page.evaluate("window.stillTheSamePage") is True  # no reload along the way
    page.screenshot(path=str(artifacts_dir / "calendar-done.png"), full_page=True, caret="initial")

    db.session.rollback()
    stored = db.session.get(Appointment, appointment.id)
    assert stored.status == "DONE" and stored.digisoft_invoice_numbers == "0001/2026/02-IORA"
    assert stored.jam == time(9, 0) and stored.tanggal == early_morning.date()
    assert page.browser_errors.unexpected() == []
