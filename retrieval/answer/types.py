"""The answer pipeline's data: a closed set of statuses, citations and the answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from retrieval.corpus import Chunk


class Status(StrEnum):
    ANSWERED = "answered"
    NOT_SPECIFIED = "not_specified"  # the notices touch the subject but do not give what was asked
    NO_EVIDENCE = "no_evidence"
    OUT_OF_SCOPE = "out_of_scope"
    INVALID_QUESTION = "invalid_question"
    ERROR = "error"


@dataclass
class Citation:
    chunk: Chunk
    quote: str  # exact sentence of the notice, original script
    lead: str = ""  # a list item's lead-in, also exact text of the clause ("" if none)

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
            **({"lead": self.lead} if self.lead else {}),
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
    question: str = ""  # what was answered: the resident's words, or a follow-up written out
    rewritten: bool = False  # ``question`` is a follow-up written out from the conversation
    silent_cities: list[str] = field(default_factory=list)  # cities shown as not setting what was asked
    kind: str = ""  # what the question asked for (general, figure, money, who, …)
    taught_link: str | None = None  # the staff link that answered it, if one did
    word_pairs: list[str] = field(default_factory=list)  # staff word pairs found in the question

    def to_dict(self) -> dict:
        return {
            "status": self.status.value,
            "question": self.question,
            "rewritten": self.rewritten,
            "answer": self.text,
            "silent_cities": self.silent_cities,
            "citations": [c.to_dict() for c in self.citations],
            "chunks": [c.text for c in self.chunks[:10]],
            "table": self.table,
        }
