"""Shared helpers of the benchmarks: machine facts, timed subprocesses with the peak RSS of the
whole process tree, cached corpora, Markdown tables and the BENCHMARKS.md appender.

Benchmarks are not tests: they print a table and append it, with the machine, the library
versions, the date and the exact command, to BENCHMARKS.md. The machine is shared and noisy, so
every benchmark reports ratios between runs made in the same invocation, interleaved.
"""

from __future__ import annotations

import contextlib
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = Path(os.environ.get("NEWSKG_BENCHMARKS", ROOT / "BENCHMARKS.md"))
PYTHON = sys.executable
#: Where generated corpora and build outputs go (kept between runs: corpora are reproducible).
DEFAULT_WORK = Path(
    os.environ.get("NEWSKG_BENCH_DIR", Path(tempfile.gettempdir()) / "newskg-bench")
)

sys.path.insert(0, str(ROOT / "bench"))


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def cpu_model() -> str:
    """The CPU model from /proc/cpuinfo (platform's guess elsewhere)."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def ram_gib() -> float:
    """Total RAM in GiB from /proc/meminfo (0 when unknown)."""
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0.0


def machine() -> str:
    """One line: CPU, cores, RAM, OS, Python and the versions that matter, and the date."""
    return (
        f"{cpu_model()}, {os.cpu_count()} cores, {ram_gib():.1f} GiB RAM; "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}, "
        f"spaCy {_version('spacy')}, pyoxigraph {_version('pyoxigraph')}, "
        f"rdflib {_version('rdflib')}; "
        f"{datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}"
    )


def command_line(argv: Sequence[str] | None = None) -> str:
    """The command that ran this benchmark, as a user would type it from the project root."""
    args = list(sys.argv if argv is None else argv)
    script = Path(args[0]) if args else Path("bench")
    with contextlib.suppress(ValueError):
        script = script.resolve().relative_to(ROOT)
    py = Path(PYTHON)
    with contextlib.suppress(ValueError):
        py = py.relative_to(ROOT)
    return shlex.join([str(py), str(script), *args[1:]])


def kg(*args: str | Path) -> list[str]:
    """The ``kg`` command line run by this interpreter (``python -m kg ...``)."""
    return [PYTHON, "-m", "kg", *map(str, args)]


def show(cmd: Sequence[str | Path]) -> str:
    """A command as text, the interpreter shortened to ``python``."""
    return shlex.join(["python" if str(c) == PYTHON else str(c) for c in cmd])


@dataclass(frozen=True)
class Run:
    """One timed subprocess: wall seconds, peak RSS of its whole process tree (sampled), the
    largest single-process max RSS (``getrusage``), exit code and captured output, and the
    CPU seconds (user + system) of the process itself (its own children not counted)."""

    seconds: float
    peak_tree_rss: int
    max_process_rss: int
    returncode: int
    stdout: str
    stderr: str
    cpu_seconds: float = 0.0


def _tree_rss(pid: int) -> int:
    import psutil  # type: ignore[import-untyped]

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            continue
    return total


def run(
    cmd: Sequence[str | Path],
    *,
    check: bool = True,
    interval: float = 0.05,
    env: dict[str, str] | None = None,
) -> Run:
    """Run ``cmd``, timing it and sampling the RSS of its process tree every ``interval`` s.

    The single-process figure comes from ``wait4`` (exact); the tree figure is the largest sum
    of the tree's RSS seen by the sampler (workers included).
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen([str(c) for c in cmd], stdout=out, stderr=err, cwd=ROOT, env=env)
        peak = 0
        stop = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not stop.is_set():
                peak = max(peak, _tree_rss(proc.pid))
                stop.wait(interval)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        stop.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        result = Run(
            seconds,
            peak,
            int(usage.ru_maxrss) * 1024,
            proc.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            usage.ru_utime + usage.ru_stime,
        )
    if check and result.returncode != 0:
        raise RuntimeError(
            f"{show(cmd)} exited with {result.returncode}:\n{result.stderr[-2000:]}"
        )
    return result


def corpus(n: int, work: Path = DEFAULT_WORK, *, seed: int = 0, fmt: str = "txt") -> Path:
    """The generated corpus of ``n`` articles (written once under ``work``, then reused)."""
    from corpus import write_corpus

    base = work / f"corpus-{n}-s{seed}-{fmt}"
    done = base / ".complete"
    if not done.is_file():
        write_corpus(n, base, seed=seed, fmt=fmt)
        done.write_text("ok\n", encoding="utf-8")
    return base / "articles.jsonl" if fmt == "jsonl" else base


def median(values: Iterable[float]) -> float:
    return float(statistics.median(list(values)))


def mib(n_bytes: int) -> str:
    return f"{n_bytes / 1024 / 1024:,.0f} MiB"


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], align: str = "") -> str:
    """A Markdown table; ``align`` is one character per column (l or r; default l then r)."""
    align = align or "l" + "r" * (len(headers) - 1)
    lines = [
        "| " + " | ".join(headers) + " |",
        "|" + "|".join("---:" if a == "r" else "---" for a in align) + "|",
    ]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def append_section(title: str, body: str, *, argv: Sequence[str] | None = None) -> None:
    """Append ``## title`` with the machine line, the command and ``body`` to BENCHMARKS.md
    (created with a heading when missing; other sections are left as they are)."""
    text = (
        f"\n## {title}\n\n"
        f"Command: `{command_line(argv)}`  \n"
        f"Machine: {machine()}\n\n"
        f"{body.rstrip()}\n"
    )
    if not BENCHMARKS.exists():
        BENCHMARKS.write_text("# Benchmarks\n", encoding="utf-8")
    with BENCHMARKS.open("a", encoding="utf-8") as fh:
        fh.write(text)


def ratio(num: float, den: float) -> str:
    return f"{num / den:.2f}" if den else "n/a"


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


__all__ = [
    "BENCHMARKS",
    "DEFAULT_WORK",
    "PYTHON",
    "ROOT",
    "Run",
    "append_section",
    "command_line",
    "corpus",
    "cpu_model",
    "kg",
    "machine",
    "median",
    "mib",
    "ram_gib",
    "ratio",
    "run",
    "show",
    "table",
    "verdict",
]
