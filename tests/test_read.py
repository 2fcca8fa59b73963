"""Reading: every format, every kind of bad input, directories, stdin, the seed's metadata."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import InputError
from kg.extraction.read import ReadWarning, content_hash, read_inputs, read_stdin
from kg.model import Article


def read_all(*inputs: str | Path, **kw: object) -> tuple[list[Article | InputError], list[str]]:
    warnings: list[str] = []

    def sink(w: ReadWarning) -> None:
        warnings.append(str(w))

    items = list(read_inputs(list(inputs), on_warning=sink, **kw))  # type: ignore[arg-type]
    return items, warnings


def one(path: Path, **kw: object) -> Article | InputError:
    items, _ = read_all(path, **kw)
    assert len(items) == 1
    return items[0]


def test_txt_headline_date_author_and_offsets(tmp_path: Path) -> None:
    text = "Leaders meet in Vienna\n\nNovember 11, 2024\n\nBy Ann Lee\n\nKolar met Braun.\n"
    path = tmp_path / "story-1.txt"
    path.write_text(text, encoding="utf-8")
    art = one(path)
    assert isinstance(art, Article)
    assert art.doc == "story-1"
    assert art.title == "Leaders meet in Vienna"
    assert art.date == "2024-11-11"
    assert art.author == "Ann Lee"
    assert art.text == text
    assert art.content_hash == content_hash(text)
    assert art.path == str(path)


def test_crlf_is_read_as_newlines(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"Head line\r\n\r\nKolar met Braun.\r\n")
    art = one(path)
    assert isinstance(art, Article)
    assert art.text == "Head line\n\nKolar met Braun.\n"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty article"),
        ("blank.txt", b"  \n\t\n   \n", "empty article"),
        ("nul.txt", b"Kolar\x00met\x00Braun", "binary"),
        ("png.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("ctrl.txt", bytes(range(1, 9)) * 50, "binary"),
        ("empty.html", b"<html><script>var a = 'Kolar met Braun';</script></html>", "empty"),
        ("bad16.txt", b"\xff\xfeK\x00o", "cannot decode"),
    ],
)
def test_bad_files_are_input_errors(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    err = one(path)
    assert isinstance(err, InputError)
    assert reason in err.message
    assert err.source == str(path)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    err = one(tmp_path / "nope.txt")
    assert isinstance(err, InputError)
    assert "no such file" in str(err)


def test_size_and_line_limits_are_stated(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("Head\n\n" + "Kolar met Braun. " * 100, encoding="utf-8")
    err = one(big, max_bytes=200)
    assert isinstance(err, InputError)
    assert "200 bytes" in err.message and "--max-bytes" in err.message
    err = one(big, max_line=50)
    assert isinstance(err, InputError)
    assert "line 3" in err.message and "50" in err.message


def test_invalid_utf8_is_replaced_and_warned(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes(b"Head\n\nKolar met Br\xe4un in Vienna.\n")
    items, warnings = read_all(path)
    art = items[0]
    assert isinstance(art, Article)
    assert "Br\ufffdun" in art.text
    assert len(warnings) == 1
    assert "latin.txt:3" in warnings[0] and "invalid UTF-8" in warnings[0]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig"])
def test_boms_are_honoured(tmp_path: Path, encoding: str) -> None:
    text = "Headline here\n\nKolar met Brāun.\n"
    path = tmp_path / "bom.txt"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path.write_bytes(data)
    art = one(path)
    assert isinstance(art, Article)
    assert art.text == text
    assert art.title == "Headline here"


def test_jsonl_articles_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a1", "title": "T", "text": "Kolar met Braun.", "url": "https://x.test/1",
                    "date": "2024-11-11T10:03:00Z", "source": "Courier", "author": "Ann Lee"}),
        "",
        "{not json",
        json.dumps({"id": "a2"}),
        json.dumps({"id": "a3", "text": 42}),
        json.dumps(["a list"]),
        json.dumps({"id": "a4", "text": "  "}),
        json.dumps({"id": "a5", "text": "Fine.", "title": {"x": 1}}),
        json.dumps({"text": "No id here."}),
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items, _ = read_all(path)
    first = items[0]
    assert isinstance(first, Article)
    assert (first.doc, first.title, first.date, first.author, first.url, first.source) == (
        "a1", "T", "2024-11-11", "Ann Lee", "https://x.test/1", "Courier"
    )
    errors = [i for i in items if isinstance(i, InputError)]
    assert [(e.line, e.source) for e in errors] == [(n, str(path)) for n in (3, 4, 5, 6, 7, 8)]
    assert "not valid JSON" in errors[0].message
    assert "missing field 'text'" in errors[1].message
    assert "must be a string, not int" in errors[2].message
    assert "JSON object" in errors[3].message
    assert "empty article" in errors[4].message
    assert "'title'" in errors[5].message
    last = items[-1]
    assert isinstance(last, Article) and last.doc == "feed-9"


def test_jsonl_gold_sentences_are_read_as_articles(dev_sentences: Path) -> None:
    items, _ = read_all(dev_sentences)
    assert all(isinstance(i, Article) for i in items)
    arts = [i for i in items if isinstance(i, Article)]
    assert arts[0].doc == "dev-01"
    assert arts[0].text.startswith("Veridian President Marta Kolar met")
    assert len(arts) == sum(1 for line in dev_sentences.read_text().splitlines() if line.strip())


HTML = """<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<html><head><title>Site | Kolar meets Braun</title>
<meta property="article:published_time" content="2025-03-03T09:15:00Z">
<meta name="author" content="Ann Lee">
<meta property="og:site_name" content="Daily Courier">
<link rel="canonical" href="https://courier.test/kolar-braun">
<style>p { color: red }</style>
<script>document.write("Evil Person met Bad Actor");</script>
</head><body>
<header>Menu Home World</header><nav><a href="/">Sections</a></nav>
<article>
<h1>Kolar meets Braun in Vienna</h1>
<p>Veridian President Marta Kolar met <b>Chancellor Felix Braun</b> in Vienna &amp; Graz.</p>
<iframe src="https://ads.test/">Iframe text</iframe>
<aside>Related: Something else</aside>
<figure><img src="x.jpg"><figcaption>Kolar and Braun. Picture: Getty</figcaption></figure>
<noscript>Enable JavaScript</noscript>
<p>&xxe; The talks lasted an hour.</p>
</article>
<footer>Copyright Courier</footer>
</body></html>
"""


def test_html_main_text_only(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(HTML, encoding="utf-8")
    art = one(path)
    assert isinstance(art, Article)
    assert art.doc == "page"
    assert art.title == "Kolar meets Braun in Vienna"
    assert art.date == "2025-03-03"
    assert art.author == "Ann Lee"
    assert art.url == "https://courier.test/kolar-braun"
    assert art.source == "Daily Courier"
    assert art.text.splitlines()[0] == "Kolar meets Braun in Vienna"
    assert "met Chancellor Felix Braun in Vienna & Graz." in art.text
    assert "Kolar and Braun. Picture: Getty" in art.text
    for never in ("Evil", "color", "Menu", "Sections", "Iframe", "Related", "JavaScript",
                  "Copyright", "passwd", "Site |"):
        assert never not in art.text, never


def test_html_without_article_uses_title(tmp_path: Path) -> None:
    path = tmp_path / "bare.htm"
    path.write_text(
        "<html><head><title>Braun wins</title></head><body><div>Braun won the vote.</div>"
        "<div>He thanked voters.</div></body></html>",
        encoding="utf-8",
    )
    art = one(path)
    assert isinstance(art, Article)
    assert art.text == "Braun wins\n\nBraun won the vote.\n\nHe thanked voters.\n"


def test_html_unclosed_head(tmp_path: Path) -> None:
    path = tmp_path / "h5.html"
    path.write_text("<!doctype html><head><title>Braun wins</title><body><p>Braun won.",
                    encoding="utf-8")
    art = one(path)
    assert isinstance(art, Article)
    assert art.text == "Braun wins\n\nBraun won.\n"


def test_directories_recursive_sorted_no_symlink_loop(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "b" / "c").mkdir(parents=True)
    (root / "z.txt").write_text("Zed\n\nText z.", encoding="utf-8")
    (root / "a.txt").write_text("Aye\n\nText a.", encoding="utf-8")
    (root / "b" / "c" / "deep.html").write_text("<p>Deep text</p>", encoding="utf-8")
    (root / "b" / "notes.md").write_text("ignored", encoding="utf-8")
    (root / ".hidden.txt").write_text("Hidden\n\nno.", encoding="utf-8")
    os.symlink(root, root / "b" / "loop")
    items, _ = read_all(root)
    assert [i.doc for i in items if isinstance(i, Article)] == ["a", "deep", "z"]
    assert not any(isinstance(i, InputError) for i in items)


def test_empty_directory_is_an_input_error(tmp_path: Path) -> None:
    items, _ = read_all(tmp_path)
    assert len(items) == 1 and isinstance(items[0], InputError)
    assert "no .txt" in items[0].message


@pytest.mark.parametrize(
    ("data", "doc", "title"),
    [
        (b"Head\n\nKolar met Braun.\n", "stdin", "Head"),
        (b"<html><body><h1>H</h1><p>Kolar met Braun.</p></body></html>", "stdin", "H"),
        (b'{"id": "s1", "text": "Kolar met Braun."}\n', "s1", None),
    ],
)
def test_stdin_formats_are_sniffed(data: bytes, doc: str, title: str | None) -> None:
    from kg.extraction.read import DEFAULT_MAX_BYTES, DEFAULT_MAX_LINE, _Limits

    items = list(read_stdin(_Limits(DEFAULT_MAX_BYTES, DEFAULT_MAX_LINE), lambda w: None,
                            io.BytesIO(data)))
    assert len(items) == 1
    art = items[0]
    assert isinstance(art, Article)
    assert (art.doc, art.title) == (doc, title)


def test_seed_article_metadata(seed_dir: Path) -> None:
    art = one(seed_dir / "seed-article.txt")
    assert isinstance(art, Article)
    assert art.doc == "seed-article"
    assert art.date == "2024-11-11"
    assert art.author == "Kit Heren"
    text = (seed_dir / "seed-article.txt").read_text(encoding="utf-8")
    assert art.title == text.splitlines()[0].strip()
    assert art.text == text


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "x.txt"
        path.write_bytes(data)
        items, _ = read_all(path)
    assert len(items) == 1
    item = items[0]
    assert isinstance(item, Article | InputError)
    if isinstance(item, Article):
        assert item.text.strip()
        assert item.content_hash == content_hash(item.text)
