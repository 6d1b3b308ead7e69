"""Fault fixtures: a private PostgreSQL cluster the tests may stop and start.

The shared test server (TEST_POSTGRES_URL) must never be stopped, so the restart
tests get a throwaway cluster of their own in a temp dir on a free loopback port.
Without PostgreSQL binaries the tests fail in CI (env CI set) and skip locally,
the same policy as tests/pledges/conftest.py.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import free_port


def _pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: float(Path(p).parts[4]))
    path = found[-1] if found else shutil.which("pg_ctl")
    if not path:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL binaries (initdb, pg_ctl) are missing: run the suite through scripts/test.sh")
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) not installed")
    return Path(path).parent


class PrivatePostgres:
    """One initdb'd cluster; ``stop()`` and ``start()`` are what the tests break and mend."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.dir = Path(tempfile.mkdtemp(prefix="civic-faultpg."))
        self.port = free_port()
        self.run_as = []
        if os.geteuid() == 0:  # initdb refuses to run as root
            self.run_as = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.dir, "postgres")
        self.data = self.dir / "data"
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        self._pg("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                 "--locale=C.UTF-8", "--no-sync")
        self.start()

    def _pg(self, tool: str, *args: str) -> None:
        subprocess.run([*self.run_as, str(self.bindir / tool), *args], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off"
        self._pg("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "log"), "-w", "-o", options, "start")

    def stop(self) -> None:
        """A fast shutdown: open sessions are cut off and their transactions rolled back."""
        self._pg("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def close(self) -> None:
        subprocess.run([*self.run_as, str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                        "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def private_postgres() -> Iterator[PrivatePostgres]:
    server = PrivatePostgres(_pg_bin())
    try:
        yield server
    finally:
        server.close()
