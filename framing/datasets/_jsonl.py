"""JSON Lines reading shared by the dataset loaders: one record per non-blank line, clear errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from framing.errors import FramingError


def iter_jsonl(path: Path) -> Iterator[tuple[int, Any]]:
    """``(line number, record)`` for every non-blank line; a malformed line raises E303 naming it."""
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                yield n, json.loads(line)
            except json.JSONDecodeError as exc:
                raise FramingError("E303", f"line {n} of {path.name} is not valid JSON: {exc}") from None
