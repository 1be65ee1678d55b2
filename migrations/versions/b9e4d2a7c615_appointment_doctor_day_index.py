"""appointment doctor day index: a doctor's appointments of a few days from the index alone

Revision ID: b9e4d2a7c615
Revises: a7d2c9e4b613
Create Date: 2026-12-01 04:00:00.000000

Measured by `make bench` (the user_schedules cases of bench/RESULTS.md):
- user_schedules (id_doctors, tanggal, status, jam, id_services) replaces
  ix_user_schedules_id_doctors (it leads with id_doctors, so it also serves the foreign key):
  availability reads the live appointments of the doctors it shows in the booking window as
  one range of the index per doctor, without the table (their start and service), so it
  reads only the window and those doctors whatever the size of the year; one doctor's
  timeline and a booking's overlap check find that doctor's days the same way.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b9e4d2a7c615'
down_revision = 'a7d2c9e4b613'
branch_labels = None
depends_on = None

DOCTOR_DAY = ["id_doctors", "tanggal", "status", "jam", "id_services"]


def upgrade():
    # created first: on MariaDB the foreign key on id_doctors then keeps an index to use
    op.create_index("ix_user_schedules_doctor_day", "user_schedules", DOCTOR_DAY)
    op.drop_index("ix_user_schedules_id_doctors", table_name="user_schedules")


def downgrade():
    op.create_index("ix_user_schedules_id_doctors", "user_schedules", ["id_doctors"])
    op.drop_index("ix_user_schedules_doctor_day", table_name="user_schedules")
