"""Invariants of the whole pipeline on arbitrary text (Hypothesis).

Texts mix news words (cue verbs, hedges, actor names), every kind of quote mark, line breaks of
all three conventions, emoji (with joiners and skin tones), right-to-left script and control
characters. On any such corpus:

* every span offset is valid for its article's text (``0 <= start < end <= len(text)``);
* ``boilerplate_share`` is in [0, 1], ``sentiment`` in [-1, 1], ``sentiment_label`` in {-1, 0, 1};
* the analysis is deterministic (twice the same);
* analysing articles one by one equals analysing them together. The one documented exception is
  cross-article boilerplate repetition (a block repeated in ``repetition_min_docs`` articles of an
  outlet is boilerplate of kind ``repeated``), which by design depends on the other articles: here
  ``repetition_min_docs`` is set above the corpus size so that it cannot trigger. The ``source``
  column (``dataframe:<row>``, the position in the input) differs by design and is not compared.
"""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import framing
from tests.test_bad_input import OFFSET_PAIRS

WORDS = [
    "The", "minister", "said", "claimed", "alleged", "told", "reporters", "according", "to", "officials",
    "a", "source", "close", "the", "talks", "may", "might", "reportedly", "allegedly", "Putin", "Biden", "Zelensky",
    "EU", "NATO", "Mr", "Ms.", "Dr.", "he", "she", "they", "insisted", "denied", "warned", "failed", "good", "terrible",
    "Share", "this", "article", "Subscribe", "newsletter", "Read", "more:", "Advertisement", "Sign", "up",
    "\u201c", "\u201d", "\u2018", "\u2019", '"', "'", ".", ",", ":", ";", "!", "?", "...", "\u2014", "(", ")",
    "\n", "\n\n", "\r\n", "\r", "\t", "\u00a0", "\u2028",
    "\U0001F600", "\U0001F468\u200d\U0001F469\u200d\U0001F467", "\U0001F44D\U0001F3FD", "\U0001F1EB\U0001F1F7",
    "\u05d4\u05e9\u05e8", "\u05d0\u05de\u05e8", "\u0642\u0627\u0644", "\u0627\u0644\u0648\u0632\u064a\u0631",
    "\u202b", "\u202c", "\u200f", "12", "3.5%", "2026-01-01", "e.g.", "U.S.",
]
CHARS = "abcXYZ .,:;!?-\u2014\u201c\u201d\u2018\u2019\"'\n\r\t\u00a0\u2028\u200d\U0001F600\u05d0\u0627\u00e9\u00df0"

news_text = st.lists(st.sampled_from(WORDS), max_size=80).map(lambda ws: " ".join(ws))
raw_text = st.text(alphabet=st.sampled_from(list(CHARS)), max_size=200)
article_text = st.one_of(news_text, raw_text, st.tuples(news_text, raw_text).map("\n".join))
corpus = st.lists(st.tuples(st.sampled_from(["A", "B", "C"]), article_text), min_size=1, max_size=5)

NO_REPETITION = {"repetition_min_docs": 10**9}  # the cross-article step cannot fire (see module docstring)
PROPS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def frame(items) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(items))], "outlet": [o for o, _ in items],
                         "text": [t for _, t in items]})


def check_invariants(a: framing.Analysis) -> None:
    lengths = dict(zip(a.texts.doc_id, a.texts.text.str.len()))
    for table, pairs in OFFSET_PAIRS.items():
        df = getattr(a, table)
        for s_col, e_col in pairs:
            for doc_id, s, e in zip(df.doc_id, df[s_col], df[e_col]):
                if pd.isna(s) and pd.isna(e):
                    continue
                assert 0 <= int(s) < int(e) <= lengths[doc_id], (table, s_col, doc_id, s, e)
    share = a.articles.boilerplate_share.dropna()
    assert ((share >= 0) & (share <= 1)).all()
    sent = a.mentions.sentiment.dropna()
    assert ((sent >= -1) & (sent <= 1)).all()
    assert set(a.mentions.sentiment_label.dropna().astype(int)) <= {-1, 0, 1}
    assert "E201" not in set(a.errors.code), a.errors.reason.tolist()


def same(a: framing.Analysis, b: framing.Analysis) -> None:
    for t in ("articles", "attributions", "hedges", "mentions", "boilerplate", "errors", "texts"):
        pd.testing.assert_frame_equal(getattr(a, t).reset_index(drop=True), getattr(b, t).reset_index(drop=True),
                                      check_dtype=False, obj=t)


@PROPS
@given(corpus)
def test_invariants_and_determinism(items):
    df = frame(items)
    a = framing.analyze(df)
    check_invariants(a)
    assert len(a.articles) + int((a.errors.severity == "error").sum()) == len(items)
    same(a, framing.analyze(df))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpus)
def test_one_by_one_equals_together(items):
    df = frame(items)
    together = framing.analyze(df, **NO_REPETITION)
    assert not (together.boilerplate.kind == "repeated").any()
    parts = [framing.analyze(df.iloc[[i]], **NO_REPETITION) for i in range(len(df))]
    for t in ("articles", "attributions", "hedges", "mentions", "boilerplate", "errors", "texts"):
        frames = [getattr(p, t) for p in parts if len(getattr(p, t))]
        joined = pd.concat(frames, ignore_index=True) if frames else getattr(together, t).iloc[0:0]
        left, right = getattr(together, t).reset_index(drop=True), joined.reset_index(drop=True)
        if "source" in left.columns:  # "dataframe:<row>": the position in the input, which differs by design
            left, right = left.drop(columns="source"), right.drop(columns="source")
        pd.testing.assert_frame_equal(left, right, check_dtype=False, obj=t)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(article_text)
def test_single_text_with_default_options(text):
    """The list-of-strings entry point, default options: same invariants."""
    a = framing.analyze([text])
    check_invariants(a)
    if text.strip() and "\x00" not in text:
        assert a.articles.doc_id.tolist() == ["doc1"] and a.text("doc1") == text
