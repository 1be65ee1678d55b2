"""Changing an open cart: opening it, its products, consultations, address, promotion, points."""
import math

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from models import (Doctor, Menu, Order, OrderExtra, OrderItem, Patient, Promotion,
                    PromotionUse, User, clinic_now, db)
from models.orders import CART, ORDER_TYPES
from services import audit
from services.access import is_office
from services.errors import Conflict, Forbidden, Invalid

from .flow import cart_key, status_label
from .money import compute_totals, refresh_totals, selling_price
from .operations import find_order, integer, text
from .queries import is_open_cart

QTY_MAX = 999
LINES_MAX = 50  # lines one add_to_carts call may send
PLUS, MINUS = "+", "-"
MINUS_SIGNS = {"-", "–", "—", "−"}  # the document prints an en dash
TYPE_NAMES = {"E": "produk", "C": "konsultasi online"}
PRESCRIPTION_MESSAGE = ("{name} memerlukan resep dokter: produk ini hanya masuk keranjang "
                        "melalui penebusan resep, tidak dapat ditambahkan sendiri.")
ADDRESS_TEXT = {"alamat_kirim": 255, "kode_provinsi": 10, "kode_kota": 10, "kode_kecamatan": 10,
                "nama_penerima": 150}


# ---- quantities and the cart being changed --------------------------------------------------
def quantity_instruction(value, name="qty"):
    """The documented qty: "+" adds one, "-" takes one off, 1–999 replaces, 0 removes."""
    if isinstance(value, str) and value.strip() == PLUS:
        return PLUS
    if isinstance(value, str) and value.strip() in MINUS_SIGNS:
        return MINUS
    try:
        return integer(value, name, 0, QTY_MAX)
    except Invalid as exc:
        raise Invalid(fields={name: f'Isi "+", "-", atau angka 0 sampai {QTY_MAX}.'}) from exc


def new_quantity(current: int, instruction) -> int:
    """The quantity after an instruction (0: the line goes)."""
    if instruction == PLUS:
        return min(current + 1, QTY_MAX) if current else 1
    if instruction == MINUS:
        return max(current - 1, 0)
    return instruction


def require_cart(order: Order, order_type: str | None = None):
    """409 unless the order is still an open cart (of the type, when given)."""
    if not is_open_cart(order):
        raise Conflict(f"Pesanan berstatus {status_label(order.status)} ({order.status}) "
                       "bukan keranjang lagi; isinya tidak dapat diubah.",
                       error_code="wrong_state")
    if order_type and order.order_type != order_type:
        raise Conflict(f"Keranjang ini untuk {TYPE_NAMES[order.order_type]}, bukan "
                       f"{TYPE_NAMES[order_type]}.", error_code="wrong_type")


def cart_for_change(actor, body, order_type) -> Order:
    """The open cart named by `id_order` in the body, of this type, that the actor may change."""
    if "id_order" not in body or body.get("id_order") in (None, ""):
        raise Invalid(fields={"id_order": "Wajib diisi (id keranjang dari orders/init)."})
    order = find_order(actor, integer(body["id_order"], "id_order"))
    require_cart(order, order_type)
    return order


def record_step(order: Order, step: str, actor, note: str = ""):
    """Write a cart change to the audit log, as the order's steps are (flow.STEP_WORDS)."""
    audit.record("order_step", actor, "orders", order.id,
                 f"{order.order_code or '#' + str(order.id)}|{step}|{note[:150]}")


def save_totals(order: Order, action: str, actor, note: str = ""):
    """Recompute the totals (money.refresh_totals), audit and commit."""
    db.session.flush()
    db.session.refresh(order)
    refresh_totals(order)
    record_step(order, action, actor, note)
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise Conflict() from exc
    return order


# ---- carts ----------------------------------------------------------------------------------
def _member_for(actor, body) -> User:
    """Whose cart: a customer's own (another id is refused); staff may name a customer."""
    given = body.get("id_users")
    if given in (None, "", 0, "0"):
        return actor
    member_id = integer(given, "id_users")
    if member_id == actor.id:
        return actor
    if not is_office(actor):
        raise Forbidden("Anda hanya dapat membuka keranjang untuk akun Anda sendiri.",
                        fields={"id_users": "Bukan akun Anda."})
    member = db.session.get(User, member_id)
    if member is None or getattr(member, "deleted_at", None) is not None:
        raise Invalid(fields={"id_users": "Akun tidak ditemukan."})
    return member


