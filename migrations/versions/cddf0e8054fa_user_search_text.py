"""the user search text: the users' table and list search read a narrow index, not the rows

Revision ID: cddf0e8054fa
Revises: c3f7a9d1e246
Create Date: 2026-12-01 06:00:00.000000

Measured by `make bench` ("users/table search+order", issue 13): the users' text search
looked for the text (LIKE '%…%', which no b-tree can seek) in every column of the users' table
specs on every row, wide rows read whole. users.search_text holds the columns people search
users by (username, full name, e-mail, phone, position, status, birthday and address, in
lower case, one per line, at most 600 characters; kept by the model on every write) and the
index (search_text, deleted_at, users_fullname) lets a search scan it alone: its count, and
its page in the order of the name (the table's usual sort), come from the index without
reading a row; the other sortable columns either have an index of their own (username,
e-mail, phone, id) or are sorted among the rows found. On MariaDB the text is compared byte by
byte (utf8mb4_bin; it is lower case already), a quarter faster. MariaDB is told to leave
ix_users_deleted_at aside for a search (the Users declaration's search_hints). The search
text compares as it is stored (lower case): no lower() per row.
"""
from datetime import date

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql


# revision identifiers, used by Alembic.
revision = 'cddf0e8054fa'
down_revision = 'c3f7a9d1e246'
branch_labels = None
depends_on = None

SEARCHED = ("username", "users_fullname", "users_email", "users_phone", "positions",
            "users_status", "users_birthday", "users_address")
SEARCH_TEXT_LENGTH = 600
BATCH = 2000


def _text(value) -> str:
    if value is None:
        return ""
    return (value.isoformat() if isinstance(value, date) else str(value)).lower()


def _search_text(row) -> str:
    # the same text as models.accounts.user_search_text (Python's lower(), not SQL's)
    return "\n".join(_text(value) for value in row[1:])[:SEARCH_TEXT_LENGTH]


def upgrade():
    # compared byte by byte on MariaDB (the text is lower case): see models.accounts
    text_type = sa.String(SEARCH_TEXT_LENGTH).with_variant(
        mysql.VARCHAR(SEARCH_TEXT_LENGTH, charset="utf8mb4", collation="utf8mb4_bin"),
        "mysql", "mariadb")
    op.add_column("users", sa.Column("search_text", text_type, nullable=False,
                                     server_default=""))
    bind = op.get_bind()
    users = sa.table("users", sa.column("id", sa.Integer), sa.column("search_text", sa.String),
                     *(sa.column(name, sa.Date if name == "users_birthday" else sa.String)
                       for name in SEARCHED))
    last = 0
    while True:
        rows = bind.execute(sa.select(users.c.id, *(users.c[name] for name in SEARCHED))
                            .where(users.c.id > last).order_by(users.c.id)
                            .limit(BATCH)).all()
        if not rows:
            break
        bind.execute(users.update().where(users.c.id == sa.bindparam("uid"))
                     .values(search_text=sa.bindparam("text")),
                     [{"uid": row[0], "text": _search_text(row)} for row in rows])
        last = rows[-1][0]
    op.create_index("ix_users_search", "users", ["search_text", "deleted_at", "users_fullname"])


def downgrade():
    op.drop_index("ix_users_search", table_name="users")
    # ALTER TABLE … DROP COLUMN on both engines (SQLite 3.35+): no rebuild of a table that
    # so many others reference
    op.drop_column("users", "search_text")
