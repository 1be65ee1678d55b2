"""After signing in, staff land on /admin/: managers stay on the dashboard, the front desk
and the doctors are sent on to "Hari ini"."""
import re


def wait_for_landing(page, base: str) -> None:
    """Wait until the sign-in has brought the browser to the page its role lands on."""
    page.wait_for_url(re.compile(re.escape(base) + r"/admin/(hari-ini/)?$"))
