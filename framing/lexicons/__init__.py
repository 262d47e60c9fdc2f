"""Versioned rule and lexicon files, and their loader.

Every lexicon is a tab-separated file in this package with a header row and a
``source`` column that says where each entry comes from (a paper, a style
guide, an annotated corpus, or "framing" for entries written here after
studying data). Lines starting with ``#`` are comments; a ``# version: X``
comment gives the lexicon's version, recorded in every :class:`~framing.Analysis`.

Users extend a lexicon by passing their own TSV file with the same columns
(see :func:`load_lexicon`); see ``SOURCES.md`` in this folder for provenance.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources
from pathlib import Path

from framing.errors import FramingError

__all__ = ["load_lexicon", "lexicon_version", "available_lexicons"]


def available_lexicons() -> list[str]:
    """Names of the lexicons shipped with the package."""
    root = resources.files(__name__)
    return sorted(p.name[:-4] for p in root.iterdir() if p.name.endswith(".tsv"))


def _parse(text: str, origin: str) -> tuple[str, list[dict[str, str]]]:
    version = "unversioned"
    rows = []
    lines = []
    for line in text.splitlines():
        if line.startswith("#"):
            if line.lower().startswith("# version:"):
                version = line.split(":", 1)[1].strip()
            continue
        if line.strip():
            lines.append(line)
    if not lines:
        raise FramingError("E101", f"lexicon {origin!r} has no header row")
    reader = csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t", quoting=csv.QUOTE_NONE)
    for i, row in enumerate(reader, start=2):
        if None in row or any(v is None for v in row.values()):
            raise FramingError("E102", f"lexicon {origin!r}, data row {i}: wrong number of tab-separated fields")
        rows.append({k: v.strip() for k, v in row.items()})
    return version, rows


@cache
def _load_builtin(name: str) -> tuple[str, tuple[dict[str, str], ...]]:
    try:
        text = resources.files(__name__).joinpath(f"{name}.tsv").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FramingError(
            "E100", f"no built-in lexicon named {name!r}; available: {', '.join(available_lexicons())}"
        ) from None
    version, rows = _parse(text, name)
    return version, tuple(rows)


def load_lexicon(name: str, extra: str | Path | None = None) -> list[dict[str, str]]:
    """Rows of the built-in lexicon ``name``, plus those of a user TSV file ``extra``.

    The user file must have the same columns as the built-in one. Rows come back
    as dicts (copies: changing them does not change the cache).

    Examples
    --------
    >>> rows = load_lexicon("cues")
    >>> next(r["cue_class"] for r in rows if r["cue"] == "claimed")
    'distancing'
    """
    _, rows = _load_builtin(name)
    out = [dict(r) for r in rows]
    if extra is not None:
        path = Path(extra)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise FramingError("E103", f"cannot read lexicon file {str(path)!r}: {exc}") from exc
        _, user_rows = _parse(text, str(path))
        if user_rows and set(user_rows[0]) != set(rows[0] if rows else user_rows[0]):
            raise FramingError(
                "E104",
                f"lexicon file {str(path)!r} has columns {sorted(user_rows[0])}, expected {sorted(rows[0])}",
            )
        out.extend(user_rows)
    return out


def lexicon_version(name: str) -> str:
    """The ``# version:`` of a built-in lexicon."""
    return _load_builtin(name)[0]
