"""Follow-up questions written out as standalone questions, by rules (no model).

After "石嘴山农村清洁取暖率目标是多少？", "那天津呢？" means "天津农村清洁取暖率目标是多少？"
and "这个谁负责？" means "石嘴山农村清洁取暖率目标，谁负责？". Only a turn that refers
back is rewritten (RAGFlow and MaxKB users report drift when every turn is): one that
opens with 那…/ends in 呢, or is short and names no subject of its own. A turn on a new
subject is left alone, except that it keeps the conversation's city when it names none.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from retrieval.lexicon import query_terms
from retrieval.places import city_names
from retrieval.search import cities_named, wants_many_cities
from retrieval.textnorm import to_simplified

DATA_DIR = Path(__file__).parent / "data"
_PUNCT = re.compile(r"[？?。！!，,、；;：:\s“”\"‘’]")
_END = re.compile(r"[？?。！!\s]+$")


@dataclass(frozen=True)
class Resolved:
    question: str  # what is answered: the turn, or the turn written out
    rewritten: bool  # the turn referred back and was written out
    city: str | None  # the conversation's city when the turn names none


@lru_cache(maxsize=1)
def rules() -> dict:
    with open(DATA_DIR / "conversation.toml", "rb") as fh:
        return tomllib.load(fh)


def resolve(question: str, history: list[str], known: list[str], city: str | None = None) -> Resolved:
    """The turn as a standalone question, given the earlier questions of the conversation (oldest first)."""
    question = (question or "").strip()
    if not history:
        return Resolved(question, False, city)
    previous = history[0].strip()
    for turn in history[1:]:
        previous = _rewrite(turn.strip(), previous, known) or turn.strip()
    rewritten = _rewrite(question, previous, known)
    if rewritten:
        return Resolved(rewritten, True, city)
    # A new subject keeps the conversation's city when it names none (and does not compare cities).
    carried = _city_of(previous, known)
    if carried and not cities_named(question, known) and not wants_many_cities(question) and carried != city:
        return Resolved(carried + question, True, carried)
    return Resolved(question, False, city)


def _city_of(text: str, known: list[str]) -> str | None:
    named = cities_named(text, known)
    return named[0] if len(named) == 1 else None


def _core(turn: str) -> str:
    return _PUNCT.sub("", to_simplified(turn))


def _strip_opener(text: str) -> str:
    for opener in sorted(rules()["follow_up"]["openers"], key=len, reverse=True):
        if text.startswith(opener):
            return text[len(opener):]
    return text


def _rewrite(turn: str, previous: str, known: list[str]) -> str | None:
    cfg = rules()["follow_up"]
    simplified = to_simplified(turn).strip()
    body = _END.sub("", simplified)
    core = _core(turn)
    if not core:
        return None
    opened = _strip_opener(body) != body
    if body.endswith("呢") and len(core) <= 20 or opened and len(core) <= 16:
        subject = _strip_opener(body).removesuffix("呢").removesuffix("的话").strip("，, ")
        subject = re.sub(r"(怎么样|咋样|怎么说|如何|怎么办|的情况)$", "", subject)
        if subject and not _asks_something(subject):
            return _substitute(previous, subject, known)
    if len(core) <= cfg["max_chars"] and not cities_named(turn, known) and not _own_subject(core):
        return _extend(previous, body)
    if any(p in simplified for p in cfg["pointers"]) and len(core) <= 20 and not _own_subject(core):
        return _extend(previous, body)
    return None


def _asks_something(text: str) -> bool:
    return bool(re.search(r"多少|几|谁|哪|什么|啥|怎么|咋|吗|是否|有没有", text))


def _own_subject(core: str) -> bool:
    """A turn names its own subject when it has content words beyond asking words and pointers."""
    cfg = rules()["follow_up"]
    skip = set(cfg["ask_words"]) | set(cfg["pointers"])
    words = [w for w in query_terms(core) if w not in skip and len(w) > 1 and not any(a in w for a in skip)]
    return len(words) >= 2 or any(len(w) >= 4 for w in words)


def _substitute(previous: str, subject: str, known: list[str]) -> str:
    """The last question about ``subject`` instead of what it was about."""
    prev = _END.sub("", to_simplified(previous))
    new_cities = cities_named(subject, known)
    rest = subject
    for city in new_cities:
        for name in sorted(city_names(city), key=len, reverse=True):
            rest = rest.replace(name, "")
    rest = rest.strip("的，, ")
    if new_cities:
        old = cities_named(prev, known)
        if old:
            for name in sorted(city_names(old[0]), key=len, reverse=True):
                if name in prev:
                    prev = prev.replace(name, new_cities[0], 1)
                    break
        else:
            prev = new_cities[0] + prev
        if not rest:
            return prev + "？"
    for group in rules()["rewrite"]["group"]:
        members = sorted(group["words"], key=len, reverse=True)
        mine = next((w for w in members if w in rest), None)
        theirs = next((w for w in members if w in prev and w != mine and (not mine or w not in mine)), None)
        if mine and theirs:
            return _replace_phrase(prev, theirs, rest, members) + "？"
    head = _shared_head(prev, rest)
    if head:
        return _replace_phrase(prev, head, rest) + "？"
    city = _city_of(prev, known)
    return (city or "") + rest + "，" + _last_ask(prev) + "？"


def _replace_phrase(prev: str, word: str, subject: str, group: list[str] | None = None) -> str:
    """Replace the phrase around ``word`` in the last question with the new subject.

    The phrase takes in a list the word belongs to ("街道、乡镇"), what the subject shares
    with it ("钢铁|行业" for 有色行业), a "这类…" apposition and a modifier ending in 的.
    """
    start = prev.find(word)
    end = start + len(word)
    members = group or []
    while start > 0 and prev[start - 1] in "、和及与":
        m = re.search(r"[\u4e00-\u9fffA-Za-z0-9]{1,8}$", prev[: start - 1])
        if not m:
            break
        start = m.start()
    while end < len(prev) - 1 and prev[end] in "、和及与":
        nxt = next((w for w in members if prev.startswith(w, end + 1)), None)
        if not nxt:
            break
        end += 1 + len(nxt)
    mine = next((w for w in members if w in subject), word if word in subject else "")
    if mine:
        suffix = subject[subject.find(mine) + len(mine):]
        if suffix and prev.startswith(suffix, end):
            end += len(suffix)
    apposition = re.match(r"(?:这类|这些|这种|之类的?|等)[^，。？]{0,12}", prev[end:])
    if apposition:
        end += apposition.end()
    m = re.search(r"(?:(?<=对)|(?<=把)|(?<=给)|(?<=，))[^，。？]{1,12}的$", prev[:start])
    if m and subject.endswith(word):
        start = m.start()
    return prev[:start] + subject + prev[end:]


def _shared_head(prev: str, subject: str) -> str | None:
    """The longest ending of the subject (行业, 企业, 园区) that the last question also uses."""
    for n in range(min(len(subject) - 1, 4), 0, -1):
        head = subject[-n:]
        if len(head) >= 2 and head[0] not in "的之" and head in prev:
            return head
    return None


def _last_ask(prev: str) -> str:
    clauses = [c for c in re.split(r"[，,；;]", prev) if c]
    return clauses[-1] if clauses else prev


def _topic(previous: str) -> str:
    """The last question without its question words: "…要装在线监测设施吗？" → "…要装在线监测设施"."""
    text = _END.sub("", to_simplified(previous))
    for tail in sorted(rules()["rewrite"]["tails"], key=len, reverse=True):
        text = text.removesuffix(tail)
    text = re.sub(r"(有没有|是不是|会不会|能不能|要不要|可不可以)", "", text)
    return text.strip("，, ")


def _extend(previous: str, turn: str) -> str:
    """The last question's subject with the new ask: "…能效标杆水平，具体比例是多少？"."""
    ask = _strip_opener(turn)
    for pointer in ("这个", "这块", "这事", "这件事", "这项", "那个", "它"):
        ask = ask.removeprefix(pointer)
    return _topic(previous) + "，" + ask.strip("，, ") + "？"
