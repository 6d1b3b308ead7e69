import json
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from civic.settings import REPO_ROOT, reset_settings
from retrieval import ingest
from retrieval.answer import Status, get_asker
from retrieval.corpus import load_corpus
from retrieval.index import IndexMissing, open_index, pending_chunks, sync
from tests.browser import free_port

FIXTURE = Path(__file__).parent.parent / "fixtures" / "sample_notice.md"


@pytest.fixture
def corpus_copy(tmp_path, monkeypatch):
    """A writable copy of the bundled corpus, so a notice can be added."""
    target = tmp_path / "corpus"
    shutil.copytree(REPO_ROOT / "corpus", target)
    monkeypatch.setenv("CIVIC_CORPUS_DIR", str(target))
    monkeypatch.setenv("CIVIC_EMBEDDING_MODEL", "static")  # the fast packaged embedder
    reset_settings()
    return target


def test_sync_is_idempotent(corpus_copy):
    first = sync()
    assert first.added == len(load_corpus().chunks) and first.removed == 0
    second = sync()
    assert (second.added, second.removed, second.unchanged) == (0, 0, first.added)
    assert pending_chunks() == 0


def test_open_index_refuses_a_missing_index(corpus_copy):
    with pytest.raises(IndexMissing):
        open_index()


def test_collection_remembers_its_embedding_function(corpus_copy, settings):
    from retrieval.index import chroma_client, collection_name

    sync()
    collection = chroma_client(settings).get_collection(collection_name(settings))
    assert collection.metadata["embedding_model"] == "static"
    assert collection.configuration["embedding_function"].name() == "civic-static"


def test_cli_adds_a_notice_that_becomes_answerable(corpus_copy, capsys):
    code = ingest.main([
        "--add", str(FIXTURE), "--id", "sample", "--city", "示例", "--province", "示例省",
        "--title", "示例市节能工作方案", "--issuer", "示例市人民政府", "--date", "2024-03-01",
    ])
    assert code == 0
    assert "已添加通知 sample" in capsys.readouterr().out
    manifest = json.loads((corpus_copy / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["notices"][-1]["id"] == "sample"
    answer = get_asker().ask("示例公共机构节能灯具使用率要达到多少？")
    assert answer.status is Status.ANSWERED
    assert "95%" in answer.text and answer.citations[0].chunk.notice_id == "sample"


def test_cli_rejects_bad_additions(corpus_copy, tmp_path, capsys):
    bad = tmp_path / "notice.exe"
    bad.write_text("x")
    args = ["--id", "x1", "--city", "某", "--province", "某省", "--title", "某方案", "--issuer", "某政府"]
    assert ingest.main(["--add", str(bad), *args]) == 2
    assert "只支持" in capsys.readouterr().err
    assert ingest.main(["--add", str(FIXTURE), *args[:1], "dingzhou", *args[2:]]) == 2
    assert "已存在" in capsys.readouterr().err
    assert len(json.loads((corpus_copy / "manifest.json").read_text(encoding="utf-8"))["notices"]) == 5


def test_rebuild_embeds_everything_again(corpus_copy, capsys):
    assert ingest.main([]) == 0
    assert ingest.main(["--rebuild"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert " 0 unchanged" in out[-1]


def test_chroma_server_through_http_client(corpus_copy, tmp_path, monkeypatch):
    """The scale-out path: a Chroma server on 127.0.0.1 and CHROMA_URL pointing at it."""
    chroma = shutil.which("chroma", path=str(Path(__import__("sys").executable).parent))
    assert chroma, "the chromadb package installs the chroma command"
    port = free_port()
    proc = subprocess.Popen(
        [chroma, "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        monkeypatch.setenv("CHROMA_URL", f"http://127.0.0.1:{port}")
        reset_settings()
        assert sync().added > 0
        assert not (tmp_path / "data" / "index" / "chroma").exists()  # nothing embedded locally
        answer = get_asker().ask("天津电炉钢产能比例到2025年要达到多少？")
        assert answer.status is Status.ANSWERED and "25%" in answer.text
    finally:
        proc.terminate()
        proc.wait(timeout=10)
