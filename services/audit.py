"""The audit log: who did what, written in the same transaction as the change."""
from flask import has_request_context, request
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
