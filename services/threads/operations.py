"""What happens in consultations: threads open themselves (a paid online consultation, a
customer's request for a prescription product), people write in them (text, image,
attachment; the doctor a prescription), read them, edit or delete their own words for a
while, and the doctor or the office closes and reopens them. A prescription is redeemed once
into the customer's product cart. The prescription's own steps (the request, the doctor's
prescription, redeeming it) are services.threads.prescriptions, on the helpers here.

Every change is one transaction; `thread_opened` and `message_posted` (services.events) are
sent inside it, just before the commit, so a receiver's rows (notifications, the outbox)
commit or vanish with it. Who acted always comes from the signed-in account."""
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from models import Doctor, Notification, Order, Thread, ThreadMessage, ThreadRead, clinic_now, db
from models.orders import PAID
from models.threads import CONSULTATION, IMAGE, PRESCRIPTION_REQUEST, TEXT
from services import audit, events
from services.access import doctor_of, has_doctor_role, is_office
from services.engine import core, get_resource
from services.engine.writing import commit_or_conflict
from services.errors import Conflict, Forbidden, Invalid, NotFound
from services.orders import operations as order_operations
from services.orders.codes import next_code_number
from services.orders.flow import OrderFlow
from services.uploads import remove_file, save_attachment, save_image

from .queries import (ATTACHMENT_KIND, IMAGE_KIND, is_participant, last_read,
                      remember_read)

TEXT_MAX = 4000
INT_MAX = 2_147_483_647
NOT_PARTICIPANT = ("Isi konsultasi hanya dapat dibaca dan ditulis oleh pasien dan dokternya.")


# ---- reading the body ---------------------------------------------------------------------
def integer(value, name, low=1, high=INT_MAX) -> int:
    """A whole number of the body (digits in a string too); 422 otherwise."""
    return order_operations.integer(value, name, low, high)


def required_id(body, name) -> int:
    """A required id of the body."""
    if not isinstance(body, dict) or body.get(name) in (None, ""):
        raise Invalid(fields={name: "Wajib diisi."})
    return integer(body[name], name)


def message_text(body, name="content") -> str:
    """The text of a message: required, at most TEXT_MAX characters."""
    value = body.get(name) if isinstance(body, dict) else None
    if not isinstance(value, str) or not value.strip():
        raise Invalid(fields={name: "Pesan tidak boleh kosong."})
    value = value.strip()
    if len(value) > TEXT_MAX:
        raise Invalid(fields={name: f"Maksimal {TEXT_MAX} karakter."})
    return value


# ---- finding -------------------------------------------------------------------------------
def find_thread(actor, thread_id, field=None) -> Thread:
    """The live thread the actor reaches, else 404 (the engine's load over the threads
    resource; `field` names the request field the 404 is about)."""
    try:
        return core.load(get_resource("threads"), actor, thread_id)
    except NotFound as exc:
        raise NotFound("Konsultasi tidak ditemukan.",
                       fields={field: "Tidak ditemukan."} if field else None) from exc


def thread_for_messages(actor, thread_id, field="id_threads") -> Thread:
    """A thread whose messages the actor reads and writes: a participant's (404 when out of
    reach, 403 for office staff who see the thread but are not in it)."""
    thread = find_thread(actor, thread_id, field)
    if not is_participant(actor, thread):
        raise Forbidden(NOT_PARTICIPANT)
    return thread


def require_open(thread: Thread):
    """409 on a closed (archived) thread."""
    if thread.is_closed:
        raise Conflict("Konsultasi sudah ditutup; buka kembali untuk melanjutkan.",
                       error_code="thread_closed")


# ---- threads open themselves ---------------------------------------------------------------
def next_queue_number(doctor_user_id: int, day) -> int:
    """The next place in a doctor's queue of the day, from a counter row that holds
    concurrent payments in line (services.orders.codes.next_code_number)."""
    return next_code_number(f"Q{doctor_user_id}-{day:%y%m%d}")


