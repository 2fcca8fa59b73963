"""Reading: files, directories and standard input to :class:`~kg.model.Article` objects.

Inputs are untrusted. Each bad input becomes an :class:`~kg.errors.InputError` naming the file
(and line) in the stream instead of an exception, so one broken file never stops the others.
Formats: ``.txt`` (first line the headline, dateline and byline near the top), ``.html`` /
``.htm`` (main text only, through the standard library parser: no network, no entities beyond
HTML's character references), ``.jsonl`` (one article object a line) and directories.
Problems that lose nothing essential (invalid UTF-8) are warnings, reported through a callback.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import html
import io
import json
import logging
import os
import re
import stat
import sys
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, BinaryIO

from kg.errors import InputError
from kg.extraction.clean import find_metadata, iter_lines, parse_date, wire_dateline
from kg.model import Article

#: Largest article accepted (bytes of one file, or of one JSONL line).
DEFAULT_MAX_BYTES = 5_000_000
#: Longest line of article text accepted (characters); longer lines are not prose.
DEFAULT_MAX_LINE = 100_000

TEXT_SUFFIXES = (".txt", ".text")
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl",)
#: Files picked up when a directory is read (other files there are ignored).
DIRECTORY_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES

STDIN = "-"
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReadWarning:
    """A problem that did not stop an input from being read (e.g. invalid UTF-8 replaced)."""

    source: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.message}"


WarningSink = Callable[[ReadWarning], None]


def _log_warning(w: ReadWarning) -> None:
    _log.warning("%s", w)


@dataclass(frozen=True)
class _Limits:
    max_bytes: int
    max_line: int


# ---------------------------------------------------------------------------------------------
# Decoding


def decode(data: bytes, source: str, warn: WarningSink, *, line: int | None = None) -> str:
    """Bytes to text: BOMs honoured (UTF-8, UTF-16, UTF-32), invalid UTF-8 replaced and reported.

    Newlines are normalised to ``\\n`` as Python's text mode does, so offsets are stable.
    Raises InputError for binary data (NUL bytes outside UTF-16/32).
    """
    codec = next(
        (
            name
            for bom, name in (
                (codecs.BOM_UTF32_LE, "utf-32"),
                (codecs.BOM_UTF32_BE, "utf-32"),
                (codecs.BOM_UTF8, "utf-8-sig"),
                (codecs.BOM_UTF16_LE, "utf-16"),
                (codecs.BOM_UTF16_BE, "utf-16"),
            )
            if data.startswith(bom)
        ),
        "utf-8",
    )
    if codec in ("utf-8", "utf-8-sig") and b"\x00" in data:
        raise InputError("binary file (contains NUL bytes), not text", source, line)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        if codec.startswith("utf-32") or codec == "utf-16":
            raise InputError(f"cannot decode as {codec}: {exc.reason}", source, line) from None
        text = data.decode(codec, errors="replace")
        bad_line = data.count(b"\n", 0, exc.start) + 1 if line is None else line
        count = text.count("\ufffd") - data.decode(codec, errors="ignore").count("\ufffd")
        warn(
            ReadWarning(
                source,
                f"invalid UTF-8 ({count} byte sequence(s) replaced with U+FFFD, first at "
                f"byte {exc.start})",
                bad_line,
            )
        )
    if "\x00" in text:
        raise InputError("binary file (contains NUL characters), not text", source, line)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _check_text(text: str, source: str, limits: _Limits, line: int | None = None) -> None:
    if not text.strip():
        raise InputError("empty article (no text, or only whitespace)", source, line)
    if _looks_binary(text):
        raise InputError("binary data (control characters), not text", source, line)
    for number, raw in enumerate(text.split("\n"), start=1):
        if len(raw) > limits.max_line:
            where = f"line {number}" if line is None else "a line of its text"
            raise InputError(
                f"{where} is {len(raw)} characters long, over the limit of {limits.max_line} "
                "(--max-line)",
                source,
                line,
            )


_CONTROL = re.compile(r"[\x01-\x08\x0e-\x1f\x7f]")


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    return len(_CONTROL.findall(sample)) > max(8, len(sample) // 100)


def content_hash(text: str) -> str:
    """sha256 of the text as read: the identity used for incremental builds."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# ---------------------------------------------------------------------------------------------
