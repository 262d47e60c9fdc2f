"""Same-story matching across outlets, and feature differences within matched stories.

Two outlets may differ on a feature only because they cover different topics. Comparing
articles *about the same event* removes most of that: we group articles whose TF-IDF
vectors are similar (cosine) and whose dates lie within a window, then compare each
outlet with the other outlets' coverage of the same story.

Grouping uses average-linkage agglomerative clustering on ``1 - cosine`` (pairs outside
the date window, and optionally pairs from the same outlet, get distance 1), so a story
is not built by a chain of pairwise look-alikes. For corpora larger than
``max_dense`` articles a sparse similarity graph and its connected components are used
instead (faster, but chains can form: raise ``min_similarity`` there).
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from framing.compare.stats import _check_features, _values, adjust_pvalues, articles_of
from framing.errors import FramingError, FramingWarning

__all__ = ["body_texts", "match_stories", "story_differences", "paired_outlet_differences", "story_pairs"]

log = logging.getLogger(__name__)


def _strip(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` without the character spans given (joined by newlines)."""
    if not spans:
        return text
    keep, pos = [], 0
    for s, e in sorted(spans):
        if s > pos:
            keep.append(text[pos:s])
        pos = max(pos, e)
    keep.append(text[pos:])
    return "\n".join(keep)


def body_texts(analysis: Any, doc_ids: Any) -> pd.Series:
    """The texts of ``doc_ids`` with their boilerplate spans removed (what the article itself says)."""
    texts = getattr(analysis, "texts", None)
    if texts is None:
        raise FramingError("E410", "no texts table: pass an Analysis (or a frame with a text column)")
    m = dict(zip(texts.doc_id, texts.text))
    spans: dict[str, list[tuple[int, int]]] = {}
    bp = getattr(analysis, "boilerplate", None)
    if bp is not None and len(bp):
        for d, s, e in zip(bp.doc_id, bp.start, bp.end):
            spans.setdefault(d, []).append((int(s), int(e)))
    ids = pd.Series(list(doc_ids))
    return ids.map(lambda d: _strip(str(m.get(d, "") or ""), spans.get(d, [])))


def _texts(data: Any, df: pd.DataFrame, text_col: str) -> pd.Series:
    if text_col in df.columns:
        return df[text_col].fillna("").astype(str).reset_index(drop=True)
    return body_texts(data, df.doc_id)


def _tfidf(texts: pd.Series, max_features: int):
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=1, max_df=0.5 if len(texts) > 20 else 1.0,
                          max_features=max_features, token_pattern=r"(?u)\b[^\W\d_][^\W\d_]+\b")
    try:
        return vec.fit_transform(texts.tolist())
    except ValueError:  # every term pruned (tiny or empty corpus): keep all terms
        vec.set_params(max_df=1.0, stop_words=None, token_pattern=r"(?u)\b\w+\b")
        try:
            return vec.fit_transform(texts.tolist())
        except ValueError:
            from scipy.sparse import csr_matrix

            warnings.warn("no words to match stories on: every article is its own story", FramingWarning,
                          stacklevel=3)
            return csr_matrix((len(texts), 1))


