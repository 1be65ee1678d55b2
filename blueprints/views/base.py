"""Admin view classes: how a declared resource looks on the staff screens.

A declaration (services/<feature>/declarations.py) is the API data contract; its admin view
says how staff see it: labels, list columns and filters, detail fields, form choices and
help, and screen-only columns (a price as "Rp 150.000", a status badge). Every attribute has
a default derived from the declaration, so a resource without a view still gets screens."""
from dataclasses import dataclass
from typing import Callable

from markupsafe import Markup

from services.engine import REGISTRY, core, get_resource
from services.errors import Forbidden
from services.engine.gallery import gallery_for

from ..cells import plain_html

YES_NO = [("1", "Ya"), ("0", "Tidak")]
SCREEN_VERBS = {"create": "tambah", "update": "ubah", "delete": "hapus"}


@dataclass(frozen=True)
class Column:
    """A field of the screens that the API does not have, or shows differently.

    `value(obj)` is the value shown (default: the declaration's output of that name), `cell(obj)`
    the markup of a list cell (escaped with Markup.format), `sort` the SQL expression a list
    sorts it by (a callable returning one, or None for not sortable). `template` names a
    template that draws the cell instead (it sees `obj`, `view` and the list's context, such
    as what `list_context` adds); `css` holds classes of the column's header and cells;
    `hide_label` keeps the header for screen readers only (a thumbnail column)."""

    label: str = ""
    value: Callable | None = None
    cell: Callable | None = None
    sort: object = None
    template: str = ""
    css: str = ""
    hide_label: bool = False


PLAIN = Column()


