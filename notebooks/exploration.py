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
# # Exploring an analysed corpus
#
# Load a corpus analysis, look at its tables, and drill down from a number (an outlet's share of
# distancing cues) to the articles and the exact sentences behind it. Run by `framing report`; opened by
# hand it uses the bundled demo corpus.

# %%
import pandas as pd

import framing
from framing import compare
from framing.report import load_params

P = load_params()
a = framing.Analysis.load(P["analysis"])
a

# %% [markdown]
# ## The tables
# One row per article (`articles`), and one row per finding in `attributions`, `hedges`, `mentions` and
# `boilerplate`, each with character offsets into the article text (`texts`).

# %%
{name: len(getattr(a, name)) for name in ["articles", "attributions", "hedges", "mentions", "boilerplate", "errors"]}

# %%
a.articles.head()

# %%
a.attributions[["doc_id", "cue", "cue_class", "speaker", "source_type", "kind"]].head(10)

# %%
a.errors

# %% [markdown]
# ## From a number to the sentences behind it
# Which outlet relies most on distancing cues ("claimed", "alleged")? Then: which of its articles, and
# which sentences?

# %%
by_outlet = a.articles.groupby("outlet").share_distancing_cues.mean().sort_values(ascending=False)
by_outlet

# %%
outlet = by_outlet.index[0]
arts = a.articles[a.articles.outlet == outlet].sort_values("share_distancing_cues", ascending=False)
arts[["doc_id", "title", "n_attributions", "share_distancing_cues"]].head()

# %%
doc = arts.doc_id.iloc[0]
spans = a.spans("attributions", doc)
spans[spans.cue_class == "distancing"][["start", "end", "text", "speaker", "source_type"]]

# %%
compare.feature_evidence(a, "share_distancing_cues", outlet, n=5)[["doc_id", "sentence", "label"]]

# %% [markdown]
# The same drill-down works for every feature with findings behind it:

# %%
sorted(compare.evidence.EVIDENCE_RULES)
