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
# # Methods: what each measure counts, with examples
#
# Every measure is computed from findings with character offsets. This notebook runs the toolkit on
# short invented sentences so that each measure can be seen at work, and lists the lexicon versions and
# the statistics used for the comparison.

# %%
import pandas as pd

import framing
from framing.compare.stats import FEATURE_LABELS
from framing.report import load_params

P = load_params()
run = framing.Analysis.load(P["analysis"]).provenance
examples = pd.DataFrame({
    "doc_id": ["neutral", "distancing", "unnamed", "hedged", "boilerplate", "actors"],
    "outlet": ["examples"] * 6,
    "text": [
        "The Finance Minister, Ana Ruiz, said the budget would be published on Monday.",
        "The company claimed the spill was contained, but residents disputed the account.",
        "Officials familiar with the talks said a deal was close.",
        "The ceasefire may reportedly collapse, and it could not be independently verified.",
        "Donate today to keep our journalism free.\nThe council voted to approve the plan, the mayor said.",
        "The European Union praised the generous aid deal. Russia condemned the reckless and dangerous decision.",
    ],
})
ex = framing.analyze(examples)
ex

# %% [markdown]
# ## Attribution: who is cited, and how
# A reporting cue (*said*, *claimed*, *according to*) with its speaker and content. The cue's class is
# `neutral`, `distancing` (it casts doubt on the claim: *claimed*, *alleged*) or `emphatic`; the source type
# is a named person or organisation, an unnamed source ("officials familiar with…"), or an unresolved pronoun.
# Per article: the share of attributions with a distancing cue and the share attributed to unnamed sources.

# %%
ex.attributions[["doc_id", "cue", "cue_class", "speaker", "source_type", "kind"]]

# %% [markdown]
# ## Hedging and distancing
# Hedges per 1,000 words, by category (uncertainty, distancing, non-confirmation, …).

# %%
ex.hedges[["doc_id", "cue", "category"]]

# %% [markdown]
# ## Boilerplate
# Blocks that are not journalism (appeals, prompts, widgets, blocks an outlet repeats across articles). Their
# share of the page's characters is `boilerplate_share`; the other measures read the body only.

# %%
ex.boilerplate[["doc_id", "kind", "rule", "start", "end"]]

# %% [markdown]
# ## Actors and sentiment
# Mentions of known actors, each with the sentiment of its context in [-1, 1].

# %%
ex.mentions[["doc_id", "actor", "alias", "sentiment"]]

# %% [markdown]
# ## Per-article features
# The comparison uses these columns of `articles`:

# %%
pd.DataFrame({"feature": list(FEATURE_LABELS), "meaning": list(FEATURE_LABELS.values())})

# %%
ex.articles.set_index("doc_id")[["n_attributions", "share_distancing_cues", "share_unnamed_sources",
                                 "hedges_per_1k_words", "boilerplate_share"]]

# %% [markdown]
# ## Statistics used in the comparison
# * Per-outlet means with percentile bootstrap confidence intervals, resampling articles.
# * Pairwise differences: Cliff's delta (rank effect size), Hedges' g (standardised mean difference),
#   two-sided permutation test of the difference in means, Holm or Benjamini–Hochberg correction over the table.
# * Same-story comparison: TF-IDF cosine similarity within a date window, average-linkage clustering;
#   each outlet minus the other outlets on the same story.
# * Classifiers: logistic regression on framing features, TF-IDF, or both; folds grouped by story
#   (stories merged with near-duplicates) so that no story is in both training and test; majority and
#   stratified baselines on the same folds; permutation importance on the test folds.

# %% [markdown]
# ## This run

# %%
pd.DataFrame({"setting": ["toolkit version", "analysis options", "lexicons", "report parameters"],
              "value": [run.get("version"), run.get("options"), run.get("lexicons"),
                        {k: v for k, v in P.items() if k not in ("analysis", "outdir")}]})
