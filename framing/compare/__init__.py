"""Compare outlets: statistics with uncertainty, same-story matching, actor framing, classifiers.

Everything here reads the tables of an :class:`framing.Analysis` (or its ``articles`` frame); nothing
re-runs the extractors. Modules, one per concern:

``stats``
    per-outlet summaries with bootstrap confidence intervals, pairwise differences with effect
    sizes, permutation tests and multiple-comparison correction, tidy paper-ready tables.
``stories``
    same-story matching (TF-IDF cosine similarity within a date window) and within-story differences.
``actors``
    actor framing per outlet: sentiment with CI, distancing cues on the actor's quotes, speaker vs mentioned.
``classify``
    scikit-learn pipelines predicting the outlet (or a user label) with grouped, leakage-safe CV.
``evidence``
    example sentences behind a number, for readers to check.
"""

from __future__ import annotations

from framing.compare.actors import actor_framing
from framing.compare.classify import cross_validate, feature_frame, leakage_report, make_classifier
from framing.compare.evidence import feature_evidence
from framing.compare.stats import (
    FEATURES,
    adjust_pvalues,
    cliffs_delta,
    hedges_g,
    pairwise_differences,
    paper_table,
    source_type_shares,
    summarize_outlets,
    top_speakers,
)
from framing.compare.stories import match_stories, story_differences

__all__ = [
    "FEATURES",
    "actor_framing",
    "adjust_pvalues",
    "cliffs_delta",
    "cross_validate",
    "feature_evidence",
    "feature_frame",
    "hedges_g",
    "leakage_report",
    "make_classifier",
    "match_stories",
    "pairwise_differences",
    "paper_table",
    "source_type_shares",
    "story_differences",
    "summarize_outlets",
    "top_speakers",
]
