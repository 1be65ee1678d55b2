"""Reading threads and messages: who reaches which thread, who reads its messages, the read
state of each reader, and the shapes the API answers them in.

Reach (threads): the office (OWNER, ADMIN, USERS) every thread — to count, find and close
them; a customer their own (`id_user_from`); a doctor the threads with them (`id_user_to`)
and the prescription requests no doctor has taken yet (the pool every doctor answers from).

Messages are the clinic's medical conversation: only the thread's participants read them —
its customer, its doctor (and, for an untaken prescription request, any doctor). Office staff
who are not a participant see the thread but not what was said (403 with a clear message);
this keeps the conversation between patient and doctor, as a consultation room would."""
from sqlalchemy import and_, false, func, or_, select

from models import Prescription, Thread, ThreadMessage, ThreadRead, db
from models.threads import PRESCRIPTION_REQUEST
from services.access import has_doctor_role, is_office
from services.engine import get_resource
from services.engine.gallery import primary_image
from services.engine.resource import format_value
from services.uploads import public_url

IMAGE_KIND = "thread_messages_image"
ATTACHMENT_KIND = "thread_messages_attachments"
PRODUCT_FIELDS = ("id", "nama_menus", "brief", "harga", "pajak", "is_resep_required",
                  "harga_promosi", "mulai_harga_promosi", "selesai_harga_promosi",
                  "is_featured", "id_menu_categories_1", "id_menu_categories_2",
                  "id_menu_categories_3", "dosis", "komposisi", "aturan_pakai",
                  "nomor_registrasi", "produsen", "satuan", "berat")
THREAD_ROW = ("id", "id_order", "order_date", "queue_number", "estimate_done_at",
              "last_update_at", "last_seen_at", "is_closed", "id_user_from", "id_user_to",
              "created", "modified", "user_from", "user_from_picture", "user_to",
              "user_to_picture", "user_from_picture_url", "user_to_picture_url")


# ---- who reaches what ----------------------------------------------------------------------
def untaken_request():
    """Condition: a prescription request no doctor has taken yet."""
    return and_(Thread.thread_type == PRESCRIPTION_REQUEST, Thread.id_user_to.is_(None))


def participant_condition(actor):
    """Condition on Thread: the actor takes part in it (customer, its doctor, or any doctor
    for an untaken prescription request)."""
    if actor is None:
        return false()
    condition = Thread.id_user_from == actor.id
    if has_doctor_role(actor):
        condition = or_(condition, Thread.id_user_to == actor.id, untaken_request())
    return condition


def thread_condition(actor):
    """Condition on Thread: the threads the actor reaches (None: every thread)."""
    if actor is None:
        return false()
    if is_office(actor):
        return None
    return participant_condition(actor)


def is_participant(actor, thread: Thread) -> bool:
    """True when the actor takes part in the thread (and so reads and writes its messages)."""
    if actor is None:
        return False
    if thread.id_user_from == actor.id or (thread.id_user_to is not None
                                           and thread.id_user_to == actor.id):
        return True
    return has_doctor_role(actor) and thread.thread_type == PRESCRIPTION_REQUEST \
        and thread.id_user_to is None


def is_threads_doctor(actor, thread: Thread) -> bool:
    """True when the actor is the thread's doctor (or a doctor who may take the request)."""
    if not has_doctor_role(actor):
        return False
    return thread.id_user_to == actor.id or (
        thread.thread_type == PRESCRIPTION_REQUEST and thread.id_user_to is None)


def participant_thread_ids(actor):
    """SELECT of the ids of the live threads the actor takes part in."""
    return select(Thread.id).where(Thread.deleted_at.is_(None), participant_condition(actor))


# ---- read state --------------------------------------------------------------------------
def _request_cache() -> dict | None:
    """A dict living as long as the current request (None outside one): lists prime it so
    every row does not ask the database again."""
    from flask import has_request_context, request
    if not has_request_context():
        return None
    return request.environ.setdefault("colederma.threads", {})


def prime_read_state(thread_ids, reader):
    """Read, in two queries, how far the reader and the others have read these threads."""
    cache = _request_cache()
    thread_ids = list(set(thread_ids))
    if cache is None or reader is None or not thread_ids:
        return
    mine = dict(db.session.execute(select(
        ThreadRead.id_threads, ThreadRead.last_read_message_id).where(
        ThreadRead.id_threads.in_(thread_ids), ThreadRead.id_users == reader.id)).all())
    others = dict(db.session.execute(select(
        ThreadRead.id_threads, func.max(ThreadRead.last_read_message_id)).where(
        ThreadRead.id_threads.in_(thread_ids), ThreadRead.id_users != reader.id)
        .group_by(ThreadRead.id_threads)).all())
    for thread_id in thread_ids:
        cache[("mine", thread_id, reader.id)] = mine.get(thread_id) or 0
        cache[("others", thread_id, reader.id)] = others.get(thread_id) or 0