def _patient_for(member: User, body) -> Patient | None:
    given = body.get("id_patients")
    if given in (None, "", 0, "0"):
        return None
    patient = db.session.get(Patient, integer(given, "id_patients"))
    if patient is None or patient.deleted_at is not None or patient.id_users != member.id:
        raise Invalid(fields={"id_patients": "Pasien tidak ditemukan pada akun ini."})
    return patient


def open_cart_of(member_id: int, order_type: str) -> Order | None:
    """The member's open cart of the type, or None."""
    return db.session.execute(select(Order).where(
        Order.cart_key == cart_key(member_id, order_type))).scalars().first()


def init_cart(actor, body: dict) -> Order:
    """The member's open cart of the type, created (with the member's contact details) when
    there is none; a concurrent init finds the one the other request made (unique cart key)."""
    order_type = body.get("order_type")
    if not isinstance(order_type, str) or order_type.strip().upper() not in ORDER_TYPES:
        raise Invalid(fields={"order_type": "Pilih E (produk) atau C (konsultasi online)."})
    order_type = order_type.strip().upper()
    member = _member_for(actor, body)
    patient = _patient_for(member, body)
    order = open_cart_of(member.id, order_type)
    if order is None:
        order = Order(id_member=member.id, order_type=order_type,
                      cart_key=cart_key(member.id, order_type), status=CART,
                      nama_pemesan=(member.users_fullname or member.username or "")[:150],
                      notelp_pemesan=(member.users_phone or "")[:30],
                      email_pemesan=(member.users_email or "")[:150],
                      alamat_pemesan=(member.users_address or "")[:255],
                      alamat_kirim=(member.users_address or "")[:255],
                      nama_penerima=((patient.nama_lengkap_pasien if patient else None)
                                     or member.users_fullname or "")[:150],
                      id_patients=patient.id if patient else None)
        db.session.add(order)
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()  # another request opened it a moment ago
            order = open_cart_of(member.id, order_type)
            if order is None:
                raise Conflict("Keranjang sedang dibuat; coba lagi.", error_code="busy")
            return order
        record_step(order, "cart_open", actor, f"{member.username} ({order_type})")
        db.session.commit()
    elif patient is not None and order.id_patients != patient.id:
        order.id_patients = patient.id
        order.nama_penerima = (patient.nama_lengkap_pasien or order.nama_penerima)[:150]
        db.session.commit()
    return order


def _lines(body, key_name) -> list[tuple[int, object]]:
    items = body.get("items")
    if not isinstance(items, list) or not items:
        raise Invalid(fields={"items": f'Kirim daftar baris: [{{"{key_name}": 1, "qty": 1}}].'})
    if len(items) > LINES_MAX:
        raise Invalid(fields={"items": f"Maksimal {LINES_MAX} baris sekali kirim."})
    lines = []
    for index, line in enumerate(items):
        if not isinstance(line, dict):
            raise Invalid(fields={f"items[{index}]": "Setiap baris berupa objek JSON."})
        lines.append((integer(line.get(key_name), f"items[{index}].{key_name}"),
                      quantity_instruction(line.get("qty"), f"items[{index}].qty")))
    return lines


def check_product(menu: Menu | None, field="id_menu") -> Menu:
    """A live product that may be put in a cart by hand (no prescription needed)."""
    if menu is None or menu.deleted_at is not None:
        raise Invalid(fields={field: "Produk tidak ditemukan."})
    if menu.is_resep_required:
        raise Conflict(PRESCRIPTION_MESSAGE.format(name=menu.nama_menus),
                       error_code="prescription_required", fields={field: "Perlu resep dokter."})
    return menu


