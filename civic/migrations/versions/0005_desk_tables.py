"""desk tables

The Q&A desk (desk/models.py): the masked question log with votes (desk_questions), staff links
and word pairs (desk_links, desk_word_pairs) and the one-row change counter every app process
watches (desk_version). New tables only: nothing existing changes.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('desk_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('city', sa.String(length=20), nullable=False),
    sa.Column('notice_id', sa.String(length=64), nullable=False),
    sa.Column('clause_path', sa.String(length=120), nullable=False),
    sa.Column('quote', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('undone_by', sa.String(length=40), nullable=True),
    sa.Column('undone_at', sa.DateTime(), nullable=True),
    sa.Column('uses', sa.Integer(), nullable=False),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('desk_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_desk_links_undone_at'), ['undone_at'], unique=False)

    op.create_table('desk_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=32), nullable=False),
    sa.Column('conversation', sa.String(length=32), nullable=False),
    sa.Column('asked_at', sa.DateTime(), nullable=False),
    sa.Column('city_chosen', sa.String(length=20), nullable=True),
    sa.Column('cities', sa.String(length=120), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('rewritten', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('cited', sa.Text(), nullable=False),
    sa.Column('taught_link', sa.Integer(), nullable=True),
    sa.Column('word_pairs', sa.String(length=200), nullable=False),
    sa.Column('latency_ms', sa.Integer(), nullable=False),
    sa.Column('useful', sa.Boolean(), nullable=True),
    sa.Column('reasons', sa.String(length=120), nullable=False),
    sa.Column('comment', sa.String(length=400), nullable=False),
    sa.Column('voted_at', sa.DateTime(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.Column('reviewed_by', sa.String(length=40), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('ref')
    )
    with op.batch_alter_table('desk_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_desk_questions_asked_at'), ['asked_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_desk_questions_conversation'), ['conversation'], unique=False)
        batch_op.create_index('ix_desk_questions_status_asked', ['status', 'asked_at'], unique=False)

    op.create_table('desk_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('desk_word_pairs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('everyday', sa.String(length=40), nullable=False),
    sa.Column('notice_words', sa.String(length=200), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('undone_by', sa.String(length=40), nullable=True),
    sa.Column('undone_at', sa.DateTime(), nullable=True),
    sa.Column('uses', sa.Integer(), nullable=False),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('desk_word_pairs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_desk_word_pairs_undone_at'), ['undone_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('desk_word_pairs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_desk_word_pairs_undone_at'))

    op.drop_table('desk_word_pairs')
    op.drop_table('desk_version')
    with op.batch_alter_table('desk_questions', schema=None) as batch_op:
        batch_op.drop_index('ix_desk_questions_status_asked')
        batch_op.drop_index(batch_op.f('ix_desk_questions_conversation'))
        batch_op.drop_index(batch_op.f('ix_desk_questions_asked_at'))

    op.drop_table('desk_questions')
    with op.batch_alter_table('desk_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_desk_links_undone_at'))

    op.drop_table('desk_links')
