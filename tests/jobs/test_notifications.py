"""Notifications are written with the change that caused them (the outbox), then pushed once
per device token: claimed, retried with backoff, invalid tokens removed."""
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from models import (DeviceToken, Notification, NotificationDelivery, clinic_now, db)
from services import events
from services.errors import Conflict
from services.notifications import delivery
from services.orders.flow import OrderFlow
from tests.factories.accounts import make_user
from tests.factories.orders import make_stocked_cart

from .fakes import PushResult


def token_of(user, value=None):
    """A device token of the user's phone."""
    row = DeviceToken(id_users=user.id, device_token=value or f"token-{user.id}-{clinic_now()}")
    db.session.add(row)
    db.session.commit()
    return row


def count(model, *where) -> int:
    return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


# ---- the outbox ----------------------------------------------------------------------------
def test_an_order_move_writes_a_notification_and_its_deliveries(app):
    customer = make_user()
    token_of(customer, "phone-a")
    token_of(customer, "phone-b")
    order, _item, _row = make_stocked_cart(customer)
    OrderFlow(order, customer).checkout()
    db.session.expire_all()
    notification = db.session.execute(select(Notification)).scalars().one()
    assert notification.id_user_to == customer.id
    assert notification.intentions == "order_status"
    assert notification.id_orders == order.id
    assert notification.title == f"Menunggu pembayaran: {order.order_code}"
    assert "menunggu pembayaran" in notification.content
    assert notification.url.endswith(f"/api/orders/{order.id}")
    assert count(NotificationDelivery, NotificationDelivery.status == "pending") == 2


def test_a_refused_change_leaves_no_notification(app):
    customer = make_user()
    token_of(customer)
    order, _item, _row = make_stocked_cart(customer)
    OrderFlow(order, customer).cancel("salah")
    before = count(Notification)
    make_stocked_cart(customer)  # another open cart: the first cannot become a cart again
    with pytest.raises(Conflict):
        OrderFlow(order, customer).uncancel()  # announced, then refused by the database
    db.session.rollback()
    assert count(Notification) == before
    assert count(NotificationDelivery) == before


def test_receivers_do_not_commit(app):
    """The receiver's rows are in the session, uncommitted, until the change commits."""
    customer = make_user()
    token_of(customer)
    order, _item, _row = make_stocked_cart(customer)
    events.order_status_changed.send(order, before="SHOPPING CARTS", after="CHECKOUT",
                                      actor=customer)
    assert count(Notification) == 1  # in this transaction, not committed
    db.session.rollback()
    assert count(Notification) == 0 and count(NotificationDelivery) == 0


def test_appointment_changes_notify_the_patients_account(app):
    from services.appointments.operations import AppointmentFlow
    from tests.factories.appointments import make_appointment, make_patient_of

    patient = make_patient_of()
    appointment = make_appointment(patient=patient)
    staff = make_user(roles=("USERS",))
    AppointmentFlow(appointment, staff).cancel("Dokter berhalangan")
    note = db.session.execute(select(Notification)).scalars().one()
    assert note.id_user_to == patient.id_users
    assert note.id_user_from == staff.id
    assert note.title == "Janji temu dibatalkan"
    assert patient.nama_lengkap_pasien in note.content
    assert "Dokter berhalangan" in note.content
    assert appointment.tanggal.strftime("%d/%m/%Y") in note.content
    # arrived and done tell nobody
    events.appointment_changed.send(appointment, action="arrived", actor=staff)
    db.session.commit()
    assert count(Notification) == 1


