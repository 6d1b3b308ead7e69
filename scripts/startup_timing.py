"""Time from launching the app (index present) to its health check and to the first answer on the Ask page.

    .venv/bin/python scripts/startup_timing.py appserver|streamlit [SECONDS] [--cold]

``appserver`` launches as ``scripts/run.sh`` does (``python -m deploy.appserver``: the Q&A loads while
the server starts); ``streamlit`` is plain ``streamlit run``. SECONDS: the visitor opens /ask that long
after launch (default at once). Uses the index in .data/ (run ``python -m retrieval.ingest`` first) and
the caches beside it (.data/cache: jieba's dictionary, the embedding model's shared weights and prepared
state, BM25 tokens), as the app's first start leaves them; ``--cold`` leaves the caches out (a data
directory whose index was copied from elsewhere: the first start writes them).
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from civic.settings import REPO_ROOT  # noqa: E402
from tests.browser import chromium_path, free_port  # noqa: E402

cold = "--cold" in sys.argv
args = [a for a in sys.argv[1:] if a != "--cold"]
mode = args[0]
data = Path(tempfile.mkdtemp())
shutil.copytree(REPO_ROOT / ".data" / "index", data / "index")
if not cold and (REPO_ROOT / ".data" / "cache").exists():
    shutil.copytree(REPO_ROOT / ".data" / "cache", data / "cache")
port = free_port()
launcher = ["-m", "streamlit", "run", "streamlit_app.py"] if mode == "streamlit" else ["-m", "deploy.appserver"]
cmd = [sys.executable, *launcher, "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
       "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
env = dict(os.environ, CIVIC_DATA_DIR=str(data), CIVIC_SECRET_KEY="x")
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
    page = browser.new_page(viewport={"width": 390, "height": 844})
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    while True:
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=1)
            break
        except OSError:
            time.sleep(0.05)
    t_health = time.perf_counter() - t0
    delay = float(args[1]) if len(args) > 1 else 0
    time.sleep(max(0, delay - (time.perf_counter() - t0)))
    t_visit = time.perf_counter() - t0
    try:
        page.goto(url + "/ask")
        box = page.get_by_test_id("stChatInputTextArea")
        box.wait_for(timeout=60_000)
        t_box = time.perf_counter() - t0
        box.fill("石嘴山城镇清洁取暖率要达到多少？")
        box.press("Enter")
        page.get_by_test_id("stChatMessage").nth(1).get_by_text("根据").first.wait_for(timeout=60_000)
        t_answer = time.perf_counter() - t0
    finally:
        proc.terminate()
        proc.wait(20)
    browser.close()
shutil.rmtree(data, ignore_errors=True)
print(f"{mode}{' (cold caches)' if cold else ''}: visitor at {t_visit:.1f} s, answer {t_answer - t_visit:.1f} s after arriving; health {t_health:.1f} s; Ask page ready {t_box:.1f} s; first answer shown {t_answer:.1f} s after launch")
