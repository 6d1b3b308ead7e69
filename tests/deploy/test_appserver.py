"""deploy/appserver.py: told to stop, an app process finishes the run in flight before it closes.

A real ``python -m deploy.appserver`` on the suite's index; two sessions, one in the
middle of its first question (which loads the models: seconds), one idle. SIGTERM: the
question is answered in full, then both websockets close with 1012 (service restart) so
their pages reconnect elsewhere, and the process exits by itself.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
from pathlib import Path
from urllib.parse import urlencode

from websockets.protocol import State

from deploy import services
from deploy.services import run_async
from scripts.stclient import StreamlitSession


def test_sigterm_lets_the_run_in_flight_finish_then_closes_every_session(built_index: Path, tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(built_index, data, ignore=shutil.ignore_patterns("*.sqlite3*", "streamlit.log"))
    port, log = services.free_port(), tmp_path / "app.log"
    # A cold first question takes seconds (tens on a busy machine): let the drain wait for it as long as it takes.
    pid = services.start_app(port, dict(os.environ, CIVIC_DATA_DIR=str(data), CIVIC_SECRET_KEY="t"), log,
                             drain_timeout_s=600)
    try:
        services.wait_healthy(port, pid, log)
        url = f"http://127.0.0.1:{port}"

        async def visit() -> tuple:
            async with StreamlitSession(url, timeout=600) as asking, StreamlitSession(url, timeout=600) as idle:
                await idle.open("", "")
                question = asyncio.create_task(asking.open("ask", urlencode({"q": "城镇清洁取暖率要达到多少？"})))
                while not asking.received:  # the run has started (the models take seconds to load)
                    await asyncio.sleep(0.01)
                assert not question.done()
                os.kill(pid, signal.SIGTERM)
                run = await question
                await asyncio.sleep(1.0)
                return run, asking._ws.close_code, idle._ws.close_code, asking._ws.state, asking.reconnects

        run, asking_code, idle_code, state, reconnects = run_async(visit())
        assert not run.retried and reconnects == 0  # answered on its own session, not cut and rerun
        assert run.blocks.count("chat_message") == 2 and not run.errors()
        assert asking_code == idle_code == 1012 and state is State.CLOSED
        assert services.wait_until(lambda: not services.alive(pid), 120)
        assert "drained: 2 sessions closed between runs" in log.read_text()
    finally:
        services.stop(pid, timeout=5)
