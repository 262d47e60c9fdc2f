"""Per-outlet statistics with uncertainty.

The unit of analysis is the **article**: every per-article feature of
:attr:`framing.Analysis.articles` is summarised per outlet by its mean with a
percentile bootstrap confidence interval (articles resampled with replacement,
Efron & Tibshirani 1993). Articles where a feature is undefined (e.g. the share
of distancing cues in an article with no attribution) are left out of that
feature only, and the ``n`` column says how many articles were used.

Pairwise outlet differences come with two effect sizes (Cliff's delta, a rank
measure robust to skew — Cliff 1993; Hedges' g, the standardised mean difference
with small-sample correction — Hedges 1981), a two-sided permutation test of the
difference in means, and a Holm (1979) or Benjamini–Hochberg (1995) correction
over every test in the table.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from framing.errors import FramingError

__all__ = [
    "FEATURES",
    "FEATURE_LABELS",
    "articles_of",
    "bootstrap_mean_ci",
    "summarize_outlets",
    "cliffs_delta",
    "hedges_g",
    "permutation_pvalue",
    "adjust_pvalues",
    "pairwise_differences",
    "paper_table",
    "source_type_shares",
    "top_speakers",
]

log = logging.getLogger(__name__)

#: Per-article features compared by default (columns of ``Analysis.articles``).
FEATURES: list[str] = [
    "boilerplate_share",
    "share_distancing_cues",
    "share_unnamed_sources",
    "share_named_person_sources",
    "share_emphatic_cues",
    "hedges_per_1k_words",
    "uncertainty_per_1k_words",
    "distancing_per_1k_words",
    "n_attributions",
    "n_quotes",
    "mean_mention_sentiment",
    "flesch_reading_ease",
    "flesch_kincaid_grade",
    "avg_sentence_length",
    "n_words",
]

#: Readable names for figures and tables.
FEATURE_LABELS: dict[str, str] = {
    "boilerplate_share": "Boilerplate share of page",
    "share_distancing_cues": "Share of attributions with distancing cue",
    "share_unnamed_sources": "Share of attributions to unnamed sources",
    "share_named_person_sources": "Share of attributions to named people",
    "share_emphatic_cues": "Share of attributions with emphatic cue",
    "hedges_per_1k_words": "Hedges per 1,000 words",
    "uncertainty_per_1k_words": "Uncertainty hedges per 1,000 words",
    "distancing_per_1k_words": "Distancing hedges per 1,000 words",
    "n_attributions": "Attributions per article",
    "n_quotes": "Quotations per article",
    "mean_mention_sentiment": "Mean sentiment around actor mentions",
    "flesch_reading_ease": "Flesch reading ease",
    "flesch_kincaid_grade": "Flesch–Kincaid grade",
    "avg_sentence_length": "Words per sentence",
    "n_words": "Words per article",
    "boilerplate_chars": "Boilerplate characters",
    "n_direct": "Direct quotations per article",
    "n_indirect": "Indirect (reported) speech per article",
    "n_mixed": "Mixed quotations per article",
    "n_hedges": "Hedges per article",
    "n_mentions": "Actor mentions per article",
    "n_actors": "Distinct actors per article",
    "n_sentences": "Sentences per article",
    "avg_syllables_per_word": "Syllables per word",
    "gunning_fog": "Gunning fog index",
    "coleman_liau_index": "Coleman–Liau index",
}


def articles_of(data: Any) -> pd.DataFrame:
    """The per-article frame of an :class:`~framing.Analysis` (or a DataFrame passed through).

    Raises
    ------
    FramingError
        ``E401`` when ``data`` is neither, or has no ``outlet`` column.
    """
    df = getattr(data, "articles", data)
    if not isinstance(df, pd.DataFrame):
        raise FramingError("E401", f"expected an Analysis or a DataFrame of articles, got {type(data).__name__}")
    if "outlet" not in df.columns:
        raise FramingError("E401", "the articles table has no 'outlet' column; pass outlet= to analyze()")
    return df


def _check_features(df: pd.DataFrame, features: Sequence[str] | None) -> list[str]:
    if features is None:
        return [f for f in FEATURES if f in df.columns]
    missing = [f for f in features if f not in df.columns]
    if missing:
        raise FramingError("E402", f"unknown feature column(s): {', '.join(missing)}; "
                                   f"available: {', '.join(c for c in df.columns if c in FEATURES)}")
    return list(features)


def _values(s: pd.Series) -> np.ndarray:
    x = pd.to_numeric(s, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return x[np.isfinite(x)]


def bootstrap_mean_ci(x: np.ndarray, n_boot: int = 2000, level: float = 0.95,
                      rng: np.random.Generator | None = None) -> tuple[float, float]:
    """Percentile bootstrap confidence interval of the mean of ``x`` (NaN when fewer than 2 values)."""
    x = np.asarray(x, dtype=float)
    if len(x) < 2:
        return float("nan"), float("nan")
    rng = rng or np.random.default_rng(0)
    means = np.empty(n_boot)
    step = max(1, 2_000_000 // len(x))  # bound memory: at most ~2M draws at a time
    for i in range(0, n_boot, step):
        k = min(step, n_boot - i)
        means[i:i + k] = x[rng.integers(0, len(x), size=(k, len(x)))].mean(axis=1)
    alpha = (1 - level) / 2
    lo, hi = np.quantile(means, [alpha, 1 - alpha])
    return float(lo), float(hi)


def summarize_outlets(data: Any, features: Sequence[str] | None = None, *, by: str = "outlet",
                      n_boot: int = 2000, level: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """Mean of every feature per outlet with a bootstrap confidence interval.

    Parameters
    ----------
    data : Analysis or DataFrame
        The analysis, or its ``articles`` table (any frame with ``by`` and the feature columns).
    features : list of str, optional
        Columns to summarise (default: :data:`FEATURES` present in the table).
    by : str
        Grouping column (default ``"outlet"``).
    n_boot, level, seed
        Bootstrap resamples, confidence level, random seed.

    Returns
    -------
    DataFrame
        Tidy, one row per (outlet, feature): ``outlet, feature, n, mean, ci_low, ci_high, median, sd``,
        with ``attrs["level"]`` and ``attrs["n_boot"]``.
    """
    df = articles_of(data) if by == "outlet" else data
    feats = _check_features(df, features)
    if not 0 < level < 1:
        raise FramingError("E403", f"level must be between 0 and 1, got {level}")
    if n_boot < 100:
        raise FramingError("E403", f"n_boot must be at least 100, got {n_boot}")
    rng = np.random.default_rng(seed)
    rows = []
    for outlet, g in df.groupby(by, sort=True, dropna=False):
        for f in feats:
            x = _values(g[f])
            lo, hi = bootstrap_mean_ci(x, n_boot, level, rng)
            rows.append({by: outlet, "feature": f, "n": len(x),
                         "mean": float(x.mean()) if len(x) else float("nan"),
                         "ci_low": lo, "ci_high": hi,
                         "median": float(np.median(x)) if len(x) else float("nan"),
                         "sd": float(x.std(ddof=1)) if len(x) > 1 else float("nan")})
    out = pd.DataFrame(rows, columns=[by, "feature", "n", "mean", "ci_low", "ci_high", "median", "sd"])
    out.attrs.update({"level": level, "n_boot": n_boot, "seed": seed})
    return out


def cliffs_delta(x: np.ndarray, y: np.ndarray) -> float:
    """Cliff's delta: P(X > Y) - P(X < Y), in [-1, 1] (NaN when a sample is empty)."""
    x, y = np.asarray(x, float), np.sort(np.asarray(y, float))
    if len(x) == 0 or len(y) == 0:
        return float("nan")
    less = np.searchsorted(y, x, side="left")        # y values below each x
    greater = len(y) - np.searchsorted(y, x, side="right")  # y values above each x
    return float((less.sum() - greater.sum()) / (len(x) * len(y)))