def prime_unread(thread_ids, reader):
    """Count, in one query, the unread messages of these threads for the reader."""
    cache = _request_cache()
    if cache is None or reader is None:
        return
    counts = unread_counts(thread_ids, reader.id)
    for thread_id in thread_ids:
        cache[("unread", thread_id, reader.id)] = counts.get(thread_id, 0)


def unread_of(thread_id: int, reader) -> int:
    """The reader's unread messages in one thread (primed by lists)."""
    cache = _request_cache()
    key = ("unread", thread_id, reader.id)
    if cache is not None and key in cache:
        return cache[key]
    return unread_counts([thread_id], reader.id).get(thread_id, 0)


def remember_read(thread_id: int, user_id: int, upto: int):
    """The reader's mark moved (so this request's answers show it)."""
    cache = _request_cache()
    if cache is not None:
        cache[("mine", thread_id, user_id)] = upto


def last_read(thread_id: int, user_id: int) -> int:
    """The id of the last message this reader has seen in the thread (0: none)."""
    cache = _request_cache()
    if cache is not None and ("mine", thread_id, user_id) in cache:
        return cache[("mine", thread_id, user_id)]
    return db.session.execute(select(ThreadRead.last_read_message_id).where(
        ThreadRead.id_threads == thread_id, ThreadRead.id_users == user_id)).scalar() or 0


def others_last_read(thread: Thread, user_id: int) -> int:
    """The furthest another participant has read the thread (for "read" ticks)."""
    cache = _request_cache()
    if cache is not None and ("others", thread.id, user_id) in cache:
        return cache[("others", thread.id, user_id)]
    return db.session.execute(select(func.max(ThreadRead.last_read_message_id)).where(
        ThreadRead.id_threads == thread.id, ThreadRead.id_users != user_id)).scalar() or 0


def unread_counts(thread_ids, user_id: int) -> dict[int, int]:
    """Per thread: messages of others this reader has not seen yet."""
    thread_ids = list(thread_ids)
    if not thread_ids:
        return {}
    seen = select(ThreadRead.last_read_message_id).where(
        ThreadRead.id_threads == ThreadMessage.id_threads, ThreadRead.id_users == user_id
    ).scalar_subquery()
    rows = db.session.execute(
        select(ThreadMessage.id_threads, func.count(ThreadMessage.id))
        .where(ThreadMessage.id_threads.in_(thread_ids), ThreadMessage.deleted_at.is_(None),
               ThreadMessage.id_user_from != user_id,
               ThreadMessage.id > func.coalesce(seen, 0))
        .group_by(ThreadMessage.id_threads)).all()
    return dict(rows)


# ---- shapes ------------------------------------------------------------------------------
def _name(user):
    return user.users_fullname if user is not None else None


def _picture(user):
    return user.users_picture if user is not None else None


def thread_row(thread: Thread) -> dict:
    """The thread as listed (explore, search, adminview, nested in a message)."""
    data = {name: format_value(getattr(thread, name)) for name in
            ("id", "id_order", "order_date", "queue_number", "estimate_done_at",
             "last_update_at", "last_seen_at", "is_closed", "id_user_from", "created")}
    data["id_user_to"] = thread.id_user_to or 0
    data["modified"] = format_value(thread.updated)
    data.update(user_from=_name(thread.user_from), user_from_picture=_picture(thread.user_from),
                user_to=_name(thread.user_to), user_to_picture=_picture(thread.user_to),
                user_from_picture_url=public_url("users", _picture(thread.user_from)) or
                public_url_base("users"),
                user_to_picture_url=public_url("users", _picture(thread.user_to)) or
                public_url_base("users"),
                order_code=thread.order.order_code or "" if thread.order is not None else "",
                thread_type=thread.thread_type, id_menu=thread.id_menu,
                closed_at=format_value(thread.closed_at))
    return data


def public_url_base(kind: str) -> str:
    """The folder URL the document shows for an empty picture."""
    from flask import current_app
    return f"{current_app.config['PUBLIC_BASE_URL']}/uploads/{kind}/"


def empty_user() -> dict:
    """The documented `user_to` of a thread no doctor has taken: every key, null."""
    keys = get_resource("users").brief_keys(None)
    data = {key: None for key in keys}
    data["users_picture_url"] = public_url_base("users")
    return data


