"""API actions of consultations beyond the generated lists, get and delete: open a thread
(office), the grouped views (adminview, overview, overview/doctors), update, close, reopen;
write messages (text, image, attachments, prescriptions), edit one's own text; ask for a
prescription product; redeem a prescription into the cart (services/threads/operations.py,
the prescriptions' steps services/threads/prescriptions.py)."""
from flask import jsonify, request
from sqlalchemy import select

from models import Thread, db
from models.threads import PRESCRIPTION_REQUEST
from services.access import has_doctor_role, is_office
from services.engine import core, get_resource
from services.errors import Forbidden
from services.threads import operations, prescriptions
from services.threads.queries import (message_detail, overview_row, participant_condition,
                                      thread_detail, thread_row, unread_counts)

from .auth import signed_in_actor
from .body import json_body
from .resources import action

GROUPS = (("active", False), ("archive", True))


def _thread(thread, actor):
    return jsonify({"threads": thread_detail(thread, actor)})


def _message(message, actor):
    return jsonify({"thread_messages": message_detail(message, actor)})


@action("threads/create", ["POST"], "Open the consultation of a paid type C order (office)",
        {"id_order": "integer", "id_user_from": "integer (ignored: the order's customer)",
         "id_user_to": "integer (ignored: the order's doctor)"})
def create_thread():
    """Opened by the payment itself; the office may open a paid order's thread by hand."""
    actor = signed_in_actor()
    return _thread(operations.create_thread(actor, json_body(required=True)), actor)


def _grouped(threads, actor, row) -> dict:
    """active/archive × prescriptions/online_consultations, with `counts` of each."""
    answer = {}
    counts = {}
    unread = unread_counts([thread.id for thread in threads], actor.id)
    for group, closed in GROUPS:
        kinds = {"prescriptions": [], "online_consultations": []}
        for thread in threads:
            if bool(thread.is_closed) != closed:
                continue
            data = row(thread)
            data["unread_count"] = unread.get(thread.id, 0)
            key = "prescriptions" if thread.thread_type == PRESCRIPTION_REQUEST \
                else "online_consultations"
            kinds[key].append(data)
        answer[group] = kinds
        counts[group] = {key: len(value) for key, value in kinds.items()}
    answer["counts"] = counts
    return answer


def _threads(condition, body) -> list[Thread]:
    stmt = select(Thread).where(Thread.deleted_at.is_(None))
    if condition is not None:
        stmt = stmt.where(condition)
    stmt = core.apply_filters(get_resource("threads"), stmt, body)
    stmt = stmt.order_by(Thread.last_update_at.desc(), Thread.id.desc())
    return list(db.session.execute(stmt).scalars())


@action("threads/adminview", ["POST"], "Every thread, grouped (office)",
        {"id_user_to": "integer (optional)", "id_doctors": "integer (optional)"})
def admin_view():
    """Active and archived, prescription requests and online consultations (office only)."""
    actor = signed_in_actor()
    if not is_office(actor):
        raise Forbidden("Hanya staf kantor yang melihat semua konsultasi.")
    threads = _threads(None, json_body())
    return jsonify(_grouped(threads, actor, thread_row))


@action("threads/overview", ["POST"], "The caller's threads, grouped, with patient and doctor")
def overview():
    """A customer's own, a doctor's own and the untaken prescription requests."""
    actor = signed_in_actor()
    threads = _threads(participant_condition(actor), json_body())
    return jsonify(_grouped(threads, actor, lambda thread: overview_row(thread, actor)))


@action("threads/overview/doctors", ["POST"], "A doctor's threads, grouped (the doctor's inbox)")
def overview_doctors():
    """A doctor: their own threads and the untaken prescription requests; the office: every
    doctor's (filter with id_user_to or id_doctors); anyone else 403."""
    actor = signed_in_actor()
    if is_office(actor):
        condition = None
    elif has_doctor_role(actor):
        condition = participant_condition(actor) & (Thread.id_user_from != actor.id)
    else:
        raise Forbidden("Hanya dokter dan staf kantor yang memiliki kotak konsultasi.")
    threads = _threads(condition, json_body())
    return jsonify(_grouped(threads, actor, lambda thread: overview_row(thread, actor)))


