# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Outlet comparison
#
# How do the outlets of a corpus differ in the way they report? This notebook compares them on every
# per-article framing feature (with bootstrap confidence intervals and corrected permutation tests),
# on the *same stories* (so differences are not topic differences), on how they treat each actor, and
# asks whether a classifier can tell the outlets apart when it never sees a story in both training
# and test folds. Every figure is saved with its table and the example sentences behind it for the
# HTML report.
#
# Parameters come from `framing report` (environment variable `FRAMING_REPORT_PARAMS`); opened by hand,
# the notebook uses the bundled demo corpus.

# %%
import numpy as np
import pandas as pd

import framing
from framing import compare, plots
from framing.report import load_params, record_figure, record_table

P = load_params()
OUT = P["outdir"]
a = framing.Analysis.load(P["analysis"])
outlets = sorted(a.articles.outlet.dropna().unique())
print(a)
print("outlets:", ", ".join(outlets))

# %% [markdown]
# ## 1. Per-outlet summaries with uncertainty
# Mean per article with a percentile bootstrap CI (articles resampled). Shares are undefined for an
# article without attributions; such articles are left out of that feature only (`n`).

# %%
summary = compare.summarize_outlets(a, n_boot=P["n_boot"], level=P["level"], seed=P["seed"])
record_table(summary, "outlet_summary", OUT)
table = compare.paper_table(summary)
record_table(table, "outlet_summary_paper", OUT, index=True)
table

# %%
key = [f for f in ["share_distancing_cues", "share_unnamed_sources", "hedges_per_1k_words", "boilerplate_share",
                   "share_named_person_sources", "mean_mention_sentiment", "flesch_reading_ease", "n_attributions"]
       if f in set(summary.feature[summary.n > 0])]
fig = plots.plot_outlet_features(summary, key)
evidence = pd.concat([compare.feature_evidence(a, f, o, n=1, seed=P["seed"])
                      for f in ["share_distancing_cues", "share_unnamed_sources", "hedges_per_1k_words"]
                      for o in outlets], ignore_index=True)
record_figure(fig, "outlet_features", OUT, title="Outlets compared on framing features",
              caption=f"Mean per article with {P['level']:.0%} bootstrap CI ({P['n_boot']} resamples); n = articles "
                      "with the feature defined.",
              table=summary[summary.feature.isin(key)], evidence=evidence)
fig

# %% [markdown]
# ## 2. Pairwise differences: effect sizes and corrected permutation tests

# %%
pairs = compare.pairwise_differences(a, key, n_perm=P["n_perm"], n_boot=P["n_boot"], level=P["level"],
                                     correction=P["correction"], seed=P["seed"])
record_table(pairs, "pairwise_differences", OUT)
pairs.round(3)

# %% [markdown]
# ## 3. Who is cited: source types and top speakers

# %%
shares = compare.source_type_shares(a, n_boot=P["n_boot"], level=P["level"], seed=P["seed"])
speakers = compare.top_speakers(a, n=10)
record_table(speakers, "top_speakers", OUT)
fig = plots.plot_source_types(shares)
ev = pd.concat([compare.feature_evidence(a, "share_unnamed_sources", o, n=P["evidence_per_outlet"], seed=P["seed"])
                for o in outlets], ignore_index=True)
record_figure(fig, "source_types", OUT, title="Who is cited: attributions by source type",
              caption="Share of each outlet's attributions (pooled) by the type of source; the examples show "
                      "attributions to unnamed sources.", table=shares, evidence=ev)
fig

# %%
speakers.groupby("outlet").head(5)

# %% [markdown]
# ## 4. Boilerplate: how much of each page is not journalism

# %%
fig = plots.plot_boilerplate_distribution(a.articles)
ev = pd.concat([compare.feature_evidence(a, "boilerplate_share", o, n=P["evidence_per_outlet"], seed=P["seed"])
                for o in outlets], ignore_index=True)
record_figure(fig, "boilerplate", OUT, title="Boilerplate share of the page",
              caption="Each dot is an article: the share of its characters in boilerplate blocks (appeals, "
                      "prompts, related links, widgets, repeated blocks).",
              table=summary[summary.feature == "boilerplate_share"], evidence=ev)
fig

