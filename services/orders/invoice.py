"""The invoice PDF of an order, rendered with WeasyPrint from a snapshot: a plain dict frozen
when the order was paid, so a later change of a price, a product name or the customer's
details never alters an invoice already issued.

The snapshot is `services.orders.flow.invoice_snapshot(order)`, stored as JSON on the order
when it is paid (dates as "YYYY-MM-DD HH:MM:SS"; every key but `order_code` may be missing):

    {"order_code": "E-20231104-003", "order_type": "E", "order_date": …, "paid_date": …,
     "pay_channel": "bank_transfer",
     "customer": {"name": …, "phone": …, "email": …, "address": …},
     "shipping": {"name": …, "address": …, "courier": "jne", "service": "REG"},
     "items": [{"name": …, "qty": 2, "unit": "botol", "price": 50000, "total": 100000}],
     "extras": [{"name": …, "doctor": …, "qty": 1, "price": 10000, "total": 10000}],
     "totals": {"items": …, "extras": …, "tax": …, "discount": …, "points": …, "courier": …,
                "total_price": …, "grand_totals": …},
     "promotion": "HEMAT10",
     "clinic": {"name": …, "address": …, "phone": …}}   # optional; else the configuration
"""
import json
from datetime import datetime

from flask import current_app, render_template
from weasyprint import HTML

from services.errors import NotFound

CHANNEL_LABELS = {
    "bank_transfer": "Transfer bank (virtual account)", "echannel": "Mandiri Bill",
    "credit_card": "Kartu kredit", "gopay": "GoPay", "qris": "QRIS", "shopeepay": "ShopeePay",
    "cstore": "Gerai retail", "akulaku": "Akulaku", "cash": "Tunai", "tunai": "Tunai",
    "transfer": "Transfer", "poin": "Poin",
}


def channel_label(channel: str) -> str:
    """A payment channel in words ("bank_transfer" → "Transfer bank (virtual account)")."""
    channel = channel or ""
    return CHANNEL_LABELS.get(channel.lower(), channel.replace("_", " ") or "–")


def _moment(value) -> str:
    """A stored "YYYY-MM-DD HH:MM:SS" (or a datetime) as dd/mm/yyyy HH:MM."""
    if isinstance(value, str) and value:
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    return value.strftime("%d/%m/%Y %H:%M") if isinstance(value, datetime) else "–"


def _refuse_fetch(url, *args, **kwargs):
    """The invoice loads nothing from anywhere (no file, no network)."""
    raise ValueError(f"invoice may not load {url!r}")


def invoice_html(snapshot: dict) -> str:
    """The invoice page of a snapshot (HTML that WeasyPrint prints)."""
    if not isinstance(snapshot, dict) or not snapshot.get("order_code"):
        raise NotFound("Faktur pesanan ini belum tersedia (pesanan belum dibayar).")
    config = current_app.config
    clinic = {"name": config.get("CLINIC_NAME", ""), "address": config.get("CLINIC_ADDRESS", ""),
              "phone": config.get("CLINIC_PHONE", "")}
    clinic.update(snapshot.get("clinic") or {})
    channel = str(snapshot.get("pay_channel") or "")
    shipping = snapshot.get("shipping") or {}
    courier = " ".join(str(part) for part in (str(shipping.get("courier") or "").upper(),
                                              shipping.get("service"))
                       if part).strip()
    return render_template(
        "invoices/invoice.html", snapshot=snapshot, clinic=clinic,
        channel=channel_label(channel),
        paid_text=_moment(snapshot.get("paid_date")),
        order_date=_moment(snapshot.get("order_date")), items=snapshot.get("items") or [],
        extras=snapshot.get("extras") or [], courier=courier,
        customer=snapshot.get("customer") or {}, shipping=shipping,
        totals=snapshot.get("totals") or {})


def render_invoice_pdf(snapshot: dict) -> bytes:
    """The invoice of a snapshot as PDF bytes."""
    return HTML(string=invoice_html(snapshot), url_fetcher=_refuse_fetch).write_pdf()


def invoice_file_name(snapshot: dict) -> str:
    """`Faktur-E-20231104-003.pdf`: the download name (the code holds letters, digits, -)."""
    code = "".join(ch for ch in str(snapshot.get("order_code", "")) if ch.isalnum() or ch == "-")
    return f"Faktur-{code or 'pesanan'}.pdf"


def invoice_of(actor, order_id) -> tuple[bytes, str]:
    """The PDF and file name of an order's invoice, for the order's customer or the office
    (anyone else: 404, as if it did not exist); 409 before the order is paid."""
    from models import Order, db
    from services.access import is_office
    from services.errors import Conflict, Unauthorized

    if actor is None:
        raise Unauthorized()
    try:
        number = int(str(order_id))
    except ValueError as exc:
        raise NotFound("Pesanan tidak ditemukan.") from exc
    order = db.session.get(Order, number) if 0 < number <= 2**31 - 1 else None
    if order is None or order.deleted_at is not None or not (
            is_office(actor) or order.id_member == actor.id):
        raise NotFound("Pesanan tidak ditemukan.")
    if not order.invoice_snapshot:
        raise Conflict(f"Faktur tersedia setelah pesanan dibayar (status: {order.status}).",
                       error_code="not_paid")
    snapshot = json.loads(order.invoice_snapshot)
    return render_invoice_pdf(snapshot), invoice_file_name(snapshot)
