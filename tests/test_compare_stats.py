"""Statistics of the outlet comparison: bootstrap CIs, effect sizes, permutation tests, corrections."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing.compare import (
    adjust_pvalues,
    cliffs_delta,
    hedges_g,
    pairwise_differences,
    paper_table,
    source_type_shares,
    summarize_outlets,
    top_speakers,
)
from framing.compare.stats import bootstrap_mean_ci, permutation_pvalue
from framing.errors import FramingError
from tests.compare_helpers import synthetic_analysis


def test_bootstrap_ci_covers_mean_and_narrows_with_n():
    rng = np.random.default_rng(1)
    small, large = rng.normal(5, 2, 20), rng.normal(5, 2, 2000)
    lo_s, hi_s = bootstrap_mean_ci(small, 1000)
    lo_l, hi_l = bootstrap_mean_ci(large, 1000)
    assert lo_s < small.mean() < hi_s and lo_l < large.mean() < hi_l
    assert hi_l - lo_l < (hi_s - lo_s) / 4
    assert np.isnan(bootstrap_mean_ci(np.array([1.0]))[0])


def test_cliffs_delta_matches_brute_force():
    rng = np.random.default_rng(2)
    x, y = rng.integers(0, 5, 30).astype(float), rng.integers(1, 6, 25).astype(float)
    brute = np.mean([np.sign(a - b) for a in x for b in y])
    assert cliffs_delta(x, y) == pytest.approx(brute)
    assert cliffs_delta([3, 4], [1, 2]) == 1.0 and cliffs_delta([1, 2], [3, 4]) == -1.0


def test_hedges_g_formula():
    x, y = np.array([1.0, 2, 3, 4, 5]), np.array([3.0, 4, 5, 6, 7])
    sp = np.sqrt((4 * x.var(ddof=1) + 4 * y.var(ddof=1)) / 8)
    assert hedges_g(x, y) == pytest.approx((1 - 3 / (4 * 10 - 9)) * (-2) / sp)


def test_permutation_pvalue_small_for_separated_large_for_same():
    rng = np.random.default_rng(3)
    a, b = rng.normal(0, 1, 40), rng.normal(2, 1, 40)
    assert permutation_pvalue(a, b, 999, rng) == pytest.approx(1 / 1000)
    assert permutation_pvalue(a, a.copy(), 999, rng) > 0.9


def test_holm_and_bh_against_hand_computed():
    p = [0.01, 0.04, 0.03, 0.005]
    # Holm: sorted 0.005, 0.01, 0.03, 0.04 -> 0.02, 0.03, 0.06, 0.06 (monotone)
    assert adjust_pvalues(p, "holm") == pytest.approx([0.03, 0.06, 0.06, 0.02])
    # BH: 0.005*4/1=0.02, 0.01*4/2=0.02, 0.03*4/3=0.04, 0.04*4/4=0.04
    assert adjust_pvalues(p, "bh") == pytest.approx([0.02, 0.04, 0.04, 0.02])
    out = adjust_pvalues([0.01, np.nan], "holm")
    assert out[0] == pytest.approx(0.01) and np.isnan(out[1])
    with pytest.raises(FramingError, match="E404"):
        adjust_pvalues(p, "bonferroni-ish")


def test_summary_and_pairwise_find_the_planted_differences():
    a = synthetic_analysis()
    s = summarize_outlets(a, ["share_distancing_cues", "boilerplate_share"], n_boot=500)
    assert set(s.columns) >= {"outlet", "feature", "n", "mean", "ci_low", "ci_high"}
    d = s[s.feature == "share_distancing_cues"].set_index("outlet")
    assert d["mean"].idxmax() == "b-hedgy"
    assert (d.ci_low <= d["mean"]).all() and (d["mean"] <= d.ci_high).all()
    pw = pairwise_differences(a, ["share_distancing_cues", "boilerplate_share"], n_perm=500, n_boot=500)
    row = pw[(pw.feature == "share_distancing_cues") & (pw.outlet_a == "a-neutral") & (pw.outlet_b == "b-hedgy")]
    assert bool(row.significant.iloc[0]) and row.cliffs_delta.iloc[0] < 0 and row.diff_ci_high.iloc[0] < 0
    assert (pw.p_adjusted >= pw.p_value).all()


def test_paper_table_is_wide_and_formatted():
    a = synthetic_analysis(n_stories=10)
    t = paper_table(summarize_outlets(a, ["share_distancing_cues"], n_boot=200))
    assert list(t.columns) == ["a-neutral", "b-hedgy", "c-buzz"]
    assert t.iloc[0, 0].count("[") == 1 and "," in t.iloc[0, 0]


def test_bad_input_gives_clear_errors():
    a = synthetic_analysis(n_stories=5)
    with pytest.raises(FramingError, match="unknown feature"):
        summarize_outlets(a, ["no_such_feature"])
    with pytest.raises(FramingError, match="E401"):
        summarize_outlets(pd.DataFrame({"x": [1]}))
    with pytest.raises(FramingError, match="level"):
        summarize_outlets(a, level=1.5)
    with pytest.raises(FramingError, match="two outlets"):
        pairwise_differences(a.articles[a.articles.outlet == "b-hedgy"])


def test_source_types_and_speakers():
    a = synthetic_analysis()
    sh = source_type_shares(a, n_boot=300)
    assert np.allclose(sh.groupby("outlet").share.sum(), 1.0)
    b = sh[(sh.outlet == "b-hedgy") & (sh.source_type == "unnamed")].share.iloc[0]
    n = sh[(sh.outlet == "a-neutral") & (sh.source_type == "unnamed")].share.iloc[0]
    assert b > n
    sp = top_speakers(a)
    assert set(sp.speaker) == {"Minister"}
