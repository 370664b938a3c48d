"""The repository's own tooling: what `make demo` passes on, what git ignores, what CI installs."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_demo_passes_args_to_the_sandbox() -> None:
    dry_run = subprocess.run(
        ["make", "-n", "demo", "ARGS=--port 8081 --language en"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "-m bot.sandbox --port 8081 --language en" in dry_run.stdout


def test_coverage_data_is_ignored() -> None:
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert ".coverage" in ignored


def test_ci_installs_an_emoji_font_for_the_browser_test() -> None:
    assert "fonts-noto-color-emoji" in (ROOT / ".ci" / "run").read_text()