def test_a_message_notifies_the_other_side_of_its_thread(app):
    """The threads feature's message, duck-typed: id_threads, id_user_from, content_type,
    content, user_from and thread (id_user_from the customer, id_user_to the doctor)."""
    customer, doctor = make_user(), make_user(roles=("DOCTOR",), users_fullname="dr. Rina")
    thread = SimpleNamespace(id=7, id_user_from=customer.id, id_user_to=doctor.id)
    message = SimpleNamespace(id=70, id_threads=7, thread=thread, id_user_from=doctor.id,
                              user_from=doctor, content_type="text",
                              content="<p>Oleskan krim <b>dua kali</b> sehari.</p>")
    events.message_posted.send(message, actor=doctor)
    db.session.commit()
    note = db.session.execute(select(Notification)).scalars().one()
    assert (note.id_user_to, note.id_user_from, note.id_threads) == (customer.id, doctor.id, 7)
    assert note.title == "Pesan baru dari dr. Rina"
    assert note.content == "dr. Rina: Oleskan krim dua kali sehari."
    # the customer's answer goes to the doctor; a request nobody took yet tells nobody
    answer = SimpleNamespace(id=71, id_threads=7, thread=thread, id_user_from=customer.id,
                             user_from=customer, content_type="image", content="foto.jpg")
    events.message_posted.send(answer, actor=customer)
    pool = SimpleNamespace(id=8, id_user_from=customer.id, id_user_to=None)
    events.message_posted.send(SimpleNamespace(
        id=72, id_threads=8, thread=pool, id_user_from=customer.id, user_from=customer,
        content_type="text", content="Halo"), actor=customer)
    db.session.commit()
    to_doctor = db.session.execute(select(Notification).where(
        Notification.id_user_to == doctor.id)).scalars().one()
    assert to_doctor.content == f"{customer.users_fullname} mengirim gambar."
    assert count(Notification) == 2


# ---- delivery ------------------------------------------------------------------------------
def notified(user, tokens=1):
    """A committed notification for the user with `tokens` device tokens."""
    from services.notifications.operations import notify

    for number in range(tokens):
        token_of(user, f"tok-{user.id}-{number}")
    note = notify(user.id, "Judul", "<p>Isi <i>pesan</i></p>", "order_status")
    db.session.commit()
    return note


def test_a_delivery_is_sent_once_even_when_the_job_runs_twice(app, fake_push):
    user = make_user()
    note = notified(user, tokens=2)
    assert delivery.deliver_notification(note.id) == {"sent": 2}
    assert delivery.deliver_notification(note.id) == {}
    assert delivery.sweep() == {}
    assert sorted(sent["token"] for sent in fake_push.sent) == [f"tok-{user.id}-0",
                                                                 f"tok-{user.id}-1"]
    assert fake_push.sent[0]["title"] == "Judul"
    assert fake_push.sent[0]["body"] == "Isi pesan"
    assert fake_push.sent[0]["data"] == {"id_notifications": str(note.id),
                                         "intentions": "order_status"}
    rows = db.session.execute(select(NotificationDelivery)).scalars().all()
    assert {(row.status, row.attempts) for row in rows} == {("sent", 1)}


def test_only_one_claim_wins(app, fake_push):
    note = notified(make_user())
    row_id = delivery.deliveries_of(note.id)[0]
    now = clinic_now()
    assert delivery.claim(NotificationDelivery, row_id, NotificationDelivery.status, now)
    assert not delivery.claim(NotificationDelivery, row_id, NotificationDelivery.status, now)
    assert delivery.deliver(row_id) == "skipped"  # another worker holds it
    assert fake_push.sent == []


def test_a_claim_of_a_worker_that_died_is_taken_over_after_its_lease(app, fake_push):
    note = notified(make_user())
    row_id = delivery.deliveries_of(note.id)[0]
    delivery.claim(NotificationDelivery, row_id, NotificationDelivery.status, clinic_now())
    assert delivery.sweep() == {}
    row = db.session.get(NotificationDelivery, row_id)
    row.next_attempt_at = clinic_now() - timedelta(seconds=1)  # the lease ran out
    db.session.commit()
    assert delivery.sweep() == {"sent": 1}
    assert db.session.get(NotificationDelivery, row_id).attempts == 2


