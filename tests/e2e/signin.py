"""Signing in from the login screen, shared by the browser tests.

After signing in, staff land on /admin/: managers stay on the dashboard, the front desk and
the doctors are sent on to "Hari ini"."""
import re

from tests.factories.accounts import PASSWORD


def wait_for_landing(page, base: str) -> None:
    """Wait until the sign-in has brought the browser to the page its role lands on."""
    page.wait_for_url(re.compile(re.escape(base) + r"/admin/(hari-ini/)?$"))


def sign_in(page, base: str, username: str, password: str = PASSWORD) -> None:
    """Open the login screen, fill it in and wait for the landing page."""
    page.goto(f"{base}/admin/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill(password)
    page.get_by_role("button", name="Masuk").click()
    wait_for_landing(page, base)
