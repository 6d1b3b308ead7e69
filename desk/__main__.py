"""The desk from the command line: move what staff taught between deployments, export the log.

    python -m desk export-teachings teachings.json        # active links and word pairs (- for stdout)
    python -m desk import-teachings teachings.json [--by NAME]
    python -m desk export-log log.csv [--days 30]         # the masked question log, formula-safe CSV
    python -m desk.retention [--days N] [--dry-run]       # delete rows older than the retention setting

Each uses the app's database (``DATABASE_URL``, else SQLite in the data directory). Running app
processes pick up imported teachings within a second (they watch ``desk_version``).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import timedelta
from pathlib import Path

from civic.db import DatabaseUnavailable, get_engine, session_scope
from civic.settings import get_settings
from desk.export import import_teachings, log_csv, teachings_json
from desk.messages import DeskError
from desk.review import QueueFilter, rows
from desk.tunables import local_day, utcnow


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m desk", description="问答工作台：导出导入教过的内容、导出提问记录")
    sub = parser.add_subparsers(dest="command", required=True)
    out = sub.add_parser("export-teachings", help="导出生效中的问题关联和词语对应（JSON）")
    out.add_argument("file", help="输出文件；- 表示标准输出")
    inp = sub.add_parser("import-teachings", help="导入问题关联和词语对应（JSON），已有的跳过")
    inp.add_argument("file", help="输入文件；- 表示标准输入")
    inp.add_argument("--by", default="import", help="文件未注明创建人时记录的名称（默认 import）")
    log = sub.add_parser("export-log", help="导出已遮盖个人信息的提问记录（CSV）")
    log.add_argument("file")
    log.add_argument("--days", type=int, default=None, help="只导出最近若干天（默认全部）")
    args = parser.parse_args(argv)
    try:
        engine = get_engine(get_settings().sqlalchemy_url)
        if args.command == "export-teachings":
            with session_scope(engine) as session:
                data = teachings_json(session=session)
            text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
            if args.file == "-":
                sys.stdout.write(text)
            else:
                Path(args.file).write_text(text, "utf-8")
                print(f"已导出 {len(data['links'])} 条问题关联、{len(data['pairs'])} 条词语对应：{args.file}")
            return 0
        if args.command == "import-teachings":
            raw = sys.stdin.read() if args.file == "-" else Path(args.file).read_text("utf-8")
            try:
                data = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise DeskError("import_invalid", detail=f"不是 JSON（{exc.msg}）") from exc
            from retrieval.corpus import load_corpus

            with session_scope(engine) as session:
                report = import_teachings(session=session, data=data, imported_by=args.by, corpus=load_corpus())
            print(f"已导入 {report.links} 条问题关联、{report.pairs} 条词语对应；已存在跳过 {report.skipped} 条。")
            for line in report.refused:
                print(f"未导入：{line}", file=sys.stderr)
            return 1 if report.refused else 0
        start = local_day(utcnow() - timedelta(days=args.days - 1)) if args.days else None
        with session_scope(engine) as session:
            items = rows(session=session, filter=QueueFilter(statuses=(), start=start, reviewed=None), limit=10**7)
        Path(args.file).write_bytes(log_csv(items))
        print(f"已导出 {len(items)} 条提问记录：{args.file}")
        return 0
    except DeskError as err:
        print(err.message, file=sys.stderr)
        return 2
    except DatabaseUnavailable as exc:
        print(f"{exc.message}（{exc}）", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
