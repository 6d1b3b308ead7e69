"""Chinese tokenisation: jieba with the domain dictionary, stopwords and query expansion.

jieba's dictionary cache is written to the data directory, not /tmp, and read in one piece
(jieba's own loader unmarshals it from the open file, four times slower); the part-of-speech
tags of jieba's dictionary are kept there too (:func:`_tagger`), and so are the notices'
BM25 tokens (:func:`index_tokens_of`). The vocabulary (user dictionary, expansions,
stopwords) is data in ``retrieval/data``.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import math
import os
import re
import sys
import tempfile
import threading
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jieba
import jieba.posseg

from civic.settings import get_settings
from retrieval.textnorm import to_simplified

DATA_DIR = Path(__file__).parent / "data"
_WORD = re.compile(r"[\w%％.．]+")
_LOCK = threading.Lock()
jieba.setLogLevel(logging.WARNING)


@dataclass(frozen=True)
class Lexicon:
    expansions: dict[str, list[str]]
    stopwords: frozenset[str]
    figure_words: tuple[str, ...]
    who_words: tuple[str, ...]
    everyday_log10: float  # log10 of a word's share of jieba's counts above which it is an everyday word
    common_log10: float  # …at or above which a notice word weighs least
    min_scale: float
    rare_log10: float  # …at or below which a word is a coinage whose head character may stand for it
    frame_words: frozenset[str]  # the notice's stance (提倡, 鼓励, 禁止…), not its subject
    light_words: frozenset[str]  # hints at the subject (家里 → 家庭) that weigh little
    light_scale: float
    frame_scale: float
    function_flags: frozenset[str]  # jieba tags of words that name no thing (上下 f, 几个 m, 这些 r)
    monosyllables: dict[str, tuple[str, ...]]  # a resident's one-character word → the notices' two (改 → 改造)
    monosyllable_scale: float


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    with open(DATA_DIR / "lexicon.toml", "rb") as fh:
        data = tomllib.load(fh)
    expansions = {k: list(v) for k, v in data["expansions"].items()}
    for everyday_word, notice_words in [*residents_words().items(), *_formed(data.get("formation", {})).items()]:
        targets = expansions.setdefault(everyday_word, [])
        targets.extend(w for w in notice_words if w not in targets)
    return Lexicon(
        expansions=expansions,
        stopwords=frozenset(data["stopwords"]["words"]),
        figure_words=tuple(data["question_words"]["figure"]),
        who_words=tuple(data["question_words"]["who"]),
        everyday_log10=float(data["everyday"]["log10_share"]),
        common_log10=float(data["everyday"]["common_log10"]),
        min_scale=float(data["everyday"]["min_scale"]),
        rare_log10=float(data["everyday"]["rare_log10"]),
        frame_words=frozenset(data["frame"]["words"]),
        light_words=frozenset(data["light"]["words"]),
        light_scale=float(data["light"]["scale"]),
        frame_scale=float(data["frame"]["scale"]),
        function_flags=frozenset(data["function"]["flags"]),
        monosyllables={k: tuple(v) for k, v in data["monosyllables"]["words"].items()},
        monosyllable_scale=float(data["monosyllables"]["scale"]),
    )


def _formed(rule: dict) -> dict[str, list[str]]:
    """Residents' words made by a rule: prefix + resource → the notices' words for saving it."""
    out: dict[str, list[str]] = {}
    for prefix in rule.get("save_prefixes", []):
        for resource in rule.get("resources", []):
            out[prefix + resource] = [t.format(X=resource) for t in rule.get("targets", [])]
    return out


@lru_cache(maxsize=1)
def residents_words() -> dict[str, list[str]]:
    """Residents' words → the notices' words, from the concept list built clause by clause."""
    path = DATA_DIR / "residents_words.toml"
    if not path.exists():
        return {}
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    out: dict[str, list[str]] = {}
    for concept in data.get("concept", []):
        for word in concept["everyday"]:
            targets = out.setdefault(to_simplified(word), [])
            targets.extend(w for w in concept["notice"] if w not in targets)
    return out


def _general_log10(word: str) -> float | None:
    tok = _tokenizer()
    freq = tok.FREQ.get(word, 0)
    return math.log10(freq / tok.total) if freq > 0 else None


def everyday(word: str) -> bool:
    """A word common in general Chinese (jieba's dictionary frequency): personal detail, not a topic."""
    share = _general_log10(word)
    return share is not None and share > lexicon().everyday_log10


def rare(word: str) -> bool:
    """A word jieba's dictionary hardly knows (土灶, 药瓶子): a resident's coinage, not a settled term."""
    share = _general_log10(word)
    return share is None or share <= lexicon().rare_log10


def general_scale(word: str) -> float:
    """How much a word says about a subject, by how rare it is in general Chinese (1 = rare)."""
    lex = lexicon()
    share = _general_log10(word)
    if share is None or share <= lex.everyday_log10:
        return 1.0
    span = lex.common_log10 - lex.everyday_log10
    return max(lex.min_scale, min(1.0, 1.0 - (share - lex.everyday_log10) / span * (1.0 - lex.min_scale)))


@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    cache_dir = get_settings().cache_dir
    cache_dir.mkdir(parents=True, exist_ok=True)
    tok = jieba.Tokenizer()
    tok.tmp_dir = str(cache_dir)
    _read_dictionary_cache(tok)
    tok.load_userdict(str(DATA_DIR / "userdict.txt"))
    for word in lexicon().expansions:
        tok.add_word(word, freq=20)
    tok.initialize()
    return tok


def words(text: str) -> list[str]:
    """jieba words of the Simplified text (search mode, so compounds also yield parts)."""
    simplified = to_simplified(text)
    with _LOCK:
        tokens = list(_tokenizer().cut_for_search(simplified))
    return [t for t in tokens if _WORD.fullmatch(t)]


def _read_dictionary_cache(tok: jieba.Tokenizer) -> None:
    """Initialise ``tok`` from jieba's own cache of its default dictionary, as
    ``Tokenizer.initialize`` would, but read in one piece. Leaves it to jieba (which
    reads, or rebuilds and rewrites, the cache) when the file is absent or unreadable."""
    path = Path(tok.tmp_dir) / "jieba.cache"  # jieba's name for its default dictionary's cache
    if tok.dictionary is not jieba.DEFAULT_DICT or tok.cache_file or not path.is_file():
        return
    try:
        freq, total = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return
    if isinstance(freq, dict) and isinstance(total, int) and freq:
        with tok.lock:
            tok.FREQ, tok.total, tok.initialized = freq, total, True


class _Tagger(jieba.posseg.POSTokenizer):
    """jieba's part-of-speech tagger with its dictionary's tags kept in the cache folder.

    jieba reads the tags line by line from its dictionary every time; here they are read
    once and kept (marshal, written atomically, named by jieba's version and the dictionary's
    size and time), so a later process loads them in one piece. A damaged file is ignored
    and written again.
    """

    def load_word_tag(self, f) -> None:  # noqa: ANN001 - jieba passes its dictionary's open file
        path = self._cache_path()
        if path is not None:
            try:
                tags = marshal.loads(path.read_bytes())
                if isinstance(tags, dict) and tags:
                    f.close()
                    self.word_tag_tab = tags
                    return
            except (OSError, EOFError, ValueError, TypeError):
                pass
        super().load_word_tag(f)
        if path is not None:
            _write_atomically(path, marshal.dumps(self.word_tag_tab))

    def _cache_path(self) -> Path | None:
        if self.tokenizer.dictionary is not jieba.DEFAULT_DICT or not self.tokenizer.tmp_dir:
            return None
        dictionary = Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME)
        try:
            stat = dictionary.stat()
        except OSError:
            return None
        return Path(self.tokenizer.tmp_dir) / f"jieba-{jieba.__version__}-tags-{stat.st_size}-{stat.st_mtime_ns}.marshal"


