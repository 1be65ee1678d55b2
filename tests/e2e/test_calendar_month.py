"""The Kalender's month view at a busy clinic's size: for every doctor it shows the number of
appointments per day (the timeline gives every doctor a week per request), a click on a day's
count opens that day; with a doctor chosen the month shows their appointments."""
import re
from datetime import time

from playwright.sync_api import expect

from tests.conftest import make_user
from tests.e2e.signin import sign_in
from tests.factories.appointments import make_appointment, make_clinic, make_patient_of


def test_month_view_counts_per_day_then_opens_the_day(page, live_server, artifacts_dir):
    make_user(roles=("USERS",), username="resepsionis", users_fullname="Sari Wulandari")
    first = make_clinic(starts=(time(9, 0), time(10, 0)))
    second = make_clinic(day=first["day"], starts=(time(9, 0),))
    make_appointment(first, patient=make_patient_of(nama_lengkap_pasien="Rita Ambar"))
    make_appointment(first, slot=first["slots"][1])
    make_appointment(second)
    make_appointment(second, day=first["day"], slot=second["slots"][0], status="CANCEL",
                     jam=time(9, 0), slot_key=None)
    sign_in(page, live_server, "resepsionis")
    page.goto(f"{live_server}/admin/calendar/")
    page.get_by_role("button", name="Bulan").click()
    day = first["day"].isoformat()
    count = page.locator(f'.fc-daygrid-day[data-date="{day}"] .fc-event[data-day-count]')
    expect(count).to_have_text(re.compile(r"3 janji"))  # the cancelled one is left out
    expect(page.locator(".fc-event[data-appointment-id]")).to_have_count(0)
    page.screenshot(path=str(artifacts_dir / "calendar-month-all.png"), full_page=True)

    count.click()  # that day, every doctor's appointments
    expect(page.locator(".fc-timegrid")).to_be_visible()
    expect(page.locator(".fc-event[data-appointment-id]")).to_have_count(3)
    expect(page.locator(".fc-toolbar-title")).to_contain_text(str(first["day"].day))

    page.get_by_role("button", name="Bulan").click()
    page.locator("#doctor-filter").select_option(str(first["doctor"].id))
    events = page.locator(".fc-daygrid .fc-event[data-appointment-id]")
    expect(events).to_have_count(2)
    expect(events.first).to_contain_text("Rita Ambar")
    page.screenshot(path=str(artifacts_dir / "calendar-month-doctor.png"), full_page=True)
    assert page.browser_errors.unexpected() == []
