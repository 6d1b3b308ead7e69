"""Personal data masked out of residents' text before it is stored.

What is masked (each replaced by a bracketed label, so staff still see what kind of thing stood
there): mobile and landline phone numbers (with +86 / 0086, spaces or hyphens), 18- and 15-digit
ID-card numbers (final X), e-mail addresses, Chinese plate numbers (冀F12345, 津A·D12345 new-energy),
house numbers after a street, village or estate name (建设路18号) and building / unit / room
numbers (3号楼2单元501), and any other run of 11 or more digits (bank cards, account numbers).

What is not: years (2025年), percentages, quantities (35蒸吨), document numbers (〔2021〕33号),
clause numbers, the 12345 hotline — anything short or not after a place name. The table of
examples in tests/desk/test_masking.py is the specification.
"""

from __future__ import annotations

import re

PHONE = "［电话］"
ID_CARD = "［身份证号］"
EMAIL = "［邮箱］"
PLATE = "［车牌号］"
HOUSE = "［门牌号］"
NUMBER = "［号码］"

# Full-width digits, letters and the signs used in numbers, read as ASCII for matching.
_HALF = str.maketrans(
    {**{chr(0xFF10 + i): str(i) for i in range(10)},
     **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
     **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
     "＋": "+", "＠": "@", "．": ".", "－": "-", "（": "(", "）": ")"}
)

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_ID = re.compile(
    r"(?<![0-9A-Za-z])(?:[1-9](?:[ ]?\d){16}[ ]?[0-9Xx]|[1-9]\d{14})(?![0-9A-Za-z])"
)
_MOBILE = re.compile(r"(?<![\d+])(?:(?:\+|00)?86[ \-]?)?1[3-9]\d(?:[ \-]?\d){8}(?!\d)")
_LANDLINE = re.compile(r"(?<![\d\-])(?:\(0\d{2,3}\)|0\d{2,3})[ \-]?[2-9]\d{2,3}[ \-]?\d{4}(?:-\d{1,4})?(?!\d)")
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE = re.compile(
    rf"[{_PROVINCES}][A-Za-z][ ·•・.]?(?=(?:[A-Za-z]*\d){{3}})[A-HJ-NP-Za-hj-np-z0-9]{{5,6}}[挂学警港澳]?(?![A-Za-z0-9])"
)
# A house number right after the name of a street, village or estate.
_PLACE_END = "路街道巷弄里村庄屯组区苑园院城坊寓厦场"
_HOUSE = re.compile(rf"(?<=[{_PLACE_END}])[ ]?\d{{1,5}}(?:-\d{{1,4}})?[ ]?号(?:院|楼)?")
# Building, unit, room: "3号楼2单元501", "5栋302室", "2单元501".
_UNIT = r"(?:号楼|号院|栋|幢|座|单元|室|户)"
_ROOMS = re.compile(rf"\d{{1,5}}[ ]?{_UNIT}(?:[ \-]?\d{{1,5}}[ ]?(?:{_UNIT}|号|层|楼)?)*")
_LONG_NUMBER = re.compile(r"\d{11,}")

# Most specific first: an ID card holds a run that looks like a phone number.
_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (_EMAIL, EMAIL),
    (_ID, ID_CARD),
    (_MOBILE, PHONE),
    (_LANDLINE, PHONE),
    (_PLATE, PLATE),
    (_HOUSE, HOUSE),
    (_ROOMS, HOUSE),
    (_LONG_NUMBER, NUMBER),
)


def mask(text: str | None) -> str:
    """``text`` with personal data replaced by labels; everything else kept as typed."""
    if not text:
        return ""
    matchable = text.translate(_HALF)  # same length: positions carry over to ``text``
    spans: list[tuple[int, int, str]] = []
    for pattern, label in _RULES:
        for m in pattern.finditer(matchable):
            start, end = m.span()
            overlapping = [sp for sp in spans if sp[0] < end and start < sp[1]]
            if all(sp[2] == label for sp in overlapping):  # the same kind of thing: one span
                for sp in overlapping:
                    spans.remove(sp)
                    start, end = min(start, sp[0]), max(end, sp[1])
                spans.append((start, end, label))
    out, pos = [], 0
    for start, end, label in sorted(spans):
        if start == pos and out and out[-1] == label:  # 建设路18号楼 + 3单元501: one address
            pos = end
            continue
        out.append(text[pos:start])
        out.append(label)
        pos = end
    out.append(text[pos:])
    return "".join(out)