def _write_atomically(path: Path, data: bytes) -> None:
    try:
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except OSError:
            os.unlink(tmp)
            raise
    except OSError as exc:  # the next process reads the dictionary again
        logging.getLogger(__name__).warning("could not write %s: %s", path, exc)


@lru_cache(maxsize=1)
def _tagger() -> jieba.posseg.POSTokenizer:
    return _Tagger(_tokenizer())


def tagged_words(text: str) -> list[tuple[str, str]]:
    """jieba's precise cut of the Simplified text with part-of-speech flags (n…, v…, t…)."""
    simplified = to_simplified(text)
    with _LOCK:
        pairs = [(p.word, p.flag) for p in _tagger().cut(simplified)]
    return [(w, f) for w, f in pairs if _WORD.fullmatch(w)]


def sub_words(word: str) -> list[str]:
    """The shorter words jieba finds inside a compound (for residents' compounds)."""
    with _LOCK:
        parts = list(_tokenizer().cut_for_search(word))
    return [p for p in parts if p != word and len(p) > 1]


def index_tokens(text: str) -> list[str]:
    stop = lexicon().stopwords
    return [t.lower() for t in words(text) if t not in stop]


_TOKENS_PREFIX = "bm25-tokens-"


def index_tokens_of(texts: list[str]) -> list[list[str]]:
    """:func:`index_tokens` of each text, kept in the cache folder for the next process.

    The file is named by a hash of everything the tokens follow from: the texts, the
    vocabulary files, this module's and textnorm's code, jieba's and OpenCC's versions and
    jieba's dictionary; any change means another file, so a kept one is never out of date.
    Written atomically; a damaged one is ignored and written again.
    """
    cache_dir = get_settings().cache_dir
    path = cache_dir / f"{_TOKENS_PREFIX}{_tokens_key(texts)}.marshal"
    try:
        kept = marshal.loads(path.read_bytes())
        if (isinstance(kept, list) and len(kept) == len(texts)
                and all(isinstance(t, list) and all(isinstance(w, str) for w in t) for t in kept)):
            return kept
    except (OSError, EOFError, ValueError, TypeError):
        pass
    tokens = [index_tokens(t) for t in texts]
    cache_dir.mkdir(parents=True, exist_ok=True)
    _write_atomically(path, marshal.dumps(tokens))
    for old in cache_dir.glob(f"{_TOKENS_PREFIX}*.marshal"):  # earlier corpora's
        if old != path:
            old.unlink(missing_ok=True)
    return tokens


