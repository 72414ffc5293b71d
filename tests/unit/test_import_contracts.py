"""The import contracts in pyproject.toml ([tool.importlinter]) bite: each one breaks on a copy
of the package with one module that does what its rule forbids.

`lint-imports` in packaging/test.sh shows the real tree keeps them; this shows none of them
keeps itself by accident (a misspelt module, an external package missing from the graph).
A new contract needs a case here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# contract id -> (a module added to the copy, what it imports)
BREAKS = {
    "layers": ("console/services/_breaks_layers.py", "from console.ui import formatting\n"),
    "app-and-ui-on-top": ("console/startup_breaks.py", "import console.ui.labels\n"),
    "qt-free": ("console/store/_breaks_qt.py", "from PySide6 import QtCore\n"),
    "domain-pure": ("console/domain/_breaks_purity.py", "import sqlalchemy\n"),
    "backend-separate": (
        "console/backend/_breaks_separation.py", "from console.store import paths\n"),
    "console-embeds-backend-as-a-program": (
        "console/sync/_breaks_embedding.py", "from console.backend import ids\n"),
    "ui-thin": ("console/ui/_breaks_thinness.py", "import httpx\n"),
}


def test_every_contract_breaks_on_a_module_that_breaks_its_rule(tmp_path: Path) -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    assert sorted(c["id"] for c in contracts) == sorted(BREAKS)

    shutil.copytree(ROOT / "console", tmp_path / "console",
                    ignore=shutil.ignore_patterns("__pycache__", "resources", "migrations"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for path, text in BREAKS.values():
        (tmp_path / path).write_text(text, encoding="utf-8")

    lint_imports = Path(sys.executable).with_name("lint-imports")
    # The copy comes first on the path; a wide terminal keeps each verdict on one line.
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "COLUMNS": "400"}
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=tmp_path, env=env, capture_output=True,
        text=True, timeout=120, check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    for contract in contracts:
        assert f"{contract['name']} BROKEN" in result.stdout, (contract["id"], result.stdout)
    for path, text in BREAKS.values():
        module = path.removesuffix(".py").replace("/", ".")
        imported = text.split()[1]
        assert f"{module} -> {imported}" in result.stdout, (module, result.stdout)
