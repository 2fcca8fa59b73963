"""Shared test fixtures: paths to ../shared data and a way to run the CLI as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSKG_SHARED", ROOT.parent / "shared"))
SEED_DIR = SHARED / "data" / "seed"
DEV_SENTENCES = SHARED / "data" / "dev" / "sentences.jsonl"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def seed_dir() -> Path:
    """../shared/data/seed (third-party text: read in place, never copied into the project)."""
    if not (SEED_DIR / "seed-article.txt").is_file():
        pytest.skip(f"seed article not found at {SEED_DIR} (the ../shared folder is absent)")
    return SEED_DIR


@pytest.fixture(scope="session")
def dev_sentences() -> Path:
    if not DEV_SENTENCES.is_file():
        pytest.skip(f"dev sentences not found at {DEV_SENTENCES} (the ../shared folder is absent)")
    return DEV_SENTENCES


def run_kg(
    *args: str | os.PathLike[str],
    input: str | None = None,
    cwd: Path | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m kg ARGS`` in a subprocess, as a user would; never raises on exit codes."""
    return subprocess.run(
        [sys.executable, "-m", "kg", *map(str, args)],
        input=input,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
        env={**os.environ, "PYTHONUTF8": "1", "NO_COLOR": "1", "COLUMNS": "200"},
    )


@pytest.fixture()
def kg_cli():
    """The :func:`run_kg` function as a fixture."""
    return run_kg


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium through Playwright (one per test module)."""
    from helpers_view import BROWSER_ARGS
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=BROWSER_ARGS)
        yield b
        b.close()
