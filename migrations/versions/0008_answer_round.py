"""rollup speed: answers carry their round (indexed with item and value); no separate team index on panel cells

Revision ID: 0008_answer_round
Revises: 0007_panel_weeks
Create Date: 2026-11-27 23:20:00

The rollup sums answers per round and item. Joining 1.6 M answers to their responses by random
id and sorting the result took most of a full rollup; with the round on the answer and a
covering index, the database reads the sums off the index in order. Panel cells lose their team index: the
unique (team, week, metric) index already serves team lookups, and each index slows the bulk insert.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_answer_round'
down_revision = '0007_panel_weeks'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('answers', sa.Column('round_id', sa.Integer(), nullable=True))
    # Portable correlated update (SQLite and PostgreSQL): every existing answer gets its round.
    op.execute("UPDATE answers SET round_id = (SELECT responses.round_id FROM responses "
               "WHERE responses.id = answers.response_id)")
    op.create_index('ix_answers_round_item', 'answers', ['round_id', 'item_id', 'value'],
                    unique=False)
    op.drop_index('ix_panel_cells_team', table_name='panel_cells')


def downgrade():
    op.create_index('ix_panel_cells_team', 'panel_cells', ['team'], unique=False)
    op.drop_index('ix_answers_round_item', table_name='answers')
    with op.batch_alter_table('answers', schema=None,
                              table_kwargs={"sqlite_with_rowid": False}) as batch_op:
        batch_op.drop_column('round_id')
