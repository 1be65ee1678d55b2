"""Issue 9 item 6 (phone and tablet): at 390 px and 768 px wide no admin page scrolls sideways.

The owner signs in over the demo data (plus a few rows with long unbroken text: an e-mail, a
URL, a code) and the test walks every admin page reachable from the navigation: each section
of the sidebar, each resource tab of a section with its list, the detail of its first row and
its forms, and every page those link to (a store's products, a doctor's week, a patient's
chart and records, a picture gallery …), one page per URL shape. Each is measured at both
widths; all the pages that scroll sideways are reported in one message with their widths.

Lists scroll inside their own container with the first column kept in view (position:
sticky), so a wide table never widens the page and the row stays identifiable; the stock
column of a store's products stays reachable at 390 px."""
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import func

from app.extensions import db
from models import Appointment, StoreMenu
from services.demo import DEMO_OWNER, seed_demo
from tests.e2e.layout import fits_across
from tests.e2e.signin import sign_in
from tests.factories.accounts import make_user
from tests.factories.catalog import make_promotion

VIEWPORTS = ((390, 844), (768, 1024))

# resources the owner has no form for on the screens
# resources whose screen lists something else with its own pages
LISTED_AS_OTHERS = {"roles": "the Peran screen lists people, each linking to the person's page"}
NO_FORM_FOR_OWNER = {"logs": "the audit log is read-only",
                     "outbox_messages": "the stand-ins' outbox is read-only",
                     "patient_rekam_medis": "written only by the treating doctor"}

ID = re.compile(r"/\d+(?=/|$)")
# not pages: sign-in, JSON and option lists, deletions, and an order's invoice (a PDF download)
NOT_PAGES = re.compile(r"^/admin/(login|calendar/events|calendar/patients)|/slots$|/delete$"
                       r"|/invoice$")


def shape(path: str) -> str:
    """A URL path with its ids replaced, so each kind of page is visited once."""
    return ID.sub("/{id}", path)


def seed_long_text():
    """Demo data plus the unbroken strings that widen a careless page (and a message in the
    stand-ins' outbox, sent the way the app sends one)."""
    from services.gateways.email import send_email

    send_email("administrasi.klinik.cabang.dago.bandung@colederma-dermatologi.co.id",
               "Atur ulang kata sandi Colederma",
               "Buka https://colederma.example/account/recovery?hash=0123456789abcdef0123456789"
               "abcdef&email=administrasi.klinik.cabang.dago.bandung@colederma-dermatologi.co.id")
    db.session.commit()
    make_user(roles=("USERS",), username="administrasi_klinik_cabang_dago_bandung",
              users_fullname="Maria Fransiska Kusumawardhani Setyaningrum Wibisono",
              users_email="administrasi.klinik.cabang.dago.bandung@colederma-dermatologi.co.id")
    make_promotion(display_codes="DISKONPERAWATANWAJAHLENGKAP26",
                   title="Promo akhir tahun PerawatanWajahLengkapUntukSemuaPasienBaru2026",
                   description="<p>https://colederma.co.id/promo/akhir-tahun/diskon-perawatan-"
                               "wajah-lengkap-untuk-semua-pasien-baru?utm_source=aplikasi</p>")


def sign_in_owner(page, base):
    sign_in(page, base, DEMO_OWNER["username"], DEMO_OWNER["password"])


def links_on(page) -> list[str]:
    """The admin pages a page leads to: its links (not downloads: a[download] is a file) and
    the GETs its HTMX controls make."""
    return page.evaluate("""() => {
        const urls = [...document.querySelectorAll('a[href]:not([download])')].map(a => a.href);
        for (const el of document.querySelectorAll('[hx-get]')) {
            urls.push(new URL(el.getAttribute('hx-get'), location.href).href);
        }
        return urls;
    }""")


def nav_resources():
    """The declared resources the sidebar's sections group (each one a tab); imported here,
    once the app has declared its resources."""
    from blueprints.navigation import SECTIONS
    from services.engine import REGISTRY
    return [name for _label, _icon, endpoint, resources, _roles in SECTIONS
            if endpoint == "crud.index" for name in resources if name in REGISTRY]


def crawl(page, base, refused: list) -> dict[str, str]:
    """Every kind of admin page reachable from the navigation: URL shape -> one URL. Links
    answered with an error status are added to `refused` as (status, path)."""
    origin = urlsplit(base).netloc
    pages: dict[str, str] = {}
    queue = [f"{base}/admin/", f"{base}/admin/account/password"]
    queue += [f"{base}/admin/{name}/" for name in nav_resources()]
    appointment = db.session.query(Appointment.id).order_by(Appointment.id).first()
    queue.append(f"{base}/admin/calendar/appointments/{appointment.id}")
    while queue:
        url = queue.pop(0)
        parts = urlsplit(url)
        key = shape(parts.path)
        if parts.netloc != origin or not parts.path.startswith("/admin/") or key in pages \
                or NOT_PAGES.search(parts.path):
            continue
        response = page.goto(url)
        if response is not None and response.status >= 400:
            refused.append((response.status, parts.path))
        if response is None or response.status != 200 \
                or "text/html" not in response.headers.get("content-type", ""):
            continue
        if page.locator("nav.sidebar").count() == 0:
            continue  # a bare partial, shown inside another page
        pages[key] = parts.path
        for link in links_on(page):
            link_parts = urlsplit(link)
            queue.append(f"{base}{link_parts.path}")
    return pages


def settle(page):
    """Wait until the page has loaded, its HTMX requests have answered and its fonts are in."""
    page.wait_for_function("() => document.readyState === 'complete' && "
                           "!document.querySelector('.htmx-request') && "
                           "document.fonts.status === 'loaded'")


