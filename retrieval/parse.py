"""Raw notice text → clauses with heading paths, departments and raw offsets.

The notices as published carry reprint leads, markdown heading prefixes, lines
broken mid-sentence and bracketed lists of responsible departments. This module
turns one raw text into an ordered list of :class:`Clause` objects; nothing here
edits the file on disk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from retrieval.textnorm import clean_display, match_key, to_simplified

CN_NUM = "一二三四五六七八九十"
# Heading markers by level; the path keeps a canonical form of each marker.
_LEVELS: list[tuple[int, re.Pattern[str]]] = [
    (1, re.compile(rf"^([{CN_NUM}]+)、")),
    (2, re.compile(rf"^[（(]([{CN_NUM}]+)[）)]")),
    (3, re.compile(r"^(\d{1,2})\s*[.．、](?!\d)")),
    (4, re.compile(r"^[（(](\d{1,2})[）)]")),
]
_CANON = {1: "{}、", 2: "（{}）", 3: "{}.", 4: "（{}）"}

_MARKDOWN_PREFIX = re.compile(r"^\s*#+\s*")
_SENTENCE_END = "。；！？;!?：:”\"）)"
# Where the official text starts: the "关于印发…的通知" title, the addressee line of the
# cover letter, or the plan's own title. Anything before it is a reprint lead.
_NOTICE_TITLE = re.compile(r"关于印发")
_ADDRESSEE = re.compile(r"^各[^。；]{2,100}[：:]$")
_DOC_TYPE = re.compile(r"(?:方案|规划|计划|意见|办法|细则|通知|要点|措施|决定|纲要)(?:[（(][^）)]{1,8}[）)])?$")
_SENTENCE_MARK = re.compile(r"[，。；！？,;!?：:]")
# A news lead without a title after it: a paragraph that reports the plan ("近日，…印发…",
# "…讯：…发布…") or announces the text ("…全文如下：").
_NEWS_OPENING = re.compile(r"^(?:近日|日前|近期|本报|记者|据|.{0,16}讯|.{0,24}\d{1,2}日电)")
_ANNOUNCES_TEXT = re.compile(r"(?:如下|原文|全文)[：:]$")
_REPORTED_ACT = re.compile(r"印发|发布|出台|公布|通知|方案")
PREAMBLE_PATH = "通知"
INTRO_PATH = "前言"


@dataclass
class Paragraph:
    text: str  # cleaned, original script
    start: int  # offsets into the raw file
    end: int


@dataclass
class Clause:
    path: str  # e.g. "三、（五）2."
    heading: str  # this clause's own heading, original script
    headings: list[str]  # ancestor headings then own, original script
    level: int
    paragraphs: list[Paragraph] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.paragraphs)

    @property
    def start(self) -> int:
        return self.paragraphs[0].start if self.paragraphs else 0

    @property
    def end(self) -> int:
        return self.paragraphs[-1].end if self.paragraphs else 0


@dataclass
class ParsedNotice:
    clauses: list[Clause]
    dropped_lead: str  # the reprint summary that was left out, for the record
    dropped_title_only: list[str] = field(default_factory=list)  # 通知/前言 parts with no sentence


def _raw_paragraphs(raw: str) -> list[Paragraph]:
    """Non-empty lines with offsets; a line broken mid-sentence joins the one before."""
    out: list[Paragraph] = []
    pos = 0
    for line in raw.splitlines(keepends=True):
        start, end = pos, pos + len(line.rstrip("\r\n"))
        pos += len(line)
        stripped = _MARKDOWN_PREFIX.sub("", line).strip()
        if not stripped:
            continue
        text = clean_display(stripped)
        if not text:
            continue
        prev = out[-1] if out else None
        if prev and _continues(prev.text, text):
            prev.text += text
            prev.end = end
        else:
            out.append(Paragraph(text=text, start=start, end=end))
    return out


def _continues(prev: str, text: str) -> bool:
    if _unclosed_bracket(prev):
        return not heading_level(text)  # a bracket cut off never swallows the next heading
    if heading_level(text) or prev.endswith("通知"):
        return False
    if heading_level(prev) and len(prev) <= 40:
        return False  # a heading on its own line; a long heading line is a clause broken mid-sentence
    if prev.endswith(tuple(_SENTENCE_END)):
        return False
    # A short line without an ending is a title or a signature, not a broken sentence.
    return len(prev) > 40


def _unclosed_bracket(text: str) -> bool:
    opens = sum(text.count(c) for c in "（(〔[")
    closes = sum(text.count(c) for c in "）)〕]")
    return opens > closes


def heading_level(text: str) -> int:
    for level, pattern in _LEVELS:
        if pattern.match(text):
            return level
    return 0


def _marker(level: int, text: str) -> tuple[str, str]:
    """Canonical marker and the rest of the line."""
    pattern = dict(_LEVELS)[level]
    m = pattern.match(text)
    assert m is not None
    return _CANON[level].format(m.group(1)), text[m.end():].lstrip()


def _first_sentence(text: str) -> str:
    m = re.search(r"[。；;！!？?]", text)
    head = text[: m.start()] if m else text
    return head.strip("：: *")


_OPEN_CLOSE = {"（": "）", "(": ")", "〔": "〕", "[": "]"}
_DEPT_KEYS = ("责任单位", "牵头单位", "牵头部门", "责任部门", "配合单位", "按职责分工负责", "负责落实")
_DEPT_AFFIX = re.compile(
    r"^(?:牵头单位|牵头部门|责任单位|责任部门|配合单位)[：:]|(?:等)?(?:按职责分工)?负责(?:落实)?$|牵头$|落实$"
)
# A bracket of bare names such as "〔市生态环境局负责〕" or "（各乡镇<街道>、市有关部门）".
_DEPT_NAME = re.compile(r"(局|委|办|办公室|部|部门|中心|公司|政府|管委会|街道>?|乡镇|单位)$")


def _bracket_groups(text: str) -> list[tuple[int, int]]:
    """Top-level bracket spans (start, end) with nesting respected.

    A bracket still open at the end of the text (a file cut off inside a list of
    departments) spans to the end.
    """
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        if ch in _OPEN_CLOSE:
            stack.append((ch, i))
        elif stack and ch == _OPEN_CLOSE[stack[-1][0]]:
            _, start = stack.pop()
            if not stack:
                spans.append((start, i + 1))
        elif ch in "）)〕]" and stack:
            # Mismatched closer (e.g. "(" closed by "）"): accept it at depth one.
            _, start = stack.pop()
            if not stack:
                spans.append((start, i + 1))
    if stack:
        spans.append((stack[0][1], len(text) + 1))
    return spans


def _is_department_bracket(inner: str) -> bool:
    simplified = to_simplified(inner)
    if any(key in simplified for key in _DEPT_KEYS):
        return True
    pieces = [p.strip() for p in re.split(r"[、，,]", re.sub(r"(?:等)?负责$|牵头$", "", simplified)) if p.strip()]
    return bool(pieces) and len(simplified) <= 80 and all(_DEPT_NAME.search(p) for p in pieces)


def department_spans(text: str) -> list[tuple[int, int]]:
    """Where the bracketed lists of responsible departments stand in ``text``."""
    return [(s, e) for s, e in _bracket_groups(text) if _is_department_bracket(text[s + 1 : e - 1])]


def split_departments(text: str) -> tuple[str, list[str]]:
    """Remove bracketed lists of responsible departments; return text and names."""
    names: list[str] = []
    kept, last = [], 0
    for start, end in department_spans(text):
        inner = text[start + 1 : min(end - 1, len(text))]  # a bracket cut off by the end of the text spans to it
        kept.append(text[last:start])
        last = end
        for piece in re.split(r"[、，,；;。]", inner):
            piece = piece.strip()
            # t2s maps character for character, so spans found in Simplified cut the original.
            simplified = to_simplified(piece)
            for m in reversed(list(_DEPT_AFFIX.finditer(simplified))):
                piece, simplified = (s[: m.start()] + s[m.end():] for s in (piece, simplified))
            piece, simplified = piece.strip(), simplified.strip()
            if piece and "以下均" not in simplified and "不再列出" not in simplified and piece not in names:
                names.append(piece)
    kept.append(text[last:])
    return "".join(kept).strip(), names


def _official_start(paragraphs: list[Paragraph], title: str | None) -> int:
    """Index of the first paragraph of the official text; what comes before is a reprint lead."""
    for i, p in enumerate(paragraphs):
        if heading_level(p.text) == 1:
            break
        if _starts_official_text(to_simplified(p.text), title):
            return i
    # No title and no cover letter: a news lead is recognised by what it says.
    end = 0
    for i, p in enumerate(paragraphs):
        if heading_level(p.text) or _is_intro(p.text):
            break
        simplified = to_simplified(p.text)
        if _ANNOUNCES_TEXT.search(simplified) or (
            _NEWS_OPENING.match(simplified) and _REPORTED_ACT.search(simplified)
        ):
            end = i + 1
        elif end:
            break
    return end


def _starts_official_text(simplified: str, title: str | None) -> bool:
    if _ADDRESSEE.match(simplified):
        return True
    # The cover letter's title mentions "关于印发" in a short line; a reprint lead does so in a long sentence.
    if _NOTICE_TITLE.search(simplified) and len(simplified) < 70 and "，" not in simplified:
        return True
    return _is_title(simplified, title)


def _is_title(simplified: str, title: str | None) -> bool:
    """The plan's own title line: the title given with the notice, or a short line naming a document."""
    if title and match_key(simplified) == match_key(title):
        return True
    return len(simplified) <= 60 and not _SENTENCE_MARK.search(simplified) and bool(_DOC_TYPE.search(simplified))


