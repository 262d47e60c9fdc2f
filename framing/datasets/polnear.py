"""Loader for PolNeAR (Newell, Margolin & Ruths, LREC 2018): attribution relations in brat standoff.

Layout expected under ``path`` (as in the upstream repository)::

    metadata.tsv                        publisher, date, title, annotators per article
    <split>/text/<basename>.txt         article text (first line = headline)
    <split>/attributions/<basename>_<annotator>.ann

Why a loader of our own: the evaluation needs character offsets into the exact ``.txt``, the
relation structure (``E`` lines tie a Cue to its Source and Content), discontinuous spans
(``"a b;c d"``) and a fixed choice among annotators.

Conventions chosen here
-----------------------
* A few agreement-check articles have one ``.ann`` file per annotator. We keep **the first
  annotator file per article in sorted file-name order**, so every article is scored once and
  the choice is reproducible.
* A discontinuous span is reported by its outer bounds (``*_start`` = min, ``*_end`` = max) and
  its exact pieces in ``*_spans`` (a tuple of ``(start, end)``), so overlap scoring can use either.
* Relations without a source (``Attribution-no-source``) have ``source_start``/``source_end`` = ``None``
  (pandas ``<NA>``) and ``has_source`` False.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from framing.errors import FramingError

__all__ = ["load_polnear", "parse_ann"]

_SPLITS = ("dev", "train", "train_sample", "test")
_SPAN = re.compile(r"(\d+)\s+(\d+)")


def _spans(field: str) -> tuple[tuple[int, int], ...]:
    """``"12 20;25 30"`` -> ``((12, 20), (25, 30))``."""
    return tuple((int(a), int(b)) for a, b in _SPAN.findall(field))


def parse_ann(text: str) -> tuple[dict[str, tuple[str, tuple[tuple[int, int], ...]]], list[dict[str, str]]]:
    """Parse one brat ``.ann`` file.

    Returns
    -------
    spans : dict
        ``T`` id -> ``(label, ((start, end), ...))``.
    relations : list of dict
        One dict per ``E`` line: role (``Attribution``, ``Cue``, ``Source``, ``Content``,
        ``anchor_label``) -> ``T`` id.
    """
    spans: dict[str, tuple[str, tuple[tuple[int, int], ...]]] = {}
    relations: list[dict[str, str]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = line.split("\t")
        ident = parts[0]
        if ident.startswith("T") and len(parts) >= 2:
            label, _, offsets = parts[1].partition(" ")
            spans[ident] = (label, _spans(offsets))
        elif ident.startswith("E") and len(parts) >= 2:
            rel: dict[str, str] = {}
            for arg in parts[1].split():
                role, _, tid = arg.partition(":")
                if role.startswith("Attribution"):
                    rel["anchor_label"] = role
                    rel["Attribution"] = tid
                else:
                    rel[role] = tid
            relations.append(rel)
    return spans, relations


def _read_metadata(root: Path) -> dict[str, dict[str, str]]:
    meta_path = root / "metadata.tsv"
    if not meta_path.is_file():
        return {}
    with meta_path.open(encoding="utf-8", newline="") as fh:
        return {row["filename"]: row for row in csv.DictReader(fh, delimiter="\t")}


def load_polnear(path: str | Path, split: str = "dev") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Load one split of PolNeAR.

    Parameters
    ----------
    path : str or Path
        The PolNeAR folder (holding ``metadata.tsv`` and the split folders).
    split : str
        ``"dev"``, ``"train"``, ``"train_sample"`` or ``"test"`` (whichever is present).

    Returns
    -------
    articles : DataFrame
        ``doc_id, outlet, title, text, date, annotator`` — one row per article with annotation.
    attributions : DataFrame
        ``doc_id, annotator, relation, cue_start, cue_end, source_start, source_end,
        content_start, content_end, has_source, cue_spans, source_spans, content_spans,
        cue_text, source_text, content_text``.

    Raises
    ------
    FramingError
        ``E301`` when the folder or split is missing, ``E302`` when a split has no annotation.
    """
    root = Path(path)
    split_dir = root / split
    text_dir, ann_dir = split_dir / "text", split_dir / "attributions"
    if not root.is_dir():
        raise FramingError("E301", f"PolNeAR folder not found: {str(root)!r}")
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise FramingError(
            "E301",
            f"PolNeAR split {split!r} not found under {str(root)!r}: expected {split}/text/ and "
            f"{split}/attributions/ (known split names: {', '.join(_SPLITS)})",
        )
    meta = _read_metadata(root)
    # First annotator file per article, in sorted file-name order.
    chosen: dict[str, Path] = {}
    for ann in sorted(ann_dir.glob("*.ann")):
        base, _, _annotator = ann.stem.rpartition("_")
        if base and base not in chosen:
            chosen[base] = ann
    if not chosen:
        raise FramingError("E302", f"no .ann files in {str(ann_dir)!r}")

    art_rows, rel_rows = [], []
    for base in sorted(chosen):
        txt = text_dir / f"{base}.txt"
        if not txt.is_file():
            raise FramingError("E301", f"PolNeAR text file missing for annotation {chosen[base].name}: {txt}")
        text = txt.read_text(encoding="utf-8")
        annotator = chosen[base].stem.rpartition("_")[2]
        m = meta.get(base, {})
        first_line = text.strip().split("\n", 1)[0] if text.strip() else ""
        art_rows.append(
            {
                "doc_id": base,
                "outlet": m.get("publisher") or base.split("_", 1)[0],
                "title": m.get("title") or first_line,
                "text": text,
                "date": pd.to_datetime(m.get("publication_date") or base.split("_")[1], errors="coerce"),
                "annotator": annotator,
            }
        )
        spans, relations = parse_ann(chosen[base].read_text(encoding="utf-8"))
        for i, rel in enumerate(relations):
            row: dict = {"doc_id": base, "annotator": annotator, "relation": i}
            for role in ("Cue", "Source", "Content"):
                key = role.lower()
                pieces = spans.get(rel.get(role, ""), ("", ()))[1]
                row[f"{key}_spans"] = pieces
                row[f"{key}_start"] = min(s for s, _ in pieces) if pieces else None
                row[f"{key}_end"] = max(e for _, e in pieces) if pieces else None
                row[f"{key}_text"] = " … ".join(text[s:e] for s, e in pieces)
            if not row["cue_spans"]:  # fall back to the anchor, which shares the cue's span
                pieces = spans.get(rel.get("Attribution", ""), ("", ()))[1]
                row["cue_spans"] = pieces
                row["cue_start"] = min(s for s, _ in pieces) if pieces else None
                row["cue_end"] = max(e for _, e in pieces) if pieces else None
                row["cue_text"] = " … ".join(text[s:e] for s, e in pieces)
            row["has_source"] = bool(row["source_spans"])
            rel_rows.append(row)
    cols = [
        "doc_id",
        "annotator",
        "relation",
        "cue_start",
        "cue_end",
        "source_start",
        "source_end",
        "content_start",
        "content_end",
        "has_source",
        "cue_spans",
        "source_spans",
        "content_spans",
        "cue_text",
        "source_text",
        "content_text",
    ]
    attributions = pd.DataFrame(rel_rows, columns=cols)
    for c in ("cue_start", "cue_end", "source_start", "source_end", "content_start", "content_end"):
        attributions[c] = attributions[c].astype("Int64")
    articles = pd.DataFrame(art_rows, columns=["doc_id", "outlet", "title", "text", "date", "annotator"])
    return articles, attributions
