"""Loaders for two main-text extraction benchmarks of real HTML pages.

* **Article Extraction Benchmark** (Zyte/Scrapinghub, MIT): pages with a human-checked article body
  (``ground-truth.json`` + ``html/<id>.html.gz``).
* **trafilatura evaluation set**, English subset (Apache-2.0): pages with snippets that must /
  must not appear in the extracted main text (``evaldata_en.json`` + ``html/*.html.gz``).

Both return tidy DataFrames; the HTML is decoded here (UTF-8; pages that are not valid UTF-8 fall
back to their declared ``charset`` or Windows-1252), so evaluation code never touches bytes.

Error codes: ``E340`` folder or file missing, ``E341`` malformed annotation file.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pandas as pd

from framing.errors import FramingError

__all__ = ["load_article_extraction_benchmark", "load_trafilatura_eval", "decode_html"]

_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.I)


def decode_html(data: bytes) -> str:
    """Decode page bytes: UTF-8, else the declared charset, else Windows-1252 (never fails)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    m = _CHARSET.search(data[:4096])
    if m:
        try:
            return data.decode(m.group(1).decode("ascii", "replace"))
        except (LookupError, UnicodeDecodeError):
            pass
    return data.decode("cp1252", errors="replace")


def _read_json(path: Path) -> dict:
    if not path.is_file():
        raise FramingError("E340", f"annotation file not found: {path}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FramingError("E341", f"cannot read annotation file {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise FramingError("E341", f"{path} should hold a JSON object keyed by page id")
    return data


def _read_gz(path: Path) -> str:
    if not path.is_file():
        raise FramingError("E340", f"HTML file not found: {path}")
    with gzip.open(path, "rb") as fh:
        return decode_html(fh.read())


def load_article_extraction_benchmark(path: str | Path) -> pd.DataFrame:
    """The Article Extraction Benchmark folder as a frame: ``id, url, html, gold_body``.

    ``path`` is the folder holding ``ground-truth.json`` and ``html/``. Pages listed in the ground
    truth whose HTML file is absent are skipped (the folder may hold only one split).
    """
    root = Path(path)
    truth = _read_json(root / "ground-truth.json")
    rows = []
    for pid, rec in truth.items():
        if not isinstance(rec, dict) or "articleBody" not in rec:
            raise FramingError("E341", f"ground-truth entry {pid!r} has no 'articleBody'")
        html_path = root / "html" / f"{pid}.html.gz"
        if not html_path.is_file():
            continue
        rows.append(
            {"id": pid, "url": rec.get("url"), "html": _read_gz(html_path), "gold_body": rec["articleBody"] or ""}
        )
    if not rows:
        raise FramingError("E340", f"no pages with HTML found under {root}")
    return pd.DataFrame(rows, columns=["id", "url", "html", "gold_body"])


def load_trafilatura_eval(path: str | Path) -> pd.DataFrame:
    """The trafilatura evaluation set (English) as a frame: ``id, url, html, with, without``.

    ``with`` / ``without`` are lists of snippets that must / must not appear in the main text;
    ``url`` is None for the entries keyed ``hard::<file>`` upstream.
    """
    root = Path(path)
    data = _read_json(root / "evaldata_en.json")
    rows = []
    for key, rec in data.items():
        if not isinstance(rec, dict) or "html_gz" not in rec:
            raise FramingError("E341", f"entry {key!r} has no 'html_gz'")
        rows.append({
            "id": key,
            "url": key if key.startswith(("http://", "https://")) else None,
            "html": _read_gz(root / rec["html_gz"]),
            "with": list(rec.get("with") or []),
            "without": list(rec.get("without") or []),
        })
    return pd.DataFrame(rows, columns=["id", "url", "html", "with", "without"])
