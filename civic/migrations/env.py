"""Alembic environment, always run programmatically with a connection (civic.db.schema).

``target_metadata`` is only given when comparing the models with the database
(``python -m civic.db revision``, tests); upgrading needs no model imports.
"""

from alembic import context

from civic.db.schema import VERSION_TABLE

config = context.config
context.configure(
    connection=config.attributes["connection"],
    target_metadata=config.attributes.get("target_metadata"),
    version_table=VERSION_TABLE,
    render_as_batch=True,  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
