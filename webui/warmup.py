"""Load the Q&A while the server starts, so that no visitor waits for it.

The first question of a process loads the notices' index, the embedding model, jieba and BM25:
about four seconds. Streamlit runs page code only for a visitor, so a server launcher
(``python -m deploy.appserver``, which ``scripts/run.sh`` uses) calls :func:`start` before the
server: a background thread fills the same process-wide cache the Ask page reads
(``st.cache_resource``), and a visitor who comes sooner waits only for what is left.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time

log = logging.getLogger(__name__)


def _warm() -> None:
    start = time.perf_counter()
    try:
        from publishing.provider import install
        from webui import qa

        install()  # as streamlit_app.py does: the asker's key includes published notices
        qa._cached_asker()
        log.info("Q&A loaded ahead of the first visitor in %.1f s", time.perf_counter() - start)
    except Exception:  # noqa: BLE001 - the Ask page builds the index or reports the fault itself
        log.warning("could not load the Q&A ahead of the first visitor", exc_info=True)
    with contextlib.suppress(ImportError):  # what the first answer's 有用/没用 buttons import (0.15 s)
        import streamlit.emojis  # noqa: F401


def start() -> threading.Thread:
    thread = threading.Thread(target=_warm, name="civic-warm-up", daemon=True)
    thread.start()
    return thread
