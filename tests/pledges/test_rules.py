"""Pure rules: contacts, hashes, tokens, names, markdown, CSV cells."""

import pytest

from pledges.export import safe_cell
from pledges.identity import dedup_hash, keyed_hash, normalise_contact, token_hash
from pledges.messages import MESSAGES, PledgeError
from pledges.validation import clean_display_name, mask_name, sanitise_markdown


@pytest.mark.parametrize(
    "raw", ["13800138000", "+86 138-0013-8000", "0086 13800138000", "１３８００１３８０００", " 138 0013 8000 "]
)
def test_phone_forms_normalise_to_one_person(raw):
    assert normalise_contact(raw) == "13800138000"


def test_email_normalisation():
    assert normalise_contact(" Li.Ming@Example.COM ") == "li.ming@example.com"
    assert normalise_contact("li.ming+x@gmail.com") == normalise_contact("liming@gmail.com")
    assert normalise_contact("") is None


@pytest.mark.parametrize("raw", ["12345", "abc", "=cmd|' /C calc'!A0", "<script>@x.com", "a@b"])
def test_bad_contacts_rejected(raw):
    with pytest.raises(PledgeError) as err:
        normalise_contact(raw)
    assert err.value.code in ("contact_invalid", "contact_too_long")


def test_keyed_hash_depends_on_secret_and_purpose():
    assert keyed_hash("contact", "x", secret=b"a") != keyed_hash("contact", "x", secret=b"b")
    assert keyed_hash("contact", "x", secret=b"a") != keyed_hash("browser", "x", secret=b"a")
    assert "13800138000" not in dedup_hash(contact="13800138000", browser_token=None)


def test_forged_tokens_rejected_before_lookup():
    for forged in ["", "short", "../../etc/passwd", "<script>alert(1)</script>" * 3]:
        with pytest.raises(PledgeError, match="token_invalid"):
            token_hash(forged)


def test_display_names():
    assert clean_display_name("  ") is None
    assert clean_display_name("小明") == "小明"
    for bad, code in [
        ("名" * 10_000, "name_too_long"),
        ("名" * 21, "name_too_long"),
        ("<script>alert(1)</script>", "markup"),
        ("<b>x</b>", "markup"),
        ("=cmd|' /C calc'!A0", "formula"),
        ("+1+1", "formula"),
        ("＝SUM(A1)", "formula"),
        ("傻 逼", "name_blocked"),
        ("官方客服", "name_blocked"),
        ("a\u202eb", "control_chars"),
    ]:
        with pytest.raises(PledgeError) as err:
            clean_display_name(bad)
        assert err.value.code == code, bad


def test_masking():
    assert mask_name(None) == "匿名"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳修远") == "欧***"
    assert mask_name("张三", hidden=True) == "匿名"


def test_markdown_sanitised():
    text = sanitise_markdown(
        "**欢迎**<script>alert(1)</script>[点我](javascript:alert(1)) [官网](https://example.org) ![x](http://a/b.png)"
    )
    assert "<" not in text and "script>" not in text
    assert "javascript" not in text
    assert "[官网](https://example.org)" in text
    assert "![" not in text


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "＝1", "=cmd|' /C calc'!A0"])
def test_csv_cells_never_start_a_formula(value):
    assert safe_cell(value).startswith("'")


def test_every_message_is_chinese():
    for code, text in MESSAGES.items():
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text), code
