"""The admin navigation: every screen family, built or not yet."""
from flask import request, url_for

from services.access import MANAGERS, OFFICE, STAFF
from services.engine import REGISTRY

from .views import view_for


# label, icon, endpoint (or None when not built yet), the resources it groups, roles that see it;
# an endpoint taking `name` opens the first resource (crud.index, or a screen family's own list)
SECTIONS = [
    ("Dashboard", "speedometer2", "dashboard.index", (), MANAGERS),
    ("Hari ini", "sun", "today.index", (), STAFF),
    ("Kalender", "calendar3", "calendar.index", ("user_schedules",), STAFF),
    ("Pesanan", "bag-check", "orders.index", (), OFFICE),
    ("Konsultasi", "chat-dots", "consultations.index", (), STAFF),
    ("Jadwal Dokter", "clock-history", "crud.index",
     ("doctors", "doctor_services", "schedules", "doctor_schedules"), STAFF),
    ("Pasien", "person-vcard", "crud.index",
     ("patients", "patient_allergies", "patient_rekam_medis"), STAFF),
    ("Katalog", "capsule", "crud.index", ("menus", "menu_categories"), STAFF),
    ("Layanan", "clipboard2-pulse", "crud.index", ("services", "service_categories"), STAFF),
    ("Toko", "shop", "crud.index", ("brandstore", "brandstore_menus"), STAFF),
    ("Promosi", "megaphone", "crud.index", ("promotions",), STAFF),
    ("Pengguna", "people", "crud.index", ("users", "roles", "departments", "user_departments"),
     OFFICE),
    ("Laporan", "bar-chart-line", "laporan.sales", (), MANAGERS),
    ("Pengaturan", "gear", "crud.index", ("static_contents", "deliveries", "holidays", "logs",
                                           "outbox_messages"),
     MANAGERS),
]


LISTS = ("crud.index",)
SCREEN_PREFIXES = {"Toko": ["/admin/stores/"],
                   "Kalender": ["/admin/calendar/"], "Pesanan": ["/admin/orders/"], "Jadwal Dokter": ["/admin/doctors/"],
                   "Pasien": ["/admin/patients/"],
                   "Konsultasi": ["/admin/consultations/"], "Laporan": ["/admin/laporan/"]}


def _declared(resources):
    """The section's resources that are declared (a later feature may not exist yet)."""
    return [name for name in resources if name in REGISTRY]


def slug(label: str) -> str:
    """URL part of a section name."""
    return label.lower().replace(" ", "-")


def section_items(actor):
    """The navigation for this user: (label, icon, url, active, built)."""
    items = []
    for label, icon, endpoint, resources, roles in SECTIONS:
        if roles and not (actor and actor.has_role(*roles)):
            continue
        declared = _declared(resources)
        if resources and not declared:
            endpoint = None  # its feature is not built yet
        resources = declared
        if endpoint in LISTS:
            url = url_for(endpoint, name=resources[0])
            prefixes = [f"/admin/{name}/" for name in resources] + SCREEN_PREFIXES.get(label, [])
            active = any(request.path.startswith(prefix) for prefix in prefixes)
        elif endpoint:
            url = url_for(endpoint)
            active = request.endpoint == endpoint or any(
                request.path.startswith(prefix) for prefix in SCREEN_PREFIXES.get(label, []))
        else:
            url = url_for("dashboard.not_built", section=slug(label))
            active = request.view_args == {"section": slug(label)}
        items.append({"label": label, "icon": icon, "url": url, "active": active,
                      "built": endpoint is not None})
    return items


def section_tabs(resource_name):
    """Sibling resources shown as tabs on a generic screen."""
    for label, _icon, _endpoint, resources, _roles in SECTIONS:
        if resource_name in resources:
            return label, [view_for(name) for name in _declared(resources)]
    return "", [view_for(resource_name)]
