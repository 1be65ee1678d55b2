"""Factories of notifications. A notification reaches only its recipient, so the generic
engine tests (which call as the OWNER) get rows addressed to the first OWNER there is."""
import itertools

from sqlalchemy import select

from models import Notification, Role, User, clinic_now, db

from . import FACTORIES, VALID_CREATE, WRITER

_counter = itertools.count(1)


def first_owner() -> User:
    """The first OWNER account (one is made when there is none)."""
    from .accounts import make_user

    user = db.session.execute(select(User).join(Role, Role.iduser == User.id)
                              .where(Role.rolecodes == "OWNER").order_by(User.id)).scalars().first()
    return user or make_user(roles=("OWNER", "ADMIN", "USERS"))


def make_notification(user=None, **kw):
    """An unread notification to `user` (default: the first OWNER)."""
    number = next(_counter)
    values = {"id_user_to": (user or first_owner()).id, "title": f"Notifikasi {number}",
              "content": f"Isi notifikasi {number}", "intentions": "order_status",
              "priority": "Low", "labels": "Info", "is_read": False, "url": "", "remark": "",
              "created": clinic_now()}
    values.update(kw)
    row = Notification(**values)
    db.session.add(row)
    db.session.commit()
    return row


def _address_to(user, row):
    """Only its recipient reaches a notification."""
    if isinstance(row, Notification):
        row.id_user_to = user.id
        db.session.commit()


FACTORIES["notifications"] = make_notification
VALID_CREATE["notifications"] = lambda: {"title": "Judul", "content": "Isi"}  # no create endpoint
WRITER["notifications"] = _address_to
