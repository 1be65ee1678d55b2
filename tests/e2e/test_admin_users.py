"""The user screens driven in a real browser, as the clinic owner would use them."""
import re

from playwright.sync_api import expect

from app.extensions import db
from models import User
from tests.conftest import PASSWORD, make_user
from tests.e2e.signin import wait_for_landing

NEW_PASSWORD = "kata-sandi-baru-9"


def sign_in(page, base_url, username="pemilik", password=PASSWORD):
    """Open the login screen, fill it in and land on the dashboard."""
    page.goto(f"{base_url}/admin/login")
    expect(page.get_by_role("heading", name="Colederma Back-office")).to_be_visible()
    page.locator("#username").fill(username)
    page.locator("#password").fill(password)
    page.get_by_role("button", name="Masuk").click()
    wait_for_landing(page, base_url)
    navigation = page.get_by_role("navigation", name="Navigasi utama")
    for label in ("Dashboard", "Kalender", "Pesanan", "Pengguna", "Pengaturan"):
        expect(navigation.get_by_role("link", name=label)).to_be_visible()
    expect(page.locator("header")).to_contain_text("Dashboard")
    return navigation


def mark_document(page):
    """Put a marker on window: it survives HTMX swaps and vanishes on a real page load."""
    page.evaluate("window.__e2eSamePage = true")


def still_same_document(page):
    """Whether the marker set by mark_document is still there (no reload happened)."""
    return page.evaluate("window.__e2eSamePage === true")


def test_owner_creates_user_then_finds_it_by_search(page, live_server, artifacts_dir):
    """Sign in, add a user (first with a mistyped confirmation), then search for them."""
    make_user(roles=("OWNER", "ADMIN", "USERS"), username="pemilik")
    make_user(username="lainnya", users_fullname="Orang Lain")

    navigation = sign_in(page, live_server)
    navigation.get_by_role("link", name="Pengguna").click()
    page.wait_for_url(f"{live_server}/admin/users/")
    expect(page.locator("#list tbody")).to_contain_text("lainnya")

    page.get_by_role("link", name="Tambah").click()
    page.wait_for_url(f"{live_server}/admin/users/new")
    page.locator("#f-username").fill("sinta.dewi")
    page.locator("#f-users_fullname").fill("Sinta Dewi Lestari")
    page.locator("#f-users_email").fill("sinta.dewi@example.com")
    page.locator("#f-users_phone").fill("081298765432")
    page.locator("#f-password").fill(NEW_PASSWORD)
    page.locator("#f-retype_password").fill(NEW_PASSWORD + "x")
    page.locator("input[name=roles][value=USERS]").check()
    mark_document(page)

    # Mismatching confirmation: HTMX posts, gets 422 and swaps the form in place.
    with page.expect_response(lambda r: r.url.endswith("/admin/users/new")
                              and r.request.method == "POST") as answer:
        page.get_by_role("button", name="Simpan").click()
    assert answer.value.status == 422
    assert answer.value.request.headers.get("hx-request") == "true"
    feedback = page.locator("#f-retype_password ~ .invalid-feedback")
    expect(feedback).to_be_visible()
    expect(feedback).to_have_text("Konfirmasi kata sandi tidak sama.")
    expect(page.locator("#f-retype_password")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator("#resource-form")).to_have_count(1)
    assert page.url == f"{live_server}/admin/users/new"
    assert still_same_document(page), "the 422 answer must be swapped in, not reloaded"
    # What was typed stays (except the passwords, which are never echoed back).
    expect(page.locator("#f-username")).to_have_value("sinta.dewi")
    expect(page.locator("#f-users_fullname")).to_have_value("Sinta Dewi Lestari")
    expect(page.locator("input[name=roles][value=USERS]")).to_be_checked()
    expect(page.locator("#f-password")).to_have_value("")
    assert db.session.execute(
        db.select(User).filter_by(username="sinta.dewi")).scalar_one_or_none() is None

    # Fixed: the user is created and HTMX redirects to their detail page.
    page.locator("#f-password").fill(NEW_PASSWORD)
    page.locator("#f-retype_password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_url(re.compile(re.escape(live_server) + r"/admin/users/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Pengguna: sinta.dewi")
    expect(page.locator("main")).to_contain_text("Sinta Dewi Lestari")
    expect(page.locator("main .alert-success")).to_contain_text("Pengguna berhasil dibuat.")
    created = db.session.execute(
        db.select(User).filter_by(username="sinta.dewi")).scalar_one()
    assert sorted(created.role_codes) == ["USERS"]

    # Back to the list and search by part of the full name.
    page.get_by_role("navigation", name="breadcrumb").get_by_role("link", name="Pengguna").click()
    page.wait_for_url(f"{live_server}/admin/users/")
    rows = page.locator("#list tbody")
    expect(rows).to_contain_text("lainnya")
    mark_document(page)
    page.locator("#q").press_sequentially("dewi les", delay=40)
    expect(rows.locator("tr")).to_have_count(1)
    expect(rows).to_contain_text("sinta.dewi")
    expect(rows).to_contain_text("Sinta Dewi Lestari")
    expect(rows).not_to_contain_text("lainnya")
    expect(rows).not_to_contain_text("Orang Lain")
    expect(page).to_have_url(re.compile(r"/admin/users/\?.*q=dewi(\+|%20)les"))
    assert still_same_document(page), "the search must update the list without a reload"

    screenshot = artifacts_dir / "admin-users-search.png"
    screenshot.unlink(missing_ok=True)
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.is_file() and screenshot.stat().st_size > 0

    # The only failed load allowed is the 422 we provoked with the mismatching confirmation.
    assert page.browser_errors.unexpected((422, "/admin/users/new")) == []


def test_owner_deletes_user_from_list(page, live_server):
    """Delete from the list: confirm, the row goes away in place and a toast says so."""
    make_user(roles=("OWNER", "ADMIN", "USERS"), username="pemilik")
    doomed = make_user(username="akan.dihapus", users_fullname="Akan Dihapus")
    kept = make_user(username="tetap.ada", users_fullname="Tetap Ada")
    doomed_id, kept_id = doomed.id, kept.id
    dialogs = []

    def accept(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    navigation = sign_in(page, live_server)
    navigation.get_by_role("link", name="Pengguna").click()
    page.wait_for_url(f"{live_server}/admin/users/")
    row = page.locator(f"#row-{doomed_id}")
    expect(row).to_contain_text("akan.dihapus")
    mark_document(page)

    with page.expect_response(lambda r: f"/admin/users/{doomed_id}/delete" in r.url) as answer:
        row.get_by_role("button", name="Hapus").click()
    assert answer.value.status == 200
    assert answer.value.request.method == "DELETE"
    assert dialogs == ["Hapus pengguna ini?"]
    expect(row).to_have_count(0)
    expect(page.locator(f"#row-{kept_id}")).to_be_visible()
    toast = page.locator("#toasts .toast")
    expect(toast).to_be_visible()
    expect(toast).to_contain_text("Pengguna dihapus.")
    assert still_same_document(page), "the row must be removed without a page reload"

    db.session.expire_all()
    assert db.session.get(User, doomed_id).deleted_at is not None
    assert db.session.get(User, kept_id).deleted_at is None
    assert page.browser_errors.unexpected() == []