def match_stories(data: Any, *, min_similarity: float = 0.3, date_window_days: float | None = 3,
                  cross_outlet_only: bool = False, text_col: str = "text", max_features: int = 50_000,
                  max_dense: int = 4000) -> pd.DataFrame:
    """Group articles about the same story.

    Parameters
    ----------
    data : Analysis or DataFrame
        An analysis (texts come from its ``texts`` table) or a frame with ``doc_id, outlet, text``
        and optionally ``date``.
    min_similarity : float
        Cosine similarity (TF-IDF of the text without boilerplate) above which two articles may be the same story.
    date_window_days : float or None
        Articles more than this many days apart are never the same story (``None``: no window;
        articles without a date are matched on text alone).
    cross_outlet_only : bool
        Two articles of the *same* outlet are never linked directly (their distance is set to 1). Off by
        default: with average linkage this penalty can split a story that one outlet covered twice.

    Returns
    -------
    DataFrame
        ``doc_id, outlet, date, story, story_size, n_outlets`` — ``story`` is an integer id; an article
        with no match is a story of its own (``story_size`` 1).
    """
    df = articles_of(data)
    if not 0 < min_similarity <= 1:
        raise FramingError("E411", f"min_similarity must be in (0, 1], got {min_similarity}")
    if date_window_days is not None and date_window_days < 0:
        raise FramingError("E411", f"date_window_days must be >= 0 or None, got {date_window_days}")
    df = df.reset_index(drop=True)
    n = len(df)
    out = pd.DataFrame({"doc_id": df.doc_id, "outlet": df.outlet,
                        "date": pd.to_datetime(df["date"], errors="coerce") if "date" in df else pd.NaT})
    if n == 0:
        return out.assign(story=pd.Series(dtype=int), story_size=pd.Series(dtype=int),
                          n_outlets=pd.Series(dtype=int))
    x = _tfidf(_texts(data, df, text_col), max_features)
    days = (out.date - pd.Timestamp("1970-01-01")).dt.total_seconds().to_numpy(dtype=float, na_value=np.nan) / 86400
    outlets = out.outlet.astype(str).to_numpy()

    if n <= max_dense:
        labels = _average_linkage(x, days, outlets, min_similarity, date_window_days, cross_outlet_only)
    else:
        warnings.warn(f"{n} articles: matching stories by connected components of the similarity graph "
                      f"(chains can form; raise min_similarity if stories merge)", FramingWarning, stacklevel=2)
        labels = _components(x, days, outlets, min_similarity, date_window_days, cross_outlet_only)
    # Renumber stories by first appearance, so ids are stable for a given input order.
    _, first = np.unique(labels, return_index=True)
    remap = {lab: i for i, lab in enumerate(labels[np.sort(first)])}
    out["story"] = [remap[v] for v in labels]
    out["story_size"] = out.groupby("story").doc_id.transform("size")
    out["n_outlets"] = out.groupby("story").outlet.transform("nunique")
    out.attrs.update({"min_similarity": min_similarity, "date_window_days": date_window_days,
                      "cross_outlet_only": cross_outlet_only})
    return out


def _blocked(days: np.ndarray, outlets: np.ndarray, window: float | None, cross_outlet_only: bool,
             rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """True where the pair (rows[k], cols[k]) may not be linked."""
    bad = np.zeros(len(rows), dtype=bool)
    if window is not None:
        d = np.abs(days[rows] - days[cols])
        bad |= np.isfinite(d) & (d > window)
    if cross_outlet_only:
        bad |= (outlets[rows] == outlets[cols]) & (rows != cols)
    return bad


def _average_linkage(x, days, outlets, min_similarity, window, cross_outlet_only) -> np.ndarray:
    from sklearn.cluster import AgglomerativeClustering

    n = x.shape[0]
    if n == 1:
        return np.zeros(1, dtype=int)
    sim = (x @ x.T).toarray()
    dist = 1.0 - np.clip(sim, 0, 1)
    r, c = np.indices((n, n))
    bad = _blocked(days, outlets, window, cross_outlet_only, r.ravel(), c.ravel()).reshape(n, n)
    dist[bad] = 1.0
    np.fill_diagonal(dist, 0.0)
    model = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                    distance_threshold=1.0 - min_similarity + 1e-9)
    return model.fit_predict(dist)


def _components(x, days, outlets, min_similarity, window, cross_outlet_only) -> np.ndarray:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = x.shape[0]
    rows, cols = [], []
    for start in range(0, n, 1000):
        block = (x[start:start + 1000] @ x.T).tocoo()
        keep = block.data >= min_similarity
        rows.append(block.row[keep] + start)
        cols.append(block.col[keep])
    r, c = np.concatenate(rows), np.concatenate(cols)
    ok = ~_blocked(days, outlets, window, cross_outlet_only, r, c)
    graph = coo_matrix((np.ones(ok.sum()), (r[ok], c[ok])), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def story_pairs(stories: pd.DataFrame) -> pd.DataFrame:
    """All pairs of articles put in the same story (``doc_a, doc_b``), for checking a matching."""
    rows = []
    for _, g in stories.groupby("story"):
        ids = g.doc_id.tolist()
        rows += [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]]
    return pd.DataFrame(rows, columns=["doc_a", "doc_b"])