def open_consultation(order: Order, actor=None) -> Thread | None:
    """The consultation thread of a paid online-consultation order, with its doctor and the
    next queue number of the doctor's day; the existing one when it is already open. Runs in
    the caller's transaction (never commits)."""
    existing = db.session.execute(select(Thread).where(Thread.id_order == order.id)) \
        .scalars().first()
    if existing is not None:
        return existing
    extra = next((line for line in order.extras if line.id_doctors), None)
    doctor = db.session.get(Doctor, extra.id_doctors) if extra is not None else None
    if doctor is None:
        return None
    now = clinic_now()
    thread = Thread(thread_type=CONSULTATION, id_order=order.id, id_user_from=order.id_member,
                    id_user_to=doctor.id_users, id_doctors=doctor.id,
                    id_patients=order.id_patients, order_date=order.order_date or now,
                    queue_date=now.date(),
                    queue_number=next_queue_number(doctor.id_users, now.date()),
                    last_update_at=now)
    db.session.add(thread)
    db.session.flush()
    events.thread_opened.send(thread, actor=actor)
    return thread


@events.order_status_changed.connect
def _open_on_payment(order, before=None, after=None, actor=None, **_kw):
    """A paid online consultation (type C) opens its thread in the same transaction."""
    if after == PAID and order.order_type == "C":
        open_consultation(order, actor)


def create_thread(actor, body) -> Thread:
    """threads/create (office): open the consultation of a paid type C order by hand, as the
    payment would have (the body's users are the order's own; a second open is a 409)."""
    if not is_office(actor):
        raise Forbidden("Konsultasi dibuka otomatis saat pesanan konsultasi dibayar.")
    order = order_operations.find_order(actor, required_id(body, "id_order"), change=False)
    if order.order_type != "C" or not order.is_paid:
        raise Conflict("Hanya pesanan konsultasi (C) yang sudah dibayar yang membuka "
                       "konsultasi.", error_code="wrong_state")
    if db.session.execute(select(Thread.id).where(Thread.id_order == order.id)).first():
        raise Conflict("Konsultasi pesanan ini sudah dibuka.", error_code="duplicate_thread")
    thread = open_consultation(order, actor)
    if thread is None:
        raise Conflict("Pesanan ini tidak memiliki dokter konsultasi.", error_code="no_doctor")
    audit.record("create", actor, "threads", thread.id, f"pesanan {order.order_code}")
    commit_or_conflict()
    return thread


# ---- writing messages ----------------------------------------------------------------------
def _take_request(thread: Thread, actor):
    """The first doctor who answers an untaken prescription request takes it."""
    if thread.thread_type == PRESCRIPTION_REQUEST and thread.id_user_to is None \
            and has_doctor_role(actor) and thread.id_user_from != actor.id:
        doctor = doctor_of(actor)
        taken = db.session.execute(update(Thread).where(
            Thread.id == thread.id, Thread.id_user_to.is_(None)).values(
            id_user_to=actor.id, id_doctors=doctor.id if doctor else None)).rowcount
        if not taken:
            db.session.rollback()
            raise Conflict("Permintaan resep ini baru saja dijawab dokter lain.",
                           error_code="taken")
        db.session.refresh(thread)


def post_message(thread: Thread, actor, content_type, content, file_name="",
                 remark="") -> ThreadMessage:
    """Add a message to an open thread, stamp the thread and announce it (no commit)."""
    _take_request(thread, actor)
    message = ThreadMessage(id_threads=thread.id, id_user_from=actor.id,
                            content_type=content_type, content=content, file_name=file_name,
                            remark=remark)
    db.session.add(message)
    thread.last_update_at = clinic_now()
    db.session.flush()
    _mark_read(thread, actor, message.id)
    events.message_posted.send(message, actor=actor)
    return message


def post_text(actor, body) -> ThreadMessage:
    """thread_messages/text: a participant writes in an open thread."""
    thread = thread_for_messages(actor, required_id(body, "id_threads"))
    text = message_text(body)
    require_open(thread)
    message = post_message(thread, actor, TEXT, text)
    commit_or_conflict()
    return message


