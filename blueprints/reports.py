"""Admin "Laporan" (blueprint `laporan`; the API's reports are api/reports.py): sales — every
paid order, per product, per store, online consultations — and appointment performance per
doctor (and per doctor and service), for the owner and the admins (the API's FIGURES).

Every number comes from services/reports/queries.py, the functions the API answers with, so
screen, API and exports agree. The filters (dari/sampai dd/mm/yyyy, toko, jenis, dokter) are
read by the API's read_filters; a bad one comes back on the screen in Bahasa Indonesia (422),
never as a 500. Tables sort on the server (`sort`, `dir`) and swap themselves through HTMX
with the state in the URL; each table downloads as CSV, Excel and PDF
(services/reports/exports.py) with the same rows in the same order."""
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Callable

from flask import Blueprint, current_app, redirect, request, url_for
from sqlalchemy import select

from app.auth import requires
from app.extensions import htmx
from models import Doctor, Store, User, clinic_now, db
from services import format as fmt
from services.errors import Invalid
from services.orders.board import TYPE_LABELS
from services.orders.flow import status_label
from services.reports import queries, question
from services.reports.declarations import FIGURES
from services.reports.exports import EXPORTS, Column, Report, export, shown

from .render import render

bp = Blueprint("laporan", __name__, url_prefix="/admin/laporan")
PAGE_SIZE = 50
PDF_MAX_ROWS = 2000  # a printout longer than this is cut (the CSV and Excel hold every row)
# the screen's filter names and the API body's
SCREEN_NAMES = {"dari": "tgl_awal", "sampai": "tgl_akhir", "jenis": "order_type",
                "toko": "id_brandstore", "dokter": "id_doctors"}
# the API's words for a bad id speak of ids; a screen picks from a list
SCREEN_WORDS = {"toko": "Toko tidak dikenal: pilih dari daftar.",
                "dokter": "Dokter tidak dikenal: pilih dari daftar."}
FILTER_LABELS = {"dari": "Dari tanggal", "sampai": "Sampai tanggal", "toko": "Toko",
                 "jenis": "Jenis pesanan", "dokter": "Dokter"}
NO_STORE = "Tanpa toko (konsultasi online)"
NO_SHOW_HELP = ("Tidak datang: janji temu yang harinya sudah lewat dan statusnya masih "
                "Dipesan atau Dijadwalkan ulang (pasien tidak pernah datang). Tingkat tidak "
                "datang = tidak datang ÷ (dipesan − dibatalkan).")


@bp.before_request
@requires(*FIGURES)
def managers_only():
    """The owner and the admins (front desk, doctors and customers: 403; no session: login)."""


# ---- the tables ----------------------------------------------------------------------
@dataclass
class Tab:
    """One table of a report screen: its columns, which filters apply, how its rows and
    totals are found, and the first column's link (to a breakdown), if any."""

    key: str
    label: str
    title: str
    columns: list[Column]
    filters: tuple  # screen filter names that apply
    rows: Callable  # (filters, sort, descending, page) -> (rows, total count)
    totals: Callable  # (filters, rows) -> dict
    default_sort: str | None = None
    help: str = ""
    link: Callable | None = None  # (row, values) -> url of the first cell
    paged: bool = False


def _summed(columns, rows, first="Total", **extra):
    totals = {column.key: sum(row.get(column.key) or 0 for row in rows)
              for column in columns if column.kind in ("number", "money")}
    return {columns[0].key: first, **totals, **extra}


def _sorted(rows, sort, descending):
    if not sort:
        return rows

    def key(row):
        value = row.get(sort)
        if isinstance(value, str):
            return (value == "", value.lower())
        return (value is None, value if value is not None else 0)
    present = [row for row in rows if row.get(sort) not in (None, "")]
    missing = [row for row in rows if row.get(sort) in (None, "")]
    return sorted(present, key=key, reverse=descending) + missing  # blanks always last


def _figure_rows(find, decorate=None):
    def rows(filters, sort, descending, _page):
        found = find(filters)
        if decorate:
            found = [decorate(row) for row in found]
        return _sorted(found, sort, descending), len(found)
    return rows


