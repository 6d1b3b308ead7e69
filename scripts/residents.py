"""What the load script's simulated residents do: ask on /ask, or sign a campaign.

Each resident is one browser (scripts/stclient.py: its own Streamlit session and cookies).
When the process holding a session goes away (a rolling restart, a crash), the session
reconnects through the balancer the way Streamlit's page does. Its request then counts as
``moved``, not as an error (and as ``retried`` too when it was cut mid-run, so the page
asked for the run again without the click in flight); the resident carries on from what
the page then shows: a chat starts over, a signer whose submission got no confirmation
signs again (the unconfirmed one may or may not be stored: ``unresolved``). Anything else
that goes wrong is an error.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlencode

import httpx
from streamlit.proto.Alert_pb2 import Alert
from websockets.exceptions import WebSocketException

from scripts.stclient import ProtocolError, Run, StreamlitSession, boolean, chat, text, trigger

FAILURES = (ProtocolError, TimeoutError, WebSocketException, OSError, httpx.HTTPError)
SIGN_ATTEMPTS = 3  # a signer whose session moved starts over at most this often


@dataclass(frozen=True)
class Target:
    urls: tuple[str, ...]
    slug: str
    tag: str
    questions: list[tuple[str, str | None]]
    requests: int
    chat_length: int
    timeout: float
    think: float
    names: Iterator[int] = field(default_factory=itertools.count)  # display names unique in the run


@dataclass
class Deadline:
    """When a phase's residents stop starting new steps; a command run ``--during`` a phase may bring it forward."""

    at: float

    def passed(self) -> bool:
        return time.monotonic() >= self.at

    def left(self) -> float:
        return max(0.0, self.at - time.monotonic())


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter = field(default_factory=Counter)
    moved: Counter = field(default_factory=Counter)  # the session's process went away; the page reconnected
    retried: Counter = field(default_factory=Counter)  # ... mid-run: the page asked for the run again
    samples: list[str] = field(default_factory=list)
    confirmed: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)  # submitted, no answer: stored or not
    nodes: Counter = field(default_factory=Counter)  # sessions per process (the balancer's cookie)

    def fail(self, kind: str, why: object) -> None:
        self.errors[kind] += 1
        if len(self.samples) < 5:
            self.samples.append(f"{kind}: {type(why).__name__} {why}")


def _check(run: Run, kind: str, tally: Tally) -> Run:
    if errors := run.errors():
        raise ProtocolError("; ".join(errors)[:300])
    tally.latencies[kind].append(run.seconds)
    return run


async def _step(session: StreamlitSession, tally: Tally, kind: str, request) -> tuple[Run, bool]:  # noqa: ANN001
    """One request; ``moved`` when the session had to reconnect for it (the page retried it)."""
    before = session.reconnects
    run = await request
    moved = session.reconnects != before
    if moved:
        tally.moved[kind] += 1
        tally.retried[kind] += run.retried
        if errors := run.errors():
            raise ProtocolError("; ".join(errors)[:300])
    else:
        _check(run, kind, tally)
    return run, moved


async def _think(target: Target, rng: random.Random, deadline: Deadline) -> None:
    """A resident reading before the next step; never past the deadline."""
    if target.think:
        await asyncio.sleep(min(target.think * rng.uniform(0.5, 1.5), deadline.left()))


def _session(target: Target, http: httpx.AsyncClient, n: int) -> StreamlitSession:
    return StreamlitSession(target.urls[n % len(target.urls)], http=http, timeout=target.timeout)


async def asker(target: Target, http: httpx.AsyncClient, tally: Tally, n: int, deadline: Deadline) -> None:
    """Residents in turn, each asking ``chat_length`` questions in one session (one chat)."""
    rng = random.Random(n)
    left = target.requests
    while left > 0 and not deadline.passed():
        turns = min(left, target.chat_length)
        left -= turns
        await chat_once(target, http, tally, n, turns, deadline, rng)
        await _think(target, rng, deadline)