# %% [markdown]
# ## 5. Same story, different outlets
# Articles are grouped into stories by TF-IDF cosine similarity within a date window; each outlet is then
# compared with the *other* outlets on the same stories.

# %%
stories = compare.match_stories(a, min_similarity=P["min_similarity"], date_window_days=P["date_window_days"])
record_table(stories, "stories", OUT)
multi = stories[stories.n_outlets >= 2].story.nunique()
print(f"{stories.story.nunique()} stories, {multi} covered by 2+ outlets")
dev = compare.story_differences(a, stories, key, n_boot=P["n_boot"], level=P["level"], seed=P["seed"])
fig = plots.plot_story_deviations(dev, key)
ev = pd.concat([compare.feature_evidence(a, "share_distancing_cues", o, n=1, seed=P["seed"] + 1) for o in outlets],
               ignore_index=True)
record_figure(fig, "same_story", OUT, title="Same stories, different outlets",
              caption=f"For {multi} stories covered by two or more outlets (cosine ≥ {P['min_similarity']}, within "
                      f"{P['date_window_days']} days): outlet value minus the mean of the other outlets on the same "
                      "story, averaged over stories, with bootstrap CI over stories.", table=dev, evidence=ev)
fig

# %% [markdown]
# ## 6. Actor framing

# %%
actors = compare.actor_framing(a, n_boot=P["n_boot"], level=P["level"], seed=P["seed"])
record_table(actors, "actor_framing", OUT)
actors.sort_values("n_articles", ascending=False).head(15).round(2)

# %%
fig = None
if len(actors) and (actors.n_articles >= P["min_actor_articles"]).any():
    fig = plots.plot_actor_heatmap(actors, min_articles=P["min_actor_articles"])
    top = (actors[actors.n_articles >= P["min_actor_articles"]].groupby("actor").n_articles.sum()
           .sort_values(ascending=False).index[:3])
    ev = pd.concat([compare.feature_evidence(a, "mean_mention_sentiment", actor=t, n=2) for t in top],
                   ignore_index=True)
    record_figure(fig, "actor_sentiment", OUT, title="Sentiment toward actors, by outlet",
                  caption="Mean sentiment of the context around each actor's mentions (per article, then "
                          "averaged over articles); n = articles. The examples are the strongest-scored mentions of "
                          "the most covered actors.", table=actors, evidence=ev)
fig

# %% [markdown]
# ## 7. Can a classifier tell the outlets apart — honestly?
# Folds are grouped by story (matched stories merged with near-duplicates), so no story is in both training
# and test; the majority and stratified baselines are scored on the same folds.

# %%
cv = compare.cross_validate(a, "outlet", group_by="story", n_splits=P["n_splits"], n_repeats=P["importance_repeats"],
                            seed=P["seed"], min_similarity=P["min_similarity"], date_window_days=P["date_window_days"])
record_table(cv.summary, "classifier_scores", OUT)
print(cv.params)
cv.table()

# %%
fig = plots.plot_classifier_scores(cv.summary, title="Predicting the outlet, folds grouped by story")
record_figure(fig, "classifier_scores", OUT, title="Predicting the outlet from framing features and text",
              caption=f"Macro-F1 over {cv.params['n_splits']} folds grouped by story, beside the majority and "
                      "stratified baselines on the same folds.", table=cv.summary)
fig

# %%
fig = plots.plot_confusion_matrix(cv.confusion["features"],
                                  title="Confusion matrix: framing-features model (out-of-fold)")
record_figure(fig, "confusion_matrix", OUT, title="Confusion matrix (framing features)",
              caption="Rows: true outlet; columns: predicted; cells: share of the true outlet's articles (count).",
              table=cv.confusion["features"], table_index=True)
fig

# %%
fig = plots.plot_feature_importance(cv.importance)
top_feature = next((f for f in cv.importance.feature if f in compare.evidence.EVIDENCE_RULES), None)
ev = (pd.concat([compare.feature_evidence(a, top_feature, o, n=1, seed=P["seed"]) for o in outlets],
                ignore_index=True) if top_feature else None)
record_figure(fig, "feature_importance", OUT, title="Which features tell the outlets apart",
              caption="Permutation importance on the test folds: the drop in macro-F1 when one feature is shuffled"
                      + (f"; examples: {top_feature}." if top_feature else "."), table=cv.importance, evidence=ev)
fig