def _tokens_key(texts: list[str]) -> str:
    from importlib.metadata import version

    digest = hashlib.sha256()
    dictionary = Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME).stat()
    for part in ("tokens-1", sys.version, str(marshal.version), jieba.__version__, version("opencc"),
                 f"{dictionary.st_size}-{dictionary.st_mtime_ns}"):
        digest.update(part.encode() + b"\0")
    for path in (DATA_DIR / "userdict.txt", DATA_DIR / "lexicon.toml", DATA_DIR / "residents_words.toml",
                 Path(__file__), Path(__file__).with_name("textnorm.py")):
        digest.update(path.read_bytes() + b"\0")
    for text in texts:
        digest.update(text.encode() + b"\0")
    return digest.hexdigest()[:32]


def query_terms(question: str) -> list[str]:
    """Content words of a question, stopwords removed, in order, without repeats."""
    stop = lexicon().stopwords
    seen: dict[str, None] = {}
    for token in words(question):
        if token not in stop:
            seen.setdefault(token.lower(), None)
    return list(seen)


_BREAK = re.compile(r"[，。！？、；：,.!?;:\s“”\"]")


def phrases_in(text: str) -> list[tuple[int, int, str]]:
    """Residents' words found in a text: (start, end, word), longest first, not overlapping.

    A word matches where it stands, or where its characters stand close together in another
    order or with one or two characters between ("那条沟臭得不行" holds 臭沟), never across
    punctuation.
    """
    simplified = to_simplified(text)
    return _phrases(simplified)


@lru_cache(maxsize=256)
def _phrases(text: str) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    taken = [False] * len(text)
    chars = set(text)
    for word in _phrase_words():
        if not chars.issuperset(word):
            continue
        start = text.find(word)
        span = (start, start + len(word)) if start >= 0 else _scattered(text, word)
        if span and not any(taken[span[0]:span[1]]):
            found.append((span[0], span[1], word))
            for i in range(span[0], span[1]):
                taken[i] = True
    return sorted(found)


@lru_cache(maxsize=1)
def _phrase_words() -> tuple[str, ...]:
    return tuple(sorted((w for w in lexicon().expansions if len(w) > 1), key=len, reverse=True))


def _scattered(text: str, word: str) -> tuple[int, int] | None:
    """The shortest window of ``text`` (at most two characters longer than ``word``) holding its characters."""
    if len(word) > 4:
        return None
    limit = len(word) + 2
    for start in (i for i, ch in enumerate(text) if ch in word):
        window = text[start:start + limit]
        cut = _BREAK.search(window)
        window = window[: cut.start()] if cut else window
        needed = list(word)
        end = None
        for j, ch in enumerate(window):
            if ch in needed:
                needed.remove(ch)
                if not needed:
                    end = start + j + 1
                    break
        if end is not None:
            return start, end
    return None


def expand(terms: list[str], question: str = "") -> list[str]:
    """Terms plus the notices' words for residents' words found in the terms or question."""
    out = dict.fromkeys(terms)
    expansions = lexicon().expansions
    for word in terms:
        for target in expansions.get(word, []):
            out.setdefault(target.lower(), None)
    for _, _, word in phrases_in(question):
        for target in expansions[word]:
            out.setdefault(target.lower(), None)
    return list(out)


def asks_for_figure(question: str) -> bool:
    simplified = to_simplified(question)
    return any(w in simplified for w in lexicon().figure_words)


def asks_who(question: str) -> bool:
    simplified = to_simplified(question)
    return any(w in simplified for w in lexicon().who_words)
