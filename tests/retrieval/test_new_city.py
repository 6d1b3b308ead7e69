"""A notice for a city the app has never heard of: added with ``--add``, asked about by name,
by district and in a comparison with 天津; what ``--add`` says about a file, and what it refuses."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from civic.settings import REPO_ROOT, reset_settings
from retrieval import ingest
from retrieval.answer import Status, get_asker
from retrieval.corpus import load_corpus
from retrieval.places import city_names, places
from retrieval.search import scope_for
from tests.fixtures import newcity


@pytest.fixture(scope="module")
def sixth(tmp_path_factory: pytest.TempPathFactory):
    """A corpus copy with 望川 added through the CLI and indexed (once for the module)."""
    root = tmp_path_factory.mktemp("sixth")
    shutil.copytree(REPO_ROOT / "corpus", root / "corpus")
    source = root / "望川方案.txt"
    source.write_text(newcity.make_notice(), encoding="utf-8")
    mp = pytest.MonkeyPatch()
    env = {"CIVIC_CORPUS_DIR": str(root / "corpus"), "CIVIC_DATA_DIR": str(root / "data"),
           "CIVIC_EMBEDDING_MODEL": "static"}
    for key, value in env.items():
        mp.setenv(key, value)
    reset_settings()
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = ingest.main(newcity.cli_args(str(source)))
    mp.undo()
    reset_settings()
    assert code == 0, out.getvalue()
    return env, out.getvalue()


@pytest.fixture
def with_sixth(sixth, monkeypatch):
    env, _ = sixth
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    reset_settings()
    return env


def test_add_prints_what_it_found(sixth):
    _, printed = sixth
    assert "已添加通知 wangchuan（望川）" in printed
    assert "条款 22 条（通知/前言 1，一、 4，（一） 7，1. 10）" in printed
    assert "检索片段" in printed and "责任单位：11 条注明" in printed
    assert "已去掉开头的转载导语" in printed and "近日，望川市人民政府印发" in printed
    assert "只有标题、没有正文的部分不作为条款" in printed
    assert "注意：全文只有" in printed  # a short test notice


def test_the_city_and_its_districts_are_registered(with_sixth):
    assert places()["cities"]["望川"]["districts"] == list(newcity.DISTRICTS)
    assert {"望川", "望川市", "柳营区", "柳营"} <= set(city_names("望川"))
    known = load_corpus().cities
    assert scope_for("柳营区农村冬天还能烧煤吗", known).cities == ["望川"]
    assert scope_for("石门的光伏试点", known).cities == ["望川"]


def test_asked_by_city_name(with_sixth):
    answer = get_asker().ask("望川市到2025年城镇清洁取暖率要达到多少？")
    assert answer.status is Status.ANSWERED, answer.text
    assert "85%" in answer.text
    first = answer.citations[0].chunk
    assert (first.notice_id, first.clause_path) == ("wangchuan", "三、（二）1.")


def test_asked_by_district(with_sixth):
    answer = get_asker().ask("我住在柳营区农村，冬天还能烧散煤吗？")
    assert answer.status is Status.ANSWERED, answer.text
    assert answer.cities == ["望川"]
    assert answer.citations[0].chunk.clause_path == "三、（四）1."
    assert "散煤" in answer.text


def test_compared_with_tianjin_without_reviewed_targets(with_sixth):
    """Before staff confirm its targets, a figure comparison quotes each city's own sentence (never the title)."""
    answer = get_asker().ask("望川和天津化学需氧量减排量哪个更高？")
    assert answer.status is Status.ANSWERED, answer.text
    assert answer.cities == ["望川", "天津"]
    assert "0.52万吨" in answer.text and "1.6萬噸" in answer.text
    assert [(c.chunk.city, c.chunk.clause_path) for c in answer.citations] == [("望川", "二、"), ("天津", "二、")]


