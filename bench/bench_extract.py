"""Benchmark of extraction (not a test): ``kg extract`` against bare spaCy, and 2 workers vs 1.

``python bench/bench_extract.py [--n 1000] [--rounds 1] [--no-append]`` generates N articles
(bench/corpus.py, seeded), writes the exact segment texts the pipeline parses (read + clean, no
spaCy) to a JSONL file, then, interleaved in each round, times three subprocesses:

* bare spaCy: load the same model as spaCy ships it (``spacy.load``: none of newskg's
  components), ``nlp.pipe`` over those segment texts, consume the docs;
* the same parse as newskg runs it (``load_model``: the repairs component added, both
  attribute rulers run as table lookups), to tell the extractor's own cost from the parse's;
* ``kg extract DIR -o F -j 1``;
* ``kg extract DIR -o F -j 2`` (its output must be byte-identical to ``-j 1``).

Both sides pay the interpreter start-up and the model load, so the wall-clock ratio compares
like with like. A stage split (clean / parse / entities / relations / records) measured in
process on a sample, and a cProfile of the same, say where the time beyond the parse goes.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    DEFAULT_WORK,
    PYTHON,
    append_section,
    corpus,
    kg,
    median,
    run,
    show,
    table,
    verdict,
)

TARGET_RATIO = 0.8
TARGET_SPEEDUP = 1.7


def segment_texts(src: Path, dest: Path) -> dict[str, int]:
    """Write the segment texts ``kg extract`` parses for ``src`` to ``dest`` (JSONL strings)."""
    from kg.extraction.clean import clean_article
    from kg.extraction.nlp import article_segments
    from kg.extraction.read import read_inputs
    from kg.model import Article

    articles = segments = chars = 0
    with open(dest, "w", encoding="utf-8") as fh:
        for item in read_inputs([src]):
            if not isinstance(item, Article):
                continue
            art = clean_article(item)
            articles += 1
            for seg in article_segments(art):
                text = art.text[seg.start : seg.end]
                segments += 1
                chars += len(text)
                fh.write(json.dumps(text, ensure_ascii=False) + "\n")
    return {"articles": articles, "segments": segments, "chars": chars}


def bare(texts_path: Path, batch_size: int | None, ours: bool) -> None:
    """The bare side (run in its own process): the model as spaCy loads it (or, with ``ours``,
    as newskg loads it), ``nlp.pipe``, nothing else."""
    t0 = time.perf_counter()
    from kg.extraction.nlp import DEFAULT_MODELS, load_model

    if ours:
        nlp = load_model()
    else:
        import spacy

        nlp = next(n for n in (_stock(m, spacy) for m in DEFAULT_MODELS) if n is not None)
    t1 = time.perf_counter()
    with open(texts_path, encoding="utf-8") as fh:
        texts = [json.loads(line) for line in fh]
    kwargs: dict[str, Any] = {} if batch_size is None else {"batch_size": batch_size}
    tokens = sum(len(doc) for doc in nlp.pipe(texts, **kwargs))
    t2 = time.perf_counter()
    print(json.dumps({"load_s": t1 - t0, "pipe_s": t2 - t1, "docs": len(texts),
                      "tokens": tokens, "pipes": nlp.pipe_names}))


def _stock(name: str, spacy: Any) -> Any:
    try:
        return spacy.load(name)
    except OSError:
        return None


def stages(src: Path, limit: int, profile_out: Path | None) -> dict[str, Any]:
    """Seconds per stage over the first ``limit`` articles, in this process, as the pipeline
    runs them (chunks of CHUNK articles, ``parse_articles`` batching); cProfile when asked."""
    from kg.builder import graph_lines
    from kg.extraction.clean import clean_article
    from kg.extraction.entities import resolve_entities
    from kg.extraction.nlp import load_model, parse_articles
    from kg.extraction.pipeline import CHUNK
    from kg.extraction.read import read_inputs
    from kg.extraction.relations import extract_relations
    from kg.model import Article, ArticleGraph

    nlp = load_model()
    arts = [a for a in read_inputs([src]) if isinstance(a, Article)][:limit]
    spent = dict.fromkeys(("clean", "parse", "entities", "relations", "records"), 0.0)

    def once() -> None:
        for i in range(0, len(arts), CHUNK):
            t = time.perf_counter()
            cleaned = [clean_article(a) for a in arts[i : i + CHUNK]]
            t2 = time.perf_counter()
            parsed = list(parse_articles(cleaned, nlp))
            t3 = time.perf_counter()
            spent["clean"] += t2 - t
            spent["parse"] += t3 - t2
            for p in parsed:
                t = time.perf_counter()
                ents = resolve_entities(p)
                t2 = time.perf_counter()
                rels = extract_relations(p, ents)
                t3 = time.perf_counter()
                lines = list(graph_lines(ArticleGraph(p.article, tuple(ents.entities),
                                                      tuple(rels))))
                t4 = time.perf_counter()
                spent["entities"] += t2 - t
                spent["relations"] += t3 - t2
                spent["records"] += t4 - t3
                del lines

    list(nlp.pipe(["Warm-up sentence for the model."]))
    once()
    result: dict[str, Any] = {"articles": len(arts), "seconds": spent}
    if profile_out is not None:
        prof = cProfile.Profile()
        prof.runcall(once)
        buf = io.StringIO()
        stats = pstats.Stats(prof, stream=buf)
        stats.sort_stats("tottime").print_stats(r"kg/", 15)
        stats.sort_stats("cumulative").print_stats(
            r"kg/extraction/(entities|relations|context)", 15
        )
        profile_out.write_text(buf.getvalue(), encoding="utf-8")
    return result


def _stage_run(src: Path, limit: int, profile: Path | None) -> dict[str, Any]:
    cmd: list[str | Path] = [PYTHON, __file__, "--stages", str(src), "--n", str(limit)]
    if profile is not None:
        cmd += ["--profile-out", profile]
    out = run(cmd).stdout.strip().splitlines()[-1]
    data: dict[str, Any] = json.loads(out)
    return data


def benchmark(n: int, work: Path, rounds: int, batch_size: int | None,
              profile_n: int) -> tuple[str, dict[str, float]]:
    src = corpus(n, work)
    texts = work / f"segments-{n}.jsonl"
    counts = segment_texts(src, texts)
    out1, out2 = work / f"extract-{n}-j1.jsonl", work / f"extract-{n}-j2.jsonl"
    bare_cmd: list[str | Path] = [PYTHON, __file__, "--bare", texts]
    if batch_size is not None:
        bare_cmd += ["--batch-size", str(batch_size)]
    ours_cmd = [*bare_cmd, "--ours"]
    j1_cmd, j2_cmd = kg("extract", src, "-o", out1, "-j", "1"), kg("extract", src, "-o", out2,
                                                                     "-j", "2")
    times: dict[str, list[float]] = {"bare": [], "ours": [], "j1": [], "j2": []}
    cpu: dict[str, list[float]] = {"bare": [], "j1": []}  # CPU seconds of the one process
    inner: list[dict[str, Any]] = []
    identical = True
    failed = {"j1": 0, "j2": 0}
    for r in range(rounds):
        b = run(bare_cmd)
        inner.append(json.loads(b.stdout.strip().splitlines()[-1]))
        times["bare"].append(b.seconds)
        cpu["bare"].append(b.cpu_seconds)
        times["ours"].append(run(ours_cmd).seconds)
        for key, cmd in (("j1", j1_cmd), ("j2", j2_cmd)):
            r_ = run(cmd, check=False)  # a failed article is counted, not fatal
            times[key].append(r_.seconds)
            if key in cpu:
                cpu[key].append(r_.cpu_seconds)
            failed[key] = r_.stderr.count("kg: error:")
        identical = identical and out1.read_bytes() == out2.read_bytes()
        print(f"round {r + 1}: " + ", ".join(f"{k} {v[-1]:.1f}s" for k, v in times.items()),
              flush=True)
    bare_s, ours_s, j1_s, j2_s = (median(times[k]) for k in ("bare", "ours", "j1", "j2"))
    rel_ratio, speedup = bare_s / j1_s, j1_s / j2_s
    round_ratios = [b / j for b, j in zip(times["bare"], times["j1"], strict=True)]
    cpu_ratios = [b / j for b, j in zip(cpu["bare"], cpu["j1"], strict=True)]
    load_s = median(i["load_s"] for i in inner)
    pipe_s = median(i["pipe_s"] for i in inner)
    profile = work / f"profile-extract-{profile_n}.txt"
    split = _stage_run(src, profile_n, None)
    _stage_run(src, profile_n, profile)
    secs = split["seconds"]
    total = sum(secs.values())
    rows = [
        ["bare spaCy `nlp.pipe` (same model as spaCy loads it, same segment texts)",
         f"{bare_s:.1f}", f"{n / bare_s:.1f}", "1.00", ""],
        ["the same parse as newskg runs it (repairs added, rulers as tables), no extraction",
         f"{ours_s:.1f}", f"{n / ours_s:.1f}", f"{bare_s / ours_s:.2f}",
         f"`kg extract -j 1` runs at {ours_s / j1_s:.2f} of it"],
        ["`kg extract -j 1`", f"{j1_s:.1f}", f"{n / j1_s:.1f}", f"{rel_ratio:.2f}",
         f">= {TARGET_RATIO}: {verdict(rel_ratio >= TARGET_RATIO)}"],
        ["`kg extract -j 2`", f"{j2_s:.1f}", f"{n / j2_s:.1f}", f"{bare_s / j2_s:.2f}",
         f"speed-up over -j 1: {speedup:.2f} (>= {TARGET_SPEEDUP}: "
         f"{verdict(speedup >= TARGET_SPEEDUP)}); output identical to -j 1: "
         f"{'yes' if identical else '**no**'}"],
    ]
    body = [
        f"{counts['articles']:,} generated articles (`bench/corpus.py`, seed 0), "
        f"{counts['segments']:,} segments, {counts['chars'] / 1e6:.1f} M characters; "
        f"failed articles: {failed['j1']} (-j 1), {failed['j2']} (-j 2); "
        f"{rounds} round(s), interleaved, median wall time of each subprocess (interpreter "
        "start-up and model load included on both sides). Commands: "
        f"`{show(j1_cmd)}`, `{show(j2_cmd)}`, bare: `{show(bare_cmd)}`, newskg's parse: "
        f"`{show(ours_cmd)}`.",
        "",
        table(["run", "wall s", "articles/s", "throughput vs bare", "target"], rows,
              "lrrrl"),
        "",
        "Each round's ratio (bare / `-j 1`, the two runs next to each other in time, so a "
        "machine that slows between rounds moves both): "
        + ", ".join(f"{r:.2f}" for r in round_ratios)
        + f"; the verdict above reads the ratio of the medians ({rel_ratio:.2f}). "
        "The same ratio in CPU seconds (user + system of the one process, which time another "
        "machine's load on a shared host moves less): "
        + ", ".join(f"{r:.2f}" for r in cpu_ratios)
        + f" (median CPU s: bare {median(cpu['bare']):.1f}, `-j 1` {median(cpu['j1']):.1f}).",
        "",
        f"Inside the bare run: model load {load_s:.1f} s, `nlp.pipe` {pipe_s:.1f} s "
        f"(spaCy components: {', '.join(inner[0]['pipes'])}; the extractor reads POS, tags, "
        "lemmas, dependencies and entities, so every component stays on).",
        "",
        f"Stage split in one process over the first {split['articles']} articles (as the "
        "pipeline runs them; no profiler):",
        "",
        table(["stage", "s", "share"],
              [[k, f"{v:.2f}", f"{v / total:.0%}"] for k, v in secs.items()], "lrr"),
        "",
        f"cProfile of the same (hot spots in kg code): `{profile}`.",
    ]
    figures = {"extract_ratio": rel_ratio, "workers_speedup": speedup,
               "cpu_ratio": median(cpu["bare"]) / median(cpu["j1"]),
               "round_ratio_min": min(round_ratios), "round_ratio_max": max(round_ratios),
               "bare_s": bare_s, "ours_s": ours_s, "j1_s": j1_s, "j2_s": j2_s,
               "parse_share": secs["parse"] / total}
    return "\n".join(body), figures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000, help="articles (default 1000)")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK)
    ap.add_argument("--batch-size", type=int, default=None,
                    help="bare nlp.pipe batch size (default: spaCy's)")
    ap.add_argument("--profile-n", type=int, default=150,
                    help="articles in the stage split and profile")
    ap.add_argument("--no-append", action="store_true", help="print only")
    ap.add_argument("--bare", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--ours", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--stages", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--profile-out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.bare:
        bare(args.bare, args.batch_size, args.ours)
        return 0
    if args.stages:
        print(json.dumps(stages(args.stages, args.n, args.profile_out)))
        return 0
    args.work.mkdir(parents=True, exist_ok=True)
    body, figures = benchmark(args.n, args.work, args.rounds, args.batch_size, args.profile_n)
    print(body)
    print(json.dumps(figures))
    if not args.no_append:
        argv_used = [__file__, *(sys.argv[1:] if argv is None else argv)]
        append_section("Extraction: `kg extract` vs bare spaCy, and workers", body,
                       argv=argv_used)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
