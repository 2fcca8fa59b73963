"""Helpers for the data files of ontology/ (patterns, frames): a bad entry must be an error
naming the file and the entry's line."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from kg.errors import KGError


def assert_entry_error(
    tmp_path: Path,
    load: Callable[[Path], Any],
    key: str,
    good: Mapping[str, Any],
    bad: Mapping[str, Any],
    message: str,
) -> None:
    """Write a file whose list ``key`` holds ``good`` then ``bad`` (named "y"), load it with
    ``load`` and check the error matches ``message`` and starts with "file:line" of ``bad``."""
    text = yaml.safe_dump({"version": 1, key: [dict(good), {**bad, "name": "y"}]},
                          sort_keys=False)
    path = tmp_path / f"{key}.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KGError, match=message) as err:
        load(path)
    line = text.splitlines().index("- name: y") + 1
    assert str(err.value).startswith(f"{path}:{line}: ")
