"""Stock, promotion quota and points an order holds from checkout on, and the points it earns."""
from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from models import (Order, Promotion, PromotionUse, Store, StoreMenu, StoreMenuStock, User,
                    UserPoint, clinic_now, db)
from services.errors import Conflict


def online_store_id() -> int | None:
    """The store whose stock serves online orders: ONLINE_STORE_ID, else the first store shown
    in the app."""
    configured = current_app.config.get("ONLINE_STORE_ID") or 0
    if configured:
        return configured
    return db.session.execute(
        select(Store.id).where(Store.deleted_at.is_(None), Store.is_show.is_(True))
        .order_by(Store.id).limit(1)).scalar_one_or_none()


def stock_lines(order: Order):
    """The lines that hold stock, in product order: every transaction locks stock rows in
    the same order, so two of them never wait for each other in a circle."""
    return sorted((item for item in order.items if not item.is_canceled),
                  key=lambda item: item.id_menu)


def reserve_stock(order: Order):
    store_id = order.id_brandstore or online_store_id()
    if store_id is None:
        raise Conflict("Belum ada toko yang melayani pesanan online.", error_code="no_store")
    order.id_brandstore = store_id
    for item in stock_lines(order):
        stock_id = db.session.execute(
            select(StoreMenuStock.id).join(StoreMenu, StoreMenu.id ==
                                           StoreMenuStock.idbrandstoremenus)
            .where(StoreMenu.idmenu == item.id_menu, StoreMenu.idbrandstore == store_id)
        ).scalar_one_or_none()
        taken = 0
        if stock_id is not None:
            taken = db.session.execute(
                update(StoreMenuStock)
                .where(StoreMenuStock.id == stock_id, StoreMenuStock.quantitytotal >= item.qty)
                .values(quantitytotal=StoreMenuStock.quantitytotal - item.qty,
                        datetimeupdateat=clinic_now())).rowcount
        if not taken:
            name = item.menu.nama_menus if item.menu else f"#{item.id_menu}"
            raise Conflict(f"Stok {name} tidak cukup untuk {item.qty} {item.satuan}.".strip(),
                           error_code="out_of_stock", fields={"id_menu": item.id_menu})


def _return_stock(order: Order):
    for item in stock_lines(order):
        stock_id = db.session.execute(
            select(StoreMenuStock.id).join(StoreMenu, StoreMenu.id ==
                                           StoreMenuStock.idbrandstoremenus)
            .where(StoreMenu.idmenu == item.id_menu,
                   StoreMenu.idbrandstore == order.id_brandstore)).scalar_one_or_none()
        if stock_id is not None:
            db.session.execute(
                update(StoreMenuStock).where(StoreMenuStock.id == stock_id)
                .values(quantitytotal=StoreMenuStock.quantitytotal + item.qty,
                        datetimeupdateat=clinic_now()))


def _take_promotion(order: Order):
    promotion = order.promotion
    if promotion is None:
        return
    now = clinic_now()
    taken = db.session.execute(
        update(Promotion)
        .where(Promotion.id == promotion.id, Promotion.used < Promotion.quota,
               Promotion.start_datetime <= now, Promotion.expired_datetime >= now)
        .values(used=Promotion.used + 1)).rowcount
    if not taken:
        raise Conflict(f"Promo {promotion.display_codes} sudah habis atau tidak berlaku.",
                       error_code="promotion_unavailable")
    db.session.add(PromotionUse(id_promotions=promotion.id, id_users=order.id_member,
                                id_orders=order.id))
    try:
        db.session.flush()  # the unique (promotion, customer) decides a race here
    except IntegrityError as exc:
        db.session.rollback()
        raise Conflict(f"Promo {promotion.display_codes} sudah pernah Anda gunakan.",
                       error_code="promotion_used") from exc


def _return_promotion(order: Order):
    use = db.session.execute(select(PromotionUse).where(
        PromotionUse.id_orders == order.id)).scalar_one_or_none()
    if use is None:
        return
    db.session.execute(update(Promotion).where(Promotion.id == use.id_promotions,
                                               Promotion.used > 0)
                       .values(used=Promotion.used - 1))
    db.session.delete(use)


def _debit(order: Order, points: int, usecase: str) -> bool:
    """Take `points` from the order's customer in one guarded UPDATE (never below zero) and
    write the ledger line; False (nothing written) when they do not have that many."""
    taken = db.session.execute(
        update(User).where(User.id == order.id_member, User.total_point >= points)
        .values(total_point=User.total_point - points)).rowcount
    if taken:
        db.session.add(UserPoint(id_users=order.id_member, id_orders=order.id,
                                 use_point=points, is_used=True, usecase=usecase))
    return bool(taken)


def _credit(order: Order, points: int, usecase: str):
    """Give `points` to the order's customer and write the ledger line."""
    db.session.execute(update(User).where(User.id == order.id_member)
                       .values(total_point=User.total_point + points))
    db.session.add(UserPoint(id_users=order.id_member, id_orders=order.id,
                             add_point=points, usecase=usecase))


def spend_points(order: Order):
    points = order.poin_used or 0
    if points <= 0:
        return
    if not _debit(order, points, f"Dipakai untuk pesanan {order.order_code}"):
        raise Conflict("Poin Anda tidak cukup.", error_code="not_enough_points",
                       fields={"poin_used": "Poin tidak cukup."})


def _return_points(order: Order):
    points = order.poin_used or 0
    if points <= 0:
        return
    _credit(order, points, f"Dikembalikan dari pesanan {order.order_code}")


def reserve(order: Order):
    if order.order_type == "E":
        reserve_stock(order)
    _take_promotion(order)
    spend_points(order)
    order.is_reserved = True


def give_back(order: Order, promotion: bool = True):
    if not order.is_reserved:
        return
    if order.order_type == "E":
        _return_stock(order)
    if promotion:
        _return_promotion(order)
    _return_points(order)
    order.is_reserved = False


def earn_points(order: Order):
    rate = current_app.config.get("POINTS_PER_100_RUPIAH", 0)
    points = order.grand_totals * rate // 100 if rate > 0 else 0
    order.points_earned = points
    if points <= 0:
        return
    _credit(order, points, f"Didapat dari pesanan {order.order_code}")


def revoke_points(order: Order):
    points = order.points_earned or 0
    if points <= 0:
        return
    if not _debit(order, points,
                  f"Ditarik: pembayaran pesanan {order.order_code} dibatalkan"):
        raise Conflict("Poin dari pesanan ini sudah terpakai; pembayaran tidak dapat "
                       "dibatalkan.", error_code="points_spent")
    order.points_earned = 0
