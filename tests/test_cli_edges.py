"""The CLI at its edges, run as a user runs it: --version, --help without internal type labels,
missing inputs (exit 2, nothing created), short query errors, and progress with a total on a
terminal (and none when standard error is not one)."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import ROOT, run_kg

import kg

COMMANDS = ("extract", "build", "eval", "import", "validate", "query", "export", "serve", "push",
            "view")
ARTICLES = {
    "a.txt": "Talks in Vienna\n\nMarta Kolar met Felix Braun in Vienna on 3 March 2025.\n",
    "b.txt": "A call\n\nIvo Lang phoned Anna Holt on Monday.\n",
    "c.jsonl": '{"id": "c1", "text": "Visit\\n\\nAnna Holt visited Oslo."}\n\n'
               '{"id": "c2", "text": "Support\\n\\nKarl Brandt met Piet Varga in Oslo."}\n',
}
GOLD = '{"doc": "a", "type": "met", "subject": "Marta Kolar", "object": "Felix Braun"}\n'


def test_version() -> None:
    res = run_kg("--version")
    assert res.returncode == 0
    assert res.stdout == f"kg (newskg) {kg.__version__}\n"
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'version = "{kg.__version__}"' in pyproject


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_has_no_internal_type_labels(command: str) -> None:
    res = run_kg(*([command] if command else []), "--help")
    assert res.returncode == 0, res.stderr
    assert "Usage: kg " in res.stdout
    for label in ("<bool>", "<int>", "<str>", "<path>", "<float>", "list[", "[[", "python -m"):
        assert label not in res.stdout, (label, res.stdout)


def test_help_names_option_values() -> None:
    out = run_kg("build", "--help").stdout
    assert re.search(r"--workers\s+-j\s+N\s", out)
    assert re.search(r"--out\s+-o\s+PATH\s", out)
    assert "Usage: kg build [OPTIONS] [INPUTS]..." in out
    assert "Usage: kg query [OPTIONS] DIRECTORY [QUERY]" in run_kg("query", "--help").stdout


@pytest.mark.parametrize(
    "args",
    [
        ("build", "{missing}", "--out", "{out}"),
        ("build", "{missing}", "{missing2}", "--out", "{out}"),
        ("extract", "{missing}", "-o", "{out}"),
        ("eval", "--gold", "{gold}", "{missing}"),
    ],
)
def test_missing_inputs_exit_2_and_create_nothing(tmp_path: Path, args: tuple[str, ...]) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(GOLD, encoding="utf-8")
    names = {"missing": tmp_path / "nope", "missing2": tmp_path / "nope2.txt",
             "out": tmp_path / "out", "gold": gold}
    before = sorted(tmp_path.iterdir())
    res = run_kg(*(a.format(**names) for a in args))
    assert res.returncode == 2, res.stdout + res.stderr
    assert res.stderr.startswith(f"kg: error: kg {args[0]}: no such file or directory: ")
    assert str(tmp_path / "nope") in res.stderr and "Traceback" not in res.stderr
    assert sorted(tmp_path.iterdir()) == before


@pytest.fixture(scope="module")
def small_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("small")
    records = work / "r.jsonl"
    records.write_text(
        '{"doc": "d", "type": "met", "subject": "Anna Holt", "object": "Piet Varga", '
        '"sentence": "Anna Holt met Piet Varga.", "start": 0, "end": 25}\n', encoding="utf-8")
    assert run_kg("import", records, "--out", work / "g").returncode == 0
    return work / "g"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SELECT ?x WHERE { ?x foo:bar ?y }", "undefined prefix foo: at line 1, column 22"),
        ("SELECT ?x WHERE {\n  ?x ex:met ?y }", "undefined prefix ex: at line 2, column 6"),
        ("SELECT ?x WHERE { ?x kg:met ?y } ORDER", "expected one of GROUP"),
        ("SELECT ?x WHERE { ?x kg:met ?y . FILTER(?x = ex:a) }", "undefined prefix ex:"),
    ],
)
def test_query_errors_are_short(small_graph: Path, query: str, expected: str) -> None:
    res = run_kg("query", small_graph, query)
    assert res.returncode == 2
    assert expected in res.stderr, res.stderr
    assert "\\u{" not in res.stderr and "..=" not in res.stderr
    assert len(res.stderr) < 400, res.stderr


def run_on_terminal(*args: str | os.PathLike[str], cwd: Path) -> tuple[int, str, str]:
    """Run the CLI with standard error on a pseudo-terminal; (exit code, stdout, terminal)."""
    master, slave = pty.openpty()
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "160", "PYTHONUTF8": "1"}
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", *map(str, args)], stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=slave, cwd=cwd, env=env,
    )
    os.close(slave)
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    stdout, _ = proc.communicate(timeout=300)
    reader.join(30)
    os.close(master)
    terminal = b"".join(chunks).decode("utf-8", "replace")
    return proc.returncode, stdout.decode("utf-8"), re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", terminal)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("progress")
    for name, text in ARTICLES.items():
        (root / "in" / name).parent.mkdir(exist_ok=True)
        (root / "in" / name).write_text(text, encoding="utf-8")
    (root / "gold.jsonl").write_text(GOLD, encoding="utf-8")
    return root


@pytest.mark.slow
@pytest.mark.model
@pytest.mark.parametrize(
    ("args", "verb"),
    [
        (("build", "in", "--out", "out", "--no-view"), "building"),
        (("extract", "in", "-o", "records.jsonl"), "extracting"),
        (("eval", "--gold", "gold.jsonl", "in"), "extracting"),
    ],
)
def test_progress_with_a_total_on_a_terminal(inputs: Path, args: tuple[str, ...],
                                             verb: str) -> None:
    code, _, terminal = run_on_terminal(*args, cwd=inputs)
    assert code == 0, terminal
    assert verb in terminal
    assert re.search(r"\b4/4\b", terminal), terminal  # two files + two JSONL lines
    assert "/?" not in terminal


@pytest.mark.model
def test_no_progress_when_stderr_is_not_a_terminal(inputs: Path, tmp_path: Path) -> None:
    res = run_kg("extract", inputs / "in", "-o", tmp_path / "r.jsonl")
    assert res.returncode == 0, res.stderr
    assert res.stderr == ""
    assert (tmp_path / "r.jsonl").read_text(encoding="utf-8").count('"record": "article"') == 4
