"""The numbers shown next to an article: one place, used by the HTML view, the terminal and the worksheet."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from framing.view.escape import plain

__all__ = ["Number", "article_numbers", "speakers", "actors_of", "article_meta", "hedge_counts"]


@dataclass
class Number:
    """One headline number: ``label``, the formatted ``value`` and a one-line ``help``."""

    key: str
    label: str
    value: str
    help: str
    raw: float | None = None


def _get(row: dict[str, Any], key: str) -> float | None:
    try:
        v = float(row.get(key))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def article_meta(articles: pd.DataFrame, doc_id: str) -> dict[str, Any]:
    """The ``articles`` row of ``doc_id`` as a dict (empty when the article has no row)."""
    if articles is None or articles.empty:
        return {}
    hit = articles[articles.doc_id == doc_id]
    return hit.iloc[0].to_dict() if len(hit) else {}


def _pct(v: float | None) -> str:
    return "\u2013" if v is None else f"{100 * v:.0f}%"


def _num(v: float | None, digits: int = 1) -> str:
    return "\u2013" if v is None else f"{v:.{digits}f}"


def _reading(v: float | None) -> str:
    if v is None:
        return "\u2013"
    band = ("very hard" if v < 30 else "hard" if v < 50 else "fairly hard" if v < 60 else "standard" if v < 70
            else "easy")
    return f"{v:.0f} ({band})"


def article_numbers(row: dict[str, Any]) -> list[Number]:
    """The side-panel numbers of one article, from its ``articles`` row (missing values show as a dash)."""
    n_attr = _get(row, "n_attributions")
    out = [
        Number("boilerplate_share", "Not news (boilerplate)", _pct(_get(row, "boilerplate_share")),
               "Share of the page's characters that are appeals, prompts, links or widgets.",
               _get(row, "boilerplate_share")),
        Number("n_attributions", "Reported statements", _num(n_attr, 0),
               "How often the article reports what someone said.", n_attr),
        Number("n_quotes", "Direct quotes", _num(_get(row, "n_quotes"), 0),
               "Statements with the speaker's own words in quotation marks.", _get(row, "n_quotes")),
        Number("share_distancing_cues", "Distancing cues", _pct(_get(row, "share_distancing_cues")),
               "Share of reporting verbs like 'claimed' or 'alleged' (instead of 'said').",
               _get(row, "share_distancing_cues")),
        Number("share_unnamed_sources", "Unnamed sources", _pct(_get(row, "share_unnamed_sources")),
               "Share of statements whose speaker is not named ('officials', 'a source').",
               _get(row, "share_unnamed_sources")),
        Number("hedges_per_1k_words", "Hedges per 1,000 words", _num(_get(row, "hedges_per_1k_words")),
               "Words that add doubt or distance ('reportedly', 'may', 'unconfirmed').",
               _get(row, "hedges_per_1k_words")),
        Number("flesch_reading_ease", "Reading ease (Flesch)", _reading(_get(row, "flesch_reading_ease")),
               "0\u2013100; higher is easier. Most news scores 30\u201360.", _get(row, "flesch_reading_ease")),
        Number("flesch_kincaid_grade", "School grade (Flesch\u2013Kincaid)", _num(_get(row, "flesch_kincaid_grade")),
               "US school grade a reader needs to follow the text.", _get(row, "flesch_kincaid_grade")),
        Number("n_words", "Words (news part)", _num(_get(row, "n_words"), 0),
               "Words outside boilerplate.", _get(row, "n_words")),
    ]
    return out


def speakers(attributions: pd.DataFrame, doc_id: str) -> list[dict[str, Any]]:
    """Who is quoted and how: one dict per canonical speaker, most-quoted first.

    Keys: ``speaker``, ``source_type``, ``n``, ``direct`` (quotes in their own words),
    ``cues`` (``{cue_class: [cue, ...]}``).
    """
    if attributions is None or attributions.empty:
        return []
    rows = attributions[attributions.doc_id == doc_id]
    out: dict[str, dict[str, Any]] = {}
    for r in rows.to_dict("records"):
        name = plain(r.get("canonical_speaker")) or plain(r.get("speaker")) or "(no speaker found)"
        d = out.setdefault(name, {"speaker": name, "source_type": plain(r.get("source_type")).replace("_", " "),
                                  "n": 0, "direct": 0, "cues": {}})
        d["n"] += 1
        d["direct"] += plain(r.get("kind")) in ("direct", "mixed")
        d["cues"].setdefault(plain(r.get("cue_class"), "neutral"), []).append(plain(r.get("cue")))
    return sorted(out.values(), key=lambda d: (-d["n"], d["speaker"].lower()))


def actors_of(mentions: pd.DataFrame, doc_id: str) -> list[dict[str, Any]]:
    """Actors mentioned, with number of mentions and mean sentiment, most-mentioned first."""
    if mentions is None or mentions.empty:
        return []
    rows = mentions[mentions.doc_id == doc_id]
    out = []
    for actor, g in rows.groupby("actor", sort=True):
        s = pd.to_numeric(g["sentiment"], errors="coerce")
        out.append({"actor": plain(actor), "n": len(g), "mean_sentiment": float(s.mean()) if s.notna().any()
                    else float("nan")})
    return sorted(out, key=lambda d: (-d["n"], d["actor"].lower()))


def hedge_counts(hedges: pd.DataFrame, doc_id: str) -> dict[str, int]:
    """Number of hedges per category."""
    if hedges is None or hedges.empty:
        return {}
    rows = hedges[hedges.doc_id == doc_id]
    return {plain(k): int(v) for k, v in rows["category"].value_counts().sort_index().items()}
