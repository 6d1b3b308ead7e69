"""pledge reminders and retention

Email reminder subscriptions get their own table (double opt-in, deleted on unsubscribe);
signatures get ``anonymised_at`` for the retention run. ``reminder_contact`` is dropped
with its values: those contacts were kept in clear for reminders that were never sent,
without a confirmed opt-in, so they are not carried into ``pledge_reminders``.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('pledge_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('signature_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('address', sa.String(length=100), nullable=False),
    sa.Column('nonce', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('confirm_sent_at', sa.DateTime(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('next_due_at', sa.DateTime(), nullable=True),
    sa.Column('last_sent_at', sa.DateTime(), nullable=True),
    sa.Column('sent_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['signature_id'], ['pledge_signatures.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('signature_id')
    )
    with op.batch_alter_table('pledge_reminders', schema=None) as batch_op:
        batch_op.create_index('ix_pledge_reminders_next_due_at', ['next_due_at'], unique=False)

    # Plain ALTER TABLE on both databases (SQLite >= 3.35 drops a column in place): a batch
    # "copy and rename" would drop the old table, and SQLite's foreign keys would cascade
    # that drop into the signatures' items and check-ins.
    op.add_column('pledge_signatures', sa.Column('anonymised_at', sa.DateTime(), nullable=True))
    op.execute('ALTER TABLE pledge_signatures DROP COLUMN reminder_contact')



def downgrade() -> None:
    op.add_column('pledge_signatures', sa.Column('reminder_contact', sa.VARCHAR(length=100), nullable=True))
    op.execute('ALTER TABLE pledge_signatures DROP COLUMN anonymised_at')

    with op.batch_alter_table('pledge_reminders', schema=None) as batch_op:
        batch_op.drop_index('ix_pledge_reminders_next_due_at')

    op.drop_table('pledge_reminders')
