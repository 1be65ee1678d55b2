"""Template filters and globals every screen uses, registered once by the application."""
from services import format as fmt
from services.access import ordered_roles, role_label, role_labels


def register_template_helpers(app):
    """Filters (show, rupiah, ribuan, menit, nama_hari, tanggal, waktu, gender, peran,
    daftar_peran, kanal_bayar) and markup globals."""
    from blueprints import cells
    from blueprints.navigation import section_items, section_tabs
    from services.orders.invoice import channel_label

    app.jinja_env.filters.update(
        show=fmt.show, rupiah=fmt.rupiah, ribuan=fmt.thousands, menit=fmt.minutes,
        tanggal=fmt.day_text, waktu=fmt.moment_text,
        gender=fmt.gender, peran=role_label, daftar_peran=role_labels,
        urut_peran=ordered_roles, kanal_bayar=channel_label,
        nama_hari=lambda value: fmt.weekday_name(value) if value else "")
    app.jinja_env.globals.update(
        section_items=section_items, section_tabs=section_tabs, colour_chip=cells.colour_chip,
        thumbnail=cells.thumbnail, active_badge=cells.active_badge,
        picture_url=cells.picture_url)
