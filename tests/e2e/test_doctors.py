"""A doctor's weekly grid in a real browser: the front desk closes a slot, adds a practice
window (an overlapping one is refused inline with the focus on the field), generates its
slots and removes it again, all through HTMX without a console error."""
from playwright.sync_api import expect

from app.extensions import db
from models import DoctorSchedule
from tests.conftest import make_user
from tests.e2e.signin import sign_in
from tests.factories.doctors import make_doctor, make_offer, make_slot, make_window
from tests.factories.treatments import make_service, make_service_category


def test_front_desk_keeps_a_doctors_week(page, live_server):
    make_user(roles=("USERS",), username="frontdesk", users_fullname="Rina Front Desk")
    category = make_service_category(service_categories="Konsultasi", codes="KNS",
                                     color="#0D6EFD")
    doctor = make_doctor(custom_price=250000)
    offer = make_offer(doctor, make_service(category, services_name="Konsultasi Kulit",
                                            buffer_time=30), doctor_buffer_time=10)
    make_window(doctor, hari="Senin", jam="09:00", jam_selesai="10:30")
    slot = make_slot(offer, hari="Senin", jam="09:00")
    base = live_server
    sign_in(page, base, "frontdesk")

    page.goto(f"{base}/admin/doctors/{doctor.id}/schedule")
    monday = page.locator('section[data-day="Senin"]')
    expect(monday.get_by_text("09:00–10:30", exact=True)).to_be_visible()
    chip = monday.locator(".slot-chip")
    expect(chip).to_have_css("background-color", "rgb(13, 110, 253)")

    # close the slot: the button turns, a toast says so
    toggle = page.locator(f"#slot-{slot.id} button")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    toggle.click()
    expect(page.locator(f"#slot-{slot.id} button")).to_have_attribute("aria-pressed", "false")
    expect(page.get_by_text("Slot Senin 09:00 (Konsultasi Kulit) ditutup.")).to_be_visible()
    db.session.expire_all()
    assert db.session.get(DoctorSchedule, slot.id).is_active is False

    # an overlapping window is refused beside the field, which gets the focus
    form = page.get_by_role("form", name="Tambah jam praktik")
    form.get_by_label("Hari").select_option("Senin")
    form.get_by_label("Jam mulai").fill("10:00")
    form.get_by_label("Jam selesai").fill("11:00")
    form.get_by_role("button", name="Tambah").click()
    expect(page.get_by_text("Bertumpukan dengan jam praktik Senin 09:00–10:30.").first) \
        .to_be_visible()
    expect(page.locator("#window-jam")).to_be_focused()

    # a window on Wednesday, the slots generated (Rabu 13:00, Senin 09:40), then the window
    # removed with its slot
    form = page.get_by_role("form", name="Tambah jam praktik")
    form.get_by_label("Hari").select_option("Rabu")
    form.get_by_label("Jam mulai").fill("13:00")
    form.get_by_label("Jam selesai").fill("14:00")
    form.get_by_role("button", name="Tambah").click()
    wednesday = page.locator('section[data-day="Rabu"]')
    expect(wednesday.get_by_text("13:00–14:00", exact=True)).to_be_visible()
    page.get_by_role("button", name="Generate slot").click()
    expect(page.locator('[data-generated="2"]')).to_be_visible()
    expect(wednesday.get_by_text("13:00–13:30", exact=True)).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    wednesday.get_by_role("button", name="Hapus jam praktik Rabu 13:00–14:00").click()
    expect(page.get_by_text("Jam praktik Rabu 13:00–14:00 dihapus; 1 slot ikut dihapus.")) \
        .to_be_visible()
    expect(wednesday.get_by_text("Tidak praktik.")).to_be_visible()
    assert page.browser_errors.unexpected(
        (422, f"/admin/doctors/{doctor.id}/windows")) == []
