"""Figures for outlet comparison: one function per figure, each returning a matplotlib ``Figure``.

Defaults chosen for readers: the Okabe–Ito palette (distinguishable with the common colour-vision
deficiencies; Okabe & Ito 2008) plus hatching where colours carry meaning, the perceptually uniform
``cividis`` map for counts and a purple–orange diverging map centred on zero for sentiment; every
axis is labelled, numbers are written into cells, and the confidence level is stated.

Figures are built with :class:`matplotlib.figure.Figure` (no global pyplot state), so they are safe
in scripts, servers and notebooks alike. :func:`save_figure` writes PNG and SVG.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from framing.compare.stats import FEATURE_LABELS
from framing.errors import FramingError

__all__ = ["OKABE_ITO", "HATCHES", "outlet_colors", "save_figure", "plot_outlet_features", "plot_actor_heatmap",
           "plot_source_types", "plot_boilerplate_distribution", "plot_confusion_matrix",
           "plot_feature_importance", "plot_classifier_scores", "plot_story_deviations"]

#: Okabe & Ito (2008) colour-blind-safe palette; yellow last (low contrast on white, used only for an 8th outlet).
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"]
HATCHES = ["", "//", "..", "xx", "\\\\", "oo", "--", "++"]
SOURCE_TYPE_LABELS = {"named_person": "named person", "named_org": "named organisation", "unnamed": "unnamed source",
                      "pronoun_unresolved": "pronoun (unresolved)", "unknown": "unknown"}


def _num(v: float) -> str:
    """A short, sign-honest number label (no "-0.00")."""
    a = abs(v)
    if a == 0:
        return "0"
    if a >= 100:
        return f"{v:.0f}"
    if a >= 0.1:
        return f"{v:.2f}"
    if a >= 0.01:
        return f"{v:.3f}"
    return f"{v:.1e}"


def _label(feature: str, width: int = 38) -> str:
    return textwrap.fill(FEATURE_LABELS.get(feature, feature.replace("_", " ")), width)


def outlet_colors(outlets: Sequence[str]) -> dict[str, str]:
    """A stable colour per outlet (sorted order), from the Okabe–Ito palette."""
    names = sorted(set(map(str, outlets)))
    return {o: OKABE_ITO[i % len(OKABE_ITO)] for i, o in enumerate(names)}


def save_figure(fig: Figure, path: str | Path, formats: Sequence[str] = ("png", "svg"), dpi: int = 150) -> list[Path]:
    """Save ``fig`` as ``path`` with each suffix in ``formats``; returns the written paths."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    out = []
    for fmt in formats:
        q = p.with_suffix(f".{fmt}")
        fig.savefig(q, dpi=dpi, bbox_inches="tight", metadata=None if fmt != "png" else {"Software": None})
        out.append(q)
    return out


