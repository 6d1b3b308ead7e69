"""One app process as deployed: ``streamlit run streamlit_app.py`` that stops gracefully.

    python -m deploy.appserver [--drain-timeout 60] --server.address 127.0.0.1 --server.port 8501 [other streamlit options]

Streamlit's own SIGTERM handler closes every websocket at once, cutting any script run in
flight: the page reconnects and reruns, but a click or a chat message in that run is lost,
and a signature may be stored without the resident seeing it confirmed. Here SIGTERM (what
`python -m deploy restart`, `down` and systemd send) drains first: each session's websocket
is closed as soon as its current run has finished and its messages have left, so the
browser reconnects between two runs, through nginx, to another process, losing nothing but
the session's screen state. After DRAIN_TIMEOUT_S the server stops regardless.

This reads Streamlit's runtime internals (pinned: streamlit 1.67); if they are not as
expected it falls back to Streamlit's own immediate stop and says so in the log.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections.abc import Callable
from typing import Any

from civic.settings import REPO_ROOT

# Longer than any run: a process's first question loads the models (seconds; tens of seconds
# on a busy machine). systemd's TimeoutStopSec and deploy.services.APP_STOP_S allow for it.
DRAIN_TIMEOUT_S = 60.0
SETTLE_S = 0.05  # a session idle twice this far apart, with nothing queued, is between runs
log = logging.getLogger("deploy.appserver")


def _idle(info: Any) -> bool:
    """No script run in progress or starting, and nothing left to send to the browser."""
    from streamlit.runtime.app_session import AppSessionState

    session, client = info.session, info.client
    return (session._state is AppSessionState.APP_NOT_RUNNING and session._scriptrunner is None
            and session._browser_queue.is_empty() and client._send_queue.empty())


async def drain(server: Any, timeout_s: float = DRAIN_TIMEOUT_S) -> int:
    """Close each session's websocket between runs; returns how many were closed that way."""
    loop = asyncio.get_running_loop()
    deadline, closed = loop.time() + timeout_s, set()
    runtime = server._runtime
    while loop.time() < deadline:
        infos = [i for i in runtime._session_mgr.list_active_sessions() if i.session.id not in closed]
        if not infos:
            break
        waiting = [i for i in infos if _idle(i)]
        if waiting:
            await asyncio.sleep(SETTLE_S)  # a run requested meanwhile shows up as not idle
        for info in waiting:
            if _idle(info):  # checked and closed with no await between: no run can start in between
                closed.add(info.session.id)
                loop.create_task(info.client._websocket.close(code=1012, reason="draining"))
        await asyncio.sleep(SETTLE_S)
    return len(closed)


def _installer(timeout_s: float) -> Callable[[Any], None]:
    def install(server: Any) -> None:
        _install(server, timeout_s)

    return install


def _install(server: Any, timeout_s: float) -> None:
    """Replaces streamlit.web.bootstrap._set_up_signal_handler: drain, then Streamlit's own stop."""
    loop = asyncio.get_running_loop()
    stopping = False

    async def drain_then_stop() -> None:
        try:
            closed = await drain(server, timeout_s)
            log.info("drained: %d sessions closed between runs", closed)
        except Exception:  # noqa: BLE001 - never keep a process alive that was told to stop
            log.exception("graceful drain failed; stopping at once")
        server.stop()

    def on_signal(signum: int, _frame: Any) -> None:
        nonlocal stopping
        if stopping or signum == signal.SIGINT:  # a second signal, or Ctrl-C: stop now
            loop.call_soon_threadsafe(server.stop)
            return
        stopping = True
        loop.call_soon_threadsafe(lambda: loop.create_task(drain_then_stop()))

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGQUIT):
        signal.signal(sig, on_signal)


def main(argv: list[str]) -> None:
    from streamlit.runtime.app_session import AppSession
    from streamlit.web import bootstrap, cli

    timeout_s = DRAIN_TIMEOUT_S
    if argv[:1] == ["--drain-timeout"]:
        timeout_s, argv = float(argv[1]), argv[2:]
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    expected = all(hasattr(AppSession, a) for a in ("request_rerun", "flush_browser_queue")) and hasattr(
        bootstrap, "_set_up_signal_handler")
    if expected:
        bootstrap._set_up_signal_handler = _installer(timeout_s)
    else:
        log.warning("this Streamlit's internals are not the ones deploy/appserver.py knows: no graceful drain")
    sys.argv = ["streamlit", "run", str(REPO_ROOT / "streamlit_app.py"), *argv]
    from webui import warmup

    warmup.start()  # the Q&A loads while the server starts, not on the first visitor's question
    cli.main()


if __name__ == "__main__":
    main(sys.argv[1:])