def hedges_g(x: np.ndarray, y: np.ndarray) -> float:
    """Hedges' g: difference in means over the pooled SD, with the small-sample correction."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    n1, n2 = len(x), len(y)
    if n1 < 2 or n2 < 2:
        return float("nan")
    pooled = np.sqrt(((n1 - 1) * x.var(ddof=1) + (n2 - 1) * y.var(ddof=1)) / (n1 + n2 - 2))
    diff = x.mean() - y.mean()
    if pooled == 0:
        return 0.0 if diff == 0 else float(np.sign(diff) * np.inf)
    j = 1 - 3 / (4 * (n1 + n2) - 9)
    return float(j * diff / pooled)


def permutation_pvalue(x: np.ndarray, y: np.ndarray, n_perm: int = 5000,
                       rng: np.random.Generator | None = None) -> float:
    """Two-sided permutation p-value of the difference in means (with the +1 correction of Phipson & Smyth 2010)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    if len(x) == 0 or len(y) == 0:
        return float("nan")
    rng = rng or np.random.default_rng(0)
    pooled = np.concatenate([x, y])
    n1 = len(x)
    observed = abs(x.mean() - y.mean())
    hits = 0
    step = max(1, 2_000_000 // len(pooled))
    done = 0
    while done < n_perm:
        k = min(step, n_perm - done)
        perm = np.argsort(rng.random((k, len(pooled))), axis=1)
        shuffled = pooled[perm]
        d = np.abs(shuffled[:, :n1].mean(axis=1) - shuffled[:, n1:].mean(axis=1))
        hits += int((d >= observed - 1e-12).sum())
        done += k
    return (hits + 1) / (n_perm + 1)


def adjust_pvalues(p: Sequence[float], method: str = "holm") -> np.ndarray:
    """Adjust p-values for multiple comparisons: ``"holm"`` (family-wise) or ``"bh"`` (false discovery rate).

    NaN p-values stay NaN and do not count as tests.
    """
    arr = np.asarray(p, dtype=float)
    out = np.full_like(arr, np.nan)
    ok = np.isfinite(arr)
    q = arr[ok]
    m = len(q)
    if m == 0:
        return out
    order = np.argsort(q)
    ranked = q[order]
    if method == "holm":
        adj = np.maximum.accumulate((m - np.arange(m)) * ranked)
    elif method in ("bh", "fdr_bh"):
        adj = np.minimum.accumulate(m / np.arange(m, 0, -1) * ranked[::-1])[::-1]
    else:
        raise FramingError("E404", f"unknown correction {method!r}; use 'holm' or 'bh'")
    res = np.empty(m)
    res[order] = np.minimum(adj, 1.0)
    out[ok] = res
    return out


def pairwise_differences(data: Any, features: Sequence[str] | None = None, *, outlets: Sequence[str] | None = None,
                         n_perm: int = 2000, n_boot: int = 2000, level: float = 0.95, correction: str = "holm",
                         alpha: float = 0.05, seed: int = 0) -> pd.DataFrame:
    """Every pair of outlets compared on every feature.

    Returns
    -------
    DataFrame
        One row per (feature, outlet_a, outlet_b): ``n_a, n_b, mean_a, mean_b, diff`` (a - b),
        ``diff_ci_low, diff_ci_high`` (bootstrap), ``cliffs_delta, hedges_g, p_value`` (permutation),
        ``p_adjusted`` (over all rows, ``correction``), ``significant`` (``p_adjusted < alpha``).
    """
    df = articles_of(data)
    feats = _check_features(df, features)
    names = sorted(df.outlet.dropna().unique()) if outlets is None else list(outlets)
    if len(names) < 2:
        raise FramingError("E405", f"need at least two outlets to compare, found {len(names)}")
    rng = np.random.default_rng(seed)
    alpha_ci = (1 - level) / 2
    rows = []
    groups = {o: df[df.outlet == o] for o in names}
    for f in feats:
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                x, y = _values(groups[a][f]), _values(groups[b][f])
                row: dict[str, Any] = {"feature": f, "outlet_a": a, "outlet_b": b, "n_a": len(x), "n_b": len(y),
                                       "mean_a": x.mean() if len(x) else np.nan,
                                       "mean_b": y.mean() if len(y) else np.nan}
                row["diff"] = row["mean_a"] - row["mean_b"]
                if len(x) >= 2 and len(y) >= 2:
                    bx = x[rng.integers(0, len(x), (n_boot, len(x)))].mean(1)
                    by_ = y[rng.integers(0, len(y), (n_boot, len(y)))].mean(1)
                    row["diff_ci_low"], row["diff_ci_high"] = np.quantile(bx - by_, [alpha_ci, 1 - alpha_ci])
                else:
                    row["diff_ci_low"] = row["diff_ci_high"] = np.nan
                row["cliffs_delta"] = cliffs_delta(x, y)
                row["hedges_g"] = hedges_g(x, y)
                row["p_value"] = permutation_pvalue(x, y, n_perm, rng) if len(x) and len(y) else np.nan
                rows.append(row)
    out = pd.DataFrame(rows)
    out["p_adjusted"] = adjust_pvalues(out.p_value.to_numpy(), correction)
    out["significant"] = out.p_adjusted < alpha
    out.attrs.update({"correction": correction, "n_perm": n_perm, "level": level, "alpha": alpha})
    return out


def paper_table(summary: pd.DataFrame, digits: int = 2, labels: bool = True) -> pd.DataFrame:
    """A wide, paste-ready table: features as rows, outlets as columns, cells ``"mean [low, high]"``.

    The column header row gets the number of articles of each outlet when it is the same for all features.
    """
    by = summary.columns[0]
    fmt = f"{{:.{digits}f}}"

    def cell(r: pd.Series) -> str:
        if not np.isfinite(r["mean"]):
            return "–"
        if not np.isfinite(r["ci_low"]):
            return fmt.format(r["mean"])
        return f"{fmt.format(r['mean'])} [{fmt.format(r['ci_low'])}, {fmt.format(r['ci_high'])}]"

    s = summary.assign(cell=summary.apply(cell, axis=1))
    wide = s.pivot(index="feature", columns=by, values="cell")
    order = list(dict.fromkeys(summary.feature))
    wide = wide.loc[order]
    if labels:
        wide.index = [FEATURE_LABELS.get(f, f) for f in wide.index]
    wide.index.name = "feature"
    wide.columns.name = None
    level = summary.attrs.get("level", 0.95)
    wide.attrs["note"] = f"mean per article [{level:.0%} bootstrap CI]"
    return wide


def source_type_shares(data: Any, *, n_boot: int = 2000, level: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """Per outlet, the share of attributions of each ``source_type`` (pooled), with a CI by resampling articles.

    Returns
    -------
    DataFrame
        ``outlet, source_type, n, share, ci_low, ci_high`` (``n``: attributions of that type).
    """
    arts = articles_of(data)
    attrs = getattr(data, "attributions", None)
    if attrs is None:
        raise FramingError("E401", "source_type_shares needs an Analysis (with its attributions table)")
    a = attrs.merge(arts[["doc_id", "outlet"]], on="doc_id", how="inner")
    a = a.assign(source_type=a.source_type.fillna("unknown"))
    types = sorted(a.source_type.unique())
    rng = np.random.default_rng(seed)
    rows = []
    alpha = (1 - level) / 2
    for outlet, g in a.groupby("outlet", sort=True):
        counts = pd.crosstab(g.doc_id, g.source_type).reindex(columns=types, fill_value=0)
        mat = counts.to_numpy(dtype=float)
        total = mat.sum()
        idx = rng.integers(0, len(mat), (n_boot, len(mat)))
        boot = mat[idx].sum(axis=1)  # (n_boot, types)
        boot_share = boot / np.maximum(boot.sum(axis=1, keepdims=True), 1)
        lo, hi = np.quantile(boot_share, [alpha, 1 - alpha], axis=0)
        for j, t in enumerate(types):
            rows.append({"outlet": outlet, "source_type": t, "n": int(mat[:, j].sum()),
                         "share": mat[:, j].sum() / total if total else np.nan,
                         "ci_low": lo[j] if len(mat) > 1 else np.nan, "ci_high": hi[j] if len(mat) > 1 else np.nan})
    return pd.DataFrame(rows, columns=["outlet", "source_type", "n", "share", "ci_low", "ci_high"])


def top_speakers(data: Any, n: int = 10, *, named_only: bool = True) -> pd.DataFrame:
    """Who gets quoted: the ``n`` most frequent canonical speakers per outlet.

    Returns
    -------
    DataFrame
        ``outlet, rank, speaker, n_attributions, n_articles, share`` (share of the outlet's attributions).
    """
    arts = articles_of(data)
    attrs = getattr(data, "attributions", None)
    if attrs is None:
        raise FramingError("E401", "top_speakers needs an Analysis (with its attributions table)")
    a = attrs.merge(arts[["doc_id", "outlet"]], on="doc_id", how="inner")
    totals = a.groupby("outlet").size()
    if named_only:
        a = a[a.source_type.isin(["named_person", "named_org"])]
    a = a.assign(speaker=a.canonical_speaker.fillna(a.speaker)).dropna(subset=["speaker"])
    rows = []
    for outlet, g in a.groupby("outlet", sort=True):
        c = g.groupby("speaker").agg(n_attributions=("doc_id", "size"), n_articles=("doc_id", "nunique"))
        c = c.sort_values(["n_attributions", "n_articles"], ascending=False, kind="stable").head(n)
        for rank, (spk, r) in enumerate(c.iterrows(), start=1):
            rows.append({"outlet": outlet, "rank": rank, "speaker": spk, "n_attributions": int(r.n_attributions),
                         "n_articles": int(r.n_articles), "share": r.n_attributions / totals[outlet]})
    return pd.DataFrame(rows, columns=["outlet", "rank", "speaker", "n_attributions", "n_articles", "share"])
