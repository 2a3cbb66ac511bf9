"""kept message batches: an accepted batch waits in the database until a worker has stored it

Revision ID: 0009_kept_batches
Revises: 0008_answer_round
Create Date: 2026-11-28 00:45:00

The fault loop showed Redis losing a task it handed to a worker that was being killed: a batch
answered 202 was never stored. The batch now lives in this table until a worker stores it; the
task carries only the row's id and the periodic jobs queue again any batch left waiting.
"""
from alembic import op
import sqlalchemy as sa

import surveys.db


# revision identifiers, used by Alembic.
revision = '0009_kept_batches'
down_revision = '0008_answer_round'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('kept_message_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('messages', sa.JSON(), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('received_at', surveys.db.UTCDateTime(), nullable=False),
    sa.Column('queued_at', surveys.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kept_message_batches'))
    )
    with op.batch_alter_table('kept_message_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kept_message_batches_queued_at'), ['queued_at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('kept_message_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kept_message_batches_queued_at'))
    op.drop_table('kept_message_batches')
