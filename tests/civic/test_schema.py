"""One migration history for every table: models and migrations agree, on SQLite and PostgreSQL."""

from __future__ import annotations

import re

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Engine, Integer, String, Table, inspect

from civic.db import Base, current_revision, get_engine, head_revision, model_metadata
from civic.db.__main__ import revision
from civic.db.schema import MIGRATIONS, MODEL_MODULES, VERSION_TABLE, alembic_config


def differences(engine: Engine) -> list:
    """What Alembic would change to make the database match every package's models."""
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "version_table": VERSION_TABLE})
        return compare_metadata(context, model_metadata())


def test_a_fresh_database_gets_exactly_the_models(database_url):
    engine = get_engine(database_url)
    assert current_revision(engine) == head_revision()
    assert differences(engine) == []
    names = set(inspect(engine).get_table_names())
    assert {"pledge_campaigns", "pledge_signatures", "selfcheck_responses", VERSION_TABLE} <= names


def test_the_history_is_one_numbered_line():
    """Two branches each adding a revision after the same head must be re-chained before merging."""
    scripts = ScriptDirectory.from_config(alembic_config())
    assert len(scripts.get_heads()) == 1, "two heads: point the newer revision's down_revision at the other head"
    chain = [s.revision for s in reversed(list(scripts.walk_revisions()))]
    assert chain == [f"{n:04d}" for n in range(1, len(chain) + 1)]
    files = sorted(p.name for p in (MIGRATIONS / "versions").glob("[0-9]*.py"))
    assert [f[:4] for f in files] == chain and all(re.fullmatch(r"\d{4}_[a-z0-9_]+\.py", f) for f in files)


def test_every_models_module_is_registered(repo_root):
    """A package keeps its tables in <package>/models.py and lists it in civic.db.schema.MODEL_MODULES."""
    found = {f"{path.parent.name}.models" for path in repo_root.glob("*/models.py")}
    assert found == set(MODEL_MODULES)


def test_a_new_table_becomes_the_next_numbered_revision(tmp_path):
    head = head_revision()
    probe = Table("desk_probe", model_metadata(), Column("id", Integer, primary_key=True), Column("text", String(40)))
    try:
        path = revision("desk probe", directory=tmp_path)
    finally:
        Base.metadata.remove(probe)
    text = path.read_text("utf-8")
    assert path.name == f"{int(head) + 1:04d}_desk_probe.py"
    assert f"down_revision = '{head}'" in text
    assert "op.create_table('desk_probe'" in text
    assert "selfcheck_responses" not in text and "pledge_" not in text  # nothing else differs
