"""deploy/systemd/: the units parse (systemd-analyze verify), and the commands they run exist here.

The units are documented, not run: this checks them with the paths of this checkout
instead of /srv/civic. Skipped where systemd-analyze is not installed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from civic.settings import REPO_ROOT

UNITS = REPO_ROOT / "deploy" / "systemd"


def test_units_verify_cleanly_with_this_checkouts_paths(tmp_path: Path):
    analyze = shutil.which("systemd-analyze")
    if not analyze:
        pytest.skip("systemd-analyze not installed")
    venv = Path(sys.executable).parent
    for unit in UNITS.glob("civic*"):
        if unit.suffix in {".service", ".target"}:
            text = (unit.read_text().replace("/srv/civic/.venv/bin/", f"{venv}/")
                    .replace("/srv/civic", str(REPO_ROOT)))
            name = unit.name.replace("@.", "@8501.")
            (tmp_path / name).write_text(text)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert "civic-app@8501.service" in names and "civic.target" in names
    done = subprocess.run([analyze, "verify", *names], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    problems = [line for line in (done.stdout + done.stderr).splitlines() if str(tmp_path) in line]
    assert done.returncode == 0 and not problems, problems


def test_the_health_unit_and_the_app_unit_run_commands_this_checkout_has():
    app = (UNITS / "civic-app@.service").read_text()
    assert "-m deploy.appserver" in app and "--server.address 127.0.0.1" in app
    health = (UNITS / "civic-health.service").read_text()
    done = subprocess.run([sys.executable, "-m", "deploy", "--system", "watch", "--help"], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "-m deploy --system watch" in health