def post_file(actor, form, files, content_type) -> ThreadMessage:
    """thread_messages/image and /attachments: a picture (re-encoded) or a PDF or picture,
    checked by content and size-capped; `content` keeps the name it was sent with."""
    thread = thread_for_messages(actor, required_id(form, "id_threads"))
    require_open(thread)
    field = "image" if content_type == IMAGE else "attachments"
    upload = files.get(field) if files else None
    kind = IMAGE_KIND if content_type == IMAGE else ATTACHMENT_KIND
    name = save_image(upload, kind, field) if content_type == IMAGE \
        else save_attachment(upload, kind, field)
    original = (getattr(upload, "filename", "") or name).replace("\\", "/").rsplit("/", 1)[-1]
    try:
        message = post_message(thread, actor, content_type, original[:255], file_name=name)
        commit_or_conflict()
    except Exception:
        db.session.rollback()
        remove_file(kind, name)
        raise
    return message


def check_own_recent(message: ThreadMessage, actor, action: str):
    """Only one's own message, within MESSAGE_EDIT_MINUTES of sending it (403 / 409)."""
    if actor is None or message.id_user_from != actor.id:
        raise Forbidden(f"Hanya pesan Anda sendiri yang dapat {action}.")
    minutes = current_app.config["MESSAGE_EDIT_MINUTES"]
    if clinic_now() - message.created > timedelta(minutes=minutes):
        raise Conflict(f"Pesan hanya dapat {action} dalam {minutes} menit setelah dikirim.",
                       error_code="too_late")


def check_message_delete(message: ThreadMessage, actor):
    """Deleting: one's own message, in time; a redeemed prescription stays."""
    check_own_recent(message, actor, "dihapus")
    prescription = message.prescription
    if prescription is not None and prescription.redeemed_at is not None:
        raise Conflict("Resep yang sudah ditebus tidak dapat dihapus.", error_code="redeemed")


def update_text(actor, message: ThreadMessage, body) -> ThreadMessage:
    """thread_messages/{?}/update_text: one's own text message, in time, in an open thread."""
    text = message_text(body)
    if message.content_type != TEXT or message.remark == "auto-messages":
        raise Conflict("Hanya pesan teks yang dapat diubah.", error_code="not_text")
    check_own_recent(message, actor, "diubah")
    require_open(message.thread)
    message.content = text
    message.edited_at = clinic_now()
    audit.record("update", actor, "thread_messages", message.id, "ubah teks")
    commit_or_conflict()
    return message


# ---- read state ----------------------------------------------------------------------------
def _read_upsert(thread_id: int, user_id: int, upto: int, now):
    """INSERT the reader's mark, or move it forward (never back) when it exists: one atomic
    statement, so two first reads at once do not clash on the unique key."""
    table = ThreadRead.__table__
    values = dict(id_threads=thread_id, id_users=user_id, last_read_message_id=upto, read_at=now)
    if db.session.get_bind().dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
        statement = insert(table).values(**values)
        return statement.on_conflict_do_update(
            index_elements=[table.c.id_threads, table.c.id_users],
            set_={"last_read_message_id": db.func.max(table.c.last_read_message_id,
                                                      statement.excluded.last_read_message_id),
                  "read_at": now})
    from sqlalchemy.dialects.mysql import insert
    statement = insert(table).values(**values)
    return statement.on_duplicate_key_update(
        last_read_message_id=db.func.greatest(table.c.last_read_message_id,
                                              statement.inserted.last_read_message_id),
        read_at=now)


def _mark_read(thread: Thread, reader, upto: int):
    """Move the reader's mark forward to `upto` (never back); no commit."""
    if reader is None or not upto:
        return
    now = clinic_now()
    db.session.execute(_read_upsert(thread.id, reader.id, upto, now))
    remember_read(thread.id, reader.id, upto)
    # the reader's notifications of this thread's messages are read with them (the bell)
    db.session.execute(update(Notification).where(
        Notification.id_user_to == reader.id, Notification.id_threads == thread.id,
        Notification.is_read.is_(False)).values(is_read=True, read_at=now)
        .execution_options(synchronize_session=False))


