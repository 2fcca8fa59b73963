"""Helpers of the security tests: a recording HTTP endpoint, `kg serve` with its log, small
record files. Everything listens on loopback."""

from __future__ import annotations

import http.server
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

import pytest
from test_serve import stop_server


class Recorder(http.server.BaseHTTPRequestHandler):
    """A SPARQL endpoint on loopback that records every request it gets."""

    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        body = (
            b'{"head":{"vars":["s"]},'
            b'"results":{"bindings":[{"s":{"type":"uri","value":"x:leak"}}]}}'
        )
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, format: str, *args: object) -> None:
        pass




@contextmanager
def recording_endpoint() -> Iterator[tuple[str, list[str]]]:
    """(URL, the paths it was asked for) of a loopback endpoint that records every request."""
    hits: list[str] = []
    handler = type("Rec", (Recorder,), {"hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", hits
    finally:
        server.shutdown()
        server.server_close()


def empty_store(out: Path) -> Path:
    """An empty built store: enough to serve and query."""
    from kg.store import open_store

    open_store(out).close()
    return out


class Served:
    """`kg serve` in a subprocess with its log (stderr) kept."""

    def __init__(self, directory: Path, log: Path, *args: str) -> None:
        self.log = log
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kg", "serve", str(directory), "--port", "0", *args],
            stdout=subprocess.PIPE, stderr=log.open("wb"), text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        match = re.search(r"http://(\[[^\]]+\]|[\d.]+):(\d+)/sparql", line)
        if not match:
            self.proc.kill()
            pytest.fail(f"kg serve did not start: {line!r} {log.read_text()!r}")
        self.host = match.group(1).strip("[]")
        self.port = int(match.group(2))
        self.base = f"http://{match.group(1)}:{self.port}/"

    def connect(self, timeout: float = 10) -> socket.socket:
        return socket.create_connection((self.host, self.port), timeout=timeout)

    def raw(self, data: bytes, timeout: float = 20) -> bytes:
        """Send ``data``, read until the server closes (or a response ends)."""
        with self.connect(timeout) as s:
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
            chunks = []
            while chunk := s.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks)

    def stop(self) -> None:
        stop_server(self.proc)  # type: ignore[arg-type]



def write_records(path: Path, doc: str, title: str) -> Path:
    import json

    rel = {"id": f"https://w3id.org/newskg/id/relation/{doc}", "doc": doc, "type": "met",
           "subject": "Anna Weber", "object": "Karl Ott", "sentence": "Anna Weber met Karl Ott.",
           "start": 0, "end": 24}
    path.write_text(json.dumps({"record": "article", "doc": doc, "title": title}) + "\n"
                    + json.dumps(rel) + "\n", encoding="utf-8")
    return path