# Plain text

#: A character reference with its semicolon: "&#233;", "&#xE9;", "&amp;". Without the
#: semicolon ("AT&T", "R&D") the ampersand is plain text.
_CHARREF = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def decode_entities(text: str) -> str:
    """Text with HTML character references decoded ("communiqu&#233;" -> "communiqué").

    Plain-text news exports (wire archives, scraped pages saved as text) keep references that
    the parser would read as words. The reader decodes them once, and the decoded text is the
    article's text, so every offset computed later points into what was parsed. A reference
    to a control character (``&#3;``, the end of a wire story) or to no character at all is
    dropped; an unknown name ("&foo;") is left as written.
    """

    def one(m: re.Match[str]) -> str:
        ref = m.group(0)
        out = html.unescape(ref)
        if out == ref:
            return ref
        return "".join(ch for ch in out if ch in "\t\n" or unicodedata.category(ch) not in _DROP)

    return _CHARREF.sub(one, text) if "&" in text else text


_DROP = frozenset({"Cc", "Cs", "Cn"})


def _first_line_title(text: str) -> str | None:
    """The headline of a plain text: its first line, unless that line opens with a wire
    dateline (then the text starts with the story and has no headline)."""
    first = next(iter_lines(text), None)
    if first is None or wire_dateline(first.text) is not None:
        return None
    return " ".join(first.text.split())


def text_article(
    text: str, doc: str, *, path: str | None = None, source: str | None = None
) -> Article:
    """An article from plain text: first non-empty line the headline, date and author found."""
    found_date, author = find_metadata(text)
    return Article(
        doc=doc,
        text=text,
        title=_first_line_title(text),
        date=found_date,
        author=author,
        source=source,
        path=path,
        content_hash=content_hash(text),
    )


# ---------------------------------------------------------------------------------------------
# HTML

_SKIP_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "iframe",
        "form", "button", "select", "svg", "canvas", "object", "embed", "video", "audio", "menu",
        "dialog", "head",
    }
)  # fmt: skip
_VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
     "source", "track", "wbr"}
)  # fmt: skip
_BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li",
        "ul", "ol", "blockquote", "figcaption", "figure", "tr", "td", "th", "table", "pre",
        "dd", "dt", "dl", "address", "br", "hr", "caption", "summary", "details", "body",
    }
)  # fmt: skip
_MAIN_TAGS = frozenset({"article", "main"})
_DATE_META = (
    "article:published_time", "og:article:published_time", "datepublished", "date",
    "pubdate", "publishdate", "dc.date", "dcterms.created", "sailthru.date", "parsely-pub-date",
)  # fmt: skip
_AUTHOR_META = ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author")


