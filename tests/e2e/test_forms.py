"""Forms in a real browser: every problem at once with what was typed kept, and dates read
and picked as dd/mm/yyyy whatever the browser's language."""
import re

from playwright.sync_api import expect

from app.extensions import db
from models import User
from tests.conftest import make_user
from tests.e2e.test_admin_users import mark_document, sign_in, still_same_document


def test_user_form_shows_every_problem_at_once(page, live_server, artifacts_dir):
    """Bad username, bad e-mail, mismatching passwords and no role: one submit, four
    messages, the typed values kept; the birthday reads dd/mm/yyyy and is picked from an
    Indonesian calendar, also after the form was swapped in by HTMX."""
    make_user(roles=("OWNER", "ADMIN", "USERS"), username="pemilik")
    sign_in(page, live_server)
    page.goto(f"{live_server}/admin/users/new")
    expect(page).to_have_title(re.compile(r"^Tambah Pengguna · "))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tambah Pengguna")

    birthday = page.locator("#f-users_birthday")
    expect(birthday).to_have_attribute("type", "text")
    expect(birthday).to_have_class(re.compile(r"\bflatpickr-input\b"))  # the picker is on
    birthday.fill("07/03/1990")
    page.locator("#f-username").fill("sinta dewi")  # a space: not a username
    page.locator("#f-users_fullname").fill("Sinta Dewi")
    page.locator("#f-users_email").fill("sinta@")
    page.locator("#f-users_phone").fill("0812-3456-7890")
    page.locator("#f-password").fill("kata-sandi-9")
    page.locator("#f-retype_password").fill("kata-sandi-8")
    page.locator("#f-users_fullname").click()  # close the calendar
    mark_document(page)

    with page.expect_response(lambda r: r.url.endswith("/admin/users/new")
                              and r.request.method == "POST") as answer:
        page.get_by_role("button", name="Simpan").click()
    assert answer.value.status == 422
    assert still_same_document(page), "the 422 answer is swapped in, not a reload"
    form = page.locator("#resource-form")
    expect(page.locator("#f-username ~ .invalid-feedback")).to_contain_text("3–50 karakter")
    expect(page.locator("#f-users_email ~ .invalid-feedback")).to_have_text(
        "Alamat e-mail tidak valid.")
    expect(page.locator("#f-retype_password ~ .invalid-feedback")).to_have_text(
        "Konfirmasi kata sandi tidak sama.")
    expect(form).to_contain_text("Pilih setidaknya satu peran.")
    for name in ("username", "users_email", "retype_password"):
        expect(page.locator(f"#f-{name}")).to_have_class(re.compile(r"\bis-invalid\b"))
    # what was typed stays (passwords are never echoed back)
    expect(page.locator("#f-username")).to_have_value("sinta dewi")
    expect(page.locator("#f-users_fullname")).to_have_value("Sinta Dewi")
    expect(page.locator("#f-users_email")).to_have_value("sinta@")
    expect(page.locator("#f-users_phone")).to_have_value("0812-3456-7890")
    expect(page.locator("#f-users_birthday")).to_have_value("07/03/1990")
    assert db.session.execute(
        db.select(User).filter_by(users_fullname="Sinta Dewi")).scalar_one_or_none() is None

    screenshot = artifacts_dir / "form-errors.png"
    screenshot.unlink(missing_ok=True)
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.is_file() and screenshot.stat().st_size > 0

    # The swapped-in birthday input has its picker again: Indonesian months, dd/mm/yyyy.
    birthday = page.locator("#f-users_birthday")
    expect(birthday).to_have_class(re.compile(r"\bflatpickr-input\b"))
    birthday.click()
    calendar = page.locator(".flatpickr-calendar.open")
    expect(calendar).to_be_visible()
    expect(calendar.locator(".flatpickr-monthDropdown-months")).to_contain_text("Maret")
    expect(calendar.locator(".flatpickr-weekday").first).to_contain_text("Sen")  # Senin first
    calendar.locator(".flatpickr-day:not(.prevMonthDay):not(.nextMonthDay)",
                     has_text=re.compile(r"^15$")).click()
    expect(birthday).to_have_value("15/03/1990")
    picture = artifacts_dir / "form-date-picker.png"
    birthday.click()
    expect(page.locator(".flatpickr-calendar.open")).to_be_visible()
    page.screenshot(path=str(picture), animations="disabled")

    # Fixed: the user is created with the picked birthday and the chosen role.
    page.locator("#f-users_fullname").click()
    page.locator("#f-username").fill("sinta.dewi")
    page.locator("#f-users_email").fill("sinta@example.com")
    page.locator("#f-password").fill("kata-sandi-9")
    page.locator("#f-retype_password").fill("kata-sandi-9")
    page.locator("input[name=roles][value=USERS]").check()
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_url(re.compile(re.escape(live_server) + r"/admin/users/\d+$"))
    expect(page.locator("main")).to_contain_text("15/03/1990")
    created = db.session.execute(db.select(User).filter_by(username="sinta.dewi")).scalar_one()
    assert created.users_birthday.isoformat() == "1990-03-15"
    assert sorted(created.role_codes) == ["USERS"]
    assert page.browser_errors.unexpected((422, "/admin/users/new")) == []
