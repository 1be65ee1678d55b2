"""Conformance seeds of notifications: an unread, low-priority notification to the caller from
another user (the documented filters find it), which is also the `{?}` object."""
from models import db
from services.notifications.operations import notify
from tests.factories.accounts import make_user

from . import ID_KEYS, SEEDS, Seed

ID_KEYS.update({"id_user_from", "id_user_to"})


def seed_notifications(kind, path, caller):
    sender = make_user(roles=("USERS",))
    note = notify(caller.id, "Pesanan dibayar", "Pembayaran diterima.", "order_status",
                  priority="Low", user_from=sender.id)
    db.session.commit()
    return Seed(target=note, ids={"id_user_from": [sender.id], "id_user_to": [caller.id],
                                  "id_users": [caller.id]})


SEEDS["notifications"] = seed_notifications
