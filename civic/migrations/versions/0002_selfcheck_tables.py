"""self-check tables under migrations

Until now engagement/store.py made ``selfcheck_responses`` with ``create_all``. A
database that already has the table keeps it and its rows (same definition); one
without it gets it here. Indexes are created where missing.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

TABLE = 'selfcheck_responses'
COLUMNS = {'id', 'topic', 'mode', 'city', 'district', 'answers', 'overall', 'categories', 'counted',
           'resume_digest', 'created_at', 'updated_at'}
INDEXES = {'ix_selfcheck_responses_topic': ['topic'], 'ix_selfcheck_responses_city': ['city']}


def upgrade() -> None:
    tables = sa.inspect(op.get_bind())
    if tables.has_table(TABLE):
        missing = COLUMNS - {c['name'] for c in tables.get_columns(TABLE)}
        if missing:
            raise RuntimeError(f'{TABLE} exists without columns {sorted(missing)}: not a table this app made')
        existing = {i['name'] for i in tables.get_indexes(TABLE)}
    else:
        op.create_table(TABLE,
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('topic', sa.String(length=16), nullable=False),
        sa.Column('mode', sa.String(length=8), nullable=False),
        sa.Column('city', sa.String(length=32), nullable=True),
        sa.Column('district', sa.String(length=32), nullable=True),
        sa.Column('answers', sa.Text(), nullable=False),
        sa.Column('overall', sa.Integer(), nullable=True),
        sa.Column('categories', sa.Text(), nullable=True),
        sa.Column('counted', sa.Boolean(), nullable=False),
        sa.Column('resume_digest', sa.String(length=64), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('resume_digest')
        )
        existing = set()
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        for name, columns in INDEXES.items():
            if name not in existing:
                batch_op.create_index(name, columns, unique=False)


def downgrade() -> None:
    op.drop_table(TABLE)
