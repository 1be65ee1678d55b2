"""Konsultasi in a real browser: a doctor opens a waiting thread from the inbox, sees the
patient's allergies and records beside the chat, answers, sees the patient's new message
arrive by itself, prescribes a product (the picker warns about an allergy first), and on a
390 px phone moves from the list to the thread without sideways scrolling."""
import re
from datetime import date, time

from playwright.sync_api import expect

from app.extensions import db
from models import Prescription, Thread, ThreadMessage
from tests.conftest import make_user
from tests.e2e.signin import sign_in
from tests.factories.catalog import make_menu
from tests.factories.patients import (
    make_appointment_with,
    make_doctor_account,
    make_medical_record,
    make_patient,
)

PHONE = {"width": 390, "height": 844}


def no_sideways_scroll(page, what):
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{what}: scrollWidth {widths[0]} > innerWidth {widths[1]}"


def seed():
    from services.threads.operations import post_text

    customer = make_user(users_fullname="Rina Kusumawardhani")
    doctor = make_doctor_account(username="dr_sari", users_fullname="dr. Sari Wulandari SpKK")
    patient = make_patient(user=customer, nama_lengkap_pasien="Rina Kusumawardhani",
                           golongan_darah="O", allergies=("Niacinamide", "Lateks"))
    visit = make_appointment_with(doctor, patient, day=date(2024, 6, 1), start=time(10, 30))
    make_medical_record(patient, keluhan="Jerawat meradang di dagu",
                        diagnosa="Acne vulgaris derajat sedang", id_user_schedules=visit.id)
    make_menu(nama_menus="Serum Cerah Niacinamide 10%",
              komposisi="<p>Niacinamide &amp; Zinc PCA</p>", is_resep_required=True,
              harga=185000, satuan="Botol")
    make_menu(nama_menus="Krim Jerawat Adapalene 0,1%", komposisi="<p>Adapalene</p>",
              is_resep_required=True, harga=125000, satuan="Tube")
    thread = Thread(thread_type="consultation", id_user_from=customer.id, id_user_to=doctor.id,
                    id_patients=patient.id, queue_number=3)
    db.session.add(thread)
    db.session.commit()
    # written as the app writes it: the doctor is notified (the bell)
    post_text(customer, {"id_threads": thread.id,
                         "content": "Dok, jerawat di dagu saya meradang lagi sejak minggu lalu. "
                                    "Apa yang sebaiknya saya pakai?"})
    other = make_user(users_fullname="Bima Santoso")
    quiet = Thread(thread_type="consultation", id_user_from=other.id, id_user_to=doctor.id,
                   id_patients=make_patient(user=other, nama_lengkap_pasien="Bima Santoso").id)
    db.session.add(quiet)
    db.session.commit()
    return customer, thread


def test_a_doctor_answers_and_prescribes(page, live_server, artifacts_dir):
    customer, thread = seed()
    base = live_server
    sign_in(page, base, "dr_sari")
    # the bell in the top bar counts the unread message and leads to the inbox
    expect(page.locator("#bell .bell-count")).to_have_text("1")
    page.locator("#bell").click()
    page.wait_for_url(f"{base}/admin/consultations/")
    waiting = page.locator(".consult-row", has_text="Rina Kusumawardhani")
    expect(waiting).to_contain_text("jerawat di dagu")
    waiting.click()
    page.wait_for_url(f"{base}/admin/consultations/{thread.id}")

    # the patient beside the chat: allergies and the medical record
    panel = page.locator(".consult-panel")
    expect(panel).to_contain_text("Niacinamide")
    expect(panel).to_contain_text("Acne vulgaris derajat sedang")
    expect(page.locator("#bell .bell-count")).to_have_count(0)  # read by opening it

    page.locator("#chat-text").fill("Baik, saya resepkan krim untuk dipakai malam hari.")
    page.get_by_role("button", name="Kirim", exact=True).click()
    mine = page.locator(".chat-message.is-mine", has_text="saya resepkan krim")
    expect(mine).to_be_visible()
    expect(mine.locator(".chat-meta")).to_have_text(
        re.compile(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}"))
    expect(page.locator("#chat-text")).to_have_value("")

    # the patient writes back: the chat shows it by itself
    db.session.add(ThreadMessage(id_threads=thread.id, id_user_from=customer.id,
                                 content="Terima kasih dok, ditunggu resepnya."))
    db.session.commit()
    expect(page.locator(".chat-message.is-theirs", has_text="ditunggu resepnya")).to_be_visible(
        timeout=8000)

    # prescribe: the picker warns about the allergy before anything is sent
    page.locator("summary", has_text="Resepkan").click()
    page.locator("#product-q").fill("serum")
    risky = page.locator(".product-choice", has_text="Serum Cerah Niacinamide")
    expect(risky).to_contain_text("Cocok dengan alergi: Niacinamide")
    risky.click()
    expect(page.locator("#allergy-confirm")).to_be_visible()
    page.locator("#product-q").fill("adapalene")
    page.locator(".product-choice", has_text="Krim Jerawat Adapalene").click()
    expect(page.locator("#allergy-confirm")).to_be_hidden()
    page.locator("#prescribe-qty").fill("2")
    expect(page.locator("#prescribe")).to_contain_text("Berlaku sampai")
    page.get_by_role("button", name="Kirim resep").click()
    prescription = page.locator(".chat-message.is-mine .chat-prescription")
    expect(prescription).to_contain_text("Resep: Krim Jerawat Adapalene 0,1%")
    expect(prescription).to_contain_text("Jumlah 2")
    expect(prescription).to_contain_text("Berlaku sampai")
    page.wait_for_timeout(300)
    page.screenshot(path=str(artifacts_dir / "consultation.png"), full_page=True)

    db.session.expire_all()
    row = db.session.query(Prescription).one()
    assert (row.qty, row.id_threads) == (2, thread.id)

    # a phone: the list first, then the thread alone with a way back
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/admin/consultations/?tab=active")
    expect(page.locator(".consult-row", has_text="Rina Kusumawardhani")).to_be_visible()
    no_sideways_scroll(page, "inbox at 390")
    page.locator(".consult-row", has_text="Rina Kusumawardhani").click()
    page.wait_for_url(f"{base}/admin/consultations/{thread.id}")
    expect(page.locator(".consult-list-pane")).to_be_hidden()
    expect(page.get_by_role("link", name="Daftar")).to_be_visible()
    expect(prescription).to_be_visible()
    no_sideways_scroll(page, "thread at 390")
    page.screenshot(path=str(artifacts_dir / "consultation-390.png"), full_page=True)
    assert not page.browser_errors.unexpected()
