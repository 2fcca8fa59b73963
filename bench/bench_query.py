"""Benchmark of SPARQL (not a test): the example queries on ~1M quads, Oxigraph vs rdflib.

``python bench/bench_query.py [--records F] [--articles 5000] [--runs 7] [--no-append]`` takes
the relation records of the first N articles (sorted by document) of ``F`` (the
relations.jsonl of a build; without ``--records``, ``kg extract -j 2`` of N generated articles),
imports them with ``kg import`` into a fresh store, and times every ``examples/queries/*.rq``
plus one pair query: median of ``--runs`` runs on the embedded Oxigraph store after one warm-up
(the API behind ``kg query``: ``kg.query.run_query``, results collected as Python terms), and
one run on rdflib's in-memory engine (a ``Dataset`` loaded from the same N-Quads, default graph
= union), in a separate process with a per-query time limit. Row counts of both engines are
compared. ``$entity`` / ``$a`` / ``$b`` are bound to the most connected person and the most
frequent pair of the data (the worst case for a look-up).
"""

from __future__ import annotations

import argparse
import json
import math
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    DEFAULT_WORK,
    PYTHON,
    ROOT,
    append_section,
    corpus,
    kg,
    median,
    run,
    show,
    table,
    verdict,
)

QUERIES = ROOT / "examples" / "queries"
KG = "https://w3id.org/newskg/ontology#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"

#: One pair, both parties by name (the shape of entity-timeline.rq: labels inside each graph).
PAIR_QUERY = """# Every relation between two named parties, either way round, with its sentence.
PREFIX kg: <https://w3id.org/newskg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT DISTINCT ?a ?b ?type ?polarity ?modality ?article ?sentence ?relation WHERE {
  GRAPH ?g {
    ?x rdfs:label $a . ?y rdfs:label $b .
    { ?relation kg:subject ?x ; kg:object ?y } UNION { ?relation kg:subject ?y ; kg:object ?x }
    ?relation a ?class ; kg:polarity ?polarity ; kg:modality ?modality ;
        kg:evidence ?ev .
    ?ev kg:sentence ?sentence ; kg:article/dcterms:identifier ?article .
  }
  BIND (STRAFTER(STR(?class), STR(kg:)) AS ?type)
}
ORDER BY ?article ?type ?relation
"""

#: Targets: look-ups (one entity, one pair) and whole-graph queries, in seconds.
LOOKUP_S, AGGREGATE_S, RDFLIB_RATIO = 0.050, 1.0, 20.0


def records_subset(source: Path, articles: int, dest: Path) -> int:
    """Copy the lines of the first ``articles`` documents (in file order) of ``source``."""
    docs: set[str] = set()
    with open(source, encoding="utf-8") as src, open(dest, "w", encoding="utf-8") as out:
        for line in src:
            doc = json.loads(line).get("doc")
            if doc not in docs:
                if len(docs) == articles:
                    break
                docs.add(doc)
            out.write(line)
    return len(docs)


#: Whole-graph queries that list every matching relation (one row each) rather than aggregate.
LISTINGS = {"met-or-called.rq", "support-network.rq"}