class _MainTextParser(HTMLParser):
    """Collects text blocks, headline and metadata; skips scripts, styles and page chrome."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[bool, str]] = []  # (inside <article>/<main>, text)
        self.meta: dict[str, str] = {}
        self.title_parts: list[str] = []
        self.h1: str | None = None
        self.canonical: str | None = None
        self.time_datetime: str | None = None
        self._current: list[str] = []
        self._skip: list[str] = []  # stack of open skipped tags
        self._main = 0
        self._in_title = False
        self._in_h1 = False
        self._h1_parts: list[str] = []

    def _flush(self) -> None:
        text = " ".join("".join(self._current).split())
        if text:
            self.blocks.append((self._main > 0, text))
        self._current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and "content" in a and key not in self.meta:
                self.meta[key] = a["content"].strip()
            return
        if tag == "link" and "canonical" in a.get("rel", "").lower().split():
            self.canonical = self.canonical or a.get("href") or None
            return
        if tag == "time" and a.get("datetime") and self.time_datetime is None:
            self.time_datetime = a["datetime"]
        if tag == "body" and "head" in self._skip:
            self._skip = []  # an unclosed <head> (valid HTML5) ends where <body> begins
        if tag == "title" and not self._skip_all_but_head():
            self._in_title = True
            return
        if self._skip or tag in _SKIP_TAGS:
            if tag not in _VOID_TAGS:
                self._skip.append(tag)
            return
        if tag in _BLOCK_TAGS:
            self._flush()
        if tag in _MAIN_TAGS:
            self._main += 1
        if tag == "h1" and self.h1 is None:
            self._in_h1 = True

    def _skip_all_but_head(self) -> bool:
        return any(t != "head" for t in self._skip)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID_TAGS or tag == "meta" or tag == "link":
            self.handle_starttag(tag, attrs)
        if tag in _BLOCK_TAGS and not self._skip:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
            return
        if self._skip:
            if tag in self._skip:
                while self._skip and self._skip.pop() != tag:
                    pass
            return
        if tag in _BLOCK_TAGS:
            self._flush()
        if tag in _MAIN_TAGS and self._main:
            self._main -= 1
        if tag == "h1" and self._in_h1:
            self._in_h1 = False
            self.h1 = " ".join("".join(self._h1_parts).split()) or None

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)
            return
        if self._skip:
            return
        self._current.append(data)
        if self._in_h1:
            self._h1_parts.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def _html_charset(data: bytes) -> str | None:
    m = re.search(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", data[:4096], re.I)
    if not m:
        return None
    name = m.group(1).decode("ascii").lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _decode_html(data: bytes, source: str, warn: WarningSink) -> str:
    charset = _html_charset(data)
    if charset and charset not in ("utf-8", "utf-16", "utf-32") and not data.startswith(
        (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    ):
        if b"\x00" in data:
            raise InputError("binary file (contains NUL bytes), not text", source)
        return data.decode(charset, errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    return decode(data, source, warn)


def html_article(
    markup: str, doc: str, *, path: str | None = None, warn: WarningSink | None = None
) -> Article:
    """An article from HTML: the main text as paragraphs, headline and metadata from the page.

    ``warn`` hears of a page date that cannot be read (the article then has the date found
    in its text, if any)."""
    parser = _MainTextParser()
    parser.feed(markup)
    parser.close()
    in_main = [t for inside, t in parser.blocks if inside]
    blocks = in_main or [t for _, t in parser.blocks]
    meta = parser.meta
    title = (
        parser.h1
        or meta.get("og:title")
        or " ".join("".join(parser.title_parts).split())
        or None
    )
    if title and (not blocks or blocks[0] != title):
        blocks.insert(0, title)
    text = "\n\n".join(blocks) + ("\n" if blocks else "")
    raw_date = next((meta[k] for k in _DATE_META if meta.get(k)), None) or parser.time_datetime
    author = next((meta[k] for k in _AUTHOR_META if meta.get(k)), None)
    if author and re.match(r"^[a-z]+://", author):
        author = None  # article:author is often a profile URL, not a name
    if raw_date and parse_date(raw_date) is None and warn is not None:
        warn(ReadWarning(path or doc, _bad_date(raw_date)))
    found_date, found_author = find_metadata(text)
    url = parser.canonical or meta.get("og:url") or None
    return Article(
        doc=doc,
        text=text,
        title=title,
        date=(parse_date(raw_date) if raw_date else None) or found_date,
        author=author or found_author,
        url=url if url and re.match(r"^https?://", url) else None,
        source=meta.get("og:site_name") or None,
        path=path,
        content_hash=content_hash(text),
    )


# ---------------------------------------------------------------------------------------------
# JSONL

_JSONL_FIELDS = ("id", "title", "url", "date", "source", "author")


def _opt_str(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(f"field {key!r} must be a string, not {type(value).__name__}")
    return str(value).strip() or None


def jsonl_article(obj: Any, source: str, line: int, stem: str, limits: _Limits) -> Article:
    """One JSONL line (already parsed) to an article; raises InputError naming file:line.

    The article text is ``text``; a gold sentence line (``sentence`` + ``relations``, as in the
    dev set) is read as an article too, so gold files can be extracted directly.
    """
    if not isinstance(obj, dict):
        raise InputError(f"expected a JSON object, got {type(obj).__name__}", source, line)
    key = "text" if "text" in obj or "sentence" not in obj else "sentence"
    text = obj.get(key)
    if text is None:
        raise InputError("missing field 'text' (the article text)", source, line)
    if not isinstance(text, str):
        raise InputError(
            f"field {key!r} must be a string, not {type(text).__name__}", source, line
        )
    try:
        fields = {k: _opt_str(obj, k) for k in _JSONL_FIELDS}
    except ValueError as exc:
        raise InputError(str(exc), source, line) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        raise InputError("binary data (NUL characters) in the text", source, line)
    _check_text(text, source, limits, line)
    doc = fields["id"] or f"{stem}-{line}"
    found_date, author = find_metadata(text)
    raw_date = fields["date"]
    return Article(
        doc=doc,
        text=text,
        title=fields["title"],
        date=_given_date(raw_date) or found_date,
        author=fields["author"] or author,
        url=fields["url"],
        source=fields["source"],
        path=f"{source}:{line}",
        content_hash=content_hash(text),
    )


def _bad_date(raw: str) -> str:
    return (
        f"article date {raw[:80]!r} is not a date newskg can read (such as 2024-03-05, "
        "5 March 2024, 2024-03 or 2024); the article keeps the date found in its text, if any"
    )


_PARTIAL_DATE = re.compile(r"^\d{4}(?:-(?:0[1-9]|1[0-2]))?$")


def _given_date(raw: str | None) -> str | None:
    """A JSONL ``date`` as ISO: a full date in any form parse_date reads, or a year or
    year-month kept as given ("1987", "1987-03"), which a wire dateline's day completes."""
    if not raw:
        return None
    return parse_date(raw) or (raw if _PARTIAL_DATE.match(raw) else None)


