"""The audit log: who did what, written in the same transaction as the change — and, for
reads (who read which medical records), through the audit queue, off the read path."""
import logging
from datetime import datetime

from flask import current_app, has_request_context, request
from sqlalchemy import insert

from models import Log, clinic_now, db


def client_ip() -> str:
    """The caller's address (the proxy's X-Forwarded-For is trusted only via ProxyFix)."""
    return (request.remote_addr or "")[:45] if has_request_context() else ""


def entry_for(action: str, actor, object_type: str = "", object_id=None, descriptions: str = "",
              *, username: str | None = None) -> Log:
    """An audit entry (not yet added to the session)."""
    return Log(
        id_users=getattr(actor, "id", None),
        username=(username if username is not None else getattr(actor, "username", ""))[:50],
        action=action[:50],
        object_type=object_type[:50],
        object_id=object_id,
        descriptions=(descriptions or "")[:500],
        ip_address=client_ip(),
        is_manual=False,
        created=clinic_now(),
    )


def record(action: str, actor, object_type: str = "", object_id=None, descriptions: str = "",
           *, username: str | None = None) -> Log:
    """Add an audit entry to the session; it commits with the change it describes."""
    entry = entry_for(action, actor, object_type, object_id, descriptions, username=username)
    db.session.add(entry)
    return entry


def record_many(entries: list) -> None:
    """Write many audit entries (made by entry_for) in one INSERT, so a list that shows
    records of many patients still runs a fixed number of queries."""
    if not entries:
        return
    columns = [column.key for column in Log.__table__.columns if column.key != "id"]
    db.session.execute(insert(Log), [{name: getattr(entry, name) for name in columns}
                                     for entry in entries])


# ---- the audit queue: entries of reads, written by a task ------------------------------------
log = logging.getLogger(__name__)
COLUMNS = ("id_users", "username", "action", "object_type", "object_id", "descriptions",
           "ip_address", "is_manual", "created")


def entry_data(entry: Log) -> dict:
    """An entry (made by entry_for) as JSON-safe data for the queue."""
    data = {name: getattr(entry, name) for name in COLUMNS}
    data["created"] = entry.created.isoformat()
    return data


def queue_entries(entries: list) -> None:
    """Hand audit entries (made by entry_for, with who, what and when already set) to the
    audit task (services/jobs.write_audit_entries), which writes them in its own transaction:
    the request neither writes nor commits them. The message waits in the broker until a
    worker takes it (Redis in production, the SQLite-file broker of `make run`: both keep it
    while no worker runs; the task is acknowledged only after its commit). Only when the
    broker cannot take it are they written here and now (committed on their own connection),
    so an entry is never lost. AUDIT_QUEUE_EAGER (the tests) runs the task in-process."""
    if not entries:
        return
    from services import jobs

    rows = [entry_data(entry) for entry in entries]
    if current_app.config.get("AUDIT_QUEUE_EAGER"):
        jobs.write_audit_entries.apply(args=(rows,)).get()
        return
    try:
        jobs.write_audit_entries.apply_async(args=(rows,))
    except Exception:  # the broker is away: write them now rather than lose them
        log.exception("audit queue unavailable: %d entries written in the request",
                      len(rows))
        write_entries(rows)


def write_entries(rows: list[dict]) -> int:
    """Write queued audit entries in one INSERT and one transaction of their own (not the
    caller's session). Returns how many were written. Delivery is at least once: a worker
    that dies between its commit and the acknowledgement leaves the message to another, which
    writes the entries again — a read noted twice, never a read lost (two real reads of the
    same records in the same second look alike, so duplicates are not guessed away)."""
    from models import db

    if not rows:
        return 0
    values = [{**row, "created": datetime.fromisoformat(row["created"])} for row in rows]
    with db.engine.begin() as connection:
        connection.execute(insert(Log), values)
    return len(values)
