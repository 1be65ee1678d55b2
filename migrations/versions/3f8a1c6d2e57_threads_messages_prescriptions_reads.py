"""threads, thread_messages, prescriptions, thread_reads; order_items.id_prescription (the
prescription a cart line redeems)

Revision ID: 3f8a1c6d2e57
Revises: d4a8c2f1e9b3
Create Date: 2026-11-30 17:38:42.921285

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3f8a1c6d2e57'
down_revision = 'd4a8c2f1e9b3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('threads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('thread_type', sa.String(length=20), nullable=False),
    sa.Column('id_order', sa.Integer(), nullable=True),
    sa.Column('id_user_from', sa.Integer(), nullable=False),
    sa.Column('id_user_to', sa.Integer(), nullable=True),
    sa.Column('id_doctors', sa.Integer(), nullable=True),
    sa.Column('id_patients', sa.Integer(), nullable=True),
    sa.Column('id_menu', sa.Integer(), nullable=True),
    sa.Column('order_date', sa.DateTime(), nullable=False),
    sa.Column('queue_number', sa.Integer(), nullable=False),
    sa.Column('queue_date', sa.Date(), nullable=True),
    sa.Column('estimate_done_at', sa.DateTime(), nullable=True),
    sa.Column('last_update_at', sa.DateTime(), nullable=True),
    sa.Column('last_seen_at', sa.DateTime(), nullable=True),
    sa.Column('is_closed', sa.Boolean(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('id_closed_by', sa.Integer(), nullable=True),
    sa.Column('created', sa.DateTime(), nullable=False),
    sa.Column('updated', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('queue_number >= 0', name=op.f('ck_threads_queue_number_not_negative')),
    sa.ForeignKeyConstraint(['id_closed_by'], ['users.id'], name=op.f('fk_threads_id_closed_by_users')),
    sa.ForeignKeyConstraint(['id_doctors'], ['doctors.id'], name=op.f('fk_threads_id_doctors_doctors')),
    sa.ForeignKeyConstraint(['id_menu'], ['menus.id'], name=op.f('fk_threads_id_menu_menus')),
    sa.ForeignKeyConstraint(['id_order'], ['orders.id'], name=op.f('fk_threads_id_order_orders')),
    sa.ForeignKeyConstraint(['id_patients'], ['patients.id'], name=op.f('fk_threads_id_patients_patients')),
    sa.ForeignKeyConstraint(['id_user_from'], ['users.id'], name=op.f('fk_threads_id_user_from_users')),
    sa.ForeignKeyConstraint(['id_user_to'], ['users.id'], name=op.f('fk_threads_id_user_to_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_threads')),
    sa.UniqueConstraint('id_order', name=op.f('uq_threads_id_order')),
    sa.UniqueConstraint('id_user_to', 'queue_date', 'queue_number', name='uq_threads_doctor_day_queue')
    )
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_threads_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_threads_id_doctors'), ['id_doctors'], unique=False)
        batch_op.create_index(batch_op.f('ix_threads_id_patients'), ['id_patients'], unique=False)
        batch_op.create_index(batch_op.f('ix_threads_id_user_from'), ['id_user_from'], unique=False)
        batch_op.create_index(batch_op.f('ix_threads_id_user_to'), ['id_user_to'], unique=False)
        batch_op.create_index(batch_op.f('ix_threads_is_closed'), ['is_closed'], unique=False)
        batch_op.create_index(batch_op.f('ix_threads_thread_type'), ['thread_type'], unique=False)

    op.create_table('thread_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('id_threads', sa.Integer(), nullable=False),
    sa.Column('id_user_from', sa.Integer(), nullable=False),
    sa.Column('content_type', sa.String(length=20), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('file_name', sa.String(length=100), nullable=False),
    sa.Column('intentions', sa.String(length=30), nullable=False),
    sa.Column('priority', sa.String(length=20), nullable=False),
    sa.Column('remark', sa.String(length=100), nullable=False),
    sa.Column('edited_at', sa.DateTime(), nullable=True),
    sa.Column('created', sa.DateTime(), nullable=False),
    sa.Column('updated', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['id_threads'], ['threads.id'], name=op.f('fk_thread_messages_id_threads_threads')),
    sa.ForeignKeyConstraint(['id_user_from'], ['users.id'], name=op.f('fk_thread_messages_id_user_from_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_thread_messages'))
    )
    with op.batch_alter_table('thread_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_thread_messages_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_thread_messages_id_threads'), ['id_threads'], unique=False)
        batch_op.create_index(batch_op.f('ix_thread_messages_id_user_from'), ['id_user_from'], unique=False)

    op.create_table('thread_reads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('id_threads', sa.Integer(), nullable=False),
    sa.Column('id_users', sa.Integer(), nullable=False),
    sa.Column('last_read_message_id', sa.Integer(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['id_threads'], ['threads.id'], name=op.f('fk_thread_reads_id_threads_threads')),
    sa.ForeignKeyConstraint(['id_users'], ['users.id'], name=op.f('fk_thread_reads_id_users_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_thread_reads')),
    sa.UniqueConstraint('id_threads', 'id_users', name='uq_thread_reads_reader')
    )
    with op.batch_alter_table('thread_reads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_thread_reads_id_threads'), ['id_threads'], unique=False)
        batch_op.create_index(batch_op.f('ix_thread_reads_id_users'), ['id_users'], unique=False)

    op.create_table('prescriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('id_thread_messages', sa.Integer(), nullable=False),
    sa.Column('id_threads', sa.Integer(), nullable=False),
    sa.Column('id_menu', sa.Integer(), nullable=False),
    sa.Column('id_doctor_user', sa.Integer(), nullable=False),
    sa.Column('id_customer', sa.Integer(), nullable=False),
    sa.Column('qty', sa.Integer(), nullable=False),
    sa.Column('valid_until', sa.DateTime(), nullable=False),
    sa.Column('redeemed_at', sa.DateTime(), nullable=True),
    sa.Column('id_redeem_order', sa.Integer(), nullable=True),
    sa.Column('created', sa.DateTime(), nullable=False),
    sa.Column('updated', sa.DateTime(), nullable=False),
    sa.CheckConstraint('qty > 0', name=op.f('ck_prescriptions_prescription_qty_positive')),
    sa.ForeignKeyConstraint(['id_customer'], ['users.id'], name=op.f('fk_prescriptions_id_customer_users')),
    sa.ForeignKeyConstraint(['id_doctor_user'], ['users.id'], name=op.f('fk_prescriptions_id_doctor_user_users')),
    sa.ForeignKeyConstraint(['id_menu'], ['menus.id'], name=op.f('fk_prescriptions_id_menu_menus')),
    sa.ForeignKeyConstraint(['id_redeem_order'], ['orders.id'], name=op.f('fk_prescriptions_id_redeem_order_orders')),
    sa.ForeignKeyConstraint(['id_thread_messages'], ['thread_messages.id'], name=op.f('fk_prescriptions_id_thread_messages_thread_messages')),
    sa.ForeignKeyConstraint(['id_threads'], ['threads.id'], name=op.f('fk_prescriptions_id_threads_threads')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prescriptions')),
    sa.UniqueConstraint('id_thread_messages', name=op.f('uq_prescriptions_id_thread_messages'))
    )
    with op.batch_alter_table('prescriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prescriptions_id_customer'), ['id_customer'], unique=False)
        batch_op.create_index(batch_op.f('ix_prescriptions_id_menu'), ['id_menu'], unique=False)
        batch_op.create_index(batch_op.f('ix_prescriptions_id_threads'), ['id_threads'], unique=False)

    with op.batch_alter_table('order_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('id_prescription', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_order_items_id_prescription'), ['id_prescription'])
        batch_op.create_foreign_key(batch_op.f('fk_order_items_id_prescription_prescriptions'), 'prescriptions', ['id_prescription'], ['id'])



def downgrade():
    with op.batch_alter_table('order_items', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_order_items_id_prescription_prescriptions'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_order_items_id_prescription'), type_='unique')
        batch_op.drop_column('id_prescription')

    with op.batch_alter_table('prescriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prescriptions_id_threads'))
        batch_op.drop_index(batch_op.f('ix_prescriptions_id_menu'))
        batch_op.drop_index(batch_op.f('ix_prescriptions_id_customer'))

    op.drop_table('prescriptions')
    with op.batch_alter_table('thread_reads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_thread_reads_id_users'))
        batch_op.drop_index(batch_op.f('ix_thread_reads_id_threads'))

    op.drop_table('thread_reads')
    with op.batch_alter_table('thread_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_thread_messages_id_user_from'))
        batch_op.drop_index(batch_op.f('ix_thread_messages_id_threads'))
        batch_op.drop_index(batch_op.f('ix_thread_messages_deleted_at'))

    op.drop_table('thread_messages')
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_threads_thread_type'))
        batch_op.drop_index(batch_op.f('ix_threads_is_closed'))
        batch_op.drop_index(batch_op.f('ix_threads_id_user_to'))
        batch_op.drop_index(batch_op.f('ix_threads_id_user_from'))
        batch_op.drop_index(batch_op.f('ix_threads_id_patients'))
        batch_op.drop_index(batch_op.f('ix_threads_id_doctors'))
        batch_op.drop_index(batch_op.f('ix_threads_deleted_at'))

    op.drop_table('threads')
