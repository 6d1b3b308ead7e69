"""The printable summary, and the package boundaries from ARCHITECTURE.md."""

import ast
from pathlib import Path

import engagement
from engagement.selfcheck import run_check
from engagement.summary import summary_markdown

PACKAGE = Path(engagement.__file__).parent


def test_summary_has_score_quotes_estimate_and_actions():
    result = run_check("heating", {"city": "天津", "main_heating": "coal", "fuel_amount": "2"}, "full")
    text = summary_markdown(result)
    assert "清洁取暖自查结果" in text and f"总分：{result.overall} 分" in text
    assert "高污染燃料禁燃區" in text and "三、（八）" in text  # Traditional quote kept as published
    assert "估算，仅供参考" in text and "空气源热泵" in text
    assert "可以做什么" in text and "请确认" not in text


def test_summary_lists_problems():
    text = summary_markdown(run_check("food", {"city": "北京", "food_spend": "-5"}, "full"))
    assert "暂不支持" in text and "不能为负数" in text


def test_engagement_imports_neither_streamlit_nor_pledges():
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(("streamlit", "pledges", "webui")), (path.name, name)


def test_modules_stay_small():
    for path in [*PACKAGE.glob("*.py"), *(PACKAGE.parent / "webui").glob("selfcheck_*.py")]:
        assert len(path.read_text(encoding="utf-8").splitlines()) < 300, path.name
