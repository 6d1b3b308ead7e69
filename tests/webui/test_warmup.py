"""The server launcher loads the Q&A in the background: the Ask page then finds it ready."""

from __future__ import annotations

from webui import qa, warmup


def test_warm_up_fills_the_cache_the_ask_page_reads(indexed, monkeypatch):
    qa._asker_for.clear()
    thread = warmup.start()
    thread.join(120)
    assert not thread.is_alive()

    def second_load():
        raise AssertionError("the Ask page loaded the Q&A again")

    monkeypatch.setattr(qa, "get_asker", second_load)
    warmed = qa._cached_asker()  # what the page calls: served from the cache the warm-up filled
    assert warmed.ask("石嘴山城镇清洁取暖率要达到多少？").status.value == "answered"
    qa._asker_for.clear()


def test_warm_up_never_raises(tmp_path, monkeypatch):
    """No index yet: the thread logs and ends; the Ask page builds the index itself."""
    monkeypatch.setenv("CIVIC_DATA_DIR", str(tmp_path))
    from civic.settings import reset_settings

    reset_settings()
    qa._asker_for.clear()
    thread = warmup.start()
    thread.join(120)
    assert not thread.is_alive()
    reset_settings()
