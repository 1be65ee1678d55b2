"""The invoice PDF of an order, rendered with WeasyPrint from a snapshot: a plain dict frozen
when the order was paid, so a later change of a price, a product name or the customer's
details never alters an invoice already issued.

The snapshot (JSON-safe; every key but `order_code` may be missing):

    {"order_code": "E-20231104-003", "order_type": "E", "order_date": "2023-11-04 16:35:20",
     "clinic": {"name": …, "address": …, "phone": …},   # optional; else the configuration
     "customer": {"name": …, "phone": …, "email": …, "address": …},
     "recipient": {"name": …, "address": …},
     "items": [{"name": …, "quantity": 2, "price": 50000, "total": 100000}],
     "extras": [{"name": …, "quantity": 1, "price": 10000, "total": 10000}],
     "courier": {"name": "jne REG", "price": 20000},
     "promotion_code": "HEMAT10",
     "totals": {"items": …, "extras": …, "discount": …, "points": …, "courier": …,
                "grand_totals": …},
     "payment": {"channel": "bank_transfer", "paid_date": "2023-11-04 16:40:02"}}
"""
from datetime import datetime

from flask import current_app, render_template
from weasyprint import HTML

from services.errors import NotFound

CHANNEL_LABELS = {
    "bank_transfer": "Transfer bank (virtual account)", "echannel": "Mandiri Bill",
    "credit_card": "Kartu kredit", "gopay": "GoPay", "qris": "QRIS", "shopeepay": "ShopeePay",
    "cstore": "Gerai retail", "akulaku": "Akulaku", "cash": "Tunai", "transfer": "Transfer",
}


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
    payment = dict(snapshot.get("payment") or {})
    channel = payment.get("channel") or ""
    payment["channel_label"] = CHANNEL_LABELS.get(channel, channel.replace("_", " ") or "–")
    payment["paid_text"] = _moment(payment.get("paid_date"))
    return render_template(
        "invoices/invoice.html", snapshot=snapshot, clinic=clinic, payment=payment,
        order_date=_moment(snapshot.get("order_date")), items=snapshot.get("items") or [],
        extras=snapshot.get("extras") or [], courier=snapshot.get("courier") or {},
        customer=snapshot.get("customer") or {}, recipient=snapshot.get("recipient") or {},
        totals=snapshot.get("totals") or {})


def render_invoice_pdf(snapshot: dict) -> bytes:
    """The invoice of a snapshot as PDF bytes."""
    return HTML(string=invoice_html(snapshot), url_fetcher=_refuse_fetch).write_pdf()


def invoice_file_name(snapshot: dict) -> str:
    """`Faktur-E-20231104-003.pdf`: the download name (the code holds letters, digits, -)."""
    code = "".join(ch for ch in str(snapshot.get("order_code", "")) if ch.isalnum() or ch == "-")
    return f"Faktur-{code or 'pesanan'}.pdf"
