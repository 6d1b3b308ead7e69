"""The pledges' Alembic environment as it was before the history moved to civic/migrations.

Frozen for tests/civic/test_upgrade.py: same version table, same revision 0001
(a verbatim copy of pledges/migrations/versions/0001_initial_schema.py).
"""

from alembic import context

VERSION_TABLE = "pledges_alembic_version"

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None, version_table=VERSION_TABLE, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