def parse_notice(raw: str, title: str | None = None) -> ParsedNotice:
    """Clauses of one notice; ``title`` (from the notice's metadata) helps find where the official text starts."""
    paragraphs = _raw_paragraphs(raw)
    start = _official_start(paragraphs, title)
    dropped = "\n".join(p.text for p in paragraphs[:start])
    paragraphs = paragraphs[start:]

    clauses: list[Clause] = []
    preamble = Clause(path=PREAMBLE_PATH, heading="通知", headings=["通知"], level=0)
    intro = Clause(path=INTRO_PATH, heading="前言", headings=["前言"], level=0)
    stack: list[tuple[int, str, str]] = []  # (level, marker, heading)
    current: Clause | None = None

    for para in paragraphs:
        level = heading_level(para.text)
        # Sub-levels only count once the first top-level heading has started the body.
        if level and (stack or level == 1):
            marker, rest = _marker(level, para.text)
            while stack and stack[-1][0] >= level:
                stack.pop()
            heading = _first_sentence(rest)
            stack.append((level, marker, heading))
            current = Clause(
                path="".join(m for _, m, _ in stack),
                heading=heading,
                headings=[h for _, _, h in stack],
                level=level,
            )
            clauses.append(current)
            body = rest if _has_body(rest) else ""
            if not body:
                continue
            para = Paragraph(text=body, start=para.start, end=para.end)
        if current is None:
            target = intro if _is_intro(para.text) else preamble
        else:
            target = current
        # The brackets stay in the text (a quote of who is responsible is the notice's own words);
        # their names are also kept as the clause's metadata.
        text, departments = split_departments(para.text)
        target.departments.extend(d for d in departments if d not in target.departments)
        if text or departments:
            target.paragraphs.append(Paragraph(text=para.text, start=para.start, end=para.end))

    # A 通知 or 前言 made only of title lines (no sentence at all) is not a clause.
    head = [c for c in (preamble, intro) if c.paragraphs and _has_sentence(c)]
    title_only = [p.text for c in (preamble, intro) if c.paragraphs and c not in head for p in c.paragraphs]
    return ParsedNotice(clauses=head + [c for c in clauses if c.paragraphs or c.level], dropped_lead=dropped,
                        dropped_title_only=title_only)


def _has_sentence(clause: Clause) -> bool:
    return any(re.search(r"[。；;！!？?]", p.text) or len(p.text) > 60 for p in clause.paragraphs)


def _has_body(rest: str) -> bool:
    """A heading line such as "（一）全力推进能源节约。落实……" carries body text too."""
    m = re.search(r"[。；;]", rest)
    return bool(m and rest[m.end():].strip())


def _is_intro(text: str) -> bool:
    simplified = to_simplified(text)
    return len(simplified) > 40 and ("制定本方案" in simplified or simplified.startswith("为"))
