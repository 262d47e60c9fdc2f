"""The sentences behind a number: example findings a reader can check against the text.

Every per-article feature is a count or share of findings with character offsets; for a
feature (and an outlet) :func:`feature_evidence` picks example findings and returns the
sentence each occurs in, with the offsets of the finding inside that sentence, so a report
can show (and highlight) exactly what was counted.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from framing.compare.stats import articles_of
from framing.errors import FramingError

__all__ = ["EVIDENCE_RULES", "feature_evidence", "findings_for"]

#: feature -> (table, row filter, description of what is highlighted)
EVIDENCE_RULES: dict[str, tuple[str, Any, str]] = {
    "share_distancing_cues": ("attributions", lambda d: d.cue_class == "distancing", "distancing cue"),
    "share_emphatic_cues": ("attributions", lambda d: d.cue_class == "emphatic", "emphatic cue"),
    "share_unnamed_sources": ("attributions", lambda d: d.source_type == "unnamed", "unnamed source"),
    "share_named_person_sources": ("attributions", lambda d: d.source_type == "named_person", "named source"),
    "n_attributions": ("attributions", None, "attribution cue"),
    "n_quotes": ("attributions", lambda d: d.quote_start.notna(), "attribution cue"),
    "hedges_per_1k_words": ("hedges", None, "hedge"),
    "uncertainty_per_1k_words": ("hedges", lambda d: d.category == "uncertainty", "uncertainty hedge"),
    "distancing_per_1k_words": ("hedges", lambda d: d.category.astype(str).str.startswith("distancing"),
                                "distancing hedge"),
    "boilerplate_share": ("boilerplate", None, "boilerplate"),
    "mean_mention_sentiment": ("mentions", None, "actor mention"),
}


def findings_for(analysis: Any, feature: str) -> tuple[pd.DataFrame, str]:
    """The rows of the findings table that a feature counts, and what they are called."""
    if feature not in EVIDENCE_RULES:
        raise FramingError("E430", f"no sentence-level evidence defined for {feature!r}; "
                                   f"known: {', '.join(EVIDENCE_RULES)}")
    table, keep, what = EVIDENCE_RULES[feature]
    df = getattr(analysis, table, None)
    if df is None:
        raise FramingError("E430", f"evidence needs an Analysis with a {table} table")
    if keep is not None and len(df):
        df = df[keep(df).fillna(False).astype(bool)]
    return df, what


def _sentence(text: str, start: int, end: int, max_chars: int) -> tuple[int, int]:
    """Bounds of the sentence (or line) around [start, end), at most ``max_chars`` long around the span."""
    from framing.document import split_sentences

    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    s0, s1 = line_start, line_end
    try:
        for a, b in split_sentences(text, line_start, line_end):
            if a <= start < b:
                s0, s1 = a, max(b, end)
                break
    except Exception:  # segmentation is a nicety here; fall back to the line
        pass
    if s1 - s0 > max_chars:
        half = max(0, (max_chars - (end - start)) // 2)
        s0, s1 = max(s0, start - half), min(s1, end + half)
    return s0, s1


def feature_evidence(analysis: Any, feature: str, outlet: str | None = None, n: int = 3, *, seed: int = 0,
                     max_chars: int = 300, actor: str | None = None) -> pd.DataFrame:
    """Example sentences for a feature (optionally for one outlet or one actor), for a reader to check.

    Examples are drawn from different articles where possible (random, seeded). For
    ``mean_mention_sentiment`` the mentions with the strongest sentiment (either sign) come first.

    Returns
    -------
    DataFrame
        ``outlet, doc_id, feature, what, label, sentence, mark_start, mark_end, start, end`` where
        ``sentence[mark_start:mark_end]`` is the finding and ``start, end`` its offsets in the article.
    """
    arts = articles_of(analysis)
    rows, what = findings_for(analysis, feature)
    rows = rows.merge(arts[["doc_id", "outlet"]], on="doc_id")
    if outlet is not None:
        rows = rows[rows.outlet == outlet]
    if actor is not None and "actor" in rows:
        rows = rows[rows.actor == actor]
    cols = ["outlet", "doc_id", "feature", "what", "label", "sentence", "mark_start", "mark_end", "start", "end"]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    rng = np.random.default_rng(seed)
    rows = rows.assign(_r=rng.random(len(rows)))
    if feature == "mean_mention_sentiment":
        rows = rows.assign(_r=-rows.sentiment.abs().fillna(0))
    rows = rows.sort_values("_r", kind="stable")
    # one per article first, then the rest
    rows = pd.concat([rows.drop_duplicates("doc_id"), rows[rows.duplicated("doc_id")]]).head(n)
    texts = dict(zip(analysis.texts.doc_id, analysis.texts.text))
    out = []
    for r in rows.itertuples():
        text = texts.get(r.doc_id)
        if text is None:
            continue
        start, end = int(r.start), int(r.end)
        if feature == "share_unnamed_sources" and pd.notna(getattr(r, "speaker_start", None)):
            start, end = int(r.speaker_start), int(r.speaker_end)
        s0, s1 = _sentence(text, start, end, max_chars)
        table = EVIDENCE_RULES[feature][0]
        if table == "attributions":
            label = r.cue
        elif table == "hedges":
            label = f"{r.cue} ({r.category})"
        elif table == "boilerplate":
            label = r.kind
        else:
            label = f"{r.actor}: sentiment {r.sentiment:+.2f}"
        out.append({"outlet": r.outlet, "doc_id": r.doc_id, "feature": feature, "what": what, "label": str(label),
                    "sentence": text[s0:s1], "mark_start": max(0, start - s0), "mark_end": min(s1, end) - s0,
                    "start": start, "end": end})
    return pd.DataFrame(out, columns=cols)