def _need(df: pd.DataFrame, cols: Sequence[str], what: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise FramingError("E460", f"{what} needs columns {', '.join(missing)}")


def plot_outlet_features(summary: pd.DataFrame, features: Sequence[str] | None = None, *, ncols: int = 2,
                         title: str | None = None) -> Figure:
    """Dot plot: one panel per feature, one row per outlet, the mean with its confidence interval.

    ``summary`` is the output of :func:`framing.compare.summarize_outlets`.
    """
    _need(summary, ["outlet", "feature", "mean", "ci_low", "ci_high", "n"], "plot_outlet_features")
    feats = list(features) if features is not None else list(dict.fromkeys(summary.feature))
    feats = [f for f in feats if summary[(summary.feature == f)]["n"].sum() > 0]
    if not feats:
        raise FramingError("E461", "nothing to plot: no feature has values")
    outlets = sorted(summary.outlet.astype(str).unique())
    colors = outlet_colors(outlets)
    ncols = max(1, min(ncols, len(feats)))
    nrows = int(np.ceil(len(feats) / ncols))
    fig = Figure(figsize=(5.2 * ncols, 0.45 * len(outlets) * nrows + 1.3 * nrows + 0.6), layout="constrained")
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel()
    level = summary.attrs.get("level", 0.95)
    for ax, f in zip(axes, feats):
        s = summary[summary.feature == f].set_index(summary[summary.feature == f].outlet.astype(str))
        for i, o in enumerate(outlets):
            if o not in s.index or not np.isfinite(s.loc[o, "mean"]):
                ax.text(0.02, i, "no data", va="center", transform=ax.get_yaxis_transform(), fontsize=8, color="0.4")
                continue
            r = s.loc[o]
            if np.isfinite(r.ci_low):
                ax.hlines(i, r.ci_low, r.ci_high, color=colors[o], lw=2.5)
            ax.plot(r["mean"], i, "o", color=colors[o], ms=8, mec="black", mew=0.6)
            ax.annotate(f"{_num(r['mean'])}  (n={int(r.n)})", (r["mean"], i), xytext=(0, 7), textcoords="offset points",
                        ha="center", fontsize=7.5, color="0.15")
        ax.set_yticks(range(len(outlets)), outlets)
        ax.xaxis.set_major_locator(MaxNLocator(5))
        ax.margins(x=0.12)
        ax.set_ylim(-0.7, len(outlets) - 0.4)
        ax.invert_yaxis()
        ax.set_title(_label(f, 45), fontsize=10)
        ax.set_xlabel("mean per article")
        ax.grid(axis="x", color="0.9")
        ax.set_axisbelow(True)
    for ax in axes[len(feats):]:
        ax.set_visible(False)
    fig.suptitle(title or f"Outlets compared: mean per article with {level:.0%} bootstrap CI", fontsize=12)
    return fig


def plot_actor_heatmap(actor_table: pd.DataFrame, *, value: str = "mean_sentiment", min_articles: int = 2,
                       max_actors: int = 20, title: str | None = None) -> Figure:
    """Actor × outlet heat map of ``value`` (default: mean sentiment), each cell labelled with value and n.

    ``actor_table`` is the output of :func:`framing.compare.actor_framing`. Actors are ordered by how many
    articles mention them; cells with fewer than ``min_articles`` articles are left blank.
    """
    _need(actor_table, ["actor", "outlet", value, "n_articles"], "plot_actor_heatmap")
    t = actor_table[actor_table.n_articles >= min_articles]
    if t.empty:
        raise FramingError("E461", f"no actor is mentioned in {min_articles}+ articles of an outlet")
    order = t.groupby("actor").n_articles.sum().sort_values(ascending=False).head(max_actors).index
    t = t[t.actor.isin(order)]
    grid = t.pivot(index="actor", columns="outlet", values=value).reindex(order)
    counts = t.pivot(index="actor", columns="outlet", values="n_articles").reindex(order)
    outlets = list(grid.columns)
    fig = Figure(figsize=(2.0 + 1.5 * len(outlets), 1.2 + 0.42 * len(order)), layout="constrained")
    ax = fig.subplots()
    vals = grid.to_numpy(dtype=float)
    lim = max(0.05, float(np.nanmax(np.abs(vals)))) if np.isfinite(vals).any() else 1.0
    is_share = value.startswith("share")
    cmap = "cividis" if is_share else "PuOr"
    norm = dict(vmin=0, vmax=1) if is_share else dict(vmin=-lim, vmax=lim)
    im = ax.imshow(np.ma.masked_invalid(vals), cmap=cmap, aspect="auto", **norm)
    ax.set_facecolor("0.92")
    for i in range(vals.shape[0]):
        for j in range(vals.shape[1]):
            if np.isfinite(vals[i, j]):
                frac = (vals[i, j] - norm["vmin"]) / (norm["vmax"] - norm["vmin"])
                dark = frac < 0.25 or frac > 0.75 if not is_share else frac < 0.55
                ax.text(j, i, f"{vals[i, j]:+.2f}\nn={int(counts.iloc[i, j])}" if not is_share else
                        f"{vals[i, j]:.0%}\nn={int(counts.iloc[i, j])}", ha="center", va="center", fontsize=7.5,
                        color="white" if dark else "black")
            else:
                ax.text(j, i, "–", ha="center", va="center", fontsize=8, color="0.45")
    ax.set_xticks(range(len(outlets)), outlets, rotation=20, ha="right")
    ax.set_yticks(range(len(order)), [str(a) for a in order])
    ax.set_xlabel("outlet")
    ax.set_ylabel("actor")
    label = {"mean_sentiment": "mean sentiment around mentions (−1 negative … +1 positive)",
             "share_distancing": "share of the actor's quotes with a distancing cue",
             "share_speaker": "share of articles where the actor speaks"}.get(value, value.replace("_", " "))
    fig.colorbar(im, ax=ax, label=textwrap.fill(label, 40), shrink=0.9)
    ax.set_title(title or f"Actors by outlet: {label.split(' (')[0]}\n(n = articles; blank: fewer than "
                          f"{min_articles})", fontsize=10)
    return fig


def plot_source_types(shares: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Stacked horizontal bars: the share of each outlet's attributions by source type.

    ``shares`` is the output of :func:`framing.compare.source_type_shares`.
    """
    _need(shares, ["outlet", "source_type", "share", "n"], "plot_source_types")
    wide = shares.pivot(index="outlet", columns="source_type", values="share").fillna(0)
    n = shares.groupby("outlet").n.sum()
    order = [t for t in ["named_person", "named_org", "pronoun_unresolved", "unnamed", "unknown"] if t in wide]
    order += [t for t in wide.columns if t not in order]
    wide = wide[order]
    fig = Figure(figsize=(8.5, 1.4 + 0.55 * len(wide)), layout="constrained")
    ax = fig.subplots()
    left = np.zeros(len(wide))
    for k, t in enumerate(order):
        v = wide[t].to_numpy()
        bars = ax.barh(range(len(wide)), v, left=left, color=OKABE_ITO[k % len(OKABE_ITO)],
                       hatch=HATCHES[k % len(HATCHES)], edgecolor="white", linewidth=0.8,
                       label=SOURCE_TYPE_LABELS.get(t, t))
        for b, x, l0 in zip(bars, v, left):
            if x >= 0.06:
                ax.text(l0 + x / 2, b.get_y() + b.get_height() / 2, f"{x:.0%}", ha="center", va="center",
                        fontsize=8, color="black",
                        bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.75))
        left += v
    ax.set_yticks(range(len(wide)), [f"{o}\n({int(n[o])} attributions)" for o in wide.index])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of the outlet's attributions")
    ax.xaxis.set_major_formatter(lambda x, _: f"{x:.0%}")
    ax.legend(title="who is cited", loc="upper center", bbox_to_anchor=(0.5, -0.28 if len(wide) < 4 else -0.15),
              ncol=min(4, len(order)), frameon=False, fontsize=8)
    ax.set_title(title or "Who is cited: attributions by source type", fontsize=11)
    return fig


def plot_boilerplate_distribution(articles: pd.DataFrame, *, column: str = "boilerplate_share",
                                  title: str | None = None, seed: int = 0) -> Figure:
    """Per outlet, the distribution of the boilerplate share of its articles (box plot plus every article)."""
    _need(articles, ["outlet", column], "plot_boilerplate_distribution")
    df = articles[["outlet", column]].dropna()
    outlets = sorted(df.outlet.astype(str).unique())
    if not outlets:
        raise FramingError("E461", f"no values of {column} to plot")
    colors = outlet_colors(outlets)
    data = [df.loc[df.outlet == o, column].to_numpy(float) for o in outlets]
    fig = Figure(figsize=(8, 1.3 + 0.7 * len(outlets)), layout="constrained")
    ax = fig.subplots()
    ax.boxplot(data, positions=range(len(outlets)), orientation="horizontal", widths=0.55, showfliers=False,
               medianprops=dict(color="black", lw=1.5), boxprops=dict(color="0.3"), whiskerprops=dict(color="0.3"))
    rng = np.random.default_rng(seed)
    for i, (o, x) in enumerate(zip(outlets, data)):
        ax.scatter(x, i + rng.uniform(-0.18, 0.18, len(x)), s=16, color=colors[o], alpha=0.75, edgecolor="black",
                   linewidth=0.3, zorder=3)
        ax.text(1.01, i, f"median {np.median(x):.0%}\nn={len(x)}", transform=ax.get_yaxis_transform(), va="center",
                fontsize=8)
    ax.set_yticks(range(len(outlets)), outlets)
    ax.invert_yaxis()
    ax.set_xlim(-0.02, 1.0)
    ax.xaxis.set_major_formatter(lambda x, _: f"{x:.0%}")
    ax.set_xlabel("share of the page's characters that is boilerplate (appeals, prompts, links, widgets)")
    ax.grid(axis="x", color="0.9")
    ax.set_title(title or "How much of each page is not journalism (one dot per article)", fontsize=11)
    return fig


def plot_confusion_matrix(confusion: pd.DataFrame, *, normalize: bool = True, title: str | None = None) -> Figure:
    """Confusion matrix (rows: true class; columns: predicted), cells showing row share and count."""
    counts = confusion.to_numpy(dtype=float)
    if counts.ndim != 2 or counts.shape[0] != counts.shape[1]:
        raise FramingError("E460", "confusion must be a square DataFrame (true × predicted)")
    rows = counts.sum(axis=1, keepdims=True)
    share = np.divide(counts, rows, out=np.zeros_like(counts), where=rows > 0)
    shown = share if normalize else counts
    labels = [str(x) for x in confusion.index]
    k = len(labels)
    fig = Figure(figsize=(2.4 + 1.1 * k, 1.8 + 0.9 * k), layout="constrained")
    ax = fig.subplots()
    im = ax.imshow(shown, cmap="cividis", vmin=0, vmax=1 if normalize else None)
    for i in range(k):
        for j in range(k):
            frac = share[i, j] if normalize else counts[i, j] / max(counts.max(), 1)
            ax.text(j, i, f"{share[i, j]:.0%}\n({int(counts[i, j])})", ha="center", va="center", fontsize=8,
                    color="white" if frac < 0.55 else "black")
    ax.set_xticks(range(k), labels, rotation=25, ha="right")
    ax.set_yticks(range(k), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    fig.colorbar(im, ax=ax, label="share of the true class" if normalize else "articles", shrink=0.85)
    ax.set_title(title or "Confusion matrix (out-of-fold predictions)", fontsize=10)
    return fig


def plot_feature_importance(importance: pd.DataFrame, *, top: int = 12, title: str | None = None) -> Figure:
    """Horizontal bars of permutation importance (drop in macro-F1 when a feature is shuffled), ± SD over folds."""
    _need(importance, ["feature", "mean"], "plot_feature_importance")
    t = importance.sort_values("mean", ascending=False).head(top).iloc[::-1]
    if t.empty:
        raise FramingError("E461", "no feature importance to plot")
    fig = Figure(figsize=(8, 1.2 + 0.38 * len(t)), layout="constrained")
    ax = fig.subplots()
    err = t["sd"].fillna(0).to_numpy() if "sd" in t else None
    ax.barh(range(len(t)), t["mean"], xerr=err, color=OKABE_ITO[0], ecolor="0.2", capsize=3)
    ax.set_yticks(range(len(t)), [_label(f, 50) for f in t.feature], fontsize=8)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel("drop in macro-F1 when the feature is shuffled (mean ± SD over test folds)")
    ax.grid(axis="x", color="0.9")
    ax.set_title(title or "Which framing features the classifier relies on (permutation importance)", fontsize=10)
    return fig


def plot_classifier_scores(summary: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Macro-F1 (mean ± SD over folds) of each model beside the majority and stratified baselines."""
    _need(summary, ["model", "f1_mean", "f1_sd"], "plot_classifier_scores")
    s = summary.reset_index(drop=True)
    is_base = s.model.str.contains("baseline")
    fig = Figure(figsize=(7.5, 1.2 + 0.5 * len(s)), layout="constrained")
    ax = fig.subplots()
    colors = ["0.65" if b else OKABE_ITO[0] for b in is_base]  # grey hatched baselines
    ax.barh(range(len(s)), s.f1_mean, xerr=s.f1_sd.fillna(0), color=colors, ecolor="0.2", capsize=3,
            hatch=["//" if b else "" for b in is_base], edgecolor="white")
    for i, (m, sd) in enumerate(zip(s.f1_mean, s.f1_sd.fillna(0))):
        ax.text(min(m + sd + 0.02, 0.93), i, f"{m:.2f} ± {sd:.2f}", va="center", fontsize=8,
                bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.85))
    ax.set_yticks(range(len(s)), [m.replace("features", "framing features").replace("both", "framing + TF-IDF")
                                  .replace("tfidf", "TF-IDF text") for m in s.model])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("macro-F1 (mean ± SD over CV folds; grey hatched: baselines on the same folds)")
    ax.grid(axis="x", color="0.9")
    ax.set_title(title or "Predicting the outlet", fontsize=11)
    return fig


def plot_story_deviations(deviations: pd.DataFrame, features: Sequence[str] | None = None, *, ncols: int = 2,
                          title: str | None = None) -> Figure:
    """Within-story deviation of each outlet from the other outlets on the same stories, with CI."""
    _need(deviations, ["outlet", "feature", "mean_deviation", "ci_low", "ci_high", "n_stories"],
          "plot_story_deviations")
    d = deviations.rename(columns={"mean_deviation": "mean", "n_stories": "n"})
    fig = plot_outlet_features(d, features, ncols=ncols,
                               title=title or "Same stories, different outlets: outlet minus the other outlets "
                                              f"(mean over matched stories, {d.attrs.get('level', 0.95):.0%} CI)")
    for ax in fig.axes:
        if ax.get_visible():
            ax.axvline(0, color="0.3", lw=0.8, ls="--")
            ax.set_xlabel("difference from the other outlets on the same story")
    return fig
