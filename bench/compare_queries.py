"""Old and new text of the example queries on one store (not a test): same rows? how fast?

``python bench/compare_queries.py STORE_DIR OLD_COMMIT [--runs 3] [--entity NAME]`` runs each
``examples/queries/*.rq`` as it was at ``OLD_COMMIT`` (``git show``) and as it is now, one after
the other in one process through ``kg.query.run_query``, and prints the median seconds of each
and whether the rows are the same (order included; comma-separated aggregate cells compared as
sets). A rewrite for speed must keep the rows.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, table


def _rows(result: object) -> list[tuple[str, ...]]:
    def cell(term: object) -> str:
        text = "" if term is None else str(getattr(term, "value", term))
        return ", ".join(sorted(text.split(", "))) if ", " in text else text

    return [tuple(cell(t) for t in row) for row in getattr(result, "rows", ())]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path, help="an output directory of kg build / kg import")
    ap.add_argument("old", help="git commit with the old query texts")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--entity", default="Belmora", help="$entity for entity-timeline.rq")
    args = ap.parse_args(argv)

    from kg.query import run_query
    from kg.store import open_store

    out = []
    with open_store(args.store, read_only=True) as gs:
        for path in sorted((ROOT / "examples" / "queries").glob("*.rq")):
            rel = path.relative_to(ROOT).as_posix()
            old = subprocess.run(["git", "show", f"{args.old}:{rel}"], cwd=ROOT,
                                 capture_output=True, text=True)
            if old.returncode != 0:
                continue  # the query is new
            timings = []
            rows = []
            for text in (old.stdout, path.read_text(encoding="utf-8")):
                params = {"entity": args.entity} if "$entity" in text else None
                ts = []
                for _ in range(args.runs):
                    t = time.perf_counter()
                    res = run_query(gs.store, text, params=params)
                    ts.append(time.perf_counter() - t)
                timings.append(statistics.median(ts))
                rows.append(_rows(res))
            out.append([f"`{path.name}`", f"{len(rows[1]):,}", f"{timings[0]:.3f}",
                        f"{timings[1]:.3f}", "yes" if rows[0] == rows[1] else
                        ("same set" if sorted(rows[0]) == sorted(rows[1]) else "**no**")])
            print(out[-1], flush=True)
    print(table(["query", "rows", "old s", "new s", "same rows"], out, "lrrrl"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
