"""Writing notifications and reading them off.

`notify` adds a notification and one delivery row (the push outbox) per device token of its
user to the current session — it never commits: it runs inside the transaction of the change
that caused it (a receiver of services.events) or of a job. Once that transaction commits,
the session hook below enqueues the delivery job (services.jobs); if enqueueing fails, the
beat's sweep finds the pending rows a minute later, so nothing is lost."""
import logging

from flask import current_app
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from models import DeviceToken, Notification, NotificationDelivery, clinic_now, db
from services.errors import Invalid

log = logging.getLogger(__name__)

PENDING_KEY = "notifications_to_push"  # session.info: notification ids flushed, not yet committed
REMINDERS_KEY = "reminders_to_send"  # session.info: reminder ids whose WhatsApp waits
TITLE_MAX, CONTENT_MAX = 255, 2000


def notify(user_id: int, title: str, content: str, intentions: str, *, labels: str = "Info",
           priority: str = "Low", user_from: int | None = None, remark: str = "",
           url: str = "", order_id: int | None = None, appointment_id: int | None = None,
           thread_id: int | None = None) -> Notification:
    """Add a notification for a user and its push deliveries (one per device token of that
    user) to the current transaction; the caller commits."""
    tokens = db.session.execute(
        select(DeviceToken.id).where(DeviceToken.id_users == user_id)).scalars().all()
    notification = Notification(
        id_user_to=user_id, id_user_from=user_from, title=title[:TITLE_MAX],
        content=content[:CONTENT_MAX], intentions=intentions, labels=labels, priority=priority,
        remark=remark, url=url, is_read=False, created=clinic_now(), id_orders=order_id,
        id_appointments=appointment_id, id_threads=thread_id)
    db.session.add(notification)
    now = clinic_now()
    for token_id in tokens:
        db.session.add(NotificationDelivery(
            notification=notification, id_user_device_tokens=token_id, status="pending",
            attempts=0, next_attempt_at=now, created=now))
    return notification


def api_url(path: str) -> str:
    """The absolute API address of what a notification is about (the app opens it)."""
    return f"{current_app.config['PUBLIC_BASE_URL']}/api/{path}"


# ---- reading ----------------------------------------------------------------------------------
def mark_as_read(notification: Notification) -> Notification:
    """Mark one notification read (already read: nothing changes)."""
    if not notification.is_read:
        notification.is_read = True
        notification.read_at = clinic_now()
        db.session.commit()
    return notification


def mark_all_as_read(actor, body: dict) -> int:
    """Mark every unread notification of the actor read; `id_users`, when given, must be the
    actor's own id. Returns how many changed."""
    wanted = body.get("id_users") if isinstance(body, dict) else None
    if wanted not in (None, ""):
        try:
            wanted = int(str(wanted))
        except ValueError as exc:
            raise Invalid(fields={"id_users": "Harus berupa angka."}) from exc
        if wanted != actor.id:
            raise Invalid(fields={"id_users": "Hanya notifikasi Anda sendiri yang dapat "
                                              "ditandai sudah dibaca."})
    result = db.session.execute(
        update(Notification).where(Notification.id_user_to == actor.id,
                                   Notification.is_read.is_(False))
        .values(is_read=True, read_at=clinic_now()))
    db.session.commit()
    return result.rowcount


def counts(user_id: int) -> dict:
    """The users/data summary: how many notifications, unread and read."""
    from sqlalchemy import func

    rows = dict(db.session.execute(
        select(Notification.is_read, func.count()).where(Notification.id_user_to == user_id)
        .group_by(Notification.is_read)).all())
    unread, read = rows.get(False, 0), rows.get(True, 0)
    return {"notifications": unread + read, "unread": unread, "isread": read}


# ---- enqueue after commit -----------------------------------------------------------------
@event.listens_for(Session, "after_flush")
def _remember_new_rows(session, _context):
    """Note the notifications whose deliveries (and the reminders with a WhatsApp message) this
    flush wrote, to enqueue their delivery once the transaction commits."""
    from models import AppointmentReminder

    for obj in session.new:
        if isinstance(obj, NotificationDelivery) and obj.status == "pending":
            session.info.setdefault(PENDING_KEY, set()).add(obj.id_notifications)
        elif isinstance(obj, AppointmentReminder) and obj.whatsapp_status == "pending":
            session.info.setdefault(REMINDERS_KEY, set()).add(obj.id)


@event.listens_for(Session, "after_commit")
def _enqueue_after_commit(session):
    """The transaction committed: ask a worker to deliver what it wrote."""
    notifications = session.info.pop(PENDING_KEY, None)
    reminders = session.info.pop(REMINDERS_KEY, None)
    if not notifications and not reminders:
        return
    try:
        from services import jobs

        for notification_id in sorted(notifications or ()):
            jobs.deliver_notification.delay(notification_id)
        for reminder_id in sorted(reminders or ()):
            jobs.send_reminder_whatsapp.delay(reminder_id)
    except Exception:  # noqa: BLE001 — the broker is away: the beat's sweep delivers later
        log.warning("could not enqueue deliveries; the sweep will send them", exc_info=True)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session):
    """Rolled back: nothing was written, nothing to deliver."""
    session.info.pop(PENDING_KEY, None)
    session.info.pop(REMINDERS_KEY, None)
