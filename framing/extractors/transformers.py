"""The framing extractors as scikit-learn transformers: raw article texts in, per-article features out.

Use them inside a ``Pipeline`` so that feature extraction is part of what cross-validation
fits on the training folds only::

    from sklearn.pipeline import make_pipeline
    from sklearn.linear_model import LogisticRegression
    pipe = make_pipeline(FramingFeatures(), SimpleImputer(), LogisticRegression())

``X`` is a list / Series of texts, or a DataFrame with a ``text`` column (and optionally
``outlet`` and ``doc_id``). What ``fit`` learns is the set of blocks each outlet repeats
across its training articles (cross-article boilerplate such as a recurring newsletter
prompt), stored in ``repeated_``; ``transform`` uses it, so a test article is never judged
with knowledge of the test set. Every other measure is a pure function of the article.

``set_output(transform="pandas")`` returns a DataFrame with the feature names as columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from framing.errors import FramingError
from framing.options import Options

__all__ = ["FEATURE_GROUPS", "FramingFeatures", "AttributionFeatures", "HedgingFeatures", "BoilerplateFeatures",
           "ActorFeatures", "ReadabilityFeatures"]

#: Per-article features by extractor (columns of ``Analysis.articles``).
FEATURE_GROUPS: dict[str, list[str]] = {
    "boilerplate": ["boilerplate_share", "boilerplate_chars"],
    "attribution": ["n_attributions", "n_direct", "n_indirect", "n_mixed", "n_quotes", "share_distancing_cues",
                    "share_emphatic_cues", "share_unnamed_sources", "share_named_person_sources"],
    "hedging": ["n_hedges", "hedges_per_1k_words", "uncertainty_per_1k_words", "distancing_per_1k_words"],
    "actors": ["n_mentions", "n_actors", "mean_mention_sentiment"],
    "readability": ["n_words", "n_sentences", "avg_sentence_length", "avg_syllables_per_word",
                    "flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog", "coleman_liau_index"],
}
ALL_FEATURES: list[str] = [f for group in FEATURE_GROUPS.values() for f in group]


def _records(X: Any) -> list[dict[str, Any]]:
    """Corpus records from a list of texts or a DataFrame with a ``text`` column."""
    if isinstance(X, pd.DataFrame):
        if "text" not in X.columns:
            raise FramingError("E450", f"a DataFrame passed to a framing transformer needs a 'text' column; "
                                       f"got columns {list(X.columns)[:10]}")
        texts = X["text"].tolist()
        ids = X["doc_id"].astype(str).tolist() if "doc_id" in X.columns else [str(i) for i in X.index]
        outlets = X["outlet"].tolist() if "outlet" in X.columns else [None] * len(X)
    elif isinstance(X, str):
        raise FramingError("E450", "X must be a list of texts (or a DataFrame), not a single string")
    else:
        texts = list(X.tolist() if hasattr(X, "tolist") else X)
        texts = [t[0] if isinstance(t, (list, tuple, np.ndarray)) and len(t) == 1 else t for t in texts]
        ids = [str(i) for i in range(len(texts))]
        outlets = [None] * len(texts)
    bad = [i for i, t in enumerate(texts) if not isinstance(t, str)]
    if bad:
        raise FramingError("E450", f"item {bad[0]} of X is {type(texts[bad[0]]).__name__}, not a text string")
    return [{"doc_id": d, "text": t, "outlet": o if isinstance(o, str) else None}
            for d, t, o in zip(ids, texts, outlets)]


class FramingFeatures(TransformerMixin, BaseEstimator):
    """Per-article framing features of raw texts (all extractors, or a chosen subset of features).

    Parameters
    ----------
    features : list of str or str, optional
        Feature names (columns of ``Analysis.articles``) or a group name from :data:`FEATURE_GROUPS`;
        default: every feature of this transformer's group (all groups for ``FramingFeatures``).
    options : Options or dict, optional
        Extraction options (see :class:`framing.Options`).
    learn_repetition : bool
        Learn each outlet's repeated blocks (boilerplate) in ``fit``.

    Attributes
    ----------
    feature_names_out_ : ndarray of str
    repeated_ : dict
        Outlet -> normalised block keys seen repeatedly in the training texts.
    options_ : Options
    """

    _group: str | None = None

    def __init__(self, features: Sequence[str] | str | None = None, options: Options | dict | None = None,
                 learn_repetition: bool = True):
        self.features = features
        self.options = options
        self.learn_repetition = learn_repetition

    def _feature_list(self) -> list[str]:
        f = self.features
        if f is None:
            return list(FEATURE_GROUPS[self._group]) if self._group else list(ALL_FEATURES)
        if isinstance(f, str):
            if f not in FEATURE_GROUPS:
                raise FramingError("E451", f"unknown feature group {f!r}; groups: {', '.join(FEATURE_GROUPS)}")
            return list(FEATURE_GROUPS[f])
        f = list(f)
        unknown = [x for x in f if x not in ALL_FEATURES]
        if unknown or not f:
            raise FramingError("E451", f"unknown feature(s) {unknown or '[]'}; known: {', '.join(ALL_FEATURES)}")
        return f

    def _options(self) -> Options:
        o = self.options
        if o is None:
            return Options()
        if isinstance(o, Options):
            return o.validate()
        if isinstance(o, dict):
            return Options.from_dict(o).validate()
        raise FramingError("E452", f"options must be an Options, a dict or None, not {type(o).__name__}")

    def fit(self, X: Any, y: Any = None) -> FramingFeatures:
        """Check the parameters and learn each outlet's repeated blocks from ``X``."""
        from framing.pipeline import outlet_repetition

        self.feature_names_out_ = np.asarray(self._feature_list(), dtype=object)
        self.options_ = self._options()
        if not isinstance(self.learn_repetition, bool):
            raise FramingError("E452", "learn_repetition must be True or False")
        recs = _records(X)
        self.repeated_ = outlet_repetition(recs, self.options_) if self.learn_repetition else {}
        self.n_features_out_ = len(self.feature_names_out_)
        return self

    def transform(self, X: Any) -> np.ndarray:
        """Analyse every text and return its features, shape ``(n_texts, n_features)``; NaN when undefined."""
        from framing.pipeline import analyze_record

        check_is_fitted(self, "feature_names_out_")
        out = np.full((0, len(self.feature_names_out_)), np.nan)
        rows = []
        for rec in _records(X):
            res = analyze_record(rec, self.options_, self.repeated_.get(rec["outlet"] or "", frozenset()))
            art = res.article or {}
            rows.append([_num(art.get(f)) for f in self.feature_names_out_])
        return np.asarray(rows, dtype=float) if rows else out

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """The names of the output columns."""
        check_is_fitted(self, "feature_names_out_")
        return self.feature_names_out_.copy()

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.requires_fit = True
        return tags


def _num(v: Any) -> float:
    try:
        return float(v) if v is not None else float("nan")
    except (TypeError, ValueError):
        return float("nan")


class AttributionFeatures(FramingFeatures):
    """Attribution features: counts by kind, shares of distancing / emphatic cues and of source types."""

    _group = "attribution"


class HedgingFeatures(FramingFeatures):
    """Hedging features: hedges, uncertainty and distancing cues per 1,000 words."""

    _group = "hedging"


class BoilerplateFeatures(FramingFeatures):
    """Boilerplate features: share and characters of the page that are not journalism."""

    _group = "boilerplate"


class ActorFeatures(FramingFeatures):
    """Actor features: mentions, distinct actors, mean sentiment around mentions."""

    _group = "actors"


class ReadabilityFeatures(FramingFeatures):
    """Readability features: words, sentences, Flesch and other grade formulas."""

    _group = "readability"