def mark_read(thread: Thread, reader) -> bool:
    """The reader has now seen every message of the thread (commits; True when the mark
    moved)."""
    if reader is None or not is_participant(reader, thread):
        return False
    newest = db.session.execute(select(db.func.max(ThreadMessage.id)).where(
        ThreadMessage.id_threads == thread.id, ThreadMessage.id_user_from != reader.id)).scalar()
    if newest and newest > last_read(thread.id, reader.id):
        _mark_read(thread, reader, newest)
        thread.last_seen_at = clinic_now()
        db.session.commit()
        return True
    return False


# ---- closing and reopening -----------------------------------------------------------------
def _may_close(actor, thread: Thread):
    if is_office(actor) or (thread.id_user_to is not None and thread.id_user_to == actor.id):
        return
    raise Forbidden("Hanya dokter konsultasi ini atau staf kantor yang dapat menutup atau "
                    "membuka kembali konsultasi.")


def _close(thread: Thread, actor):
    thread.is_closed, thread.closed_at = True, clinic_now()
    thread.id_closed_by = getattr(actor, "id", None)
    audit.record("close", actor, "threads", thread.id, "tutup konsultasi")


@events.order_status_changed.connect
def _close_on_completion(order, before=None, after=None, actor=None, **_kw):
    """A completed consultation order (type C) closes its thread in the same transaction —
    also when the order's transition runs again after a deadlock."""
    if after != "DONE" or order.order_type != "C":
        return
    thread = db.session.execute(select(Thread).where(Thread.id_order == order.id)) \
        .scalars().first()
    if thread is not None and not thread.is_closed:
        _close(thread, actor)


def close_thread(actor, thread_id) -> Thread:
    """threads/{?}/close: archive the thread. A consultation whose order is paid is closed by
    completing that order (PAID → DONE, OrderFlow.complete_consultation): the order's change
    closes the thread (the receiver above), one transaction for both."""
    thread = find_thread(actor, thread_id)
    _may_close(actor, thread)
    if thread.is_closed:
        raise Conflict("Konsultasi sudah ditutup.", error_code="wrong_state")
    order = thread.order
    try:
        if thread.thread_type == CONSULTATION and order is not None and order.status == PAID:
            OrderFlow(order, actor).complete_consultation()
            db.session.refresh(thread)
        else:
            _close(thread, actor)
            commit_or_conflict()
    except Exception:
        db.session.rollback()
        raise
    return thread


def reopen_thread(actor, thread_id) -> Thread:
    """threads/{?}/reopen: active again (a completed order stays completed)."""
    thread = find_thread(actor, thread_id)
    _may_close(actor, thread)
    if not thread.is_closed:
        raise Conflict("Konsultasi masih aktif.", error_code="wrong_state")
    thread.is_closed, thread.closed_at, thread.id_closed_by = False, None, None
    audit.record("reopen", actor, "threads", thread.id, "buka kembali konsultasi")
    commit_or_conflict()
    return thread


def update_thread(actor, thread_id, body) -> Thread:
    """threads/{?}/update: `is_closed` closes or reopens (the same rules as close and
    reopen); `estimate_done_at` (the doctor or office) sets when the doctor expects to
    answer."""
    if not isinstance(body, dict):
        raise Invalid(fields={"is_closed": "Kirim objek JSON."})
    thread = find_thread(actor, thread_id)
    _may_close(actor, thread)
    if "estimate_done_at" in body:
        from services.engine.fields import FlexDateTime
        value = body["estimate_done_at"]
        try:
            thread.estimate_done_at = None if value in (None, "") \
                else FlexDateTime().deserialize(value)
        except Exception as exc:  # marshmallow.ValidationError and friends
            raise Invalid(fields={"estimate_done_at": "Format tanggal DD/MM/YYYY HH:MM."}) \
                from exc
    if "is_closed" in body:
        value = body["is_closed"]
        if value not in (0, 1, True, False, "0", "1"):
            raise Invalid(fields={"is_closed": "Isi 0 atau 1."})
        wanted = value in (1, True, "1")
        if wanted != thread.is_closed:
            return close_thread(actor, thread.id) if wanted else reopen_thread(actor, thread.id)
    commit_or_conflict()
    return thread
