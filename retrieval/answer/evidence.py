"""Which units of the retrieved chunks answer the question, and how well.

A question's content words are weighted by how rare they are in the notices (inverse
document frequency over chunks). Words of the *ask* count in full; words of the
background only when the notices use them, and at a fraction. Everyday words that the
notices never use and that are common in general Chinese (jieba's dictionary
frequencies) carry no weight; a rare word the notices never use, in the ask, weighs
against an answer. A unit's *coverage* is the share of that weight it holds, directly
or through the notices' word for a resident's word. Its *relevance* adds how close its
meaning is to the ask (sentence-level dense similarity), so everyday phrasing that
shares no word with the notice can still find its sentence.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

import numpy as np

from retrieval.corpus import Chunk, tunables
from retrieval.lexicon import everyday, general_scale, lexicon, phrases_in, rare, sub_words, tagged_words
from retrieval.places import city_names, places, strip_places
from retrieval.question import Question, is_fragment, understand
from retrieval.textnorm import match_key
from retrieval.units import Unit

_DIGIT = re.compile(r"\d")
_NOUNISH = ("n", "t", "s", "vn", "an", "nz", "eng")
_SUFFIX = "子儿头们"
# Not content: a particle glued to a word by the tokenizer (的能), a count (三个, 这两项).
_NOT_CONTENT = re.compile(r"^[的了和与是在就都也还又把被对给向从]|^[一二三四五六七八九十两几这那每各]+[个家座条项类种块位名批]$")


@dataclass(frozen=True)
class Term:
    word: str
    alternatives: tuple[str, ...]  # any of these in a unit covers the term
    weight: float
    parts: tuple[str, ...] = ()  # all of these (e.g. 污水 + 处理 for 污水处理) cover it in part
    in_ask: bool = True
    asking: bool = False  # a word of the clause that carries the question ("…本科学历能直接落户吗")


@dataclass
class Candidate:
    unit: Unit
    chunk: Chunk
    chunk_rank: int
    coverage: float  # lexical: share of the question's weighted terms
    similarity: float  # dense: cosine similarity of the unit to the ask
    score: float  # what ranks candidates (coverage, similarity, figure and rank bonuses)

    @property
    def sentence(self) -> str:
        return self.unit.text

    asks_covered: bool = True  # the clause that asks is covered at least in part (or has no content)
    asks_met: bool = True  # one of the asking clause's words the notices use stands in the unit (or it has none)

    @property
    def relevance(self) -> float:
        """Coverage with the meaning match added: what decides whether the unit answers."""
        cfg = tunables()["answer"]
        return self.coverage + cfg["dense_weight"] * max(0.0, self.similarity - cfg["dense_floor"])


class TermStats:
    """Document frequencies of words over the chunks, for weighting."""

    def __init__(self, chunks: list[Chunk]):
        self.keys = [match_key(c.breadcrumb + c.text) for c in chunks]
        self.n = len(self.keys)
        self._df: dict[str, int] = {}
        self._terms: dict[tuple, list[Term]] = {}  # the last few questions' terms

    def df(self, word: str) -> int:
        if word not in self._df:
            self._df[word] = sum(1 for k in self.keys if word in k)
        return self._df[word]

    def idf(self, word: str) -> float:
        return math.log((self.n + 1) / (self.df(word) + 0.5))


def _place_words() -> set[str]:
    words: set[str] = set()
    for city in places()["cities"]:
        words.update(city_names(city))
    return words


def _head(word: str, stats: TermStats) -> tuple[str, ...]:
    """What of a resident's word the notices share, at a reduced weight.

    A noun's head is its last character (土灶 → 灶, 厂子 → 厂, 臭沟 → 沟); a verb with a
    result after it keeps its first part (搬走 → 搬, 烂掉 → 烂, 收走 → 收).
    """
    limit = tunables()["answer"]["head_max_share"]

    def usable(part: str) -> bool:
        if len(part) > 1:
            return stats.df(part) > 0
        share = stats.df(part) / max(stats.n, 1)
        return 0 < share <= limit and part not in lexicon().stopwords

    if len(word) >= 2 and word[-1] in _RESULT:
        verb = word[:-1]
        if usable(verb):
            return (verb,)
    core = word[:-1] if len(word) > 2 and word[-1] in _SUFFIX else word
    if len(word) == 2 and word[-1] in _SUFFIX:
        core = word[:-1]  # 厂子 → 厂
        return (core,) if usable(core) else ()
    if len(core) < 2 or _verb(core[0]):
        return ()  # a verb and its object (烧油, 省油) has no noun head to stand for it
    return (core[-1],) if usable(core[-1]) else ()


def _function_part(part: str) -> bool:
    """A part that names no thing: a direction, a count, a pronoun (上下班 → 上下, 本科学历 → 本科 as r)."""
    tagged = tagged_words(part)
    return len(tagged) == 1 and tagged[0][1] in lexicon().function_flags


def _verb(char: str) -> bool:
    return _char_flag(char).startswith("v")


# A result or direction after a verb: 搬走, 烂掉, 收走, 处理掉, 拿去.
_RESULT = "走掉完好上下来去起住到出"


_LOCATIVES = "上里边"


def _placed(tagged: list[tuple[str, str]]) -> list[str]:
    """A place word of two characters (岸上, 河里), 的, and a one-character thing (电, 水): the place's
    first character and the thing (岸电, 河水)."""
    out = []
    for i in range(len(tagged) - 2):
        place, of, thing = tagged[i][0], tagged[i + 1][0], tagged[i + 2][0]
        if len(place) == 2 and place[1] in _LOCATIVES and of == "的" and len(thing) == 1:
            out.append(place[0] + thing)
    return out


# Modal verbs jieba glues to a neighbour: 会铺 (会 + 铺), 能领, 水能直接排 (水 + 能).
_MODALS = "能会要可"
_ADVERBS = ("d", "ad")
_MODAL_FLAG = "modal"  # a modal split off: never joined to the characters around it


def _unglue_modals(tagged: list[tuple[str, str]], stats: TermStats) -> list[tuple[str, str]]:
    """Two characters jieba made one word of, one of them a modal verb, split again when the notices
    never use the pair (会铺管子, 能领多少, 煤能不能) or an adverb shows the modal reading (水能直接排:
    the water can be let out, not hydropower). The notices' own pairs (用能, 节能, 能源) stay whole."""
    if not tunables()["answer"]["unglue_modals"]:
        return tagged
    out: list[tuple[str, str]] = []
    for i, (word, flag) in enumerate(tagged):
        if len(word) == 2 and (word[0] in _MODALS) != (word[1] in _MODALS):
            after = tagged[i + 1][1] if i + 1 < len(tagged) else ""
            modal, other = (word[0], word[1]) if word[0] in _MODALS else (word[1], word[0])
            flag_other = _char_flag(other)
            # …never one with a negation or adverb (不能, 才能, 就要): those are what jieba says they are.
            if flag_other.startswith(("n", "v")) and (not stats.df(word) or (word[1] in _MODALS and after in _ADVERBS)):
                pieces = [(modal, _MODAL_FLAG), (other, flag_other)]
                out.extend(pieces if word[0] in _MODALS else pieces[::-1])
                continue
        out.append((word, flag))
    return out


