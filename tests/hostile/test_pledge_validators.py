"""Properties of the pledge validators: refuse with the documented error or return a clean value.

Pure functions only (no database); the storage-side properties are in
test_pledge_storage_properties.py.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pledges.identity import normalise_contact, token_hash
from pledges.messages import PledgeError
from pledges.tunables import tunables
from pledges.validation import (
    FORMULA_STARTS,
    check_plain_text,
    clean_display_name,
    is_blocked,
    mask_name,
    sanitise_markdown,
)
from tests.hostile.payloads import PAYLOADS, has_chinese, intro_violations
from tests.hostile.strategies import FAST, around, hostile_text, nasty_text

LIMITS = tunables()["limits"]
# Invisible or direction-changing characters a single-line field must not keep.
INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064"
                       r"\u2066-\u2069\ufeff\ud800-\udfff]")


def refused(err: PledgeError, *codes: str) -> None:
    assert err.code in codes, err.code
    assert has_chinese(err.message)


@FAST
@given(hostile_text())
@example("\u200b")
@example("小\n明")
@example("e\u0301")
def test_plain_text_is_refused_or_clean(raw):
    try:
        text = check_plain_text(raw)
    except PledgeError as err:
        return refused(err, "control_chars", "markup", "formula")
    assert text == text.strip() and unicodedata.is_normalized("NFC", text)
    assert not INVISIBLE.search(text), f"invisible or control character kept in {text!r}"
    assert "<" not in text and ">" not in text
    assert not text.startswith(FORMULA_STARTS)
    assert check_plain_text(text) == text  # accepted text is a fixed point


@FAST
@given(st.one_of(st.none(), hostile_text(), st.text(min_size=21, max_size=200)))
def test_display_name_is_refused_or_short_clean_and_allowed(raw):
    try:
        name = clean_display_name(raw)
    except PledgeError as err:
        return refused(err, "control_chars", "markup", "formula", "name_too_long", "name_blocked")
    if name is None:
        return
    assert 0 < len(name) <= LIMITS["display_name_max"]
    assert check_plain_text(name) == name and not is_blocked(name)
    masked = mask_name(name)
    assert masked[0] == name[0] and set(masked[1:]) == {"*"}


DIGITS = st.sampled_from(["0123456789", "０１２３４５６７８９", "٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹", "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗"])
phones = st.builds(
    lambda digits, number, prefix, sep: prefix + sep.join(digits[int(d)] for d in number),
    DIGITS, st.from_regex(r"\A1[3-9][0-9]{9}\Z"), st.sampled_from(["", "+86", "0086", "+86 "]),
    st.sampled_from(["", " ", "-"]),
)
emails = st.builds(
    lambda local, domain: f"{local}@{domain}",
    st.text(alphabet="ab.+_-%Z9", min_size=0, max_size=8), st.sampled_from(["gmail.com", "example.org", "a.b.c"]),
)
PHONE = re.compile(r"1[3-9][0-9]{9}")
EMAIL = re.compile(r"[a-z0-9._%+\-]+@[a-z0-9\-]+(\.[a-z0-9\-]+)+")


@FAST
@given(st.one_of(around(phones), around(emails), hostile_text()))
@example("13\u0668\u0660\u0660\u0661\u0663\u0668\u0660\u0660\u0660")  # Arabic-Indic digits after "13"
@example("+x@gmail.com")
def test_contact_is_refused_or_canonical(raw):
    try:
        contact = normalise_contact(raw)
    except PledgeError as err:
        return refused(err, "contact_invalid", "contact_too_long")
    if contact is None:
        return
    assert contact.isascii() and (PHONE.fullmatch(contact) or EMAIL.fullmatch(contact)), contact
    assert normalise_contact(contact) == contact  # canonical: the same person hashes the same way


def test_the_same_phone_in_any_digits_is_the_same_person():
    ascii_phone = normalise_contact("13800138000")
    for digits in ("１３８００１３８０００", "13\u0668\u0660\u0660\u0661\u0663\u0668\u0660\u0660\u0660"):
        try:
            assert normalise_contact(digits) == ascii_phone
        except PledgeError as err:
            assert err.code == "contact_invalid"


@FAST
@given(st.one_of(hostile_text(200), st.sampled_from(PAYLOADS), st.lists(st.sampled_from(PAYLOADS)).map("".join),
                 st.builds(lambda a, b: a + b, nasty_text, st.sampled_from(PAYLOADS))))
@example("!![x](http://evil.example/p.png)")
@example("[a [b] c](javascript:alert(1))")
@example("[x][1]\n\n[1]: javascript:alert(1)")
@example(":red[红字] $E=mc^2$")
@example("e\x01\u0301")
def test_campaign_intro_keeps_only_text_and_web_links(raw):
    intro = sanitise_markdown(raw)
    assert intro_violations(intro) == [], intro
    assert sanitise_markdown(intro) == intro  # idempotent: re-saving a campaign changes nothing
    assert not INVISIBLE.search(intro.replace("\n", "").replace("\t", ""))


def test_campaign_intro_keeps_what_staff_need():
    intro = sanitise_markdown("## 活动说明\n\n**一起**节约用电，详见[官网](https://example.org/a?b=1)。\n\n- 第一条\n- 第二条")
    assert "[官网](https://example.org/a?b=1)" in intro and "**一起**" in intro and "- 第二条" in intro


@FAST
@given(st.one_of(hostile_text(), st.from_regex(r"\A[A-Za-z0-9_\-]{20,64}\n?\Z")))
def test_private_link_token_is_refused_or_well_formed(raw):
    try:
        digest = token_hash(raw)
    except PledgeError as err:
        return refused(err, "token_invalid")
    assert re.fullmatch(r"[A-Za-z0-9_\-]{20,64}", raw), repr(raw)
    assert re.fullmatch(r"[0-9a-f]{64}", digest)


@pytest.mark.parametrize("raw", [None, "", "张", "张三", "欧阳修远", "\u200b"])
def test_masked_names_reveal_one_character_at_most(raw):
    masked = mask_name(raw)
    assert masked == "匿名" or (masked[0] == raw[0] and set(masked[1:]) == {"*"})
