"""Alembic environment: always run programmatically by pledges.db.migrate with a connection."""

from alembic import context

from pledges.models import Base

VERSION_TABLE = "pledges_alembic_version"

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    version_table=VERSION_TABLE,
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
