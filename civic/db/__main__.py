"""Run the shared migrations explicitly, see where a database stands, write a new revision.

    python -m civic.db upgrade [--url URL]      # bring the database to the newest revision
    python -m civic.db current [--url URL]      # its revision and the newest; exit 1 if behind
    python -m civic.db revision -m "desk tables" [--empty]

Without ``--url`` the app's database is used (``DATABASE_URL``, else SQLite in the
data directory). The app also upgrades on first use; running ``upgrade`` first lets a
deployment migrate once, before several processes start. ``revision`` (for developers)
compares every package's models (``MODEL_MODULES``) with a scratch SQLite database at
the newest revision and writes the difference as ``civic/migrations/versions/NNNN_*.py``;
read it, and try it on PostgreSQL (the suite runs every migration on both).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from sqlalchemy.engine import make_url

from civic.db.engine import new_engine
from civic.db.errors import DatabaseUnavailable
from civic.db.schema import alembic_config, current_revision, head_revision, migrate, model_metadata


def _url(explicit: str | None) -> str:
    if explicit:
        return explicit
    from civic.settings import get_settings

    return get_settings().sqlalchemy_url


def _shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def upgrade(url: str) -> int:
    engine = new_engine(url)
    try:
        before = current_revision(engine)
        migrate(engine)
        after = current_revision(engine)
    finally:
        engine.dispose()
    if before == after:
        print(f"{_shown(url)}：已是最新版本 {after}，无需迁移。")
    else:
        print(f"{_shown(url)}：已从 {before or '空库'} 迁移到 {after}。")
    return 0


def current(url: str) -> int:
    engine = new_engine(url)
    try:
        revision = current_revision(engine)
    finally:
        engine.dispose()
    head = head_revision()
    print(f"{_shown(url)}：当前版本 {revision or '空库（未迁移）'}，最新版本 {head}。")
    if revision != head:
        print("需要迁移：python -m civic.db upgrade", file=sys.stderr)
        return 1
    return 0


def revision(message: str, *, autogenerate: bool = True, directory: Path | None = None) -> Path:
    """Write a new revision numbered after the head; returns its path.

    ``directory`` puts it in another folder of revisions (tests); by default it goes
    to civic/migrations/versions.
    """
    from alembic import command

    head = head_revision()
    rev_id = f"{int(head) + 1:04d}" if head.isdigit() else None
    with tempfile.TemporaryDirectory() as scratch:
        engine = new_engine(f"sqlite:///{Path(scratch) / 'head.sqlite3'}")
        try:
            migrate(engine)
            with engine.begin() as conn:
                cfg = alembic_config(conn, model_metadata() if autogenerate else None, directory)
                script = command.revision(cfg, message=message, autogenerate=autogenerate, rev_id=rev_id,
                                          version_path=str(directory) if directory else None)
        finally:
            engine.dispose()
    return Path(script.path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m civic.db", description="数据库迁移（所有数据表共用一套迁移）")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (("upgrade", "把数据库迁移到最新版本"), ("current", "显示数据库的当前版本和最新版本")):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("--url", help="SQLAlchemy 数据库地址；默认使用应用的数据库")
    rev = sub.add_parser("revision", help="根据各模块的数据模型生成新的迁移文件（开发用）")
    rev.add_argument("-m", "--message", required=True, help="迁移说明，例如 desk tables")
    rev.add_argument("--empty", action="store_true", help="生成空白迁移，不比较数据模型")
    args = parser.parse_args(argv)
    try:
        if args.command == "revision":
            print(f"已生成：{revision(args.message, autogenerate=not args.empty)}")
            return 0
        url = _url(args.url)
        return upgrade(url) if args.command == "upgrade" else current(url)
    except DatabaseUnavailable as exc:
        print(f"{exc.message}（{exc}）", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
