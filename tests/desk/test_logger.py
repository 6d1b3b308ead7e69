"""The log is written off the answer's path: queued, batched, and never in the resident's way."""

from __future__ import annotations

import socket
import time

from sqlalchemy import func, select

from civic.db import get_engine
from desk.logger import QuestionLogger
from desk.models import LoggedQuestion
from desk.provider import TeachingsSource
from desk.questions import entry_for
from desk.tunables import utcnow
from retrieval.answer import Status
from retrieval.answer.taught import NO_TEACHINGS


def dead_database_url() -> str:
    """A PostgreSQL URL on a loopback port nobody listens on: connections are refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"postgresql+psycopg://nobody@127.0.0.1:{port}/civic"


def count(desk) -> int:
    with desk.session() as s:
        return s.scalar(select(func.count()).select_from(LoggedQuestion))


def test_questions_are_written_in_the_background(desk):
    from desk.questions import Entry

    logger = QuestionLogger(lambda: get_engine(desk.url))
    try:
        for n in range(25):
            assert logger.submit(Entry(ref=f"r{n}", conversation="c", asked_at=utcnow(), question=f"问题{n}",
                                       city_chosen=None, status="no_evidence"))
        assert logger.flush(30)
    finally:
        logger.close()
    assert count(desk) == 25 and logger.written == 25 and logger.failed == logger.dropped == 0


def test_a_database_that_is_down_does_not_stop_or_slow_the_answer(asker):
    url = dead_database_url()
    logger = QuestionLogger(lambda: get_engine(url))
    source = TeachingsSource(lambda: get_engine(url), interval=0.05)
    asker.teachings = source
    try:
        started = time.perf_counter()
        answer = asker.ask("石嘴山城市生活污水集中处理率目标是多少？")
        assert logger.submit(entry_for(answer, question="石嘴山城市生活污水集中处理率目标是多少？", city=None,
                                       latency_s=time.perf_counter() - started, conversation="c"))
        assert answer.status is Status.ANSWERED and "98%" in answer.text
        assert logger.flush(30)
        assert logger.failed == 1 and logger.written == 0
        assert source() is NO_TEACHINGS and source.refresh() is False and source.failures >= 1
    finally:
        asker.teachings = None
        source.stop()
        logger.close()


def test_a_full_queue_drops_instead_of_waiting(desk, monkeypatch):
    from desk import logger as logger_module
    from desk.questions import Entry

    monkeypatch.setitem(logger_module.tunables()["log"], "queue_size", 2)
    gate = []
    logger = QuestionLogger(lambda: (gate.append(1), time.sleep(0.5), get_engine(desk.url))[-1])
    try:
        results = [logger.submit(Entry(ref=f"q{n}", conversation="c", asked_at=utcnow(), question="问",
                                       city_chosen=None, status="answered")) for n in range(10)]
        assert not all(results) and logger.dropped == results.count(False)
        assert logger.flush(30)
    finally:
        logger.close()
    assert count(desk) == results.count(True)
