"""Answering residents' questions from the notices: pipeline, composers, messages."""

from retrieval.answer.pipeline import Asker
from retrieval.answer.types import Answer, Citation, Status

__all__ = ["Answer", "Asker", "Citation", "Status", "get_asker"]


def get_asker() -> Asker:
    """An asker over the ready index, with the LLM composer when settings enable it."""
    from civic.settings import get_settings
    from retrieval.index import open_index

    composer = None
    if get_settings().llm_enabled:
        from retrieval.answer.llm import llm_composer_from_settings

        composer = llm_composer_from_settings()
    asker = Asker.for_index(open_index(), composer=composer)
    asker.ask("清洁取暖")  # load the embedding model now, not on a resident's first question
    return asker
