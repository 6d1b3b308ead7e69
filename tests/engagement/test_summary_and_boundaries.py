"""The printable summary, and the package boundaries from ARCHITECTURE.md."""

import ast
from pathlib import Path

import engagement
from engagement import messages
from engagement.selfcheck import run_check
from engagement.summary import first_action, key_lines, summary_markdown

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


def test_key_lines_put_the_three_most_useful_lines_first():
    """The 长辈版 shows these first: how the household stands, what its notice says, the easiest step."""
    coal = run_check("heating", {"city": "石嘴山", "area": "rural", "main_heating": "coal"}, "express")
    lines = key_lines(coal, quote=lambda q: f"<{q}>")
    assert len(lines) == 3
    assert lines[0] == f"总分 {coal.overall} 分：{coal.grade}。{messages.COAL_HEADLINE}"
    assert lines[1] == f"石嘴山的通知说：“<{coal.quotes[0].quote}>”（{coal.quotes[0].clause}）"
    assert lines[2] == f"马上能做：{first_action(coal).text}"
    silent = run_check("food", {"city": "北京"}, "express")  # no city: where to find its notice instead
    assert key_lines(silent)[1] == "选择您家所在的城市，就能看到本市通知怎么说。"
