"""The API data contract of consultation threads and their messages.

Threads: listed, found and read through the generated explore, search, table and get (reach:
services/threads/queries.py — the office all, a customer their own, a doctor theirs and the
untaken prescription requests); opened by the order flow or by the office
(threads/create), changed only by close, reopen and update (operations.py); deleted (soft) by
the office. Messages: read only by the thread's participants (office staff who are not one
see the thread, not the conversation); written through the documented actions; deleted by
their own author within MESSAGE_EDIT_MINUTES. Reading a thread's messages marks them read
for the reader."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models import Menu, Prescription, Thread, ThreadMessage, db
from models.threads import MESSAGE_TYPES, THREAD_TYPES
from services.access import OFFICE
from services.accounts.operations import user_data_part
from services.engine.filters import custom, id_filter
from services.engine.resource import SIGNED_IN, Resource, register
from services.errors import Invalid

from . import operations
from .queries import (THREAD_ROW, message_detail, message_row, participant_thread_ids,
                      prime_read_state, prime_unread, thread_condition, thread_detail,
                      thread_row, unread_of)


def _flag(value) -> bool:
    if value in (0, 1, True, False, "0", "1"):
        return value in (1, True, "1")
    raise ValueError(value)


def _choice(choices):
    def parse(value):
        if not isinstance(value, str) or value.strip().lower() not in choices:
            raise Invalid(fields={"value": "Pilih salah satu: " + ", ".join(choices)})
        return value.strip().lower()
    return parse


@register
class Threads(Resource):
    """Consultations between a customer and a doctor, and prescription requests."""

    name = "threads"
    model = Thread
    label = "Konsultasi"
    endpoints = ("explore", "search", "table", "get", "delete")  # the rest: api/threads.py
    outputs = THREAD_ROW
    filters = {
        "id_order": id_filter(Thread.id_order),
        "id_user_from": id_filter(Thread.id_user_from),
        "id_user_to": id_filter(Thread.id_user_to),
        "id_doctors": id_filter(Thread.id_doctors),
        "id_patients": id_filter(Thread.id_patients),
        "is_closed": custom(lambda stmt, value: stmt.where(Thread.is_closed.is_(_flag(value)))),
        "thread_type": custom(lambda stmt, value: stmt.where(
            Thread.thread_type == _choice(THREAD_TYPES)(value))),
    }
    table_columns = THREAD_ROW[:16]
    table_exprs = {"modified": Thread.updated, "user_from": None, "user_from_picture": None,
                   "user_to": None, "user_to_picture": None}
    search_columns = ("id", "queue_number")
    order_by = (Thread.is_closed.asc(), Thread.last_update_at.desc(), Thread.id.desc())
    eager = (selectinload(Thread.user_from), selectinload(Thread.user_to),
             selectinload(Thread.order))
    access = {"read": SIGNED_IN, "create": frozenset(), "update": frozenset(),
              "delete": OFFICE}

    def visible_rows(self, stmt, actor):
        """The threads the actor reaches."""
        condition = thread_condition(actor)
        return stmt if condition is None else stmt.where(condition)

    def after_read(self, rows, actor, action):
        """Lists count every row's unread messages for the reader in one query."""
        prime_unread([row.id for row in rows], actor)

    def describe(self, obj):
        """The thread's kind and number."""
        return f"{obj.thread_type} #{obj.id}"

    def serialize(self, obj, actor, view="detail"):
        """A list row (names of the participants, the order's code and, for the reader, the
        unread count); one thread with its participants as users."""
        if view == "list":
            data = thread_row(obj)
            if actor is not None:
                data["unread_count"] = unread_of(obj.id, actor)
            return data
        return thread_detail(obj, actor)

    def table_value(self, obj, name):
        """A cell of the DataTables answer."""
        return thread_row(obj).get(name)


def _message_filter_thread(stmt, value):
    try:
        number = int(str(value))
    except ValueError as exc:
        raise Invalid(fields={"id_threads": "Harus berupa angka."}) from exc
    return stmt.where(ThreadMessage.id_threads == number)


