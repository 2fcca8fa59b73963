"""``kg build`` and ``kg extract`` end to end, the report, incremental and deterministic output."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import run_kg
from helpers_extract import ARTICLES, FURNITURE_ARTICLE, pred, write_articles

from kg.builder import build

OUTPUTS = ("graph.nq", "relations.jsonl", "report.json")


@pytest.mark.parametrize(
    ("kw", "status"),
    [
        ({}, "asserted"),
        ({"attributed_to": "Daily Courier"}, "attributed"),
        ({"attributed_to": "Kolar"}, "asserted"),  # a party stating its own act
        ({"denied_by": ("Kremlin",), "attributed_to": "Daily Courier"}, "disputed"),
        ({"polarity": "negative", "modality": "planned"}, "negated"),
        ({"modality": "planned"}, "planned"),
        ({"modality": "hypothetical", "attributed_to": "aides"}, "hypothetical"),
    ],
)
def test_relation_status(kw: dict[str, Any], status: str) -> None:
    assert pred("met", "Kolar", "Braun", **kw).status == status


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.model
def test_kg_build_end_to_end_and_incremental(tmp_path: Path) -> None:
    root = write_articles(tmp_path / "in", {**ARTICLES, "furniture.txt": FURNITURE_ARTICLE,
                                           "broken.txt": "Kolar\x00Braun"})
    out = tmp_path / "out"
    res = run_kg("build", root, "--out", out)
    assert res.returncode == 1, res.stderr  # one input failed, the others are built
    assert f"{root / 'broken.txt'}: binary" in res.stderr
    assert "Built 3 article(s)" in res.stdout and str(out / "graph.nq") in res.stdout
    assert "building" not in res.stderr  # no progress bar when stderr is not a terminal
    for name in (*OUTPUTS, "store"):
        assert (out / name).exists(), name
    report = json.loads((out / "report.json").read_text())
    assert report["articles"] == 3 and report["failed"] == 1
    assert report["failures"] == [
        {"file": str(root / "broken.txt"), "line": None,
         "reason": "binary file (contains NUL bytes), not text"}
    ]
    assert report["relations"]["total"] == sum(report["relations"]["by_type"].values()) > 0
    assert sum(report["relations"]["by_status"].values()) == report["relations"]["total"]
    assert report["entities"] >= 4
    records = _lines(out / "relations.jsonl")
    articles = [r for r in records if r.get("record") == "article"]
    assert [a["doc"] for a in articles] == ["calls", "furniture", "talks"]
    furniture = next(a for a in articles if a["doc"] == "furniture")
    assert (furniture["date"], furniture["author"]) == ("2025-03-03", "Ann Lee")
    rels = [r for r in records if "record" not in r]
    assert len(rels) == report["relations"]["total"]
    assert not any(r["type"] == "called" and "liar" in r["sentence"] for r in rels)
    nq = (out / "graph.nq").read_bytes()
    assert nq and b"Marta Kolar" in nq
    before = {name: (out / name).read_bytes() for name in ("graph.nq", "relations.jsonl")}

    # Same inputs again: nothing re-extracted, outputs byte-identical.
    res = run_kg("build", root, "--out", out)
    assert res.returncode == 1
    report = json.loads((out / "report.json").read_text())
    assert (report["articles"], report["skipped_unchanged"], report["store_articles"]) == (0, 3, 3)
    assert {name: (out / name).read_bytes() for name in before} == before

    # One article changed: only it is extracted again, the others keep their records.
    (root / "talks.txt").write_text(
        ARTICLES["talks.txt"] + "\nFelix Braun praised Marta Kolar.\n", encoding="utf-8")
    (root / "broken.txt").unlink()
    res = run_kg("build", root, "--out", out)
    assert res.returncode == 0, res.stderr
    report = json.loads((out / "report.json").read_text())
    assert (report["articles"], report["skipped_unchanged"]) == (1, 2)
    docs = [r["doc"] for r in _lines(out / "relations.jsonl") if r.get("record") == "article"]
    assert docs == ["calls", "furniture", "talks"]

    # A fresh build of the same inputs gives the same bytes.
    fresh = tmp_path / "fresh"
    report2 = build([root], fresh, progress=False)
    assert report2.exit_code == 0 and report2.articles == 3
    for name in ("graph.nq", "relations.jsonl"):
        assert (fresh / name).read_bytes() == (out / name).read_bytes(), name


@pytest.mark.model
def test_build_strict_stops_at_first_failure(tmp_path: Path) -> None:
    root = write_articles(tmp_path / "in", {"a-bad.txt": "", **ARTICLES})
    report = build([root], tmp_path / "out", strict=True, progress=True, view=False)
    assert report.stopped_early and report.exit_code == 1
    assert report.articles == 0 and len(report.failures) == 1
    assert json.loads((tmp_path / "out" / "report.json").read_text())["stopped_early"] is True


@pytest.mark.model
def test_kg_extract_to_file_and_from_stdin(tmp_path: Path) -> None:
    root = write_articles(tmp_path / "in")
    target = tmp_path / "rels.jsonl"
    res = run_kg("extract", root / "talks.txt", "-o", target)
    assert res.returncode == 0, res.stderr
    records = _lines(target)
    assert records[0]["record"] == "article" and records[0]["doc"] == "talks"
    kinds = [r.get("record", "relation") for r in records]
    assert kinds == sorted(kinds, key=["article", "entity", "relation"].index)
    assert any(r.get("type") == "met" for r in records)

    res = run_kg("extract", "-", input="Reyes calls Varga\n\nTomas Reyes phoned Ilona Varga.\n")
    assert res.returncode == 0, res.stderr
    records = [json.loads(line) for line in res.stdout.splitlines()]
    assert records[0]["doc"] == "stdin" and records[0]["title"] == "Reyes calls Varga"
    assert any(r.get("type") == "called" for r in records)

    res = run_kg("extract", root / "talks.txt", tmp_path / "missing.txt")
    assert res.returncode == 1
    assert "missing.txt: no such file or directory" in res.stderr
    assert '"doc": "talks"' in res.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("build", "--out", "x"), "give one or more inputs"),
        (("build", "in", "--out", "x", "--base", "not an iri"), "--base"),
        (("build", "in", "--out", "x", "--workers", "0"), "--workers"),
        (("extract",), "give one or more inputs"),
        (("extract", "in", "--max-bytes", "0"), "--max-bytes"),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    res = run_kg(*args, cwd=tmp_path)
    assert res.returncode == 2, (res.stdout, res.stderr)
    assert message in res.stderr


def test_out_must_be_a_directory(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    res = run_kg("build", tmp_path, "--out", tmp_path / "file")
    assert res.returncode == 2 and "not a directory" in res.stderr
