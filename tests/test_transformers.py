"""The framing extractors as scikit-learn transformers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from framing.errors import FramingError
from framing.extractors.transformers import AttributionFeatures, BoilerplateFeatures, FramingFeatures

TEXTS = ["The minister said the talks had failed.", "Officials claimed the deal was dead, sources said.",
         "The mayor said the plan would work.", "Critics alleged the vote was rigged, according to sources."]


def test_params_in_init_fitted_attributes_and_clone():
    t = AttributionFeatures(features=["n_attributions", "share_distancing_cues"])
    assert t.get_params() == {"features": ["n_attributions", "share_distancing_cues"], "options": None,
                              "learn_repetition": True}
    assert not hasattr(t, "feature_names_out_")
    t.fit(TEXTS)
    assert list(t.get_feature_names_out()) == ["n_attributions", "share_distancing_cues"]
    assert hasattr(t, "repeated_") and hasattr(t, "options_")
    c = clone(t)
    assert not hasattr(c, "feature_names_out_") and c.get_params() == t.get_params()


def test_transform_values_and_pandas_output():
    t = FramingFeatures(features="attribution").set_output(transform="pandas")
    out = t.fit_transform(TEXTS)
    assert isinstance(out, pd.DataFrame) and "share_distancing_cues" in out.columns and len(out) == 4
    assert out.loc[0, "share_distancing_cues"] == 0.0
    assert out.loc[1, "share_distancing_cues"] > 0


def test_inside_a_pipeline():
    y = [0, 1, 0, 1]
    pipe = make_pipeline(FramingFeatures(features="attribution"), SimpleImputer(keep_empty_features=True),
                         LogisticRegression())
    pipe.fit(TEXTS, y)
    assert pipe.predict(TEXTS).shape == (4,)


def test_repetition_learned_in_fit_only():
    prompt = "Sign up for our free morning newsletter to get the news first."
    train = pd.DataFrame({"text": [f"Story {w} happened today in town.\n{prompt}" for w in "abcd"],
                          "outlet": ["x"] * 4})
    test = pd.DataFrame({"text": [f"Another story happened.\n{prompt}"], "outlet": ["x"]})
    t = BoilerplateFeatures(features=["boilerplate_share"]).fit(train)
    assert t.repeated_["x"]
    with_rep = t.transform(test)[0, 0]
    without = BoilerplateFeatures(features=["boilerplate_share"], learn_repetition=False).fit(train).transform(test)
    assert with_rep > 0 and with_rep >= without[0, 0]


def test_bad_parameters_and_input():
    with pytest.raises(FramingError, match="E451"):
        FramingFeatures(features=["nope"]).fit(TEXTS)
    with pytest.raises(FramingError, match="E451"):
        FramingFeatures(features="nope").fit(TEXTS)
    with pytest.raises(FramingError, match="E452"):
        FramingFeatures(options=3).fit(TEXTS)
    with pytest.raises(FramingError, match="E450"):
        FramingFeatures().fit("one string")
    with pytest.raises(FramingError, match="E450"):
        FramingFeatures().fit([1, 2])
    with pytest.raises(FramingError, match="E450"):
        FramingFeatures().fit(pd.DataFrame({"body": ["x"]}))
    assert np.isnan(FramingFeatures(features=["share_distancing_cues"]).fit_transform(["No quotes here."])[0, 0])
