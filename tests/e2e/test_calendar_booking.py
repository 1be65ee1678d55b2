"""Booking quickly from the Kalender in a real browser: a click in free time preselects the
nearest free slot of the doctor shown, a walk-in patient is added inside the modal, the
services follow the doctor chosen, the booking lands on the calendar; the booking form and an
appointment opened without HTMX are pages with a heading and a way back; at phone and tablet
widths the page does not scroll sideways."""
import re
from datetime import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from models import Appointment, Patient
from tests.conftest import make_user
from tests.e2e.layout import fits_across, no_sideways_scroll
from tests.e2e.signin import sign_in
from tests.e2e.test_calendar import early_morning  # noqa: F401 (a fixture)
from tests.factories.appointments import make_appointment, make_clinic
from tests.factories.treatments import make_service


@pytest.fixture
def clinic(early_morning):  # noqa: F811
    """The front desk, and two doctors practising today: a morning one (09:00, 10:00, 11:00)
    and an afternoon one (13:00, 14:00) offering another service."""
    make_user(roles=("USERS",), username="resepsionis", users_fullname="Sari Wulandari")
    day = early_morning.date()
    morning = make_clinic(day=day, starts=(time(9, 0), time(10, 0), time(11, 0)),
                          service=make_service(services_name="Konsultasi Jerawat", buffer_time=30))
    afternoon = make_clinic(day=day, starts=(time(13, 0), time(14, 0)),
                            window=(time(13, 0), time(15, 0)),
                            service=make_service(services_name="Chemical Peeling", buffer_time=30))
    return {"day": day, "morning": morning, "afternoon": afternoon}


def click_today_at(page, clock):
    """Click today's column of the time grid in the row of `clock` (HH:MM)."""
    column = page.locator(".fc-timegrid-col.fc-day-today").bounding_box()
    lane = page.locator(f'.fc-timegrid-slot-lane[data-time="{clock}:00"]')
    lane.scroll_into_view_if_needed()
    row = lane.bounding_box()
    page.mouse.click(column["x"] + column["width"] / 2, row["y"] + row["height"] / 2)


def test_front_desk_books_a_walk_in_from_a_click_in_the_calendar(page, live_server, clinic,
                                                                 artifacts_dir):
    morning, afternoon = clinic["morning"], clinic["afternoon"]
    base = live_server
    sign_in(page, base, "resepsionis")
    page.goto(f"{base}/admin/calendar/")
    expect(page.locator("#calendar .fc-timegrid")).to_be_visible()
    page.evaluate("window.stillTheSamePage = true")

    # The morning doctor's calendar; a click at 12:00 today: their nearest free slot is 11:00.
    page.locator("#doctor-filter").select_option(str(morning["doctor"].id))
    click_today_at(page, "12:00")
    modal = page.locator("#calendar-modal")
    expect(modal.get_by_role("heading", name="Buat janji")).to_be_visible()
    expect(page.locator("#book-doctor")).to_have_value(str(morning["doctor"].id))
    expect(page.locator("#book-service")).to_have_value(str(morning["service"].id))
    expect(modal.locator(".slot-options label")).to_have_text(
        ["09:00–09:30", "10:00–10:30", "11:00–11:30"])
    expect(modal.get_by_role("radio", name="11:00–11:30")).to_be_checked()

    # A walk-in patient: first without data (errors inline, in Indonesian), then complete.
    modal.locator("#walk-in summary").click()
    modal.get_by_role("button", name="Simpan pasien baru").click()
    expect(modal.locator("#walk-in-error")).to_have_text("Data pasien baru belum lengkap.")
    expect(modal.locator("#walk-in-name-error")).to_have_text("Wajib diisi.")
    expect(modal.locator("#walk-in-phone-error")).to_have_text("Wajib diisi untuk pasien baru.")
    modal.get_by_label("Nama lengkap").fill("Dewi Lestari")
    modal.get_by_label("Nomor HP").fill("0812 3456 7890")
    modal.get_by_label("Tanggal lahir").fill("1990-04-12")
    modal.get_by_label("Jenis kelamin").select_option("P")
    modal.get_by_role("button", name="Simpan pasien baru").click()
    expect(modal.locator("#walk-in-added")).to_contain_text("Pasien baru Dewi Lestari tersimpan")
    expect(modal.get_by_role("radio", name=re.compile("Dewi Lestari"))).to_be_checked()
    expect(page.locator("#toasts")).to_contain_text("Pasien baru Dewi Lestari tersimpan.")
    db.session.rollback()
    walk_in = db.session.execute(select(Patient)).scalar_one()
    assert walk_in.no_handphone == "081234567890" and walk_in.jenis_kelamin == "P"

    # Another doctor: their services and slots (nearest to 12:00 is 13:00); then back again.
    page.locator("#book-doctor").select_option(str(afternoon["doctor"].id))
    expect(page.locator("#book-service option")).to_have_text([re.compile("^Chemical Peeling")])
    expect(modal.locator(".slot-options label")).to_have_text(["13:00–13:30", "14:00–14:30"])
    expect(modal.get_by_role("radio", name="13:00–13:30")).to_be_checked()
    page.locator("#book-doctor").select_option(str(morning["doctor"].id))
    expect(page.locator("#book-service option")).to_have_text([re.compile("^Konsultasi Jerawat")])
    expect(modal.get_by_role("radio", name="11:00–11:30")).to_be_checked()
    expect(modal.get_by_role("radio", name=re.compile("Dewi Lestari"))).to_be_checked()
    page.screenshot(path=str(artifacts_dir / "calendar-booking-walk-in.png"), caret="initial")

    modal.get_by_role("button", name="Simpan janji").click()
    expect(modal.get_by_role("heading", name=re.compile(r"Janji #\d+"))).to_contain_text("Dipesan")
    expect(page.locator("#toasts")).to_contain_text("Janji Dewi Lestari")
    db.session.rollback()
    appointment = db.session.execute(select(Appointment)).scalar_one()
    assert (appointment.id_patients, appointment.id_doctors, appointment.jam,
            appointment.tanggal) == (walk_in.id, morning["doctor"].id, time(11, 0), clinic["day"])
    event = page.locator(f'.fc-event[data-appointment-id="{appointment.id}"]')
    expect(event).to_contain_text("Dewi Lestari")
    modal.get_by_role("button", name="Tutup").last.click()
    expect(modal).to_be_hidden()
    assert page.evaluate("window.stillTheSamePage") is True
    assert page.browser_errors.unexpected((422, "/admin/calendar/patients")) == []


