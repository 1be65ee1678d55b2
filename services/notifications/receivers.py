"""Receivers of the domain events (services/events.py): each writes the notification of a
change — and its push deliveries — in the session of that change, never committing, so the
notification exists exactly when the change does (the outbox).

- order_status_changed: the order's customer (`id_member`) learns the new state;
- appointment_changed: booked, rescheduled and cancelled tell the patient's account (the
  patient's own, else the one that booked); a reschedule or cancellation also drops the
  reminders already written for the old time;
- message_posted: the other side of the thread. The sender is a thread message with these
  attributes (models/threads.py of the threads feature): `id`, `id_threads`,
  `id_user_from` (who wrote it), `content_type` (text, image, attachments, prescriptions),
  `content`, and `thread` with `id_user_from` (the customer) and `id_user_to` (the doctor's
  account; None while a prescription request waits in the pool — nobody to tell yet)."""
from models.orders import CART
from services import events
from services import format as fmt

from . import operations, reminders

ORDER_TEXTS = {
    "CHECKOUT": ("Menunggu pembayaran", "Pesanan {code} menunggu pembayaran sebesar {total}.",
                 "Warning"),
    "PAID": ("Pembayaran diterima", "Pembayaran pesanan {code} sebesar {total} sudah kami "
             "terima. Terima kasih!", "Success"),
    "PROCESSING": ("Pesanan diproses", "Pesanan {code} sedang kami proses.", "Info"),
    "PREPARED": ("Pesanan siap dikirim", "Pesanan {code} sudah dikemas dan siap dikirim.",
                 "Info"),
    "PICKUP": ("Pesanan dikirim", "Pesanan {code} sedang dalam perjalanan{resi}.", "Info"),
    "DONE": ("Pesanan selesai", "Pesanan {code} sudah selesai. Terima kasih telah berbelanja "
             "di Colederma.", "Success"),
    "CANCEL": ("Pesanan dibatalkan", "Pesanan {code} dibatalkan.", "Danger"),
    CART: ("Pesanan kembali ke keranjang", "Pesanan {code} kembali menjadi keranjang; "
             "Anda dapat mengubahnya dan membayar lagi.", "Warning"),
}
CONSULTATION_DONE = "Konsultasi {code} sudah selesai. Semoga lekas membaik!"
MESSAGE_KINDS = {"image": "mengirim gambar", "attachments": "mengirim lampiran",
                 "prescriptions": "menuliskan resep untuk Anda"}


def order_changed(order, before=None, after=None, actor=None, **_):
    """A notification to the order's customer about its new state."""
    title, text, labels = ORDER_TEXTS.get(after, ("Status pesanan berubah",
                                                   "Pesanan {code} kini berstatus {after}.",
                                                   "Info"))
    if after == "DONE" and order.order_type == "C":
        text = CONSULTATION_DONE
    code = order.order_code or f"#{order.id}"
    resi = (order.nomor_resi or "").strip()
    content = text.format(code=code, total=fmt.rupiah(order.grand_totals or 0), after=after,
                          resi=f" (resi {resi})" if resi else "")
    operations.notify(order.id_member, f"{title}: {code}", content, "order_status",
                      labels=labels, user_from=_other(actor, order.id_member),
                      remark="Pesanan", url=operations.api_url(f"orders/{order.id}"),
                      order_id=order.id)


APPOINTMENT_TEXTS = {
    "booked": ("Janji temu dibuat", "Janji temu {patient} dengan {doctor} pada {when} sudah "
               "tercatat.", "Success"),
    "rescheduled": ("Janji temu dijadwalkan ulang", "Janji temu {patient} dengan {doctor} "
                    "dipindahkan ke {when}.", "Warning"),
    "cancelled": ("Janji temu dibatalkan", "Janji temu {patient} dengan {doctor} pada {when} "
                  "dibatalkan.{reason}", "Danger"),
}


def appointment_changed(appointment, action=None, actor=None, **_):
    """Booked, rescheduled, cancelled: a notification to the patient's account."""
    if action in ("rescheduled", "cancelled"):
        reminders.forget(appointment.id)
    if action not in APPOINTMENT_TEXTS:
        return
    user_id = reminders.recipient_of(appointment)
    if user_id is None:
        return
    title, text, labels = APPOINTMENT_TEXTS[action]
    start = reminders.start_of(appointment)
    reason = (appointment.cancel_reason or "").strip()
    content = text.format(
        patient=appointment.patient.nama_lengkap_pasien if appointment.patient else "Anda",
        doctor=reminders.doctor_name(appointment),
        when=f"{fmt.weekday_name(start)}, {fmt.day_text(start)} pukul "
             f"{fmt.hour_minute(start)} WIB",
        reason=f" Alasan: {reason}." if reason else "")
    operations.notify(user_id, title, content, "appointment", labels=labels,
                      user_from=_other(actor, user_id), remark="Janji temu",
                      url=operations.api_url(f"appointments/{appointment.id}"),
                      appointment_id=appointment.id)


def message_posted(message, actor=None, **_):
    """A new message: a notification to the other side of its thread."""
    thread = message.thread
    if message.id_user_from == thread.id_user_from:
        user_id = thread.id_user_to
    else:
        user_id = thread.id_user_from
    if user_id is None or user_id == message.id_user_from:
        return
    sender = getattr(getattr(message, "user_from", None), "users_fullname", None) or \
        getattr(actor, "users_fullname", None) or "Lawan bicara Anda"
    kind = MESSAGE_KINDS.get(message.content_type)
    if kind is not None:
        content = f"{sender} {kind}."
    else:
        text = operations_text(message.content)
        content = f"{sender}: {text}"
    operations.notify(user_id, f"Pesan baru dari {sender}", content, "message",
                      priority="Normal", user_from=message.id_user_from, remark="Konsultasi",
                      url=operations.api_url(f"threads/{message.id_threads}"),
                      thread_id=message.id_threads)


def operations_text(content) -> str:
    """A message's text as a short line (no markup, at most 120 characters)."""
    import nh3

    text = " ".join(nh3.clean(content or "", tags=set()).split())
    return text if len(text) <= 120 else text[:119] + "…"


def _other(actor, user_id):
    """The sender shown on the notification: the actor, unless it is the user themselves."""
    actor_id = getattr(actor, "id", None)
    return actor_id if actor_id is not None and actor_id != user_id else None


def connect():
    """Connect the receivers (weakly referenced module functions stay alive)."""
    events.order_status_changed.connect(order_changed)
    events.appointment_changed.connect(appointment_changed)
    events.message_posted.connect(message_posted)


connect()
