"""The whole recovery flow with no network, in a real browser: a customer asks for a link
through the API, the owner finds the e-mail in Pengaturan → Kotak keluar, and the link in it
sets the new password."""
import re

import requests
from playwright.sync_api import expect

from tests.conftest import make_user
from tests.e2e.signin import sign_in


def test_a_recovery_email_lands_in_the_outbox_and_its_link_works(page, live_server,
                                                                 artifacts_dir):
    make_user(roles=("OWNER",), username="pemilik", users_fullname="Pemilik Klinik")
    make_user(username="didit", users_fullname="Didit Velliz", users_email="didit@example.com")
    base = live_server
    asked = requests.post(f"{base}/api/users/didit@example.com/recovery/password/email",
                          timeout=10)
    assert asked.json() == {"recovery_password_email": True, "users_email": "didit@example.com"}
    requests.post(f"{base}/api/users/6281299990000/recovery/password/wa", timeout=10)  # nobody's

    sign_in(page, base, "pemilik")
    page.goto(f"{base}/admin/outbox_messages/")
    expect(page.get_by_role("link", name="Kotak keluar")).to_be_visible()
    row = page.locator("tbody tr").filter(has_text="didit@example.com")
    expect(row).to_have_count(1)
    expect(page.locator("tbody tr")).to_have_count(1)  # the unknown number got nothing
    page.screenshot(path=str(artifacts_dir / "outbox-list.png"), full_page=True)
    row.get_by_role("link").first.click()
    body = page.locator("pre.outbox-body").first
    expect(body).to_contain_text("/account/recovery?hash=")
    page.screenshot(path=str(artifacts_dir / "outbox-detail.png"), full_page=True)

    token = re.search(r"hash=([\w-]+)", body.inner_text()).group(1)
    reset = requests.post(f"{base}/api/users/didit@example.com/forgot/{token}/password/email",
                          json={"new_password": "sandi-baru-2024",
                                "confirm_new_password": "sandi-baru-2024"}, timeout=10)
    assert reset.status_code == 200, reset.text
    login = requests.post(f"{base}/api/users/login", json={
        "username": "didit", "password": "sandi-baru-2024", "app": "mobile"}, timeout=10)
    assert login.status_code == 200
    assert page.browser_errors.unexpected() == []
