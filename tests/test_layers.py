"""Which way imports run (../shared/ARCHITECTURE.md), checked on the source."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from civic.settings import REPO_ROOT

# package -> top-level modules it must never import
FORBIDDEN = {
    "civic": {"pledges", "engagement", "desk", "retrieval", "webui", "app_pages", "streamlit"},
    "retrieval": {"pledges", "engagement", "desk", "publishing", "sqlalchemy", "alembic", "civic.db", "streamlit"},
    "pledges": {"engagement", "desk", "streamlit"},
    "engagement": {"pledges", "desk", "streamlit"},
    "publishing": {"pledges", "engagement", "desk", "streamlit"},
    "desk": {"pledges", "engagement", "publishing", "webui", "app_pages", "streamlit"},
}


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", FORBIDDEN)
def test_imports_run_one_way(package):
    bad = []
    for path in sorted((REPO_ROOT / package).rglob("*.py")):
        for name in imported(path):
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN[package]):
                bad.append(f"{path.relative_to(REPO_ROOT)} imports {name}")
    assert bad == []