def _quantity_of(lines: list, line, instruction) -> int:
    """The quantity `instruction` gives `line` (None: a line not in the cart yet); a line
    brought to zero or below leaves `lines` (the answer is then 0 or less)."""
    quantity = new_quantity(line.qty if line else 0, instruction)
    if quantity <= 0 and line is not None:
        lines.remove(line)
    return quantity


def set_product_quantity(order: Order, menu: Menu, instruction, actor) -> None:
    """Apply one quantity instruction to the cart's line of this product."""
    line = next((item for item in order.items if item.id_menu == menu.id), None)
    quantity = _quantity_of(order.items, line, instruction)
    if quantity <= 0:
        return
    if line is None:
        check_product(menu)
        order.items.append(OrderItem(
            id_menu=menu.id, qty=quantity, satuan=(menu.satuan or "")[:30],
            price=selling_price(menu), pajak=menu.pajak or 0, berat=menu.berat or 0,
            order_datetime=clinic_now()))
    else:
        if menu.is_resep_required and quantity > line.qty:
            raise Conflict(PRESCRIPTION_MESSAGE.format(name=menu.nama_menus),
                           error_code="prescription_required",
                           fields={"qty": "Jumlah produk resep tidak dapat ditambah sendiri."})
        line.qty = quantity


def add_products(actor, body: dict) -> Order:
    """orders/e_add_to_carts: each line's qty applied to the product cart (see
    quantity_instruction); a new line captures the product's selling price now."""
    order = cart_for_change(actor, body, "E")
    for index, (menu_id, instruction) in enumerate(_lines(body, "id_menu")):
        menu = db.session.get(Menu, menu_id)
        field = f"items[{index}].id_menu"
        if menu is None or menu.deleted_at is not None:
            db.session.rollback()
            raise Invalid(fields={field: "Produk tidak ditemukan."})
        try:
            set_product_quantity(order, menu, instruction, actor)
        except (Invalid, Conflict) as exc:
            db.session.rollback()
            exc.fields = {field: message for message in exc.fields.values()} or exc.fields
            raise
    return save_totals(order, "cart_products", actor)


def consultation_price(doctor: Doctor) -> int:
    """The doctor's consultation price: their own price, else their main service's."""
    if doctor.custom_price:
        return doctor.custom_price
    return doctor.service.services_price if doctor.service is not None else 0


def _doctor(doctor_id, field) -> Doctor:
    doctor = db.session.get(Doctor, doctor_id)
    if doctor is None or doctor.deleted_at is not None or not doctor.is_active:
        raise Invalid(fields={field: "Dokter tidak ditemukan atau tidak aktif."})
    return doctor


def set_consultation_quantity(order: Order, doctor: Doctor, instruction) -> None:
    """Apply one quantity instruction to the cart's consultation line with this doctor."""
    line = next((extra for extra in order.extras if extra.id_doctors == doctor.id), None)
    quantity = _quantity_of(order.extras, line, instruction)
    if quantity <= 0:
        return
    if line is None:
        order.extras.append(OrderExtra(id_doctors=doctor.id, item="Online consultation",
                                       qty=quantity, extra_prices=consultation_price(doctor)))
    else:
        line.qty = quantity


def add_consultations(actor, body: dict) -> Order:
    """orders/c_add_to_carts: consultation lines with doctors, at the doctor's price."""
    order = cart_for_change(actor, body, "C")
    for index, (doctor_id, instruction) in enumerate(_lines(body, "id_doctors")):
        try:
            set_consultation_quantity(order, _doctor(doctor_id, f"items[{index}].id_doctors"),
                                      instruction)
        except Invalid:
            db.session.rollback()
            raise
    return save_totals(order, "cart_consultations", actor)