async def chat_once(target: Target, http: httpx.AsyncClient, tally: Tally, n: int, turns: int,
                    deadline: Deadline, rng: random.Random) -> None:
    """One chat: each question is a rerun; the page must show one more answer each time."""
    try:
        async with _session(target, http, n) as session:
            chat_id, answers = None, 0
            for _ in range(turns):
                if deadline.passed():
                    break
                question, city = rng.choice(target.questions)
                if chat_id is None:
                    request = session.open("ask", urlencode({"q": question} | ({"city": city} if city else {})))
                else:
                    request = session.rerun(chat(chat_id, question))
                run, moved = await _step(session, tally, "ask", request)
                shown = run.blocks.count("chat_message") // 2  # each turn: the question and its answer
                if not moved and shown != answers + 1:
                    raise ProtocolError(f"expected {answers + 1} answers, the page shows {shown}")
                answers = shown  # after a move the chat on screen started over
                chat_id = run.widget("chat_input").id
                await _think(target, rng, deadline)
            tally.nodes[session.node] += 1
    except FAILURES as exc:
        tally.fail("ask", exc)


async def sign_once(target: Target, http: httpx.AsyncClient, tally: Tally, n: int, deadline: Deadline,
                    rng: random.Random) -> None:
    """A new browser session: campaign page → 立即签署承诺 → form → submit → confirmation."""
    kind = "campaign"
    try:
        async with _session(target, http, n) as session:
            for _ in range(SIGN_ATTEMPTS):
                kind = "campaign"
                run, _ = await _step(session, tally, kind, session.open("campaign", urlencode({"c": target.slug})))
                await _think(target, rng, deadline)
                kind = "form"
                run, moved = await _step(session, tally, kind,
                                         session.rerun(trigger(run.widget("button", "立即签署承诺").id)))
                if moved and not run.of("text_input"):
                    continue  # the click was lost with the old session: start again
                await _think(target, rng, deadline)
                if deadline.passed():
                    return  # not submitted: nothing to count
                name = f"压测{target.tag}-{next(target.names)}"
                kind = "sign"
                tally.unresolved.append(name)
                run, moved = await _step(session, tally, kind, session.rerun(*_filled_form(run, name, rng)))
                if _confirmed(run):
                    tally.unresolved.remove(name)
                    tally.confirmed.append(name)
                    tally.nodes[session.node] += 1
                    return
                if not moved:
                    tally.unresolved.remove(name)
                    raise ProtocolError("no confirmation after submitting")
                # moved without a confirmation: the resident signs again (the first may be stored)
            raise ProtocolError(f"no signature after {SIGN_ATTEMPTS} attempts")
    except FAILURES as exc:
        tally.fail(kind, exc)


def _filled_form(run: Run, name: str, rng: random.Random) -> list:
    district = run.widget("selectbox", "区县")
    items = [c for c in run.of("checkbox") if c.form_id and "-item_" in c.id]
    if not district.options or not items:
        raise ProtocolError("the form has no districts or no items")
    return [
        text(district.id, rng.choice(district.options)),
        *(boolean(c.id, True) for c in rng.sample(items, k=rng.randint(1, min(3, len(items))))),
        text(run.widget("text_input", "显示名称").id, name),
        boolean(run.widget("checkbox", "我已阅读并同意").id, True),
        trigger(run.widget("button", "签署承诺").id),
    ]


def _confirmed(run: Run) -> bool:
    thanked = any(a.startswith("感谢您的承诺") for a in run.alerts(Alert.SUCCESS))
    # The private link is shown in the thank-you page's copy box (webui/a11y.copy_box).
    return thanked and any("/my-pledge?t=" in h.body for h in run.of("html"))


async def signer(target: Target, http: httpx.AsyncClient, tally: Tally, n: int, deadline: Deadline) -> None:
    rng = random.Random(10**6 + n)
    for _ in range(target.requests):
        if deadline.passed():
            return
        await sign_once(target, http, tally, n, deadline, rng)
        await _think(target, rng, deadline)
