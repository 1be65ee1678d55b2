"""Admin screens of Jadwal Dokter: the generic lists (tabs, money, filters), the doctor detail
(account, services with price and buffer), creating a doctor from an account, and the weekly
grid of a doctor through HTMX (open/close slots, add/remove practice windows, generate,
holidays) — for the front desk, the doctor themselves and another doctor."""
import json
import re
from datetime import timedelta

from sqlalchemy import select

from models import DAYS, Doctor, DoctorSchedule, PracticeWindow, Role, clinic_now, db
from tests.conftest import csrf_from, make_user
from tests.factories.doctors import make_doctor, make_offer, make_slot, make_window, user_of
from tests.factories.treatments import make_holiday, make_service, make_service_category


def signed_in(auth, client, roles=("OWNER", "ADMIN", "USERS"), user=None):
    user = user or make_user(roles=roles)
    response = auth.admin_login(user)
    assert response.status_code == 302, response.get_data(as_text=True)
    return user


def token_of(client, path="/admin/"):
    return csrf_from(client.get(path).get_data(as_text=True))


def triggers(response):
    return json.loads(response.headers.get("HX-Trigger", "{}"))


def grid_doctor():
    """A doctor offering a 30-minute consultation (+10) with a Monday window and slots."""
    category = make_service_category(service_categories="Konsultasi", codes="KNS",
                                     color="#0D6EFD")
    doctor = make_doctor(custom_price=250000)
    offer = make_offer(doctor, make_service(category, services_name="Konsultasi Kulit",
                                            buffer_time=30), custom_price=275000,
                       doctor_buffer_time=10)
    window = make_window(doctor, hari="Senin", jam="09:00", jam_selesai="10:30")
    first = make_slot(offer, hari="Senin", jam="09:00")
    make_slot(offer, hari="Senin", jam="09:40")
    return doctor, offer, window, first


def slot_state(slot_id):
    db.session.expire_all()
    return db.session.get(DoctorSchedule, slot_id).is_active


# ---- generic screens ------------------------------------------------------------------------
def test_jadwal_dokter_navigation_and_lists(client, htmx, auth):
    signed_in(auth, client)
    doctor, offer, window, slot = grid_doctor()
    make_doctor(is_active=False, short_description="Sedang cuti")
    home = client.get("/admin/", follow_redirects=True).get_data(as_text=True)
    assert 'href="/admin/doctors/"' in home and "Jadwal Dokter" in home
    page = client.get("/admin/doctors/").get_data(as_text=True)
    for tab in ("/admin/doctors/", "/admin/doctor_services/", "/admin/schedules/",
                "/admin/doctor_schedules/"):
        assert f'href="{tab}"' in page
    assert user_of(doctor).users_fullname in page and "Rp 250.000" in page
    assert "1 layanan" in page and "Nonaktif" in page and 'name="is_active"' in page
    inactive = htmx.get("/admin/doctors/?is_active=0").get_data(as_text=True)
    assert "<html" not in inactive and "Sedang cuti" in inactive
    assert user_of(doctor).users_fullname not in inactive
    offers = client.get("/admin/doctor_services/").get_data(as_text=True)
    assert "Rp 275.000" in offers and "10 menit" in offers and "30 menit" in offers
    windows = client.get(f"/admin/schedules/?id_doctors={doctor.id}").get_data(as_text=True)
    assert "09:00–10:30" in windows and "Senin" in windows
    slots = client.get(f"/admin/doctor_schedules/?id_doctors={doctor.id}&hari=Senin")
    html = slots.get_data(as_text=True)
    assert slots.status_code == 200 and "09:00–09:30" in html and "Konsultasi Kulit" in html
    assert 'style="' not in page + offers + windows + html


