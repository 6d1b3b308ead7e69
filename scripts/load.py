"""Load test: concurrent Streamlit sessions asking questions and signing a campaign.

    .venv/bin/python scripts/load.py --sessions 8 --requests-per-session 5 --duration 60
    .venv/bin/python scripts/load.py --ramp 2,4,8,16,32 --duration 30 --data-dir /tmp/civic-load \\
        [--database-url postgresql+psycopg://postgres@127.0.0.1:54329/civic_load] [--processes 2]
    .venv/bin/python scripts/load.py --url http://127.0.0.1:8501 --data-dir .data ...   # running app(s)
    .venv/bin/python scripts/load.py --deployment .deploy ...   # through nginx (python -m deploy up)
    .venv/bin/python scripts/load.py --deployment .deploy --during "python -m deploy restart" ...

Without ``--url`` it builds the index into the data directory if missing and starts
``--processes`` copies of ``streamlit run`` on 127.0.0.1 (tests/browser.py:start_app),
sharing one database; each session sticks to one process, as behind a load balancer
with sticky sessions. It creates a campaign for the run. Half the sessions ask
questions on /ask (the first from a ``?q=`` link, the rest typed into the chat input;
a new chat, i.e. a new Streamlit session, every ``--chat-length`` questions);
the other half sign: open /campaign?c=<slug>, click 立即签署承诺, fill in the form with
a unique display name and submit. A browser session signs once, so each signature is
a fresh session. A request is one script run, timed from the rerun request to
``script_finished`` plus the images the run shows; a session sends its next request
as soon as the last finished unless ``--think`` is given. At the end every display
name the page confirmed must be in the database exactly once, and nothing else.

With ``--deployment`` the sessions go through the deployment's nginx, which places them
(scripts/residents.py: what a resident does when its process goes away); CPU and memory
are reported per app process, and ``--during`` runs a command (a rolling restart) in the
first phase. Bounded: at most 256 sessions, 300 s per phase plus at most twice the request timeout (60 s)
for requests in flight; loopback addresses only.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from civic.settings import REPO_ROOT  # noqa: E402
from scripts.procstats import Sampler, Support, memory_mb  # noqa: E402
from scripts.residents import Deadline, Tally, Target, asker, chat_once, sign_once, signer  # noqa: E402
from scripts.stclient import check_loopback  # noqa: E402

KINDS = ("ask", "campaign", "form", "sign")
P95_LIMIT_S = 2.0
MAX_SESSIONS, MAX_DURATION_S, MAX_TIMEOUT_S, WARM_UP_TIMEOUT_S = 256, 300, 60, 120
DEV_QUESTIONS = REPO_ROOT.parent / "shared" / "eval" / "dev.jsonl"
DURING_LEAD_S, DURING_TAIL_S = 5.0, 5.0  # a --during command starts this long into the phase; the phase ends this long after it


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(len(ordered) * p / 100) - 1)] if ordered else float("nan")


def summarise(values: list[float], errors: int, wall: float) -> dict:
    return {"requests": len(values), "per_s": round(len(values) / wall, 2),
            "p50_s": round(percentile(values, 50), 3), "p95_s": round(percentile(values, 95), 3),
            "max_s": round(max(values, default=float("nan")), 3), "errors": errors}


async def phase(target: Target, sessions: int, duration: float, sign_share: float,
                pids: Callable[[], dict[str, int]], during: list[str] | None = None,
                support_roots: dict[str, int] | None = None) -> dict:
    """``sessions`` concurrent sessions until each finished its requests or ``duration`` passed.

    ``during``: a command started DURING_LEAD_S into the phase (e.g. a rolling restart); the
    phase then ends DURING_TAIL_S after the command does."""
    tally, signers, load_avg = Tally(), round(sessions * sign_share), os.getloadavg()[0]
    deadline, start, sampler = Deadline(time.monotonic() + duration), time.perf_counter(), Sampler(pids())
    sampler.start()
    support = Support(support_roots or {})
    ran: dict = {}

    async def run_during() -> None:
        await asyncio.sleep(DURING_LEAD_S)
        began = time.monotonic()
        proc = await asyncio.create_subprocess_exec(*during, cwd=REPO_ROOT)
        ran.update(command=shlex.join(during), returncode=await proc.wait(),
                   seconds=round(time.monotonic() - began, 1))
        deadline.at = min(deadline.at, time.monotonic() + DURING_TAIL_S)

    async with httpx.AsyncClient(trust_env=False, timeout=target.timeout,
                                 limits=httpx.Limits(max_connections=2 * sessions + 4)) as http:
        tasks = [asyncio.create_task((signer if n < signers else asker)(target, http, tally, n, deadline))
                 for n in range(sessions)]
        if during:
            tasks.append(asyncio.create_task(run_during()))
        _, pending = await asyncio.wait(tasks, timeout=duration + 2 * target.timeout + 5)
        for task in pending:  # the hard cap: cancel what outlived its own timeouts
            task.cancel()
            tally.fail("cancelled", "still running at the hard time limit")
        await asyncio.gather(*pending, return_exceptions=True)
    wall = time.perf_counter() - start
    kinds = {k: summarise(tally.latencies[k], tally.errors[k], wall) | {"moved": tally.moved[k],
                                                                        "retried": tally.retried[k]}
             for k in KINDS if tally.latencies[k] or tally.errors[k] or tally.moved[k]}
    kinds["all"] = summarise(sum(tally.latencies.values(), []), sum(tally.errors.values()), wall)
    kinds["all"].update(moved=sum(tally.moved.values()), retried=sum(tally.retried.values()))
    processes = await sampler.stop(pids())
    cpu_elsewhere = support.stop()
    cpu = [p["cpu_s"] for p in processes.values()]
    return {"sessions": sessions, "signing_sessions": signers, "wall_s": round(wall, 1), "kinds": kinds,
            "load_avg_before": round(load_avg, 1),
            "app_cpu_s": round(sum(cpu), 1) if cpu and None not in cpu else None,
            "app_rss_mb": (sum(p["rss_mb"] for p in processes.values())
                           if processes and None not in [p["rss_mb"] for p in processes.values()] else None),
            "processes": processes, "sessions_per_node": dict(tally.nodes), "during": ran or None,
            "cpu_elsewhere_s": cpu_elsewhere,
            "error_samples": tally.samples, "confirmed": tally.confirmed, "unresolved": tally.unresolved}


def worst_p95(result: dict) -> float:
    """The largest p95 of any kind of request: the threshold applies to each."""
    return max((k["p95_s"] for name, k in result["kinds"].items() if name != "all" and k["requests"]),
               default=float("inf"))


def print_phase(result: dict, baseline: dict[str, dict]) -> None:
    cpu = "" if result["app_cpu_s"] is None else f", app CPU {result['app_cpu_s']} s, RSS {result['app_rss_mb']} MB"
    print(f"\n{result['sessions']} sessions ({result['signing_sessions']} signing), {result['wall_s']} s{cpu}"
          f", machine load average before {result['load_avg_before']}")
    print(f"{'kind':<9}{'requests':>9}{'per s':>8}{'p50 s':>8}{'p95 s':>8}{'max s':>8}{'errors':>8}"
          f"{'moved':>7}{'retried':>8}")
    for name, k in result["kinds"].items():
        print(f"{name:<9}{k['requests']:>9}{k['per_s']:>8}{k['p50_s']:>8}{k['p95_s']:>8}{k['max_s']:>8}"
              f"{k['errors']:>8}{k['moved']:>7}{k['retried']:>8}")
    if result["kinds"]["all"]["moved"]:
        print("  moved: the session's process went away and the page reconnected to another one;"
              " retried: it went away mid-run and the page asked for the run again (a click in flight is lost)")
    for name, p in result["processes"].items():
        if p["restarted"]:
            print(f"  process {name} (pid {p['pid']}) was restarted during the phase")
            continue
        idle = (baseline.get(name) or {}).get("rss")
        growth = "" if idle is None else f", +{p['peak_rss_mb'] - idle:.0f} MB over idle {idle:.0f} MB"
        print(f"  process {name} (pid {p['pid']}): CPU {p['cpu_s']} s ({_share(p['cpu_s'], result['wall_s'])} "
              f"of a core), peak RSS {p['peak_rss_mb']} MB{growth}, PSS now {p['pss_mb']} MB")
    if result["sessions_per_node"]:
        print("  sessions finished per process:", ", ".join(f"{k or '?'}: {v}"
                                                          for k, v in sorted(result["sessions_per_node"].items(),
                                                                             key=lambda kv: str(kv[0]))))
    print("  CPU elsewhere: " + ", ".join(f"{k} {v} s" for k, v in result["cpu_elsewhere_s"].items()))
    if per := per_session_mb(result, baseline):
        print(f"  peak RSS growth per concurrent session: {per:.1f} MB (the working memory of runs in flight)")
    if result["during"]:
        d = result["during"]
        print(f"  during the phase: `{d['command']}` took {d['seconds']} s, exit code {d['returncode']}")
    for sample in result["error_samples"]:
        print("  error:", sample)


def _share(cpu_s: float | None, wall_s: float) -> str:
    return "?" if cpu_s is None or not wall_s else f"{cpu_s / wall_s:.2f}"


def per_session_mb(result: dict, baseline: dict[str, dict]) -> float | None:
    """What the level's sessions added to memory: peak RSS over the idle RSS after warm-up, per session."""
    grown = [p["peak_rss_mb"] - baseline[name]["rss"] for name, p in result["processes"].items()
             if baseline.get(name) and not p["restarted"]]
    return sum(grown) / result["sessions"] if grown and len(grown) == len(result["processes"]) else None


