"""Unit tests for the hedging and distancing extractor (framing.extractors.hedging)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.document import Document
from framing.errors import FramingError
from framing.extractors.hedging import HEDGE_CATEGORIES, extract_hedges, hedge_weights
from framing.options import Options


def cues(text: str, options: Options | None = None) -> list[tuple[str, str]]:
    doc = Document.from_text("t", text)
    return [(r["cue"].lower(), r["category"]) for r in extract_hedges(doc, options)]


@pytest.mark.parametrize(
    ("text", "cue", "category"),
    [
        ("The minister claimed the figures were wrong.", "claimed", "distancing_verb"),
        ("She insisted the deal was fair.", "insisted", "distancing_verb"),
        ("The group purports to represent farmers.", "purports to", "distancing_verb"),
        ("He denied the allegations on Tuesday.", "allegations", "distancing_noun"),
        ("Her claims could not be checked.", "claims", "distancing_noun"),
        ("The ministry rejected Western assertions about troops.", "assertions", "distancing_noun"),
        ("Police arrested the alleged gunman.", "alleged", "distancing_adj"),
        ("The so-called peace plan stalled.", "so-called", "distancing_adj"),
        ("A self-styled prophet led the march.", "self-styled", "distancing_adj"),
        ("The purported video showed the port.", "purported", "distancing_adj"),
        ("The firm reportedly lost millions.", "reportedly", "distancing_adverb"),
        ("He allegedly took bribes.", "allegedly", "distancing_adverb"),
        ("He condemned what he described as a cover-up.", "what he described as", "distancing_frame"),
        ("She cited what she said was new evidence.", "what she said was", "distancing_frame"),
        ("The talks may collapse next week.", "may", "uncertainty"),
        ("Troops are expected to arrive soon.", "expected", "uncertainty"),
        ("The leak is believed to have started at night.", "is believed to", "uncertainty"),
        ("It is unclear who fired first.", "unclear", "uncertainty"),
        ("The storm will probably weaken.", "probably", "uncertainty"),
        ("Russia has neither confirmed nor denied the report.", "neither confirmed nor denied", "non_confirmation"),
        ("The company declined to comment.", "declined to comment", "non_confirmation"),
        (
            "The ministry did not respond to a request for comment.",
            "did not respond to a request",
            "non_confirmation",
        ),
        ("The footage could not be independently verified.", "could not be independently verified", "unverified"),
        ("Unconfirmed reports spoke of casualties.", "unconfirmed", "unverified"),
        ("Critics argue the law goes too far.", "critics argue", "unnamed_attribution"),
        ("Some experts say the plan will fail.", "some experts", "unnamed_attribution"),
        ("It is said that the castle is haunted.", "it is said", "unnamed_attribution"),
        ("Police found the apparent murder weapon.", "apparent", "uncertainty"),
        ("Scalia may have been murdered, he claimed.", "may have been", "uncertainty"),
        ("The remarks were viewed by some as disparaging.", "by some", "unnamed_attribution"),
    ],
)
def test_each_category_has_a_cue(text: str, cue: str, category: str) -> None:
    found = cues(text)
    assert (cue, category) in found, found


@pytest.mark.parametrize(
    "text",
    [
        "The summit took place in May.",
        "Theresa May met the president on Monday.",
        "May 5 is a holiday.",
        "Insurance claims rose sharply after the floods.",
        "The claims adjusters visited the houses.",
        "She will claim the title next year.",
        "He claimed victory in the election.",
        "The group claimed responsibility for the attack.",
        "The fire claimed the lives of three people.",
        "The government will publish the report on Friday.",
        "The country's military might was on display.",
        "He said the report was accurate.",
        "It is apparent that the plan failed.",
        "Witnesses will assert their rights.",
        "She saw how many people came.",
        "As many as 8,000 troops are in Kursk.",
        "All possible scenarios were considered.",
        "Commonly held equipment was shared.",
    ],
)
def test_negatives_have_no_cue(text: str) -> None:
    assert cues(text) == []


def test_records_follow_the_contract() -> None:
    text = "Officials said the attack may have been staged.\nHer claims were unverified."
    doc = Document.from_text("d", text)
    recs = extract_hedges(doc)
    assert recs, "expected cues"
    for r in recs:
        assert set(r) == {"start", "end", "cue", "category", "rule"}
        assert text[r["start"] : r["end"]] == r["cue"]
        assert r["category"] in HEDGE_CATEGORIES
        assert r["rule"] in hedge_weights()


def test_body_only_skips_boilerplate() -> None:
    text = "Donate now and we may send you a gift.\nThe minister allegedly lied."
    doc = Document.from_text("d", text)
    doc.boilerplate = [(0, text.index("\n"), "donation_appeal")]
    assert [r["cue"] for r in extract_hedges(doc)] == ["allegedly"]
    assert {r["cue"] for r in extract_hedges(doc, Options(body_only=False))} == {"may", "allegedly"}


def test_user_lexicon_extends_the_builtin(tmp_path) -> None:
    extra = tmp_path / "mine.tsv"
    extra.write_text(
        "name\tpattern\tcategory\tkind\tweight\tsource\n"
        "rumoured_mine\tword on the street\tunverified\tliteral\t1\tmy newsroom\n",
        encoding="utf-8",
    )
    found = cues("Word on the street is that he quits.", Options(lexicons={"hedges": str(extra)}))
    assert ("word on the street", "unverified") in found


def test_bad_user_entry_is_a_clear_error(tmp_path) -> None:
    extra = tmp_path / "bad.tsv"
    extra.write_text(
        "name\tpattern\tcategory\tkind\tweight\tsource\nx\tfoo\tnot_a_category\tliteral\t1\tme\n", encoding="utf-8"
    )
    with pytest.raises(FramingError, match="E120"):
        cues("foo", Options(lexicons={"hedges": str(extra)}))


def test_every_builtin_entry_is_sourced_and_anchored() -> None:
    from framing.extractors.hedging import _compile
    from framing.lexicons import load_lexicon

    for row in load_lexicon("hedges"):
        assert row["source"], row["name"]
    # All built-in entries start with literal words, so the fast trigger path is used.
    assert _compile(None).trigger is not None


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_any_text_gives_valid_deterministic_offsets(text: str) -> None:
    doc = Document.from_text("h", text)
    first = extract_hedges(doc)
    for r in first:
        assert 0 <= r["start"] < r["end"] <= len(text)
        assert text[r["start"] : r["end"]] == r["cue"]
    assert extract_hedges(Document.from_text("h", text)) == first


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["may", "May", "İstanbul", "claims", "“", "allegedly", "مرحبا", "😀", "\n", " ", "what he said was", "."]
        ),
        max_size=60,
    )
)
def test_cue_heavy_mixtures(parts: list[str]) -> None:
    text = " ".join(parts)
    for r in extract_hedges(Document.from_text("m", text), Options(body_only=False)):
        assert 0 <= r["start"] < r["end"] <= len(text)


def test_long_single_line_does_not_crash() -> None:
    text = ("The claims may be false, critics say. " * 30000)[:1_000_000]
    recs = extract_hedges(Document.from_text("big", text))
    assert recs and all(0 <= r["start"] < r["end"] <= len(text) for r in recs)


def test_vague_quantifiers_are_opt_in() -> None:
    from framing.extractors.hedging import VAGUE_QUANTIFIERS_TSV

    text = "Several houses were damaged and many roads closed."
    assert cues(text) == []
    found = cues(text, Options(lexicons={"hedges": VAGUE_QUANTIFIERS_TSV}))
    assert ("several", "unnamed_attribution") in found and ("many", "unnamed_attribution") in found