def _jsonl_lines(fh: BinaryIO, source: str, limits: _Limits) -> Iterator[tuple[int, bytes]]:
    number = 0
    while True:
        raw = fh.readline(limits.max_bytes + 1)
        if not raw:
            return
        number += 1
        if len(raw) > limits.max_bytes and not raw.endswith(b"\n"):
            # Skip the rest of the over-long line, then report it.
            while raw and not raw.endswith(b"\n"):
                raw = fh.readline(1 << 20)
            yield number, b""  # marker: too long
            continue
        yield number, raw


def read_jsonl(
    fh: BinaryIO, source: str, stem: str, limits: _Limits, warn: WarningSink
) -> Iterator[Article | InputError]:
    """Stream articles from JSONL, one per line; blank lines are skipped."""
    head = fh.peek(4)[:4] if hasattr(fh, "peek") else b""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        data = fh.read(limits.max_bytes + 1)
        if len(data) > limits.max_bytes:
            yield InputError(_too_big(len(data), limits, approx=True), source)
            return
        try:
            text = decode(data, source, warn)
        except InputError as exc:
            yield exc
            return
        lines: Iterator[tuple[int, bytes]] = (
            (i, s.encode("utf-8")) for i, s in enumerate(text.split("\n"), start=1)
        )
    else:
        lines = _jsonl_lines(fh, source, limits)
    for number, raw in lines:
        if number == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        if raw == b"" and number > 0:
            yield InputError(
                f"line is longer than the limit of {limits.max_bytes} bytes (--max-bytes)",
                source,
                number,
            )
            continue
        try:
            line_text = decode(raw, source, warn, line=number).strip()
            if not line_text:
                continue
            try:
                obj = json.loads(line_text)
            except json.JSONDecodeError as exc:
                raise InputError(
                    f"not valid JSON: {exc.msg} (column {exc.colno})", source, number
                ) from None
            if isinstance(obj, dict):
                obj = _replace_surrogates(obj, source, number, warn)
            article = jsonl_article(obj, source, number, stem, limits)
            raw_date = obj.get("date")
            if isinstance(raw_date, str) and raw_date.strip() and not _given_date(raw_date):
                warn(ReadWarning(source, _bad_date(raw_date), number))
            yield article
        except InputError as exc:
            yield exc