def count_check(database_url: str, slug: str, confirmed: list[str], unresolved: list[str]) -> dict:
    """Every confirmed display name is stored exactly once, and nothing unexpected is."""
    from civic.db import get_engine, session_scope
    from pledges import campaigns, stats

    with session_scope(get_engine(database_url)) as session:
        campaign = campaigns.get_campaign(session=session, slug=slug)
        counted = campaigns.signature_count(session=session, campaign_id=campaign.id)
        names = Counter(r.display_name for r in stats.signature_rows(session=session, campaign=campaign))
    wanted, maybe = set(confirmed), set(unresolved)
    check = {
        "confirmed": len(confirmed), "counted": counted, "unresolved": len(unresolved),
        "unresolved_counted": sum(names[n] for n in maybe),
        "duplicates": sorted(n for n, c in names.items() if c > 1 and n in wanted),
        "missing": sorted(n for n in wanted if not names[n]),
        "unexpected": sorted(n or "(anonymous)" for n in names if n not in wanted | maybe),
    }
    check["ok"] = (counted == len(confirmed) + check["unresolved_counted"]
                   and not (check["duplicates"] or check["missing"] or check["unexpected"]))
    return check


def load_questions(path: Path | None) -> list[tuple[str, str | None]]:
    """(question, city) from JSON lines like ../shared/eval/dev.jsonl, else the Ask page's examples."""
    path = path or (DEV_QUESTIONS if DEV_QUESTIONS.exists() else None)
    if path is None:
        import tomllib

        examples = tomllib.loads((REPO_ROOT / "webui" / "examples.toml").read_text("utf-8"))["examples"]
        return [(q, city or None) for city, qs in examples.items() for q in qs]
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return [(r["question"], r.get("city")) for r in rows]


