"""Shared test fixtures: example and ../shared data, the external tools, the CLI as a user runs
it, and the closing count of skipped tests with their reasons."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSKG_SHARED", ROOT.parent / "shared"))
SEED_DIR = SHARED / "data" / "seed"
EXAMPLES = ROOT / "examples"
#: The 45 dev sentences (written for this project; a copy of ../shared/data/dev/sentences.jsonl
#: kept in examples/ so that a fresh clone runs every test that needs them).
DEV_SENTENCES = EXAMPLES / "sentences.jsonl"

#: Debian's raptor2-utils parser: tests needing it skip with this reason when it is absent
#: (`make test` installs it first, see .ci/system-deps).
RAPPER = shutil.which("rapper")
requires_rapper = pytest.mark.skipif(
    RAPPER is None, reason="rapper is not installed (apt-get install -y raptor2-utils)"
)


@pytest.fixture(scope="session")
def seed_dir() -> Path:
    """../shared/data/seed (third-party text: read in place, never copied into the project)."""
    if not (SEED_DIR / "seed-article.txt").is_file():
        pytest.skip(f"seed article not found at {SEED_DIR} (the ../shared folder is absent)")
    return SEED_DIR


@pytest.fixture(scope="session")
def dev_sentences() -> Path:
    """examples/sentences.jsonl: one sentence per line with its gold relations."""
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


def _skip_reason(report: Any) -> str:
    longrepr = report.longrepr
    reason = str(longrepr[2]) if isinstance(longrepr, tuple) else str(longrepr)
    return reason.removeprefix("Skipped: ")


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: Any) -> None:
    """End every run with how many tests skipped and why (grouped by reason), so a missing
    tool or data folder is seen at once; README.md says what each reason needs."""
    skipped = terminalreporter.stats.get("skipped", [])
    if not skipped:
        terminalreporter.write_line("newskg: no test skipped")
        return
    reasons = Counter(_skip_reason(r) for r in skipped)
    terminalreporter.section(f"newskg: {len(skipped)} skipped", sep="-")
    for reason, count in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])):
        terminalreporter.write_line(f"{count:5d}  {reason}")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium through Playwright (one per test module)."""
    from helpers_view import BROWSER_ARGS
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=BROWSER_ARGS)
        yield b
        b.close()
