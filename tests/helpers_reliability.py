"""Helpers for the reliability tests: a generated corpus of short made-up articles, and a way
to start `kg build` / `kg serve` as background processes."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

FIRST = ["Marta", "Felix", "Ilona", "Tomas", "Anya", "Pavel", "Greta", "Jonas", "Lena", "Emil"]
LAST = ["Kolar", "Braun", "Varga", "Reyes", "Lind", "Petrov", "Novak", "Holm", "Berg", "Costa"]
CITIES = ["Vienna", "Lisbon", "Geneva", "Oslo", "Prague", "Riga"]
TEMPLATES = [
    "{a} met {b} in {city} on Tuesday.",
    "{a} spoke by phone with {b} on Friday, her office said.",
    "{b} denied reports that {a} had met {b} in {city}.",
    "{a} has no plans to meet {b}.",
    "The Daily Courier reported that {a} called {b}.",
    "{a} will visit {city} next week.",
]


def write_inputs(root: Path, n: int, seed: int = 7) -> Path:
    """``n`` short articles (headline + two sentences) as root/story-NNN.txt; same seed, same
    bytes."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        a = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        b = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        city = rng.choice(CITIES)
        body = " ".join(t.format(a=a, b=b, city=city) for t in rng.sample(TEMPLATES, 2))
        (root / f"story-{i:03d}.txt").write_text(f"Story {i}\n\n{body}\n", encoding="utf-8")
    return root


def _default_sigint() -> None:
    # A shell starting the test run in the background (`make test &`, nohup) leaves SIGINT
    # ignored, and an ignored signal stays ignored across exec: Python would then never raise
    # KeyboardInterrupt. The command gets the terminal's default, as a user's shell gives it.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_kg(*args: str | os.PathLike[str]) -> subprocess.Popen[str]:
    """``python -m kg ARGS`` in the background, in its own process group (kill it with killpg)."""
    return subprocess.Popen(
        [sys.executable, "-m", "kg", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        start_new_session=True,
        preexec_fn=_default_sigint,
        env={**os.environ, "PYTHONUTF8": "1", "NO_COLOR": "1", "COLUMNS": "200"},
    )
