"""docs/SPARQL.md's query outputs are generated (docs/sparql_examples.py) and must be current.

The demo graph is built once (as `make demo` builds it, without the view) and reused with
`--graph`; the script is run in a subprocess, as `make docs` runs it.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from conftest import EXAMPLES, ROOT, run_kg

SCRIPT = ROOT / "docs" / "sparql_examples.py"
DOC = ROOT / "docs" / "SPARQL.md"


@pytest.fixture(scope="module")
def demo_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "demo"
    res = run_kg("build", EXAMPLES / "articles", "--out", out, "--no-view")
    assert res.returncode == 0, res.stderr
    return out


@pytest.fixture(scope="module")
def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sparql_examples", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["sparql_examples"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def run_script(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT, timeout=300)


def test_sparql_doc_is_current(demo_graph: Path) -> None:
    res = run_script("--check", "--graph", demo_graph)
    assert res.returncode == 0, (
        "docs/SPARQL.md is stale: run `make docs` and commit it\n" + res.stderr[-4000:])


def test_check_reports_a_stale_table_and_the_script_rewrites_it(
    demo_graph: Path, tmp_path: Path
) -> None:
    current = DOC.read_text(encoding="utf-8")
    begin_marker = "<!-- BEGIN top-entities.rq -->\n"
    begin = current.index(begin_marker) + len(begin_marker)
    end = current.index("<!-- END top-entities.rq -->")
    stale_doc = tmp_path / "SPARQL.md"
    stale_doc.write_text(current[:begin] + "| stale |\n" + current[end:], encoding="utf-8")

    res = run_script("--check", "--graph", demo_graph, "--doc", stale_doc)
    assert res.returncode == 1
    assert "-| stale |" in res.stderr and "+| name | relations |" in res.stderr
    assert "make docs" in res.stderr

    res = run_script("--graph", demo_graph, "--doc", stale_doc)
    assert res.returncode == 0, res.stderr
    assert stale_doc.read_text(encoding="utf-8") == current


def test_a_missing_marker_is_an_error(demo_graph: Path, tmp_path: Path) -> None:
    doc = tmp_path / "SPARQL.md"
    doc.write_text(DOC.read_text(encoding="utf-8").replace("<!-- END met-or-called.rq -->", ""),
                   encoding="utf-8")
    res = run_script("--check", "--graph", demo_graph, "--doc", doc)
    assert res.returncode == 1
    assert "BEGIN met-or-called.rq" in res.stderr and "found 0" in res.stderr


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("a | b", "a \\| b"),
        ("line one\nline\ttwo", "line one line two"),
        ("x" * 60, "x" * 60),
        ("x" * 59 + " yz", "x" * 59 + "…"),
        ("y" * 61, "y" * 60 + "…"),
    ],
)
def test_cell(script: ModuleType, value: str | None, expected: str) -> None:
    assert script.cell(value) == expected


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("fact", "fact"),
        ("denied by Zed, Alba", "denied by Alba, Zed"),
        ("planned; reported by B, A; denied by Kremlin, Dmitry Peskov",
         "planned; reported by B, A; denied by Dmitry Peskov, Kremlin"),
    ],
)
def test_deniers_are_sorted(script: ModuleType, status: str, expected: str) -> None:
    assert script.sorted_deniers(status) == expected


def test_table_counts_and_cuts(script: ModuleType) -> None:
    example = script.Example("t.rq", "t.rq", ("a", "b"), 2, fix={"b": script.sorted_items})
    rows = [{"a": str(i), "b": "z, y"} for i in range(3)]
    assert script.table(example, rows) == (
        "| a | b |\n|---|---|\n| 0 | y, z |\n| 1 | y, z |\n\n(3 rows; first 2 shown)\n")
    assert script.table(example, rows[:1]).endswith("\n(1 row)\n")
    assert script.table(example, []).endswith("|---|---|\n\n(0 rows)\n")
