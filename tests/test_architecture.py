"""The arrows between apps and layers (STYLE.md, "Layout") hold in `make test` too.

The contracts live in pyproject.toml, [tool.importlinter]; `make quality` checks them as well.
"""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.conf import settings


def _lint_imports() -> str:
    """The lint-imports of this interpreter's environment: a missing one fails, never skips."""
    executable = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if executable is None:
        pytest.fail(
            f"lint-imports is not installed next to {sys.executable}: "
            "pip install -r requirements-dev.txt"
        )
    return executable


def test_every_import_contract_is_kept():
    config = tomllib.loads((settings.BASE_DIR / "pyproject.toml").read_text())
    names = [contract["name"] for contract in config["tool"]["importlinter"]["contracts"]]

    # No cache: the test writes nothing in the working tree.
    result = subprocess.run(  # noqa: S603 - a fixed command line
        [_lint_imports(), "--no-cache"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    for name in names:
        assert f"{name} KEPT" in result.stdout, result.stdout
