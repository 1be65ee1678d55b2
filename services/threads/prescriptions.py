"""Prescriptions in consultations: asking for one, the doctor writing one, redeeming one."""
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from models import Menu, Order, OrderItem, Prescription, Thread, ThreadMessage, clinic_now, db
from models.threads import PRESCRIPTION_REQUEST, PRESCRIPTIONS, TEXT
from services import audit, events
from services.engine.writing import commit_or_conflict
from services.errors import Conflict, Forbidden, Invalid, NotFound
from services.orders import carts
from services.orders import operations as order_operations
from services.orders.money import selling_price

from .operations import (TEXT_MAX, find_thread, integer, post_message,
                         require_open, required_id)
from .queries import is_threads_doctor, prescription_of

AUTO_MESSAGE = "Hallo, saya ingin memesan {name}."


def request_prescription(actor, body) -> Thread:
    """menus/prescriptions/requests: a customer asks for a product that needs a prescription;
    a request thread (no doctor yet) opens with an automatic first message naming it. An
    open request of the same product is answered again, not doubled."""
    menu_id = required_id(body, "id_menu")
    menu = db.session.get(Menu, menu_id)
    if menu is None or menu.deleted_at is not None:
        raise Invalid(fields={"id_menu": "Produk tidak ditemukan."})
    if not menu.is_resep_required:
        raise Conflict(f"{menu.nama_menus} dapat dibeli tanpa resep.",
                       error_code="no_prescription_needed")
    existing = db.session.execute(select(Thread).where(
        Thread.thread_type == PRESCRIPTION_REQUEST, Thread.id_user_from == actor.id,
        Thread.id_menu == menu.id, Thread.is_closed.is_(False),
        Thread.deleted_at.is_(None))).scalars().first()
    if existing is not None:
        return existing
    now = clinic_now()
    thread = Thread(thread_type=PRESCRIPTION_REQUEST, id_user_from=actor.id, id_menu=menu.id,
                    order_date=now, last_update_at=now)
    db.session.add(thread)
    db.session.flush()
    events.thread_opened.send(thread, actor=actor)
    post_message(thread, actor, TEXT, AUTO_MESSAGE.format(name=menu.nama_menus)[:TEXT_MAX],
                 remark="auto-messages")
    commit_or_conflict()
    return thread


def post_prescription(actor, body) -> ThreadMessage:
    """thread_messages/prescriptions: the thread's doctor prescribes a product and a quantity,
    redeemable until now + PRESCRIPTION_VALID_DAYS (customers and office: 403)."""
    thread = find_thread(actor, required_id(body, "id_threads"), "id_threads")
    if not is_threads_doctor(actor, thread):
        raise Forbidden("Hanya dokter konsultasi ini yang dapat memberi resep.")
    menu_id = required_id(body, "id_menu")
    qty = integer(body.get("qty", 1) if body.get("qty") not in (None, "") else 1, "qty", 1,
                  carts.QTY_MAX)
    menu = db.session.get(Menu, menu_id)
    if menu is None or menu.deleted_at is not None:
        raise Invalid(fields={"id_menu": "Produk tidak ditemukan."})
    require_open(thread)
    message = post_message(thread, actor, PRESCRIPTIONS, menu.nama_menus[:255], remark=str(qty))
    days = current_app.config["PRESCRIPTION_VALID_DAYS"]
    db.session.add(Prescription(
        id_thread_messages=message.id, id_threads=thread.id, id_menu=menu.id,
        id_doctor_user=actor.id, id_customer=thread.id_user_from, qty=qty,
        valid_until=clinic_now() + timedelta(days=days)))
    audit.record("prescribe", actor, "threads", thread.id, f"{menu.nama_menus} × {qty}")
    commit_or_conflict()
    db.session.refresh(message)
    return message


def redeem(actor, body) -> Order:
    """menu_reedems/add_to_carts: the prescribed product into the customer's open product
    cart (the one named by `id_orders`, else their own, opened if needed), at its selling
    price and at most the prescribed quantity (`qty`, default all of it) — only by the
    prescription's own customer, before `valid_until`, once."""
    thread = find_thread(actor, required_id(body, "id_threads"), "id_threads")
    menu_id = required_id(body, "id_menu")
    if thread.id_user_from != actor.id:
        raise NotFound("Resep tidak ditemukan.")
    prescriptions = prescription_of(thread.id, menu_id)
    if not prescriptions:
        raise NotFound("Resep produk ini tidak ada di konsultasi tersebut.",
                       fields={"id_menu": "Tidak diresepkan."})
    waiting = [item for item in prescriptions if item.redeemed_at is None]
    if not waiting:
        raise Conflict("Resep ini sudah ditebus.", error_code="already_redeemed")
    now = clinic_now()
    valid = [item for item in waiting if item.valid_until >= now]
    if not valid:
        raise Conflict("Resep ini sudah kedaluwarsa; minta resep baru kepada dokter.",
                       error_code="prescription_expired")
    prescription = valid[0]
    qty = prescription.qty if body.get("qty") in (None, "") else integer(body["qty"], "qty")
    if qty > prescription.qty:
        raise Invalid(fields={"qty": f"Maksimal {prescription.qty} sesuai resep."})
    menu = prescription.menu
    if menu is None or menu.deleted_at is not None:
        raise Conflict("Produk resep ini tidak dijual lagi.", error_code="product_gone")
    if body.get("id_orders") not in (None, "", 0, "0"):
        order = order_operations.find_order(actor, integer(body["id_orders"], "id_orders"))
        if order.id_member != actor.id:
            raise NotFound("Pesanan tidak ditemukan.")
        carts.require_cart(order, "E")
    else:
        order = carts.init_cart(actor, {"order_type": "E"})
    if any(item.id_menu == menu.id for item in order.items):
        raise Conflict("Produk ini sudah ada di keranjang.", error_code="duplicate_line")
    taken = db.session.execute(update(Prescription).where(
        Prescription.id == prescription.id, Prescription.redeemed_at.is_(None)).values(
        redeemed_at=now, id_redeem_order=order.id)).rowcount
    if not taken:
        db.session.rollback()
        raise Conflict("Resep ini sudah ditebus.", error_code="already_redeemed")
    order.items.append(OrderItem(
        id_menu=menu.id, qty=qty, satuan=(menu.satuan or "")[:30],
        price=selling_price(menu), pajak=menu.pajak or 0, berat=menu.berat or 0,
        order_datetime=now, id_prescription=prescription.id))
    return carts.save_totals(order, "cart_products", actor, f"resep #{prescription.id}")
