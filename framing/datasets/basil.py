"""Loader for BASIL (Fan et al., EMNLP 2019): the same events told by Fox News, NYT and HuffPost.

Turns ``basil_dev.jsonl`` (one article per line, with its upstream sentence list and annotated
bias spans) into the corpus frame :func:`framing.analyze` takes. The article text is the title
line followed by the paragraphs (sentences joined by a space, paragraphs by a blank line), so the
toolkit's offsets index into that text; ``story`` is the triplet id, so same-story comparison can
use the known triplets instead of matching.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from framing.datasets._jsonl import iter_jsonl
from framing.errors import FramingError

__all__ = ["load_basil", "OUTLETS"]

OUTLETS = {"fox": "Fox News", "nyt": "New York Times", "hpo": "HuffPost"}
_STANCE = {"liberal": "left", "left": "left", "center": "center", "conservative": "right", "right": "right"}


def _file(path: str | Path) -> Path:
    p = Path(path)
    if p.is_dir():
        p = p / "basil_dev.jsonl"
    if not p.is_file():
        raise FramingError("E301", f"BASIL file not found: {p} (expected basil_dev.jsonl)")
    return p


def load_basil(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Load BASIL articles and their annotated bias spans.

    Parameters
    ----------
    path : str or Path
        The BASIL folder or its ``basil_dev.jsonl``.

    Returns
    -------
    articles : DataFrame
        ``doc_id, outlet, title, text, date, url, story, main_event, stance`` — the corpus frame for
        :func:`framing.analyze` plus the triplet id (``story``) and the annotated relative stance.
    spans : DataFrame
        ``doc_id, bias, target, polarity, quote, speaker, sentence_index, text`` (``bias``: ``lex`` or ``inf``).
    """
    rows, spans = [], []
    for _, r in iter_jsonl(_file(path)):
        src = str(r.get("source", "")).lower()
        # ``uuid`` is the literal "empty" for a few articles; triplet + outlet is unique.
        doc_id = f"{src}/{r.get('triplet_uuid') or r.get('article_file')}"
        paras = [" ".join(s.strip() for s in p) for p in r.get("paragraphs") or []]
        title = (r.get("title") or "").strip()
        stance = (r.get("article_annotations") or {}).get("relative_stance")
        rows.append({"doc_id": doc_id, "outlet": OUTLETS.get(src, src), "title": title,
                     "text": title + "\n\n" + "\n\n".join(paras), "date": r.get("date"), "url": r.get("url"),
                     "story": r.get("triplet_uuid"), "main_event": r.get("main_event"),
                     "stance": _STANCE.get(str(stance).lower()) if stance else None})
        for s in r.get("spans") or []:
            spans.append({"doc_id": doc_id, "bias": s.get("bias"), "target": s.get("target"),
                          "polarity": s.get("polarity"), "quote": s.get("quote"), "speaker": s.get("speaker"),
                          "sentence_index": s.get("sentence_index"), "text": s.get("txt")})
    if not rows:
        raise FramingError("E302", "the BASIL file has no articles")
    return pd.DataFrame(rows), pd.DataFrame(spans)
