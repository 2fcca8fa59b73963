"""Placeholder: filled in by the issue that owns this command."""

from __future__ import annotations