class AdminView:
    """The screen settings of one resource. Subclasses set `resource_name` and what differs."""

    resource_name: str = ""
    label_plural: str = ""  # defaults to the declaration's label
    list_columns: tuple = ()  # defaults to the first six "Table Specs" columns
    detail_fields: tuple = ()  # defaults to the declaration's outputs
    list_filters: tuple = ()  # filter names offered as selects on the list screen
    default_sort: str = ""  # list column sorted by when none is asked
    period_column: Callable | None = None  # () -> the date(time) column the list narrows
    #                                        to clinic days by ?dari=&sampai= (dd/mm/yyyy)
    period_label: str = "Tanggal"  # what that column is, on the list's "Periode" chip
    labels: dict = {}  # field -> label in Bahasa Indonesia
    columns: dict = {}  # field -> Column, for screen-only fields
    choices: dict = {}  # field -> [(value, label)] or a callable returning it
    form_help: dict = {}  # field -> help under the form input
    form_required: dict = {}  # input -> message: required on the screens though the API
    #                           may leave it out (a user's roles on the admin form)
    not_on_screens: tuple = ()  # actions the screens never offer ("create", "update",
    #                              "delete"), whatever the API allows (the audit log)
    assets: tuple = ()  # static files (css/…, js/…) the resource's pages load
    form_class: str = ""  # classes of the form card (a two-column layout, say)
    form_addon: str = ""  # a template shown above the form's fields (a live check, say)
    form_sections: tuple = ()  # the form in sections: (title, (field, …)) or (title, (field,
    #                            …), True) for one folded away in a <details>; fields no
    #                            section names come last, unsectioned

    def __init__(self, resource=None):
        self.resource = resource or get_resource(self.resource_name)
        self.name = self.resource.name
        self.label = self.resource.label or self.name
        self.label_plural = self.label_plural or self.label
        self.list_columns = self.list_columns or self.resource.table_columns[:6]
        self.detail_fields = self.detail_fields or self.resource.outputs

    # ---- what staff may do here ---------------------------------------------------------------
    def permits(self, actor, action: str) -> bool:
        """True when the screens offer `action` to this actor on every row."""
        return action not in self.not_on_screens and core.allowed(self.resource, actor, action)

    def permits_object(self, actor, action: str, obj) -> bool:
        """True when the screens offer `action` on this object and the engine would allow it."""
        return action not in self.not_on_screens and core.may(self.resource, actor, action, obj)

    def refuse_unoffered(self, action: str):
        """Refuse (403) an action the screens do not offer (the engine checks the rest)."""
        if action in self.not_on_screens:
            raise Forbidden(f"{self.label_plural} tidak dapat di{SCREEN_VERBS[action]} "
                            "dari layar ini.")

    # ---- what the templates read ------------------------------------------------------------
    def column(self, name: str) -> Column:
        """The screen settings of a field (a plain Column when the view declares none)."""
        return self.columns.get(name, PLAIN)

    def label_for(self, name: str) -> str:
        """The Indonesian label of a field."""
        return self.column(name).label or self.labels.get(
            name, name.replace("_", " ").capitalize())

    def display(self, obj, name):
        """The value of a field as the screens show it (before the `show` filter)."""
        column = self.column(name)
        return column.value(obj) if column.value is not None else self.resource.raw(obj, name)

    def cell(self, obj, name):
        """Markup of a list cell (a chip, a badge, a thumbnail), or None for the plain value."""
        column = self.column(name)
        return column.cell(obj) if column.cell is not None else None

    def rich_text(self, obj, name) -> Markup:
        """A stored rich-text field as the screens show it: its formatting tags, no styles."""
        return Markup(plain_html(self.resource.raw(obj, name)))

    def sort_expression(self, name: str):
        """The SQL expression a list sorts this column by, or None when it cannot be sorted."""
        column = self.column(name)
        if column.sort is None and column.value is None:
            return self.resource.column_expr(name)  # a field of the declaration
        return column.sort() if callable(column.sort) else column.sort

    def sortable(self, name: str) -> bool:
        """True when the list can be sorted by this column."""
        return self.sort_expression(name) is not None

    def choices_for(self, name: str):
        """Choices of a form input or list filter, or None."""
        choice = self.choices.get(name)
        return choice() if callable(choice) else choice

    def filter_choices(self, name: str):
        """Choices of a list filter (Ya/Tidak when the view names none)."""
        choices = self.choices_for(name)
        return YES_NO if choices is None else choices

    def help_for(self, name: str) -> str:
        """Help text under a form input."""
        return self.form_help.get(name, "")

    def form_groups(self, fields: list) -> list[dict]:
        """The form's fields (form_fields' descriptions) in the view's sections, in order:
        [{"title", "folded", "fields"}]; a section without fields this form shows is left
        out, and fields no section names come last under no title."""
        by_name = {spec["name"]: spec for spec in fields}
        groups, placed = [], set()
        for section in self.form_sections:
            title, names, folded = (*section, False)[:3]
            chosen = [by_name[name] for name in names if name in by_name and name not in placed]
            placed.update(spec["name"] for spec in chosen)
            if chosen:
                groups.append({"title": title, "folded": bool(folded), "fields": chosen})
        rest = [spec for spec in fields if spec["name"] not in placed]
        if rest:
            groups.append({"title": "", "folded": False, "fields": rest})
        return groups

    def new_form_values(self, actor) -> dict:
        """The values a new object's form starts with (none by default; a date of today,
        say)."""
        return {}

    def creation_warning(self, payload: dict, actor) -> Markup | None:
        """A reason to confirm before a new object is saved from the form (a probable
        duplicate, say), or None to save it at once. The form comes back with it and a
        "Tetap simpan" checkbox; saving with the box ticked asks no more. None by default."""
        return None

    def form_values(self, obj) -> dict:
        """Current values of an object for its edit form: its input columns, plus what
        `extra_form_values` adds (inputs that are not columns, such as a list of roles)."""
        values = {name: getattr(obj, name, None) for name in self.resource.inputs}
        for name in self.html_inputs:  # rich text without inline styles (the editor keeps tags)
            if values.get(name):
                values[name] = plain_html(values[name])
        values.update(self.extra_form_values(obj))
        return values

    def extra_form_values(self, obj) -> dict:
        """Edit-form values of inputs that are not columns of the object (none by default)."""
        return {}

    def detail_context(self, obj, actor) -> dict:
        """What the resource's own detail template needs beyond the object (a doctor's week,
        a patient's chart); nothing by default."""
        return {}

    def list_context(self, rows, actor) -> dict:
        """What the list's cell templates need beyond the rows of the page (counts read in
        one query, say); nothing by default."""
        return {}

    # ---- the declaration's own facts, for the templates -------------------------------------
    def describe(self, obj) -> str:
        """A short human name of the object."""
        return self.resource.describe(obj)

    def picture_columns(self) -> dict:
        """Columns that hold an uploaded picture: column -> upload kind."""
        return self.resource.picture_columns()

    @property
    def gallery(self):
        """The picture gallery declared for this resource (its GalleryResource), or None."""
        return gallery_for(self.name)

    @property
    def html_inputs(self) -> tuple:
        """Rich-text fields (shown as sanitized HTML)."""
        return self.resource.html_inputs


VIEWS: dict[str, AdminView] = {}


def admin_view(cls):
    """Class decorator: the screens of `cls.resource_name` use this view."""
    VIEWS[cls.resource_name] = cls()
    return cls


def view_for(resource_or_name) -> AdminView:
    """The admin view of a resource (a default one derived from the declaration when the
    resource declares none)."""
    name = resource_or_name if isinstance(resource_or_name, str) else resource_or_name.name
    view = VIEWS.get(name)
    if view is None:
        view = VIEWS[name] = AdminView(REGISTRY[name])
    return view


__all__ = ["AdminView", "Column", "Markup", "VIEWS", "admin_view", "view_for"]
