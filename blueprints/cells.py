"""Small pieces of markup the staff screens put in list cells and detail pages: colour chips,
thumbnails, status badges. Values are escaped (Markup.format does it); nothing here uses an
inline style, so the admin's CSP holds."""
import re

import nh3
from flask import url_for
from markupsafe import Markup

from services.engine.fields import ALLOWED_TAGS

HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
DASH = Markup('<span class="text-secondary">–</span>')


def colour_chip(colour: str, size: int = 16, label: str | None = None) -> Markup:
    """A colour chip drawn as an SVG data image (no style attribute, no script: CSP-safe),
    followed by the label (the hex code when none is given)."""
    if not colour or not HEX_COLOUR.match(colour):
        return DASH if label is None else Markup("{}").format(label)
    svg = (f"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='16' "
           f"height='16'%3E%3Crect width='16' height='16' rx='3' fill='%23{colour[1:]}' "
           f"stroke='%23000' stroke-opacity='.2'/%3E%3C/svg%3E")
    text = Markup("<code>{}</code>").format(colour) if label is None else Markup("{}").format(label)
    return Markup('<img src="{0}" width="{1}" height="{1}" alt="" class="align-middle"> '
                  '{2}').format(svg, size, text)


def thumbnail(kind: str, name: str, alt: str, size: int = 48) -> Markup:
    """A small square picture for a list cell, or a dash."""
    if not name:
        return DASH
    return Markup('<img src="{0}" alt="{1}" width="{2}" height="{2}" '
                  'class="rounded border object-fit-cover" loading="lazy">').format(
        url_for("uploads.serve", kind=kind, name=name), alt, size)


def active_badge(active: bool) -> Markup:
    """Aktif / Nonaktif as a coloured badge."""
    if active:
        return Markup('<span class="badge text-bg-success">Aktif</span>')
    return Markup('<span class="badge text-bg-secondary">Nonaktif</span>')


def picture_url(kind: str, name: str | None) -> str:
    """The admin URL of an uploaded picture ("" when none)."""
    return url_for("uploads.serve", kind=kind, name=name) if name else ""


def plain_html(value: str | None) -> str:
    """Stored rich text for the staff screens and their editor: the same formatting tags,
    without style attributes (the admin's CSP refuses inline styles)."""
    return nh3.clean(value or "", tags=ALLOWED_TAGS,
                     attributes={"a": {"href", "title"}, "img": {"src", "alt"}},
                     url_schemes={"http", "https", "mailto"})
