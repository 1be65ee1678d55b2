"""The declaration of a resource: one class per entity drives both faces."""
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from marshmallow import EXCLUDE, Schema
from sqlalchemy import ColumnElement, false, inspect
from sqlalchemy.orm import InstrumentedAttribute

from .fields import Text, field_for_column

PUBLIC = "public"
SIGNED_IN = "signed_in"
OWN = "own"  # in output_roles: the object's own user sees the output too (see Resource.shows)
ACTIONS = ("read", "create", "update", "delete")
ENDPOINTS = ("create", "explore", "search", "table", "get", "update", "delete")


def _datetime_text(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S")


def _time_text(value: time) -> str:
    return value.strftime("%H:%M:%S")


def _money(value: Decimal):
    return int(value) if value == value.to_integral_value() else float(value)


# exact type -> how the API writes it (a dict lookup per value instead of a chain of
# isinstance checks: answers of a few hundred rows format thousands of values)
_FORMATS = {bool: int, datetime: _datetime_text, date: date.isoformat, time: _time_text,
            Decimal: _money}
_AS_IS = frozenset({str, int, float, type(None), list, dict})


def format_value(value):
    """A Python value as the API writes it (dates ISO, flags 0/1, money integer)."""
    kind = type(value)
    if kind in _AS_IS:
        return value
    formatter = _FORMATS.get(kind)
    if formatter is not None:
        return formatter(value)
    if isinstance(value, bool):  # subclasses, checked in the order the types nest
        return int(value)
    if isinstance(value, datetime):
        return _datetime_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return _time_text(value)
    if isinstance(value, Decimal):
        return _money(value)
    return value


@dataclass
class Upload:
    """How a resource takes a picture: the column, the folder and the documented route style."""

    column: str
    kind: str
    style: str = "uploads"  # "uploads": <res>/{?}/uploads ; "picture": <res>/picture/upload
    owner_field: str = "id"  # form field that names the owner, for the "picture" style
    required: bool = True  # for file_inputs: a create must send the picture


class Resource:
    """Base declaration. Subclasses set the class attributes and override hooks as needed."""

    name: str = ""
    model = None
    label: str = ""  # singular, Bahasa Indonesia (the API's messages name the object with it)
    envelopes: dict = {}  # action -> key, where the document answers under another key
    search_paginated = False  # the document answers search with the explore envelope

    inputs: tuple = ()  # column names accepted on create and update
    required: tuple = ()  # required on create
    html_inputs: tuple = ()  # rich-text columns, sanitized
    money_inputs: tuple = ()  # whole-rupiah columns: typed as 160000, 160.000 or Rp 160.000
    phone_inputs: tuple = ()  # phone-number columns (Indonesian numbers, 8–15 digits)
    birth_date_inputs: tuple = ()  # dates of birth: never in the future
    extra_inputs: dict = {}  # name -> marshmallow field, for inputs that are not columns
    input_roles: dict = {}  # input name -> roles allowed to set it
    create_only: tuple = ()  # inputs accepted on create only
    unique: tuple = ()  # columns unique regardless of case

    outputs: tuple = ()  # detail view (get, create, update)
    list_outputs: tuple | None = None  # explore and search rows; defaults to outputs
    output_roles: dict = {}  # output -> roles that see it, OWN for the object's own user
    #                          (others never get the key, nested or not)
    nested: dict = {}  # output -> (resource, attribute): that related entity's brief shape
    brief_fields: tuple = ()  # the entity as nested inside other answers: names, or
    #                           (key, output) pairs where the nested key means another output
    filters: dict = {}
    table_columns: tuple = ()  # "Table Specs", in index order
    table_exprs: dict = {}  # column name -> SQL expression (None: not sortable/searchable)
    search_columns: tuple = ()  # columns a table/list text search looks in (default: all of
    #                             table_columns)
    search_words: bool = False  # text search: each word matches (any column), in any order
    search_hints: dict = {}  # dialect name -> table hint of a statement searched by text
    #                          (e.g. MariaDB's IGNORE INDEX for an index it prefers wrongly)
    order_by: tuple = ()
    eager: tuple = ()  # loader options, so lists run a fixed number of queries
    # the API's lists (explore, search, table) load with these instead of `eager` when set:
    # the same rows with only the columns the list's outputs read (load_only), where `get`
    # nests whole objects; get and the admin screens keep `eager` (list_loading)
    list_eager: tuple | None = None

    endpoints: tuple = ENDPOINTS  # the generated API endpoints the document lists
    rate_limits: dict = {}  # action -> config key of its per-client rate (office exempt)
    file_inputs: dict = {}  # multipart field -> Upload (create and update take a picture)
    access = {"read": SIGNED_IN, "create": frozenset(), "update": frozenset(), "delete": frozenset()}
    own_actions: frozenset = frozenset()  # actions a signed-in user may do on their own rows
    upload: Upload | None = None

    # ---- declarations derived once -------------------------------------------------
    def __init__(self):
        self._schemas = {}

    @property
    def soft_delete(self) -> bool:
        """Rows are marked deleted rather than removed."""
        return hasattr(self.model, "deleted_at")

    def envelope(self, action: str) -> str:
        """The key the document answers under for this action."""
        return self.envelopes.get(action, self.name)

    def columns(self):
        """The model's table columns by name."""
        return {column.key: column for column in inspect(self.model).columns}

    def input_fields(self, creating: bool):
        """Marshmallow fields for create (required enforced) or update (all optional)."""
        columns = self.columns()
        result = {}
        for name in self.inputs:
            if not creating and name in self.create_only:
                continue
            result[name] = field_for_column(
                columns[name], required=creating and name in self.required,
                html=name in self.html_inputs, kind_of_value=self.kind_of_value(name),
            )
        for name, field in self.extra_inputs.items():
            if not creating and name in self.create_only:
                continue
            result[name] = field
        return result

    def kind_of_value(self, name: str) -> str | None:
        """What an input column holds beyond its SQL type: "money", "phone", "birth_date"."""
        for kind, names in (("money", self.money_inputs), ("phone", self.phone_inputs),
                            ("birth_date", self.birth_date_inputs)):
            if name in names:
                return kind
        return None

    def schema(self, creating: bool) -> Schema:
        """The input schema (unknown fields are ignored)."""
        key = "create" if creating else "update"
        if key not in self._schemas:
            schema_class = Schema.from_dict(self.input_fields(creating), name=f"{self.name}_{key}")
            self._schemas[key] = schema_class(unknown=EXCLUDE, partial=not creating)
        return self._schemas[key]

    def foreign_keys(self):
        """Input columns that point at another table: name -> referenced model."""
        result = {}
        mapper_registry = self.model.registry
        for name in self.inputs:
            column = self.columns().get(name)
            if column is None:
                continue
            for fk in column.foreign_keys:
                for mapper in mapper_registry.mappers:
                    if mapper.local_table is fk.column.table:
                        result[name] = mapper.class_
        return result

    # ---- queries ------------------------------------------------------------------
    def column_expr(self, name):
        """The SQL expression behind an output or table column, or None."""
        if name in self.table_exprs:
            expression = self.table_exprs[name]
            return expression() if callable(expression) and not isinstance(
                expression, (ColumnElement, InstrumentedAttribute)) else expression
        attribute = getattr(self.model, name, None)
        if isinstance(attribute, InstrumentedAttribute) and name in self.columns():
            return attribute
        return None

    def list_loading(self) -> tuple:
        """The loader options of the API's lists: list_eager, else eager."""
        return self.eager if self.list_eager is None else self.list_eager

    def search_expressions(self) -> list:
        """The SQL expressions a table or list text search looks in (search_columns, else
        every "Table Specs" column that has one)."""
        names = self.search_columns or self.table_columns
        return [expression for expression in map(self.column_expr, names)
                if expression is not None]

    def text_searched(self, stmt):
        """A statement narrowed by a text search, with the declared search_hints (each
        rendered on its dialect only)."""
        for dialect, hint in self.search_hints.items():
            stmt = stmt.with_hint(self.model, hint, dialect_name=dialect)
        return stmt

    def default_order(self):
        """Ordering of explore, search and table when none is asked."""
        return self.order_by or (self.model.id.asc(),)

    def after_read(self, rows, actor, action: str):
        """Called with the rows an actor just read (explore, search, table, get): e.g. to
        queue who read which medical records for the audit log (services/audit.queue_entries:
        written off the read path)."""

    def visible_rows(self, stmt, actor):
        """Restrict every query of this resource to the rows this actor may reach at all
        (e.g. hidden stores for the public); applied before own_rows and filters."""
        return stmt

    def own_rows(self, stmt, actor):
        """Restrict a query to the rows that belong to `actor` (for own_actions)."""
        return stmt.where(false())

    def is_own(self, actor, obj) -> bool:
        """True when `obj` belongs to `actor`."""
        return False

    # ---- hooks --------------------------------------------------------------------
    def validate(self, data: dict, actor, obj=None) -> dict:
        """Cross-field rules; raise Invalid. Returns the data to apply."""
        return data

    def apply(self, obj, data: dict, actor):
        """Copy validated column inputs onto the object."""
        columns = self.columns()
        for name, value in data.items():
            if name in columns and name in self.inputs:
                setattr(obj, name, value)

    def reader_of_created(self, obj, actor):
        """Who the create answer is written for (the creator; see Users for registration)."""
        return actor

    def after_save(self, obj, data: dict, actor, created: bool):
        """Write related rows after the object has an id."""

    def check_change(self, obj, actor):
        """Refuse any change (update, upload, delete) of this object by this actor; raise."""

    def before_delete(self, obj, actor):
        """Refuse or prepare a deletion; raise Conflict to refuse."""

    def picture_columns(self) -> dict:
        """Columns that hold an uploaded picture: column -> upload kind."""
        specs = list(self.file_inputs.values()) + ([self.upload] if self.upload else [])
        return {spec.column: spec.kind for spec in specs}

    def files_of(self, obj):
        """Stored files of an object, as (kind, name): removed after a hard delete."""
        specs = list(self.file_inputs.values()) + ([self.upload] if self.upload else [])
        return [(spec.kind, getattr(obj, spec.column)) for spec in specs
                if getattr(obj, spec.column, None)]

    def search_answer(self, rows, actor, body: dict) -> dict:
        """The search answer from the rows (override for grouped or sorted shapes)."""
        return {self.envelope("search"): [self.serialize(row, actor, "list") for row in rows]}

    def describe(self, obj) -> str:
        """A short human name of the object, for logs and screens."""
        for name in ("name", "title", "username", "type"):
            if hasattr(obj, name):
                return str(getattr(obj, name))
        return f"#{obj.id}"

    # ---- output -------------------------------------------------------------------
    def raw(self, obj, name):
        """One value before formatting: `out_<name>` when declared, else the attribute."""
        return self._getter(name)(obj)

    def _getter(self, name):
        """How to read the output `name` of an object (found once per resource and name)."""
        getters = self.__dict__.get("_getters")
        if getters is None:
            getters = self.__dict__["_getters"] = {}
        getter = getters.get(name)
        if getter is None:
            method = getattr(self, f"out_{name}", None)
            getter = getters[name] = method if method else _attribute(name)
        return getter

    def value(self, obj, name):
        """One output value as the API writes it."""
        return format_value(self.raw(obj, name))

    def shows(self, name, actor, obj=None) -> bool:
        """True when this actor may see the output `name` of `obj`: an output limited by
        `output_roles` shows to those roles, and to the object's own user where OWN is named."""
        roles = self.output_roles.get(name)
        if roles is None:
            return True
        if actor is None:
            return False
        if actor.role_codes & set(roles):
            return True
        return OWN in roles and obj is not None and self.is_own(actor, obj)

    def outputs_for(self, actor, view: str, obj=None):
        """Field names shown to this actor in this view ("list" or "detail") of `obj`."""
        names = self.list_outputs if view == "list" and self.list_outputs is not None \
            else self.outputs
        if not self.output_roles:
            return names
        return tuple(name for name in names if self.shows(name, actor, obj))

    def brief(self, obj, actor=None) -> dict | None:
        """The entity as other answers nest it (`brief_fields`, hiding what output_roles
        keeps from this actor); None for no object. One shape per entity, reused everywhere."""
        if obj is None:
            return None
        return {key: self.output(obj, output, actor)
                for key, output in self._brief(actor, obj)}

    def brief_keys(self, actor=None) -> list[str]:
        """The keys of the brief shape this actor sees of an object not their own."""
        return [key for key, _output in self._brief(actor, None)]

    def _brief(self, actor, obj):
        for entry in self.brief_fields:
            key, output = entry if isinstance(entry, tuple) else (entry, entry)
            if self.shows(output, actor, obj):
                yield key, output

    def output(self, obj, name, actor):
        """One output for this actor: a `nested` entity's brief shape, else value()."""
        if name in self.nested:
            resource_name, attribute = self.nested[name]
            return REGISTRY[resource_name].brief(getattr(obj, attribute), actor)
        return self.value(obj, name)

    def serialize(self, obj, actor, view: str = "detail") -> dict:
        """The object as the API answers it."""
        names = self.outputs_for(actor, view, obj)
        if not self._plain_outputs():
            return {name: self.output(obj, name, actor) for name in names}
        nested, getter = self.nested, self._getter
        return {name: self.output(obj, name, actor) if name in nested
                else format_value(getter(name)(obj)) for name in names}

    def _plain_outputs(self) -> bool:
        """True when output, value and raw are this class's own (a declaration overriding
        one of them is always asked through it)."""
        plain = self.__dict__.get("_plain")
        if plain is None:
            kind = type(self)
            plain = self.__dict__["_plain"] = (kind.output is Resource.output
                                               and kind.value is Resource.value
                                               and kind.raw is Resource.raw)
        return plain

    def table_value(self, obj, name):
        """A cell of the DataTables answer (lists become comma-separated text)."""
        value = self.value(obj, name)
        if isinstance(value, list):
            return ", ".join(str(item) for item in value)
        return value


def _attribute(name):
    """Read the attribute `name` of an object, None when it has none."""
    def read(obj):
        return getattr(obj, name, None)
    return read


REGISTRY: dict[str, Resource] = {}


def register(cls):
    """Class decorator: register one instance of a declaration."""
    REGISTRY[cls.name] = cls()
    return cls


def get_resource(name: str) -> Resource:
    """The registered declaration for a resource name."""
    return REGISTRY[name]


__all__ = ["PUBLIC", "SIGNED_IN", "OWN", "Resource", "Text", "Upload", "REGISTRY", "register",
           "get_resource", "format_value"]
