"""How many rows a list holds, remembered for a few seconds: counting 50,000 users or a
million order lines costs more than the page itself (most of a list answer on MariaDB), and
the same count is asked again by every page and every caller of the same list.

A count is remembered under its statement, its values and the "generation" of every table it
reads. Any INSERT, UPDATE, DELETE or DDL this process runs on a table — through any engine,
ORM or not — moves that table's generation on when it runs and again when its transaction
ends, so the next count of a list over that table is counted afresh: this process never
answers a count older than its own writes. Writes made by other processes (other server
workers, the Celery worker) are seen after at most COUNT_CACHE_SECONDS (0 turns the memory
off). A count taken inside a transaction that has written is never remembered: it may hold
rows nobody else sees yet."""
import re
import threading
import time
from collections import OrderedDict

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.sql.elements import TextClause
from sqlalchemy.sql.expression import TableClause
from sqlalchemy.sql.util import find_tables

MAX_ENTRIES = 4096  # counts kept at most (the least recently used go first)
MAX_VALUE_CHARS = 200  # a count whose values hold a longer text is not kept (memory: a body
#                        may carry megabytes of filter text, and 4,096 of them would stay)
_ANY_TABLE = ""  # the generation every key holds: moved by DDL and writes of unknown tables

_lock = threading.Lock()
_generations: dict[str, int] = {}
_entries: OrderedDict = OrderedDict()
_tables: dict = {}  # statement cache key -> the names of the tables it reads

_READS = ("SELECT", "WITH", "PRAGMA", "SHOW", "EXPLAIN", "SET", "SAVEPOINT", "RELEASE",
          "ROLLBACK", "BEGIN", "COMMIT", "DESCRIBE", "ANALYZE", "XA ")
_WRITTEN = re.compile(r"^\s*(?:INSERT(?:\s+OR\s+\w+)?(?:\s+IGNORE)?\s+INTO|REPLACE\s+INTO|"
                      r"UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+[`\"\[]?(\w+)", re.IGNORECASE)


def generation(table: str) -> int:
    """How many times this process has seen `table` written (tests and the bench read it)."""
    return _generations.get(table, 0)


def _move_on(tables):
    with _lock:
        for table in tables:
            _generations[table] = _generations.get(table, 0) + 1


def _written_tables(statement: str, context) -> tuple[str, ...] | None:
    """The table a statement writes ((ANY) for DDL or one it cannot name), None for a read."""
    compiled = getattr(context, "compiled", None)
    if context is not None and context.isddl:
        return (_ANY_TABLE,)
    if compiled is not None and not isinstance(compiled.statement, TextClause):
        if not (context.isinsert or context.isupdate or context.isdelete):
            return None
        table = getattr(compiled.statement, "table", None)
        name = getattr(table, "name", None)
        return (name,) if name else (_ANY_TABLE,)
    head = statement.lstrip()[:10].upper()
    if head.startswith(_READS):
        return None
    found = _WRITTEN.match(statement)
    return (found.group(1),) if found else (_ANY_TABLE,)


@event.listens_for(Engine, "after_cursor_execute")
def _after_cursor_execute(connection, cursor, statement, parameters, context, executemany):
    tables = _written_tables(statement, context)
    if tables is None:
        return
    _move_on(tables)
    connection.info.setdefault("written_tables", set()).update(tables)


def _transaction_ended(connection):
    if connection.invalidated:
        # a connection that died: its info cannot be read (SQLAlchemy would raise), and what
        # it wrote moved the generations on when it ran
        return
    written = connection.info.pop("written_tables", None)
    if written:
        _move_on(written)


event.listen(Engine, "commit", _transaction_ended)
event.listen(Engine, "rollback", _transaction_ended)


def _tables_read(stmt, key) -> tuple[str, ...]:
    tables = _tables.get(key)
    if tables is None:
        if len(_tables) > MAX_ENTRIES:  # statement shapes are few; this only bounds it
            _tables.clear()
        names = {table.name for table in find_tables(stmt) if isinstance(table, TableClause)}
        tables = _tables[key] = tuple(sorted(names))
    return tables


class _TooLong(TypeError):
    """A value too long to be kept in a key."""


def _hashable(value):
    if isinstance(value, (list, set, tuple)):
        if len(value) > MAX_VALUE_CHARS:
            raise _TooLong()
        return tuple(_hashable(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((key, _hashable(item)) for key, item in value.items()))
    if isinstance(value, (str, bytes)) and len(value) > MAX_VALUE_CHARS:
        raise _TooLong()
    return value


def scalar_count(session, stmt, seconds: float) -> int:
    """`stmt` (a SELECT of one count) run on `session`, or its answer of less than `seconds`
    ago when no table it reads has been written since (see the module's docstring)."""
    if seconds <= 0:
        return session.execute(stmt).scalar_one()
    cache_key = stmt._generate_cache_key()
    connection = session.connection()
    if cache_key is None or connection.info.get("written_tables"):
        return session.execute(stmt).scalar_one()
    tables = _tables_read(stmt, cache_key.key)
    generations = tuple(_generations.get(name, 0) for name in (_ANY_TABLE, *tables))
    try:
        values = tuple(_hashable(bind.effective_value) for bind in cache_key.bindparams)
        key = (str(connection.engine.url), cache_key.key, values, generations)
        hash(key)
    except TypeError:  # a value that cannot be (or is too long to be) a key: count every time
        return session.execute(stmt).scalar_one()
    now = time.monotonic()
    with _lock:
        entry = _entries.get(key)
        if entry is not None and entry[1] > now:
            _entries.move_to_end(key)
            return entry[0]
    value = session.execute(stmt).scalar_one()
    if not connection.info.get("written_tables"):
        with _lock:
            _entries[key] = (value, now + seconds)
            _entries.move_to_end(key)
            while len(_entries) > MAX_ENTRIES:
                _entries.popitem(last=False)
    return value


def forget_all():
    """Drop every remembered count (tests)."""
    with _lock:
        _entries.clear()


__all__ = ["forget_all", "generation", "scalar_count"]
