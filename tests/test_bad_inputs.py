"""The bad-input catalogue (issue 7): every case through ``kg build`` as a user runs it.

One build reads a folder holding good articles next to every kind of bad input; each case then
checks its message (naming the file, and the line for JSONL), its entry in report.json, and
that the good articles are still in the graph. Cases that need their own run (limits, --strict,
HTML fetching nothing, files vanishing) have their own tests. All text is made up.
"""

from __future__ import annotations

import codecs
import http.server
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from conftest import run_kg

from kg.errors import InputError
from kg.extraction.clean import MAX_SEGMENT_CHARS, clean_article
from kg.extraction.read import read_inputs

pytestmark = pytest.mark.model

GOOD = {
    "good-talks.txt": "Kolar hosts Braun\n\nMarta Kolar met Felix Braun in Vienna on Tuesday.\n",
    "good-call.txt": "Varga calls Reyes\n\nIlona Varga phoned Tomas Reyes on Friday.\n",
}
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

# name -> (bytes, expected failure reason or None when the file is built)
FILES: dict[str, tuple[bytes, str | None]] = {
    "empty.txt": (b"", "empty article (no text, or only whitespace)"),
    "whitespace.txt": (b"  \n\t\n \r\n", "empty article (no text, or only whitespace)"),
    "binary.txt": (b"\x7fELF\x02\x01\x00\x00\x00\x00" * 50, "binary file (contains NUL bytes)"),
    "utf16.txt": (
        codecs.BOM_UTF16_LE + "Lind visits Holm\n\nPavel Lind met Greta Holm in Oslo.\n"
        .encode("utf-16-le"),
        None,
    ),
    "latin1.txt": ("Zoë Novak meets Braun\n\nZoë Novak met Felix Braun.\n".encode("latin-1"), None),
}
JSONL_LINES = [
    '{"id": "j-good", "text": "Anya Petrov met Jonas Berg in Prague."}',
    '{"id": "j-truncated", "text": "Kolar met Br',
    "[1, 2, 3]",
    '{"id": "j-notext", "title": "No text here"}',
    '{"id": "j-number", "text": 42}',
]
JSONL_REASONS = {
    2: "not valid JSON: Unterminated string",
    3: "expected a JSON object, got list",
    4: "missing field 'text' (the article text)",
    5: "field 'text' must be a string, not int",
}
# special files -> expected reason (None: built)
SPECIAL = {
    "fifo.txt": "cannot read: a named pipe (FIFO), not a regular file",
    "socket.txt": "cannot read: a socket or a device with nothing behind it",
    "dangling.txt": "cannot read: no such file (it disappeared after it was listed, or is a "
    "dangling symbolic link)",
    "self-loop.txt": "cannot read: too many levels of symbolic links (a symlink loop)",
    "proc-mem.txt": "cannot read: Input/output error",
    # Root reads a chmod-000 file, so the case is real only for other users.
    "no-permission.txt": None if IS_ROOT else "cannot read: Permission denied",
}


def _make_special(root: Path) -> None:
    os.mkfifo(root / "fifo.txt")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    cwd = os.getcwd()
    os.chdir(root)  # a relative name: AF_UNIX paths are limited to ~108 bytes
    try:
        sock.bind("socket.txt")
    finally:
        os.chdir(cwd)
        sock.close()
    (root / "dangling.txt").symlink_to(root / "gone-before-reading.txt")
    (root / "self-loop.txt").symlink_to(root / "self-loop.txt")
    (root / "proc-mem.txt").symlink_to("/proc/self/mem")  # stat says regular; read gives EIO
    locked = root / "no-permission.txt"
    locked.write_text("Locked out\n\nHelga Tamm met Rasmus Aalto.\n", encoding="utf-8")
    locked.chmod(0)
    loops = root / "loops"
    loops.mkdir()
    (loops / "up").symlink_to("..")  # a directory symlink loop
    (loops / "self").symlink_to(loops)


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    root = tmp_path_factory.mktemp("catalogue") / "in"
    root.mkdir()
    for name, text in GOOD.items():
        (root / name).write_text(text, encoding="utf-8")
    for name, (data, _reason) in FILES.items():
        (root / name).write_bytes(data)
    (root / "feed.jsonl").write_text("\n".join(JSONL_LINES) + "\n", encoding="utf-8")
    _make_special(root)
    out = root.parent / "out"
    started = time.monotonic()
    res = run_kg("build", root, "--out", out, "--no-view", timeout=300)
    elapsed = time.monotonic() - started
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    yield {
        "root": root,
        "out": out,
        "res": res,
        "report": report,
        "nq": (out / "graph.nq").read_text(encoding="utf-8"),
        "elapsed": elapsed,
    }
    (root / "no-permission.txt").chmod(0o644)


