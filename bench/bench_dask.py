"""Benchmark of ``kg build`` on Dask (not a test): the overhead of a Dask cluster against the
local process pool, and a paper projection to a cluster of machines.

``python bench/bench_dask.py [--n 1000] [--machines 10] [--cores 8]`` builds the same corpus,
in one run, with ``--workers 1``, ``--workers 2`` and ``--scheduler`` of a ``LocalCluster`` of 2
single-threaded worker processes (started before the timed build and warmed up, as a standing
cluster is; the model loads inside each timed build in all three cases). It checks that the
three outputs are byte-identical, states the overhead of Dask against ``--workers 2`` in wall
and CPU seconds (target: within 10 %), and the CPU seconds the process writing the store used,
which bounds what one ``kg build`` can take in from any number of workers.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_build import _busy_seconds, _same
from common import DEFAULT_WORK, append_section, corpus, kg, run, show, table, verdict

TARGET_OVERHEAD = 0.10


def _children_cpu() -> float:
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return kids.ru_utime + kids.ru_stime


def _timed(cmd: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds of the ``kg`` process tree (workers of a local pool included,
    a cluster's workers not), and CPU seconds every process on the machine used meanwhile."""
    busy, cpu = _busy_seconds(), _children_cpu()
    r = run(cmd)
    return r.seconds, _children_cpu() - cpu, _busy_seconds() - busy


