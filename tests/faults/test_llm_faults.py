"""The optional LLM endpoint down or silent: the extractive answer, served at once.

Two endpoints that fail in different ways: (a) a closed loopback port (refused at
once) and (b) a local server that accepts the request and never replies. The
real OpenAI-compatible client (langchain-openai, the ``llm`` extra) talks to
them. The first question after the outage waits at most the timeout; the circuit
breaker then keeps later questions away from the endpoint until the cooldown ends.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from civic.settings import REPO_ROOT, reset_settings
from retrieval.answer import Status, get_asker
from retrieval.answer import messages as msg
from retrieval.answer.llm import CircuitBreaker

APP = str(REPO_ROOT / "streamlit_app.py")
QUESTIONS = [("石嘴山城市生活污水集中处理率目标是多少？", "98%"), ("葫芦岛新建的大型数据中心PUE最高不能超过多少？", "1.3")]


def _require_client() -> None:
    try:
        import langchain_openai  # noqa: F401
    except ImportError:
        import os

        if os.environ.get("CI"):
            pytest.fail("langchain-openai is missing: install the llm extra (pip install -e '.[llm]')")
        pytest.skip("langchain-openai not installed (pip install -e '.[llm]')")


class SilentServer:
    """Accepts connections and never answers; counts them."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._held: list[socket.socket] = []
        self._closing = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self._closing.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            self._held.append(conn)  # the request sits unread in the socket buffer; no reply ever

    def close(self) -> None:
        self._closing.set()
        self.sock.close()
        for conn in self._held:
            conn.close()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def silent_server() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.close()


def _point_llm_at(monkeypatch, port: int) -> None:
    _require_client()
    monkeypatch.setenv("CIVIC_LLM_BASE_URL", f"http://127.0.0.1:{port}/v1")
    monkeypatch.setenv("CIVIC_LLM_MODEL", "qwen2.5:7b")
    monkeypatch.setenv("CIVIC_LLM_TIMEOUT_S", "1")
    monkeypatch.setenv("CIVIC_LLM_COOLDOWN_S", "600")
    reset_settings()


def _ask_twice(asker) -> list[float]:
    times = []
    for question, figure in QUESTIONS:
        started = time.perf_counter()
        answer = asker.ask(question)
        times.append(time.perf_counter() - started)
        assert answer.status is Status.ANSWERED and answer.citations
        assert answer.composer == "extractive" and figure in answer.text
        assert answer.composer_note == msg.LLM_UNAVAILABLE
    return times


def test_silent_endpoint_is_waited_for_once(indexed, monkeypatch, silent_server):
    _point_llm_at(monkeypatch, silent_server.port)
    asker = get_asker()
    assert silent_server.connections == 0  # the warm-up question does not call the model
    first, second = _ask_twice(asker)
    assert silent_server.connections == 1  # the second question never reached the endpoint
    print(f"\nLLM silent, timeout 1 s: first question {first:.2f} s, second {second:.3f} s")


def test_refused_endpoint_is_skipped_after_the_first_failure(indexed, monkeypatch, caplog):
    _point_llm_at(monkeypatch, _closed_port())
    asker = get_asker()
    with caplog.at_level(logging.INFO, logger="retrieval.answer.llm"):
        first, second = _ask_twice(asker)
    assert [r.getMessage() for r in caplog.records if r.name == "retrieval.answer.llm"] == [
        "chat model failed", "chat model skipped: endpoint failed recently"]
    print(f"\nLLM port closed: first question {first:.3f} s, second {second:.3f} s")


def test_ask_page_notes_the_extractive_answer(indexed, monkeypatch):
    _point_llm_at(monkeypatch, _closed_port())
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
        at.switch_page("app_pages/ask.py").run()
        at.chat_input[0].set_value(QUESTIONS[0][0]).run()
        assert not at.exception
        assert msg.LLM_UNAVAILABLE in [c.value for c in at.caption]
        assert "98%" in "\n".join(m.value for m in at.markdown)
    finally:
        st.cache_resource.clear()


def test_breaker_skips_during_cooldown_then_probes_once():
    now = [100.0]
    breaker = CircuitBreaker(cooldown=30, clock=lambda: now[0])
    assert breaker.allow() and not breaker.is_open
    breaker.failed()
    assert breaker.is_open and not breaker.allow()
    now[0] += 29.9
    assert not breaker.allow()
    now[0] += 0.2
    assert breaker.allow()  # the cooldown is over: one probe goes through…
    assert not breaker.allow()  # …and nobody else until it is back
    breaker.failed()
    assert not breaker.allow()
    now[0] += 31
    assert breaker.allow()
    breaker.succeeded()
    assert breaker.allow() and breaker.allow() and not breaker.is_open
