"""A store's stock in a real browser: the front desk types a number and presses Enter, and
the stock becomes what was typed (not the "−" button's doing); the store's total follows;
an absurd number gets its own message."""
from playwright.sync_api import expect

from app.extensions import db
from models import StoreMenuStock
from tests.conftest import make_user
from tests.e2e.signin import sign_in
from tests.factories.stores import make_product, make_store, make_store_menu


def stock_of(row_id) -> int:
    """The stored stock of a store product."""
    db.session.expire_all()
    return db.session.query(StoreMenuStock).filter_by(idbrandstoremenus=row_id).one().quantitytotal


def test_enter_in_the_stock_field_sets_what_was_typed(page, live_server, artifacts_dir):
    make_user(roles=("USERS",), username="gudang", users_fullname="Rina Gudang")
    store = make_store(nama="Colederma Dago")
    cream = make_store_menu(make_product(nama_menus="Acne Night Cream"), store, quantity=14)
    make_store_menu(make_product(nama_menus="Sunscreen SPF 50"), store, quantity=6)
    base = live_server

    sign_in(page, base, "gudang")
    page.goto(f"{base}/admin/stores/{store.id}/")
    expect(page.locator("#stock-total")).to_have_text("20")

    field = page.locator(f"#qty-{cream.id}")
    field.fill("30")
    field.press("Enter")
    expect(page.locator(f"#qty-{cream.id}")).to_have_value("30")
    expect(page.locator("#stock-total")).to_have_text("36")
    assert stock_of(cream.id) == 30

    page.locator(f"#qty-{cream.id}").fill("99999999999")
    page.locator(f"#qty-{cream.id}").press("Enter")
    error = page.locator(f"#qty-error-{cream.id}")
    expect(error).to_contain_text("terlalu besar")
    expect(page.locator("#stock-total")).to_have_text("36")
    assert stock_of(cream.id) == 30

    page.locator(f"#sm-{cream.id}").get_by_role("button", name="Kurangi 1").click()
    expect(page.locator(f"#qty-{cream.id}")).to_have_value("29")
    expect(page.locator("#stock-total")).to_have_text("35")
    page.screenshot(path=str(artifacts_dir / "store-stock.png"), full_page=True)
