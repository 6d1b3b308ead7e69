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


PASSAGES = ["一、总体要求：到2025年，城镇清洁取暖率达到80%以上。", "（三）推进散煤替代：农村地区稳步推进。", ""]


@pytest.fixture
def fresh_tokens(settings):
    return [lexicon.index_tokens(t) for t in PASSAGES]


def _kept(settings) -> list[Path]:
    return sorted(settings.cache_dir.glob("bm25-tokens-*.marshal"))


def test_the_notices_tokens_are_kept_and_read_back_identical(settings, fresh_tokens, monkeypatch):
    assert lexicon.index_tokens_of(PASSAGES) == fresh_tokens
    [kept] = _kept(settings)
    monkeypatch.setattr(lexicon, "index_tokens", lambda text: pytest.fail("tokenised again"))
    assert lexicon.index_tokens_of(PASSAGES) == fresh_tokens
    assert _kept(settings) == [kept]


@pytest.mark.parametrize("content", [b"", b"\x00garbage", b"N", None])
def test_damaged_tokens_are_ignored_and_written_again(settings, fresh_tokens, content):
    lexicon.index_tokens_of(PASSAGES)
    [kept] = _kept(settings)
    if content is None:  # a valid file of the wrong shape: another list of texts
        import marshal

        content = marshal.dumps([["石嘴山"]])
    kept.write_bytes(content)
    assert lexicon.index_tokens_of(PASSAGES) == fresh_tokens
    assert lexicon.index_tokens_of(PASSAGES) == fresh_tokens  # from the file written again
    assert _kept(settings) == [kept]


def test_other_texts_use_another_file_and_the_old_one_goes(settings):
    lexicon.index_tokens_of(PASSAGES)
    [first] = _kept(settings)
    changed = [*PASSAGES[:-1], "新增的条款：推广节能家电。"]
    assert lexicon.index_tokens_of(changed)[-1] == lexicon.index_tokens(changed[-1])
    [second] = _kept(settings)
    assert second != first


@pytest.mark.parametrize("source", ["userdict.txt", "lexicon.toml", "residents_words.toml"])
def test_a_changed_vocabulary_file_means_other_tokens(settings, tmp_path, monkeypatch, source):
    import shutil

    before = lexicon._tokens_key(PASSAGES)
    data = tmp_path / "vocabulary"
    shutil.copytree(lexicon.DATA_DIR, data)
    monkeypatch.setattr(lexicon, "DATA_DIR", data)
    assert lexicon._tokens_key(PASSAGES) == before  # the same files: the same key
    with open(data / source, "a", encoding="utf-8") as fh:
        fh.write("\n# changed\n")
    assert lexicon._tokens_key(PASSAGES) != before


def test_a_changed_code_or_jieba_means_other_tokens(monkeypatch):
    before = lexicon._tokens_key(PASSAGES)
    monkeypatch.setattr(jieba, "__version__", "0.0.0-other")
    assert lexicon._tokens_key(PASSAGES) != before
    monkeypatch.undo()
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes",
                        lambda self: real(self) + (b"# edited" if self.name == "textnorm.py" else b""))
    assert lexicon._tokens_key(PASSAGES) != before
