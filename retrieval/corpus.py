"""The notices: manifest, parsed clauses and chunks, and clause look-ups.

``load_corpus()`` reads ``<corpus_dir>/manifest.json`` and every notice it lists,
parses them into clauses and splits those into chunks. Other packages resolve a
citation (notice id + clause path) with :func:`find_clause`.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from civic.settings import get_settings
from retrieval.parse import Clause, department_spans, parse_notice
from retrieval.sources import NoticeMeta, NoticeSource, accepted, provided_notices, read_manifest
from retrieval.textnorm import match_key, to_simplified

DATA_DIR = Path(__file__).parent / "data"
_SENTENCE = re.compile(r"[^。！？!?；;\n]*[。！？!?；;]+|[^。！？!?；;\n]+")


@lru_cache(maxsize=1)
def tunables() -> dict:
    with open(DATA_DIR / "tunables.toml", "rb") as fh:
        return tomllib.load(fh)


@dataclass
class Chunk:
    id: str
    notice_id: str
    city: str
    title: str
    clause_path: str
    heading: str
    breadcrumb: str  # ancestor and own headings, original script
    text: str  # original script, cleaned
    start: int  # character offsets into the raw file
    end: int
    departments: list[str] = field(default_factory=list)

    @property
    def text_simplified(self) -> str:
        return to_simplified(self.text)

    @property
    def content_hash(self) -> str:
        payload = "\x1f".join([self.notice_id, self.clause_path, self.breadcrumb, self.text])
        return hashlib.sha256(payload.encode()).hexdigest()[:24]

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Notice:
    meta: NoticeMeta
    raw: str
    clauses: list[Clause]
    chunks: list[Chunk]
    dropped_lead: str
    title_only: tuple[str, ...] = ()  # 通知/前言 lines with no sentence, left out

    def clause(self, path: str) -> Clause | None:
        key = normalise_path(path)
        return next((c for c in self.clauses if normalise_path(c.path) == key), None)


def normalise_path(path: str) -> str:
    """Clause paths compare equal whatever the bracket or dot width."""
    table = str.maketrans({"(": "（", ")": "）", "．": ".", " ": ""})
    return path.translate(table).strip()


def split_sentences(text: str) -> list[str]:
    return [s for s in (m.group(0).strip() for m in _SENTENCE.finditer(text)) if s]


def _bracket_whole(sentences: list[str]) -> list[str]:
    """Sentences joined again where a "；" inside brackets split them (定州's "5432" standard
    lists four ratios in one bracket): a chunk never starts inside a bracket."""
    out: list[str] = []
    depth = 0
    for sentence in sentences:
        if depth > 0 and out:
            out[-1] += sentence
        else:
            out.append(sentence)
        depth = max(0, depth + sum(sentence.count(c) for c in "（(") - sum(sentence.count(c) for c in "）)"))
    return out


def _only_departments(text: str) -> bool:
    stripped = text.strip()
    spans = department_spans(stripped)
    return bool(spans) and spans[0] == (0, len(stripped))


def chunk_clause(meta: NoticeMeta, clause: Clause, max_chars: int) -> list[Chunk]:
    """Whole sentences packed up to ``max_chars``; never across a clause boundary."""
    pieces: list[tuple[str, int, int]] = []  # text, start, end in raw
    for para in clause.paragraphs:
        sentences = _bracket_whole(split_sentences(para.text))
        for n, sentence in enumerate(sentences):
            # A paragraph break is kept as a newline so quotes never run across it.
            end_mark = "\n" if n == len(sentences) - 1 else ""
            pieces.append((sentence + end_mark, para.start, para.end))
    groups: list[list[tuple[str, int, int]]] = []
    for piece in pieces:
        fits = groups and sum(len(p[0]) for p in groups[-1]) + len(piece[0]) <= max_chars
        # A bracket of responsible departments stays with the sentence it follows.
        if fits or (groups and _only_departments(piece[0])):
            groups[-1].append(piece)
        else:
            groups.append([piece])
    breadcrumb = " > ".join(clause.headings)
    chunks = []
    for n, group in enumerate(groups):
        chunks.append(
            Chunk(
                id=f"{meta.id}:{clause.path}:{n}",
                notice_id=meta.id,
                city=meta.city,
                title=meta.title,
                clause_path=clause.path,
                heading=clause.heading,
                breadcrumb=breadcrumb,
                text="".join(p[0] for p in group).strip(),
                start=min(p[1] for p in group),
                end=max(p[2] for p in group),
                departments=list(clause.departments),
            )
        )
    return chunks


def read_notice_text(path: Path) -> str:
    """Plain text of a notice file: .txt/.md as is, .docx and .pdf through their readers."""
    suffix = path.suffix.lower()
    if suffix in (".txt", ".md"):
        return path.read_text(encoding="utf-8-sig")
    if suffix == ".docx":
        import docx

        return "\n\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    if suffix == ".pdf":
        from pypdf import PdfReader

        return "\n\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
    raise ValueError(f"unsupported notice format: {path.suffix}")


def build_notice(meta: NoticeMeta, corpus_dir: Path) -> Notice:
    return build_notice_from_text(meta, read_notice_text(corpus_dir / meta.file))


@lru_cache(maxsize=64)
def build_notice_from_text(meta: NoticeMeta, raw: str) -> Notice:
    """Parse and chunk one notice (cached: an unchanged notice is parsed once per process)."""
    parsed = parse_notice(raw, title=meta.title)
    max_chars = tunables()["chunking"]["max_chars"]
    chunks = [c for clause in parsed.clauses for c in chunk_clause(meta, clause, max_chars)]
    return Notice(meta=meta, raw=raw, clauses=parsed.clauses, chunks=chunks, dropped_lead=parsed.dropped_lead,
                  title_only=tuple(parsed.dropped_title_only))


@dataclass
class Corpus:
    notices: dict[str, Notice]
    _fingerprint: str | None = field(default=None, repr=False, compare=False)

    @property
    def chunks(self) -> list[Chunk]:
        return [c for n in self.notices.values() for c in n.chunks]

    @property
    def cities(self) -> list[str]:
        return [n.meta.city for n in self.notices.values()]

    def by_city(self, city: str) -> Notice | None:
        return next((n for n in self.notices.values() if n.meta.city == city), None)

    def fingerprint(self) -> str:
        if self._fingerprint is None:
            digest = hashlib.sha256()
            for chunk in self.chunks:
                digest.update(chunk.content_hash.encode())
            self._fingerprint = digest.hexdigest()[:24]
        return self._fingerprint


def load_corpus(corpus_dir: Path | None = None) -> Corpus:
    """The manifest's notices, then the notices the app's provider hands in (see :mod:`retrieval.sources`)."""
    corpus_dir = corpus_dir or get_settings().corpus_dir
    version, provided = provided_notices()
    return _load_corpus_cached(str(corpus_dir), _manifest_mtime(corpus_dir), version, provided)


def _manifest_mtime(corpus_dir: Path) -> float:
    path = corpus_dir / "manifest.json"
    return max([path.stat().st_mtime] + [p.stat().st_mtime for p in corpus_dir.iterdir()])


@lru_cache(maxsize=4)
def _load_corpus_cached(corpus_dir: str, _mtime: float, _version: str, provided: tuple[NoticeSource, ...]) -> Corpus:
    directory = Path(corpus_dir)
    metas = read_manifest(directory)
    notices = {m.id: build_notice(m, directory) for m in metas}
    for source in accepted(metas, provided):
        notices[source.meta.id] = build_notice_from_text(source.meta, source.text)
    return Corpus(notices=notices)


def find_clause(notice_id: str, clause_path: str, corpus: Corpus | None = None) -> Clause | None:
    """The clause a citation names, or None when it does not resolve."""
    corpus = corpus or load_corpus()
    notice = corpus.notices.get(notice_id)
    return notice.clause(clause_path) if notice else None


def quote_in_clause(notice_id: str, clause_path: str, quote: str, corpus: Corpus | None = None) -> bool:
    """True when ``quote`` stands in that clause (compared in Simplified, whitespace-free)."""
    clause = find_clause(notice_id, clause_path, corpus)
    return bool(clause) and match_key(quote) in match_key(clause.text)