def _overall_rows(filters, sort, descending, page):
    offset = (page - 1) * PAGE_SIZE if page else 0
    rows = queries.paid_orders(filters, sort or "paid_date", descending, offset=offset,
                               limit=PAGE_SIZE if page else None)
    for row in rows:
        row["jenis"] = TYPE_LABELS.get(row["order_type"], row["order_type"])
        row["status_text"] = status_label(row["status"])
        row["nama_toko"] = row["nama_toko"] or "–"
    return rows, None


def _overall_totals(filters, _rows):
    totals = queries.paid_orders_totals(filters)
    return {**totals, "order_code": f"Total ({totals['orders']} pesanan)"}


def _store_row(row):
    return {**row, "nama_toko": row["nama_toko"] or NO_STORE}


def _doctor_totals(filters, rows):
    totals = _summed(DOCTOR_COLUMNS, rows)
    totals["no_show_rate"] = queries.no_show_rate(totals["no_show"], totals["booked"],
                                                  totals["cancelled"])
    return totals


def _doctor_link(row, values):
    return url_for("laporan.appointments", tab="layanan", dari=values.get("dari"),
                   sampai=values.get("sampai"), dokter=row["id_doctors"])


OVERALL_COLUMNS = [
    Column("order_code", "Kode"), Column("paid_date", "Dibayar", "datetime"),
    Column("jenis", "Jenis"), Column("nama_pemesan", "Pemesan"), Column("nama_toko", "Toko"),
    Column("total_price", "Penjualan", "money"), Column("total_discount", "Diskon", "money"),
    Column("courier_price", "Ongkir", "money"), Column("poin_used", "Poin", "money"),
    Column("grand_totals", "Total bayar", "money"), Column("status_text", "Status")]
PRODUCT_COLUMNS = [Column("nama_menus", "Produk"), Column("qty", "Terjual", "number"),
                   Column("price_total", "Penjualan", "money")]
STORE_COLUMNS = [Column("nama_toko", "Toko"), Column("orders", "Pesanan", "number"),
                 Column("amount_sales", "Penjualan", "money"),
                 Column("amount_discount", "Diskon", "money"),
                 Column("amount_total", "Pendapatan bersih", "money")]
CONSULTATION_COLUMNS = [Column("doctors", "Dokter"), Column("qty", "Konsultasi", "number"),
                        Column("amount", "Penjualan", "money")]
DOCTOR_COLUMNS = [Column("doctors", "Dokter"), Column("booked", "Dipesan", "number"),
                  Column("qty", "Selesai", "number"), Column("cancelled", "Dibatalkan", "number"),
                  Column("no_show", "Tidak datang", "number"),
                  Column("no_show_rate", "Tingkat tidak datang", "percent"),
                  Column("revenue", "Pendapatan", "money")]
SERVICE_COLUMNS = [Column("doctors", "Dokter"), Column("services_name", "Layanan"),
                   Column("booked", "Dipesan", "number"), Column("qty", "Selesai", "number"),
                   Column("cancelled", "Dibatalkan", "number"),
                   Column("no_show", "Tidak datang", "number"),
                   Column("durations", "Menit", "number"),
                   Column("revenue", "Pendapatan", "money")]

