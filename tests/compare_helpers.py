"""Shared data for the comparison tests: the demo corpus analysed once per session, and a small synthetic analysis."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "corpora" / "demo"
COURIER, LEDGER, BUZZ = "the-evening-courier", "the-daily-ledger", "metro-buzz"


@lru_cache(maxsize=1)
def demo_analysis():
    """The demo corpus analysed with the real pipeline (cached for the whole test session)."""
    import framing

    a = framing.analyze(DEMO)
    assert len(a) >= 90 and not (a.errors.severity == "error").any(), a.errors.head()
    return a


def demo_slug(doc_id: str) -> str:
    """The story slug of a demo article id ``<outlet>/<YYYY-MM-DD>-<slug>``."""
    return doc_id.split("/", 1)[1][11:]


def synthetic_analysis(n_stories: int = 30, seed: int = 0, distancing=(0.05, 0.9, 0.3)):
    """Three outlets covering the same stories; outlet b uses "claimed"/unnamed sources most often."""
    from framing.analysis import Analysis, table_frame

    rng = np.random.default_rng(seed)
    vocab = ["".join(rng.choice(list("abcdefghijklmnopqrst"), 8)) for _ in range(40 * n_stories)]
    outlets = ["a-neutral", "b-hedgy", "c-buzz"]
    rows = {k: [] for k in ("articles", "attributions", "mentions", "texts")}
    for s in range(n_stories):
        topic = " ".join(vocab[s * 40:(s + 1) * 40])
        for o, p in zip(outlets, distancing):
            did = f"{o}/2024-01-{s % 28 + 1:02d}-story{s}"
            filler = " ".join(rng.choice(vocab[s * 40:(s + 1) * 40], 15))
            text = f"{topic}.\nThe minister said the plan works. Officials claimed it failed. {filler}\n"
            i, j = text.index("The minister said"), text.index("Officials claimed")
            attrs = [dict(doc_id=did, start=i + 13, end=i + 17, cue="said", cue_lemma="say", cue_class="neutral",
                          speaker="The minister", speaker_start=i, speaker_end=i + 12, canonical_speaker="Minister",
                          kind="indirect", source_type="named_person", rule="t")]
            if rng.random() < p:
                attrs.append(dict(doc_id=did, start=j + 10, end=j + 17, cue="claimed", cue_lemma="claim",
                                  cue_class="distancing", speaker="Officials", speaker_start=j, speaker_end=j + 9,
                                  canonical_speaker=None, kind="indirect", source_type="unnamed", rule="t"))
            nd = sum(a["cue_class"] == "distancing" for a in attrs)
            rows["attributions"] += attrs
            rows["mentions"].append(dict(doc_id=did, start=i + 4, end=i + 12, actor="Minister", alias="minister",
                                         sentiment=float(rng.normal(0.3 if o == "a-neutral" else -0.3, 0.1)),
                                         sentiment_label=0))
            rows["texts"].append({"doc_id": did, "text": text})
            rows["articles"].append(dict(
                doc_id=did, outlet=o, title=f"story {s}", date=f"2024-01-{s % 28 + 1:02d}",
                n_attributions=len(attrs), share_distancing_cues=nd / len(attrs), share_unnamed_sources=nd / len(attrs),
                boilerplate_share=float(rng.beta(5, 5) if o == "c-buzz" else rng.beta(1, 20)),
                hedges_per_1k_words=float(rng.gamma(2, 3 if o == "b-hedgy" else 1)), n_words=len(text.split())))
    tables = {t: table_frame(t, rows.get(t, [])) for t in
              ("articles", "attributions", "hedges", "mentions", "boilerplate", "errors", "texts")}
    return Analysis(tables, {"version": "synthetic"})
