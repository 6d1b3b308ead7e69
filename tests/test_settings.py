from civic.settings import Settings, get_settings


def test_every_setting_is_documented():
    undocumented = [name for name, f in Settings.model_fields.items() if not f.description]
    assert undocumented == []


def test_data_dir_moves_all_state(data_dir):
    s = get_settings()
    assert s.data_dir == data_dir
    for path in (s.index_dir, s.chroma_dir, s.cache_dir):
        assert data_dir in path.parents
    assert s.sqlalchemy_url == f"sqlite:///{data_dir / 'civic.sqlite3'}"


def test_database_url_switches_to_postgres(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@127.0.0.1:5432/db")
    s = Settings()
    assert s.sqlalchemy_url == "postgresql+psycopg://u@127.0.0.1:5432/db"


def test_generated_secret_is_stable(monkeypatch, data_dir):
    monkeypatch.delenv("CIVIC_SECRET_KEY")
    s = Settings()
    assert s.server_secret() == s.server_secret()
    assert (data_dir / "secret.key").exists()


def test_jieba_cache_lives_in_the_data_dir(tmp_path):
    import os
    import subprocess
    import sys

    env = dict(os.environ, CIVIC_DATA_DIR=str(tmp_path / "d"), TMPDIR=str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    code = "from retrieval.lexicon import words; print(words('清洁取暖'))"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert "清洁取暖" in out.stdout
    assert (tmp_path / "d" / "cache" / "jieba.cache").exists()
    assert not list((tmp_path / "tmp").iterdir())