def test_doctor_detail_shows_account_services_and_week(client, auth):
    signed_in(auth, client)
    doctor, offer, window, slot = grid_doctor()
    make_offer(doctor, make_service(services_name="Laser Q-Switch", buffer_time=45),
               custom_price=1750000, doctor_buffer_time=15, is_active=False)
    html = client.get(f"/admin/doctors/{doctor.id}").get_data(as_text=True)
    account = user_of(doctor)
    assert "Akun yang terhubung" in html and f"@{account.username}" in html
    assert account.users_email in html and ">Dokter<" in html and ">DOCTOR<" not in html
    assert f"/admin/users/{account.id}" in html
    assert "Konsultasi Kulit" in html and "Rp 275.000" in html and "10 menit" in html
    assert "Laser Q-Switch" in html and "Rp 1.750.000" in html and "15 menit" in html
    assert "Nonaktif" in html
    assert f"/admin/doctors/{doctor.id}/schedule" in html and "Jadwal mingguan" in html
    assert "09:00–10:30" in html and "2 slot aktif" in html
    assert "css/doctors.css" in html and 'style="' not in html


def test_create_doctor_form_offers_accounts_that_are_not_doctors(client, auth):
    signed_in(auth, client)
    existing = make_doctor()
    candidate = make_user(roles=("USERS",), users_fullname="Calon Dokter", username="calon")
    form = client.get("/admin/doctors/new").get_data(as_text=True)
    assert f'<option value="{candidate.id}"' in form and "Calon Dokter (calon)" in form
    assert f'<option value="{existing.id_users}"' not in form
    token = csrf_from(form)
    saved = client.post("/admin/doctors/new", data={
        "csrf_token": token, "id_users": str(candidate.id), "custom_price": "300000",
        "short_description": "Sp.DV", "is_active": "1"})
    assert saved.status_code == 302
    doctor = db.session.execute(select(Doctor).where(
        Doctor.id_users == candidate.id)).scalar_one()
    assert {role.rolecodes for role in db.session.execute(select(Role).where(
        Role.iduser == candidate.id)).scalars()} == {"USERS", "DOCTOR"}
    again = client.post("/admin/doctors/new", data={
        "csrf_token": token, "id_users": str(existing.id_users), "custom_price": "-1"})
    assert again.status_code == 422
    text = again.get_data(as_text=True)
    assert "sudah terdaftar sebagai dokter" in text and "Nominal tidak boleh negatif" in text
    assert doctor.id
    # the new doctor signs into /admin and lands on their own schedule rights
    client.post("/admin/logout", data={"csrf_token": token_of(client)})
    assert auth.admin_login(candidate).status_code == 302
    grid = client.get(f"/admin/doctors/{doctor.id}/schedule").get_data(as_text=True)
    assert "Generate slot" in grid and "Tambah jam praktik" in grid


# ---- the weekly grid --------------------------------------------------------------------------
def test_weekly_grid_shows_days_windows_slots_and_holidays(client, htmx, auth):
    signed_in(auth, client)
    doctor, offer, window, slot = grid_doctor()
    make_slot(make_offer(doctor, make_service(services_name="Laser Malam", buffer_time=60)),
              hari="Senin", jam="19:00")  # outside the window
    today = clinic_now().date()
    soon = today + timedelta(days=3)
    holiday = make_holiday(dates=soon, descriptions="Hari Libur Uji")
    make_holiday(dates=today + timedelta(days=200), descriptions="Terlalu jauh")
    page = client.get(f"/admin/doctors/{doctor.id}/schedule")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" in html
    positions = [html.index(f'data-day="{day}"') for day in DAYS]
    assert positions == sorted(positions)  # Senin … Minggu
    assert "09:00–10:30" in html and "09:00–09:30" in html and "09:40–10:10" in html
    assert "Konsultasi Kulit" in html and 'data-colour="#0D6EFD"' in html
    assert "19:00–20:00" in html and "di luar jam praktik" in html
    assert "Hari Libur Uji" in html and holiday.dates.strftime("%d/%m/%Y") in html
    assert "Terlalu jauh" not in html
    holiday_day = re.search(r'<section class="card shadow-sm week-day is-holiday"[^>]*'
                            r'data-day="(\w+)"', html)
    assert holiday_day and holiday_day.group(1) == DAYS[soon.weekday()]
    assert "css/doctors.css" in html and "js/doctors.js" in html and 'style="' not in html
    partial = htmx.get(f"/admin/doctors/{doctor.id}/schedule")
    assert "<html" not in partial.get_data(as_text=True) and 'id="weekly"' in partial.get_data(
        as_text=True)
    assert "HX-Request" in partial.headers["Vary"]
    assert client.get("/admin/doctors/999999/schedule").status_code == 404
    gone = make_doctor(deleted_at=clinic_now())
    assert client.get(f"/admin/doctors/{gone.id}/schedule").status_code == 404


