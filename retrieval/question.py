"""What a resident's message asks: the ask apart from the background, and the kind of answer wanted.

Residents write "我家住定州城里一个老小区……我就想问问，市里对这些吃剩的东西有没有单独收？":
a paragraph of personal detail, then the question. The *ask* is the part that carries
the question; the rest is *background*, whose everyday words must not count against
an answer. The *kind* (a figure, an amount of money, a list, who, when, a procedure…)
says what a quoted sentence must hold to answer it (``retrieval/data/ask_kinds.toml``).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from retrieval.textnorm import to_simplified

DATA_DIR = Path(__file__).resolve().parent / "data"

# Where a long message turns to its question.
_MARKER = re.compile(r"(?:我就?|就|俺就?|只)?(?:想问问|想问一下|想问|想请问|想知道|想了解|想打听|请问|问一下|问问|打听一下|咨询一下)[，,：:]?")
_CLAUSE = re.compile(r"[^。！？!?\n；;，,]+[。！？!?；;，,]*")
_QUESTION_WORD = re.compile(
    r"[吗呢？?]|啥|什么|怎么|怎样|如何|咋|哪|多少|几[个成年类倍月号]|是否|有没有|能不能|会不会|是不是|要不要|可不可以|行不行|"
    r"[^\s]不[^\s]吗?$|有无|没有?[？?]?$"
)
_DEICTIC = re.compile(r"这些|这种|这类|这个|这块|这事|这摊|那些|那种|那个|它们?|其中|此类|上述")
LONG = 40  # a message longer than this may hold background before its ask


@dataclass(frozen=True)
class AskKind:
    name: str
    ask: re.Pattern[str]
    unless: re.Pattern[str] | None
    gives: re.Pattern[str] | None
    within: str  # "sentence" or "clause": where the answer must hold what was asked
    clause: str | None  # only this clause may answer
    message: str


@dataclass(frozen=True)
class Question:
    text: str  # the whole message, Simplified
    ask: str  # the part that carries the question
    background: str  # the rest
    kind: AskKind | None
    refers_back: bool  # the ask points at the background ("这些吃剩的东西")
    asking: str = ""  # the clause that carries the question word ("本科学历能直接落户吗"), if any

    def without_kind(self, text: str) -> str:
        """The text without the words that ask for the kind of fact ("是哪几个部门", "补贴多少"): not content."""
        return self.kind.ask.sub("，", text) if self.kind and text else text

    @property
    def kind_name(self) -> str:
        return self.kind.name if self.kind else "general"


@lru_cache(maxsize=1)
def ask_kinds() -> list[AskKind]:
    with open(DATA_DIR / "ask_kinds.toml", "rb") as fh:
        data = tomllib.load(fh)
    return [
        AskKind(
            name=k["name"], ask=re.compile(k["ask"]),
            unless=re.compile(k["unless"]) if k.get("unless") else None,
            gives=re.compile(k["gives"]) if k.get("gives") else None,
            within=k.get("in", "sentence"), clause=k.get("clause"), message=k["message"],
        )
        for k in data["kind"]
    ]


def asking_clause(ask: str) -> str:
    """The last clause of the ask with a question word, and what follows it ("" if none)."""
    clauses = [m.group(0) for m in _CLAUSE.finditer(to_simplified(ask))]
    asking = next((i for i in range(len(clauses) - 1, -1, -1) if _QUESTION_WORD.search(clauses[i])), None)
    return "".join(clauses[asking:]) if asking is not None else ""


def kind_of(ask: str) -> AskKind | None:
    """The kind of the clause that asks something, else of the whole ask."""
    simplified = to_simplified(ask)
    # The clause that asks decides; the whole ask only when no clause carries a question word.
    text = asking_clause(simplified) or simplified
    for kind in ask_kinds():
        if kind.ask.search(text) and not (kind.unless and kind.unless.search(simplified)):
            return kind
    if text != simplified and _stance_only(text):
        # "…开多少度合适，政府有规定不？": a clause that only asks for the notice's stance defers to the ask.
        rest = simplified.replace(text, "").strip("，,、 ")
        return kind_of(rest) if rest else None
    return None


def _stance_only(clause: str) -> bool:
    """A clause of stopwords, stance words (规定, 提倡, 管) and function words only: 政府有规定不？"""
    from retrieval.lexicon import lexicon, tagged_words

    lex = lexicon()
    words = tagged_words(clause)
    return bool(words) and all(w in lex.stopwords or w in lex.frame_words or f in lex.function_flags
                               for w, f in words)


def is_fragment(ask: str, max_chars: int) -> bool:
    """A few words with no question in them ("天津电动车上牌材料"): a topic typed into a search box."""
    simplified = to_simplified(ask).strip()
    return len(simplified) <= max_chars and not _QUESTION_WORD.search(simplified)


def split_ask(text: str) -> tuple[str, str]:
    """(ask, background) of a message; a short message is all ask."""
    text = text.strip()
    if len(text) <= LONG:
        return text, ""
    marks = list(_MARKER.finditer(text))
    if marks and len(text) - marks[-1].end() >= 4:
        cut = marks[-1].start()
        return text[marks[-1].end():].strip(), text[:cut].strip()
    # Two or more questions in one message are all asked: from the first one on.
    asked = [m for m in re.finditer(r"[^。！？!?\n]*[？?]", text)]
    if len(asked) >= 2:
        return text[asked[0].start():].strip(), text[:asked[0].start()].strip()
    clauses = [m.group(0) for m in _CLAUSE.finditer(text)]
    # The ask: the last clause with a question word, with the clause before it when it is short
    # (…，政府有啥说法没？ keeps its subject).
    for i in range(len(clauses) - 1, -1, -1):
        if _QUESTION_WORD.search(clauses[i]):
            start = i
            while start > 0 and len("".join(clauses[start:i + 1])) < 16:
                start -= 1
            return "".join(clauses[start:]).strip(), "".join(clauses[:start]).strip()
    return text, ""


def understand(text: str) -> Question:
    simplified = to_simplified(text)
    ask, background = split_ask(simplified)
    asking = asking_clause(ask)
    return Question(
        text=simplified, ask=ask, background=background, kind=kind_of(ask),
        refers_back=bool(background and _DEICTIC.search(ask)),
        asking=asking if asking != ask else "",
    )


_DATES = re.compile(r"\d{4}\s*年(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*日)?|“?十[一二三四五]五”?")
_QUOTED = re.compile(r"[“\"「]([^”\"」]{2,20})[”\"」]")
_HOW_MANY = re.compile(r"哪([两三四五六七八九十]|\d+)(?:个|家|项|类|种|座|条|块)")
_LIST_HEAD = re.compile(r"(?:哪些|哪几[个家项类种座条块所]?|哪[两三四五六七八九十\d]+[个家项类种座条块所]|都有什么|包括什么|包括哪)([\u4e00-\u9fff]{1,4}?)(?:[，,、？?。]|$|呢|吗|啊|和)")
_PLACE_SUFFIXES = set("省市区县镇乡村")
_CN_DIGITS = {"两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def quoted_terms(question: str) -> list[str]:
    """Terms a resident put in quotes ("“415”十大工业产业集群"): an answer must name them."""
    return [m.group(1) for m in _QUOTED.finditer(to_simplified(question))]


def _list_given(question: str, sentence: str) -> bool:
    """A list answer enumerates (、 or ；), at least as many items as asked ("哪十个"), of what was asked."""
    simplified = to_simplified(sentence)
    if not re.search(r"、|；|;", simplified):
        return False
    wanted = _HOW_MANY.search(question)
    if wanted:
        count = wanted.group(1)
        n = int(count) if count.isdigit() else _CN_DIGITS.get(count, 0)
        longest = max(len(re.split(r"、", part)) for part in re.split(r"[，,。；;：:]", simplified))
        if longest < n:
            return False
    heads = [m.group(1) for m in _LIST_HEAD.finditer(question)]
    heads = [h for h in heads if h not in ("的", "地方", "东西", "方面", "内容")]
    if not heads:
        return True
    items = [i.strip("等和及与“”\"") for part in re.split(r"[，,。；;：:（）()]", simplified) if "、" in part
             for i in part.split("、")]
    # Items of the asked kind: 大武口区、惠农区、平罗县 for 区县 (a head made of place suffixes matches
    # any of them); a head of two characters or more may also stand in the text itself.
    def ends(item: str, head: str) -> bool:
        return item.endswith(head) or (set(head) <= _PLACE_SUFFIXES and item.endswith(tuple(head)))

    return any(ends(i, h) for i in items for h in heads) or any(len(h) > 1 and h in simplified for h in heads)


def asks_which_cities(question: str) -> bool:
    """"哪些城市…？", "哪几个写了…？": a comparison asking which cities do something, not what each lists."""
    heads = [m.group(1) for m in _LIST_HEAD.finditer(to_simplified(question))]
    return any(h in ("城市", "地方", "市", "方案", "写", "提") for h in heads) or bool(
        re.search(r"哪(?:些|几个|个)(?:城市|地方|方案|写|提)", to_simplified(question)))


def gives(kind: AskKind | None, sentence: str, clause_text: str = "", question: str = "") -> bool:
    """Whether a sentence (or its clause) holds what the question asked for."""
    question = to_simplified(question)
    if kind is not None and kind.name == "list":
        return _list_given(question, sentence)
    if kind is None or kind.gives is None:
        if kind is not None and kind.name == "which":
            return _names_new(question, sentence)
        return True
    where = to_simplified(clause_text if kind.within == "clause" and clause_text else sentence)
    if kind.name in ("figure", "money", "standard"):
        where = _DATES.sub("", where)  # a year says when, not how much
    return bool(kind.gives.search(where))


_WHICH = re.compile(r"哪(?:个|家|座|条|片|块|所)([\u4e00-\u9fff]{1,3})")


def _names_new(question: str, sentence: str) -> bool:
    """"哪个园区？" is answered by a sentence naming a 园区 the question did not already name."""
    m = _WHICH.search(to_simplified(question))
    if not m:
        return True
    head = m.group(1)[-2:] if len(m.group(1)) > 1 else m.group(1)
    simplified = to_simplified(sentence)
    for found in re.finditer(re.escape(head), simplified):
        name = simplified[max(0, found.start() - 6): found.end()]
        name = re.split(r"[，,。、；“”\"（）()]", name)[-1]
        if len(name) > len(head) and name not in question and not _GENERIC.search(name):
            return True
    return False


# A name made of kinds, not a proper name: 一批节能环保示范园区, 重点园区, 省级以上园区.
_GENERIC = re.compile(r"示范|一批|重点|各类|各个|相关|有关|若干|以上|[省市县区]级|国家级|等|类|所有|全部|新建|现有")
