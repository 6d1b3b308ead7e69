"""Answering residents' questions from the notices: pipeline, composers, messages."""

from retrieval.answer.pipeline import Asker
from retrieval.answer.types import Answer, Citation, Status

__all__ = ["Answer", "Asker", "Citation", "Status", "get_asker"]


def get_asker(*, build: bool = False) -> Asker:
    """An asker over the ready index (built first if ``build``), with the LLM composer when enabled."""
    from civic.settings import get_settings
    from retrieval.index import ensure_index, open_index

    composer = None
    if get_settings().llm_enabled:
        from retrieval.answer.llm import llm_composer_from_settings

        composer = llm_composer_from_settings()
    index = ensure_index(progress=_stderr_progress) if build else open_index()
    asker = Asker.for_index(index)
    asker.ask("清洁取暖")  # load the embedding model now, not on a resident's first question
    asker.composer = composer  # after the warm-up, which must not call (or trip on) the LLM
    return asker


def _stderr_progress(done: int, total: int) -> None:
    import sys

    print(f"\r建立检索索引 {done}/{total}", end="\n" if done >= total else "", file=sys.stderr, flush=True)