def _char_flag(char: str) -> str:
    tagged = tagged_words(char)
    return tagged[0][1] if tagged else "x"


def _join_singles(tagged: list[tuple[str, str]], stats: TermStats) -> list[tuple[str, str]]:
    """Single characters jieba left apart that the notices use as one word: 富 + 硒 → 富硒."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(tagged):
        if len(tagged[i][0]) == 1 and tagged[i][1] != _MODAL_FLAG:
            j = i
            while j < len(tagged) and len(tagged[j][0]) == 1 and tagged[j][1] != _MODAL_FLAG:
                j += 1
            run = "".join(w for w, _ in tagged[i:j])
            k = 0
            while k < len(run):
                for n in range(min(4, len(run) - k), 1, -1):
                    if stats.df(run[k:k + n]):
                        out.append((run[k:k + n], "n"))
                        k += n
                        break
                else:
                    out.append(tagged[i + k])
                    k += 1
            i = j
        else:
            out.append(tagged[i])
            i += 1
    return out


def _terms(text: str, stats: TermStats, *, in_ask: bool, skip: set[str],
           extra: tuple[tuple[str, tuple[str, ...]], ...] = (), fragment: bool = False) -> dict[str, Term]:
    cfg = tunables()["answer"]
    lex = lexicon()
    text = strip_places(text)  # a place routes the question; it is not what it asks about
    terms: dict[str, Term] = {}
    inside: set[str] = set()
    # Word pairs staff taught (retrieval/answer/taught.py) count like residents' phrases.
    for everyday_word, notice_words in extra:
        if everyday_word in text and everyday_word not in terms:
            targets = tuple(w.lower() for w in notice_words if stats.df(w.lower()))
            if targets:
                terms[everyday_word] = Term(word=everyday_word, alternatives=targets,
                                            weight=min(stats.idf(a) for a in targets), in_ask=in_ask)
                inside.update(w for w, _ in tagged_words(everyday_word))
    tagged = tagged_words(text)
    # "岸上的电" is the notices' 岸电: a thing of one character named with where it is.
    if cfg["contract_places"]:
        for word in _placed(tagged):
            if stats.df(word) and word not in skip and word not in terms:
                terms[word] = Term(word=word, alternatives=(word,), weight=stats.idf(word), in_ask=in_ask)
                inside.update(word[0] + loc for loc in _LOCATIVES)
    # Residents' phrases standing in the text ("碎砖烂瓦") are one term each, whatever jieba makes of
    # them. (Scattered matches, "沟…臭" for 臭沟, only widen the keyword search: see lexicon.expand.)
    for start, end, phrase in phrases_in(text):
        # Where it stands, or its two characters turned round (那条沟臭得不行: 沟臭 for 臭沟).
        found = text[start:end]
        turned = cfg["turned_pairs"] and len(phrase) == 2 and found == phrase[::-1]
        if found != phrase and not turned or phrase in terms:
            continue
        own = [phrase] if stats.df(phrase) else []
        targets = tuple(dict.fromkeys(own + [w.lower() for w in lex.expansions[phrase] if stats.df(w.lower())]))
        if not targets or phrase in skip:
            continue
        weight = stats.idf(phrase) if own else min(stats.idf(a) for a in targets)
        terms[phrase] = Term(word=phrase, alternatives=targets, weight=weight, in_ask=in_ask)
        inside.update(w for w, _ in tagged_words(phrase))
    for word, flag in _join_singles(_unglue_modals(tagged, stats), stats):
        if word in inside:
            continue
        word = word.lower()
        single = len(word) == 1 and not word.isdigit() and word not in lex.expansions
        if single and in_ask and word in lex.monosyllables and word not in skip and word not in terms:
            # 改 → 改造, 老 → 老旧: the notices' two-character word, at a share of its weight.
            targets = tuple(w for w in lex.monosyllables[word] if stats.df(w))
            if targets and not any(set(targets) <= set(t.alternatives) for t in terms.values()):
                terms[word] = Term(word=word, alternatives=targets,
                                   weight=min(stats.idf(w) for w in targets) * lex.monosyllable_scale, in_ask=in_ask)
            continue
        if single and in_ask and flag == "n" and cfg["head_credit"] and word not in skip and word not in terms:
            # A one-character noun of the ask (船, 灶, 棚) when the notices use it, and not everywhere.
            share = stats.df(word) / max(stats.n, 1)
            if 0 < share <= cfg["head_max_share"]:
                terms[word] = Term(word=word, alternatives=(word,), weight=stats.idf(word) * cfg["head_credit"],
                                   in_ask=in_ask)
            continue
        if word in skip or word in terms or single or _NOT_CONTENT.search(word):
            continue
        if word in lex.frame_words:
            frame = tuple(w for w in lex.frame_words if stats.df(w))
            if frame and not any(t.alternatives == frame for t in terms.values()):
                weight = max(stats.idf(w) for w in frame) * lex.frame_scale
                terms[word] = Term(word=word, alternatives=frame, weight=weight, in_ask=in_ask)
            continue
        alternatives = [word] if stats.df(word) else []
        alternatives += [w.lower() for w in lex.expansions.get(word, []) if stats.df(w.lower())]
        from_parts = not alternatives
        if not alternatives:
            # A compound's own parts at its edges (污水处理厂 → 污水, 处理厂), never one from its middle
            # (本科学历 is not 科学).
            alternatives = [p for p in sub_words(word) if p not in skip and stats.df(p)
                            and (word.startswith(p) or word.endswith(p)) and not _function_part(p)]
            if alternatives and cfg["head_of_modified"] and in_ask and flag.startswith("n") \
                    and not any(word.endswith(p) for p in alternatives):
                # Only the modifier is shared (塑料膜 → 塑料): the noun's head says what it is
                # (膜: 地膜, 农膜), so it counts too.
                alternatives += [h for h in _head(word, stats) if h not in alternatives]
        if not alternatives and in_ask and cfg["head_credit"] and flag.startswith(("n", "v")) and \
                (rare(word) and flag.startswith("n") or word[-1] in _SUFFIX + _RESULT):
            alternatives = list(_head(word, stats))
            if alternatives:
                weight = max(stats.idf(a) for a in alternatives) * cfg["head_credit"]
                terms[word] = Term(word=word, alternatives=tuple(alternatives), weight=weight, in_ask=in_ask)
                continue
        if not alternatives:
            # A rare noun of the ask the notices never use, and we cannot map, can never be
            # covered: a question made mostly of such things is about something they do not
            # discuss. Everyday words (common in general Chinese) and background carry nothing.
            # In a fragment every word names the subject (家电, 以旧换新), however common.
            # There it weighs as much as the rarest word the notices do use, so a sentence sharing only
            # the rest ("海水浴场开放时间": 开放) does not answer it.
            if in_ask and (flag.startswith(_NOUNISH) and not everyday(word)
                           or fragment and flag not in lex.function_flags and not flag.startswith("v")):
                weight = stats.idf(word) if fragment else cfg["unknown_term_weight"]
                terms[word] = Term(word=word, alternatives=(), weight=weight)
            continue
        alternatives = list(dict.fromkeys(alternatives))
        if any(t.alternatives and set(alternatives) <= set(t.alternatives) for t in terms.values()):
            continue  # two words for the same thing (农村, 村里) count once
        # A word's own rarity when the notices use it; a resident's word takes its commonest notice word's.
        own = stats.idf(word) if stats.df(word) else min(stats.idf(a) for a in alternatives)
        weight = own * general_scale(word) * (lex.light_scale if word in lex.light_words else 1.0)
        if from_parts and cfg["parts_weigh_as_parts"]:
            # Only a part of the word stands in the notices (第三阶段 → 阶段): it says as much as that
            # part does in general Chinese, not as much as the rare compound would.
            weight = min(weight, min(stats.idf(a) * general_scale(a) for a in alternatives))
        if flag in _ADVERBS and everyday(word):
            # How something is done (单独收, 直接排) is not what it is about; a rarer adverb can be
            # (一次性 牙刷).
            weight *= cfg["adverb_scale"]
        parts = tuple(p for p in sub_words(word) if p not in skip and stats.df(p)) if len(word) > 2 else ()
        terms[word] = Term(word=word, alternatives=tuple(alternatives), weight=weight, parts=parts, in_ask=in_ask)
    return terms


def terms_for(question: Question, stats: TermStats,
              extra: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> list[Term]:
    """Weighted content words of the ask, then of the background (known words only, at a fraction).

    ``extra`` holds word pairs staff taught: (resident's word, notice words).
    """
    key = (question, extra)
    cached = stats._terms.get(key)
    if cached is None:
        cached = _weigh(question, stats, extra)
        if len(stats._terms) >= 64:
            stats._terms.clear()
        stats._terms[key] = cached
    return cached


def _weigh(question: Question, stats: TermStats, extra: tuple[tuple[str, tuple[str, ...]], ...]) -> list[Term]:
    cfg = tunables()["answer"]
    skip = set(lexicon().stopwords) | _place_words()
    fragment = cfg["fragment_unknown_weight"] and is_fragment(question.ask, cfg["fragment_max_chars"])
    terms = _terms(question.without_kind(question.ask), stats, in_ask=True, skip=skip, extra=extra,
                   fragment=fragment)
    terms = _light_below_subject(terms)
    if question.asking:
        frame = lexicon().frame_words
        asking = {w for w in _terms(question.without_kind(question.asking), stats, in_ask=True, skip=skip,
                                    extra=extra)
                  if w not in frame}
        terms = {w: (replace(t, asking=True) if w in asking else t) for w, t in terms.items()}
    if question.background:
        share = cfg["background_weight_refers"] if question.refers_back else cfg["background_weight"]
        for word, term in _terms(question.background, stats, in_ask=False, skip=skip, extra=extra).items():
            if word in terms or not term.alternatives:
                continue
            if any(set(term.alternatives) <= set(t.alternatives) for t in terms.values() if t.alternatives):
                continue
            terms[word] = Term(word=term.word, alternatives=term.alternatives, weight=term.weight * share,
                               parts=term.parts, in_ask=False)
    return _background_below_ask(list(terms.values()))


def _background_below_ask(terms: list[Term]) -> list[Term]:
    """The background of a long message never outweighs its ask: at most ``background_cap`` times
    the weight of the ask's own known words (俺家, 郊区, 冒黑烟 around "这种烧垃圾的厂子管得严不严").
    An ask with no known word of its own ("这些吃剩的东西") keeps the background as it is."""
    cap = tunables()["answer"]["background_cap"]
    ask = sum(t.weight for t in terms if t.in_ask and t.alternatives)
    background = sum(t.weight for t in terms if not t.in_ask)
    if not cap or not ask or background <= cap * ask:
        return terms
    scale = cap * ask / background
    return [t if t.in_ask else replace(t, weight=t.weight * scale) for t in terms]


def _light_below_subject(terms: dict[str, Term]) -> dict[str, Term]:
    """A household word (家里 → 家庭/居民) or a one-character verb or adjective (换 → 更换, 老 → 老旧)
    never outweighs the subject it comes with: at most ``light.scale`` of the heaviest other word of
    the ask (装修的碎砖头 is not about 居民; "让换漆" is not about 更新), and nothing without one."""
    lex = lexicon()

    def light(word: str) -> bool:
        return word in lex.light_words or word in lex.monosyllables

    heaviest = max((t.weight for w, t in terms.items() if not light(w) and t.alternatives), default=0.0)
    if not heaviest:
        return {w: t for w, t in terms.items() if w not in lex.monosyllables}
    return {w: (replace(t, weight=min(t.weight, lex.light_scale * heaviest)) if light(w) else t)
            for w, t in terms.items()}


def question_terms(question: str, stats: TermStats) -> list[Term]:
    """Weighted content words of a question given as text."""
    return terms_for(understand(question), stats)


def coverage(sentence_key: str, context_key: str, terms: list[Term]) -> float:
    """Share of the terms' weight found in the sentence (context counts half)."""
    part_credit = tunables()["answer"]["part_credit"]
    total = sum(t.weight for t in terms)
    if not total:
        return 0.0
    got = 0.0
    for t in terms:
        if any(a in sentence_key for a in t.alternatives):
            got += t.weight
        elif t.parts and all(p in sentence_key for p in t.parts):
            got += t.weight * part_credit  # the words apart: 污水集中处理 for 污水处理
        elif any(a in context_key for a in t.alternatives):
            got += t.weight / 2
    return got / total


def candidates(question: Question, chunks: list[tuple[int, Chunk, list[int]]], units: list[Unit],
               stats: TermStats, similarities: np.ndarray | None = None, *, wants_figure: bool = False,
               terms: list[Term] | None = None, ranking: bool = False) -> list[Candidate]:  # noqa: PLR0913
    """Every quotable unit of the given chunks — (rank, chunk, unit numbers) — scored, best first."""
    cfg = tunables()["answer"]
    terms = terms_for(question, stats) if terms is None else terms
    # The asking clause must be met only when it names something the notices never mention
    # ("本科学历能直接落户吗"); then one of its words the notices do use must be in the unit.
    asking = [t for t in terms if t.asking and (t.weight >= cfg["asking_min_weight"] or not t.alternatives)]
    unmet = any(not t.alternatives for t in asking)  # the asking clause names what the notices never use
    asking_known = [t for t in asking if t.alternatives]
    asking = asking_known if unmet else []  # …so one word they use must be met
    # The background of a long message helps a unit that shares it, and never holds back one that
    # answers the ask alone (烧垃圾的厂子 without 小区, 居委会).
    ask_terms = [t for t in terms if t.in_ask] if cfg["background_adds_only"] and not ranking else None
    if ask_terms is not None and len(ask_terms) == len(terms):
        ask_terms = None
    out: list[Candidate] = []
    for rank, chunk, unit_ids in chunks:
        context = match_key(chunk.breadcrumb)
        heading = match_key(chunk.heading)
        for k in unit_ids:
            unit = units[k]
            if unit.departments:
                continue
            key = unit.key
            cov = coverage(key, context, terms)
            if ask_terms is not None:
                cov = max(cov, coverage(key, context, ask_terms))
            sim = float(similarities[k]) if similarities is not None else 0.0
            cand = Candidate(unit=unit, chunk=chunk, chunk_rank=rank, coverage=cov, similarity=sim, score=0.0,
                             asks_covered=not unmet or bool(asking) and coverage(key, context, asking) > 0,
                             asks_met=not asking_known or coverage(key, context, asking_known) > 0)
            score = cand.relevance + cfg["rank_bonus"] / rank
            if key.rstrip("。；;") == heading:
                score -= cfg["heading_penalty"]  # a bare heading says less than the sentences under it
            if wants_figure:
                score += cfg["figure_weight"] if _DIGIT.search(unit.text) else -cfg["figure_weight"]
            cand.score = score
            out.append(cand)
    out.sort(key=lambda c: -c.score)
    return out
