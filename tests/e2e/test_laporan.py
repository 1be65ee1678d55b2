"""Laporan in a real browser (issue 12 item 6): the owner opens the dashboard, goes to Laporan
through the navigation, sees this month's sales, changes the period with the date inputs and
sees the figures follow (the URL keeps the state), downloads the CSV and finds the same
numbers in it. Screenshots at 1440 and 390 px; at 390 the wide table scrolls inside its card,
never the page."""
import csv
import io
from datetime import datetime

from playwright.sync_api import expect

from models import clinic_now
from tests.api.test_reports import _order
from tests.conftest import make_user
from tests.e2e.layout import no_sideways_scroll
from tests.e2e.signin import sign_in
from tests.factories.catalog import make_menu


def test_owner_reads_the_sales_report_and_downloads_it(page, live_server, artifacts_dir):
    make_user(roles=("OWNER", "ADMIN", "USERS"), username="pemilik.klinik",
              users_fullname="Ratna Pemilik")
    customer = make_user(users_fullname="Ayu Lestari")
    serum, cream = make_menu(nama_menus="Serum Vitamin C"), make_menu(nama_menus="Krim Malam")
    today = clinic_now()
    this_month = datetime(today.year, today.month, 1, 0, 30)
    _order(customer, paid_at=this_month, lines=[(serum, 2, 125000)])  # Rp 250.000
    _order(customer, paid_at=datetime(2025, 1, 15, 10), lines=[(cream, 3, 80000)],
           discount=40000)  # Rp 240.000 − 40.000
    _order(customer, paid_at=datetime(2025, 1, 20, 9), status="CANCEL", cancelled=True,
           lines=[(cream, 9, 80000)])  # never counts
    base = live_server

    sign_in(page, base, "pemilik.klinik")

    page.get_by_role("link", name="Laporan").click()
    page.wait_for_url(f"{base}/admin/laporan/penjualan")
    expect(page.get_by_role("heading", name="Laporan penjualan", exact=True)).to_be_visible()
    first_day = today.replace(day=1)
    expect(page.locator("#laporan-dari")).to_have_value(f"{first_day:%d/%m/%Y}")
    expect(page.locator("#stat-amount_total")).to_have_text("Rp 250.000")
    page.evaluate("window.stillTheSamePage = true")

    page.locator("#laporan-dari").fill("01/01/2025")
    page.locator("#laporan-sampai").fill("31/01/2025")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator("#stat-amount_total")).to_have_text("Rp 200.000")
    expect(page.locator("#laporan-period")).to_contain_text("01/01/2025 – 31/01/2025")
    assert page.evaluate("window.stillTheSamePage") is True  # swapped by HTMX, not reloaded
    assert "dari=01%2F01%2F2025" in page.url and "sampai=31%2F01%2F2025" in page.url

    page.get_by_role("link", name="Per produk").click()
    expect(page.locator("#laporan-produk tbody tr")).to_have_count(1)
    expect(page.locator("#laporan-produk tbody")).to_contain_text("Krim Malam")
    expect(page.locator("#laporan-totals")).to_contain_text("Rp 240.000")
    # sorting swaps the table and says so on the heading
    page.locator('#laporan-produk th a[data-sort="nama_menus"]').click()
    expect(page.locator('#laporan-produk th[aria-sort="ascending"]')).to_contain_text("Produk")
    assert "sort=nama_menus" in page.url

    with page.expect_download() as info:
        page.locator("#unduh-csv").click()
    download = info.value
    assert download.suggested_filename == "laporan-penjualan-produk-2025-01-01_2025-01-31.csv"
    text = open(download.path(), encoding="utf-8-sig").read()
    assert list(csv.reader(io.StringIO(text))) == [
        ["Produk", "Terjual", "Penjualan"], ["Krim Malam", "3", "240000"],
        ["Total", "3", "240000"]]

    page.get_by_role("link", name="Semua pesanan").click()
    expect(page.locator("#laporan-semua tbody tr")).to_have_count(1)
    page.set_viewport_size({"width": 1440, "height": 900})
    wide = artifacts_dir / "laporan-penjualan-1440.png"
    page.screenshot(path=str(wide), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.locator("#laporan-semua")).to_be_visible()
    assert no_sideways_scroll(page)
    holder = page.locator(".laporan-scroll")
    assert holder.evaluate("el => el.scrollWidth > el.clientWidth")  # the table scrolls itself
    narrow = artifacts_dir / "laporan-penjualan-390.png"
    page.screenshot(path=str(narrow), full_page=True)
    assert wide.stat().st_size > 0 and narrow.stat().st_size > 0
    assert page.browser_errors.unexpected() == []

