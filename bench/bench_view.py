"""Benchmark of the HTML view (not a test): build time, file size, time to a frozen layout.

``python bench/bench_view.py [--sizes 300 2000 10000] [--no-append]`` builds synthetic
projections (preferential attachment, 1.5 relations per entity, one evidence sentence each),
renders the page twice per size (the default first view of the 300 most central entities, and
every entity shown with ``--max-nodes N``), opens each page in headless Chromium
(/usr/bin/chromium, every request other than the file aborted) and measures the time from
navigation start to the frozen layout (``window.newskgView.frozen``). It prints a Markdown
table and appends it, with machine info and the command, to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from helpers_view import BROWSER_ARGS, synthetic_projection  # noqa: E402

from kg.view.render import DEFAULT_MAX_NODES, PHYSICS_MAX_NODES, render_projection  # noqa: E402

BENCHMARKS = ROOT / "BENCHMARKS.md"


def _frozen_ms(browser: Any, path: Path) -> tuple[float, float, int]:
    """(ms from navigation start to frozen layout, wall ms of goto->frozen, other requests)."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    url = path.resolve().as_uri()
    others: list[str] = []

    def route(r: Any) -> None:
        if r.request.url == url:
            r.continue_()
        else:
            others.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    t0 = time.perf_counter()
    page.goto(url, timeout=300_000)
    page.wait_for_function(
        "() => window.newskgView && window.newskgView.frozen", timeout=300_000, polling=20
    )
    wall = (time.perf_counter() - t0) * 1000
    frozen_at = float(page.evaluate("() => window.newskgView.frozenAt"))
    page.close()
    return frozen_at, wall, len(others)


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores{mem}; Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[300, 2000, 10000])
    ap.add_argument("--no-append", action="store_true", help="print only, do not append")
    args = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=BROWSER_ARGS)
        chrome = browser.version
        for n in args.sizes:
            t0 = time.perf_counter()
            proj = synthetic_projection(n)
            t_proj = time.perf_counter() - t0
            for label, max_nodes in (("first view", DEFAULT_MAX_NODES), ("all shown", n)):
                if label == "all shown" and n <= DEFAULT_MAX_NODES:
                    continue
                t1 = time.perf_counter()
                page = render_projection(proj, max_nodes=max_nodes)
                t_build = time.perf_counter() - t1
                path = Path(tmp) / f"view-{n}-{max_nodes}.html"
                path.write_text(page, encoding="utf-8")
                frozen, wall, others = _frozen_ms(browser, path)
                rows.append(
                    (
                        n,
                        len(proj.relations),
                        label,
                        min(n, max_nodes),
                        t_proj,
                        t_build,
                        path.stat().st_size,
                        frozen,
                        wall,
                        others,
                    )
                )
                print(rows[-1], flush=True)
        browser.close()

    table = [
        "| entities | relations | view | entities drawn | projection s | page build s | "
        "file MiB | frozen layout s (nav start) | goto->frozen s | other requests |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, rels, label, drawn, t_proj, t_build, size, frozen, wall, others in rows:
        table.append(
            f"| {n:,} | {rels:,} | {label} | {drawn:,} | {t_proj:.2f} | {t_build:.2f} | "
            f"{size / 1024 / 1024:.1f} | {frozen / 1000:.2f} | {wall / 1000:.2f} | {others} |"
        )
    text = "\n".join(table)
    print(text)
    if not args.no_append:
        section = (
            f"\n## View (`kg view`): build, size, time to a frozen layout\n\n"
            f"Command: `.venv/bin/python bench/bench_view.py --sizes "
            f"{' '.join(map(str, args.sizes))}`  \n"
            f"Machine: {_machine()}; Chromium {chrome} headless.  \n"
            "Synthetic projections (1.5 relations per entity). *first view* = the "
            f"{DEFAULT_MAX_NODES} most central entities (default `--max-nodes`); *all shown* = "
            f"`--max-nodes N`. Above {PHYSICS_MAX_NODES} drawn entities positions come from "
            f"Python and physics starts off; up to {PHYSICS_MAX_NODES} the browser stabilises, "
            "then freezes. *projection* = "
            "building the projection in Python (from a store, add the SPARQL read); "
            "*page build* = layout + HTML.\n\n"
            f"{text}\n"
        )
        if not BENCHMARKS.exists():
            BENCHMARKS.write_text("# Benchmarks\n", encoding="utf-8")
        with BENCHMARKS.open("a", encoding="utf-8") as fh:
            fh.write(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
