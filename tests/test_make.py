"""`make test` prepares what it needs: the Debian packages step (.ci/system-deps) runs before
pytest, installs as root or names the exact command once, and every run ends with the count of
skipped tests and why."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

SCRIPT = ROOT / ".ci" / "system-deps"


def _deps(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", str(SCRIPT)], capture_output=True, text=True, timeout=60,
        env={**os.environ, **env}, cwd=tmp_path,
    )


@pytest.fixture()
def fake_apt(tmp_path: Path) -> tuple[Path, Path]:
    """An apt-get stand-in that records its arguments (installing for real needs the network)."""
    log = tmp_path / "apt.log"
    apt = tmp_path / "apt-get"
    apt.write_text(f'#!/bin/sh\necho "$@" >> {log}\n', encoding="utf-8")
    apt.chmod(0o755)
    return apt, log


@pytest.mark.parametrize(
    ("chromium", "rapper", "missing"),
    [
        ("/nonexistent/chromium", "rapper", "chromium"),
        ("/bin/sh", "/nonexistent/rapper", "raptor2-utils"),
        ("/nonexistent/chromium", "/nonexistent/rapper", "chromium raptor2-utils"),
    ],
)
def test_not_root_stops_with_one_message_naming_the_command(
    tmp_path: Path, fake_apt: tuple[Path, Path], chromium: str, rapper: str, missing: str
) -> None:
    apt, log = fake_apt
    res = _deps(tmp_path, CHROMIUM=chromium, RAPPER=rapper, APT_GET=str(apt), KG_UID="1000")
    assert res.returncode == 1
    assert res.stdout == ""
    assert res.stderr.strip().splitlines() == [
        f"make test: the tests need Debian's {missing}; install as root with: "
        f"apt-get install -y {missing}"
    ]
    assert not log.exists()


def test_root_installs_only_what_is_missing(tmp_path: Path, fake_apt: tuple[Path, Path]) -> None:
    apt, log = fake_apt
    res = _deps(tmp_path, CHROMIUM="/bin/sh", RAPPER="/nonexistent/rapper", APT_GET=str(apt),
                KG_UID="0")
    assert res.returncode == 0, res.stderr
    assert log.read_text().splitlines() == ["update -qq", "install -y -qq raptor2-utils"]


def test_nothing_to_do_when_both_are_present(tmp_path: Path, fake_apt: tuple[Path, Path]) -> None:
    apt, log = fake_apt
    res = _deps(tmp_path, CHROMIUM="/bin/sh", RAPPER="sh", APT_GET=str(apt), KG_UID="0")
    assert (res.returncode, res.stdout, res.stderr) == (0, "", "")
    assert not log.exists()


def test_make_test_checks_the_packages_before_pytest() -> None:
    res = subprocess.run(["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True,
                         timeout=60)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    deps = next(i for i, line in enumerate(lines) if ".ci/system-deps" in line)
    pytest_line = next(i for i, line in enumerate(lines) if "-m pytest" in line)
    assert deps < pytest_line


def test_run_ends_with_skipped_count_and_reasons(tmp_path: Path) -> None:
    """Without ../shared the seed-article checks skip, and the closing lines say so."""
    res = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/test_clean.py::test_seed_article_segments",
         "tests/test_make.py::test_nothing_to_do_when_both_are_present"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "NEWSKG_SHARED": str(tmp_path / "absent")},
    )
    assert res.returncode == 0, res.stdout + res.stderr
    tail = res.stdout[res.stdout.index("newskg: 1 skipped"):]
    assert "    1  seed article not found at" in tail and "../shared folder is absent" in tail
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/test_make.py::test_nothing_to_do_when_both_are_present"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert "newskg: no test skipped" in done.stdout