def test_compared_with_tianjin_in_words(with_sixth):
    answer = get_asker().ask("望川和天津对充电设施建设有什么要求？")
    assert answer.status is Status.ANSWERED, answer.text
    assert {c.chunk.city for c in answer.citations} == {"望川", "天津"}
    wangchuan = next(c for c in answer.citations if c.chunk.city == "望川")
    assert wangchuan.chunk.clause_path == "三、（三）2." and "15%" in wangchuan.quote
    assert newcity.TITLE not in answer.text.split("\n", 1)[1]  # never the title line as the "answer"


def test_an_exact_duplicate_is_refused(with_sixth, tmp_path, capsys):
    copy = tmp_path / "copy.txt"
    copy.write_text((REPO_ROOT / "corpus" / "tianjin.txt").read_text(encoding="utf-8"), encoding="utf-8")
    args = ["--add", str(copy), "--id", "tj2", "--city", "某地", "--province", "某省", "--title", "某方案",
            "--issuer", "某政府"]
    assert ingest.main(args) == 2
    assert "与已有通知 tianjin（天津）的文字完全相同" in capsys.readouterr().err
    # The same notice again under another id and city: refused the same way.
    again = tmp_path / "again.txt"
    again.write_text(newcity.make_notice(), encoding="utf-8")
    assert ingest.main(["--add", str(again), "--id", "wc2", "--city", "某地", "--province", "某省",
                        "--title", "某方案", "--issuer", "某政府"]) == 2
    assert "wangchuan（望川）的文字完全相同" in capsys.readouterr().err
    assert len(load_corpus().notices) == 6


def test_a_second_notice_for_a_city_is_refused(with_sixth, tmp_path, capsys):
    other = tmp_path / "other.txt"
    other.write_text("一、总体要求\n\n坚持节约优先，推动绿色转型，全面提高能源利用效率。\n", encoding="utf-8")
    assert ingest.main(["--add", str(other), "--id", "wc3", "--city", "望川市", "--province", "东川省",
                        "--title", "另一方案", "--issuer", "望川市人民政府"]) == 2
    assert "望川已有通知（编号 wangchuan）" in capsys.readouterr().err


def test_tiny_file_and_no_headings_are_warned_about(corpus_copy, tmp_path, capsys):
    tiny = tmp_path / "tiny.md"
    text = "为推进节能减排工作，现就有关事项通知如下。各单位要加强领导，落实责任，确保完成目标。\n到2025年，全市公共机构人均综合能耗下降5%。"
    tiny.write_text(text, encoding="utf-8")
    args = ["--add", str(tiny), "--id", "tiny", "--city", "小城", "--province", "某省", "--title", "小城节能通知",
            "--issuer", "小城市人民政府"]
    assert ingest.main(args) == 0
    out = capsys.readouterr().out
    assert f"注意：全文只有 {len(text)} 字" in out
    assert "注意：没有找到“一、”“（一）”“1.”这样的标题" in out


def test_a_notice_sharing_most_sentences_is_warned_about(corpus_copy, tmp_path, capsys):
    text = (REPO_ROOT / "corpus" / "shizuishan.txt").read_text(encoding="utf-8")
    near = tmp_path / "near.txt"
    near.write_text(text.replace("石嘴山", "北岭"), encoding="utf-8")  # another city's copy of the plan
    assert ingest.main(["--add", str(near), "--id", "beiling", "--city", "北岭", "--province", "某省",
                        "--title", "北岭市“十四五”节能减排综合工作实施方案", "--issuer", "北岭市人民政府"]) == 0
    out = capsys.readouterr().out
    assert "与已有通知 shizuishan（石嘴山）有" in out and "的句子相同" in out


@pytest.fixture
def corpus_copy(tmp_path, monkeypatch) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(REPO_ROOT / "corpus", target)
    monkeypatch.setenv("CIVIC_CORPUS_DIR", str(target))
    monkeypatch.setenv("CIVIC_EMBEDDING_MODEL", "static")
    reset_settings()
    return target
