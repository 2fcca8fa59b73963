"""``make bench``: every benchmark in turn, each appending its table to BENCHMARKS.md.

``python bench/run.py [--quick]``: extraction (``kg extract`` vs bare spaCy, workers), build
(parallel build, 10,000 articles' memory, incremental rebuilds), SPARQL (example queries on
about 1M quads vs rdflib, from the 10,000-article build's records), the view
(bench/bench_view.py) and Dask against the local pool (bench/bench_dask.py). ``--quick``
shrinks every size for a smoke run (figures not comparable to the targets). Generated corpora
and outputs go to $NEWSKG_BENCH_DIR (default: a ``newskg-bench`` folder in the temp directory)
and are reused.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_build  # noqa: E402
import bench_extract  # noqa: E402
import bench_query  # noqa: E402
from common import DEFAULT_WORK  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK)
    ap.add_argument("--only", nargs="+", choices=["extract", "build", "query", "view", "dask"],
                    help="run only these benchmarks")
    ap.add_argument("--no-append", action="store_true", help="print only")
    args = ap.parse_args(argv)
    work = str(args.work)
    extra = ["--no-append"] if args.no_append else []
    n_extract, n_build, n_par, n_query = (
        (60, 200, 60, 150) if args.quick else (1000, 10_000, 1000, 5000)
    )
    steps = args.only or ["extract", "build", "query", "view", "dask"]
    t0 = time.perf_counter()
    if "extract" in steps:
        bench_extract.main(["--n", str(n_extract), "--work", work, *extra])
    if "build" in steps:
        bench_build.main(["--n", str(n_build), "--parallel-n", str(n_par), "--work", work,
                          *extra])
    if "query" in steps:
        records = args.work / f"build-{n_build}" / "relations.jsonl"
        rec = ["--records", str(records)] if records.is_file() else []
        bench_query.main(["--articles", str(n_query), "--work", work, *rec, *extra])
    if "view" in steps:
        import bench_view

        sizes = ["300", "2000"] if args.quick else ["300", "2000", "10000"]
        bench_view.main(["--sizes", *sizes, *extra])
    if "dask" in steps:
        import bench_dask

        bench_dask.main(["--n", str(n_par), "--work", work, *extra])
    print(f"benchmarks done in {time.perf_counter() - t0:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
