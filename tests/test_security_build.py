"""Issue 15, what needs the spaCy model: `kg build` with ids that collide after slugging,
`--out` inside an input, a full disk on a first build, many people with similar surnames.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_kg

pytestmark = pytest.mark.model


# -- 2. document ids that collide after slugging ----------------------------------------------

COLLIDING = {
    "Report.txt": "Report\n\nAnna Weber met Karl Ott in Vienna on Tuesday.\n",
    "report.txt": "report\n\nMaria Lopez called Jan Novak on Friday.\n",
    "my report.txt": "My report\n\nEva Lind visited Oslo on Monday.\n",
    "my-report.txt": "My-report\n\nPeter Holm met Ana Costa in Riga.\n",
}


def test_build_refuses_ids_that_collide_after_slugging_and_is_stable(tmp_path: Path) -> None:
    """`Report`/`report` and `my report`/`my-report` overwrote each other and graph.nq flipped
    between two hashes on every rebuild."""
    src = tmp_path / "in"
    src.mkdir()
    for name, text in COLLIDING.items():
        (src / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    first = run_kg("build", src, "--out", out, "--no-view")
    assert first.returncode == 1, first.stderr
    for kept, refused in (("Report.txt", "report.txt"), ("my report.txt", "my-report.txt")):
        line = next(x for x in first.stderr.splitlines() if str(src / refused) in x)
        assert str(src / kept) in line and "same article graph" in line
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["store_articles"] == 2 and len(report["failures"]) == 2
    nq = (out / "graph.nq").read_bytes()
    assert run_kg("build", src, "--out", out, "--no-view").returncode == 1
    assert (out / "graph.nq").read_bytes() == nq


def test_the_same_id_twice_keeps_the_later_on_every_rebuild(tmp_path: Path) -> None:
    """one/a.txt and two/a.txt: a rebuild skipped the later (unchanged in the store) after
    rewriting the earlier, so graph.nq flipped between the two."""
    pairs = (("one", "Anna Weber met Karl Ott."), ("two", "Jan Novak called Eva Lind."))
    for folder, text in pairs:
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.txt").write_text(f"Title\n\n{text}\n", encoding="utf-8")
    out = tmp_path / "out"
    graphs = []
    for _ in range(2):
        result = run_kg("build", tmp_path / "one", tmp_path / "two", "--out", out, "--no-view")
        assert result.returncode == 0, result.stderr
        graphs.append((out / "graph.nq").read_bytes())
    assert graphs[0] == graphs[1] and b"Novak" in graphs[1] and b"Weber" not in graphs[1]


# -- 3. an output directory inside an input directory -----------------------------------------


@pytest.mark.parametrize("where", ["inside", "same"])
def test_output_inside_an_input_is_never_read(tmp_path: Path, where: str) -> None:
    """relations.jsonl and graph.html in --out became articles: the graph grew every rebuild."""

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Talks\n\nAnna Weber met Karl Ott in Vienna.\n", encoding="utf-8")
    (src / "b.txt").write_text("Call\n\nMaria Lopez called Jan Novak.\n", encoding="utf-8")
    out = src / "out" if where == "inside" else src
    graphs = []
    for _ in range(2):
        result = run_kg("build", src, "--out", out)
        assert result.returncode == 0, result.stderr
        report = json.loads((out / "report.json").read_text(encoding="utf-8"))
        assert report["store_articles"] == 2 and not report["failures"], report
        graphs.append((out / "graph.nq").read_bytes())
    assert graphs[0] == graphs[1]



def _limited_files(limit: int) -> None:
    """In the child: files cannot grow past ``limit`` bytes (EFBIG), as on a full disk."""
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


@pytest.mark.parametrize("limit", [200_000])
def test_full_disk_on_a_first_build_is_a_message_and_leaves_no_temp_file(
    tmp_path: Path, limit: int
) -> None:
    import os
    import subprocess
    import sys

    src = tmp_path / "in"
    src.mkdir()
    for i in range(30):
        (src / f"s{i}.txt").write_text(
            f"Story {i}\n\nAnna Weber{i} met Karl Ott in Vienna. Maria Lopez called Jan Novak.\n",
            encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "kg", "build", src, "--out", out],
                            capture_output=True, text=True, timeout=300,
                            preexec_fn=lambda: _limited_files(limit),
                            env={**os.environ, "PYTHONUTF8": "1"})
    assert result.returncode == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stderr and "kg: error:" in result.stderr
    assert "File too large" in result.stderr
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]



# -- 7. many people with similar surnames stay apart ------------------------------------------

FIRSTS = ["Adrian", "Bruno", "Clara", "Dora", "Emil", "Frieda", "Gustav", "Hanna", "Ivo", "Jana"]
SURNAMES = ["Becker", "Berger", "Becher", "Decker", "Wagner", "Wegner", "Weber", "Walter",
            "Walker", "Waller", "Keller", "Kessler", "Koller", "Hoffmann", "Hofmann", "Fischer",
            "Fischler", "Schneider", "Schreiber", "Lehmann"]


@pytest.mark.slow
def test_different_full_names_with_similar_surnames_are_different_people() -> None:
    """5,000 people in one article: 349 merged ("Adrian Becker" an alias of "Adrian Berger")."""
    from helpers_nlp import resolve_text

    people = [f"{f} {s}" for s in SURNAMES for f in FIRSTS]  # 200 people
    sentences = [f"{people[i]} met {people[i + 1]} in Vienna on Tuesday."
                 for i in range(0, len(people), 2)]
    resolved = resolve_text("\n\n".join(sentences))
    persons = {e.label: e for e in resolved.entities if e.type == "Person"}
    merged = {
        (e.label, alias) for e in persons.values() for alias in e.aliases
        if alias in people and alias != e.label
    }
    assert not merged, sorted(merged)[:10]
    assert len(set(people) & set(persons)) >= 0.95 * len(people)

