"""Rules that find quantitative targets in the parsed notices.

A target is a number with a unit (or a bare number right after a target verb:
``系数提高到0.68``) inside a comma-delimited segment of a sentence. Around it
the rules read the indicator (the words before the verb), the target year
(``到2025年``, ``2022年底前``), the baseline (``比2020年下降``) and the qualifiers
(``以上``, ``左右``, ``力争``). ``A、B分别下降x%和y%`` pairs each indicator with
its value. The output is a list of candidate rows; people review them into
``corpus/targets.csv`` (see :mod:`retrieval.targets.table`).

Matching runs on Simplified text; offsets map back to the notice's own script,
so a Traditional notice is quoted in Traditional.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from retrieval.corpus import Corpus, Notice, split_sentences
from retrieval.parse import PREAMBLE_PATH
from retrieval.targets.table import Target
from retrieval.textnorm import to_simplified

RULES_FILE = Path(__file__).resolve().parent.parent / "data" / "targets.toml"
_SEGMENT_END = "，,；;：:"
_YEAR = re.compile(r"(?:(到|至|在)\s*)?(\d{4})\s*年\s*(底|末)?\s*(前|以前)?")
_BASELINE = re.compile(
    r"(比|较|相比|与)\s*(\d{4})\s*年\s*(底|末)?(相比)?\s*(?:分别|力争)?\s*(下降|降低|减少|提高|提升|增长|增加|上升)?"
)
_CJK = re.compile(r"[\u3400-\u9fff]")
_CHANGE = ("下降", "降低", "减少", "提高", "提升", "增长", "增加", "上升")


@dataclass(frozen=True)
class Rules:
    units: list[str]
    target_verbs: list[str]
    trailing_verbs: list[str]
    qualifiers_after: list[str]
    qualifiers_before: list[str]
    not_value_after: list[str]
    not_value_before: list[str]
    period_years: dict[str, str]
    shared_suffixes: list[str]
    themes: list[tuple[str, list[str]]]

    @property
    def value_pattern(self) -> re.Pattern[str]:
        units = "|".join(re.escape(u) for u in sorted(self.units, key=len, reverse=True))
        return re.compile(rf"(?<![\d.A-Za-z])(\d+(?:\.\d+)?)\s*({units})?")


@lru_cache(maxsize=1)
def rules() -> Rules:
    with open(RULES_FILE, "rb") as fh:
        data = tomllib.load(fh)
    themes = [(t["name"], list(t["keywords"])) for t in data.pop("themes")]
    data.pop("compare")  # read by retrieval/answer/from_targets.py
    return Rules(themes=themes, **data)


def _simplified_aligned(text: str) -> str:
    """Simplified text with the same length as ``text`` so offsets carry over."""
    simple = to_simplified(text)
    return simple if len(simple) == len(text) else "".join(to_simplified(ch) for ch in text)


def _segments(sentence: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for i, ch in enumerate(sentence):
        if ch in _SEGMENT_END:
            spans.append((start, i))
            start = i + 1
    if start < len(sentence):
        spans.append((start, len(sentence)))
    return [(a, b) for a, b in spans if sentence[a:b].strip()]


def _strip_words(text: str, words: list[str], *, end: bool) -> str:
    changed = True
    while changed and text:
        changed = False
        for word in sorted(words, key=len, reverse=True):
            if end and text.endswith(word):
                text, changed = text[: -len(word)].rstrip(), True
            elif not end and text.startswith(word):
                text, changed = text[len(word):].lstrip(), True
    return text


def clean_indicator(text: str, r: Rules) -> str:
    """The words naming what is measured: dates, baselines and verbs removed."""
    text = _BASELINE.sub("", text)
    text = _YEAR.sub("", text)
    text = re.sub(r"\s+", "", text)
    text = _strip_words(text, ["到", "至", "全市", "其中", "并", "且", "和", "、", "，"], end=False)
    text = _strip_words(text, r.trailing_verbs + r.qualifiers_before + ["、", "和", "的"], end=True)
    return text.strip("“”\"（）()")


def theme_for(texts: list[str], r: Rules) -> str:
    for text in texts:
        for name, keywords in r.themes:
            if any(k in text for k in keywords):
                return name
    return r.themes[-1][0]


def _target_year(simple: str, before: int, paragraph_before: str, r: Rules) -> str:
    """The nearest target year before the value: this sentence first, then the paragraph.

    A plan period (十四五) stands for its last year when no year is written.
    """
    for text in (simple[:before], paragraph_before):
        years = [m for m in _YEAR.finditer(text) if int(m.group(2)) > 2020 and not _is_baseline(text, m.start())]
        if years:
            return years[-1].group(2)
        periods = [(text.rfind(p), y) for p, y in r.period_years.items() if p in text]
        if periods:
            return max(periods)[1]
    return ""


def _is_baseline(text: str, pos: int) -> bool:
    return bool(re.search(r"(比|较|相比|与)\s*$", text[:pos]))


@dataclass
class _Value:
    start: int
    end: int  # after unit and trailing qualifier
    value: str
    unit: str
    qualifier_after: str


def _values(simple: str, a: int, b: int, r: Rules) -> list[_Value]:
    out = []
    for m in r.value_pattern.finditer(simple, a, b):
        after = simple[m.end(): m.end() + 4].lstrip()
        before = simple[max(a, m.start() - 4): m.start()].rstrip()
        unit = m.group(2) or ""
        if not unit and any(after.startswith(w) for w in r.not_value_after):
            continue
        if any(before.endswith(w) for w in r.not_value_before):
            continue
        if not unit and not any(before.endswith(v) for v in r.target_verbs):
            continue
        end = m.end()
        qualifier = next((q for q in r.qualifiers_after if simple[end:].lstrip().startswith(q)), "")
        if qualifier:
            end = simple.index(qualifier, end) + len(qualifier)
        out.append(_Value(m.start(), end, m.group(1), unit.replace("％", "%"), qualifier))
    return out


def _split_list(text: str, r: Rules) -> list[str]:
    """``A、B重点工程减排量`` → [A重点工程减排量, B重点工程减排量]."""
    names = [p for p in re.split(r"[、和及与]", text) if p]
    suffix = next((s for s in r.shared_suffixes if names and names[-1].endswith(s) and names[-1] != s), "")
    return [n if n.endswith(suffix) else n + suffix for n in names]


def extract_notice(notice: Notice, r: Rules | None = None) -> list[Target]:
    r = r or rules()
    meta = notice.meta
    rows: list[Target] = []
    for clause in notice.clauses:
        if clause.path == PREAMBLE_PATH:
            continue
        seen: dict[str, int] = {}
        headings = [to_simplified(h) for h in reversed(clause.headings)]
        for para in clause.paragraphs:
            sentences = split_sentences(para.text)
            para_before = ""
            for sentence in sentences:
                simple = _simplified_aligned(sentence)
                rows += _sentence_targets(sentence, simple, para_before, clause.path, headings, seen, meta, r)
                para_before += simple
    return rows


def _sentence_targets(sentence, simple, para_before, clause_path, headings, seen, meta, r) -> list[Target]:
    rows = []
    segments = _segments(simple)
    for n, (a, b) in enumerate(segments):
        values = _values(simple, a, b, r)
        if not values:
            continue
        head = simple[a: values[0].start]
        quote_start = a
        indicator = clean_indicator(head.split("分别")[0], r)
        tail = simple[values[-1].end: b].rstrip("。！？!?")
        if len(_CJK.findall(indicator)) < 2 and len(values) == 1 and len(_CJK.findall(tail)) >= 2:
            # "80%以上的县级机关建成节约型机关": what is measured follows the value.
            indicator = clean_indicator(head + tail.lstrip("的"), r)
        elif len(_CJK.findall(indicator)) < 2 and n > 0:
            pa, pb = segments[n - 1]
            earlier = _values(simple, pa, pb, r)
            indicator = clean_indicator(simple[pa: earlier[0].start if earlier else pb], r)
            quote_start = pa
        # The quote is the whole segment: the value with what it applies to.
        quote_end = values[-1].end + len(tail)
        names = _split_list(indicator, r) if "分别" in head and len(values) > 1 else []
        paired = len(names) == len(values)
        baseline_m = _BASELINE.search(simple, quote_start, values[0].start)
        baseline = re.sub(r"\s+|分别|力争", "", baseline_m.group(0)) if baseline_m else ""
        if not baseline:
            # "能耗下降14.5%": a change with no base year written (下降到/提高至 give a level instead).
            before = _strip_words(simple[quote_start: values[0].start].rstrip(), r.qualifiers_before, end=True)
            baseline = next((v for v in _CHANGE if before.endswith(v)), "")
        before_words = simple[quote_start: values[0].start]
        found = [q for q in r.qualifiers_before if q in before_words]
        qualifier_before = [q for q in found if not any(q != o and q in o for o in found)]
        for i, v in enumerate(values):
            name = names[i] if paired else indicator
            key_base = f"{v.value}{v.unit}"
            seen[key_base] = seen.get(key_base, 0) + 1
            quote = sentence[quote_start:quote_end].strip()
            qualifiers = qualifier_before + ([v.qualifier_after] if v.qualifier_after else [])
            rows.append(
                Target(
                    key=f"{meta.id}|{clause_path}|{key_base}|{seen[key_base]}",
                    city=meta.city,
                    notice_id=meta.id,
                    clause=clause_path,
                    theme=theme_for([name, to_simplified(quote), *headings], r),
                    indicator=name,
                    value=v.value,
                    unit=v.unit,
                    year=_target_year(simple, v.start, para_before, r),
                    baseline=baseline,
                    qualifier="、".join(dict.fromkeys(qualifiers)),
                    quote=quote,
                )
            )
    return rows


def extract(corpus: Corpus) -> list[Target]:
    """Candidate targets of every notice, in notice and clause order."""
    return [row for notice in corpus.notices.values() for row in extract_notice(notice)]



def theme_names() -> list[str]:
    """Theme names in display order (the order of retrieval/data/targets.toml)."""
    return [name for name, _ in rules().themes]