SALES_TABS = {tab.key: tab for tab in (
    Tab("semua", "Semua pesanan", "Laporan Penjualan — Semua Pesanan", OVERALL_COLUMNS,
        ("dari", "sampai", "toko", "jenis"), _overall_rows, _overall_totals,
        default_sort="paid_date", paged=True,
        help="Pesanan yang dibayar pada periode (menurut tanggal bayar, waktu klinik); "
             "pesanan yang dibatalkan atau belum dibayar tidak dihitung. Pendapatan bersih = "
             "penjualan − diskon."),
    Tab("produk", "Per produk", "Laporan Penjualan — Per Produk", PRODUCT_COLUMNS,
        ("dari", "sampai", "toko"), _figure_rows(queries.product_sales),
        lambda _filters, rows: _summed(PRODUCT_COLUMNS, rows),
        help="Jumlah dan nilai produk pada pesanan yang dibayar (baris yang dibatalkan tidak "
             "dihitung), sebelum diskon."),
    Tab("toko", "Per toko", "Laporan Penjualan — Per Toko", STORE_COLUMNS,
        ("dari", "sampai", "toko", "jenis"), _figure_rows(queries.store_sales, _store_row),
        lambda _filters, rows: _summed(STORE_COLUMNS, rows),
        help="Toko = toko yang stoknya melayani pesanan. Konsultasi online tidak memakai "
             "toko dan dijumlahkan pada barisnya sendiri."),
    Tab("konsultasi", "Konsultasi online", "Laporan Penjualan — Konsultasi Online",
        CONSULTATION_COLUMNS, ("dari", "sampai"), _figure_rows(queries.consultation_sales),
        lambda _filters, rows: _summed(CONSULTATION_COLUMNS, rows),
        help="Konsultasi online yang dibayar pada periode, per dokter."),
)}
APPOINTMENT_TABS = {tab.key: tab for tab in (
    Tab("dokter", "Per dokter", "Kinerja Janji Temu — Per Dokter", DOCTOR_COLUMNS,
        ("dari", "sampai", "dokter"), _figure_rows(queries.doctor_performance),
        _doctor_totals, help=NO_SHOW_HELP + " Pendapatan = harga janji temu yang Selesai.",
        link=_doctor_link),
    Tab("layanan", "Per dokter dan layanan", "Kinerja Janji Temu — Per Dokter dan Layanan",
        SERVICE_COLUMNS, ("dari", "sampai", "dokter"),
        _figure_rows(queries.appointment_performance),
        lambda _filters, rows: _summed(SERVICE_COLUMNS, rows, services_name=""),
        help=NO_SHOW_HELP + " Menit = lama layanan dari janji temu yang Selesai."),
)}
SCREENS = {"sales": {"tabs": SALES_TABS, "endpoint": "laporan.sales", "slug": "penjualan",
                     "heading": "Laporan penjualan"},
           "appointments": {"tabs": APPOINTMENT_TABS, "endpoint": "laporan.appointments",
                            "slug": "janji-temu", "heading": "Kinerja janji temu"}}


# ---- the question --------------------------------------------------------------------
@dataclass
class Question:
    """What the screen is asked: the tab, the filters as typed and as understood, sort, page."""

    tab: Tab
    values: dict
    filters: question.ReportFilters | None
    errors: dict = field(default_factory=dict)
    sort: str | None = None
    descending: bool = True
    page: int = 1


def _ask(tabs) -> Question:
    args = request.args
    tab = tabs.get(args.get("tab", ""), next(iter(tabs.values())))
    values = {name: (args.get(name) or "").strip()[:30] for name in tab.filters}
    body = {SCREEN_NAMES[name]: value for name, value in values.items()}
    errors, filters = {}, None
    try:
        filters = question.read_filters(body)
    except Invalid as exc:
        names = {api: screen for screen, api in SCREEN_NAMES.items()}
        errors = {names.get(name, name): SCREEN_WORDS.get(names.get(name), str(text))
                  for name, text in exc.fields.items()}
    if filters:
        values["dari"] = values["dari"] or fmt.day_text(filters.period.first)
        values["sampai"] = values["sampai"] or fmt.day_text(filters.period.last)
    keys = {column.key for column in tab.columns}
    sort = args.get("sort") if args.get("sort") in keys else tab.default_sort
    descending = args.get("dir", "desc" if tab.default_sort else "asc") != "asc"
    try:
        page = max(1, min(int(args.get("page", 1)), 100_000))
    except ValueError:
        page = 1
    return Question(tab, values, filters, errors, sort, descending, page)


def _choices():
    stores = db.session.execute(select(Store.id, Store.nama).where(Store.deleted_at.is_(None))
                                .order_by(Store.nama)).all()
    doctors = db.session.execute(
        select(Doctor.id, User.users_fullname).join(User, User.id == Doctor.id_users)
        .where(Doctor.deleted_at.is_(None)).order_by(User.users_fullname)).all()
    return {"toko": [(str(i), name) for i, name in stores],
            "dokter": [(str(i), name) for i, name in doctors],
            "jenis": list(TYPE_LABELS.items())}


def _filter_words(question, choices) -> list[str]:
    words = []
    for name, label in (("toko", "Toko"), ("jenis", "Jenis"), ("dokter", "Dokter")):
        value = question.values.get(name)
        if value:
            text = dict(choices[name]).get(value.upper() if name == "jenis" else value, value)
            words.append(f"{label}: {text}")
    return words


