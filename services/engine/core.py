"""The engine core: access checks and reading (explore, search, table, load, get) for any
resource (the writes are in writing.py, paging in paging.py)."""

from flask import current_app
from marshmallow import ValidationError
from sqlalchemy import select

from models import db
from services.errors import (
    BadRequest,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    Unauthorized,
)

from .filters import INT_MAX, TextTooLong, matches_text
from .paging import Page, _count, _int_param, _page_rows, _rows, page_params
from .resource import PUBLIC, SIGNED_IN, Resource


# ---- access ---------------------------------------------------------------------------
def allowed(resource: Resource, actor, action: str) -> bool:
    """True when the actor may do `action` on every row of the resource."""
    rule = resource.access.get(action, frozenset())
    if rule == PUBLIC:
        return True
    if actor is None:
        return False
    if rule == SIGNED_IN:
        return True
    return bool(actor.role_codes & set(rule))


def may_own(resource: Resource, actor, action: str) -> bool:
    """True when the actor may do `action` on their own rows."""
    return actor is not None and action in resource.own_actions


def require(resource: Resource, actor, action: str):
    """Raise 401/403 unless the actor may do `action` on some rows. Returns 'all' or 'own'."""
    if allowed(resource, actor, action):
        return "all"
    if may_own(resource, actor, action):
        return "own"
    if actor is None:
        raise Unauthorized()
    raise Forbidden()


def base_query(resource: Resource, actor, action: str = "read"):
    """SELECT of the rows the actor may reach for `action`, without deleted rows."""
    reach = require(resource, actor, action)
    stmt = select(resource.model)
    if resource.soft_delete:
        stmt = stmt.where(resource.model.deleted_at.is_(None))
    stmt = resource.visible_rows(stmt, actor)
    if reach == "own":
        stmt = resource.own_rows(stmt, actor)
    return stmt


# ---- reading --------------------------------------------------------------------------
def apply_filters(resource: Resource, stmt, body: dict):
    """Apply the documented filters present in the body; others are ignored."""
    if not isinstance(body, dict):
        raise BadRequest("Isi permintaan harus berupa objek JSON.")
    problems = {}
    for name, flt in resource.filters.items():
        value = body.get(name)
        if value is None or (isinstance(value, str) and value.strip() == ""):
            continue
        try:
            stmt = flt(stmt, name, value)
        except TextTooLong as exc:
            problems[name] = str(exc)
        except (ValueError, TypeError, OverflowError, ValidationError):
            problems[name] = "Nilai filter tidak valid."
    if problems:
        raise Invalid(fields=problems)
    return stmt


def explore(resource: Resource, actor, body: dict, page=None, length=None) -> Page:
    """One page of the rows the actor reaches that match the documented filters."""
    page, length = page_params(page, length)
    stmt = apply_filters(resource, base_query(resource, actor), body or {})
    total = _count(resource, stmt)
    rows = _page_rows(resource, stmt, resource.default_order(), (page - 1) * length, length,
                      total, resource.list_loading())
    resource.after_read(rows, actor, "explore")
    return Page(rows=rows, page=page, length=length, total=total)


def search(resource: Resource, actor, body: dict) -> list:
    """The rows matching the documented filters, unpaginated (capped at SEARCH_ROWS_MAX)."""
    stmt = apply_filters(resource, base_query(resource, actor), body or {})
    limit = current_app.config["SEARCH_ROWS_MAX"]
    if isinstance(body, dict) and body.get("limit") not in (None, ""):
        limit = min(max(_int_param(body.get("limit"), limit, "limit"), 1), limit)
    rows = _rows(resource, stmt.order_by(*resource.default_order()).limit(limit),
                 resource.list_loading())
    resource.after_read(rows, actor, "search")
    return rows