def _own_cpu() -> float:
    """CPU seconds of the calling process (run on each Dask worker)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000, help="articles")
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK)
    ap.add_argument("--machines", type=int, default=10, help="machines of the projection")
    ap.add_argument("--cores", type=int, default=8, help="cores per machine (projection)")
    ap.add_argument("--dask-defaults", action="store_true",
                    help="start the cluster with Dask's defaults, not kg.cluster.WORKER_CONFIG")
    ap.add_argument("--no-append", action="store_true", help="print only")
    args = ap.parse_args(argv)
    import distributed

    n = args.n
    args.work.mkdir(parents=True, exist_ok=True)
    src = corpus(n, args.work)
    outs = {k: args.work / f"dask-{n}-{k}" for k in ("j1", "j2", "dask")}
    for out in outs.values():
        shutil.rmtree(out, ignore_errors=True)
    import dask

    from kg.cluster import WORKER_CONFIG

    # As docs/SCALE.md recommends for extraction workers: no statistical profiler, glibc's
    # own memory trimming (kg.cluster.WORKER_CONFIG says why).
    if not args.dask_defaults:
        dask.config.set(WORKER_CONFIG)
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    client = distributed.Client(cluster)
    try:
        # warm-up: the worker processes import kg (as a standing cluster's workers have)
        client.run(lambda: __import__("kg.extraction.pipeline"))
        cmds = {
            "j1": kg("build", src, "--out", outs["j1"], "--workers", "1", "--no-view"),
            "j2": kg("build", src, "--out", outs["j2"], "--workers", "2", "--no-view"),
            "dask": kg("build", src, "--out", outs["dask"], "--no-view",
                       "--scheduler", cluster.scheduler_address),
        }
        times: dict[str, tuple[float, float, float]] = {}
        worker_cpu = 0.0
        for key, cmd in cmds.items():
            before = client.run(_own_cpu)
            times[key] = _timed(cmd)
            if key == "dask":  # add the workers' CPU seconds to the kg process's
                after = client.run(_own_cpu)
                assert set(after) == set(before), "a worker was replaced during the run"
                worker_cpu = sum(after[w] - before[w] for w in after)
            print(f"{key}: {times[key][0]:.1f} s wall, kg process tree {times[key][1]:.1f} "
                  f"CPU s, machine {times[key][2]:.1f} CPU s", flush=True)
    finally:
        client.close()
        cluster.close()
        time.sleep(0.5)
    same = _same(outs["j1"], outs["j2"]) and _same(outs["j1"], outs["dask"])
    t1, t2, td = times["j1"][0], times["j2"][0], times["dask"][0]
    c1, c2 = times["j1"][1], times["j2"][1]
    writer_cpu = times["dask"][1]  # the kg process alone: reading, the store, the outputs
    cd = writer_cpu + worker_cpu
    overhead, cpu_overhead = td / t2 - 1, cd / c2 - 1
    per_core = n / c1  # articles per CPU second of one process doing everything
    writer_rate = n / writer_cpu if writer_cpu else float("inf")
    efficiency = c1 / cd  # CPU of the local single process / CPU of the cluster build
    cores = args.machines * args.cores
    projected = min(cores * per_core * efficiency, writer_rate)
    rows = [
        [f"`--workers 1`, {n:,} articles", f"{t1:.1f}", f"{c1:.1f}",
         f"per-core rate {per_core:.2f} articles per CPU s; machine busy "
         f"{times['j1'][2]:.0f} CPU s"],
        ["`--workers 2`", f"{t2:.1f}", f"{c2:.1f}",
         f"speed-up {t1 / t2:.2f}; machine busy {times['j2'][2]:.0f} CPU s"],
        ["`--scheduler` LocalCluster, 2 workers x 1 thread"
         + (", Dask's defaults" if args.dask_defaults else ", `WORKER_CONFIG`"), f"{td:.1f}",
         f"{cd:.1f}",
         f"overhead vs `--workers 2`: wall {overhead:+.1%}, CPU {cpu_overhead:+.1%} (within "
         f"{TARGET_OVERHEAD:.0%}: wall {verdict(overhead <= TARGET_OVERHEAD)}, CPU "
         f"{verdict(cpu_overhead <= TARGET_OVERHEAD)}); workers {worker_cpu:.1f} CPU s, the kg "
         f"process {writer_cpu:.1f} CPU s (at most {writer_rate:.0f} articles/s from one "
         f"`kg build`); machine busy {times['dask'][2]:.0f} CPU s"],
        ["output identical (graph.nq, relations.jsonl)", "", "", "yes" if same else "**no**"],
    ]
    projection = (
        f"On paper: {args.machines} machines x {args.cores} cores = {cores} single-threaded "
        f"workers at the measured {per_core:.2f} articles per CPU second and {efficiency:.2f} "
        f"efficiency would extract {cores * per_core * efficiency:,.0f} articles/s; one "
        f"`kg build` writing the store takes in at most about {writer_rate:,.0f} articles/s "
        f"(its CPU seconds above), so the cluster build runs at about {projected:,.0f} "
        f"articles/s ({projected * 3600:,.0f} an hour, 1M articles in "
        f"{1e6 / projected / 60:,.0f} min). Past the writer's limit, `kg extract --shards` on "
        "the cluster and `kg load` (a bulk load) remove the single writer from the path."
    )
    body = "\n".join([
        "Generated corpus (`bench/corpus.py`, seed 0, one .txt per article), `--no-view`. "
        "The three builds run back to back in one invocation; the machine is shared with "
        "other agents' work, so 'machine busy' (CPU seconds of every process, /proc/stat) "
        "above the build's own says how disturbed each run was, and CPU seconds (the kg "
        "process tree; for Dask the kg process plus the cluster's workers, from getrusage) "
        "are the figures that sharing the machine disturbs least. Commands: "
        + ", ".join(f"`{show(c)}`" for c in cmds.values()) + ".",
        "",
        table(["run", "wall s", "CPU s", "figures"], rows, "lrrl"),
        "",
        projection,
    ])
    print(body)
    print(json.dumps({"overhead": overhead, "cpu_overhead": cpu_overhead, "per_core": per_core,
                      "writer_rate": writer_rate, "identical": same}))
    if not args.no_append:
        append_section(f"Dask: {n:,} articles, local pool vs LocalCluster", body)
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