def test_toggling_a_slot_through_htmx(client, htmx, auth):
    signed_in(auth, client, roles=("USERS",))
    doctor, offer, window, slot = grid_doctor()
    token = token_of(client, f"/admin/doctors/{doctor.id}/schedule")
    url = f"/admin/doctors/slots/{slot.id}/unactivate"
    assert htmx.post(url).status_code == 400  # no CSRF token
    assert slot_state(slot.id) is True
    closed = htmx.post(url, headers={"X-CSRFToken": token})
    assert closed.status_code == 200 and slot_state(slot.id) is False
    fragment = closed.get_data(as_text=True)
    assert fragment.lstrip().startswith('<li class="slot slot-off')
    assert f"/admin/doctors/slots/{slot.id}/activate" in fragment and 'aria-pressed="false"' in fragment
    assert triggers(closed)["toast"]["message"] == \
        "Slot Senin 09:00 (Konsultasi Kulit) ditutup."
    opened = htmx.post(f"/admin/doctors/slots/{slot.id}/activate", headers={"X-CSRFToken": token})
    assert opened.status_code == 200 and slot_state(slot.id) is True
    assert "dibuka" in triggers(opened)["toast"]["message"]
    assert htmx.post("/admin/doctors/slots/999999/activate",
                     headers={"X-CSRFToken": token}).status_code == 404
    # without HTMX: back to the grid with a message
    plain = client.post(url, data={"csrf_token": token})
    assert plain.status_code == 302 and plain.headers["Location"].endswith(
        f"/admin/doctors/{doctor.id}/schedule")
    assert "ditutup" in client.get(plain.headers["Location"]).get_data(as_text=True)
    detail = client.post(f"/admin/doctors/slots/{slot.id}/activate",
                         data={"csrf_token": token, "back": "detail"})
    assert detail.headers["Location"].endswith(f"/admin/doctor_schedules/{slot.id}")


def test_adding_and_removing_windows_through_htmx(client, htmx, auth):
    signed_in(auth, client, roles=("USERS",))
    doctor, offer, window, slot = grid_doctor()
    token = token_of(client, f"/admin/doctors/{doctor.id}/schedule")
    url = f"/admin/doctors/{doctor.id}/windows"
    overlap = htmx.post(url, headers={"X-CSRFToken": token},
                        data={"hari": "Senin", "jam": "10:00", "jam_selesai": "12:00"})
    assert overlap.status_code == 422
    html = overlap.get_data(as_text=True)
    assert "Bertumpukan dengan jam praktik Senin 09:00–10:30." in html
    assert 'id="window-jam"' in html and "is-invalid" in html and 'value="10:00"' in html
    assert "<html" not in html
    backwards = htmx.post(url, headers={"X-CSRFToken": token},
                          data={"hari": "Selasa", "jam": "12:00", "jam_selesai": "09:00"})
    assert backwards.status_code == 422 and "Harus setelah jam mulai." in backwards.get_data(
        as_text=True)
    nonsense = htmx.post(url, headers={"X-CSRFToken": token},
                         data={"hari": "Minggu", "jam": "nanti", "jam_selesai": ""})
    assert nonsense.status_code == 422 and "Jam tidak valid" in nonsense.get_data(as_text=True)
    assert db.session.query(PracticeWindow).filter_by(id_doctors=doctor.id).count() == 1
    added = htmx.post(url, headers={"X-CSRFToken": token},
                      data={"hari": "Rabu", "jam": "16:00", "jam_selesai": "18:00"})
    assert added.status_code == 200
    assert triggers(added)["toast"]["message"].startswith("Jam praktik Rabu 16:00–18:00 ditambahkan")
    assert "16:00–18:00" in added.get_data(as_text=True)
    db.session.expire_all()
    new = db.session.execute(select(PracticeWindow).where(
        PracticeWindow.id_doctors == doctor.id, PracticeWindow.hari == "Rabu")).scalar_one()
    removed = htmx.post(f"/admin/doctors/windows/{window.id}/delete",
                        headers={"X-CSRFToken": token})
    assert removed.status_code == 200
    assert triggers(removed)["toast"]["message"] == \
        "Jam praktik Senin 09:00–10:30 dihapus; 2 slot ikut dihapus."
    assert db.session.query(DoctorSchedule).filter_by(id_doctors=doctor.id).count() == 0
    assert "09:00–10:30" not in removed.get_data(as_text=True)
    assert new.id


