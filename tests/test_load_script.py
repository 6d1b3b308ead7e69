"""scripts/load.py: a small bounded run against a served app, and the count check on its own."""

from __future__ import annotations

import json
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from civic.db import dispose_engines, get_engine, session_scope
from civic.settings import REPO_ROOT
from pledges.signing import SignForm, sign_pledge
from scripts import load

QUESTIONS = [
    {"question": "石嘴山城市生活污水集中处理率目标是多少？", "city": "石嘴山"},
    {"question": "农村冬天烧煤取暖有什么要求？", "city": "定州"},
    {"question": "城镇清洁取暖率要达到多少？", "city": "葫芦岛"},
]


def test_small_run_confirms_every_signature_once(built_index: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "load-data"
    shutil.copytree(built_index, data_dir, ignore=shutil.ignore_patterns("*.sqlite3*", "streamlit.log"))
    questions = tmp_path / "questions.jsonl"
    questions.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in QUESTIONS), "utf-8")
    out = tmp_path / "result.json"
    cmd = [sys.executable, str(REPO_ROOT / "scripts" / "load.py"), "--data-dir", str(data_dir),
           "--sessions", "4", "--requests-per-session", "2", "--duration", "60", "--timeout", "30",
           "--questions", str(questions), "--json", str(out)]
    done = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(out.read_text("utf-8"))
    kinds = result["phases"][0]["kinds"]
    assert kinds["all"]["errors"] == 0, result["phases"][0]["error_samples"]
    # two asking sessions asked two questions each; two signing sessions signed twice each
    assert kinds["ask"]["requests"] == 4
    assert kinds["campaign"]["requests"] == kinds["form"]["requests"] == kinds["sign"]["requests"] == 4
    check = result["check"]
    assert check["ok"] and check["confirmed"] == check["counted"] == 4 and check["unresolved"] == 0


def _signed(url: str, slug: str, names: list[str]) -> None:
    with session_scope(get_engine(url)) as session:
        for name in names:
            form = SignForm(city="定州", district="南城区街道", item_ids=("save-standby",), consent=True,
                            display_name=name)
            sign_pledge(session=session, campaign_slug=slug, form=form, browser_token=secrets.token_urlsafe(24))


def test_count_check_finds_missing_and_unexpected_signatures(data_dir: Path) -> None:
    url = f"sqlite:///{data_dir / 'check.sqlite3'}"
    slug = load.create_campaign(url, "abc123")
    _signed(url, slug, ["甲", "乙"])
    try:
        assert load.count_check(url, slug, ["甲", "乙"], [])["ok"]
        assert load.count_check(url, slug, ["甲"], ["乙"])["ok"]  # unresolved, then stored: fine
        extra = load.count_check(url, slug, ["甲"], [])
        assert not extra["ok"] and extra["unexpected"] == ["乙"]
        missing = load.count_check(url, slug, ["甲", "乙", "丙"], [])
        assert not missing["ok"] and missing["missing"] == ["丙"]
        _signed(url, slug, ["乙"])  # another browser, the same name: counted twice
        twice = load.count_check(url, slug, ["甲", "乙"], [])
        assert not twice["ok"] and twice["duplicates"] == ["乙"] and twice["counted"] == 3
    finally:
        dispose_engines()


@pytest.mark.parametrize("argv", [
    ["--url", "http://example.com:8501", "--data-dir", "x"],
    ["--url", "http://10.0.0.2:8501", "--data-dir", "x"],
    ["--url", "http://127.0.0.1:8501"],  # no database to check against
    ["--duration", "301"],
    ["--sessions", "257"],
    ["--database-url", "postgresql+psycopg://postgres@db.example.com/civic"],
])
def test_refuses_unbounded_or_remote_runs(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        load.parse_args(argv)
    assert exc.value.code == 2