def thread_detail(thread: Thread, actor) -> dict:
    """One thread (get, create, update): the participants as users."""
    data = {name: format_value(getattr(thread, name)) for name in
            ("id", "id_order", "order_date", "queue_number", "estimate_done_at",
             "last_update_at", "last_seen_at", "is_closed")}
    users = get_resource("users")
    data["user_from"] = users.brief(thread.user_from, actor) or empty_user()
    data["user_to"] = users.brief(thread.user_to, actor) if thread.user_to else empty_user()
    data.update(id_user_from=thread.id_user_from, id_user_to=thread.id_user_to or 0,
                thread_type=thread.thread_type, id_menu=thread.id_menu,
                order_code=thread.order.order_code or "" if thread.order is not None else "",
                closed_at=format_value(thread.closed_at), created=format_value(thread.created),
                modified=format_value(thread.updated))
    return data


def overview_row(thread: Thread, actor) -> dict:
    """A thread of the overview: the row with its patient (and allergies) and doctor."""
    data = thread_row(thread)
    data["id_patients"] = thread.id_patients
    data["patients"] = get_resource("patients").serialize(thread.patient, actor, "detail") \
        if thread.patient is not None else None
    data["doctors"] = get_resource("doctors").brief(thread.doctor, actor) \
        if thread.doctor is not None else None
    return data


def product_content(menu, qty=None) -> dict:
    """A prescribed product as a message's `content`."""
    data = {name: format_value(getattr(menu, name, None)) for name in PRODUCT_FIELDS}
    image = primary_image(list(getattr(menu, "images", None) or []))
    data["images"] = public_url("menus", image.menu_image) if image else ""
    if qty is not None:
        data["qty"] = str(qty)
    return data


def message_url(message: ThreadMessage) -> str:
    """The stored file of an image or attachment message, as an absolute URL."""
    if message.content_type == "image":
        return public_url(IMAGE_KIND, message.file_name)
    if message.content_type == "attachments":
        return public_url(ATTACHMENT_KIND, message.file_name)
    return ""


def message_row(message: ThreadMessage, reader) -> dict:
    """A message as listed for this reader: `bubble` "right" for the reader's own, "left" for
    the other side's; `is_read` whether its recipient has seen it — for one's own message the
    other side, for theirs the reader (opening a conversation marks it read)."""
    thread = message.thread
    prescription = message.prescription
    own = reader is not None and message.id_user_from == reader.id
    if own:
        upto = others_last_read(thread, reader.id)
    else:
        upto = last_read(thread.id, reader.id) if reader is not None else 0
    sender = message.user_from
    recipient_id = thread.id_user_to if message.id_user_from == thread.id_user_from \
        else thread.id_user_from
    return {
        "id": message.id, "intentions": message.intentions, "id_threads": message.id_threads,
        "id_user_from": message.id_user_from, "id_user_to": recipient_id or 0, "title": "",
        "content": message_content(message),
        "content_type": message.content_type, "priority": message.priority, "labels": "",
        "is_read": int(message.id <= upto), "url": message_url(message),
        "remark": str(prescription.qty) if prescription is not None else message.remark,
        "created": format_value(message.created), "modified": format_value(message.updated),
        "user_from": _name(sender), "user_from_picture": _picture(sender),
        "user_from_picture_url": public_url("users", _picture(sender)) or
        public_url_base("users"),
        "user_to": None, "user_to_picture": None, "user_to_picture_url": public_url_base("users"),
        "bubble": "right" if own else "left",
        "valid_until": format_value(prescription.valid_until) if prescription else None,
        "is_edited": int(message.edited_at is not None),
        "edited_at": format_value(message.edited_at),
        "redeemed_at": format_value(prescription.redeemed_at) if prescription else None,
    }


def message_content(message: ThreadMessage):
    """The text, the file's name, or the prescribed product (with its quantity)."""
    if message.prescription is not None:
        return product_content(message.prescription.menu, message.prescription.qty)
    return message.content


def message_detail(message: ThreadMessage, reader) -> dict:
    """One message (get, text, image, attachments, prescriptions, update_text): the row with
    its thread nested."""
    data = message_row(message, reader)
    data["threads"] = thread_row(message.thread)
    if message.prescription is not None:
        data["qty"] = message.prescription.qty
    return data


def prescription_of(thread_id: int, menu_id: int):
    """The prescriptions of a product in a thread, newest first."""
    return db.session.execute(select(Prescription).where(
        Prescription.id_threads == thread_id, Prescription.id_menu == menu_id)
        .order_by(Prescription.id.desc())).scalars().all()