def test_generate_through_htmx_says_how_many(client, htmx, auth):
    signed_in(auth, client, roles=("USERS",))
    doctor, offer, window, slot = grid_doctor()
    make_window(doctor, hari="Kamis", jam="13:00", jam_selesai="14:00")
    token = token_of(client, f"/admin/doctors/{doctor.id}/schedule")
    url = f"/admin/doctors/{doctor.id}/generate"
    first = htmx.post(url, headers={"X-CSRFToken": token})
    # Senin 09:00–10:30 already has 09:00 and 09:40 (10:20 would end 10:50); Kamis: 13:00
    assert first.status_code == 200
    assert triggers(first)["toast"] == {"message": "1 slot baru dibuat.", "level": "success"}
    assert 'data-generated="1"' in first.get_data(as_text=True)
    second = htmx.post(url, headers={"X-CSRFToken": token})
    assert triggers(second)["toast"]["level"] == "info"
    assert 'data-generated="0"' in second.get_data(as_text=True)
    assert "13:00–13:30" in second.get_data(as_text=True)
    plain = client.post(url, data={"csrf_token": token})
    assert plain.status_code == 302


def test_a_doctor_manages_only_their_own_grid(client, htmx, auth):
    doctor, offer, window, slot = grid_doctor()
    other = make_doctor()
    other_window = make_window(other)
    other_slot = make_slot(make_offer(other))
    signed_in(auth, client, user=user_of(doctor))
    own = client.get(f"/admin/doctors/{doctor.id}/schedule").get_data(as_text=True)
    assert "Generate slot" in own and f"/admin/doctors/slots/{slot.id}/unactivate" in own
    theirs = client.get(f"/admin/doctors/{other.id}/schedule").get_data(as_text=True)
    assert "Generate slot" not in theirs and "Tambah jam praktik" not in theirs
    assert "/unactivate" not in theirs and "Anda melihat jadwal ini saja" in theirs
    token = token_of(client, f"/admin/doctors/{doctor.id}/schedule")
    headers = {"X-CSRFToken": token}
    assert htmx.post(f"/admin/doctors/slots/{slot.id}/unactivate",
                     headers=headers).status_code == 200
    assert htmx.post(f"/admin/doctors/slots/{other_slot.id}/unactivate",
                     headers=headers).status_code == 403
    assert slot_state(other_slot.id) is True
    assert htmx.post(f"/admin/doctors/windows/{other_window.id}/delete",
                     headers=headers).status_code == 403
    assert htmx.post(f"/admin/doctors/{other.id}/windows", headers=headers, data={
        "hari": "Jumat", "jam": "09:00", "jam_selesai": "10:00"}).status_code == 403
    assert htmx.post(f"/admin/doctors/{other.id}/generate", headers=headers).status_code == 403
    ok = htmx.post(f"/admin/doctors/{doctor.id}/windows", headers=headers, data={
        "hari": "Jumat", "jam": "09:00", "jam_selesai": "10:00"})
    assert ok.status_code == 200
    # the price stays with the managers: the doctor detail offers no edit
    detail = client.get(f"/admin/doctors/{doctor.id}").get_data(as_text=True)
    assert f"/admin/doctors/{doctor.id}/edit" not in detail
    assert client.get(f"/admin/doctor_services/{offer.id}/edit").status_code == 403


