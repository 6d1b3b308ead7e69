"""Signing throughput under concurrent writers (a script, not a test).

    python -m pledges.bench --db sqlite --writers 50 --signatures 5000
    python -m pledges.bench --db postgres --writers 50 --signatures 5000 [--url URL]

Runs against a throwaway database (a temp SQLite file, or a fresh schema in the
PostgreSQL at --url / TEST_POSTGRES_URL / DATABASE_URL, which must be on
127.0.0.1), sends every signature once plus a share of repeats of the same
contacts, and checks the count equals the distinct signatures sent.

``--keys`` gives every submission an idempotency key, as the signing page does; the
repeats are then half retries of the same submission (same key) and half new
submissions by the same person, and every retry must return its first outcome (the
same private link and reference).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from urllib.parse import quote, urlsplit

from sqlalchemy import create_engine, text

from civic.db import dispose_engines, get_engine, session_scope
from civic.settings import reset_settings
from pledges import campaigns
from pledges.group_commit import committer_for
from pledges.identity import new_submission_key
from pledges.signing import SignForm, SignRequest, sign_pledge

ITEMS = ("clean-plate", "save-standby", "green-commute")


def _postgres_url(explicit: str | None) -> str:
    url = explicit or os.environ.get("TEST_POSTGRES_URL") or os.environ.get("DATABASE_URL")
    if not url:
        raise SystemExit("需要 PostgreSQL 地址：--url 或环境变量 TEST_POSTGRES_URL。")
    url = url.replace("postgresql://", "postgresql+psycopg://", 1).replace("postgres://", "postgresql+psycopg://", 1)
    if urlsplit(url).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("压测只允许连接本机 127.0.0.1 上的数据库。")
    return url


def _with_schema(url: str, schema: str) -> str:
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options={quote(f'-csearch_path={schema}')}"


Job = tuple[str, str | None, bool]  # contact, submission key, sent before (a retry)


def _sign_batch(
    url: str, jobs: list[Job], threads: int, group_commit: bool
) -> tuple[float, float, list[float], list[tuple[str, str, str]]]:
    """Sign ``jobs`` with ``threads`` writers in this process: (start, end, latencies, keyed outcomes)."""
    engine = get_engine(url, pool_size=threads)
    latencies: list[float] = []
    outcomes: list[tuple[str, str, str]] = []  # key, token, ref
    lock = threading.Lock()

    committer = committer_for(engine) if group_commit else None

    def sign(job: Job) -> None:
        contact, key, resent = job
        started = time.perf_counter()
        form = SignForm(city="天津", district="和平区", item_ids=ITEMS, consent=True, contact=contact)
        if committer:
            result = committer.sign(SignRequest(campaign_slug="bench", form=form, browser_token=None,
                                                submission_key=key, resent=resent))
        else:
            with session_scope(engine) as session:
                result = sign_pledge(session=session, campaign_slug="bench", browser_token=None, form=form,
                                     submission_key=key, resent=resent)
        elapsed = time.perf_counter() - started
        with lock:
            latencies.append(elapsed)
            if key:
                outcomes.append((key, result.token, result.ref))

    begin = time.time()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(sign, jobs))
    end = time.time()
    dispose_engines()
    return begin, end, latencies, outcomes


def run(url: str, writers: int, signatures: int, repeat_share: float, processes: int, group_commit: bool,
        keys: bool = False) -> dict:
    engine = get_engine(url)
    with session_scope(engine) as session:
        campaigns.create_campaign(
            session=session,
            data=campaigns.CampaignInput(
                slug="bench", title="压测活动", city=None, starts_on=None, ends_on=None,
                goal=signatures, item_ids=ITEMS,
            ),
        )
    dispose_engines()
    contacts = [f"bench{n}@example.com" for n in range(signatures)]
    first: list[Job] = [(c, new_submission_key() if keys else None, False) for c in contacts]
    repeats: list[Job] = [  # a retry of the same submission, as the page marks it, or a new submission
        (contact, key, True) if keys and n % 2 == 0 else (contact, new_submission_key() if keys else None, False)
        for n, (contact, key, _) in enumerate(first[: int(signatures * repeat_share)])
    ]
    jobs = first + repeats
    secrets.SystemRandom().shuffle(jobs)
    processes = max(1, min(processes, writers))
    shares = [jobs[n::processes] for n in range(processes)]
    threads = [writers // processes + (1 if n < writers % processes else 0) for n in range(processes)]
    if processes == 1:
        results = [_sign_batch(url, shares[0], threads[0], group_commit)]
    else:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
            results = list(pool.map(_sign_batch, [url] * processes, shares, threads, [group_commit] * processes))
    wall = max(r[1] for r in results) - min(r[0] for r in results)
    latencies = sorted(x for r in results for x in r[2])
    seen: dict[str, set[tuple[str, str]]] = {}
    for key, token, ref in (o for r in results for o in r[3]):
        seen.setdefault(key, set()).add((token, ref))
    retried = {key for _, key, resent in repeats if resent}
    engine = get_engine(url)
    with session_scope(engine) as session:
        campaign = campaigns.get_campaign(session=session, slug="bench")
        counted = campaigns.signature_count(session=session, campaign_id=campaign.id)
    return {
        "requests": len(jobs),
        "distinct": signatures,
        "counted": counted,
        "wall_s": wall,
        "per_s": len(jobs) / wall,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "retries": len(retried),
        "retries_same_outcome": sum(len(seen.get(k, ())) == 1 for k in retried),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pledges.bench")
    parser.add_argument("--db", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--writers", type=int, default=50)
    parser.add_argument("--signatures", type=int, default=5000)
    parser.add_argument("--repeat-share", type=float, default=0.1, help="share of contacts sent twice")
    parser.add_argument("--processes", type=int, default=None,
                        help="spread the writers over this many processes (default: 1 for SQLite, whose "
                             "single writer lock queues best in one process; one per core for PostgreSQL)")
    parser.add_argument("--no-group-commit", action="store_true",
                        help="one transaction per signature instead of the app's group commit")
    parser.add_argument("--keys", action="store_true",
                        help="an idempotency key per submission, as the signing page sends; half the repeats "
                             "are retries of the same submission")
    parser.add_argument("--url", help="PostgreSQL URL on 127.0.0.1 (default: TEST_POSTGRES_URL)")
    args = parser.parse_args(argv)
    if args.processes is None:
        args.processes = 1 if args.db == "sqlite" else (os.cpu_count() or 1)
    if not (1 <= args.writers <= 200 and 1 <= args.signatures <= 100_000):
        raise SystemExit("writers 取 1–200，signatures 取 1–100000。")
    os.environ.setdefault("CIVIC_SECRET_KEY", "bench-secret")
    tmp = tempfile.TemporaryDirectory(prefix="pledge-bench-")
    os.environ["CIVIC_DATA_DIR"] = tmp.name  # the secret and nothing else lands here
    reset_settings()
    admin_engine = schema = None
    if args.db == "sqlite":
        url = f"sqlite:///{tmp.name}/bench.sqlite3"
    else:
        base = _postgres_url(args.url)
        schema = f"bench_{secrets.token_hex(4)}"
        admin_engine = create_engine(base)
        with admin_engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = _with_schema(base, schema)
    try:
        result = run(url, args.writers, args.signatures, args.repeat_share, args.processes,
                     not args.no_group_commit, args.keys)
    finally:
        dispose_engines()
        if admin_engine is not None:
            with admin_engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin_engine.dispose()
        tmp.cleanup()
    mode = ("每次签署单独提交" if args.no_group_commit else "分组提交") + ("，带幂等键" if args.keys else "")
    print(f"数据库: {args.db}  并发写入: {args.writers}（{max(1, min(args.processes, args.writers))} 个进程，{mode}）")
    print(f"请求数: {result['requests']}（含重复签署 {result['requests'] - result['distinct']}）")
    print(f"signatures/s: {result['per_s']:.0f}")
    print(f"p50 latency: {result['p50_ms']:.1f} ms   p95 latency: {result['p95_ms']:.1f} ms")
    print(f"sent distinct: {result['distinct']}  counted: {result['counted']}  "
          f"difference: {result['distinct'] - result['counted']}")
    if args.keys:
        print(f"retries: {result['retries']}  returned the first outcome: {result['retries_same_outcome']}")
    exact = result["distinct"] == result["counted"] and result["retries"] == result["retries_same_outcome"]
    return 0 if exact else 1


if __name__ == "__main__":
    sys.exit(main())
