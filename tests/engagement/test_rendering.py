"""What the resident typed is shown as text: Markdown and HTML are escaped."""

import pytest

from webui.selfcheck_results import md


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("<b>x</b>", r"\<b\>x\</b\>"),
        ("[点我](http://example.com)", r"\[点我\]\(http\://example\.com\)"),
        (":red[警告]", r"\:red\[警告\]"),
        ("**粗体** $x$", r"\*\*粗体\*\* \$x\$"),
        ("城市城区全部实现清洁取暖", "城市城区全部实现清洁取暖"),
    ],
)
def test_markdown_is_escaped(raw, shown):
    assert md(raw) == shown
