"""Output files written safely: a fresh temporary file next to the target, renamed onto it.

A fixed temporary name (``graph.nq.tmp``) lets anyone who can write in the output directory
plant a symlink there and have the next build overwrite a file elsewhere. Temporary files are
therefore created with :func:`tempfile.mkstemp` (a random name opened with ``O_EXCL``, which
never opens an existing file or follows a symlink), and the final :func:`os.replace` replaces
a planted symlink itself rather than writing through it. A failed write (a full disk) removes
its temporary file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

# The process umask, read once at import (single-threaded), so outputs get the usual mode
# rather than mkstemp's 0600.
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def check_out_dir(out_dir: Path) -> Path:
    """``out_dir`` if it can be the output directory: a directory, or not there yet. A file or
    a dangling symlink is a :class:`~kg.errors.UsageError` naming it."""
    from kg.errors import UsageError

    out_dir = Path(out_dir)
    if out_dir.is_symlink() and not out_dir.exists():
        raise UsageError(
            f"--out {out_dir} is a symlink to {os.readlink(out_dir)}, which does not exist; "
            "create that directory or give another --out"
        )
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"--out {out_dir} exists and is not a directory")
    return out_dir


def new_temp(target: Path, suffix: str = ".tmp") -> Path:
    """A new empty file next to ``target`` with a random name (created with ``O_EXCL``)."""
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=suffix)
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)
    finally:
        os.close(fd)
    return Path(name)


def nofollow(path: str, flags: int) -> int:
    """An ``opener`` for :func:`open` that refuses to follow a symlink at ``path``."""
    return os.open(path, flags | getattr(os, "O_NOFOLLOW", 0), 0o666)


@contextlib.contextmanager
def atomic_file(target: Path, mode: str = "wb", **kwargs: Any) -> Iterator[IO[Any]]:
    """Write ``target`` through a new temporary file, renamed onto it when the block ends
    without error; on any error the temporary file is removed and ``target`` is untouched."""
    target = Path(target)
    tmp = new_temp(target)
    try:
        with open(tmp, mode, opener=nofollow, **kwargs) as fh:
            yield fh
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomic(target: Path, data: bytes) -> None:
    """``target`` holds ``data`` (see :func:`atomic_file`)."""
    with atomic_file(target) as fh:
        fh.write(data)


__all__ = ["atomic_file", "check_out_dir", "new_temp", "nofollow", "write_atomic"]
