"""Predict the outlet (or a user label such as leaning) from framing features, TF-IDF, or both — honestly.

Honest means: articles about the same story (and near-duplicates such as syndicated wire copy)
never sit on both sides of a train/test split, so a classifier cannot score by recognising a
story it has already seen. Folds are built with scikit-learn's ``StratifiedGroupKFold`` over
story groups (or dates, or outlets). When the label is a property of the outlet (its leaning),
group by outlet so that test outlets are never seen in training — the lesson of Baly et al.
(EMNLP 2020): otherwise the model learns the outlet, not the leaning.

Every score comes with two baselines evaluated on the same folds: the majority class and a
stratified random guess (``DummyClassifier``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from framing.compare.stats import articles_of
from framing.compare.stories import body_texts
from framing.errors import FramingError

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

__all__ = ["FRAMING_FEATURES", "feature_frame", "make_classifier", "make_splitter", "story_groups",
           "near_duplicate_pairs", "leakage_report", "cross_validate", "CVResult"]

log = logging.getLogger(__name__)

#: Interpretable per-article features used by the "features" model (present columns only).
FRAMING_FEATURES: list[str] = [
    "boilerplate_share", "n_attributions", "n_direct", "n_indirect", "n_mixed", "n_quotes",
    "share_distancing_cues", "share_emphatic_cues", "share_unnamed_sources", "share_named_person_sources",
    "hedges_per_1k_words", "uncertainty_per_1k_words", "distancing_per_1k_words",
    "n_mentions", "n_actors", "mean_mention_sentiment",
    "n_words", "n_sentences", "avg_sentence_length", "avg_syllables_per_word",
    "flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog", "coleman_liau_index",
]
KINDS = ("features", "tfidf", "both")


def feature_frame(data: Any, features: Sequence[str] | None = None, *, body_only: bool = True) -> pd.DataFrame:
    """One row per article: the numeric framing features plus a ``text`` column (for TF-IDF).

    With ``body_only`` the text has the article's boilerplate spans removed, so TF-IDF does not
    learn an outlet's newsletter prompt instead of its writing.
    """
    arts = articles_of(data).reset_index(drop=True)
    feats = [f for f in (features or FRAMING_FEATURES) if f in arts.columns]
    if features is not None and len(feats) < len(features):
        missing = sorted(set(features) - set(feats))
        raise FramingError("E440", f"unknown feature column(s): {', '.join(missing)}")
    X = arts[feats].apply(pd.to_numeric, errors="coerce").astype(float)
    if "text" in arts.columns:
        text = arts.text.fillna("").astype(str)
    elif getattr(data, "texts", None) is not None:
        if body_only:
            text = body_texts(data, arts.doc_id)
        else:
            texts = dict(zip(data.texts.doc_id, data.texts.text))
            text = arts.doc_id.map(lambda d: str(texts.get(d, "") or ""))
    else:
        text = pd.Series([""] * len(arts))
    X["text"] = text.to_numpy()
    X.index = arts.doc_id.to_numpy()
    X.index.name = "doc_id"
    return X


def make_classifier(kind: str = "both", features: Sequence[str] | None = None, *, C: float = 1.0,
                    max_features: int = 20_000, min_df: int = 2, seed: int = 0) -> Pipeline:
    """A scikit-learn ``Pipeline`` over a :func:`feature_frame`: ``"features"``, ``"tfidf"`` or ``"both"``.

    Framing features are median-imputed (with missing-value indicators: a share is undefined in an
    article without attributions) and standardised; text goes through a sublinear TF-IDF. The model
    is a class-balanced logistic regression.
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    if kind not in KINDS:
        raise FramingError("E441", f"unknown classifier kind {kind!r}; use one of {', '.join(KINDS)}")
    feats = list(features or FRAMING_FEATURES)
    parts: list[tuple[str, Any, Any]] = []
    if kind in ("features", "both"):
        parts.append(("framing", Pipeline([("impute", SimpleImputer(strategy="median", add_indicator=True,
                                                                    keep_empty_features=True)),
                                           ("scale", StandardScaler())]), feats))
    if kind in ("tfidf", "both"):
        parts.append(("tfidf", TfidfVectorizer(sublinear_tf=True, min_df=min_df, max_features=max_features,
                                               stop_words="english"), "text"))
    return Pipeline([("columns", ColumnTransformer(parts)),
                     ("model", LogisticRegression(C=C, max_iter=3000, class_weight="balanced", random_state=seed))])