def queries(params: dict[str, str]) -> list[tuple[str, str, str, dict[str, str]]]:
    """(name, kind, SPARQL, parameters) of every example query and the pair query.

    A query with ``$entity`` runs twice: for the most connected person (the worst case) and
    for the person of median degree (a typical look-up).
    """
    out = []
    for path in sorted(QUERIES.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        if "$entity" in text:
            out.append((path.name, "one entity (most connected)", text,
                        {"entity": params["entity"]}))
            out.append((f"{path.name} (typical)", "one entity (median degree)", text,
                        {"entity": params["typical_entity"]}))
            continue
        kind = "whole graph, listing" if path.name in LISTINGS else "whole graph, aggregate"
        out.append((path.name, kind, text, {}))
    out.append(("(bench) one pair", "one pair", PAIR_QUERY,
                {"a": params["a"], "b": params["b"]}))
    return out


def pick_params(store: Any) -> dict[str, str]:
    """The most connected person, the person of median degree and the most frequent meeting
    pair (labels)."""
    from kg.query import run_query

    people = run_query(store, f"""
        SELECT ?label (COUNT(DISTINCT ?r) AS ?n) WHERE {{
          GRAPH ?g {{ ?r <{KG}subject>|<{KG}object> ?e . ?e a <{KG}Person> ;
                        <{RDFS_LABEL}> ?label }} }}
        GROUP BY ?label ORDER BY DESC(?n) ?label""").records()  # type: ignore[union-attr]
    pair = run_query(store, f"""
        SELECT ?a ?b (COUNT(DISTINCT ?r) AS ?n) WHERE {{
          GRAPH ?g {{ ?r a <{KG}Meeting> ; <{KG}subject>/<{RDFS_LABEL}> ?a ;
                        <{KG}object>/<{RDFS_LABEL}> ?b }} }}
        GROUP BY ?a ?b ORDER BY DESC(?n) ?a ?b LIMIT 1""")
    t, m = people[0], people[len(people) // 2]
    p = pair.records()[0]  # type: ignore[union-attr]
    return {"entity": str(t["label"]), "a": str(p["a"]), "b": str(p["b"]),
            "entity_relations": str(t["n"]), "pair_relations": str(p["n"]),
            "typical_entity": str(m["label"]), "typical_relations": str(m["n"])}


def oxigraph_times(out_dir: Path, qs: list[tuple[str, str, str, dict[str, str]]],
                   runs: int) -> dict[str, tuple[float, float, int]]:
    """name -> (median s, min s, rows) on the embedded store."""
    from kg.query import SelectResult, run_query
    from kg.store import open_store

    result: dict[str, tuple[float, float, int]] = {}
    with open_store(out_dir, read_only=True) as store:
        for name, _kind, sparql, binds in qs:
            times = []
            rows = 0
            for _ in range(runs + 1):  # the first run warms the caches
                t = time.perf_counter()
                res = run_query(store.store, sparql, params=binds or None)
                times.append(time.perf_counter() - t)
                rows = len(res) if isinstance(res, SelectResult) else 1
            result[name] = (median(times[1:]), min(times[1:]), rows)
            print(f"oxigraph {name}: {result[name][0] * 1000:.1f} ms, {rows} rows", flush=True)
    return result


class _Timeout(Exception):
    pass


def rdflib_side(nq: Path, spec: Path, timeout: int) -> None:
    """In its own process: load ``nq`` into an rdflib Dataset (default graph = union) and run
    the queries of ``spec`` once each, stopping any at ``timeout`` s; JSON lines on stdout."""
    import rdflib
    from rdflib import Literal, URIRef

    from kg.query import PREFIXES

    t = time.perf_counter()
    ds = rdflib.Dataset(default_union=True)
    ds.parse(nq, format="nquads")
    print(json.dumps({"load_s": time.perf_counter() - t, "quads": len(ds)}), flush=True)

    def on_alarm(_sig: int, _frame: Any) -> None:
        raise _Timeout

    signal.signal(signal.SIGALRM, on_alarm)
    for name, _kind, sparql, binds in json.loads(spec.read_text(encoding="utf-8")):
        init = {k: (URIRef(v[1:-1]) if v.startswith("<") else Literal(v))
                for k, v in binds.items()}
        t = time.perf_counter()
        signal.alarm(timeout)
        error = None
        try:
            rows: int | None = len(list(ds.query(sparql, initNs=PREFIXES, initBindings=init)))
        except _Timeout:
            rows = None
        except Exception as exc:  # an rdflib failure is a result too: reported, not fatal
            rows, error = None, f"{type(exc).__name__}: {exc}"
        finally:
            signal.alarm(0)
        print(json.dumps({"name": name, "s": time.perf_counter() - t, "rows": rows,
                          "error": error}), flush=True)


def benchmark(records: Path | None, articles: int, work: Path, runs: int,
              timeout: int, parallel: bool = True) -> tuple[str, dict[str, float]]:
    commands = []
    if records is None:
        records = work / f"query-extract-{articles}.jsonl"
        if not records.is_file():
            cmd = kg("extract", corpus(articles, work), "-j", "2", "-o", records)
            commands.append(show(cmd))
            run(cmd)
    subset = work / f"query-records-{articles}.jsonl"
    if subset.resolve() == records.resolve():
        # the subset file itself given as --records: copying it onto itself would empty it
        subset = work / f"query-records-{articles}-subset.jsonl"
    docs = records_subset(records, articles, subset)
    out_dir = work / f"query-store-{articles}"
    if out_dir.exists():
        import shutil

        shutil.rmtree(out_dir)
    imp = kg("import", subset, "--out", out_dir)
    commands.append(show(imp))
    import_s = run(imp).seconds

    import pyoxigraph as ox

    from kg.store import open_store

    nq = work / f"query-{articles}.nq"
    with open_store(out_dir, read_only=True) as store:
        quads = len(store.store)
        params = pick_params(store.store)
        ox.serialize(store.store, output=str(nq), format=ox.RdfFormat.N_QUADS)
    qs = queries(params)
    spec = work / "query-spec.json"
    spec.write_text(json.dumps(qs), encoding="utf-8")
    rdflib_cmd: list[str | Path] = [PYTHON, __file__, "--rdflib", nq, "--spec", spec,
                                    "--timeout", str(timeout)]
    # rdflib (one process, one core) loads and runs while Oxigraph is timed on the other core:
    # the rdflib side alone takes most of the benchmark's time.
    side_box: list[Any] = []
    side_thread = threading.Thread(target=lambda: side_box.append(run(rdflib_cmd)))
    if parallel:
        side_thread.start()
    ox_times = oxigraph_times(out_dir, qs, runs)
    if parallel:
        side_thread.join()
    else:
        side_thread.run()
    side = side_box[0]
    lines = [json.loads(x) for x in side.stdout.splitlines() if x.startswith("{")]
    load = lines[0]
    rd = {x["name"]: x for x in lines[1:]}

    rows_out = []
    worst_ratio = float("inf")
    all_met = True
    for name, kind, _sparql, _binds in qs:
        med, best, n_rows = ox_times[name]
        r = rd.get(name, {"s": float("nan"), "rows": None, "error": "not run"})
        limit = AGGREGATE_S if kind.startswith("whole graph") else LOOKUP_S
        failed = r.get("error")
        stopped = r["rows"] is None and not failed
        ratio = r["s"] / med if med and not failed else float("nan")
        if not failed:
            worst_ratio = min(worst_ratio, ratio)
        fast = med < limit
        ok = fast and not failed and ratio >= RDFLIB_RATIO
        all_met = all_met and ok
        if failed:
            rd_cell, ratio_cell = f"fails ({str(failed)[:60]})", "n/a"
        else:
            rd_cell = f">{timeout} (stopped)" if stopped else f"{r['s']:.2f}"
            ratio_cell = (">" if stopped else "") + f"{ratio:,.0f}"
        rows_cell = f"{n_rows:,}" + ("" if r["rows"] is None or r["rows"] == n_rows
                                      else f" (rdflib {r['rows']:,})")
        rows_out.append([
            f"`{name}`", kind, rows_cell, f"{med * 1000:.1f}", f"{best * 1000:.1f}", rd_cell,
            ratio_cell,
            (f"< {limit * 1000:.0f} ms: {verdict(fast)}; >= {RDFLIB_RATIO:.0f}x: "
             + ("no rdflib figure" if failed
                # stopped: the ratio is a lower bound, so below the target it shows nothing
                else "not shown (rdflib stopped)" if stopped and ratio < RDFLIB_RATIO
                else verdict(not math.isnan(ratio) and ratio >= RDFLIB_RATIO))),
        ])
    body = [
        f"{docs:,} articles' records (generated corpus, seed 0) imported with `kg import` "
        f"in {import_s:.1f} s: **{quads:,} quads** in the store ({load['quads']:,} loaded by "
        f"rdflib in {load['load_s']:.0f} s). Oxigraph: median of {runs} runs after one warm-up, "
        "through `kg.query.run_query` (rows collected); rdflib "
        f"{_version('rdflib')}: one run per query, `Dataset(default_union=True)`, stopped at "
        f"{timeout} s, in its own process"
        + (" while Oxigraph was timed on the other core" if parallel else "")
        + f". Parameters: `entity={params['entity']}` (the most connected person, "
        f"{params['entity_relations']} relations; and `{params['typical_entity']}`, the person "
        f"of median degree, {params['typical_relations']} relations), `a={params['a']}`, "
        f"`b={params['b']}` "
        f"(the most frequent meeting pair, {params['pair_relations']} meetings). Commands: "
        + ", ".join(f"`{c}`" for c in commands) + ".",
        "",
        table(["query", "kind", "rows", "Oxigraph median ms", "min ms", "rdflib s",
               "rdflib / Oxigraph", "target"], rows_out, "llrrrrrl"),
    ]
    figures = {"quads": float(quads), "worst_rdflib_ratio": worst_ratio,
               "all_met": float(all_met)}
    return "\n".join(body), figures


def oxigraph_only(articles: int, work: Path, runs: int) -> str:
    """Oxigraph alone on the store a previous run built (nothing else running): the latency
    figures without rdflib loading on the other core."""
    from kg.store import open_store

    out_dir = work / f"query-store-{articles}"
    if not out_dir.is_dir():
        raise SystemExit(f"{out_dir}: no store; run without --oxigraph-only first")
    with open_store(out_dir, read_only=True) as store:
        quads = len(store.store)
        params = pick_params(store.store)
    qs = queries(params)
    times = oxigraph_times(out_dir, qs, runs)
    rows_out = []
    for name, kind, _sparql, _binds in qs:
        med, best, n_rows = times[name]
        limit = AGGREGATE_S if kind.startswith("whole graph") else LOOKUP_S
        rows_out.append([f"`{name}`", kind, f"{n_rows:,}", f"{med * 1000:.1f}",
                         f"{best * 1000:.1f}", f"< {limit * 1000:.0f} ms: {verdict(med < limit)}"])
    return "\n".join([
        f"Store `{out_dir}` ({quads:,} quads, built by the run above), Oxigraph alone: median of "
        f"{runs} runs after one warm-up through `kg.query.run_query`, nothing else running. "
        f"Parameters as above (`entity={params['entity']}`, typical "
        f"`{params['typical_entity']}`, pair `{params['a']}` / `{params['b']}`).",
        "",
        table(["query", "kind", "rows", "median ms", "min ms", "target"], rows_out, "llrrrl"),
    ])


def _version(dist: str) -> str:
    from importlib import metadata

    return metadata.version(dist)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=Path, help="relations.jsonl of a build (default: extract)")
    ap.add_argument("--articles", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--timeout", type=int, default=120, help="rdflib limit per query, s")
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK)
    ap.add_argument("--no-append", action="store_true", help="print only")
    ap.add_argument("--oxigraph-only", action="store_true",
                    help="time Oxigraph alone on a previous run's store (no import, no rdflib)")
    ap.add_argument("--sequential", action="store_true",
                    help="run rdflib after Oxigraph instead of on the other core meanwhile")
    ap.add_argument("--rdflib", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--spec", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.rdflib:
        rdflib_side(args.rdflib, args.spec, args.timeout)
        return 0
    args.work.mkdir(parents=True, exist_ok=True)
    if args.oxigraph_only:
        body = oxigraph_only(args.articles, args.work, args.runs)
        print(body)
        if not args.no_append:
            argv_used = [__file__, *(sys.argv[1:] if argv is None else argv)]
            append_section("SPARQL: example queries on ~1M quads, Oxigraph alone", body,
                           argv=argv_used)
        return 0
    body, figures = benchmark(args.records, args.articles, args.work, args.runs, args.timeout,
                              parallel=not args.sequential)
    print(body)
    print(json.dumps(figures))
    if not args.no_append:
        argv_used = [__file__, *(sys.argv[1:] if argv is None else argv)]
        append_section("SPARQL: example queries on ~1M quads, Oxigraph vs rdflib", body,
                       argv=argv_used)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
