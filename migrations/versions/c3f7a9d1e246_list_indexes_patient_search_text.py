"""list indexes and the patient search text: deep pages and searches read indexes, not rows

Revision ID: c3f7a9d1e246
Revises: b91e4d2a7c05
Create Date: 2026-12-01 05:00:00.000000

Measured by `make bench` (the list cases of bench/RESULTS.md, issue 13):
- user_schedules (tanggal, jam, id): the lists' order (newest first) read from the index, so a
  page's ids are picked from it alone ("late row lookup", services/engine/core.py) and page
  19,000 no longer sorts the 200k appointments;
- patient_rekam_medis (deleted_at, tanggal_konsul, id, id_patients): the live records in the
  lists' order with the patient to check against the live patients — counts and pages from
  the index alone;
- patients.search_text (name, mobile number, external id and identity number in lower case,
  one per line; kept by the model on every write) and patients (search_text, deleted_at): the
  patient search (a substring of each word: LIKE '%…%', which no b-tree can seek) scans this
  narrow index instead of the wide rows; search_text leads so that the lookups of the live
  patients (deleted_at IS NULL) keep the narrow ix_patients_deleted_at (MariaDB is told to
  leave that one aside for a search: the Patients declaration's search_hints).
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c3f7a9d1e246'
down_revision = 'b91e4d2a7c05'
branch_labels = None
depends_on = None

SEARCHED = ("nama_lengkap_pasien", "no_handphone", "patient_external_id", "no_identitas")
SEARCH_TEXT_LENGTH = 300
BATCH = 2000


def _search_text(row) -> str:
    # the same text as models.patients.patient_search_text (Python's lower(), not SQL's)
    return "\n".join(str(value or "").lower() for value in row[1:])[:SEARCH_TEXT_LENGTH]


def upgrade():
    op.add_column("patients", sa.Column("search_text", sa.String(SEARCH_TEXT_LENGTH),
                                        nullable=False, server_default=""))
    bind = op.get_bind()
    patients = sa.table("patients", sa.column("id", sa.Integer),
                        sa.column("search_text", sa.String),
                        *(sa.column(name, sa.String) for name in SEARCHED))
    last = 0
    while True:
        rows = bind.execute(sa.select(patients.c.id, *(patients.c[name] for name in SEARCHED))
                            .where(patients.c.id > last).order_by(patients.c.id)
                            .limit(BATCH)).all()
        if not rows:
            break
        bind.execute(patients.update().where(patients.c.id == sa.bindparam("pid"))
                     .values(search_text=sa.bindparam("text")),
                     [{"pid": row[0], "text": _search_text(row)} for row in rows])
        last = rows[-1][0]
    op.create_index("ix_patients_search", "patients", ["search_text", "deleted_at"])
    op.create_index("ix_user_schedules_listing", "user_schedules", ["tanggal", "jam", "id"])
    op.create_index("ix_patient_rekam_medis_listing", "patient_rekam_medis",
                    ["deleted_at", "tanggal_konsul", "id", "id_patients"])


def downgrade():
    op.drop_index("ix_patient_rekam_medis_listing", table_name="patient_rekam_medis")
    op.drop_index("ix_user_schedules_listing", table_name="user_schedules")
    op.drop_index("ix_patients_search", table_name="patients")
    # ALTER TABLE … DROP COLUMN on both engines (SQLite 3.35+): no rebuild of a table that
    # others reference
    op.drop_column("patients", "search_text")