def _failure(report: dict[str, Any], file: Path, line: int | None = None) -> dict[str, Any]:
    found = [f for f in report["failures"] if f["file"] == str(file) and f["line"] == line]
    assert len(found) == 1, (file, line, report["failures"])
    return found[0]


def test_catalogue_build_exits_1_without_traceback(catalogue: dict[str, Any]) -> None:
    res = catalogue["res"]
    assert res.returncode == 1, res.stderr
    assert "Traceback" not in res.stderr
    assert catalogue["elapsed"] < 120  # nothing blocked (a FIFO would block a plain open)


@pytest.mark.parametrize("name", sorted(GOOD))
def test_good_articles_are_still_in_the_graph(catalogue: dict[str, Any], name: str) -> None:
    doc = name.removesuffix(".txt")
    assert f'"{doc}"' in catalogue["nq"]
    assert str(catalogue["root"] / name) not in catalogue["res"].stderr


@pytest.mark.parametrize(("name", "reason"), [(n, r) for n, (_d, r) in FILES.items()])
def test_file_cases(catalogue: dict[str, Any], name: str, reason: str | None) -> None:
    path = catalogue["root"] / name
    doc = name.removesuffix(".txt")
    if reason is None:
        assert f'"{doc}"' in catalogue["nq"], f"{name} should be built"
        assert not [f for f in catalogue["report"]["failures"] if f["file"] == str(path)]
        return
    failure = _failure(catalogue["report"], path)
    assert failure["reason"].startswith(reason)
    assert f"kg: error: {path}: {reason}" in catalogue["res"].stderr
    assert f'"{doc}"' not in catalogue["nq"]


def test_utf16_with_bom_is_decoded(catalogue: dict[str, Any]) -> None:
    assert "Pavel Lind" in catalogue["nq"] and '"Lind visits Holm"' in catalogue["nq"]


def test_invalid_utf8_is_replaced_and_warned_with_file_and_line(catalogue: dict[str, Any]) -> None:
    path = catalogue["root"] / "latin1.txt"
    warnings = [w for w in catalogue["report"]["warnings"] if w.startswith(f"{path}:1: ")]
    assert len(warnings) == 1 and "invalid UTF-8" in warnings[0], catalogue["report"]["warnings"]
    assert f"kg: warning: {path}:1: invalid UTF-8" in catalogue["res"].stderr
    assert "Novak" in catalogue["nq"]  # the article is built, U+FFFD in place of the bad byte


@pytest.mark.parametrize(("line", "reason"), sorted(JSONL_REASONS.items()))
def test_jsonl_cases_name_file_and_line(catalogue: dict[str, Any], line: int, reason: str) -> None:
    path = catalogue["root"] / "feed.jsonl"
    failure = _failure(catalogue["report"], path, line)
    assert failure["reason"].startswith(reason)
    assert f"kg: error: {path}:{line}: {reason}" in catalogue["res"].stderr


def test_jsonl_good_line_is_built(catalogue: dict[str, Any]) -> None:
    assert '"j-good"' in catalogue["nq"] and "Anya Petrov" in catalogue["nq"]


@pytest.mark.parametrize(("name", "reason"), sorted(SPECIAL.items()))
def test_unreadable_and_special_files(
    catalogue: dict[str, Any], name: str, reason: str | None
) -> None:
    path = catalogue["root"] / name
    if reason is None:
        assert f'"{name.removesuffix(".txt")}"' in catalogue["nq"]
        return
    assert _failure(catalogue["report"], path)["reason"].startswith(reason)
    assert f"kg: error: {path}: {reason}" in catalogue["res"].stderr


def test_symlink_loops_end_and_read_each_file_once(catalogue: dict[str, Any]) -> None:
    report, root = catalogue["report"], catalogue["root"]
    assert not [f for f in report["failures"] if "loops" in (f["file"] or "")]
    failed_files = {(f["file"], f["line"]) for f in report["failures"]}
    expected = (
        sum(1 for _d, r in FILES.values() if r)
        + len(JSONL_REASONS)
        + sum(1 for r in SPECIAL.values() if r)
    )
    assert len(failed_files) == len(report["failures"]) == report["failed"] == expected
    built = 2 + 1 + sum(1 for _d, r in FILES.values() if r is None) + (1 if IS_ROOT else 0)
    assert report["articles"] == built
    assert str(root) in catalogue["res"].stdout or "Built" in catalogue["res"].stdout


