"""Admin "Konsultasi": who sees which thread, the tabs, the chat's polling, sending text,
images and attachments (bad uploads refused inline), prescribing with the allergy warning,
closing and reopening, the patient panel's audited record reads, the bell, and the inbox in a
fixed number of queries."""
import io
import re

import pytest
from sqlalchemy import select

from models import Log, Prescription, Thread, ThreadMessage, db
from models.threads import CONSULTATION, PRESCRIPTION_REQUEST
from tests.conftest import count_queries, csrf_from, png_bytes
from tests.factories.accounts import make_user
from tests.factories.catalog import make_menu
from tests.factories.patients import (make_appointment_with, make_doctor_account,
                                      make_medical_record, make_patient)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_thread(customer, doctor=None, patient=None, kind=CONSULTATION, closed=False, **kw):
    """A thread between a customer and (unless a request from the pool) a doctor."""
    thread = Thread(thread_type=kind, id_user_from=customer.id,
                    id_user_to=doctor.id if doctor else None,
                    id_patients=patient.id if patient else None, is_closed=closed, **kw)
    db.session.add(thread)
    db.session.commit()
    return thread


def say(thread, author, text):
    """A text message in a thread, written the way the app writes it (with its notification)."""
    from services.threads.operations import post_text
    return post_text(author, {"id_threads": thread.id, "content": text})


def sign_in(auth, client, user):
    response = auth.admin_login(user)
    assert response.status_code == 302, response.get_data(as_text=True)
    return csrf_from(client.get("/admin/", follow_redirects=True).get_data(as_text=True))


@pytest.fixture
def people():
    customer = make_user(users_fullname="Rina Pelanggan")
    doctor = make_doctor_account(users_fullname="dr. Sari SpKK")
    other_doctor = make_doctor_account(users_fullname="dr. Budi SpKK")
    patient = make_patient(user=customer, nama_lengkap_pasien="Rina Putri",
                           allergies=("Niacinamide", "bulu kucing"))
    return {"customer": customer, "doctor": doctor, "other": other_doctor, "patient": patient}


def test_a_doctor_sees_only_their_own_threads_and_the_request_pool(client, auth, people):
    customer, doctor, other = people["customer"], people["doctor"], people["other"]
    mine = make_thread(customer, doctor, people["patient"])
    say(mine, customer, "Dok, wajah saya gatal")
    theirs = make_thread(customer, other, people["patient"])
    say(theirs, customer, "Pesan untuk dokter lain")
    pool = make_thread(customer, kind=PRESCRIPTION_REQUEST)
    say(pool, customer, "Hallo, saya ingin memesan krim.")
    sign_in(auth, client, doctor)

    waiting = client.get("/admin/consultations/").get_data(as_text=True)
    assert "Dok, wajah saya gatal" in waiting and "Pesan untuk dokter lain" not in waiting
    assert f"/admin/consultations/{mine.id}" in waiting
    requests = client.get("/admin/consultations/?tab=requests").get_data(as_text=True)
    assert "saya ingin memesan krim" in requests
    assert client.get(f"/admin/consultations/{theirs.id}").status_code == 404
    assert client.get(f"/admin/consultations/{theirs.id}/messages").status_code == 404
    page = client.get(f"/admin/consultations/{mine.id}")
    assert page.status_code == 200 and "Dok, wajah saya gatal" in page.get_data(as_text=True)


def test_tabs_sort_threads_by_who_wrote_last(client, auth, people):
    customer, doctor = people["customer"], people["doctor"]
    waiting = make_thread(customer, doctor, people["patient"])
    say(waiting, customer, "Belum dijawab")
    answered = make_thread(customer, doctor, people["patient"])
    say(answered, customer, "Pertanyaan")
    say(answered, doctor, "Sudah dijawab dokter")
    archived = make_thread(customer, doctor, people["patient"])
    say(archived, customer, "Lama sekali")
    archived.is_closed = True  # closed after the talk
    db.session.commit()
    sign_in(auth, client, doctor)

    def listed(tab):
        return client.get(f"/admin/consultations/?tab={tab}").get_data(as_text=True)

    assert "Belum dijawab" in listed("waiting") and "Sudah dijawab" not in listed("waiting")
    assert "Sudah dijawab dokter" in listed("active") and "Belum dijawab" not in listed("active")
    assert "Lama sekali" in listed("archived") and "Lama sekali" not in listed("waiting")


