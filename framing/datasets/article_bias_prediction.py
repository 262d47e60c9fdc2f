"""Loader for Article-Bias-Prediction (Baly et al., EMNLP 2020): AllSides articles labelled left / center / right.

The label is the outlet's AllSides rating, so a classifier must be tested on outlets it never saw
in training (group by ``outlet``), or it learns to recognise outlets rather than leaning.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from framing.datasets._jsonl import iter_jsonl
from framing.errors import FramingError

__all__ = ["load_article_bias_prediction"]


def load_article_bias_prediction(path: str | Path, *, limit: int | None = None) -> pd.DataFrame:
    """Load the articles as a corpus frame.

    Parameters
    ----------
    path : str or Path
        The dataset folder or its ``abp_media_dev.jsonl``.
    limit : int, optional
        Read at most this many articles (in file order).

    Returns
    -------
    DataFrame
        ``doc_id, outlet, title, text, date, url, leaning, topic`` (``leaning``: left / center / right).
    """
    p = Path(path)
    if p.is_dir():
        p = p / "abp_media_dev.jsonl"
    if not p.is_file():
        raise FramingError("E301", f"Article-Bias-Prediction file not found: {p}")
    rows: list[dict] = []
    for n, r in iter_jsonl(p):
        if limit is not None and len(rows) >= limit:
            break
        rows.append({"doc_id": str(r.get("ID") or f"abp-{n}"), "outlet": r.get("source"), "title": r.get("title"),
                     "text": r.get("content_original") or "", "date": r.get("date"), "url": r.get("url"),
                     "leaning": r.get("bias_text"), "topic": r.get("topic")})
    if not rows:
        raise FramingError("E302", f"no articles in {p}")
    return pd.DataFrame(rows)