_SURROGATE = re.compile("[\ud800-\udfff]")


def _replace_surrogates(
    obj: dict[str, Any], source: str, line: int, warn: WarningSink
) -> dict[str, Any]:
    """JSON may escape lone UTF-16 surrogates (``"\\ud800"``), which no UTF-8 output can hold:
    they become U+FFFD, with a warning, as invalid UTF-8 does."""
    count = 0
    fixed: dict[str, Any] = {}
    for key, value in obj.items():
        if isinstance(value, str) and _SURROGATE.search(value):
            value, n = _SURROGATE.subn("\ufffd", value)
            count += n
        fixed[key] = value
    if count:
        warn(ReadWarning(source, f"{count} lone surrogate escape(s) replaced with U+FFFD", line))
    return fixed


# ---------------------------------------------------------------------------------------------
# Files, directories, standard input


def _too_big(size: int, limits: _Limits, *, approx: bool = False) -> str:
    amount = f"more than {limits.max_bytes}" if approx else str(size)
    return f"file is {amount} bytes, over the limit of {limits.max_bytes} bytes (--max-bytes)"


def _kind(name: str) -> str:
    lower = name.lower()
    if lower.endswith(HTML_SUFFIXES):
        return "html"
    if lower.endswith(JSONL_SUFFIXES):
        return "jsonl"
    return "text"


def _sniff(data: bytes) -> str:
    head = data.lstrip()[:200].lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in head:
        return "html"
    if head.startswith(b"{"):
        return "jsonl"
    return "text"


def _article_from_bytes(
    data: bytes, kind: str, doc: str, source: str, limits: _Limits, warn: WarningSink
) -> Article:
    if kind == "html":
        text = html_article(_decode_html(data, source, warn), doc, path=source, warn=warn)
    else:
        text = text_article(decode_entities(decode(data, source, warn)), doc, path=source)
    _check_text(text.text, source, limits)
    return text


_FILE_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _os_reason(exc: OSError) -> str:
    """A user-facing reason for an OSError while opening or reading an input."""
    if exc.errno == errno.ENOENT:
        return (
            "cannot read: no such file (it disappeared after it was listed, or is a dangling "
            "symbolic link)"
        )
    if exc.errno == errno.ENXIO:
        return "cannot read: a socket or a device with nothing behind it, not a regular file"
    if exc.errno == errno.ELOOP:
        return "cannot read: too many levels of symbolic links (a symlink loop)"
    return f"cannot read: {exc.strerror or exc}"


