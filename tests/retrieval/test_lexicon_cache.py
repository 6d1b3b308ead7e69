"""jieba's dictionary and its part-of-speech tags are read from the cache folder in one piece.

What is read from the cache must tokenise and tag exactly as jieba's own loader; a damaged
file is ignored (and written again), never trusted.
"""

from __future__ import annotations

from pathlib import Path

import jieba
import jieba.posseg
import pytest

from retrieval import lexicon

TEXTS = ["石嘴山市城镇清洁取暖率达到80%以上，农村地区稳步推进散煤替代。", "推广节能家电，倡导光盘行动。"]


def _jieba_own(tmp_dir: Path) -> jieba.Tokenizer:
    tok = jieba.Tokenizer()
    tok.tmp_dir = str(tmp_dir)
    tok.initialize()  # jieba's own loader: builds the cache file when it is absent or unreadable
    return tok


def _fast(tmp_dir: Path) -> jieba.Tokenizer:
    tok = jieba.Tokenizer()
    tok.tmp_dir = str(tmp_dir)
    lexicon._read_dictionary_cache(tok)
    return tok


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("jieba-cache")
    _jieba_own(directory)
    return directory


@pytest.fixture(scope="module")
def reference(folder: Path) -> jieba.Tokenizer:
    return _jieba_own(folder)


def _tags(tagger: jieba.posseg.POSTokenizer) -> list[list[tuple[str, str]]]:
    return [[(p.word, p.flag) for p in tagger.cut(t)] for t in TEXTS]


def test_the_dictionary_cache_is_read_as_jieba_reads_it(folder, reference):
    tok = _fast(folder)
    assert tok.initialized and tok.FREQ == reference.FREQ and tok.total == reference.total
    assert [list(tok.cut_for_search(t)) for t in TEXTS] == [list(reference.cut_for_search(t)) for t in TEXTS]


@pytest.mark.parametrize("content", [b"", b"garbage", None])
def test_a_damaged_or_missing_dictionary_cache_is_left_to_jieba(tmp_path, reference, content):
    if content is not None:
        (tmp_path / "jieba.cache").write_bytes(content)
    tok = _fast(tmp_path)
    assert not tok.initialized  # jieba's own loader will rebuild and rewrite it
    tok.initialize()
    assert tok.FREQ == reference.FREQ
    assert _fast(tmp_path).initialized  # written again by jieba: read fast from now on


def test_the_tags_are_kept_and_read_back_identical(tmp_path, folder, reference, monkeypatch):
    (tmp_path / "jieba.cache").write_bytes((folder / "jieba.cache").read_bytes())
    expected = jieba.posseg.POSTokenizer(reference)
    first = lexicon._Tagger(_fast(tmp_path))
    [kept] = tmp_path.glob("jieba-*-tags-*.marshal")
    read = []
    monkeypatch.setattr(jieba.posseg.POSTokenizer, "load_word_tag", lambda self, f: read.append(f))
    second = lexicon._Tagger(_fast(tmp_path))
    assert read == []  # the dictionary file was not parsed again
    assert second.word_tag_tab == expected.word_tag_tab == first.word_tag_tab
    assert _tags(second) == _tags(expected)
    assert jieba.__version__ in kept.name


@pytest.mark.parametrize("content", [b"", b"\x00garbage", b"N"])  # b"N" unmarshals to None
def test_damaged_tags_are_ignored_and_written_again(tmp_path, folder, reference, content):
    (tmp_path / "jieba.cache").write_bytes((folder / "jieba.cache").read_bytes())
    lexicon._Tagger(_fast(tmp_path))
    [kept] = tmp_path.glob("jieba-*-tags-*.marshal")
    kept.write_bytes(content)
    tagger = lexicon._Tagger(_fast(tmp_path))
    assert tagger.word_tag_tab == jieba.posseg.POSTokenizer(reference).word_tag_tab
    assert kept.stat().st_size > 1_000_000  # rebuilt from jieba's dictionary and kept again


def test_tags_of_another_dictionary_are_not_used(tmp_path, folder, monkeypatch):
    (tmp_path / "jieba.cache").write_bytes((folder / "jieba.cache").read_bytes())
    lexicon._Tagger(_fast(tmp_path))
    monkeypatch.setattr(jieba, "__version__", "0.0.0-other")  # another jieba: another file name
    lexicon._Tagger(_fast(tmp_path))
    assert len(list(tmp_path.glob("jieba-*-tags-*.marshal"))) == 2
