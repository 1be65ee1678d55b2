"""The "Pesanan" board in a real browser (issue 10 item 14): the front office takes a paid
order from Dibayar to Selesai — processing, packed, receipt number, handed to the courier,
received — in the order's drawer; after each step the card moves to its column and the counts
follow, without reloading the page. At 390 px the board scrolls inside itself, never the page."""
import re

from playwright.sync_api import expect

from app.extensions import db
from models import Order
from services.orders.flow import OrderFlow
from tests.conftest import make_user
from tests.e2e.layout import fits_across
from tests.e2e.signin import sign_in
from tests.factories.orders import make_stocked_cart


def paid_order(staff, name):
    customer = make_user(users_fullname=name, users_phone="081299887766")
    order, _item, _row = make_stocked_cart(customer, nama_pemesan=name)
    OrderFlow(order, staff).checkout()
    OrderFlow(order, staff).mark_paid("QRIS")
    return order


def settled(page):
    """Wait until the drawer has finished sliding in."""
    # Bootstrap marks it shown when its timer runs out; on a busy machine the slide (a CSS
    # transition) may still be running then, so wait for the transition itself to end too
    page.wait_for_function("() => { const d = document.getElementById('order-drawer'); "
                           "return d.classList.contains('show') && !d.classList.contains('showing')"
                           " && d.getAnimations().length === 0; }")


def column(page, status):
    return page.locator(f'#column-{status}')


def test_front_office_moves_a_paid_order_to_done_on_the_board(page, live_server, artifacts_dir):
    staff = make_user(roles=("USERS",), username="kasir", users_fullname="Sari Wulandari")
    order = paid_order(staff, "Rita Ambar")
    paid_order(staff, "Budi Santoso")
    base = live_server
    sign_in(page, base, "kasir")

    page.get_by_label("Navigasi utama").get_by_role("link", name="Pesanan").click()
    page.wait_for_url(f"{base}/admin/orders/")
    expect(page.get_by_role("heading", name="Papan pesanan")).to_be_visible()
    card = page.locator(f"#order-card-{order.id}")
    expect(column(page, "paid").locator(".order-count")).to_have_text("2")
    expect(column(page, "paid")).to_contain_text("Rita Ambar")
    page.evaluate("window.stillTheSamePage = true")

    card.click()
    drawer = page.locator("#order-drawer")
    expect(drawer.get_by_role("heading", name=f"Pesanan {order.order_code}")).to_be_visible()
    expect(drawer.locator("#order-status")).to_have_text("Dibayar")
    expect(drawer.locator("#order-payment")).to_contain_text("QRIS")

    steps = [("Proses pesanan", "Diproses", "processing"),
             ("Tandai siap dikirim", "Siap dikirim", "prepared")]
    for button, label, status in steps:
        drawer.get_by_role("button", name=button).click()
        expect(drawer.locator("#order-status")).to_have_text(label)
        expect(page.locator("#toasts")).to_contain_text(order.order_code)
        expect(column(page, status).locator(f"#order-card-{order.id}")).to_be_visible()
    expect(column(page, "paid").locator(".order-count")).to_have_text("1")

    # handing over waits for the receipt number
    expect(drawer.get_by_role("button", name="Serahkan ke kurir")).to_be_disabled()
    drawer.get_by_label(re.compile("Nomor resi")).fill("JNE0012345678")
    drawer.get_by_role("button", name="Simpan nomor resi").click()
    expect(drawer.locator("#order-courier")).to_contain_text("JNE0012345678")
    drawer.get_by_role("button", name="Serahkan ke kurir").click()
    expect(drawer.locator("#order-status")).to_have_text("Dikirim")
    pickup_card = column(page, "pickup").locator(f"#order-card-{order.id}")
    expect(pickup_card).to_contain_text("JNE0012345678")

    drawer.get_by_role("button", name="Tandai diterima").click()
    expect(drawer.locator("#order-status")).to_have_text("Selesai")
    expect(column(page, "done").locator(f"#order-card-{order.id}")).to_be_visible()
    expect(column(page, "done").locator(".order-count")).to_have_text("1")
    expect(drawer.locator("#order-timeline li")).to_have_count(7)
    expect(drawer.locator("#order-timeline li").first).to_contain_text("Diterima pelanggan")
    expect(drawer.get_by_role("button", name="Tandai diterima")).to_have_count(0)
    settled(page)
    page.screenshot(path=str(artifacts_dir / "orders-drawer.png"))

    drawer.get_by_role("button", name="Tutup").click()
    expect(drawer).to_be_hidden()
    expect(page.locator(".offcanvas-backdrop")).to_have_count(0)
    page.screenshot(path=str(artifacts_dir / "orders-board.png"), full_page=True)
    assert page.evaluate("window.stillTheSamePage") is True  # no reload along the way
    db.session.rollback()
    stored = db.session.get(Order, order.id)
    assert stored.status == "DONE" and stored.nomor_resi == "JNE0012345678"
    assert [event.action for event in stored.events][-4:] == ["prepared", "noresi", "pickup",
                                                              "consignee"]
    assert page.browser_errors.unexpected() == []


def test_the_board_scrolls_inside_itself_on_a_phone(page, live_server, artifacts_dir):
    staff = make_user(roles=("USERS",), username="kasir2")
    order = paid_order(staff, "Citra Maharani")
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "kasir2")
    page.goto(f"{live_server}/admin/orders/")
    board = page.locator(".order-board")
    expect(board).to_be_visible()
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1] + 1, widths
    scroll = board.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert scroll[0] > scroll[1]  # the columns scroll sideways inside the board
    page.screenshot(path=str(artifacts_dir / "orders-board-390.png"), full_page=True)
    page.locator(f"#order-card-{order.id}").click()
    drawer = page.locator("#order-drawer")
    expect(drawer.locator("#order-status")).to_have_text("Dibayar")
    settled(page)
    box = drawer.bounding_box()
    assert fits_across(box, 390), box
    page.screenshot(path=str(artifacts_dir / "orders-drawer-390.png"))
    assert page.browser_errors.unexpected() == []