def _open_regular(path: Path, source: str) -> io.BufferedReader:
    """Open ``path`` for reading only if it is a regular file.

    ``O_NONBLOCK`` keeps a FIFO from blocking the open, and the type is checked on the open
    descriptor (not the name), so a file swapped between listing and reading cannot slip in.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            what = next((name for test, name in _FILE_KINDS if test(mode)), "not a regular file")
            raise InputError(f"cannot read: {what}, not a regular file", source)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_file(
    path: Path, limits: _Limits, warn: WarningSink, *, display: str | None = None
) -> Iterator[Article | InputError]:
    """One file: a single article, or many for JSONL.

    Anything but a regular file (FIFO, socket, device, directory), a file that vanished or a
    symlink loop is an InputError naming the file; nothing blocks or raises.
    """
    source = display or str(path)
    kind = _kind(path.name)
    stem = path.name.rsplit(".", 1)[0] if "." in path.name.lstrip(".") else path.name
    try:
        with _open_regular(path, source) as fh:
            if kind == "jsonl":
                yield from read_jsonl(fh, source, stem, limits, warn)
                return
            size = os.fstat(fh.fileno()).st_size
            if size > limits.max_bytes:
                yield InputError(_too_big(size, limits), source)
                return
            data = fh.read(limits.max_bytes + 1)
        if len(data) > limits.max_bytes:  # it grew while being read
            yield InputError(_too_big(len(data), limits, approx=True), source)
            return
    except InputError as exc:
        yield exc
        return
    except OSError as exc:
        yield InputError(_os_reason(exc), source)
        return
    try:
        yield _article_from_bytes(data, kind, stem, source, limits, warn)
    except InputError as exc:
        yield exc


def read_stdin(limits: _Limits, warn: WarningSink, stream: BinaryIO | None = None) -> Iterator[
    Article | InputError
]:
    """Standard input (``-``): text, HTML or JSONL, told apart by the first bytes."""
    fh = stream if stream is not None else sys.stdin.buffer
    data = fh.read(limits.max_bytes + 1)
    source = "<stdin>"
    kind = _sniff(data)
    if kind == "jsonl":
        data += fh.read()  # JSONL is limited per line, not as a whole
        yield from read_jsonl(io.BufferedReader(io.BytesIO(data)), source, "stdin", limits, warn)
        return
    if len(data) > limits.max_bytes:
        yield InputError(_too_big(len(data), limits, approx=True), source)
        return
    try:
        yield _article_from_bytes(data, kind, "stdin", source, limits, warn)
    except InputError as exc:
        yield exc


def walk_directory(
    root: Path, skip: AbstractSet[str] = frozenset()
) -> Iterator[Path | InputError]:
    """Article files under ``root``: recursive, sorted, hidden names skipped.

    Symlinked directories are followed once each (by real path), so a link loop ends. A
    subdirectory that cannot be listed is an InputError; an entry whose type cannot be read
    (a symlink loop) is yielded when its name is an article's, so reading it reports why.
    Files and directories whose real path is in ``skip`` (the build's own outputs) are left out.
    """
    seen: set[str] = set(skip)
    skip_names = {os.path.basename(p) for p in skip}

    def walk(d: Path) -> Iterator[Path | InputError]:
        real = os.path.realpath(d)
        if real in seen:
            return
        seen.add(real)
        try:
            with os.scandir(d) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            yield InputError(f"cannot list the directory: {exc.strerror or exc}", str(d))
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            p = Path(entry.path)
            if entry.name in skip_names and os.path.realpath(p) in skip:
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                yield from walk(p)
            elif entry.name.lower().endswith(DIRECTORY_SUFFIXES):
                yield p

    yield from walk(root)


def read_inputs(
    inputs: Sequence[str | Path],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_line: int = DEFAULT_MAX_LINE,
    on_warning: WarningSink | None = None,
    stdin: BinaryIO | None = None,
    skip: AbstractSet[str] = frozenset(),
) -> Iterator[Article | InputError]:
    """Articles from files, directories and ``-`` (standard input), in the order given.

    Yields an :class:`InputError` in place of each input (or JSONL line) that cannot be used.
    ``on_warning`` receives problems that did not stop reading (default: logged). Directory
    walks leave out the real paths in ``skip``.
    """
    limits = _Limits(max_bytes=max_bytes, max_line=max_line)
    warn = on_warning or _log_warning
    for item in inputs:
        if str(item) == STDIN:
            yield from read_stdin(limits, warn, stdin)
            continue
        path = Path(item)
        if path.is_dir():
            found = False
            for file in walk_directory(path, skip):
                found = True
                if isinstance(file, InputError):
                    yield file
                else:
                    yield from read_file(file, limits, warn)
            if not found:
                yield InputError(
                    "directory holds no .txt, .html, .htm or .jsonl files", str(path)
                )
        elif path.exists() or path.is_symlink():
            yield from read_file(path, limits, warn)
        else:
            yield InputError("no such file or directory", str(path))


__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_LINE",
    "DIRECTORY_SUFFIXES",
    "ReadWarning",
    "WarningSink",
    "content_hash",
    "decode",
    "decode_entities",
    "html_article",
    "jsonl_article",
    "read_file",
    "read_inputs",
    "read_jsonl",
    "read_stdin",
    "text_article",
    "walk_directory",
]
