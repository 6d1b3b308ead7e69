"""The one database layer of the app: engines, sessions, the shared schema and its migrations.

Every package that stores something declares its tables on :class:`Base` and opens one
transaction per operation with :func:`session_scope` on the engine from :func:`get_engine`
(or :func:`default_engine`, the settings' database: SQLite in the data directory, or
PostgreSQL with ``DATABASE_URL``). One Alembic history in ``civic/migrations`` creates and
changes every table; ``python -m civic.db upgrade`` runs it explicitly, and the first
``get_engine`` in a process runs it too. An unreachable database raises
:class:`DatabaseUnavailable`, which each package maps to its own Chinese message.
"""

from civic.db.engine import (
    default_engine,
    dispose_engines,
    get_engine,
    new_engine,
    session_scope,
    tunables,
)
from civic.db.errors import CommitOutcomeUnknown, DatabaseUnavailable, is_unavailable
from civic.db.schema import Base, current_revision, head_revision, migrate, model_metadata

__all__ = [
    "Base",
    "CommitOutcomeUnknown",
    "DatabaseUnavailable",
    "current_revision",
    "default_engine",
    "dispose_engines",
    "get_engine",
    "head_revision",
    "is_unavailable",
    "migrate",
    "model_metadata",
    "new_engine",
    "session_scope",
    "tunables",
]
