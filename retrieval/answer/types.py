"""The answer pipeline's data: a closed set of statuses, citations and the answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from retrieval.corpus import Chunk


class Status(StrEnum):
    ANSWERED = "answered"
    NO_EVIDENCE = "no_evidence"
    OUT_OF_SCOPE = "out_of_scope"
    INVALID_QUESTION = "invalid_question"
    ERROR = "error"


@dataclass
class Citation:
    chunk: Chunk
    quote: str  # exact sentence of the notice, original script

    @property
    def label(self) -> str:
        return f"《{self.chunk.title}》{self.chunk.clause_path}"

    def to_dict(self) -> dict:
        return {
            "notice": self.chunk.title,
            "notice_id": self.chunk.notice_id,
            "city": self.chunk.city,
            "clause": self.chunk.clause_path,
            "quote": self.quote,
        }


@dataclass
class Answer:
    status: Status
    text: str
    citations: list[Citation] = field(default_factory=list)
    chunks: list[Chunk] = field(default_factory=list)  # retrieved, best first
    steps: list[str] = field(default_factory=list)  # the pipeline steps that ran
    cities: list[str] = field(default_factory=list)  # the scope searched
    composer: str = "extractive"
    composer_note: str = ""  # shown under the answer, e.g. that the LLM could not be used
    table: list[dict] = field(default_factory=list)  # rows of a targets-table answer, for display
    notes: list[str] = field(default_factory=list)  # a table answer's comparison lines, shown under the table

    def to_dict(self) -> dict:
        return {
            "status": self.status.value,
            "answer": self.text,
            "citations": [c.to_dict() for c in self.citations],
            "chunks": [c.text for c in self.chunks[:10]],
            "table": self.table,
        }
