"""Benchmark of ``kg build`` (not a test): parallel speed-up, peak memory at scale, rebuilds.

``python bench/bench_build.py [--n 10000] [--parallel-n 1000] [--pairs 1] [--no-append]``:

1. ``kg build`` of ``--parallel-n`` articles with ``--workers 1`` then ``--workers 2``, ``--pairs``
   times (back to back, so each pair sees the same machine): speed-up of each pair and their
   median, byte-identical graph.nq / relations.jsonl, and the CPU seconds other processes used
   during each run (from /proc/stat: a figure well above 0 means a disturbed run);
2. a full build of ``--n`` articles (``--workers 2``), its wall time and the peak RSS of the
   whole process tree (sampled: parent and workers summed) and of the largest process
   (``wait4``);
3. rebuilds over the same inputs: unchanged; one article changed; one file gone with
   ``--prune``; each timed against the full build (``--n 0`` skips 2 and 3).

``--no-view`` throughout: the view has its own benchmark (bench/bench_view.py).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    DEFAULT_WORK,
    append_section,
    corpus,
    kg,
    median,
    mib,
    run,
    show,
    table,
    verdict,
)

TARGET_SPEEDUP = 1.7
TARGET_RSS = 2 * 1024**3
TARGET_REBUILD = 0.02


def _report(out: Path) -> dict[str, int]:
    data: dict[str, int] = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return data


def _same(a: Path, b: Path) -> bool:
    return all((a / n).read_bytes() == (b / n).read_bytes()
               for n in ("graph.nq", "relations.jsonl"))


def _busy_seconds() -> float:
    """CPU seconds all cores spent busy since boot (user, nice, system, irq, softirq)."""
    with open("/proc/stat", encoding="ascii") as fh:
        fields = fh.readline().split()
    return sum(int(fields[i]) for i in (1, 2, 3, 6, 7)) / os.sysconf("SC_CLK_TCK")


def _timed_build(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds of a build and the CPU seconds *other* processes used meanwhile."""
    def used() -> float:  # this process (its RSS sampler) and the build's process tree
        own = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    before, mine = _busy_seconds(), used()
    r = run(cmd, check=False)
    return r.seconds, max(0.0, _busy_seconds() - before - (used() - mine))


def parallel(
    n: int, work: Path, pairs: int = 1
) -> tuple[list[list[str]], dict[str, float], list[str]]:
    src = corpus(n, work)
    outs = {w: work / f"build-{n}-j{w}" for w in (1, 2)}
    cmds = {w: kg("build", src, "--out", outs[w], "--workers", str(w), "--no-view")
            for w in (1, 2)}
    rows, speedups, same = [], [], True
    for pair in range(1, pairs + 1):
        times, others = {}, {}
        for w in (1, 2):
            shutil.rmtree(outs[w], ignore_errors=True)
            times[w], others[w] = _timed_build(cmds[w])
            print(f"pair {pair}: build {n} -j{w}: {times[w]:.1f}s "
                  f"(other processes: {others[w]:.1f} CPU s)", flush=True)
        speedup = times[1] / times[2]
        speedups.append(speedup)
        same = same and _same(outs[1], outs[2])
        label = f"`kg build` {n:,} articles" + (f", pair {pair}" if pairs > 1 else "")
        rows += [
            [f"{label}, `--workers 1`", f"{times[1]:.1f}", f"{n / times[1]:.1f}",
             f"other processes: {others[1]:.0f} CPU s"],
            [f"{label}, `--workers 2`", f"{times[2]:.1f}", f"{n / times[2]:.1f}",
             f"speed-up {speedup:.2f}; other processes: {others[2]:.0f} CPU s"],
        ]
    mid = median(speedups)
    rows.append(
        [f"`--workers 2` / `--workers 1`{' (median of pairs)' if pairs > 1 else ''}", "", "",
         f"speed-up {mid:.2f} (>= {TARGET_SPEEDUP}: {verdict(mid >= TARGET_SPEEDUP)}); "
         f"output identical: {'yes' if same else '**no**'}"]
    )
    figures = {"build_speedup": mid, "identical": float(same)}
    return rows, figures, [show(cmds[1]), show(cmds[2])]


