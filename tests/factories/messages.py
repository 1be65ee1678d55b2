"""Factories of the outbox (what the stand-in gateways kept)."""
import itertools

from models import OutboxMessage, clinic_now, db

from . import FACTORIES, VALID_CREATE

_counter = itertools.count(1)


def make_outbox_message(channel="email", **kw):
    """A message the stand-ins kept."""
    number = next(_counter)
    values = {"channel": channel, "recipient": f"penerima{number}@example.com",
              "subject": f"Subjek {number}", "body": f"Isi pesan {number}", "data": None,
              "created": clinic_now()}
    values.update(kw)
    row = OutboxMessage(**values)
    db.session.add(row)
    db.session.commit()
    return row


FACTORIES["outbox_messages"] = make_outbox_message
# the outbox has no create (only the stand-ins write it): a body for completeness of the table
VALID_CREATE["outbox_messages"] = lambda: {"channel": "email", "recipient": "a@example.com",
                                           "subject": "s", "body": "b"}
