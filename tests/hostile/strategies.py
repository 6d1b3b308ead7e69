"""Hypothesis settings and text strategies for hostile input.

Every property runs derandomized (the same examples on every machine) with a
modest example count and no example database, so CI is reproducible and quick.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.hostile.payloads import PAYLOADS

FAST = settings(
    max_examples=60, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
DB_FAST = settings(FAST, max_examples=30)  # each example is a transaction on SQLite and on PostgreSQL

# Characters that trouble text handling: controls, NUL, zero-width, bidi marks,
# line separators, full-width look-alikes, combining marks, emoji, other digits.
NASTY = (
    "\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85\t\n\r \u3000\u00a0\u200b\u200c\u200d\u200e\u200f\u061c"
    "\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u2060"
    "=+-@＝＋－＠<>＜＞[]()!$`*_#:|\\/'\"&;"
    "\u0301\u0308\u20dd\ufe0f"
    "😀🌱👨‍👩‍👧"
    "٠١٢٣٤٥٦٧٨٩０１２３４５６７８９0123456789"
    "aZ.ſK\u212a\ufb00"
    "節約綠色煤電节约绿色煤电我的"
)

nasty_text = st.text(alphabet=st.sampled_from(NASTY), max_size=40)
any_text = st.text(max_size=60)  # every code point except surrogates
payload = st.sampled_from(PAYLOADS)


def hostile_text(max_size: int = 60) -> st.SearchStrategy[str]:
    """Arbitrary text, nasty characters, attack payloads, and mixtures of them."""
    base = st.one_of(st.text(max_size=max_size), nasty_text, payload)
    return st.one_of(base, st.builds(lambda a, b, c: a + b + c, nasty_text, base, nasty_text))


def around(valid: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Almost-valid values: a valid one with nasty characters before or after it."""
    return st.one_of(valid, st.builds(lambda p, v, s: p + v + s, nasty_text, valid, nasty_text),
                     st.builds(lambda v, s: v + s, valid, st.sampled_from(["\n", " ", "\t", "\x00", "\u200b"])))
