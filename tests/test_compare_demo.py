"""Must show: on the demo corpus the comparison finds the house styles the demo was written with."""

from __future__ import annotations

from sklearn.metrics import adjusted_rand_score

from framing.compare import match_stories, pairwise_differences, story_differences, summarize_outlets
from tests.compare_helpers import BUZZ, COURIER, LEDGER, demo_analysis, demo_slug

HOUSE = ["share_distancing_cues", "share_unnamed_sources"]


def test_evening_courier_ranks_highest_with_cis_excluding_the_ledger():
    s = summarize_outlets(demo_analysis(), HOUSE + ["boilerplate_share"], n_boot=2000)
    for f in HOUSE:
        t = s[s.feature == f].set_index("outlet")
        assert t["mean"].idxmax() == COURIER, t
        # the courier's CI lies wholly above the ledger's CI
        assert t.loc[COURIER, "ci_low"] > t.loc[LEDGER, "ci_high"], t
    bp = s[s.feature == "boilerplate_share"].set_index("outlet")
    assert bp["mean"].idxmax() == BUZZ and bp.loc[BUZZ, "ci_low"] > bp.drop(BUZZ).ci_high.max()


def test_pairwise_courier_vs_ledger_is_significant_after_correction():
    pw = pairwise_differences(demo_analysis(), HOUSE, n_perm=2000)
    r = pw[(pw.outlet_a == LEDGER) & (pw.outlet_b == COURIER)]
    assert len(r) == 2
    assert (r.significant & (r.diff_ci_high < 0) & (r.cliffs_delta < -0.3)).all(), r


def test_same_story_matching_recovers_the_demo_stories_and_the_style_survives():
    a = demo_analysis()
    st = match_stories(a)
    assert adjusted_rand_score(st.doc_id.map(demo_slug), st.story) > 0.9
    d = story_differences(a, st, HOUSE, n_boot=1000).set_index(["outlet", "feature"])
    for f in HOUSE:
        assert d.loc[(COURIER, f), "ci_low"] > 0