def test_customers_are_refused_and_office_sees_threads_but_not_the_words(client, auth, htmx,
                                                                       people):
    customer, doctor = people["customer"], people["doctor"]
    thread = make_thread(customer, doctor, people["patient"])
    say(thread, customer, "Rahasia medis pasien")
    response = auth.admin_login(customer)
    assert response.status_code == 403  # customers never reach the admin

    office = make_user(roles=("USERS",), users_fullname="Staf Kantor")
    token = sign_in(auth, client, office)
    inbox = client.get(f"/admin/consultations/?doctor={doctor.id}").get_data(as_text=True)
    assert "Rina Putri" in inbox and "Rahasia medis pasien" not in inbox
    assert "Semua dokter" in inbox and "dr. Sari SpKK" in inbox
    other_doctor = client.get(f"/admin/consultations/?doctor={people['other'].id}")
    assert "Rina Putri" not in other_doctor.get_data(as_text=True)
    page = client.get(f"/admin/consultations/{thread.id}").get_data(as_text=True)
    assert "Rahasia medis pasien" not in page and "hanya dokternya yang membalas" in page
    assert "chat-poller" not in page and "hanya dibaca oleh pasien dan dokternya" in page
    assert client.get(f"/admin/consultations/{thread.id}/messages").status_code == 403
    sent = htmx.post(f"/admin/consultations/{thread.id}/messages",
                     data={"content": "Halo"}, headers={"X-CSRFToken": token})
    assert sent.status_code == 403
    assert db.session.scalar(select(ThreadMessage).where(ThreadMessage.content == "Halo")) is None


