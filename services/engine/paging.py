"""Paging a resource's rows: one page picked through an index ("late row lookup"), the count
of the rows, and the page numbers an explore answer links to."""
import math
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.sql import operators

from models import db
from services.errors import Invalid

from .counts import scalar_count
from .filters import INT_MAX
from .resource import Resource


def _int_param(value, default, name):
    if value in (None, ""):
        return default
    try:
        number = int(str(value).strip())
    except ValueError as exc:
        raise Invalid(fields={name: "Harus berupa angka."}) from exc
    if abs(number) > INT_MAX:
        raise Invalid(fields={name: "Angka terlalu besar."})
    return number


def page_params(page, length):
    """Page and length from the query string, with the hard cap on length."""
    page = max(_int_param(page, 1, "page"), 1)
    length = _int_param(length, 10, "length")
    cap = current_app.config["PAGE_LENGTH_MAX"]
    length = cap if length <= 0 else min(length, cap)
    return page, length


def _count(resource: Resource, stmt):
    """How many rows the statement selects, counted on their ids only (so an index that holds
    the filtered columns answers it without reading the rows), remembered for a few seconds
    until a write to one of its tables (counts.py)."""
    ids = stmt.with_only_columns(resource.model.id).order_by(None)
    return scalar_count(db.session, select(func.count()).select_from(ids.subquery()),
                        current_app.config["COUNT_CACHE_SECONDS"])


def _rows(resource: Resource, stmt, options=None):
    """The rows of the statement with `options` loaded beside them (default: eager)."""
    options = resource.eager if options is None else options
    return db.session.execute(stmt.options(*options)).scalars().unique().all()


def _with_id_last(resource: Resource, ordering) -> list:
    """The ordering, ending with the id when it does not already: a total order, so a page
    holds the same rows however the database reaches them."""
    ordering = list(ordering)
    identity = resource.model.id
    for term in ordering:
        element = getattr(term, "element", term)
        if element is identity or (hasattr(element, "compare") and element.compare(
                identity.expression)):
            return ordering
    return [*ordering, identity.asc()]


def _reverse(term):
    """An ORDER BY term turned the other way (NULLs are the smallest value on SQLite and
    MariaDB alike, so the reverse order is exactly the order read backwards)."""
    modifier = getattr(term, "modifier", None)
    if modifier is operators.desc_op:
        return term.element.asc()
    if modifier is operators.asc_op:
        return term.element.desc()
    return term.desc()


def _page_rows(resource: Resource, stmt, ordering, offset: int, limit: int,
               total: int | None = None, options=None):
    """One page of rows by "late row lookup": the page's ids are picked first, ordered and
    skipped through an index alone (no row is read for the rows skipped over), then only
    those rows are loaded — one statement. With `total` (the count of `stmt`), a page in the
    second half is counted from the end, in the reverse order: the last pages cost what the
    first ones cost, and no page skips more than half of the rows. The rows and their order
    are always those of OFFSET paging on the same ordering (the id breaks ties). `options`
    as in _rows."""
    model = resource.model
    ordering = _with_id_last(resource, ordering)
    picking, skip, take = ordering, offset, limit
    if total is not None and total // 2 < offset < total:
        take = min(limit, total - offset)
        picking, skip = [_reverse(term) for term in ordering], total - offset - take
    ids = (stmt.with_only_columns(model.id).order_by(*picking).offset(skip).limit(take)
           .subquery("page_ids"))
    page = select(model).join(ids, model.id == ids.c.id).order_by(*ordering)
    return _rows(resource, page, options)


@dataclass
class Page:
    """One page of a list: its rows and where it stands among all the rows."""

    rows: list
    page: int
    length: int
    total: int

    @property
    def total_pages(self) -> int:
        """How many pages the rows fill."""
        return math.ceil(self.total / self.length) if self.total else 0

    @property
    def anchors(self) -> list[int]:
        """The page numbers an explore answer links to (its `anchor`): the first, the last and
        ANCHOR_AROUND pages either side of this one, ascending — a bounded window, however
        many pages there are (every page when there are few)."""
        return anchor_pages(self.page, self.total_pages)


ANCHOR_AROUND = 2  # pages either side of the current one in an explore answer's `anchor`


def anchor_pages(page: int, total_pages: int, around: int = ANCHOR_AROUND) -> list[int]:
    """First, last and `page` ± `around` (those that exist), ascending, once each."""
    if total_pages <= 0:
        return []
    wanted = {1, total_pages, *range(page - around, page + around + 1)}
    return sorted(number for number in wanted if 1 <= number <= total_pages)


__all__ = ["ANCHOR_AROUND", "Page", "anchor_pages", "page_params"]
