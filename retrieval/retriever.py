"""The hybrid search as a langchain-core ``BaseRetriever``, for the optional LLM path or any LangChain chain.

Kept apart from :mod:`retrieval.search` so that the default answer path never imports LangChain.
"""

from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from retrieval.search import Hit, HybridSearch, scope_for


class NoticeRetriever(BaseRetriever):
    """LangChain view of the hybrid search; ``city`` narrows it like the city selector."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    search: HybridSearch
    city: str | None = None
    k: int = 10

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        scope = scope_for(query, self.search.index.corpus.cities, self.city)
        return [to_document(hit) for hit in self.search.search(query, scope, self.k)]


def to_document(hit: Hit) -> Document:
    c = hit.chunk
    return Document(
        id=c.id,
        page_content=c.text,
        metadata={
            "chunk_id": c.id, "notice_id": c.notice_id, "city": c.city, "title": c.title,
            "clause_path": c.clause_path, "heading": c.heading, "start": c.start, "end": c.end,
            "score": hit.score,
        },
    )
