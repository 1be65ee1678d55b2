"""Appointment reminders: 24 and 2 hours ahead, by push and WhatsApp, each once."""
from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from models import AppointmentReminder, DeviceToken, Notification, db
from services.notifications import reminders
from tests.factories.appointments import make_appointment, make_clinic, make_patient_of


def booked(status="BOOKING"):
    """An appointment on the clinic's day at 09:00 and its start."""
    clinic = make_clinic()
    patient = make_patient_of(no_handphone="081234567890")
    db.session.add(DeviceToken(id_users=patient.id_users, device_token=f"hp-{patient.id}"))
    db.session.commit()
    appointment = make_appointment(clinic=clinic, patient=patient, status=status)
    return appointment, datetime.combine(appointment.tanggal, time(9, 0))


def count(model, *where) -> int:
    return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def test_the_24_hour_reminder_is_written_once(app, fake_whatsapp):
    appointment, start = booked()
    now = start - timedelta(hours=20)
    assert reminders.plan(now) == 1
    assert reminders.plan(now) == 0  # the job ran again
    assert reminders.plan(now + timedelta(minutes=5)) == 0
    reminder = db.session.execute(select(AppointmentReminder)).scalars().one()
    assert reminder.kind == "24h" and reminder.phone == "081234567890"
    note = db.session.execute(select(Notification)).scalars().one()
    assert note.intentions == "reminder" and note.id_appointments == appointment.id
    assert note.title == "Pengingat janji temu besok"
    doctor = appointment.doctor.user.users_fullname
    for part in (start.strftime("%d/%m/%Y"), "pukul 09:00 WIB", doctor, "Colederma Clinic",
                 appointment.patient.nama_lengkap_pasien):
        assert part in note.content
    assert note.deliveries and note.deliveries[0].status == "pending"


def test_a_second_run_cannot_claim_a_reminder_already_written(app):
    appointment, start = booked()
    now = start - timedelta(hours=20)
    assert reminders.remind(appointment, "24h", now) is True
    assert reminders.remind(appointment, "24h", now) is False  # the unique row refuses it
    assert count(AppointmentReminder) == 1 and count(Notification) == 1


def test_the_2_hour_reminder_follows(app, fake_whatsapp):
    _appointment, start = booked()
    assert reminders.plan(start - timedelta(hours=20)) == 1
    assert reminders.plan(start - timedelta(hours=3)) == 0
    assert reminders.plan(start - timedelta(minutes=110)) == 1
    assert reminders.plan(start - timedelta(minutes=100)) == 0
    assert reminders.plan(start + timedelta(minutes=1)) == 0
    kinds = db.session.execute(select(AppointmentReminder.kind).order_by(
        AppointmentReminder.id)).scalars().all()
    assert kinds == ["24h", "2h"]
    titles = db.session.execute(select(Notification.title).order_by(Notification.id)).scalars()
    assert list(titles) == ["Pengingat janji temu besok", "Pengingat janji temu 2 jam lagi"]


def test_a_far_appointment_gets_no_reminder_yet(app):
    _appointment, start = booked()
    assert reminders.plan(start - timedelta(hours=30)) == 0


def test_a_cancelled_appointment_gets_no_reminder(app):
    _cancelled, start = booked(status="CANCEL")
    assert reminders.plan(start - timedelta(hours=1)) == 0
    assert count(AppointmentReminder) == 0 and count(Notification) == 0


def test_the_whatsapp_message_is_sent_once(app, fake_whatsapp):
    _appointment, start = booked()
    reminders.plan(start - timedelta(hours=20))
    reminder_id = db.session.execute(select(AppointmentReminder.id)).scalar_one()
    assert reminders.send_whatsapp(reminder_id) == "sent"
    assert reminders.send_whatsapp(reminder_id) == "skipped"
    assert reminders.due_whatsapp() == []
    assert len(fake_whatsapp.sent) == 1
    assert fake_whatsapp.sent[0]["phone"] == "081234567890"
    assert "pukul 09:00 WIB" in fake_whatsapp.sent[0]["text"]


def test_a_cancelled_appointment_is_not_reminded_by_whatsapp(app, fake_whatsapp):
    from services.appointments.operations import AppointmentFlow
    from tests.factories.accounts import make_user

    appointment, start = booked()
    reminders.plan(start - timedelta(hours=20))
    reminder_id = db.session.execute(select(AppointmentReminder.id)).scalar_one()
    AppointmentFlow(appointment, make_user(roles=("USERS",))).cancel("Berhalangan")
    # the cancellation dropped the reminder that was waiting
    assert db.session.get(AppointmentReminder, reminder_id) is None
    assert reminders.send_whatsapp(reminder_id) == "skipped"
    assert fake_whatsapp.sent == []


def test_a_busy_whatsapp_gateway_is_retried(app, fake_whatsapp):
    from tests.jobs.fakes import SendResult

    _appointment, start = booked()
    reminders.plan(start - timedelta(hours=20))
    reminder_id = db.session.execute(select(AppointmentReminder.id)).scalar_one()
    fake_whatsapp.answers.append(SendResult(False, True, "HTTP 503"))
    assert reminders.send_whatsapp(reminder_id) == "retry"
    reminder = db.session.get(AppointmentReminder, reminder_id)
    assert reminder.whatsapp_status == "pending" and reminder.last_error == "HTTP 503"
    reminder.next_attempt_at = reminder.next_attempt_at - timedelta(minutes=2)
    db.session.commit()
    assert reminders.due_whatsapp() == [reminder_id]
    assert reminders.send_whatsapp(reminder_id) == "sent"
    assert len(fake_whatsapp.sent) == 2
