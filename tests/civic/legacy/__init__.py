"""A database as the code before the shared layer left it, to upgrade in tests.

Frozen copies, never to be edited: the pledges' own Alembic history (``migrations/``,
revision 0001 in ``pledges_alembic_version``) and the self-check table exactly as
``engagement/store.py`` declared it and made it with ``create_all`` on its own MetaData.
``fill`` puts rows in every table through plain SQL, the way the old code stored them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    insert,
    select,
)

HERE = Path(__file__).parent

old_selfcheck = MetaData()
Table(
    "selfcheck_responses",
    old_selfcheck,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("topic", String(16), nullable=False, index=True),
    Column("mode", String(8), nullable=False),
    Column("city", String(32), index=True),
    Column("district", String(32)),
    Column("answers", Text, nullable=False),
    Column("overall", Integer),
    Column("categories", Text),
    Column("counted", Boolean, nullable=False, default=False),
    Column("resume_digest", String(64), unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)


def build(url: str, *, pledges: bool = True, selfcheck: bool = True) -> Engine:
    """The old schema at ``url``: pledge tables at revision 0001 and/or the create_all table."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    if pledges:
        cfg = Config()
        cfg.set_main_option("script_location", str(HERE / "migrations"))
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    if selfcheck:
        old_selfcheck.create_all(engine)
    return engine


def fill(engine: Engine, *, pledges: bool = True, selfcheck: bool = True, resume_digest: str = "0" * 64) -> None:
    """Rows in every old table, with Chinese text, NULLs, dates and foreign keys."""
    tables = MetaData()
    tables.reflect(engine)
    t = tables.tables
    now = datetime(2026, 3, 1, 8, 30, 15)
    with engine.begin() as conn:
        if pledges:
            ids = {}
            for slug, city, starts, ends in (("green-life", None, None, None),
                                             ("sz-2026", "石嘴山", date(2026, 1, 1), date(2026, 12, 31))):
                ids[slug] = conn.execute(insert(t["pledge_campaigns"]).returning(t["pledge_campaigns"].c.id), dict(
                    slug=slug, title=f"绿色生活 {slug}", city=city, starts_on=starts, ends_on=ends, goal=100,
                    intro="**节约**用电", colour="#2e7d32", created_at=now, updated_at=now)).scalar_one()
                for position, item in enumerate(("clean-plate", "save-standby")):
                    conn.execute(insert(t["pledge_campaign_items"]), dict(
                        campaign_id=ids[slug], item_id=item, title=f"承诺 {item}", position=position))
            for n in range(5):
                sig = conn.execute(insert(t["pledge_signatures"]).returning(t["pledge_signatures"].c.id), dict(
                    ref=f"REF{n:04d}", campaign_id=ids["sz-2026"] if n % 2 else ids["green-life"],
                    dedup_hash=f"{n:064x}", token_hash=f"{n + 100:064x}", city="石嘴山", district="惠农区",
                    display_name=None if n == 0 else f"居民{n}", name_hidden=n == 3,
                    reminder_contact="13800000000" if n == 4 else None, created_at=now)).scalar_one()
                conn.execute(insert(t["pledge_signature_items"]), [
                    dict(signature_id=sig, item_id="clean-plate"), dict(signature_id=sig, item_id="save-standby")])
                conn.execute(insert(t["pledge_checkins"]), dict(signature_id=sig, item_id="clean-plate",
                                                               day=date(2026, 3, n + 1)))
            user = conn.execute(insert(t["pledge_staff_users"]).returning(t["pledge_staff_users"].c.id), dict(
                username="clerk", password_hash="$argon2id$v=19$frozen", failed_logins=2, locked_until=None,
                created_at=now)).scalar_one()
            conn.execute(insert(t["pledge_staff_sessions"]), dict(token_hash="a" * 64, user_id=user, expires_at=now))
            conn.execute(insert(t["pledge_rate_events"]), [dict(bucket="b" * 64, at=now), dict(bucket="c" * 64, at=now)])
        if selfcheck:
            aware = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
            conn.execute(insert(t["selfcheck_responses"]), [
                dict(topic="heating", mode="express", city="shizuishan", district="惠农区",
                     answers='{"city": "shizuishan", "fuel": "coal"}', overall=40, categories='{"fuel": 0}',
                     counted=True, resume_digest=resume_digest, created_at=aware, updated_at=aware),
                dict(topic="food", mode="full", city=None, district=None, answers="{}", overall=None,
                     categories=None, counted=False, resume_digest=None, created_at=aware, updated_at=aware),
            ])


# Columns later revisions dropped or added on purpose (0003: reminder contacts kept in clear
# without a confirmed opt-in are dropped; anonymised_at is new), left out of row comparisons.
CHANGED_LATER = {"pledge_signatures": {"reminder_contact", "anonymised_at"}}


def snapshot(engine: Engine, names: list[str]) -> dict[str, list[tuple]]:
    """Every row of the named tables, ordered, as plain tuples (without CHANGED_LATER columns)."""
    tables = MetaData()
    tables.reflect(engine, only=names)
    with engine.connect() as conn:
        return {
            name: sorted(tuple(row) for row in conn.execute(select(
                *[c for c in tables.tables[name].columns if c.name not in CHANGED_LATER.get(name, ())])))
            for name in names
        }