def _with_stories(data: Any, stories: pd.DataFrame | None, min_outlets: int, **match_kwargs) -> pd.DataFrame:
    df = articles_of(data)
    if stories is None:
        stories = match_stories(data, **match_kwargs)
    if "story" not in stories.columns or "doc_id" not in stories.columns:
        raise FramingError("E412", "stories must have 'doc_id' and 'story' columns (see match_stories)")
    m = df.merge(stories[["doc_id", "story"]], on="doc_id", how="inner")
    n_out = m.groupby("story").outlet.transform("nunique")
    return m[n_out >= min_outlets]


def story_differences(data: Any, stories: pd.DataFrame | None = None, features: Sequence[str] | None = None, *,
                      min_outlets: int = 2, n_boot: int = 2000, level: float = 0.95, seed: int = 0,
                      **match_kwargs: Any) -> pd.DataFrame:
    """How each outlet departs from the other outlets' coverage of the same stories.

    For each matched story covered by at least ``min_outlets`` outlets, an outlet's value of a feature
    (mean over its articles in the story) minus the mean of the *other* outlets in that story. These
    within-story deviations are averaged over stories, with a bootstrap CI over stories.

    Returns
    -------
    DataFrame
        ``outlet, feature, n_stories, mean_deviation, ci_low, ci_high``.
    """
    from framing.compare.stats import bootstrap_mean_ci

    m = _with_stories(data, stories, min_outlets, **match_kwargs)
    feats = _check_features(m, features)
    rng = np.random.default_rng(seed)
    per = m.groupby(["story", "outlet"])[feats].mean(numeric_only=True)
    rows = []
    devs: dict[tuple[str, str], list[float]] = {}
    for _story, g in per.groupby(level="story"):
        g = g.droplevel("story")
        for f in feats:
            vals = g[f].dropna()
            if len(vals) < 2:
                continue
            total, k = vals.sum(), len(vals)
            for outlet, v in vals.items():
                devs.setdefault((outlet, f), []).append(v - (total - v) / (k - 1))
    for (outlet, f), d in sorted(devs.items()):
        arr = np.asarray(d, float)
        lo, hi = bootstrap_mean_ci(arr, n_boot, level, rng)
        rows.append({"outlet": outlet, "feature": f, "n_stories": len(arr), "mean_deviation": arr.mean(),
                     "ci_low": lo, "ci_high": hi})
    out = pd.DataFrame(rows, columns=["outlet", "feature", "n_stories", "mean_deviation", "ci_low", "ci_high"])
    out.attrs["level"] = level
    return out


def paired_outlet_differences(data: Any, stories: pd.DataFrame | None = None, features: Sequence[str] | None = None,
                              *, n_perm: int = 5000, correction: str = "holm", seed: int = 0,
                              **match_kwargs: Any) -> pd.DataFrame:
    """Pairwise outlet differences on the stories both outlets covered (paired by story).

    The test is a sign-flip permutation test of the mean paired difference; ``p_adjusted`` corrects
    over all rows.

    Returns
    -------
    DataFrame
        ``feature, outlet_a, outlet_b, n_stories, mean_diff, p_value, p_adjusted``.
    """
    m = _with_stories(data, stories, 2, **match_kwargs)
    feats = _check_features(m, features)
    per = m.groupby(["story", "outlet"])[feats].mean(numeric_only=True)
    names = sorted(m.outlet.unique())
    rng = np.random.default_rng(seed)
    rows = []
    for f in feats:
        wide = per[f].unstack("outlet")
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                if a not in wide or b not in wide:
                    continue
                d = _values(wide[a] - wide[b])
                p = np.nan
                if len(d):
                    signs = rng.choice([-1.0, 1.0], size=(n_perm, len(d)))
                    null = np.abs((signs * d).mean(axis=1))
                    p = (int((null >= abs(d.mean()) - 1e-12).sum()) + 1) / (n_perm + 1)
                rows.append({"feature": f, "outlet_a": a, "outlet_b": b, "n_stories": len(d),
                             "mean_diff": d.mean() if len(d) else np.nan, "p_value": p})
    out = pd.DataFrame(rows, columns=["feature", "outlet_a", "outlet_b", "n_stories", "mean_diff", "p_value"])
    out["p_adjusted"] = adjust_pvalues(out.p_value.to_numpy(), correction)
    return out