@register
class ThreadMessages(Resource):
    """Messages of a thread: text, image, attachments and prescriptions."""

    name = "thread_messages"
    model = ThreadMessage
    label = "Pesan"
    endpoints = ("explore", "search", "table", "get", "delete")  # the rest: api/threads.py
    outputs = ("id", "intentions", "id_threads", "id_user_from", "id_user_to", "content",
               "content_type", "priority", "is_read", "url", "remark", "created")
    filters = {
        "id_threads": custom(_message_filter_thread),
        "id_user_from": id_filter(ThreadMessage.id_user_from),
        "content_type": custom(lambda stmt, value: stmt.where(
            ThreadMessage.content_type == _choice(MESSAGE_TYPES)(value))),
        # documented, with no meaning here: who reads is the signed-in account
        "is_admin": custom(lambda stmt, value: stmt),
        "id_user_to": custom(lambda stmt, value: stmt),
    }
    table_columns = ("id", "id_threads", "id_user_from", "content_type", "content", "created")
    table_exprs = {"content": ThreadMessage.content}
    search_columns = ("content",)
    order_by = (ThreadMessage.id.desc(),)
    eager = (selectinload(ThreadMessage.thread).selectinload(Thread.order),
             selectinload(ThreadMessage.thread).selectinload(Thread.user_from),
             selectinload(ThreadMessage.user_from),
             selectinload(ThreadMessage.prescription).selectinload(Prescription.menu)
             .selectinload(Menu.images))
    access = {"read": SIGNED_IN, "create": frozenset(), "update": frozenset(),
              "delete": frozenset()}
    own_actions = frozenset({"delete"})

    def visible_rows(self, stmt, actor):
        """Messages of the threads the actor takes part in."""
        return stmt.where(ThreadMessage.id_threads.in_(participant_thread_ids(actor)))

    def own_rows(self, stmt, actor):
        """The actor's own messages."""
        return stmt.where(ThreadMessage.id_user_from == actor.id)

    def is_own(self, actor, obj):
        """The actor wrote it."""
        return actor is not None and obj.id_user_from == actor.id

    def check_change(self, obj, actor):
        """One's own message, in time (a redeemed prescription stays)."""
        operations.check_message_delete(obj, actor)

    def describe(self, obj):
        """The kind of message and its thread."""
        return f"{obj.content_type} di konsultasi #{obj.id_threads}"

    def after_read(self, rows, actor, action):
        """Opening a conversation (the messages of one thread) marks it read for the reader
        (commits); lists learn every thread's read marks in two queries."""
        if actor is None:
            return
        threads = {row.id_threads: row.thread for row in rows}
        prime_read_state(threads, actor)
        if len(threads) == 1:
            ids = [row.id for row in rows]
            if operations.mark_read(next(iter(threads.values())), actor):
                # the commit expired the rows: load them again at once, not row by row
                db.session.execute(select(ThreadMessage).where(ThreadMessage.id.in_(ids))
                                   .options(*self.eager)).scalars().all()

    def serialize(self, obj, actor, view="detail"):
        """A message for this reader (bubble and read state relative to them)."""
        if view == "list":
            return message_row(obj, actor)
        return message_detail(obj, actor)

    def table_value(self, obj, name):
        """A cell of the DataTables answer (a prescription's product by name)."""
        value = obj.content if name == "content" else super().table_value(obj, name)
        return value



# ---- users/data -------------------------------------------------------------------------------
OPEN_THREADS = 10


@user_data_part
def threads_of_user(user) -> dict:
    """users/data: the open threads the user takes part in (as the patient's account or as the
    doctor), the latest first, as list rows (with their unread counts)."""
    from services.engine import get_resource

    resource = get_resource("threads")
    stmt = (select(Thread).options(*Threads.eager)
            .where(Thread.deleted_at.is_(None), Thread.is_closed.is_(False),
                   (Thread.id_user_from == user.id) | (Thread.id_user_to == user.id))
            .order_by(Thread.id.desc()).limit(OPEN_THREADS))
    return {"threads": [resource.serialize(thread, user, "list")
                        for thread in db.session.execute(stmt).scalars()]}