def test_an_invalid_token_is_removed(app, fake_push):
    user = make_user()
    note = notified(user)
    fake_push.answers.append(PushResult(False, True, False, "UNREGISTERED"))
    assert delivery.deliver_notification(note.id) == {"failed": 1}
    assert count(DeviceToken, DeviceToken.id_users == user.id) == 0
    row = db.session.execute(select(NotificationDelivery)).scalars().one()
    assert row.status == "failed" and row.id_user_device_tokens is None
    assert "UNREGISTERED" in row.last_error
    assert count(Notification) == 1  # the in-app notification stays


def test_a_refused_push_is_retried_with_growing_waits_then_given_up(app, fake_push,
                                                                   monkeypatch):
    from flask import current_app

    monkeypatch.setitem(current_app.config, "PUSH_MAX_ATTEMPTS", 3)
    note = notified(make_user())
    row_id = delivery.deliveries_of(note.id)[0]
    busy = PushResult(False, False, True, "UNAVAILABLE")
    fake_push.answers.extend([busy, busy, busy])
    waits = []
    for expected in ("retry", "retry", "failed"):
        started = clinic_now()
        assert delivery.deliver(row_id) == expected
        row = db.session.get(NotificationDelivery, row_id)
        waits.append((row.next_attempt_at - started).total_seconds())
        assert delivery.deliver(row_id) == "skipped"  # not due yet
        row.next_attempt_at = clinic_now() - timedelta(seconds=1)
        db.session.commit()
    assert 59 <= waits[0] <= 61 and 119 <= waits[1] <= 121
    row = db.session.get(NotificationDelivery, row_id)
    assert (row.status, row.attempts) == ("failed", 3)
    assert "UNAVAILABLE" in row.last_error
    assert len(fake_push.sent) == 3


def test_retry_delays_double_up_to_the_limit(app):
    assert [delivery.retry_delay(n) for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert delivery.retry_delay(30) == 6 * 3600


def test_a_token_that_moved_to_another_user_is_not_used(app, fake_push):
    from services.accounts.operations import register_device_token

    first, second = make_user(), make_user()
    note = notified(first)
    register_device_token(second, f"tok-{first.id}-0")  # the phone changed hands
    assert delivery.deliver_notification(note.id) == {"failed": 1}
    assert fake_push.sent == []


def test_notifications_are_enqueued_after_commit_only(app, monkeypatch):
    from services import jobs

    enqueued = []
    monkeypatch.setattr(jobs.deliver_notification, "delay", enqueued.append)
    customer = make_user()
    token_of(customer)
    order, _item, _row = make_stocked_cart(customer)
    events.order_status_changed.send(order, before="SHOPPING CARTS", after="CHECKOUT",
                                     actor=customer)
    db.session.flush()
    assert enqueued == []
    db.session.rollback()
    db.session.commit()
    assert enqueued == []
    OrderFlow(order, customer).checkout()
    assert enqueued == [db.session.execute(select(Notification.id)).scalar_one()]


def test_a_broker_that_is_away_loses_nothing(app, monkeypatch, fake_push):
    from services import jobs

    def broken(*_args):
        raise ConnectionError("broker away")

    monkeypatch.setattr(jobs.deliver_notification, "delay", broken)
    customer = make_user()
    token_of(customer)
    order, _item, _row = make_stocked_cart(customer)
    OrderFlow(order, customer).checkout()  # the change still commits
    assert order.status == "CHECKOUT"
    assert jobs.sweep_deliveries() == {"sent": 1}  # the beat's sweep sends it


def test_the_push_stand_in_keeps_the_message_in_the_outbox(app):
    """The real gateway in its offline stand-in mode (what `make run` uses)."""
    from models import OutboxMessage

    user = make_user()
    note = notified(user)
    assert delivery.deliver_notification(note.id) == {"sent": 1}
    kept = db.session.execute(select(OutboxMessage)).scalars().one()
    assert (kept.channel, kept.recipient, kept.subject) == ("push", f"tok-{user.id}-0", "Judul")
    assert kept.body == "Isi pesan" and kept.data["id_notifications"] == str(note.id)
    row = db.session.execute(select(NotificationDelivery)).scalars().one()
    assert row.status == "sent"
