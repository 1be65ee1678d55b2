"""The invoice PDF, rendered with WeasyPrint from a snapshot dict (read back with pypdf)."""
import io

import pytest
from pypdf import PdfReader

from services.errors import NotFound
from services.orders.invoice import invoice_file_name, render_invoice_pdf

SNAPSHOT = {  # the shape services.orders.flow.invoice_snapshot stores, read back from JSON
    "order_code": "E-20231104-003", "order_type": "E", "order_date": "2023-11-04 16:35:20",
    "paid_date": "2023-11-04 16:40:02", "pay_channel": "bank_transfer",
    "customer": {"name": "Didit Velliz", "phone": "081381461286", "email": "didit@example.com",
                 "address": "Bandung"},
    "shipping": {"name": "Jofita", "address": "Jl. Merdeka 1, Bandung", "courier": "jne",
                 "service": "REG"},
    "items": [{"name": "Serum Niacinamide", "qty": 2, "unit": "botol", "price": 150000,
               "total": 300000}],
    "extras": [{"name": "Konsultasi online", "doctor": "dr. Markus", "qty": 1, "price": 5000,
                "total": 5000}],
    "totals": {"items": 300000, "extras": 5000, "tax": 0, "discount": 10000, "points": 5000,
               "courier": 20000, "total_price": 305000, "grand_totals": 310000},
    "promotion": "HEMAT10",
}


def pdf_text(pdf: bytes) -> str:
    """All text of a PDF."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_invoice_pdf_holds_code_items_totals_and_payment(data_app, monkeypatch):
    monkeypatch.setitem(data_app.config, "CLINIC_NAME", "Klinik Colederma Uji")
    with data_app.test_request_context():
        pdf = render_invoice_pdf(SNAPSHOT)
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    for expected in ("Klinik Colederma Uji", "E-20231104-003", "04/11/2023 16:35",
                     "Didit Velliz", "Jofita", "Serum Niacinamide", "2 botol", "Rp 150.000",
                     "Rp 300.000", "Konsultasi online", "dr. Markus", "-Rp 10.000", "HEMAT10",
                     "-Rp 5.000", "JNE REG",
                     "Rp 20.000", "Rp 310.000", "Transfer bank", "04/11/2023 16:40"):
        assert expected in text, expected


def test_clinic_frozen_in_the_snapshot_wins_over_configuration(data_app):
    with data_app.test_request_context():
        text = pdf_text(render_invoice_pdf({**SNAPSHOT, "clinic": {"name": "Colederma Lama"}}))
    assert "Colederma Lama" in text


def test_text_is_escaped_and_nothing_is_fetched(data_app):
    hostile = {**SNAPSHOT, "customer": {"name": '<img src="http://127.0.0.1:1/x">Budi'}}
    with data_app.test_request_context():
        text = pdf_text(render_invoice_pdf(hostile))
    assert '<img src="http://127.0.0.1:1/x">Budi' in text  # printed as text, not loaded


@pytest.mark.parametrize("snapshot", [None, {}, {"order_code": ""}])
def test_no_snapshot_no_invoice(data_app, snapshot):
    with data_app.test_request_context(), pytest.raises(NotFound):
        render_invoice_pdf(snapshot)


def test_file_name():
    assert invoice_file_name(SNAPSHOT) == "Faktur-E-20231104-003.pdf"
    assert invoice_file_name({"order_code": 'E-1"; x'}) == "Faktur-E-1x.pdf"


def test_consultation_invoice_has_no_goods_subtotal_nor_shipping(data_app):
    consultation = {**SNAPSHOT, "order_code": "C-20261201-001", "order_type": "C", "items": [],
                    "totals": {"items": 0, "extras": 250000, "grand_totals": 250000}}
    with data_app.test_request_context():
        text = pdf_text(render_invoice_pdf(consultation))
    assert "C-20261201-001" in text and "Rp 250.000" in text
    assert "Subtotal barang" not in text and "Dikirim kepada" not in text