def test_customers_and_visitors_cannot_open_the_grid(client, htmx, auth):
    doctor = make_doctor()
    response = client.get(f"/admin/doctors/{doctor.id}/schedule")
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]
    assert htmx.get(f"/admin/doctors/{doctor.id}/schedule").status_code == 204
    assert auth.admin_login(make_user()).status_code == 403


def test_generic_forms_show_the_rules_inline(client, htmx, auth):
    signed_in(auth, client)
    doctor, offer, window, slot = grid_doctor()
    foreign = make_offer()
    form = client.get("/admin/doctor_schedules/new").get_data(as_text=True)
    assert "Konsultasi Kulit (Rp 275.000)" in form and '<option value="Senin"' in form
    token = csrf_from(form)
    refused = htmx.post("/admin/doctor_schedules/new", headers={"X-CSRFToken": token}, data={
        "id_doctors": str(doctor.id), "id_doctor_services": str(foreign.id), "hari": "Senin",
        "jam": "11:00"})
    assert refused.status_code == 422
    assert "Bukan layanan milik dokter ini." in refused.get_data(as_text=True)
    overlap = htmx.post("/admin/schedules/new", headers={"X-CSRFToken": token}, data={
        "id_doctors": str(doctor.id), "hari": "Senin", "jam": "10:00", "jam_selesai": "11:00"})
    assert overlap.status_code == 422
    assert "Bertumpukan dengan jam praktik Senin 09:00–10:30." in overlap.get_data(as_text=True)
    blank_price = htmx.post("/admin/doctor_services/new", headers={"X-CSRFToken": token}, data={
        "id_doctors": str(doctor.id), "id_services": str(make_service(
            services_price=123000).id), "custom_price": "", "doctor_buffer_time": ""})
    assert blank_price.status_code == 204, blank_price.get_data(as_text=True)
    detail = client.get(blank_price.headers["HX-Redirect"]).get_data(as_text=True)
    assert "Rp 123.000" in detail and "Jadwal mingguan dokter" in detail
    slot_detail = client.get(f"/admin/doctor_schedules/{slot.id}").get_data(as_text=True)
    assert "Tutup slot" in slot_detail and "09:00–09:30" in slot_detail
    window_detail = client.get(f"/admin/schedules/{window.id}").get_data(as_text=True)
    assert f"/admin/doctors/{doctor.id}/schedule" in window_detail


def test_deleting_a_used_offer_keeps_it_out_of_the_screens(client, htmx, auth):
    from tests.api.test_doctors import make_appointment

    signed_in(auth, client)
    doctor, offer, window, slot = grid_doctor()
    make_appointment(slot, days_ahead=-7, status="DONE")
    token = token_of(client, f"/admin/doctor_services/{offer.id}")
    deleted = htmx.post(f"/admin/doctor_services/{offer.id}/delete?from=list",
                        headers={"X-CSRFToken": token})
    assert deleted.status_code == 200
    assert triggers(deleted)["toast"]["message"] == "Layanan dokter dihapus."
    assert client.get(f"/admin/doctor_services/{offer.id}").status_code == 404
    assert "Konsultasi Kulit" not in client.get("/admin/doctor_services/").get_data(as_text=True)
    detail = client.get(f"/admin/doctors/{doctor.id}").get_data(as_text=True)
    assert "Konsultasi Kulit" not in detail and "belum menawarkan layanan" in detail
    grid = client.get(f"/admin/doctors/{doctor.id}/schedule").get_data(as_text=True)
    assert "Konsultasi Kulit" not in grid and "09:00–10:30" in grid
    form = client.get("/admin/doctor_schedules/new").get_data(as_text=True)
    assert "Konsultasi Kulit" not in form
    listed = client.get("/admin/doctors/").get_data(as_text=True)
    assert "Belum ada" in listed
    assert slot_state(slot.id) is False  # kept, closed, for the appointment's history
