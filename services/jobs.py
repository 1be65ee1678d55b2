"""The Celery application and its tasks. Tasks are thin: each calls an operation inside the
Flask application context and leaves the database session clean.

Configuration comes from the Flask config (app/config.py, README): `CELERY_BROKER_URL` —
Redis in production (`redis://host:6379/0`), several workers on several machines; the
default is kombu's SQLAlchemy transport on a SQLite file beside the app's database
(`sqla+sqlite:///instance/celery.db`), durable and needing no server, which is what `make run`
uses. Results are not kept (nothing reads them). Every task is acknowledged after it ran
(`acks_late`; a worker that dies mid-task leaves the message to another) and retried with
exponential backoff when the database is away. What a task sends is guarded by the rows
themselves (a claimed outbox row, a unique reminder), so running a task twice sends nothing
twice; the beat's sweep every minute picks up whatever a lost message left behind.

Start a worker and the beat (README "Background jobs"):
    celery -A wsgi.celery worker --loglevel=INFO
    celery -A wsgi.celery beat --loglevel=INFO      (one beat for the whole deployment)
"""
import logging

from celery import Celery, Task
from celery.schedules import crontab
from sqlalchemy.exc import DBAPIError

log = logging.getLogger(__name__)

_flask_app = None  # the application the tasks run in (set by init_app)


class AppContextTask(Task):
    """A task that runs inside the Flask application context (a fresh database session each
    time) and is acknowledged only once it ran."""

    abstract = True
    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = (DBAPIError, ConnectionError, TimeoutError)
    retry_backoff = 5  # seconds: 5, 10, 20 … (exponential, with jitter)
    retry_backoff_max = 600
    retry_jitter = True
    max_retries = 8

    def __call__(self, *args, **kwargs):
        from flask import has_app_context

        from models import db

        if has_app_context():  # called in-process (tests, eager mode)
            return self.run(*args, **kwargs)
        if _flask_app is None:
            raise RuntimeError("services.jobs.init_app(app) was not called")
        with _flask_app.app_context():
            try:
                return self.run(*args, **kwargs)
            finally:
                db.session.remove()


celery = Celery("colederma", task_cls=AppContextTask)


def init_app(app):
    """Configure the Celery application from the Flask config and remember the app the
    tasks run in (called by create_app, so `celery -A wsgi.celery` gets both)."""
    global _flask_app
    _flask_app = app
    config = app.config
    broker = config["CELERY_BROKER_URL"]
    celery.conf.update(
        broker_url=broker,
        broker_connection_retry_on_startup=True,
        # Redis' options (visibility_timeout); the SQLAlchemy transport passes its options to
        # create_engine, which knows none of them
        broker_transport_options=(config.get("CELERY_BROKER_TRANSPORT_OPTIONS") or {})
        if broker.startswith(("redis", "rediss")) else {},
        result_backend=None,
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue=config["CELERY_QUEUE"],
        task_serializer="json",
        accept_content=["json"],
        timezone=config["TIMEZONE"],
        enable_utc=True,
        # a request that enqueues must not hang when the broker is away: the sweep catches up
        task_publish_retry_policy={"max_retries": 2, "interval_start": 0,
                                   "interval_step": 0.2, "interval_max": 0.5},
        task_always_eager=config.get("CELERY_TASK_ALWAYS_EAGER", False),
        beat_schedule=beat_schedule(config),
        beat_schedule_filename=config["CELERY_BEAT_SCHEDULE_FILE"],
        worker_hijack_root_logger=False,
    )
    app.extensions["celery"] = celery
    return celery


def beat_schedule(config) -> dict:
    """What the beat starts, and how often."""
    return {
        "sweep-deliveries": {"task": "colederma.sweep_deliveries",
                             "schedule": config["DELIVERY_SWEEP_SECONDS"]},
        "plan-reminders": {"task": "colederma.plan_reminders",
                           "schedule": config["REMINDER_PLAN_SECONDS"]},
        "expire-checkouts": {"task": "colederma.expire_checkouts",
                             "schedule": crontab(minute="*/5")},
        # the report rollups are kept exact by every write; the nightly rebuild is the net
        "rebuild-reports": {"task": "colederma.rebuild_reports",
                            "schedule": crontab(hour=2, minute=30)},
    }


# ---- tasks --------------------------------------------------------------------------------
@celery.task(name="colederma.deliver_notification")
def deliver_notification(notification_id: int) -> dict:
    """Push one notification to its user's phones (each delivery row once)."""
    from services.notifications import delivery

    return delivery.deliver_notification(notification_id)


@celery.task(name="colederma.deliver_push")
def deliver_push(delivery_id: int) -> str:
    """Push one delivery row (if it is due and nobody else has it)."""
    from services.notifications import delivery

    return delivery.deliver(delivery_id)


@celery.task(name="colederma.sweep_deliveries")
def sweep_deliveries() -> dict:
    """Send every due push and reminder WhatsApp message (never enqueued, retries, claims of
    a worker that died)."""
    from services.notifications import delivery, reminders

    outcomes = delivery.sweep()
    for reminder_id in reminders.due_whatsapp():
        outcome = "whatsapp_" + reminders.send_whatsapp(reminder_id)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


@celery.task(name="colederma.plan_reminders")
def plan_reminders() -> int:
    """Write the appointment reminders now due (each once)."""
    from services.notifications import reminders

    return reminders.plan()


@celery.task(name="colederma.send_reminder_whatsapp")
def send_reminder_whatsapp(reminder_id: int) -> str:
    """Send one reminder's WhatsApp message (once)."""
    from services.notifications import reminders

    return reminders.send_whatsapp(reminder_id)


@celery.task(name="colederma.expire_checkouts")
def expire_checkouts() -> dict:
    """Pay or expire the checkouts whose payment did not come in time."""
    from services.payments.operations import expire_overdue_checkouts

    return expire_overdue_checkouts()


@celery.task(name="colederma.rebuild_reports")
def rebuild_reports() -> dict:
    """Recompute the report rollups of yesterday and today from their source rows (a safety
    net: services/reports/rollup_tracking.py keeps them exact inside every transaction)."""
    from datetime import timedelta

    from models import clinic_now, db
    from services.reports.rollups import rebuild

    today = clinic_now().date()
    counts = rebuild(today - timedelta(days=1), today)
    db.session.commit()
    return counts


@celery.task(name="colederma.write_audit_entries")
def write_audit_entries(rows: list) -> int:
    """Write audit entries queued by a read (services/audit.queue_entries), once."""
    from services import audit

    return audit.write_entries(rows)
