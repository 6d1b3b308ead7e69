"""Adding a notice with ``python -m retrieval.ingest --add``: hostile files and ids are refused.

Each refusal must exit with status 2 and a Chinese message, leave the corpus
folder byte-for-byte as it was, and embed nothing. The corpus is a temp copy
(CIVIC_CORPUS_DIR); the real corpus/ is never touched.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from civic.settings import REPO_ROOT, reset_settings
from retrieval import ingest
from retrieval.corpus import NoticeMeta, read_manifest, tunables
from tests.hostile.payloads import has_chinese

NOTICE = (Path(__file__).parent.parent / "fixtures" / "sample_notice.md").read_text(encoding="utf-8")
META = ["--city", "示例", "--province", "示例省", "--title", "示例市节能工作方案", "--issuer", "示例市人民政府"]


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    target = tmp_path / "corpus"
    shutil.copytree(REPO_ROOT / "corpus", target)
    monkeypatch.setenv("CIVIC_CORPUS_DIR", str(target))
    monkeypatch.setenv("CIVIC_EMBEDDING_MODEL", "static")
    reset_settings()
    return target


def state(corpus: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir" for p in corpus.iterdir()}


def refused(corpus: Path, data_dir: Path, capsys, argv: list[str], words: str) -> None:
    before = state(corpus)
    assert ingest.main(["--add", *argv]) == 2
    err = capsys.readouterr().err
    assert words in err and has_chinese(err), err
    assert state(corpus) == before
    assert not (data_dir / "index" / "chroma").exists()


@pytest.mark.parametrize("bad_id", ["../x", "../../etc/passwd", "/tmp/abs", "a\x00b", "..\\x", "x" * 65, "通知",
                                    "-x", "Dingzhou", "a b", "a/b", ".hidden", "x\n"])
def test_path_tricks_in_the_id(corpus, data_dir, tmp_path, capsys, bad_id):
    source = tmp_path / "notice.md"
    source.write_text(NOTICE, encoding="utf-8")
    refused(corpus, data_dir, capsys, [str(source), f"--id={bad_id}", *META], "编号只能使用")


def test_files_that_are_not_plain_files(corpus, data_dir, tmp_path, capsys):
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.md"
    secret.write_text(NOTICE, encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(secret)
    folder = tmp_path / "folder.md"
    folder.mkdir()
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    for source, words in ((link, "符号链接"), (folder, "不是普通文件"), (fifo, "不是普通文件"),
                          (tmp_path / "missing.md", "找不到文件")):
        refused(corpus, data_dir, capsys, [str(source), "--id", "sample", *META], words)


def test_oversize_and_empty_files(corpus, data_dir, tmp_path, capsys):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(tunables()["ingest"]["max_file_bytes"] + 1)  # sparse: costs no disk
    refused(corpus, data_dir, capsys, [str(big), "--id", "big", *META], "文件太大")
    empty = tmp_path / "empty.md"
    empty.write_text("  \n")
    refused(corpus, data_dir, capsys, [str(empty), "--id", "empty", *META], "文件是空的")
    wordy = tmp_path / "wordy.txt"
    wordy.write_text("一、节能。\n" * (tunables()["ingest"]["max_text_chars"] // 6 + 1), encoding="utf-8")
    refused(corpus, data_dir, capsys, [str(wordy), "--id", "wordy", *META], "文字太多")


def zip_bytes(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_lying_file_types_and_encodings(corpus, data_dir, tmp_path, capsys):
    cases = {
        "zip.pdf": (zip_bytes({"a.txt": b"x"}), "实际上不是 PDF"),
        "broken.pdf": (b"%PDF-1.7\n" + bytes(range(256)) * 8, "无法读取这个 PDF"),
        "text.docx": (NOTICE.encode(), "实际上不是 Word"),
        "other.docx": (zip_bytes({"a.txt": b"x"}), "实际上不是 Word"),
        "broken.docx": (zip_bytes({"word/document.xml": b"<not xml"}), "无法读取这个文件"),
        "binary.txt": (b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)), "UTF-8"),
        "gbk.txt": (NOTICE.encode("gbk", errors="replace"), "UTF-8"),
        "utf16.md": (NOTICE.encode("utf-16"), "UTF-8"),
    }
    for name, (data, words) in cases.items():
        source = tmp_path / name
        source.write_bytes(data)
        refused(corpus, data_dir, capsys, [str(source), "--id", "lying", *META], words)


def test_decompression_bomb_and_page_bomb(corpus, data_dir, tmp_path, capsys):
    limits = tunables()["ingest"]
    bomb = tmp_path / "bomb.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("word/document.xml", "w") as fh:
        chunk = b" " * 1_000_000
        for _ in range(limits["max_unzipped_bytes"] // len(chunk) + 1):
            fh.write(chunk)
    bomb.write_bytes(buffer.getvalue())
    assert bomb.stat().st_size < 1_000_000  # small on disk, huge once unzipped
    refused(corpus, data_dir, capsys, [str(bomb), "--id", "bomb", *META], "解压后超过")
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(limits["max_pdf_pages"] + 1):
        writer.add_blank_page(width=10, height=10)
    pages = tmp_path / "pages.pdf"
    with open(pages, "wb") as fh:
        writer.write(fh)
    refused(corpus, data_dir, capsys, [str(pages), "--id", "pages", *META], "页数太多")


@pytest.mark.parametrize(("flag", "value"), [("--title", "<script>alert(1)</script>"), ("--city", "示例\n市"),
                                             ("--issuer", " "), ("--date", "2024-13-45"), ("--title", "长" * 201),
                                             ("--doc-number", "\u202e号"), ("--province", "\x00")])
def test_metadata_shown_to_residents_must_be_plain_text(corpus, data_dir, tmp_path, capsys, flag, value):
    source = tmp_path / "notice.md"
    source.write_text(NOTICE, encoding="utf-8")
    argv = [str(source), "--id", "sample", *META]
    if flag in argv:
        argv[argv.index(flag) + 1] = value
    else:
        argv += [flag, value]
    refused(corpus, data_dir, capsys, argv, flag)


def test_an_existing_file_in_the_corpus_is_never_overwritten(corpus, data_dir, tmp_path, capsys):
    (corpus / "stray.md").write_text("留在这里的文件", encoding="utf-8")
    source = tmp_path / "notice.md"
    source.write_text(NOTICE, encoding="utf-8")
    refused(corpus, data_dir, capsys, [str(source), "--id", "stray", *META], "已有文件")


def test_a_real_docx_is_still_added(corpus):
    import docx

    document = docx.Document()
    for line in NOTICE.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    source = corpus.parent / "新通知.docx"
    source.write_bytes(buffer.getvalue())
    meta = NoticeMeta(id="sample-docx", file=source.name, city="示例", province="示例省", title="示例市节能工作方案",
                      issuer="示例市人民政府", date="2024-03-01", doc_number=None, script="simplified")
    ingest.add_notice(source, meta, corpus)
    assert read_manifest(corpus)[-1].file == "sample-docx.docx"
    assert (corpus / "sample-docx.docx").read_bytes() == source.read_bytes()
    assert not list(corpus.glob(".*"))  # no staging file left behind