def near_duplicate_pairs(texts: Sequence[str], threshold: float = 0.8) -> np.ndarray:
    """Index pairs ``(i, j)``, ``i < j``, of texts whose TF-IDF cosine similarity is at least ``threshold``."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [str(t) for t in texts]
    if len(texts) < 2:
        return np.empty((0, 2), dtype=int)
    x = TfidfVectorizer(sublinear_tf=True).fit_transform(texts)
    out = []
    for start in range(0, len(texts), 1000):
        block = (x[start:start + 1000] @ x.T).tocoo()
        keep = (block.data >= threshold) & (block.row + start < block.col)
        out.append(np.column_stack([block.row[keep] + start, block.col[keep]]))
    return np.concatenate(out).astype(int)


def story_groups(data: Any, stories: pd.DataFrame | None = None, *, duplicate_threshold: float = 0.8,
                 **match_kwargs: Any) -> np.ndarray:
    """Group labels for CV: matched stories, merged with any near-duplicate pair (so duplicates share a group).

    ``stories`` is a frame with ``doc_id, story`` (e.g. from :func:`framing.compare.match_stories`, or known
    story ids such as BASIL triplets); when absent, stories are matched here.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    from framing.compare.stories import match_stories

    arts = articles_of(data).reset_index(drop=True)
    if stories is None:
        stories = match_stories(data, **match_kwargs)
    story = arts.doc_id.map(dict(zip(stories.doc_id, stories.story)))
    if story.isna().any():
        raise FramingError("E442", f"{int(story.isna().sum())} article(s) have no story id in `stories`")
    codes = pd.factorize(story)[0]
    n = len(arts)
    X = feature_frame(data, features=[])
    pairs = near_duplicate_pairs(X.text.tolist(), duplicate_threshold)
    # link every article to its story node (n + code) and near-duplicates to each other
    r = np.concatenate([np.arange(n), pairs[:, 0]])
    c = np.concatenate([n + codes, pairs[:, 1]])
    g = coo_matrix((np.ones(len(r)), (r, c)), shape=(n + codes.max() + 1, n + codes.max() + 1))
    return connected_components(g, directed=False)[1][:n]