# -- limits ------------------------------------------------------------------------------------


def test_50_mb_article_fails_fast_against_max_bytes(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "good.txt").write_text(GOOD["good-talks.txt"], encoding="utf-8")
    huge = root / "huge.txt"
    para = b"Marta Kolar met Felix Braun in Vienna on Tuesday, officials said.\n\n"
    with open(huge, "wb") as fh:
        fh.write(para * (50 * 1024 * 1024 // len(para) + 1))
    size = huge.stat().st_size
    started = time.monotonic()
    res = run_kg("build", root, "--out", tmp_path / "out", "--no-view")
    assert time.monotonic() - started < 60
    assert res.returncode == 1
    reason = f"file is {size} bytes, over the limit of 5000000 bytes (--max-bytes)"
    assert f"kg: error: {huge}: {reason}" in res.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["failures"] == [{"file": str(huge), "line": None, "reason": reason}]
    assert report["articles"] == 1


def test_one_megabyte_line_fails_fast_against_max_line(tmp_path: Path) -> None:
    path = tmp_path / "oneline.txt"
    words = "kolar braun vienna talks energy prices minister said "
    path.write_text("Headline\n\n" + (words * (1_000_000 // len(words) + 1))[:1_000_000] + "\n")
    started = time.monotonic()
    res = run_kg("build", path, "--out", tmp_path / "out", "--no-view")
    assert time.monotonic() - started < 60
    assert res.returncode == 1
    assert (
        f"kg: error: {path}: line 3 is 1000000 characters long, over the limit of 100000 "
        "(--max-line)" in res.stderr
    )


def test_long_line_under_a_raised_max_line_is_parsed_in_pieces(tmp_path: Path) -> None:
    """A 60 kB line without punctuation goes through in bounded time when --max-line allows it
    (parsing is linear but slow: a 1 MB line takes minutes, so the default limit refuses it)."""
    path = tmp_path / "oneline.txt"
    words = "Marta Kolar met Felix Braun in Vienna and energy prices rose while ministers talked "
    line = (words * (60_000 // len(words) + 1))[:60_000].rstrip()
    path.write_text(f"Headline\n\n{line}\n", encoding="utf-8")
    article = next(iter(read_inputs([path], max_line=200_000)))
    assert not isinstance(article, InputError)
    segments = clean_article(article).segments
    assert max(s.end - s.start for s in segments) <= MAX_SEGMENT_CHARS
    assert "".join(article.text[s.start : s.end] for s in segments).replace(" ", "") == (
        "Headline" + line.replace(" ", "")
    )
    started = time.monotonic()
    res = run_kg("build", path, "--out", tmp_path / "out", "--no-view", "--max-line", "200000")
    assert res.returncode == 0, res.stderr
    assert time.monotonic() - started < 90


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--max-bytes", "0"), "--max-bytes must be at least 1"),
        (("--max-line", "-5"), "--max-line must be at least 1"),
        (("--max-bytes", "lots"), "Invalid value for '--max-bytes'"),
    ],
)
def test_bad_limits_are_usage_errors(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    res = run_kg("build", tmp_path, "--out", tmp_path / "out", *args)
    assert res.returncode == 2 and message in res.stderr, res.stderr


def test_limits_are_stated_in_help() -> None:
    res = run_kg("build", "--help")
    text = " ".join(res.stdout.replace("│", " ").split())
    assert "--max-bytes" in text and "5000000" in text and "--max-line" in text
    assert "100000" in text and "3000 characters" in text


# -- --strict, missing inputs, vanishing files -------------------------------------------------


def test_strict_stops_at_the_first_failure(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.txt").write_text(GOOD["good-talks.txt"], encoding="utf-8")
    (root / "b.txt").write_bytes(b"")
    (root / "c.txt").write_text(GOOD["good-call.txt"], encoding="utf-8")
    out = tmp_path / "out"
    res = run_kg("build", root, "--out", out, "--strict", "--no-view")
    assert res.returncode == 1
    assert f"kg: error: {root / 'b.txt'}: empty article" in res.stderr
    report = json.loads((out / "report.json").read_text())
    assert report["stopped_early"] is True and report["failed"] == 1 and report["articles"] == 1
    nq = (out / "graph.nq").read_text()
    assert '"a"' in nq and '"c"' not in nq
    res = run_kg("build", root, "--out", out, "--no-view")  # without --strict: c goes in
    assert res.returncode == 1 and '"c"' in (out / "graph.nq").read_text()


def test_missing_input_is_exit_1_and_the_rest_is_built(tmp_path: Path) -> None:
    good = tmp_path / "good-talks.txt"
    good.write_text(GOOD["good-talks.txt"], encoding="utf-8")
    res = run_kg("build", tmp_path / "nope.txt", good, "--out", tmp_path / "out", "--no-view")
    assert res.returncode == 1
    assert f"kg: error: {tmp_path / 'nope.txt'}: no such file or directory" in res.stderr
    assert '"good-talks"' in (tmp_path / "out" / "graph.nq").read_text()


def test_file_deleted_between_listing_and_reading(tmp_path: Path) -> None:
    """Directories are listed, then read file by file: a file removed in between is reported."""
    root = tmp_path / "in"
    root.mkdir()
    for i in range(3):
        (root / f"a{i}.txt").write_text(GOOD["good-talks.txt"], encoding="utf-8")
    items = read_inputs([root])
    first = next(items)
    assert not isinstance(first, InputError) and first.doc == "a0"
    (root / "a1.txt").unlink()
    second, third = next(items), next(items)
    assert isinstance(second, InputError) and second.source == str(root / "a1.txt")
    assert "disappeared after it was listed" in second.message
    assert not isinstance(third, InputError) and third.doc == "a2"


def test_files_vanishing_during_a_build(tmp_path: Path) -> None:
    """Files deleted while `kg build` runs: each is built, reported, or was never listed."""
    root = tmp_path / "in"
    root.mkdir()
    names = [f"n{i:03d}.txt" for i in range(120)]
    for i, name in enumerate(names):
        (root / name).write_text(
            f"Story {i}\n\nMarta Kolar met Felix Braun in Vienna on day {i}.\n", encoding="utf-8"
        )
    out = tmp_path / "out"
    stop = threading.Event()

    def delete() -> None:
        while not (out / "store").exists() and not stop.is_set():
            time.sleep(0.01)
        for name in reversed(names[::2]):
            (root / name).unlink()
            time.sleep(0.02)

    deleter = threading.Thread(target=delete)
    deleter.start()
    try:
        res = run_kg("build", root, "--out", out, "--no-view")
    finally:
        stop.set()
        deleter.join()
    assert res.returncode in (0, 1) and "Traceback" not in res.stderr
    report = json.loads((out / "report.json").read_text())
    failed = {Path(f["file"]).name: f["reason"] for f in report["failures"]}
    nq = (out / "graph.nq").read_text()
    for i, name in enumerate(names):
        built = f'"{name.removesuffix(".txt")}"' in nq
        if i % 2:
            assert built, name  # never deleted
        else:
            assert not (built and name in failed)
            if name in failed:
                assert "disappeared after it was listed" in failed[name]
    assert report["articles"] + report["failed"] <= len(names)


# -- HTML: no network, no entity expansion, no script text --------------------------------------


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"Fetched Evil Person met Remote Villain.")

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_hostile_html_fetches_nothing_and_expands_nothing(tmp_path: Path) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        page = f"""<?xml version="1.0"?>
<!DOCTYPE html [
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
  <!ENTITY remote SYSTEM "{url}/entity">
  <!ENTITY lol "lol&lol;">
]>
<html><head><base href="{url}/base/">
<title>Kolar hosts Braun</title>
<link rel="stylesheet" href="{url}/style.css">
<script src="{url}/script.js"></script>
<script>document.write("Script Person met Injected Villain.");</script>
</head><body>
<iframe src="{url}/frame.html">Frame Person met Frame Villain.</iframe>
<article><h1>Kolar hosts Braun</h1>
<p>Marta Kolar met Felix Braun in Vienna. &xxe; &remote; &lol;</p>
<img src="{url}/pixel.gif" onerror="alert(1)">
<object data="{url}/object">Object Person met Object Villain.</object>
<p><a href="javascript:alert(1)">Anya Petrov</a> phoned Jonas Berg.</p>
</article></body></html>
"""
        html = tmp_path / "hostile.html"
        html.write_text(page, encoding="utf-8")
        out = tmp_path / "out"
        res = run_kg("build", html, "--out", out)
        assert res.returncode == 0, res.stderr
    finally:
        server.shutdown()
        server.server_close()
    assert _Counter.hits == []
    nq = (out / "graph.nq").read_text(encoding="utf-8")
    assert "Marta Kolar" in nq and "Anya Petrov" in nq
    for absent in ("root:", "Script Person", "Injected", "Frame Person", "Object Person",
                   "Fetched", "Remote Villain", "lollol", "alert("):
        assert absent not in nq, absent
    assert "Injected Villain" not in (out / "graph.html").read_text(encoding="utf-8")
