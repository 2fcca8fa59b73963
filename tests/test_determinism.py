"""Determinism across worker counts, and incremental builds: skip, replace, prune.

The corpus mixes the example articles with articles from the benchmark generator (seeded), so
that more than two chunks go to the workers and results come back out of order.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from conftest import EXAMPLES, ROOT, run_kg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.builder import build
from kg.store import open_store

sys.path.insert(0, str(ROOT / "bench"))
from corpus import generate_article

OUTPUTS = ("graph.nq", "relations.jsonl")
GENERATED = 40  # with 10 examples: more than CHUNK * workers articles


def _corpus(root: Path, generated: int = GENERATED) -> Path:
    """Example articles as .txt files plus generated ones as one JSONL file."""
    root.mkdir(parents=True)
    for src in sorted((EXAMPLES / "articles").glob("*.txt")):
        shutil.copy(src, root / src.name)
    with open(root / "generated.jsonl", "w", encoding="utf-8") as fh:
        for i in range(generated):
            fh.write(json.dumps(generate_article(i, seed=7)) + "\n")
    return root


def _outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def _first_difference(a: bytes, b: bytes) -> str:
    """The first line where two outputs differ (for a readable failure)."""
    for i, (x, y) in enumerate(zip(a.splitlines(), b.splitlines(), strict=False)):
        if x != y:
            return f"line {i + 1}:\n  {x[:600]!r}\n  {y[:600]!r}"
    return f"lengths {len(a.splitlines())} vs {len(b.splitlines())}"


def _report(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return data


def _docs(out: Path) -> list[str]:
    lines = (out / "relations.jsonl").read_text(encoding="utf-8").splitlines()
    return [r["doc"] for r in map(json.loads, lines) if r.get("record") == "article"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _corpus(tmp_path_factory.mktemp("determinism") / "in")


@pytest.mark.model
@pytest.mark.slow
def test_build_and_extract_identical_for_one_and_two_workers(
    corpus: Path, tmp_path: Path
) -> None:
    runs, reports = {}, {}
    for workers in (1, 2):
        out = tmp_path / f"out-j{workers}"
        res = run_kg("build", corpus, "--out", out, "--workers", workers, "--no-view")
        assert res.returncode == 0, res.stderr
        reports[workers] = _report(out)
        assert reports[workers]["articles"] == 10 + GENERATED
        runs[workers] = _outputs(out)
    assert runs[1]["graph.nq"] and runs[1]["relations.jsonl"]
    for name in OUTPUTS:
        assert runs[1][name] == runs[2][name], _first_difference(runs[1][name], runs[2][name])
    assert reports[1] == reports[2]
    assert len(set(_docs(tmp_path / "out-j1"))) == 10 + GENERATED

    extracted = {}
    for workers in (1, 2):
        res = run_kg("extract", corpus, "--workers", workers)
        assert res.returncode == 0, res.stderr
        extracted[workers] = res.stdout
    assert extracted[1] and extracted[1] == extracted[2]


@pytest.mark.model
@pytest.mark.parametrize("workers", [1, 2])
def test_a_document_given_twice_keeps_the_later_whatever_the_batch(
    tmp_path: Path, workers: int
) -> None:
    """Articles are written to the store in batches: a document id that comes again, in the
    same batch or a later one, is replaced by the later article exactly as a build of that
    article alone would write it."""
    articles = [generate_article(i, seed=11) for i in range(6)]
    first, later = articles[1], articles[4]
    twice = [*articles[:4], {**later, "id": first["id"]}, *articles[5:]]  # same batch
    (tmp_path / "in").mkdir()
    with open(tmp_path / "in" / "twice.jsonl", "w", encoding="utf-8") as fh:
        for art in twice:
            fh.write(json.dumps(art) + "\n")
    report = build([tmp_path / "in"], tmp_path / "out", workers=workers, progress=False,
                   view=False)
    assert report.exit_code == 0 and report.store_articles == 5
    assert any("also used by" in w for w in report.warnings)
    (tmp_path / "alone").mkdir()
    with open(tmp_path / "alone" / "twice.jsonl", "w", encoding="utf-8") as fh:
        for art in [*articles[:1], *articles[2:4], {**later, "id": first["id"]}, *articles[5:]]:
            fh.write(json.dumps(art) + "\n")
    build([tmp_path / "alone"], tmp_path / "alone-out", progress=False, view=False)
    assert _outputs(tmp_path / "out") == _outputs(tmp_path / "alone-out")


@pytest.fixture()
def small(tmp_path: Path) -> Path:
    """Four example articles, as files (so that one can change or go)."""
    root = tmp_path / "in"
    root.mkdir()
    for src in sorted((EXAMPLES / "articles").glob("*.txt"))[:4]:
        shutil.copy(src, root / src.name)
    return root


@pytest.mark.model
def test_rebuild_skips_unchanged_articles(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build([small], out, progress=False, view=False)
    assert (first.articles, first.skipped_unchanged, first.exit_code) == (4, 0, 0)
    before = _outputs(out)
    again = build([small], out, progress=False, view=False)
    assert (again.articles, again.skipped_unchanged, again.store_articles) == (0, 4, 4)
    # the figures are the graph's totals, not the (zero) articles built this time
    assert again.relations == first.relations > 0
    assert again.to_json()["relations"] == first.to_json()["relations"]
    assert again.to_json()["entities"] == first.to_json()["entities"] > 0
    saved = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert saved["relations"] == first.to_json()["relations"]
    assert "totals:" in again.summary() and f"{first.relations} relation" in again.summary()
    assert _outputs(out) == before


@pytest.mark.model
def test_rebuild_replaces_a_changed_article(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([small], out, progress=False, view=False)
    changed = sorted(small.glob("*.txt"))[1]
    old_text = changed.read_text(encoding="utf-8")
    first_para = old_text.split("\n\n")[2]
    changed.write_text(
        old_text.replace(first_para, "Marta Kolar met Felix Braun in Vienna on Monday."),
        encoding="utf-8",
    )
    report = build([small], out, progress=False, view=False)
    assert (report.articles, report.skipped_unchanged, report.store_articles) == (1, 3, 4)
    nq = (out / "graph.nq").read_text(encoding="utf-8")
    assert "Marta Kolar met Felix Braun in Vienna on Monday." in nq
    assert first_para.replace('"', '\\"') not in nq
    fresh = tmp_path / "fresh"
    build([small], fresh, progress=False, view=False)
    assert _outputs(out) == _outputs(fresh)


@pytest.mark.model
def test_prune_drops_articles_whose_files_are_gone(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([small], out, progress=False, view=False)
    gone = sorted(small.glob("*.txt"))[0]
    gone.unlink()

    kept = build([small], out, progress=False, view=False)
    assert (kept.store_articles, kept.pruned) == (4, 0)
    assert gone.stem in _docs(out)

    res = run_kg("build", small, "--out", out, "--prune", "--no-view")
    assert res.returncode == 0, res.stderr
    assert "1 pruned" in res.stdout
    report = _report(out)
    assert (report["articles"], report["skipped_unchanged"], report["pruned"]) == (0, 3, 1)
    assert report["store_articles"] == 3
    assert gone.stem not in _docs(out)
    with open_store(out, read_only=True) as store:
        assert gone.stem not in store.articles()
    fresh = tmp_path / "fresh"
    build([small], fresh, progress=False, view=False)
    assert _outputs(out) == _outputs(fresh)


@pytest.mark.model
def test_prune_keeps_an_article_whose_file_fails(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([small], out, progress=False, view=False)
    broken = sorted(small.glob("*.txt"))[2]
    broken.write_text("   \n", encoding="utf-8")  # now an empty article: a failed input
    report = build([small], out, progress=False, view=False, prune=True)
    assert report.exit_code == 1 and len(report.failures) == 1
    assert report.pruned == 0 and report.store_articles == 4
    assert broken.stem in _docs(out)


# -- graph.nq export: sorted runs and incremental rewrite give the bytes of a full export ------

_EX = "http://example.org/"
_TEXTS = st.text(
    alphabet=st.sampled_from(list("ab <>.\"\\\n\t é_:")), min_size=0, max_size=12
)


def _quads(doc: int, texts: list[str]) -> list[ox.Quad]:
    g = ox.NamedNode(f"{_EX}graph/{doc}")
    subject = ox.NamedNode(f"{_EX}s/{doc % 3}")  # subjects shared across graphs interleave
    return [
        ox.Quad(subject, ox.NamedNode(f"{_EX}p{i}"), ox.Literal(t), g) for i, t in enumerate(texts)
    ]


def _export_bytes(store: Any, path: Path, incremental: bool) -> bytes:
    store.export_nquads(path, incremental=incremental)
    return path.read_bytes()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    first=st.dictionaries(st.integers(0, 6), st.lists(_TEXTS, max_size=4), max_size=5),
    second=st.dictionaries(st.integers(0, 6), st.lists(_TEXTS, max_size=4), max_size=3),
    removed=st.sets(st.integers(0, 6), max_size=2),
)
def test_incremental_export_equals_full_export(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    first: dict[int, list[str]],
    second: dict[int, list[str]],
    removed: set[int],
) -> None:
    import kg.store

    monkeypatch.setattr(kg.store, "EXPORT_RUN", 3)  # several sorted runs to merge
    monkeypatch.setattr(kg.store, "_BLOCK", 40)  # many small blocks, some copied as they are
    out = Path(tempfile.mkdtemp(dir=tmp_path))
    nq = out / "graph.nq"
    with open_store(out) as store:
        for doc, texts in sorted(first.items()):
            store.replace_graph(f"{_EX}graph/{doc}", _quads(doc, texts))
        full = _export_bytes(store, nq, incremental=False)
        assert full == store.nquads()
        for doc, texts in sorted(second.items()):
            store.replace_graph(f"{_EX}graph/{doc}", _quads(doc, texts))
        for doc in sorted(removed):
            store.replace_graph(f"{_EX}graph/{doc}", [])
        assert _export_bytes(store, nq, incremental=True) == store.nquads()
        # Nothing written since: the file is left as it is.
        assert _export_bytes(store, nq, incremental=True) == store.nquads()


def test_incremental_export_repairs_a_stale_file(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        store.replace_graph(f"{_EX}graph/1", _quads(1, ["one", "two"]))
        store.replace_graph(f"{_EX}graph/2", _quads(2, ["three"]))
        nq = tmp_path / "graph.nq"
        nq.write_bytes(b'<http://example.org/x> <http://example.org/p> "stale" '
                       b"<http://example.org/graph/9> .\n")
        assert store.export_nquads(nq, incremental=True) == 3
        assert nq.read_bytes() == store.nquads()
