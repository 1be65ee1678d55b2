"""The audit log: who did what, written in the same transaction as the change."""
from flask import has_request_context, request

from models import Log, db


def client_ip() -> str:
    """The caller's address (the proxy's X-Forwarded-For is trusted only via ProxyFix)."""
    return (request.remote_addr or "")[:45] if has_request_context() else ""


def record(action: str, actor, object_type: str = "", object_id=None, descriptions: str = "",
           *, username: str | None = None) -> Log:
    """Add an audit entry to the session; it commits with the change it describes."""
    entry = Log(
        id_users=getattr(actor, "id", None),
        username=(username if username is not None else getattr(actor, "username", ""))[:50],
        action=action[:50],
        object_type=object_type[:50],
        object_id=object_id,
        descriptions=(descriptions or "")[:500],
        ip_address=client_ip(),
        is_manual=False,
    )
    db.session.add(entry)
    return entry