def period_presets(today: date) -> list[tuple[str, date, date]]:
    """The periods one click away: today, this month, last month, this year."""
    first = today.replace(day=1)
    last_month_end = first - timedelta(days=1)
    return [("Hari ini", today, today), ("Bulan ini", first, today),
            ("Bulan lalu", last_month_end.replace(day=1), last_month_end),
            ("Tahun ini", today.replace(month=1, day=1), today)]


def _table(question, page: int | None):
    rows, count = question.tab.rows(question.filters, question.sort, question.descending, page)
    totals = question.tab.totals(question.filters, rows)
    if count is None:
        count = totals.get("orders", len(rows))
    return rows, totals, count


def _screen(name):
    screen = SCREENS[name]
    question = _ask(screen["tabs"])
    choices = _choices()
    context = {"screen": screen, "question": question, "choices": choices,
               "filter_labels": FILTER_LABELS,
               "tabs": screen["tabs"], "rows": [], "totals": None, "count": 0, "stats": None,
               "pages": 1, "shown": shown,
               "presets": [(label, fmt.day_text(first), fmt.day_text(last))
                           for label, first, last in period_presets(clinic_now().date())]}
    if question.filters:
        rows, totals, count = _table(question, question.page if question.tab.paged else None)
        context.update(rows=rows, totals=totals, count=count,
                       pages=max(1, -(-count // PAGE_SIZE)) if question.tab.paged else 1)
        if name == "sales" and question.tab.key == "semua":
            context["stats"] = queries.sales_stats(question.filters)

    def link(**changes):
        values = {"tab": question.tab.key, **{k: v for k, v in question.values.items() if v},
                  "sort": question.sort,
                  "dir": ("desc" if question.descending else "asc") if question.sort else None,
                  **changes}
        return url_for(screen["endpoint"], **{k: v for k, v in values.items() if v})

    def export_url(kind):
        values = {"tab": question.tab.key, **{k: v for k, v in question.values.items() if v},
                  "sort": question.sort, "dir": "desc" if question.descending else "asc"}
        return url_for("laporan.download", name=screen["slug"], kind=kind,
                       **{k: v for k, v in values.items() if v})

    partial = "laporan/_table.html" if htmx and htmx.target == "laporan-table" \
        else "laporan/_screen.html"
    return render("laporan/index.html", partial, status=422 if question.errors else 200,
                  link=link, export_url=export_url, **context)


@bp.get("/")
def index():
    """Laporan opens on the sales report."""
    return redirect(url_for("laporan.sales"))


@bp.get("/penjualan")
def sales():
    """Penjualan: every paid order (with the period's figures), per product, per store, and
    the online consultations per doctor."""
    return _screen("sales")


@bp.get("/janji-temu")
def appointments():
    """Kinerja janji temu: per doctor booked, done, cancelled, no-show (the day has passed
    and the appointment is still BOOKING or RESCHEDULE: the patient never arrived), the
    no-show rate = no-show / (booked − cancelled), and the revenue (custom_price of DONE);
    per doctor and service on the second tab."""
    return _screen("appointments")


@bp.get("/<any(penjualan, 'janji-temu'):name>/unduh/<kind>")
def download(name, kind):
    """The tab's table as CSV, Excel or PDF: the rows the screen shows (every page, in the
    screen's order) with the totals row. Bad filters: the 422 page."""
    screen_name = "sales" if name == "penjualan" else "appointments"
    if kind not in EXPORTS:
        raise Invalid("Format unduhan harus csv, xlsx atau pdf.", fields={"kind": kind})
    screen = SCREENS[screen_name]
    question = _ask(screen["tabs"])
    if question.errors:
        raise Invalid("Saringan laporan tidak valid: " + " ".join(
            f"{text}" for text in dict.fromkeys(question.errors.values())),
            fields=question.errors)
    rows, totals, count = _table(question, None)
    words = _filter_words(question, _choices())
    if kind == "pdf" and len(rows) > PDF_MAX_ROWS:
        words.append(f"Dicetak {PDF_MAX_ROWS} baris pertama dari {count}; unduh CSV atau "
                     "Excel untuk semuanya.")
        rows = rows[:PDF_MAX_ROWS]
    tab = question.tab
    report = Report(title=tab.title, slug=f"{screen['slug']}-{tab.key}",
                    period=question.filters.period, columns=tab.columns, rows=rows,
                    totals=totals, filters=words)
    content, mimetype, file_name = export(report, kind)
    response = current_app.response_class(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response
