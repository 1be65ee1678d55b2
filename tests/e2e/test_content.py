"""Static contents in a real browser: the text is edited with the same rich-text editor as the
catalog (js/richtext.js on every rich-text field), not a raw HTML textarea."""
import re

from playwright.sync_api import expect

from app.extensions import db
from models import StaticContent
from tests.conftest import make_static_content, make_user
from tests.e2e.signin import sign_in


def test_owner_types_bold_text_into_a_static_content_and_saves_it(page, live_server,
                                                                 artifacts_dir):
    make_user(roles=("OWNER",), username="pemilik", users_fullname="Pemilik Klinik")
    content = make_static_content(type="about-us", contents="<p>Colederma adalah klinik kulit.</p>")
    base = live_server
    sign_in(page, base, "pemilik")

    page.goto(f"{base}/admin/static_contents/{content.id}/edit")
    editor = page.locator("#f-contents-editor")
    expect(editor).to_be_visible()
    expect(page.locator("#f-contents")).to_be_hidden()  # the raw HTML stays behind the editor
    expect(editor).to_contain_text("Colederma adalah klinik kulit.")
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.get_by_role("toolbar", name="Format Isi").get_by_role(
        "button", name="Tebal (Ctrl+B)").click()
    page.keyboard.type("Buka setiap hari")
    page.screenshot(path=str(artifacts_dir / "content-editor.png"), full_page=True)
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_url(re.compile(rf"{re.escape(base)}/admin/static_contents/{content.id}$"))
    expect(page.locator("dd b")).to_have_text("Buka setiap hari")

    db.session.rollback()
    saved = db.session.get(StaticContent, content.id).contents
    assert "<b>Buka setiap hari</b>" in saved, saved
    assert "Colederma adalah klinik kulit." in saved
    assert page.browser_errors.unexpected() == []