def test_the_direct_pages_have_a_heading_and_a_way_back(page, live_server, clinic, artifacts_dir):
    appointment = make_appointment(clinic["morning"], day=clinic["day"])
    base = live_server
    sign_in(page, base, "resepsionis")

    page.goto(f"{base}/admin/calendar/book")
    expect(page.get_by_role("heading", level=1, name="Buat janji")).to_be_visible()
    expect(page.locator(".page-card .modal-body")).to_have_css("padding-top", "16px")
    expect(page.locator("main [data-bs-dismiss=\"modal\"]")).to_have_count(0)
    page.screenshot(path=str(artifacts_dir / "calendar-book-page.png"), full_page=True)
    page.get_by_role("link", name="Kembali ke kalender").click()
    page.wait_for_url(f"{base}/admin/calendar/")
    expect(page.get_by_role("heading", name="Kalender janji temu")).to_be_visible()

    page.goto(f"{base}/admin/calendar/appointments/{appointment.id}")
    expect(page.get_by_role("heading", level=1, name=f"Janji #{appointment.id}")).to_be_visible()
    expect(page.get_by_role("heading", name="Rincian janji")).to_be_visible()
    expect(page.locator(".appointment-facts")).to_contain_text(clinic["morning"]["service"].services_name)
    expect(page.locator(".page-card .modal-body")).to_have_css("padding-top", "16px")
    expect(page.locator("main [data-bs-dismiss=\"modal\"]")).to_have_count(0)
    page.screenshot(path=str(artifacts_dir / "calendar-appointment-page.png"), full_page=True)
    page.get_by_role("link", name="Kembali ke kalender").click()
    page.wait_for_url(f"{base}/admin/calendar/")
    expect(page.locator("#calendar .fc-view")).to_be_visible()
    assert page.browser_errors.unexpected() == []


@pytest.mark.parametrize("width, height", [(390, 844), (768, 1024)])
def test_the_calendar_does_not_scroll_sideways(page, live_server, clinic, artifacts_dir,
                                               width, height):
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, live_server, "resepsionis")
    page.goto(f"{live_server}/admin/calendar/")
    expect(page.locator("#calendar .fc-view")).to_be_visible()
    toolbar = page.locator(".fc-header-toolbar").bounding_box()
    assert fits_across(toolbar, width)
    assert no_sideways_scroll(page)
    page.screenshot(path=str(artifacts_dir / f"calendar-{width}.png"), full_page=True)

    page.get_by_role("button", name="Buat janji").click()
    modal = page.locator("#calendar-modal")
    expect(modal.get_by_role("heading", name="Buat janji")).to_be_visible()
    modal.locator("#walk-in summary").click()
    dialog = modal.locator(".modal-dialog").bounding_box()
    assert fits_across(dialog, width)
    assert no_sideways_scroll(page)
    page.screenshot(path=str(artifacts_dir / f"calendar-{width}-booking.png"))
    assert page.browser_errors.unexpected() == []
