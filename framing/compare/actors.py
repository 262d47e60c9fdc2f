"""Actor framing per outlet: how each actor is talked about, and whether they get to speak.

For each actor (as named in ``Analysis.mentions.actor``) and outlet:

* ``mean_sentiment`` of the contexts around the actor's mentions, averaged first within each
  article and then over articles, with a bootstrap CI over articles (so one long article does
  not dominate);
* ``n_quotes`` attributed to the actor and ``share_distancing`` of them introduced with a
  distancing cue (``cue_class == "distancing"``, e.g. "claimed");
* ``n_articles_speaker`` (articles where the actor is quoted or paraphrased) against
  ``n_articles_mentioned_only`` (mentioned but never given a voice), and ``share_speaker``.

An attribution belongs to an actor when its speaker span overlaps one of the actor's mention
spans in the same article, or when its ``canonical_speaker`` equals the actor's name.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from framing.compare.stats import articles_of, bootstrap_mean_ci
from framing.errors import FramingError

__all__ = ["actor_framing", "actor_attributions"]

COLUMNS = ["actor", "outlet", "n_articles", "n_mentions", "mean_sentiment", "ci_low", "ci_high",
           "n_quotes", "n_quotes_distancing", "share_distancing", "n_articles_speaker",
           "n_articles_mentioned_only", "share_speaker"]


def actor_attributions(analysis: Any) -> pd.DataFrame:
    """The attributions whose speaker is a known actor: the attributions table plus an ``actor`` column."""
    for t in ("attributions", "mentions"):
        if getattr(analysis, t, None) is None:
            raise FramingError("E420", f"actor framing needs an Analysis with a {t} table")
    at = analysis.attributions
    mn = analysis.mentions
    if at.empty or mn.empty:
        return at.assign(actor=pd.Series(dtype=object)).iloc[0:0]
    at = at.reset_index(drop=True).assign(_row=lambda d: np.arange(len(d)))
    # 1) speaker span overlaps a mention span of the same article
    sp = at.dropna(subset=["speaker_start", "speaker_end"])
    j = sp[["_row", "doc_id", "speaker_start", "speaker_end"]].merge(mn[["doc_id", "start", "end", "actor"]],
                                                                     on="doc_id")
    j = j[(j.start.astype(float) < j.speaker_end.astype(float)) & (j.end.astype(float) > j.speaker_start.astype(float))]
    by_span = j.drop_duplicates("_row")[["_row", "actor"]]
    # 2) canonical speaker name equals an actor name (case-insensitive)
    names = {str(a).casefold(): a for a in mn.actor.dropna().unique()}
    rest = at[~at._row.isin(by_span._row)]
    canon = rest.canonical_speaker.astype(object).map(lambda s: names.get(str(s).casefold()) if pd.notna(s) else None)
    by_name = pd.DataFrame({"_row": rest._row, "actor": canon}).dropna()
    link = pd.concat([by_span, by_name], ignore_index=True)
    return at.merge(link, on="_row").drop(columns="_row")


def actor_framing(analysis: Any, *, min_articles: int = 1, actors: list[str] | None = None, n_boot: int = 2000,
                  level: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """Actor × outlet table of sentiment (with CI), distancing on the actor's quotes, and voice.

    Parameters
    ----------
    analysis : Analysis
    min_articles : int
        Keep actor–outlet cells with at least this many articles mentioning or quoting the actor.
    actors : list of str, optional
        Only these actors.

    Returns
    -------
    DataFrame
        Columns :data:`COLUMNS`, one row per (actor, outlet), sorted by actor then outlet.
    """
    arts = articles_of(analysis)
    mn = analysis.mentions.merge(arts[["doc_id", "outlet"]], on="doc_id")
    aa = actor_attributions(analysis).merge(arts[["doc_id", "outlet"]], on="doc_id")
    if actors is not None:
        mn, aa = mn[mn.actor.isin(actors)], aa[aa.actor.isin(actors)]
    rng = np.random.default_rng(seed)
    per_doc = mn.groupby(["actor", "outlet", "doc_id"]).sentiment.mean()
    sent = {k: g.dropna().to_numpy(float) for k, g in per_doc.groupby(level=["actor", "outlet"])}
    keys = sorted(set(zip(mn.actor, mn.outlet)) | set(zip(aa.actor, aa.outlet)), key=lambda t: (str(t[0]), str(t[1])))
    rows = []
    for actor, outlet in keys:
        docs_m = set(mn.doc_id[(mn.actor == actor) & (mn.outlet == outlet)])
        q = aa[(aa.actor == actor) & (aa.outlet == outlet)]
        docs_s = set(q.doc_id)
        n_articles = len(docs_m | docs_s)
        if n_articles < min_articles:
            continue
        vals = sent.get((actor, outlet), np.array([]))
        lo, hi = bootstrap_mean_ci(vals, n_boot, level, rng)
        n_dist = int((q.cue_class == "distancing").sum())
        rows.append({"actor": actor, "outlet": outlet, "n_articles": n_articles,
                     "n_mentions": int(((mn.actor == actor) & (mn.outlet == outlet)).sum()),
                     "mean_sentiment": vals.mean() if len(vals) else np.nan, "ci_low": lo, "ci_high": hi,
                     "n_quotes": len(q), "n_quotes_distancing": n_dist,
                     "share_distancing": n_dist / len(q) if len(q) else np.nan,
                     "n_articles_speaker": len(docs_s), "n_articles_mentioned_only": len(docs_m - docs_s),
                     "share_speaker": len(docs_s) / n_articles})
    out = pd.DataFrame(rows, columns=COLUMNS)
    out.attrs["level"] = level
    return out
