"""The catalog in a real browser: staff create a product with formatted text, add two
pictures, make the second the primary one and see it in the product list."""
import re

from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from models import Menu, MenuImage
from tests.conftest import make_user, png_bytes
from tests.e2e.signin import sign_in
from tests.factories.catalog import make_menu_category


def test_staff_create_product_with_two_pictures_and_choose_the_primary(page, live_server,
                                                                       artifacts_dir):
    make_user(roles=("USERS",), username="resepsionis", users_fullname="Sari Wulandari")
    make_menu_category(menu_categories="Night Cream", codes="NC", color="#6F42C1")
    base = live_server
    sign_in(page, base, "resepsionis")

    # The catalog list, then the create form with the rich-text editor.
    page.goto(f"{base}/admin/menus/")
    expect(page.get_by_role("heading", name="Produk", exact=True)).to_be_visible()
    page.get_by_role("link", name="Tambah").click()
    page.wait_for_url(f"{base}/admin/menus/new")
    page.locator("#f-nama_menus").fill("Acne Night Cream")
    page.locator("#f-harga").fill("87706")
    page.locator("#f-id_menu_categories_1").select_option(label="Night Cream")
    editor = page.locator("#f-brief-editor")
    expect(editor).to_be_visible()
    expect(page.locator("#f-brief")).to_be_hidden()
    editor.click()
    page.keyboard.type("Mengontrol minyak berlebih. ")
    page.get_by_role("toolbar", name="Format Deskripsi singkat").get_by_role(
        "button", name="Tebal (Ctrl+B)").click()
    page.keyboard.type("Untuk kulit berjerawat")
    page.locator("#f-komposisi-editor").click()
    page.keyboard.type("Niacinamide, Zinc")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_url(re.compile(rf"{re.escape(base)}/admin/menus/\d+$"))
    expect(page.get_by_role("heading", name=re.compile("Acne Night Cream"))).to_be_visible()
    db.session.rollback()
    menu = db.session.execute(select(Menu).where(Menu.nama_menus == "Acne Night Cream")).scalar_one()
    assert "<b>Untuk kulit berjerawat</b>" in menu.brief, menu.brief
    assert "Niacinamide, Zinc" in menu.komposisi
    expect(page.locator(".rich-text b")).to_have_text("Untuk kulit berjerawat")

    # The gallery: two pictures at once; the first one becomes the primary.
    page.get_by_role("link", name="Galeri gambar").click()
    page.wait_for_url(f"{base}/admin/menus/{menu.id}/images")
    page.locator("#picture").set_input_files([
        {"name": "kemasan.png", "mimeType": "image/png",
         "buffer": png_bytes(size=(320, 240), colour=(111, 66, 193))},
        {"name": "tekstur.png", "mimeType": "image/png",
         "buffer": png_bytes(size=(320, 240), colour=(253, 126, 20))},
    ])
    with page.expect_response(lambda r: r.url.endswith(f"/menus/{menu.id}/images")
                              and r.request.method == "POST") as answer:
        page.get_by_role("button", name="Unggah").click()
    assert answer.value.status == 200
    cards = page.locator("#gallery li[data-image-id]")
    expect(cards).to_have_count(2)
    expect(cards.nth(0)).to_have_attribute("data-primary", "1")
    expect(cards.nth(1)).to_have_attribute("data-primary", "0")
    expect(page.locator("#toasts")).to_contain_text("2 gambar diunggah.")

    # Make the second the primary one.
    second_id = int(cards.nth(1).get_attribute("data-image-id"))
    cards.nth(1).get_by_role("button", name="Jadikan utama").click()
    expect(page.locator(f"#image-{second_id}")).to_have_attribute("data-primary", "1")
    expect(page.locator(f"#image-{second_id}")).to_contain_text("Utama")
    expect(page.locator("#gallery li[data-primary='1']")).to_have_count(1)
    db.session.rollback()
    second = db.session.get(MenuImage, second_id)
    assert second.is_primary

    # The product list shows the new primary picture for this product, first in its row.
    page.get_by_role("link", name="Produk", exact=True).first.click()
    page.wait_for_url(f"{base}/admin/menus/")
    page.locator("#q").fill("acne night")
    row = page.locator(f"#row-{menu.id}")
    expect(page.locator("#list tbody tr")).to_have_count(1)
    thumbnail = row.locator("img.catalog-thumb")
    expect(thumbnail).to_have_attribute("src", f"/uploads/menus/{second.menu_image}")
    expect(row.locator(".catalog-chip")).to_contain_text("Night Cream")
    expect(row).to_contain_text("Rp 87.706")
    assert thumbnail.evaluate("img => img.complete && img.naturalWidth") == 320
    chip_colour = row.locator(".colour-chip").evaluate(
        "element => getComputedStyle(element).backgroundColor")
    assert chip_colour == "rgb(111, 66, 193)"
    page.screenshot(path=str(artifacts_dir / "catalog-primary.png"), full_page=True)
    assert page.browser_errors.unexpected() == []


def test_editing_text_imported_with_inline_styles_keeps_the_csp_quiet(page, live_server):
    """Texts copied from the old system carry style attributes; the editor shows their
    formatting tags without tripping the self-only CSP, and the HTML view round-trips."""
    make_user(roles=("ADMIN",), username="admin-katalog")
    menu_id = make_menu_with_styles()
    sign_in(page, live_server, "admin-katalog")
    page.goto(f"{live_server}/admin/menus/{menu_id}/edit")
    editor = page.locator("#f-komposisi-editor")
    expect(editor.locator("b")).to_have_text("Niacinamide")
    toolbar = page.get_by_role("toolbar", name="Format Komposisi")
    toolbar.get_by_role("button", name="Lihat / ubah HTML").click()
    source = page.locator("#f-komposisi")
    expect(source).to_be_visible()
    source.fill('<p style="color: red" onclick="alert(1)">Zinc <i>PCA</i></p>')
    toolbar.get_by_role("button", name="Lihat / ubah HTML").click()
    expect(editor.locator("i")).to_have_text("PCA")
    assert editor.evaluate("element => element.innerHTML") == "<p>Zinc <i>PCA</i></p>"
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_url(f"{live_server}/admin/menus/{menu_id}")
    db.session.rollback()
    assert db.session.get(Menu, menu_id).komposisi == "<p>Zinc <i>PCA</i></p>"
    assert page.browser_errors.unexpected() == []


def make_menu_with_styles():
    from tests.factories.catalog import make_menu
    return make_menu(komposisi='<p><span style="font-family: Arial; font-size: 13px;">'
                               '<b>Niacinamide</b> &amp; TXA</span></p>').id