def find(resource: Resource, actor, filters: dict, text: str = "", order_by=None,
         descending: bool = False, offset: int = 0, limit: int = 10, scope=None, order=None,
         count=None, options=None):
    """Rows for a list screen or table: (total, filtered, rows), in a fixed number of queries.
    `text` matches any of the resource's search columns (each word of it, when the resource
    searches words); `order_by` is an SQL expression sorted first; `scope` (stmt -> stmt)
    narrows every count and row (e.g. the upcoming rows of a dashboard); `order` replaces the
    resource's default ordering; `count` (no argument) answers how many rows the scope holds
    when something cheaper than counting them knows (the report rollups); `options` loads
    beside the rows instead of the resource's eager (the API's table: list_loading)."""
    base = base_query(resource, actor)
    if scope is not None:
        base = scope(base)
    total = count() if count is not None else _count(resource, base)
    stmt = apply_filters(resource, base, filters)
    condition = matches_text(resource.search_expressions(), text, resource.search_words) \
        if text else None
    if condition is not None:
        stmt = resource.text_searched(stmt.where(condition))
    filtered = _count(resource, stmt) if (text or stmt is not base) else total
    ordering = list(order if order is not None else resource.default_order())
    if order_by is not None:
        ordering = [order_by.desc() if descending else order_by.asc(), *ordering]
    rows = _page_rows(resource, stmt, ordering, offset, limit, filtered, options)
    resource.after_read(rows, actor, "list")
    return total, filtered, rows


def table(resource: Resource, actor, params, columns=None, scope=None, order=None,
          count=None) -> dict:
    """The DataTables server-side answer: positional rows in "Table Specs" order (`columns`
    when another endpoint's specs list the resource's rows; `scope`, `order` and `count` as
    in find)."""
    columns = columns or resource.table_columns
    draw = _int_param(params.get("draw"), 0, "draw")
    start = max(_int_param(params.get("start"), 0, "start"), 0)
    length = _int_param(params.get("length"), 10, "length")
    cap = current_app.config["PAGE_LENGTH_MAX"]
    length = cap if length <= 0 else min(length, cap)
    order_by = None
    order_index = params.get("order[0][column]")
    if order_index not in (None, ""):
        index = _int_param(order_index, 0, "order[0][column]")
        if not 0 <= index < len(columns):
            raise Invalid(fields={"order[0][column]": "Kolom tidak dikenal."})
        order_by = resource.column_expr(columns[index])
    text = params.get("search[value]")
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        text = str(text)
    elif text is not None and not isinstance(text, str):
        raise Invalid(fields={"search[value]": "Harus berupa teks."})
    total, filtered, rows = find(
        resource, actor, {name: params.get(name) for name in resource.filters},
        text=(text or "").strip()[:200], order_by=order_by,
        descending=str(params.get("order[0][dir]", "asc")).lower() == "desc",
        offset=start, limit=length, scope=scope, order=order, count=count,
        options=resource.list_loading())
    return {
        "draw": draw,
        "recordsTotal": total,
        "recordsFiltered": filtered,
        "data": [[resource.table_value(row, name) if resource.shows(name, actor, row) else None
                  for name in columns] for row in rows],
    }


def load(resource: Resource, actor, object_id, action: str = "read", options=()):
    """The object with this id among those the actor may reach, or 404 (403 when the actor
    may see it but not do `action`, or the declaration's check_change refuses); `options`
    are loader options of the statement (get: the relations its answer shows)."""
    try:
        object_id = int(str(object_id))
    except ValueError as exc:
        raise NotFound() from exc
    if not 0 < object_id <= INT_MAX:
        raise NotFound(f"{resource.label or resource.name} tidak ditemukan.")
    stmt = base_query(resource, actor, action).where(resource.model.id == object_id)
    obj = db.session.execute(stmt.options(*options)).unique().scalars().first()
    if obj is None:
        if action != "read" and require(resource, actor, action) == "own" \
                and allowed(resource, actor, "read") and db.session.execute(
                    base_query(resource, actor).where(resource.model.id == object_id)).first():
            raise Forbidden()  # they may see it, but not change it
        raise NotFound(f"{resource.label or resource.name} tidak ditemukan.")
    if action != "read":
        resource.check_change(obj, actor)
    return obj


def may(resource: Resource, actor, action: str, obj) -> bool:
    """True when the actor may do `action` on this object (the same checks as `load`), so a
    screen offers only the actions that would succeed."""
    try:
        load(resource, actor, obj.id, action)
    except DomainError:
        return False
    return True


def get(resource: Resource, actor, object_id):
    """The object with this id, read by the actor (after_read sees the read), with the
    relations the declaration's lists load (`eager`) in the same statements."""
    obj = load(resource, actor, object_id, options=resource.eager)
    resource.after_read([obj], actor, "get")
    return obj
