"""Benchmark of the HTML view (not a test): build time, file size, time to the first readable frame.

``python bench/bench_view.py [--sizes 300 2000 10000] [--no-append]`` builds synthetic
projections (preferential attachment, 1.5 relations per entity, one evidence sentence each),
renders the default page (the overview: at most 60 entities, the most central of each
community), opens it in headless Chromium (/usr/bin/chromium, 1400x900, every request other
than the file aborted) and measures the time from navigation start to the first frame drawn
(positions come from Python, so the first frame is the final one), with the number of labels
drawn inside the pane and the smallest label height on screen. It prints a Markdown table and
appends it, with machine info and the command, to BENCHMARKS.md.
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

from kg.view.overview import MIN_LABEL_PX  # noqa: E402
from kg.view.render import DEFAULT_MAX_NODES, render_projection  # noqa: E402

BENCHMARKS = ROOT / "BENCHMARKS.md"


def _first_frame(browser: Any, path: Path) -> tuple[float, float, int, int, float]:
    """(ms from navigation start to the first drawn frame, wall ms of goto->final frame
    (re-fitted on the measured labels), other requests, labels drawn on screen, smallest
    label height in CSS px)."""
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
    first = float(page.evaluate("() => window.newskgView.timing.firstDraw"))
    boxes = page.evaluate("() => newskgView.labelBoxes()")
    on = [b for b in boxes if b["onScreen"] and b["drawn"]]
    page.close()
    return first, wall, len(others), len(on), min((b["px"] for b in on), default=0.0)


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
            t1 = time.perf_counter()
            page = render_projection(proj)
            t_build = time.perf_counter() - t1
            path = Path(tmp) / f"view-{n}.html"
            path.write_text(page, encoding="utf-8")
            first, wall, others, labels, px = _first_frame(browser, path)
            rows.append(
                (
                    n,
                    len(proj.relations),
                    t_proj,
                    t_build,
                    path.stat().st_size,
                    first,
                    wall,
                    labels,
                    px,
                    others,
                )
            )
            print(rows[-1], flush=True)
        browser.close()

    table = [
        "| entities | relations | projection s | page build s | file MiB | first readable frame s "
        "(nav start) | goto->final frame s | labels drawn | smallest label px | other requests |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, rels, t_proj, t_build, size, first, wall, labels, px, others in rows:
        table.append(
            f"| {n:,} | {rels:,} | {t_proj:.2f} | {t_build:.2f} | {size / 1024 / 1024:.1f} | "
            f"{first / 1000:.2f} | {wall / 1000:.2f} | {labels} | {px:.1f} | {others} |"
        )
    text = "\n".join(table)
    print(text)
    if not args.no_append:
        section = (
            f"\n## View (`kg view`): time to the first readable frame\n\n"
            f"Command: `.venv/bin/python bench/bench_view.py --sizes "
            f"{' '.join(map(str, args.sizes))}`  \n"
            f"Machine: {_machine()}; Chromium {chrome} headless, 1400x900.  \n"
            "Synthetic projections (1.5 relations per entity). The page opens on the overview: "
            f"at most {DEFAULT_MAX_NODES} entities, the most central of each Louvain community, "
            "positions and label spacing from Python, physics off, so the first frame drawn is "
            "readable. *first readable frame* = navigation start to vis-network's "
            f"first drawing; *labels drawn* = entity labels inside the graph pane at the "
            f"initial zoom, each at least {MIN_LABEL_PX} px high (*smallest label px*). "
            "*projection* = building the projection in Python (from a store, add the SPARQL "
            "read); *page build* = communities, layout and HTML.\n\n"
            f"{text}\n"
        )
        if not BENCHMARKS.exists():
            BENCHMARKS.write_text("# Benchmarks\n", encoding="utf-8")
        with BENCHMARKS.open("a", encoding="utf-8") as fh:
            fh.write(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
