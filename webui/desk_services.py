"""The desk's per-process services for the pages: the question logger, the teachings provider, storage calls.

One :class:`~desk.logger.QuestionLogger` and one :class:`~desk.provider.TeachingsSource` per app
process and database URL (``st.cache_resource``); the residents' asker gets the provider
(webui/qa.py), so what staff teach is answered from in every process within about a second.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import streamlit as st
from sqlalchemy.orm import Session

from civic.db import DatabaseUnavailable, get_engine, session_scope
from civic.settings import get_settings
from desk.logger import QuestionLogger
from desk.messages import DeskError
from desk.provider import TeachingsSource
from retrieval.answer import Asker

T = TypeVar("T")


@dataclass
class DeskServices:
    url: str
    logger: QuestionLogger
    teachings: TeachingsSource

    def close(self) -> None:
        """Write what is queued and stop both threads (tests; a server just exits)."""
        self.logger.flush(10)
        self.logger.close()
        self.teachings.stop()


def close_all() -> None:
    """Stop every process-wide desk service and forget it (tests switch databases)."""
    for services in list(_made):
        services.close()
    _made.clear()
    _services.clear()
    _staff_asker.clear()


_made: list[DeskServices] = []


@st.cache_resource(show_spinner=False)
def _services(url: str) -> DeskServices:
    def engine():  # called per batch / per read, so a database down at start is used once it is up
        return get_engine(url)

    made = DeskServices(url=url, logger=QuestionLogger(engine), teachings=TeachingsSource(engine))
    _made.append(made)
    return made


def services() -> DeskServices:
    return _services(get_settings().sqlalchemy_url)


def call(fn: Callable[[Session], T]) -> T | None:
    """Run one storage call in its own transaction; show a refusal in Chinese and return None."""
    try:
        with session_scope(get_engine(services().url)) as session:
            return fn(session)
    except DeskError as err:
        st.error(err.message, icon=":material/error:")
    except DatabaseUnavailable:
        st.error(DeskError("db_unavailable").message, icon=":material/error:")
    return None


@st.cache_resource(show_spinner=False, max_entries=2)
def _staff_asker(_base: Asker, url: str, base_id: int) -> Asker:  # noqa: ARG001 - base_id: the cache key
    # Shares the index with the residents' asker; its own cache of linked-question vectors, so
    # staff testing drafts does not make the next resident's question re-embed every link.
    return Asker(_base.search, _base.stats, None, _base.targets, teachings=_services(url).teachings)


def staff_asker(base: Asker) -> Asker:
    return _staff_asker(base, get_settings().sqlalchemy_url, id(base))  # a new notice brings a new base asker
