"""A comparison question on the Ask page is answered with a small table from the targets table."""

import re

from streamlit.testing.v1 import AppTest

from civic.settings import REPO_ROOT

APP = str(REPO_ROOT / "streamlit_app.py")


def test_comparison_shows_a_table_a_verdict_and_citations(indexed):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("app_pages/ask.py").run()
    at.chat_input[0].set_value("葫芦岛、运城、天津的秸秆综合利用率目标，哪个最高？").run()
    assert not at.exception
    (table,) = [e.proto.body for e in at.get("html") if "<table" in e.proto.body]
    headers = re.findall(r'<th scope="col">(.*?)</th>', table)
    assert headers[:3] == ["城市", "目标", "指标"]
    rows = re.findall(r'<tr><th scope="row">(.*?)</th><td data-label="目标"><span class="civic-value">(.*?)</span>', table)
    assert dict(rows)["天津"] == "98%（2025年）"
    texts = "\n".join(m.value for m in at.markdown)
    assert "天津的目标数值最高" in texts
    assert sum("三、" in e.label for e in at.expander) == 3
