"""The benchmark script runs end to end on a tiny load (no timing is asserted)."""

from pledges.bench import main


def test_bench_smoke_sqlite(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("CIVIC_DATA_DIR", str(tmp_path))
    assert main(["--db", "sqlite", "--writers", "4", "--signatures", "40", "--processes", "1"]) == 0
    out = capsys.readouterr().out
    assert "signatures/s" in out and "difference: 0" in out


def test_bench_with_keys_checks_retries(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("CIVIC_DATA_DIR", str(tmp_path))
    assert main(["--db", "sqlite", "--writers", "4", "--signatures", "40", "--processes", "1", "--keys",
                 "--repeat-share", "0.5"]) == 0
    out = capsys.readouterr().out
    assert "difference: 0" in out and "retries: 10  returned the first outcome: 10" in out


def test_bench_refuses_remote_databases():
    import pytest

    with pytest.raises(SystemExit):
        main(["--db", "postgres", "--url", "postgresql://u@db.example.org/x", "--writers", "2", "--signatures", "4"])