def scale(n: int, work: Path) -> tuple[list[list[str]], dict[str, float], list[str]]:
    src = corpus(n, work)
    inputs = work / f"rebuild-input-{n}"
    shutil.rmtree(inputs, ignore_errors=True)
    shutil.copytree(src, inputs)
    out = work / f"build-{n}"
    shutil.rmtree(out, ignore_errors=True)
    cmd = kg("build", inputs, "--out", out, "--workers", "2", "--no-view")
    full = run(cmd, check=False)
    print(f"full build {n}: {full.seconds:.1f}s, tree {mib(full.peak_tree_rss)}", flush=True)
    rep = _report(out)
    with open(out / "graph.nq", "rb") as fh:
        nq_lines = sum(1 for _ in fh)

    unchanged = run(cmd, check=False)
    assert _report(out)["skipped_unchanged"] == n, _report(out)
    files = sorted(p for p in inputs.rglob("*.txt"))
    changed = files[len(files) // 2]
    changed.write_text(changed.read_text(encoding="utf-8")
                       + "\nMarta Kolar met Felix Braun in Vienna on Monday.\n",
                       encoding="utf-8")
    one = run(cmd, check=False)
    r_one = _report(out)
    assert (r_one["articles"], r_one["skipped_unchanged"]) == (1, n - 1), r_one
    files[0].unlink()
    prune_cmd = [*cmd, "--prune"]
    pruned = run(prune_cmd, check=False)
    r_pr = _report(out)
    assert r_pr["pruned"] == 1, r_pr

    def share(s: float) -> str:
        return f"{s / full.seconds:.2%}"

    ok_rss = full.peak_tree_rss < TARGET_RSS
    ok_one = one.seconds / full.seconds < TARGET_REBUILD
    rows = [
        [f"full build, {n:,} articles, `--workers 2`", f"{full.seconds:.1f}",
         f"{n / full.seconds:.1f}",
         f"{rep['relations']['total']:,} relations, {nq_lines:,} quads; "  # type: ignore[index]
         f"peak RSS: tree {mib(full.peak_tree_rss)}, largest process "
         f"{mib(full.max_process_rss)} (< 2 GiB: {verdict(ok_rss)})"],
        ["rebuild, nothing changed", f"{unchanged.seconds:.1f}", "",
         f"{share(unchanged.seconds)} of the full build"],
        ["rebuild, 1 article changed", f"{one.seconds:.1f}", "",
         f"{share(one.seconds)} of the full build (< 2 %: {verdict(ok_one)})"],
        ["rebuild, 1 file gone, `--prune`", f"{pruned.seconds:.1f}", "",
         f"{share(pruned.seconds)} of the full build"],
    ]
    figures = {"full_s": full.seconds, "peak_tree_rss": float(full.peak_tree_rss),
               "rebuild_one_share": one.seconds / full.seconds}
    return rows, figures, [show(cmd), show(prune_cmd)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000,
                    help="articles of the scale run (0: no scale run)")
    ap.add_argument("--parallel-n", type=int, default=1000, help="articles of the -j run")
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK)
    ap.add_argument("--pairs", type=int, default=1, help="-j1/-j2 pairs to run back to back")
    ap.add_argument("--skip-parallel", action="store_true")
    ap.add_argument("--no-append", action="store_true", help="print only")
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    rows: list[list[str]] = []
    figures: dict[str, float] = {}
    cmds: list[str] = []
    if not args.skip_parallel:
        r, f, c = parallel(args.parallel_n, args.work, max(1, args.pairs))
        rows += r
        figures.update(f)
        cmds += c
    if args.n > 0:
        r, f, c = scale(args.n, args.work)
        rows += r
        figures.update(f)
        cmds += c
    body = "\n".join([
        "Generated corpus (`bench/corpus.py`, seed 0, one .txt per article). Peak RSS of the "
        "tree = largest sum of the RSS of the build and its workers, sampled every 50 ms; "
        "largest process = `wait4` max RSS. Rebuilds run the same command over the same "
        "directory: unchanged inputs are skipped by content hash, graph.nq is rewritten "
        "incrementally. Commands: " + ", ".join(f"`{c}`" for c in cmds) + ".",
        "",
        table(["run", "wall s", "articles/s", "figures"], rows, "lrrl"),
    ])
    print(body)
    print(json.dumps(figures))
    if not args.no_append:
        argv_used = [__file__, *(sys.argv[1:] if argv is None else argv)]
        append_section("Build: workers, memory at scale, incremental rebuilds", body,
                       argv=argv_used)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