@action("threads/<object_id>/update", ["PUT"], "Close or reopen (is_closed), estimate_done_at",
        {"is_closed": "0 | 1", "estimate_done_at": "DD/MM/YYYY HH:MM (optional)"})
def update_thread(object_id):
    """The same rules as close and reopen: the thread's doctor or the office."""
    actor = signed_in_actor()
    return _thread(operations.update_thread(actor, object_id, json_body(required=True)), actor)


@action("threads/<object_id>/close", ["PUT"], "Close (archive); a paid consultation completes")
def close_thread(object_id):
    """The thread's doctor or the office; the consultation order becomes DONE with it."""
    operations.close_thread(signed_in_actor(), object_id)
    return jsonify({"close": True})


@action("threads/<object_id>/reopen", ["PUT"], "Reopen an archived thread")
def reopen_thread(object_id):
    """The thread's doctor or the office."""
    operations.reopen_thread(signed_in_actor(), object_id)
    return jsonify({"reopen": True})


@action("thread_messages/text", ["POST"], "Write a text message",
        {"id_threads": "integer", "content": "text (max 4000)", "content_type": "text"})
def post_text():
    """A participant of an open thread."""
    actor = signed_in_actor()
    return _message(operations.post_text(actor, json_body(required=True)), actor)


@action("thread_messages/prescriptions", ["POST"], "Prescribe a product (the thread's doctor)",
        {"id_threads": "integer", "id_menu": "integer", "qty": "integer (default 1)",
         "content_type": "prescriptions"})
def post_prescription():
    """Redeemable once, until now + PRESCRIPTION_VALID_DAYS."""
    actor = signed_in_actor()
    return _message(prescriptions.post_prescription(actor, json_body(required=True)), actor)


@action("thread_messages/attachments", ["POST"], "Send an attachment (multipart: PDF or image)",
        {"id_threads": "integer", "content_type": "attachments", "attachments": "file"})
def post_attachment():
    """Checked by content, size-capped."""
    actor = signed_in_actor()
    return _message(operations.post_file(actor, request.form, request.files, "attachments"),
                    actor)


@action("thread_messages/image", ["POST"], "Send a picture (multipart)",
        {"id_threads": "integer", "content_type": "image", "image": "file"})
def post_image():
    """Checked by content, re-encoded without EXIF, size-capped."""
    actor = signed_in_actor()
    return _message(operations.post_file(actor, request.form, request.files, "image"), actor)


@action("thread_messages/<object_id>/update_text", ["PUT"], "Edit one's own text message",
        {"content": "text (max 4000)"})
def update_text(object_id):
    """Within MESSAGE_EDIT_MINUTES of sending it."""
    actor = signed_in_actor()
    message = core.load(get_resource("thread_messages"), actor, object_id)
    return _message(operations.update_text(actor, message, json_body(required=True)), actor)


@action("menus/prescriptions/requests", ["POST"], "Ask a doctor for a prescription product",
        {"id_menu": "integer"})
def request_prescription():
    """Opens a prescription-request thread with an automatic first message."""
    prescriptions.request_prescription(signed_in_actor(), json_body(required=True))
    return jsonify({"prescriptions_requests": True})


@action("menu_reedems/add_to_carts", ["POST"], "Redeem a prescription into the product cart",
        {"id_menu": "integer", "id_orders": "integer (the open product cart; optional)",
         "id_threads": "integer", "qty": "integer (optional, at most the prescribed)"})
def redeem():
    """The prescription's own customer, before valid_until, once."""
    prescriptions.redeem(signed_in_actor(), json_body(required=True))
    return jsonify({"add_to_carts": True})
