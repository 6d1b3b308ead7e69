"""The shared schema: one declarative Base for every table, one Alembic history for all of them.

A package that stores something declares its tables on :data:`Base` (``Base.metadata``) in
its own ``models.py``, lists that module in :data:`MODEL_MODULES`, and adds a revision to
``civic/migrations/versions`` (``python -m civic.db revision -m "…"`` writes one from the
models). Tables carry the package's prefix (``pledge_``, ``selfcheck_``, ``desk_``) so
packages never collide. The history is linear: a test fails if it has two heads.

Migrations run programmatically (no alembic.ini): :func:`migrate` brings a database to the
newest revision, one migrator at a time (an advisory lock on PostgreSQL; SQLite's write
lock, taken at BEGIN). Databases made before this history was shared carry the pledges'
version table (``pledges_alembic_version``); :func:`migrate` moves their revision into
:data:`VERSION_TABLE` first, in the same transaction.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, MetaData, inspect, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase

from civic.db.errors import DatabaseUnavailable, is_unavailable

if TYPE_CHECKING:
    from alembic.config import Config  # imported lazily: the app's hot path never needs alembic

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
VERSION_TABLE = "civic_alembic_version"
LEGACY_VERSION_TABLE = "pledges_alembic_version"  # the pledges' own history, before it was shared
PG_MIGRATION_LOCK = 7_243_101  # advisory lock id: one migrator at a time across processes

# Modules that declare tables on Base.metadata. Only tests and `python -m civic.db revision`
# import them all (to compare the models with the migrations); the app imports them as it runs.
MODEL_MODULES = ("pledges.models", "engagement.models", "publishing.models", "desk.models")


class Base(DeclarativeBase):
    """The declarative base of every table in the app's database."""


def model_metadata() -> MetaData:
    """``Base.metadata`` with every package's tables registered."""
    for module in MODEL_MODULES:
        importlib.import_module(module)
    return Base.metadata


def alembic_config(
    connection: Connection | None = None, metadata: MetaData | None = None, extra_versions: Path | None = None
) -> Config:
    """An Alembic Config for ``civic/migrations``, bound to ``connection`` (no alembic.ini).

    ``metadata`` (the models) is only needed to compare them with a database;
    ``extra_versions`` adds a folder of revisions (tests write new ones there).
    """
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("path_separator", "os")
    folders = [MIGRATIONS / "versions", *([extra_versions] if extra_versions else [])]
    cfg.set_main_option("version_locations", os.pathsep.join(map(str, folders)))
    cfg.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    cfg.attributes["connection"] = connection
    cfg.attributes["target_metadata"] = metadata
    return cfg


def head_revision() -> str:
    """The newest revision of the history (raises if there are several heads)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The revision a database is at; None for an empty database or one never migrated."""
    from alembic.runtime.migration import MigrationContext

    try:
        with engine.connect() as conn:
            table = VERSION_TABLE if inspect(conn).has_table(VERSION_TABLE) else LEGACY_VERSION_TABLE
            return MigrationContext.configure(conn, opts={"version_table": table}).get_current_revision()
    except DBAPIError as exc:
        if is_unavailable(exc):
            raise DatabaseUnavailable(str(exc.orig or exc)) from exc
        raise


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (idempotent); DatabaseUnavailable if unreachable."""
    from alembic import command

    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_MIGRATION_LOCK})")
            cfg = alembic_config(conn)
            _adopt_legacy_version_table(conn, cfg)
            command.upgrade(cfg, "head")
    except DBAPIError as exc:
        if is_unavailable(exc):
            raise DatabaseUnavailable(str(exc.orig or exc)) from exc
        raise


def _adopt_legacy_version_table(conn: Connection, cfg: Config) -> None:
    """Carry the revision of a database made by the pledges' own history into VERSION_TABLE.

    Its revisions (0001) are the first of the shared history, unchanged.
    """
    from alembic import command

    tables = inspect(conn)
    if not tables.has_table(LEGACY_VERSION_TABLE) or tables.has_table(VERSION_TABLE):
        return
    revisions = conn.execute(text(f"SELECT version_num FROM {LEGACY_VERSION_TABLE}")).scalars().all()
    if revisions:
        command.stamp(cfg, list(revisions))
    conn.exec_driver_sql(f"DROP TABLE {LEGACY_VERSION_TABLE}")
