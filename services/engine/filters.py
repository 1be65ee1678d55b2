"""Filters of the documented search parameters, and the helpers lists search and sort with:
equality, substring (of the whole text, or of each of its words in any order), custom
conditions, ids within the column range, related columns."""
from dataclasses import dataclass

from sqlalchemy import and_, false, func, or_, select

INT_MAX = 2_147_483_647  # the INT column range on MariaDB; larger numbers are refused, not sent


def escape_like(text: str) -> str:
    """Escape LIKE wildcards in user text."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


LOWER_CASE = "lower_case"  # Column.info key: the column holds lower-case text only
SEARCH_TEXT_MAX = 200  # characters of a text looked for (SQLite refuses a LIKE pattern past
#                        50,000 with an error; nobody types 200)


class TextTooLong(ValueError):
    """A text looked for that is longer than SEARCH_TEXT_MAX characters."""

    def __init__(self):
        super().__init__(f"Teks pencarian paling panjang {SEARCH_TEXT_MAX} karakter.")


def contains(expression, text):
    """Case-insensitive substring match, the same on SQLite and MariaDB. A column declared
    lower case (info={LOWER_CASE: True}, e.g. a search text the model keeps) is compared
    as it is: no lower() of every row it is searched in. A text past SEARCH_TEXT_MAX
    characters is refused (TextTooLong, a ValueError: a filter's 422)."""
    text = str(text)
    if len(text) > SEARCH_TEXT_MAX:
        raise TextTooLong()
    lowered = (getattr(expression, "info", None) or {}).get(LOWER_CASE)
    return (expression if lowered else func.lower(expression)).like(
        f"%{escape_like(text.lower())}%", escape="\\")


SEARCH_WORDS_MAX = 8  # words of a searched text that count; the rest are ignored


def search_words(text) -> list[str]:
    """The words of a searched text (split on white space), at most SEARCH_WORDS_MAX."""
    return str(text).split()[:SEARCH_WORDS_MAX]


def matches_text(expressions, text, words: bool = False):
    """Condition: one of `expressions` contains the text (any case); with `words`, each word
    of the text is contained in one of them, in any order ("ambar rita" finds "Rita Ambar").
    None when there is nothing to search for."""
    expressions = [expression for expression in expressions if expression is not None]
    parts = search_words(text) if words else ([str(text)] if str(text).strip() else [])
    if not parts or not expressions:
        return None
    return and_(*[or_(*[contains(expression, part) for expression in expressions])
                  for part in parts])


@dataclass
class Filter:
    """A documented search parameter: equality (a list means any of), substring, or custom.
    A substring filter may name more `columns` (any of them matches) and match `words`: each
    word of the value in any of them, in any order."""

    column: object = None
    op: str = "eq"
    apply: object = None  # callable(stmt, value) -> stmt, for custom filters
    kind: type = None  # python type used to coerce the value; taken from the column
    columns: tuple = ()  # like: further columns searched beside `column`
    words: bool = False  # like: each word of the value matches, in any order

    def coerce(self, name, value):
        """Turn the given value into the column's type, or raise ValueError."""
        kind = self.kind
        if kind is None and self.column is not None:
            try:
                kind = self.column.type.python_type
            except (AttributeError, NotImplementedError):
                kind = str
        if kind is bool:
            if isinstance(value, str):
                if value.strip().lower() in {"1", "true", "yes"}:
                    return True
                if value.strip().lower() in {"0", "false", "no"}:
                    return False
                raise ValueError(name)
            if isinstance(value, (bool, int, float)) and value in (0, 1):
                return bool(value)
            raise ValueError(name)
        if kind is int:
            if isinstance(value, bool):
                raise ValueError(name)
            number = int(str(value).strip())
            if abs(number) > INT_MAX:
                raise ValueError(name)
            return number
        return str(value)

    def __call__(self, stmt, name, value):
        """Add this filter's condition for `value` to `stmt`."""
        if self.apply is not None:
            return self.apply(stmt, value)
        if self.op == "like":
            condition = matches_text((self.column, *self.columns), value, self.words)
            return stmt if condition is None else stmt.where(condition)
        if isinstance(value, list):
            values = [self.coerce(name, item) for item in value]
            return stmt.where(self.column.in_(values)) if values else stmt.where(false())
        return stmt.where(self.column == self.coerce(name, value))


def ids_in(value) -> list[int]:
    """One id or a list of ids from a filter value (each 1 … INT_MAX); ValueError otherwise."""
    result = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, bool):
            raise ValueError(item)
        number = int(str(item).strip())
        if not 1 <= number <= INT_MAX:
            raise ValueError(item)
        result.append(number)
    return result


def id_filter(column):
    """Equality on an id column (a list matches any of); out-of-range ids are invalid."""
    return custom(lambda stmt, value: stmt.where(column.in_(ids_in(value))))


def eq(column, kind=None):
    """Equality filter on a column (a list value matches any of)."""
    return Filter(column=column, op="eq", kind=kind)


def like(column, *columns, words: bool = False):
    """Case-insensitive substring filter on a column (or any of several); with `words`, each
    word of the value must be found, in any order."""
    return Filter(column=column, op="like", columns=columns, words=words)


def custom(apply):
    """Filter with its own condition: apply(stmt, value) -> stmt."""
    return Filter(apply=apply)


def related_column(column, owner, link):
    """A column of the row `link` joins to a row of `owner`, as a correlated subquery made when
    called: a table_exprs entry (or a screen's sort) for a value that lives in another table."""
    def expression():
        return select(column).where(link).correlate(owner).scalar_subquery()
    return expression
