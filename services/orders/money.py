"""An order's money, computed in one place: the price a product is sold at now, the totals
(items, extras, tax, discount, points, courier, grand total) and the lines a payment request
carries, which always add up to the grand total. Every answer, screen, invoice and Midtrans
request reads these numbers; nothing else adds money up. Whole rupiah throughout."""
from dataclasses import dataclass, field
from datetime import datetime

from models import Menu, Order, Promotion, clinic_now

NOMINAL, POTONGAN, PERSEN = "NOMINAL", "POTONGAN", "PERSEN"


def selling_price(menu: Menu, now: datetime | None = None) -> int:
    """The product's price now: the promotion price while its window runs, else `harga`."""
    now = now or clinic_now()
    promo = menu.harga_promosi or 0
    if promo > 0:
        starts, ends = menu.mulai_harga_promosi, menu.selesai_harga_promosi
        if (starts is None or starts <= now) and (ends is None or now <= ends):
            return promo
    return menu.harga or 0


def promotion_discount(promotion: Promotion | None, order: Order, subtotal: int) -> int:
    """The rupiah a promotion takes off: NOMINAL and POTONGAN a fixed amount, PERSEN a
    percentage (rounded down); of the product it names when it names one, else of the items
    and extras; never more than that base."""
    if promotion is None:
        return 0
    base = subtotal
    if promotion.id_menu:
        base = sum(item.price * item.qty for item in order.items
                   if item.id_menu == promotion.id_menu and not item.is_canceled)
    if promotion.type == PERSEN:
        amount = base * min(max(promotion.value or 0, 0), 100) // 100
    else:
        amount = promotion.value or 0
    return max(0, min(amount, base))


@dataclass
class Totals:
    """An order's money."""

    items: int = 0
    extras: int = 0
    tax: int = 0
    discount: int = 0
    points: int = 0
    courier: int = 0
    weight: int = 0  # grams, for shipping
    lines: list = field(default_factory=list)  # (id, name, price, qty) for the payment request

    @property
    def total_price(self) -> int:
        """Items and extras (the documented `total_price`)."""
        return self.items + self.extras

    @property
    def grand_totals(self) -> int:
        """What the customer pays."""
        return self.total_price + self.tax + self.courier - self.discount - self.points


def compute_totals(order: Order) -> Totals:
    """The order's totals from its lines, promotion, points and courier (nothing stored is
    trusted but the captured line prices). Points never take the total below zero."""
    totals = Totals(courier=order.courier_price or 0)
    for item in order.items:
        if item.is_canceled:
            continue
        totals.items += item.price * item.qty
        totals.tax += (item.pajak or 0) * item.qty
        totals.weight += (item.berat or 0) * item.qty
        name = item.menu.nama_menus if item.menu is not None else f"Produk #{item.id_menu}"
        totals.lines.append((f"menu-{item.id_menu}", name, item.price, item.qty))
    for extra in order.extras:
        totals.extras += extra.extra_prices * extra.qty
        totals.lines.append((f"extra-{extra.id}", extra.item or "Konsultasi online",
                             extra.extra_prices, extra.qty))
    if totals.tax:
        totals.lines.append(("tax", "Pajak", totals.tax, 1))
    if totals.courier:
        totals.lines.append(("courier", f"Ongkos kirim {order.courier}".strip(), totals.courier, 1))
    totals.discount = promotion_discount(order.promotion, order, totals.total_price)
    if totals.discount:
        code = order.promotion.display_codes if order.promotion else ""
        totals.lines.append(("discount", f"Promo {code}".strip(), -totals.discount, 1))
    before_points = totals.total_price + totals.tax + totals.courier - totals.discount
    totals.points = max(0, min(order.poin_used or 0, before_points))
    if totals.points:
        totals.lines.append(("points", "Poin", -totals.points, 1))
    return totals


def refresh_totals(order: Order) -> Totals:
    """Write the computed totals onto the order (and each line's `price_total`)."""
    for item in order.items:
        item.price_total = item.price * item.qty
    totals = compute_totals(order)
    order.total_price = totals.total_price
    order.total_pajak = totals.tax
    order.total_discount = totals.discount
    order.poin_used = totals.points
    order.grand_totals = totals.grand_totals
    return totals
