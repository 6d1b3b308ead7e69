"""The units a chunk is quoted by: whole sentences, whole list items, department brackets.

A sentence ends at 。！？; a top-level "；" ends a list item, but a "；" inside brackets
does not (定州's "5432" standard lists four ratios inside one bracket). An item of a list
whose first item opens with a lead-in ("主要目标：") carries that lead-in, so an answer can
quote it with the item. A bracket naming the responsible departments is its own unit:
it answers "who is in charge?", never "what".
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from retrieval.corpus import Chunk
from retrieval.parse import department_spans
from retrieval.textnorm import match_key

_ENDS = "。！？!?"
_ITEM_ENDS = "；;"
_OPEN = "（(〔[【“"
_CLOSE = "）)〕]】”"
MIN_KEY = 4  # shorter pieces (a stray "。") are not units


@dataclass(frozen=True)
class Unit:
    text: str  # exact text of the chunk, original script
    chunk_index: int  # the chunk's position in the corpus
    n: int  # the unit's position in its chunk
    lead: str = ""  # a list item's lead-in, exact text of the same sentence ("" if none)
    departments: bool = False  # a bracket naming who is responsible

    @property
    def key(self) -> str:
        return match_key(self.text)

    def content_hash(self, chunk: Chunk) -> str:
        payload = "\x1f".join([chunk.content_hash, str(self.n), self.text])
        return hashlib.sha256(payload.encode()).hexdigest()[:24]


def _pieces(text: str) -> list[tuple[str, bool]]:
    """(piece, ends_an_item) by sentence ends and top-level item ends; brackets never split."""
    out: list[tuple[str, bool]] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch in _OPEN and not (ch == "“" and depth and text[i - 1:i] == "”"):
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
        if ch == "\n" or (depth == 0 and (ch in _ENDS or ch in _ITEM_ENDS)):
            j = i + 1
            while j < len(text) and text[j] in _ENDS + "”）)":
                j += 1
            out.append((text[start:j], ch in _ITEM_ENDS))
            start = j
    if start < len(text):
        out.append((text[start:], False))
    return [(p.strip(), item) for p, item in out if p.strip()]


def split_units(text: str) -> list[tuple[str, str, bool]]:
    """(unit text, lead-in, is_departments) for a chunk's text, in order."""
    spans = department_spans(text)
    segments: list[tuple[str, bool]] = []
    last = 0
    for s, e in spans:
        segments.append((text[last:s], False))
        segments.append((text[s:e], True))
        last = e
    segments.append((text[last:], False))
    out: list[tuple[str, str, bool]] = []
    for segment, is_dept in segments:
        if is_dept:
            if segment.strip():
                out.append((segment.strip(), "", True))
            continue
        lead = ""
        in_list = False
        for piece, ends_item in _pieces(segment):
            if len(match_key(piece)) < MIN_KEY and not piece.endswith(tuple(_ITEM_ENDS)):
                continue
            if in_list:
                out.append((piece, lead, False))
            else:
                colon = max(piece.rfind("："), piece.rfind(":"))
                lead = piece[: colon + 1] if ends_item and colon > 0 else ""
                out.append((piece, "", False))
            in_list = ends_item
            if not ends_item:
                lead = ""
    return out


def chunk_units(chunk: Chunk, chunk_index: int) -> list[Unit]:
    return [
        Unit(text=t, chunk_index=chunk_index, n=n, lead=lead, departments=dept)
        for n, (t, lead, dept) in enumerate(split_units(chunk.text))
    ]


def unit_passage(unit: Unit, chunk: Chunk) -> str:
    """What a unit's vector is made from: its clause heading, then the unit."""
    return f"{chunk.heading}：{unit.text}"
