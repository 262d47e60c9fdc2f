"""Same-story matching, within-story differences, actor framing and sentence-level evidence."""

from __future__ import annotations

import pandas as pd
import pytest

from framing.compare import actor_framing, feature_evidence, match_stories, story_differences
from framing.compare.stories import paired_outlet_differences
from framing.errors import FramingError
from tests.compare_helpers import synthetic_analysis


def test_match_stories_recovers_the_planted_stories():
    a = synthetic_analysis(n_stories=12)
    st = match_stories(a, min_similarity=0.3)
    truth = st.doc_id.str.rsplit("-", n=1).str[1]
    assert st.groupby("story").doc_id.size().eq(3).all()
    assert (st.groupby("story").apply(lambda g: truth[g.index].nunique()) == 1).all()
    assert st.n_outlets.eq(3).all()


def test_date_window_and_parameter_checks():
    a = synthetic_analysis(n_stories=4)
    arts = a.articles.copy()
    arts.loc[arts.outlet == "c-buzz", "date"] = "2025-06-01"  # a year later: never the same story
    df = arts.merge(a.texts, on="doc_id")
    st = match_stories(df, date_window_days=3)
    assert st[st.outlet == "c-buzz"].story_size.eq(1).all()
    assert match_stories(df, date_window_days=None).story_size.eq(3).all()
    with pytest.raises(FramingError, match="min_similarity"):
        match_stories(a, min_similarity=0)


def test_story_differences_show_the_distancing_outlet():
    a = synthetic_analysis(n_stories=24)
    d = story_differences(a, features=["share_distancing_cues"], n_boot=500).set_index("outlet")
    assert d.loc["b-hedgy", "ci_low"] > 0 and d.loc["a-neutral", "ci_high"] < 0
    p = paired_outlet_differences(a, features=["share_distancing_cues"], n_perm=500)
    ab = p[(p.outlet_a == "a-neutral") & (p.outlet_b == "b-hedgy")].iloc[0]
    assert ab.n_stories == 24 and ab.mean_diff < 0 and ab.p_adjusted < 0.05


def test_actor_framing_links_speakers_and_sentiment():
    a = synthetic_analysis(n_stories=10)
    t = actor_framing(a, n_boot=300).set_index("outlet")
    assert set(t.actor) == {"Minister"}
    assert t.loc["a-neutral", "mean_sentiment"] > 0 > t.loc["b-hedgy", "mean_sentiment"]
    assert t.loc["a-neutral", "ci_low"] > t.loc["b-hedgy", "ci_high"]
    # the minister's attributions are found through the speaker span and are never distancing
    assert (t.n_quotes == 10).all() and (t.share_distancing == 0).all() and (t.share_speaker == 1).all()


def test_evidence_points_at_the_counted_words():
    a = synthetic_analysis(n_stories=6)
    ev = feature_evidence(a, "share_distancing_cues", "b-hedgy", n=3)
    assert len(ev) >= 1
    for r in ev.itertuples():
        assert r.sentence[r.mark_start:r.mark_end] == "claimed"
        assert a.text(r.doc_id)[r.start:r.end] == "claimed"
    assert feature_evidence(a, "share_distancing_cues", "no-such-outlet").empty
    with pytest.raises(FramingError, match="E430"):
        feature_evidence(a, "n_words")
    assert isinstance(feature_evidence(a, "mean_mention_sentiment", n=2), pd.DataFrame)