def create_campaign(database_url: str, tag: str) -> str:
    """A 定州 campaign for this run, so the form offers districts at once."""
    from civic.db import get_engine, session_scope
    from pledges import campaigns
    from pledges.catalogue import load_catalogue

    items = tuple(i for i, item in load_catalogue().items.items() if "定州" in item.cities)[:6]
    data = campaigns.CampaignInput(slug=f"load-{tag}", title=f"压力测试活动 {tag}", city="定州", starts_on=None,
                                   ends_on=None, goal=100_000, item_ids=items)
    with session_scope(get_engine(database_url)) as session:
        return campaigns.create_campaign(session=session, data=data).slug


def start_servers(count: int, data_dir: Path, database_url: str | None, app_env: list[str], scratch: Path) -> list:
    """Build the index if missing, then ``count`` app processes sharing one database and secret.

    ``database_url`` None means the app's default, SQLite in ``data_dir``."""
    from tests.browser import start_app

    if not (data_dir / "index" / "chroma").exists():
        print("building the index into", data_dir, flush=True)
        subprocess.run([sys.executable, "-m", "retrieval.ingest"], cwd=REPO_ROOT, check=True,
                       env=dict(os.environ, CIVIC_DATA_DIR=str(data_dir)), stdout=subprocess.DEVNULL)
    extra = dict(pair.split("=", 1) for pair in app_env)
    if database_url or count > 1:
        extra["DATABASE_URL"] = database_url or f"sqlite:///{data_dir / 'civic.sqlite3'}"
    procs = []
    for k in range(count):
        own = data_dir if k == 0 else scratch / f"app-{k}"  # an embedded Chroma store per process
        if k:
            shutil.copytree(data_dir / "index", own / "index")
        procs.append(start_app(own, extra))  # start_app gives every process the same CIVIC_SECRET_KEY
    return procs


