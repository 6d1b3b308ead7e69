"""Starting and stopping the pieces of a local deployment: PostgreSQL, a Chroma server, app processes.

Every server listens on 127.0.0.1 only. Processes are started in their own session so they
outlive the command that started them; their logs go to files under the deployment's folder.
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from civic.settings import REPO_ROOT

HOST = "127.0.0.1"
T = TypeVar("T")
APP_STOP_S = 75.0  # an app process drains (deploy/appserver.py, at most 60 s) before it exits
_children: dict[int, subprocess.Popen] = {}  # processes this interpreter started, reaped when they end


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def spawn(cmd: list[str], log: Path, env: dict[str, str] | None = None) -> int:
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    _children[proc.pid] = proc
    return proc.pid


def alive(pid: int | None) -> bool:
    """The process exists and has not exited (a zombie has)."""
    if not pid:
        return False
    if (child := _children.get(pid)) is not None:
        return child.poll() is None
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in {"Z", "X"}


def stop(pid: int | None, *, sig: int = signal.SIGTERM, timeout: float = 20.0) -> None:
    """Signal a process and wait for it to end; SIGKILL after ``timeout``."""
    if not alive(pid):
        _children.pop(pid or 0, None)
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)
    if not wait_until(lambda: not alive(pid), timeout):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        wait_until(lambda: not alive(pid), 10)
    _children.pop(pid, None)


def wait_until(condition: Callable[[], bool], timeout: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(step)
    return True


def http_ok(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


def venv_tool(name: str) -> str:
    """A console script installed next to this interpreter (e.g. chroma), else on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise RuntimeError(f"{name} not found next to {sys.executable}: install the project (scripts/run.sh)")
    return found


# --- PostgreSQL --------------------------------------------------------------------------------


def pg_bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: float(Path(p).parts[4]))
    path = found[-1] if found else shutil.which("pg_ctl")
    if not path:
        raise RuntimeError("PostgreSQL is not installed: apt-get install postgresql (scripts/test.sh does)")
    return Path(path).parent


class Postgres:
    """A cluster of its own in ``directory`` (initdb on first start), owned by postgres when run as root."""

    def __init__(self, directory: Path, port: int) -> None:
        self.dir = directory
        self.data = directory / "data"
        self.port = port
        self.bindir = pg_bindir()
        self.run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@{HOST}:{self.port}/civic"

    def _pg(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run([*self.run_as, str(self.bindir / tool), *args], capture_output=True, text=True,
                              timeout=120)
        if check and done.returncode:
            raise RuntimeError(f"{tool} failed: {done.stderr.strip() or done.stdout.strip()}")
        return done

    def start(self) -> None:
        fresh = not (self.data / "PG_VERSION").exists()
        if fresh:
            self.dir.mkdir(parents=True, exist_ok=True)
            if self.run_as:
                shutil.chown(self.dir, "postgres")
                if subprocess.run([*self.run_as, "test", "-w", str(self.dir)]).returncode:
                    raise RuntimeError(f"the postgres user cannot reach {self.dir}: put the deployment in a folder "
                                       "every user may enter (--dir /srv/civic-deploy, or CIVIC_DEPLOY_DIR)")
            self._pg("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                     "--locale=C.UTF-8")
        options = f"-c listen_addresses={HOST} -p {self.port} -k {self.dir} -c max_connections=200"
        self._pg("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "postgres.log"), "-w", "-t", "60",
                 "-o", options, "start")
        if fresh:
            self._pg("createdb", "-h", HOST, "-p", str(self.port), "-U", "postgres", "civic")

    def running(self) -> bool:
        return self._pg("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0

    def stop(self) -> None:
        """A fast shutdown: open transactions roll back, everything committed stays."""
        if self.data.exists() and self.running():
            self._pg("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")


# --- Chroma ------------------------------------------------------------------------------------


def start_chroma(path: Path, port: int, log: Path) -> int:
    path.mkdir(parents=True, exist_ok=True)
    pid = spawn([venv_tool("chroma"), "run", "--path", str(path), "--host", HOST, "--port", str(port)], log)
    if not wait_until(lambda: http_ok(f"http://{HOST}:{port}/api/v2/heartbeat") or not alive(pid), 60):
        raise RuntimeError(f"the Chroma server did not start; see {log}")
    if not alive(pid):
        raise RuntimeError(f"the Chroma server exited; see {log}")
    return pid


def _run_module(args: list[str], env: dict[str, str], log: Path) -> None:
    with open(log, "ab") as out:
        done = subprocess.run([sys.executable, "-m", *args], cwd=REPO_ROOT, env=env, stdout=out,
                              stderr=subprocess.STDOUT, timeout=600)
    if done.returncode:
        raise RuntimeError(f"python -m {' '.join(args)} failed; see {log}")


def migrate(env: dict[str, str], log: Path) -> None:
    """Bring the database to the newest schema once, before the app processes start."""
    _run_module(["civic.db", "upgrade"], env, log)


def ingest(env: dict[str, str], log: Path) -> None:
    """Embed the notices into the Chroma server (only what is missing or changed)."""
    _run_module(["retrieval.ingest"], env, log)


# --- app processes -----------------------------------------------------------------------------


def start_app(port: int, env: dict[str, str], log: Path, *, drain_timeout_s: float | None = None) -> int:
    """``streamlit run streamlit_app.py`` with a graceful stop (deploy/appserver.py)."""
    drain = ["--drain-timeout", str(drain_timeout_s)] if drain_timeout_s else []
    cmd = [sys.executable, "-m", "deploy.appserver", *drain,
           "--server.address", HOST, "--server.port", str(port), "--server.headless", "true",
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    return spawn(cmd, log, env)


def wait_healthy(port: int, pid: int, log: Path, timeout: float = 90.0) -> None:
    url = f"http://{HOST}:{port}/_stcore/health"
    if not wait_until(lambda: http_ok(url) or not alive(pid), timeout):
        raise RuntimeError(f"app on port {port} did not answer its health check; see {log}")
    if not alive(pid):
        raise RuntimeError(f"app on port {port} exited; see {log}")


def warm(address: str, timeout: float = 120.0) -> None:
    """Open the Q&A and the campaigns on the process itself, before nginx sends it residents.

    The first question loads the embedding model, jieba and BM25; the first campaign page
    imports the pledge, image and chart code: seconds each on a busy machine."""
    sys.path.insert(0, str(REPO_ROOT))
    from scripts.stclient import StreamlitSession

    async def visit() -> None:
        for page, query in (("ask", "q=%E6%B8%85%E6%B4%81%E5%8F%96%E6%9A%96"), ("campaign", "")):  # q=清洁取暖
            async with StreamlitSession(f"http://{address}", timeout=timeout) as session:
                run = await session.open(page, query)
                if run.errors():
                    raise RuntimeError(f"warm-up of {address}/{page}: {run.errors()}")

    run_async(visit())


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` in a thread of its own: callers may already run an event loop (Playwright's sync API does)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
