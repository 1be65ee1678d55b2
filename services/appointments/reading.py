"""Reading thousands of appointment and slot rows quickly on both engines.

The availability and the timeline read thousands of rows per request. What a row costs in
Python is mostly the driver's and SQLAlchemy's work per value, not the database's: PyMySQL
(MariaDB) decodes every value in Python and turns a TIME into a timedelta (about 6 µs each)
and a DATE into a date, SQLAlchemy turns those into `time`/`date` again, and the ORM adds its
own row processing. So these reads:

* run on the session's connection (`plain_rows`: plain rows, no ORM row processing);
* read dates and clock times as text (`as_text`), turned into `date` / seconds of the day
  once per distinct value (`day_of`, `seconds_of`: a week holds seven dates and a few dozen
  clock times, not thousands);
* and, where a list of small items per group is all that is needed (the taken times of a
  doctor's day, the slots of an offer's weekday), read one row per group with the items
  joined by the database (`items_by`): hundreds of rows instead of thousands;
* where each row is needed whole (the timeline's events), read each row as one JSON array
  made by the database (`packed_rows`: json_array on SQLite and MariaDB alike): the driver
  decodes one text per row instead of a dozen values, orjson.loads splits it again.
"""
from datetime import date

from sqlalchemy import String, cast, func, select

from models import db


def _execute(stmt):
    """The result of a column SELECT run on the session's connection: plain rows without
    the ORM's row processing. Pending changes are flushed first, as the session's own
    execute does."""
    session = db.session()
    if session.autoflush:
        session.flush()
    return session.connection().execute(stmt)


def plain_rows(stmt) -> list:
    """The rows of a column SELECT, read on the session's connection (no ORM processing)."""
    return _execute(stmt).all()


def packed(*columns):
    """The columns of a row as one JSON array text (read with packed_texts and
    orjson.loads). Dates and clock times should be as_text: the engines write them
    differently in JSON."""
    return func.json_array(*columns)


def packed_texts(stmt) -> list[str]:
    """The JSON texts of a SELECT of one `packed(...)` column, one per row (orjson.loads
    each when it is used: texts, unlike lists, are not followed by the garbage collector)."""
    return _execute(stmt).scalars().all()


def as_text(column):
    """A DATE or TIME column read as its text ('2026-12-01', '08:00:00' — SQLite keeps
    '08:00:00.000000'): the driver only decodes a string."""
    return cast(column, String)


def seconds_of(text: str, memo: dict) -> int:
    """Seconds since midnight of a clock time's text (fractions of a second dropped, as the
    slots and appointments have none), once per distinct text (`memo`)."""
    seconds = memo.get(text)
    if seconds is None:
        hours, minutes, rest = text.split(":")
        seconds = memo[text] = int(hours) * 3600 + int(minutes) * 60 + int(rest[:2])
    return seconds


def day_of(text: str, memo: dict) -> date:
    """The date of a DATE's text, once per distinct text (`memo`)."""
    day = memo.get(text)
    if day is None:
        day = memo[text] = date.fromisoformat(text[:10])
    return day


def clock_text(seconds: int, with_seconds: bool = True) -> str:
    """HH:MM:SS (or HH:MM) of seconds since midnight; past midnight wraps, as a clock does."""
    minutes, second = divmod(seconds, 60)
    hours, minute = divmod(minutes, 60)
    if with_seconds:
        return f"{hours % 24:02d}:{minute:02d}:{second:02d}"
    return f"{hours % 24:02d}:{minute:02d}"


def items_by(keys: tuple, item, *conditions) -> dict:
    """key -> [item texts] of the rows meeting `conditions`, grouped by the `keys` columns
    (a key is a tuple of their values), in one row per group: the database joins each
    group's item texts, each ended by ";", with commas (`item`, a text expression, must
    never hold ";,": numbers and clock times do not). A MariaDB or MySQL server cuts a
    group's text at its group_concat_max_len (MySQL's old default is 1024 bytes): a text
    that does not end with ";" or holds fewer items than the group's rows makes the whole
    read run again one row per item, so the answer never misses or mangles an item. The
    order of a group's items is not defined."""
    stmt = (select(*keys, func.count(), func.group_concat(item + ";"))
            .where(*conditions).group_by(*keys))
    width = len(keys)
    grouped = {}
    for row in plain_rows(stmt):
        joined = row[width + 1]
        items = joined[:-1].split(";,") if joined.endswith(";") else ()
        if len(items) != row[width]:
            return _items_by_rows(keys, item, conditions)
        grouped[tuple(row[:width])] = items
    return grouped


def _items_by_rows(keys: tuple, item, conditions) -> dict:
    """items_by read one row per item (a group's joined text was cut short)."""
    width, grouped = len(keys), {}
    for row in plain_rows(select(*keys, item).where(*conditions)):
        grouped.setdefault(tuple(row[:width]), []).append(row[width])
    return grouped


__all__ = ["as_text", "clock_text", "day_of", "items_by", "packed", "packed_texts", "plain_rows",
           "seconds_of"]