def test_the_chat_polls_for_what_is_new_and_marks_it_read(client, auth, htmx, people):
    customer, doctor = people["customer"], people["doctor"]
    thread = make_thread(customer, doctor, people["patient"])
    first = say(thread, customer, "Pesan pertama")
    sign_in(auth, client, doctor)
    bell = client.get("/admin/consultations/bell").get_data(as_text=True)
    assert "1 notifikasi belum dibaca" in bell

    page = client.get(f"/admin/consultations/{thread.id}").get_data(as_text=True)
    assert f'id="chat-after" name="after" value="{first.id}"' in page
    assert "Tidak ada notifikasi baru" in client.get("/admin/consultations/bell").get_data(as_text=True)
    nothing = htmx.get(f"/admin/consultations/{thread.id}/messages?after={first.id}")
    assert nothing.status_code == 204

    second = say(thread, customer, "Pesan kedua, baru masuk")
    fresh = htmx.get(f"/admin/consultations/{thread.id}/messages?after={first.id}")
    text = fresh.get_data(as_text=True)
    assert fresh.status_code == 200 and "Pesan kedua, baru masuk" in text
    assert "Pesan pertama" not in text
    assert f'value="{second.id}" hx-swap-oob="true"' in text
    assert re.search(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", text)  # dd/mm/yyyy HH:MM
    assert "Tidak ada notifikasi baru" in client.get("/admin/consultations/bell").get_data(as_text=True)


def test_sending_text_image_and_attachment_and_bad_uploads_inline(client, auth, htmx, people):
    customer, doctor = people["customer"], people["doctor"]
    thread = make_thread(customer, doctor, people["patient"])
    token = sign_in(auth, client, doctor)
    headers = {"X-CSRFToken": token}
    url = f"/admin/consultations/{thread.id}/messages"

    no_csrf = htmx.post(url, data={"content": "tanpa token"})
    assert no_csrf.status_code == 400

    sent = htmx.post(url, data={"content": "Oleskan krim dua kali sehari."}, headers=headers)
    assert sent.status_code == 200 and "chat:refresh" in sent.headers["HX-Trigger"]
    image = htmx.post(url, data={"berkas": (io.BytesIO(png_bytes()), "ruam.png", "image/png")},
                      headers=headers, content_type="multipart/form-data")
    assert image.status_code == 200
    pdf = htmx.post(url, data={"berkas": (io.BytesIO(PDF), "hasil-lab.pdf", "application/pdf")},
                    headers=headers, content_type="multipart/form-data")
    assert pdf.status_code == 200
    kinds = db.session.execute(select(ThreadMessage.content_type, ThreadMessage.content)
                               .where(ThreadMessage.id_threads == thread.id)
                               .order_by(ThreadMessage.id)).all()
    assert [kind for kind, _ in kinds] == ["text", "image", "attachments"]
    assert kinds[2][1] == "hasil-lab.pdf"

    page = client.get(f"/admin/consultations/{thread.id}").get_data(as_text=True)
    assert '<img class="chat-image" src="' in page and "/uploads/thread_messages_image/" in page
    assert "/uploads/thread_messages_attachments/" in page and "hasil-lab.pdf" in page

    fake = htmx.post(url, data={"content": "lihat ini",
                                "berkas": (io.BytesIO(b"MZ not a pdf"), "virus.pdf",
                                           "application/pdf")},
                     headers=headers, content_type="multipart/form-data")
    body = fake.get_data(as_text=True)
    assert fake.status_code == 422 and "PDF" in body and "lihat ini" in body  # kept
    assert "is-invalid" in body
    big = htmx.post(url, data={"berkas": (io.BytesIO(b"%PDF-" + b"0" * (600 * 1024) + b"%%EOF"),
                                          "besar.pdf", "application/pdf")},
                    headers=headers, content_type="multipart/form-data")
    assert big.status_code == 413 and "terlalu besar" in big.get_data(as_text=True).lower()
    empty = htmx.post(url, data={"content": "  "}, headers=headers)
    assert empty.status_code == 422 and "Tulis pesan atau pilih berkas" in empty.get_data(
        as_text=True)
    assert db.session.scalar(select(db.func.count(ThreadMessage.id)).where(
        ThreadMessage.id_threads == thread.id)) == 3


def test_prescribing_warns_about_allergies_and_needs_confirmation(client, auth, htmx, people):
    customer, doctor = people["customer"], people["doctor"]
    thread = make_thread(customer, doctor, people["patient"])
    risky = make_menu(nama_menus="Serum Cerah", komposisi="<p>Niacinamide &amp; Zinc</p>",
                      is_resep_required=True)
    safe = make_menu(nama_menus="Krim Lembap", komposisi="<p>Ceramide</p>")
    token = sign_in(auth, client, doctor)
    headers = {"X-CSRFToken": token}

    picker = htmx.get(f"/admin/consultations/{thread.id}/products?q=serum").get_data(as_text=True)
    assert "Serum Cerah" in picker and "Krim Lembap" not in picker
    assert "Cocok dengan alergi: Niacinamide" in picker
    page = client.get(f"/admin/consultations/{thread.id}").get_data(as_text=True)
    assert "Alergi pasien:" in page and "bulu kucing" in page and "Berlaku sampai" in page

    url = f"/admin/consultations/{thread.id}/prescriptions"
    refused = htmx.post(url, data={"id_menu": risky.id, "qty": 2}, headers=headers)
    assert refused.status_code == 422
    assert "cocok dengan alergi pasien" in refused.get_data(as_text=True)
    assert db.session.scalar(select(Prescription)) is None
    bad = htmx.post(url, data={"id_menu": "", "qty": "0"}, headers=headers)
    assert bad.status_code == 422 and "Pilih produk" in bad.get_data(as_text=True)

    done = htmx.post(url, data={"id_menu": risky.id, "qty": 2, "confirm_allergy": "1"},
                     headers=headers)
    assert done.status_code == 200 and "Serum Cerah" in done.headers["HX-Trigger"]
    plain = htmx.post(url, data={"id_menu": safe.id, "qty": 1}, headers=headers)
    assert plain.status_code == 200
    rows = db.session.execute(select(Prescription).order_by(Prescription.id)).scalars().all()
    assert [(row.id_menu, row.qty) for row in rows] == [(risky.id, 2), (safe.id, 1)]
    page = client.get(f"/admin/consultations/{thread.id}").get_data(as_text=True)
    assert "Resep: Serum Cerah" in page and "Jumlah 2" in page


def test_office_cannot_prescribe(client, auth, htmx, people):
    thread = make_thread(people["customer"], people["doctor"], people["patient"])
    menu = make_menu()
    office = make_user(roles=("ADMIN",))
    token = sign_in(auth, client, office)
    refused = htmx.post(f"/admin/consultations/{thread.id}/prescriptions",
                        data={"id_menu": menu.id, "qty": 1}, headers={"X-CSRFToken": token})
    assert refused.status_code == 403
    assert htmx.get(f"/admin/consultations/{thread.id}/products").status_code == 403


def test_close_and_reopen_through_the_screen(client, auth, htmx, people):
    customer, doctor = people["customer"], people["doctor"]
    thread = make_thread(customer, doctor, people["patient"])
    say(thread, customer, "Terima kasih dok")
    token = sign_in(auth, client, doctor)
    headers = {"X-CSRFToken": token}
    closed = htmx.post(f"/admin/consultations/{thread.id}/close", headers=headers)
    assert closed.status_code == 204 and closed.headers["HX-Redirect"].endswith(
        f"/admin/consultations/{thread.id}")
    db.session.expire_all()
    assert db.session.get(Thread, thread.id).is_closed
    page = client.get(f"/admin/consultations/{thread.id}").get_data(as_text=True)
    assert "Konsultasi ditutup." in page and "Buka kembali" in page
    assert 'name="content"' not in page  # no composer on a closed thread
    again = htmx.post(f"/admin/consultations/{thread.id}/close", headers=headers)
    assert again.status_code == 409
    reopened = htmx.post(f"/admin/consultations/{thread.id}/reopen", headers=headers)
    assert reopened.status_code == 204
    db.session.expire_all()
    assert not db.session.get(Thread, thread.id).is_closed
    assert htmx.post(f"/admin/consultations/{thread.id}/close").status_code == 400  # no CSRF

    other = make_thread(customer, people["other"], people["patient"])
    assert htmx.post(f"/admin/consultations/{other.id}/close", headers=headers).status_code == 404


def test_the_patient_panel_reads_records_with_an_audit_entry(client, auth, people):
    customer, doctor, patient = people["customer"], people["doctor"], people["patient"]
    make_appointment_with(doctor, patient)  # the doctor treats the patient
    record = make_medical_record(patient, keluhan="Jerawat meradang di dagu")
    thread = make_thread(customer, doctor, patient)
    sign_in(auth, client, doctor)
    page = client.get(f"/admin/consultations/{thread.id}").get_data(as_text=True)
    assert "Jerawat meradang di dagu" in page and "Niacinamide" in page
    entry = db.session.execute(select(Log).where(Log.action == "read_medical_record")
                               .order_by(Log.id.desc())).scalars().first()
    assert entry is not None and entry.object_id == patient.id and entry.id_users == doctor.id
    assert f"#{record.id}" in entry.descriptions and f"konsultasi #{thread.id}" in \
        entry.descriptions


def test_the_inbox_runs_a_fixed_number_of_queries(client, auth, people):
    customer, doctor = people["customer"], people["doctor"]
    sign_in(auth, client, doctor)

    def measure():
        with count_queries() as statements:
            response = client.get("/admin/consultations/", headers={"HX-Request": "true"})
        assert response.status_code == 200
        return len(statements)

    for _ in range(2):
        thread = make_thread(customer, doctor, make_patient(user=customer))
        say(thread, customer, "Halo dok")
    few = measure()
    for _ in range(8):
        thread = make_thread(customer, doctor, make_patient(user=customer))
        say(thread, customer, "Halo dok")
        say(thread, doctor, "Halo juga")
        say(thread, customer, "Masih gatal")
    many = measure()
    assert many == few, (few, many)


def test_a_typed_percent_or_underscore_is_looked_for_as_itself(client, auth, htmx, people):
    """The product picker and the inbox search escape LIKE's wildcards: "%" finds the names
    holding a percent sign, not every product or thread."""
    customer, doctor = people["customer"], people["doctor"]
    thread = make_thread(customer, doctor, people["patient"])
    make_menu(nama_menus="Serum Vitamin C 10%")
    make_menu(nama_menus="Krim Lembap")
    sign_in(auth, client, doctor)
    picker = htmx.get(f"/admin/consultations/{thread.id}/products?q=%25").get_data(as_text=True)
    assert "Serum Vitamin C 10%" in picker and "Krim Lembap" not in picker
    picker = htmx.get(f"/admin/consultations/{thread.id}/products?q=_").get_data(as_text=True)
    assert "Serum Vitamin C" not in picker and "Krim Lembap" not in picker
    link = f"/admin/consultations/{thread.id}"
    for tab in ("waiting", "active"):
        assert link not in client.get(f"/admin/consultations/?tab={tab}&q=%25").get_data(
            as_text=True)
    assert any(link in client.get(f"/admin/consultations/?tab={tab}&q=rina").get_data(
        as_text=True) for tab in ("waiting", "active"))