def update_address(actor, order_id, body: dict) -> Order:
    """The shipping address of an open cart; a courier already chosen is dropped when the
    address changes (its price was for the old one)."""
    order = find_order(actor, order_id)
    require_cart(order)
    changes = {}
    for name in ("lat_kirim", "lng_kirim"):
        value = body.get(name)
        if value in (None, ""):
            continue
        try:
            number = float(value) if not isinstance(value, bool) else math.nan
        except (TypeError, ValueError):
            number = math.nan
        limit = 90 if name == "lat_kirim" else 180
        if not math.isfinite(number) or abs(number) > limit:
            raise Invalid(fields={name: f"Koordinat antara -{limit} dan {limit}."})
        changes[name] = number
    for name, limit in ADDRESS_TEXT.items():
        value = text(body, name, limit)
        if value is not None:
            changes[name] = value
    if not changes:
        raise Invalid(fields={"alamat_kirim": "Kirim alamat atau kode wilayah yang diubah."})
    moved = any(getattr(order, name) != value for name, value in changes.items()
                if name != "nama_penerima")
    for name, value in changes.items():
        setattr(order, name, value)
    if moved and order.courier:
        order.courier, order.courier_service, order.courier_price = "", "", 0
        order.is_courier, order.courier_datetime = False, None
    return save_totals(order, "cart_address", actor)


# ---- promotion and points ---------------------------------------------------------------------
def apply_promotion(actor, order_id, body: dict) -> tuple[Order, Promotion]:
    """A promotion code on an open cart: any case, inside its validity, quota left, not used
    before by this customer (checkout takes it for good)."""
    order = find_order(actor, order_id)
    require_cart(order)
    code = text(body, "display_codes", 30, required=True)
    promotion = db.session.execute(select(Promotion).where(
        func.upper(Promotion.display_codes) == code.upper())).scalars().first()
    if promotion is None:
        raise Invalid(fields={"display_codes": "Kode promo tidak ditemukan."})
    now = clinic_now()
    if promotion.start_datetime and now < promotion.start_datetime:
        raise Conflict(f"Promo {promotion.display_codes} belum berlaku (mulai "
                       f"{promotion.start_datetime:%d/%m/%Y %H:%M}).",
                       error_code="promotion_unavailable")
    if promotion.expired_datetime and now > promotion.expired_datetime:
        raise Conflict(f"Promo {promotion.display_codes} sudah berakhir.",
                       error_code="promotion_unavailable")
    if (promotion.used or 0) >= (promotion.quota or 0):
        raise Conflict(f"Kuota promo {promotion.display_codes} sudah habis.",
                       error_code="promotion_unavailable")
    used_before = db.session.execute(select(PromotionUse.id).where(
        PromotionUse.id_promotions == promotion.id,
        PromotionUse.id_users == order.id_member)).first()
    if used_before:
        raise Conflict(f"Promo {promotion.display_codes} sudah pernah Anda gunakan.",
                       error_code="promotion_used")
    if promotion.id_menu and not any(item.id_menu == promotion.id_menu for item in order.items):
        raise Conflict(f"Promo {promotion.display_codes} hanya untuk produk tertentu yang belum "
                       "ada di keranjang.", error_code="promotion_not_applicable")
    order.id_promo_discount_applied = promotion.id
    save_totals(order, "cart_promotion", actor, promotion.display_codes)
    return order, promotion


def unapply_promotion(actor, order_id) -> Order:
    """Take the promotion off an open cart."""
    order = find_order(actor, order_id)
    require_cart(order)
    order.id_promo_discount_applied = None
    return save_totals(order, "cart_promotion_off", actor)


def apply_points(actor, order_id, body: dict) -> Order:
    """Points on an open cart (1 point = Rp 1): at most the customer's balance and the amount
    payable; checkout takes them from the balance."""
    order = find_order(actor, order_id)
    require_cart(order)
    points = integer(body.get("poin_used"), "poin_used", 1)
    balance = db.session.execute(select(User.total_point).where(
        User.id == order.id_member)).scalar_one() or 0
    if points > balance:
        raise Invalid(fields={"poin_used": f"Poin Anda hanya {balance}."})
    order.poin_used = 0
    totals = compute_totals(order)
    payable = totals.grand_totals
    if points > payable:
        raise Invalid(fields={"poin_used": f"Paling banyak {payable} poin untuk pesanan ini."})
    order.poin_used = points
    return save_totals(order, "cart_points", actor, str(points))


def unapply_points(actor, order_id) -> Order:
    """Take the points off an open cart."""
    order = find_order(actor, order_id)
    require_cart(order)
    order.poin_used = 0
    return save_totals(order, "cart_points_off", actor)