def overflow_of(page) -> tuple[int, int]:
    return tuple(page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"))


@pytest.fixture
def demo_owner(app):
    seed_demo()
    seed_long_text()


def test_no_admin_page_scrolls_sideways_on_a_phone_or_a_tablet(page, live_server, demo_owner,
                                                               artifacts_dir):
    base = live_server
    sign_in_owner(page, base)
    refused = []
    pages = crawl(page, base, refused)

    # the walk reached every list, a detail and a form of every resource of the sidebar,
    # and the custom screens
    expected = {"/admin/", "/admin/calendar/", "/admin/account/password",
                "/admin/stores/{id}/", "/admin/doctors/{id}/schedule",
                "/admin/calendar/appointments/{id}"}
    for name in nav_resources():
        expected.add(f"/admin/{name}/")
        if name in LISTED_AS_OTHERS:
            continue
        expected.add(f"/admin/{name}/{{id}}")
        if f"/admin/{name}/new" not in pages and f"/admin/{name}/{{id}}/edit" not in pages \
                and name not in NO_FORM_FOR_OWNER:
            expected.add(f"/admin/{name}/{{id}}/edit")
    (artifacts_dir / "responsive-pages.txt").write_text("\n".join(sorted(pages.values())))
    missing = sorted(expected - set(pages))
    assert not missing, f"pages the walk did not reach: {missing}"

    failures = []
    for width, height in VIEWPORTS:
        page.set_viewport_size({"width": width, "height": height})
        for key, path in sorted(pages.items()):
            page.goto(f"{base}{path}")
            settle(page)
            scroll_width, inner = overflow_of(page)
            if scroll_width > inner + 1:
                failures.append(f"{width}px {path} ({key}): scrollWidth {scroll_width} > {inner}")
    assert not failures, (f"{len(failures)} page(s) scroll sideways:\n  "
                          + "\n  ".join(failures))
    # a link or button a screen offers the owner never leads to an error page
    assert not refused, f"links offered on the screens answered with an error: {refused}"
    assert not page.browser_errors.unexpected()


def test_lists_keep_their_first_column_and_the_stock_in_reach_at_390(page, live_server,
                                                                    demo_owner, artifacts_dir):
    base = live_server
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in_owner(page, base)

    # the sidebar folds into a drawer that the header's menu button opens and closes
    sidebar = page.locator("#sidebar")
    expect(sidebar.get_by_role("link", name="Pengguna")).not_to_be_visible()
    page.get_by_role("button", name="Buka menu").click()
    expect(sidebar.get_by_role("link", name="Pengguna")).to_be_visible()
    page.wait_for_function("() => !document.querySelector('#sidebar.showing')")
    page.screenshot(path=str(artifacts_dir / "menu-390.png"))
    sidebar.get_by_role("button", name="Tutup menu").click()
    expect(sidebar.get_by_role("link", name="Pengguna")).not_to_be_visible()

    # a wide generic list scrolls inside its card; its first column stays put
    page.goto(f"{base}/admin/users/", wait_until="networkidle")
    scroller = page.locator("#list .table-responsive")
    assert scroller.evaluate("e => e.scrollWidth > e.clientWidth"), "the users list fits?"
    first = page.locator("#list tbody tr").first.locator("td").first
    before = first.bounding_box()
    scroller.evaluate("e => e.scrollLeft = e.scrollWidth")
    after = first.bounding_box()
    assert after["x"] == pytest.approx(before["x"], abs=1), (before, after)
    assert first.evaluate("e => getComputedStyle(e).position") == "sticky"
    page.screenshot(path=str(artifacts_dir / "list-390.png"), full_page=True)

    # a store's products: the stock field scrolls into view inside the table, and the
    # product's name stays beside it
    store = db.session.query(StoreMenu.idbrandstore).group_by(StoreMenu.idbrandstore) \
        .order_by(func.count().desc()).first()
    page.goto(f"{base}/admin/stores/{store.idbrandstore}/", wait_until="networkidle")
    page.screenshot(path=str(artifacts_dir / "store-390.png"), full_page=True)
    stock = page.locator(".store-products .stock-input").first
    stock.scroll_into_view_if_needed()
    box = stock.bounding_box()
    assert fits_across(box, 390), box
    name = page.locator(".store-products tbody tr").first.locator("td").first
    name_box = name.bounding_box()
    # what is drawn at the middle of the name cell is the name cell, not the stock field
    # scrolled under it
    hit = page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('td') === "
                        "document.querySelector('.store-products tbody tr td')",
                        [name_box["x"] + name_box["width"] - 4,
                         name_box["y"] + name_box["height"] / 2])
    assert hit, "the stock controls are drawn over the product's name"
    assert name_box["x"] >= 0 and name_box["x"] + name_box["width"] <= box["x"] + 1, \
        (name_box, box)
    page.screenshot(path=str(artifacts_dir / "store-390-stock.png"), full_page=True)
    assert not page.browser_errors.unexpected()


def test_a_tablet_keeps_the_sidebar_as_a_rail_of_named_icons(page, live_server, demo_owner):
    page.set_viewport_size({"width": 700, "height": 1024})
    sign_in_owner(page, live_server)
    link = page.locator("#sidebar").get_by_role("link", name="Pengguna")
    expect(link).to_be_visible()  # the label is read out, the icon shown
    assert link.bounding_box()["width"] < 70
    expect(page.get_by_role("button", name="Buka menu")).not_to_be_visible()
    page.set_viewport_size({"width": 768, "height": 1024})
    expect(link).to_contain_text("Pengguna")
    assert link.bounding_box()["width"] > 150
