"""Memory per open session: hold N residents' sessions open and see what the app processes grew by.

    .venv/bin/python scripts/sessionmem.py --deployment .deploy --sessions 200

Each session is a browser tab left open: half asked ``--turns`` questions on /ask (the
chat with its answers and citations is kept in the session), half opened the
deployment's default campaign page. Memory is read from /proc before the sessions open,
once all are open (after a garbage collection has had time to run), and after they
closed. Loopback only; at most 1,000 sessions.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.procstats import memory_mb  # noqa: E402
from scripts.stclient import StreamlitSession, chat  # noqa: E402

QUESTIONS = ["石嘴山农村冬天烧煤取暖有什么要求？", "城镇清洁取暖率要达到多少？", "天津对新能源汽车有什么要求？",
             "运城的清洁取暖目标是什么？", "定州怎么推进农村生活污水治理？"]


def snapshot(pids: dict[str, int]) -> dict[str, dict]:
    return {name: memory_mb(pid) for name, pid in pids.items()}


async def hold(url: str, sessions: int, batch: int, turns: int) -> list[StreamlitSession]:
    opened: list[StreamlitSession] = []
    async with httpx.AsyncClient(trust_env=False, timeout=60) as http:
        async def one(n: int) -> None:
            session = StreamlitSession(url, http=http, timeout=60)
            await session.__aenter__()
            opened.append(session)
            if n % 2:
                run = await session.open("campaign", "")
            else:
                run = await session.open("ask", urlencode({"q": QUESTIONS[n % len(QUESTIONS)]}))
                for turn in range(1, turns):
                    run = await session.rerun(chat(run.widget("chat_input").id, QUESTIONS[(n + turn) % len(QUESTIONS)]))
            if run.errors():
                raise RuntimeError(run.errors())

        for start in range(0, sessions, batch):
            await asyncio.gather(*(one(n) for n in range(start, min(sessions, start + batch))))
    return opened


async def main_async(args: argparse.Namespace) -> dict:
    state = json.loads((args.deployment / "state.json").read_text("utf-8"))
    pids = {app["name"]: app["pid"] for app in state["apps"]}
    url = "http://" + state["listen"]
    before = snapshot(pids)
    began = time.perf_counter()
    opened = await hold(url, args.sessions, args.batch, args.turns)
    took = time.perf_counter() - began
    await asyncio.sleep(5)  # let Python's collector and the allocator settle
    held = snapshot(pids)
    per_node = {name: sum(1 for s in opened if s.node == name) for name in pids}
    for session in opened:
        await session.__aexit__(None, None, None)
    await asyncio.sleep(5)
    after = snapshot(pids)
    return {"sessions": args.sessions, "open_s": round(took, 1), "per_node": per_node,
            "before": before, "held": held, "after_close": after}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--deployment", type=Path, required=True, help="a local deployment's folder")
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--batch", type=int, default=8, help="sessions opened at once")
    parser.add_argument("--turns", type=int, default=1, help="questions each asking session asks (1-20)")
    args = parser.parse_args(argv)
    if not (1 <= args.sessions <= 1000 and 1 <= args.turns <= 20):
        parser.error("--sessions must be 1..1000, --turns 1..20")
    result = asyncio.run(main_async(args))
    print(f"{result['sessions']} sessions opened in {result['open_s']} s: {result['per_node']}")
    print(f"{'process':<8}{'RSS before':>11}{'held':>8}{'closed':>8}{'anon before':>12}{'held':>8}{'PSS held':>9}"
          f"{'MB/session':>11}")
    for name, before in result["before"].items():
        held, after, n = result["held"][name], result["after_close"][name], result["per_node"][name]
        per = (held["rss"] - before["rss"]) / n if n else float("nan")
        print(f"{name:<8}{before['rss']:>11.0f}{held['rss']:>8.0f}{after['rss']:>8.0f}{before['anon']:>12.0f}"
              f"{held['anon']:>8.0f}{held['pss']:>9.0f}{per:>11.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