def make_splitter(y: np.ndarray, groups: np.ndarray | None, n_splits: int = 5,
                  seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """``StratifiedGroupKFold`` over ``groups`` (or ``StratifiedKFold`` when ``groups`` is None), with the
    number of folds capped by the number of groups and of the smallest class.

    Returns
    -------
    list of (train_idx, test_idx)
    """
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

    y = np.asarray(y)
    if groups is None:
        k = min(n_splits, int(pd.Series(y).value_counts().min()))
        if k < 2:
            raise FramingError("E443", "every class needs at least 2 examples for cross-validation")
        return list(StratifiedKFold(k, shuffle=True, random_state=seed).split(np.zeros(len(y)), y))
    n_groups = len(np.unique(groups))
    k = min(n_splits, n_groups)
    if k < 2:
        raise FramingError("E443", f"only {n_groups} group(s): cannot build grouped folds")
    folds = list(StratifiedGroupKFold(k, shuffle=True, random_state=seed).split(np.zeros(len(y)), y, groups))
    return [(tr, te) for tr, te in folds if len(te) and len(np.unique(y[tr])) >= 2]


def leakage_report(texts: Sequence[str], folds: list[tuple[np.ndarray, np.ndarray]], *, threshold: float = 0.8,
                   pairs: np.ndarray | None = None) -> pd.DataFrame:
    """Per fold, how many near-duplicate pairs straddle train and test.

    Returns
    -------
    DataFrame
        ``fold, n_test, n_leaking_pairs, share_test_with_duplicate_in_train``.
    """
    pairs = near_duplicate_pairs(texts, threshold) if pairs is None else pairs
    rows = []
    for k, (tr, te) in enumerate(folds):
        in_tr = np.zeros(len(texts), bool)
        in_tr[tr] = True
        in_te = np.zeros(len(texts), bool)
        in_te[te] = True
        a, b = pairs[:, 0], pairs[:, 1]
        cross = (in_tr[a] & in_te[b]) | (in_te[a] & in_tr[b])
        leaked = set(a[cross & in_te[a]]) | set(b[cross & in_te[b]])
        rows.append({"fold": k, "n_test": len(te), "n_leaking_pairs": int(cross.sum()),
                     "share_test_with_duplicate_in_train": len(leaked) / len(te) if len(te) else np.nan})
    return pd.DataFrame(rows)


@dataclass
class CVResult:
    """Cross-validated scores of every model and baseline on the same folds."""

    scores: pd.DataFrame
    summary: pd.DataFrame
    confusion: dict[str, pd.DataFrame]
    importance: pd.DataFrame
    predictions: pd.DataFrame
    folds: list[tuple[np.ndarray, np.ndarray]]
    params: dict[str, Any] = field(default_factory=dict)

    def table(self, digits: int = 3) -> pd.DataFrame:
        """Macro-F1 as ``mean ± sd`` per model, baselines included (paste-ready)."""
        s = self.summary
        return pd.DataFrame({"model": s.model,
                             "macro-F1": [f"{m:.{digits}f} ± {v:.{digits}f}" for m, v in zip(s.f1_mean, s.f1_sd)],
                             "accuracy": [f"{m:.{digits}f}" for m in s.acc_mean]}).set_index("model")


def _resolve_groups(data: Any, arts: pd.DataFrame, group_by: Any, stories: pd.DataFrame | None,
                    match_kwargs: dict) -> tuple[np.ndarray | None, str]:
    if group_by is None or (isinstance(group_by, str) and group_by == "random"):
        return None, "random (StratifiedKFold; may leak same-story articles)"
    if isinstance(group_by, str):
        if group_by == "story":
            return story_groups(data, stories, **match_kwargs), "by story (matched stories + near-duplicates)"
        if group_by == "date":
            d = pd.to_datetime(arts["date"], errors="coerce").dt.strftime("%Y-%m-%d")
            if d.isna().all():
                raise FramingError("E444", "group_by='date' but no article has a date")
            return d.fillna("no-date").to_numpy(), "by publication date"
        if group_by in arts.columns:
            return arts[group_by].astype(str).to_numpy(), f"by {group_by}"
        raise FramingError("E444", f"unknown group_by {group_by!r}: use 'story', 'date', 'random', a column name "
                                   "or an array of group labels")
    g = np.asarray(group_by)
    if len(g) != len(arts):
        raise FramingError("E444", f"group_by has {len(g)} labels for {len(arts)} articles")
    return g, "by given groups"


def cross_validate(data: Any, target: str | Sequence[Any] = "outlet", *, group_by: Any = "story",
                   kinds: Sequence[str] = KINDS, features: Sequence[str] | None = None, n_splits: int = 5,
                   stories: pd.DataFrame | None = None, importance: bool = True, n_repeats: int = 5,
                   seed: int = 0, classifier_kwargs: dict | None = None, **match_kwargs: Any) -> CVResult:
    """Cross-validate outlet (or label) classifiers with grouped folds and baselines.

    Parameters
    ----------
    data : Analysis or DataFrame
    target : str or array
        A column of the articles table (default ``"outlet"``) or one label per article.
    group_by : {"story", "date", "random"}, column name or array
        ``"story"`` (default): matched stories merged with near-duplicates; ``"outlet"`` for outlet-level
        labels (test outlets unseen in training); ``"random"``: plain stratified folds (leaky, for contrast).
    kinds : subset of ("features", "tfidf", "both")
    importance : bool
        Permutation importance (drop in macro-F1) of each framing feature for the ``features`` model,
        on the test folds.

    Returns
    -------
    CVResult
    """
    from sklearn.base import clone
    from sklearn.dummy import DummyClassifier
    from sklearn.metrics import accuracy_score, f1_score

    arts = articles_of(data).reset_index(drop=True)
    X = feature_frame(data, features)
    feats = [c for c in X.columns if c != "text"]
    if isinstance(target, str):
        if target not in arts.columns:
            raise FramingError("E445", f"target column {target!r} not in the articles table")
        y_all = arts[target]
    else:
        y_all = pd.Series(list(target))
        if len(y_all) != len(arts):
            raise FramingError("E445", f"target has {len(y_all)} labels for {len(arts)} articles")
    keep = y_all.notna().to_numpy()
    groups, how = _resolve_groups(data, arts, group_by, stories, match_kwargs)
    if isinstance(target, str) and isinstance(group_by, str) and group_by == target:
        raise FramingError("E446", f"cannot predict {target!r} with folds grouped by {target!r}: no test label "
                                   "would be seen in training")
    X, y = X[keep], y_all[keep].astype(str).to_numpy()
    groups = groups[keep] if groups is not None else None
    if len(np.unique(y)) < 2:
        raise FramingError("E445", "need at least two classes to classify")
    folds = make_splitter(y, groups, n_splits, seed)
    if not folds:
        raise FramingError("E443", "no usable folds (every training fold had a single class)")
    models: dict[str, Any] = {k: make_classifier(k, feats, seed=seed, **(classifier_kwargs or {})) for k in kinds}
    models["majority baseline"] = DummyClassifier(strategy="most_frequent")
    models["stratified baseline"] = DummyClassifier(strategy="stratified", random_state=seed)
    labels = np.unique(y)
    rows, preds, imps = [], [], []
    conf = {m: np.zeros((len(labels), len(labels)), dtype=int) for m in models}
    lab_idx = {lab: i for i, lab in enumerate(labels)}
    for k, (tr, te) in enumerate(folds):
        pred_row = pd.DataFrame({"doc_id": X.index[te], "fold": k, "y_true": y[te]})
        for name, model in models.items():
            m = clone(model)
            if name == "stratified baseline":
                m.set_params(random_state=seed + k)
            m.fit(X.iloc[tr], y[tr])
            p = m.predict(X.iloc[te])
            pred_row[name] = p
            rows.append({"model": name, "fold": k, "n_test": len(te),
                         "macro_f1": f1_score(y[te], p, average="macro", zero_division=0),
                         "accuracy": accuracy_score(y[te], p)})
            for t, q in zip(y[te], p):
                conf[name][lab_idx[t], lab_idx[q]] += 1
            if importance and name == "features" and feats:
                imps.append(_importance(m, X.iloc[te], y[te], feats, n_repeats, seed + k))
        preds.append(pred_row)
    scores = pd.DataFrame(rows)
    summary = (scores.groupby("model", sort=False)
               .agg(f1_mean=("macro_f1", "mean"), f1_sd=("macro_f1", "std"), acc_mean=("accuracy", "mean"),
                    n_folds=("fold", "size")).reset_index())
    imp = pd.concat(imps) if imps else pd.DataFrame(columns=["feature", "importance"])
    imp_sum = (imp.groupby("feature").importance.agg(["mean", "std"]).rename(columns={"std": "sd"})
               .sort_values("mean", ascending=False).reset_index()) if len(imp) else \
        pd.DataFrame(columns=["feature", "mean", "sd"])
    params = {"target": target if isinstance(target, str) else "given labels", "grouping": how,
              "n_splits": len(folds), "kinds": list(kinds), "seed": seed, "n_articles": int(len(y)),
              "n_groups": int(len(np.unique(groups))) if groups is not None else None, **match_kwargs}
    return CVResult(scores=scores, summary=summary,
                    confusion={m: pd.DataFrame(c, index=pd.Index(labels, name="true"),
                                               columns=pd.Index(labels, name="predicted")) for m, c in conf.items()},
                    importance=imp_sum, predictions=pd.concat(preds, ignore_index=True), folds=folds, params=params)


def _importance(model, X_test: pd.DataFrame, y_test: np.ndarray, feats: list[str], n_repeats: int,
                seed: int) -> pd.DataFrame:
    from sklearn.inspection import permutation_importance

    r = permutation_importance(model, X_test[feats], y_test, scoring="f1_macro", n_repeats=n_repeats,
                               random_state=seed)
    return pd.DataFrame({"feature": feats, "importance": r.importances_mean})
