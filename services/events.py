"""Domain events: blinker signals (Flask's own dependency) that the workflows send inside
their transaction, just before it commits. Receivers run synchronously in the same session,
so what they add (a notification, an outbox row for a push or a WhatsApp message) commits or
rolls back together with the change that caused it — the outbox pattern. A receiver never
commits and never calls an outside service; delivery is a background job's work.

    order_status_changed   sender: the Order;  before, after, actor
    appointment_changed    sender: the Appointment;  action (booked, rescheduled, cancelled,
                           arrived, done), actor
    thread_opened          sender: the thread;  actor
    message_posted         sender: the message;  actor
"""
from blinker import Namespace

_signals = Namespace()

order_status_changed = _signals.signal("order-status-changed")
appointment_changed = _signals.signal("appointment-changed")
thread_opened = _signals.signal("thread-opened")
message_posted = _signals.signal("message-posted")