async def warm_up(target: Target, urls: list[str]) -> None:
    """Load the models and render each page once in every process; nothing is submitted."""
    once, tally = replace(target, urls=tuple(urls), requests=1, think=0, timeout=WARM_UP_TIMEOUT_S), Tally()
    async with httpx.AsyncClient(trust_env=False, timeout=WARM_UP_TIMEOUT_S) as http:
        for n in range(len(urls)):
            await chat_once(once, http, tally, n, 1, Deadline(time.monotonic() + WARM_UP_TIMEOUT_S), random.Random(0))
            await sign_once(once, http, tally, n, Deadline(0.0), random.Random(0))  # deadline passed: no submit
    if tally.errors:
        raise SystemExit("warm-up failed: " + "; ".join(tally.samples))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add = parser.add_argument
    add("--url", action="append", default=[], help="a running app on 127.0.0.1 (repeat for several processes)")
    add("--deployment", type=Path, help="a local deployment's folder (python -m deploy up): load it through its nginx")
    add("--during", help="a command to run once during the (first) phase, e.g. 'python -m deploy restart'")
    add("--processes", type=int, default=1, help="app processes to start (1-4) when no --url is given")
    add("--data-dir", type=Path, help="app data dir: index, SQLite file (default: a temp dir)")
    add("--database-url", help="e.g. postgresql+psycopg://postgres@127.0.0.1:54329/civic_load (default: SQLite)")
    add("--sessions", type=int, default=4, help="concurrent sessions (half ask, half sign)")
    add("--ramp", help="comma-separated session counts, e.g. 2,4,8,16; stops after the first over 2 s p95")
    add("--requests-per-session", type=int, default=5,
        help="questions per asking session, signatures per signing session")
    add("--chat-length", type=int, default=5, help="questions per chat; then a new resident opens a new chat")
    add("--duration", type=float, default=60, help="seconds per phase (max 300)")
    add("--timeout", type=float, default=30, help="seconds one request may take (max 60)")
    add("--think", type=float, default=0.0, help="mean pause in seconds between a session's requests")
    add("--sign-share", type=float, default=0.5, help="share of sessions that sign")
    add("--questions", type=Path, help="JSON lines with question and city (default ../shared/eval/dev.jsonl)")
    add("--app-env", action="append", default=[], metavar="NAME=VALUE", help="extra environment for started apps")
    add("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    args.levels = [int(x) for x in args.ramp.split(",")] if args.ramp else [args.sessions]
    if not (all(1 <= n <= MAX_SESSIONS for n in args.levels) and len(args.levels) <= 10):
        parser.error(f"sessions must be 1..{MAX_SESSIONS}, at most 10 ramp steps")
    if not (0 < args.duration <= MAX_DURATION_S and 0 < args.timeout <= MAX_TIMEOUT_S):
        parser.error(f"--duration must be in (0, {MAX_DURATION_S}] and --timeout in (0, {MAX_TIMEOUT_S}]")
    if not (1 <= args.requests_per_session <= 1000 and 1 <= args.chat_length <= 50 and 0 <= args.sign_share <= 1
            and 0 <= args.think <= 60 and 1 <= args.processes <= 4):
        parser.error("--requests-per-session 1..1000, --chat-length 1..50, --sign-share 0..1, --think 0..60, "
                     "--processes 1..4")
    try:
        args.url = [check_loopback(u) for u in args.url]
    except ValueError as exc:
        parser.error(str(exc))
    if args.deployment:
        state = json.loads((args.deployment / "state.json").read_text("utf-8"))  # FileNotFoundError: not up
        args.url = [check_loopback("http://" + state["listen"])]
        args.database_url = state["database_url"]
    args.during = shlex.split(args.during) if args.during else None
    if args.url and not (args.data_dir or args.database_url):
        parser.error("with --url, say where its database is: --data-dir (SQLite) or --database-url")
    db_url = args.database_url or "sqlite:"
    if not db_url.startswith("sqlite:") and not db_url.split("@")[-1].startswith(("127.0.0.1", "localhost", "[::1]")):
        parser.error("--database-url must be SQLite or a server on 127.0.0.1")
    if any("=" not in pair for pair in args.app_env):
        parser.error("--app-env takes NAME=VALUE")
    return args


def app_urls(args: argparse.Namespace) -> list[str]:
    """Each app process itself (behind a balancer, its own port), for the warm-up."""
    if args.deployment:
        state = json.loads((args.deployment / "state.json").read_text("utf-8"))
        return [f"http://127.0.0.1:{app['port']}" for app in state["apps"]]
    return args.url


def support_pids(args: argparse.Namespace) -> dict[str, int]:
    """A deployment's other servers (nginx, PostgreSQL, Chroma) by their main process."""
    if not args.deployment:
        return {}
    state, roots = json.loads((args.deployment / "state.json").read_text("utf-8")), {}
    for name, pid_file in (("nginx", args.deployment / "nginx" / "nginx.pid"),
                           ("PostgreSQL", args.deployment / "postgres" / "data" / "postmaster.pid")):
        with contextlib.suppress(OSError, ValueError, IndexError):
            roots[name] = int(pid_file.read_text().split()[0])
    if state.get("chroma", {}).get("pid"):
        roots["Chroma"] = state["chroma"]["pid"]
    return roots


def app_pids(args: argparse.Namespace, procs: list) -> dict[str, int]:
    """The app processes to measure, by name: the deployment's (read afresh: restarts change them) or ours."""
    if args.deployment:
        state = json.loads((args.deployment / "state.json").read_text("utf-8"))
        return {app["name"]: app["pid"] for app in state["apps"]}
    return {f"p{k + 1}": proc.pid for k, (proc, _) in enumerate(procs)}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="civic-load-"))
    data_dir = (args.data_dir or scratch / "data").resolve()
    database_url = args.database_url or f"sqlite:///{data_dir / 'civic.sqlite3'}"
    procs: list = []
    try:
        began = time.perf_counter()
        if not args.url:
            procs = start_servers(args.processes, data_dir, args.database_url, args.app_env, scratch)
            args.url = [app.url for _, app in procs]
            print(f"{len(procs)} app process(es) started in {time.perf_counter() - began:.1f} s", flush=True)
        pids = app_pids(args, procs)
        tag = os.urandom(3).hex()
        target = Target(urls=tuple(args.url), slug=create_campaign(database_url, tag), tag=tag,
                        questions=load_questions(args.questions), requests=args.requests_per_session,
                        chat_length=args.chat_length, timeout=args.timeout, think=args.think)
        print(f"apps {', '.join(target.urls)}; database {database_url.split(':')[0]}; campaign {target.slug}")
        began = time.perf_counter()
        asyncio.run(warm_up(target, app_urls(args)))
        print(f"warm-up (the first question loads the models) {time.perf_counter() - began:.1f} s", flush=True)
        baseline = {name: memory_mb(pid) for name, pid in pids.items()}
        if baseline:
            print("idle after warm-up: " + ", ".join(f"{name} RSS {m['rss']:.0f} MB / PSS {m['pss']:.0f} MB"
                                                     for name, m in baseline.items() if m))
        results, held = [], None
        for level, sessions in enumerate(args.levels):
            during = args.during if level == 0 else None
            result = asyncio.run(phase(target, sessions, args.duration, args.sign_share,
                                       lambda: app_pids(args, procs), during, support_pids(args)))
            results.append(result)
            print_phase(result, baseline)
            if not result["kinds"]["all"]["errors"] and worst_p95(result) <= P95_LIMIT_S:
                held = sessions
            elif args.ramp:
                break
        check = count_check(database_url, target.slug, sum((r.pop("confirmed") for r in results), []),
                            sum((r.pop("unresolved") for r in results), []))
        print(f"\nsignatures: confirmed {check['confirmed']}, counted {check['counted']}, "
              f"unresolved {check['unresolved']} → {'OK' if check['ok'] else 'MISMATCH'}")
        for key in ("duplicates", "missing", "unexpected"):
            if check[key]:
                print(f"  {key}: {check[key][:10]}")
        if args.ramp:
            print(f"largest concurrency with every kind's p95 ≤ {P95_LIMIT_S:g} s and no errors: {held or 'none'}")
        if args.json:
            args.json.write_text(json.dumps({"database": database_url.split(":")[0],
                                             "processes": len(pids) or len(target.urls), "think_s": args.think,
                                             "idle": baseline, "phases": results, "held": held, "check": check},
                                            ensure_ascii=False, indent=1))
        errors = sum(r["kinds"]["all"]["errors"] for r in results)
        during_failed = any((r["during"] or {}).get("returncode") for r in results)
        return 0 if check["ok"] and (args.ramp or not errors) and not during_failed else 1
    finally:
        for proc, _ in procs:
            proc.terminate()
        for proc, _ in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
