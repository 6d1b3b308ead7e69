"""A second app process answers from a notice published by another, without a restart.

SQLite: both processes share the data directory (one machine). PostgreSQL with a Chroma
server: the second process has a data directory of its own, as another server would —
the publication reaches it only through the shared database and the shared collection.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from civic.db import session_scope
from civic.settings import REPO_ROOT, reset_settings
from publishing import notices
from publishing.publish import publish, unpublish
from retrieval.corpus import load_corpus
from retrieval.index import sync
from tests.browser import free_port
from tests.fixtures import newcity
from tests.publishing.conftest import STAFF, wangchuan_meta

QUESTION = "我住在柳营区农村，冬天还能烧散煤吗？"


def _chroma_server(folder: Path) -> tuple[subprocess.Popen, str]:
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent))
    port = free_port()
    proc = subprocess.Popen([chroma, "run", "--path", str(folder), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1)
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("chroma server did not start")


def _line(proc: subprocess.Popen) -> dict:
    line = proc.stdout.readline()
    assert line, proc.stderr.read()
    return json.loads(line)


def test_second_process_sees_the_publication(db, database_url, tmp_path, monkeypatch):
    env = dict(os.environ)
    chroma = None
    if database_url.startswith("postgresql"):
        chroma, url = _chroma_server(tmp_path / "chroma")
        monkeypatch.setenv("CHROMA_URL", url)
        reset_settings()
        env["CIVIC_DATA_DIR"] = str(tmp_path / "other-server")  # nothing shared on disk
    env.update({k: os.environ[k] for k in ("DATABASE_URL", "CIVIC_EMBEDDING_MODEL")})
    env.update(CHROMA_URL=os.environ.get("CHROMA_URL", ""), CIVIC_DATA_DIR=env.get("CIVIC_DATA_DIR",
                                                                                    os.environ["CIVIC_DATA_DIR"]))
    if not env["CHROMA_URL"]:
        env.pop("CHROMA_URL")
    try:
        sync()
        other = subprocess.Popen([sys.executable, "-m", "tests.publishing.watcher", "wangchuan", QUESTION],
                                 cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert _line(other) == {"ready": True}
            with session_scope(db) as session:
                notices.upload(session=session, data=newcity.make_notice().encode(), file_name="望川.txt",
                               meta=wangchuan_meta(), corpus=load_corpus(), user=STAFF)
            publish(engine=db, notice_id="wangchuan", user=STAFF)
            seen = _line(other)
            assert seen["status"] == "answered", (seen, other.stderr.read() if other.wait(timeout=30) is not None else "")
            assert seen["cited"][0] == ["wangchuan", "三、（四）1."]
            assert other.wait(timeout=60) == 0
        finally:
            if other.poll() is None:
                other.kill()
        unpublish(engine=db, notice_id="wangchuan", user=STAFF)
    finally:
        if chroma is not None:
            chroma.terminate()
            chroma.wait(timeout=10)
