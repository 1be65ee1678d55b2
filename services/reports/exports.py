"""The exports of a report table: CSV, Excel (openpyxl) and a printable PDF (WeasyPrint with
the clinic's header, styled like the invoice). Each takes the `Report` the screen shows — the
same rows, in the same order, from the same query functions — so a file never holds other
numbers than the screen.

CSV: RFC 4180 with ',' between fields, UTF-8 with a byte-order mark (Excel then reads the
accents right). ',' rather than ';': it is the standard every spreadsheet and script reads
by default (LibreOffice, Google Sheets, Python's csv); the numbers are written bare (money as
whole rupiah `1250000`, rates `12.5`) with no thousands separator, so no locale reads them
two ways. An Excel set to Indonesian regional settings (list separator ';') may put a comma
file in one column: the Excel export is the file for Excel."""
import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app, render_template
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from weasyprint import HTML

from models import clinic_now
from services import format as fmt

from .question import Period

KINDS = ("text", "number", "money", "percent", "date", "datetime")
MONEY_FORMAT = '"Rp" #,##0;-"Rp" #,##0'
NUMBER_FORMAT = "#,##0"
PERCENT_FORMAT = "0.0%"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
DATE_FORMAT = "dd/mm/yyyy"


@dataclass(frozen=True)
class Column:
    """One column of a report table: the row key, its heading, and what it holds (KINDS)."""

    key: str
    label: str
    kind: str = "text"

    @property
    def numeric(self) -> bool:
        """True for columns that are numbers (right-aligned, summed in the totals row)."""
        return self.kind in ("number", "money", "percent")


@dataclass
class Report:
    """A report table as the screen shows it: title, period, the filters in words, columns,
    rows (dicts keyed by Column.key) and the totals row (same keys; missing = blank)."""

    title: str
    slug: str  # "penjualan-produk": the file name's part
    period: Period
    columns: list[Column]
    rows: list[dict]
    totals: dict | None = None
    filters: list[str] = field(default_factory=list)  # "Toko: Colederma Dago", …

    @property
    def period_text(self) -> str:
        """The period as staff read it: 01/11/2026 – 30/11/2026."""
        return f"{fmt.day_text(self.period.first)} – {fmt.day_text(self.period.last)}"

    def file_name(self, extension: str) -> str:
        """laporan-penjualan-produk-2026-11-01_2026-11-30.xlsx"""
        return (f"laporan-{self.slug}-{self.period.first.isoformat()}_"
                f"{self.period.last.isoformat()}.{extension}")


def shown(value, kind: str) -> str:
    """A cell as the screen and the PDF show it (Rp 1.250.000, 12,5%, dd/mm/yyyy HH:MM)."""
    if value is None or value == "":
        return fmt.DASH if kind != "text" else ""
    if kind == "money":
        return fmt.rupiah(value)
    if kind == "number":
        return fmt.thousands(value)
    if kind == "percent":
        return f"{value * 100:.1f}%".replace(".", ",")
    if kind == "datetime":
        return fmt.moment_text(value)
    if kind == "date":
        return fmt.day_text(value)
    return str(value)


def _plain(value, kind: str) -> str:
    """A cell as the CSV holds it: bare numbers, ISO-like dates read by any program."""
    if value is None:
        return ""
    if kind == "percent":
        return f"{value * 100:.1f}"
    if kind in ("money", "number"):
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _heading(column: Column) -> str:
    return f"{column.label} (%)" if column.kind == "percent" else column.label


def to_csv(report: Report) -> bytes:
    """The table as CSV (UTF-8 with BOM, ','): a header row, the rows, then the totals row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_heading(column) for column in report.columns])
    for row in report.rows:
        writer.writerow([_plain(row.get(column.key), column.kind) for column in report.columns])
    if report.totals is not None:
        writer.writerow([_plain(report.totals.get(column.key), column.kind)
                         for column in report.columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx_value(value, kind):
    if value is None:
        return None
    if kind in ("money", "number"):
        return int(value)
    if kind == "percent":
        return float(value)
    return value if isinstance(value, (date, datetime)) else str(value)


FORMATS = {"money": MONEY_FORMAT, "number": NUMBER_FORMAT, "percent": PERCENT_FORMAT,
           "datetime": DATETIME_FORMAT, "date": DATE_FORMAT}


def to_xlsx(report: Report) -> bytes:
    """The table as an Excel workbook: a title row, the period (and filters) row, the header
    row, the rows as real numbers and dates with rupiah/percent formats, then the totals."""
    book = Workbook()
    sheet = book.active
    sheet.title = report.slug[:31]
    sheet.append([f"{current_app.config.get('CLINIC_NAME', '')} — {report.title}".strip(" —")])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([" · ".join([f"Periode {report.period_text}", *report.filters])])
    header_row = sheet.max_row + 1
    sheet.append([_heading(column) for column in report.columns])
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F1F4F8")
    for row in report.rows:
        sheet.append([_xlsx_value(row.get(column.key), column.kind)
                      for column in report.columns])
    if report.totals is not None:
        sheet.append([_xlsx_value(report.totals.get(column.key), column.kind)
                      for column in report.columns])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    for index, column in enumerate(report.columns, start=1):
        letter = get_column_letter(index)
        number_format = FORMATS.get(column.kind)
        for (cell,) in sheet.iter_rows(min_row=header_row + 1, min_col=index, max_col=index):
            if number_format:
                cell.number_format = number_format
            if column.numeric:
                cell.alignment = Alignment(horizontal="right")
        widest = max([len(_heading(column))] + [len(shown(row.get(column.key), column.kind))
                                                for row in report.rows[:500]])
        sheet.column_dimensions[letter].width = min(max(widest + 2, 10), 48)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _refuse_fetch(url, *args, **kwargs):
    """The printout loads nothing from anywhere (no file, no network)."""
    raise ValueError(f"report may not load {url!r}")


def report_html(report: Report) -> str:
    """The printable page of a report (HTML that WeasyPrint prints), with the clinic's
    header as on the invoice."""
    config = current_app.config
    clinic = {"name": config.get("CLINIC_NAME", ""), "address": config.get("CLINIC_ADDRESS", ""),
              "phone": config.get("CLINIC_PHONE", "")}
    return render_template("laporan/print.html", report=report, clinic=clinic, shown=shown,
                           printed=fmt.moment_text(clinic_now()),
                           landscape=len(report.columns) > 7)


def to_pdf(report: Report) -> bytes:
    """The report as a printable PDF (A4; landscape when the table is wide)."""
    return HTML(string=report_html(report), url_fetcher=_refuse_fetch).write_pdf()


EXPORTS = {"csv": (to_csv, "text/csv; charset=utf-8"),
           "xlsx": (to_xlsx,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
           "pdf": (to_pdf, "application/pdf")}


def export(report: Report, kind: str) -> tuple[bytes, str, str]:
    """(content, mimetype, file name) of the report in `kind` (csv, xlsx, pdf)."""
    build, mimetype = EXPORTS[kind]
    return build(report), mimetype, report.file_name(kind)


__all__ = ["Column", "EXPORTS", "Report", "export", "report_html", "shown", "to_csv",
           "to_pdf", "to_xlsx"]
