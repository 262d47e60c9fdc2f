"""The decision rules of the methods codebook (docs/methods/*.md) describe what the code does.

Each case below is an example sentence quoted verbatim from a codebook page, with the decision the page
states. When an extractor changes its behaviour on one of them, this test fails: update the codebook (and
the example) or the extractor, so that the documentation never drifts from the measure.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from framing.document import Document
from framing.options import Options
from tests.conftest import need_data

METHODS = Path(__file__).resolve().parents[1] / "docs" / "methods"


def page_text(page: str) -> str:
    text = (METHODS / f"{page}.md").read_text(encoding="utf-8")
    text = re.sub(r"\*\*?", "", text)  # examples are in italics, some words in bold
    return re.sub(r"\s+", " ", text)  # and may wrap across lines


def doc(text: str) -> Document:
    return Document.from_text("example", text)


def attributions(text: str) -> list[tuple]:
    from framing.extractors.attribution import extract_attributions

    return [(r["cue"], r["cue_class"], r["source_type"], r["kind"], r["canonical_speaker"])
            for r in extract_attributions(doc(text), Options())]


def hedges(text: str) -> list[tuple[str, str]]:
    from framing.extractors.hedging import extract_hedges

    return [(text[r["start"]:r["end"]], r["category"]) for r in extract_hedges(doc(text), Options())]


def mentions(text: str) -> list[tuple[str, str]]:
    from framing.extractors.actors import find_mentions

    return [(r["alias"], r["actor"]) for r in find_mentions(doc(text), Options())]


# (page, example as written on the page, function, expected result)
CASES = [
    # attribution: negatives
    ("attribution", "The said property was sold in 2019.", attributions, []),
    ("attribution", "That said, the council has not set a date.", attributions, []),
    ("attribution", "There is nothing more to say.", attributions, []),
    ("attribution", "Edward Said's book was reprinted.", attributions, []),
    ("attribution", "Insurance claims rose by a fifth.", attributions, []),
    ("attribution", "It was chaos.” The crowd dispersed an hour later.", attributions, []),
    ("hedging", "It is said to be the largest port in the region.", attributions, []),
    # attribution: positives and their classes
    ("attribution", "The company claims the fire was arson.", attributions,
     [("claims", "distancing", "named_org", "indirect", "company")]),
    ("attribution", "When asked about the fee, the mayor smiled.", attributions,
     [("asked", "neutral", "unnamed", "indirect", None)]),
    ("attribution", "It is said that the mayor will resign.", attributions,
     [("is said", "neutral", "unnamed", "indirect", None)]),
    ("attribution", "According to the ministry, 40 ships were inspected.", attributions,
     [("According to", "neutral", "named_org", "indirect", "ministry")]),
    ("attribution", "The union insisted the strike was legal.", attributions,
     [("insisted", "distancing", "named_org", "indirect", "union")]),
    ("attribution", "“I never said that,” he told reporters.", attributions,
     [("told", "neutral", "pronoun_unresolved", "direct", None)]),
    ("attribution", "“We are ready,” says Ana Petrov.", attributions,
     [("says", "neutral", "named_person", "direct", "Ana Petrov")]),
    ("attribution", "The minister said the deal was “dead in the water”.", attributions,
     [("said", "neutral", "unnamed", "mixed", "the minister")]),
    ("attribution", "“We will not sign,” the minister said.", attributions,
     [("said", "neutral", "unnamed", "direct", "the minister")]),
    # source types
    ("source-types", "A government spokeswoman said", attributions, None),
    ("source-types", "Ministry officials said", attributions, None),
    ("source-types", "NATO said", attributions, None),
    # hedging
    ("hedging", "The vote is set for 12 May.", hedges, []),
    ("hedging", "The ministry could not say when", hedges, []),
    ("hedging", "expecting a baby", hedges, []),
    ("hedging", "military might", hedges, []),
    ("hedging", "insurance claims", hedges, []),
    ("hedging", "The deal is expected to pass.", hedges, [("expected", "uncertainty")]),
    ("hedging", "the alleged attacker appeared in court", hedges, [("alleged", "distancing_adj")]),
    ("hedging", "It is said to be the largest port in the region.", hedges, [("It is said", "unnamed_attribution")]),
    ("hedging", "We believe the figure is higher,” she said.", hedges, [("believe", "uncertainty")]),
    ("hedging", "could not be independently verified", hedges,
     [("could not be independently verified", "unverified")]),
    # actor mentions
    ("actor-sentiment", "Moscow rejected the offer.", mentions, [("Moscow", "Russia")]),
    ("actor-sentiment", "Russian troops withdrew.", mentions, [("Russian", "Russia")]),
    ("actor-sentiment", "Tell us more.", mentions, []),
    ("actor-sentiment", "US officials said", mentions, [("US", "United States")]),
    ("actor-sentiment", "JOIN US TODAY", mentions, []),
    ("actor-sentiment", "The Washington Post reported …", mentions, []),
]

# source-type cases: sentence completed here, the page shows its beginning
SOURCE_TYPES = {
    "A government spokeswoman said": "unnamed",
    "Ministry officials said": "unnamed",
    "NATO said": "named_org",
}


@pytest.mark.parametrize("page,example,fn,expected", CASES, ids=[f"{c[0]}: {c[1][:40]}" for c in CASES])
def test_codebook_decision(page, example, fn, expected):
    on_page = " ".join(example.split()) in page_text(page)
    assert on_page, f"the example is no longer on docs/methods/{page}.md: {example!r}"
    if page == "source-types":
        got = attributions(example + " the port was safe.")
        assert [g[2] for g in got] == [SOURCE_TYPES[example]], got
        return
    got = fn(example)
    assert got == expected


def test_headline_cues_and_resolution():
    """Source types page: titles are stripped, surnames and pronouns resolve to the last named person."""
    text = ("Government spokeswoman Lina Kovač said the port would stay open. Ms Kovač added that fees would rise. "
            "She said nothing else.")
    assert "Government spokeswoman Lina Kovač said" in page_text("source-types")
    got = attributions(text)
    assert [g[2] for g in got] == ["named_person"] * 3
    assert {g[4] for g in got} == {"Lina Kovač"}


def test_readability_examples():
    from framing.extractors.readability import readability

    page = page_text("readability")
    ex = "Mr. Lind met U.S. officials on Sept. 3."
    assert ex in page
    assert len(doc(ex).sentences) == 1
    assert readability(doc(ex), Options())["n_words"] == 8  # "U.S." is two words, "3" none
    glued = "…all the difference.North Korea has vowed…"
    assert glued in page
    assert len(doc("It makes all the difference.North Korea has vowed to respond.").sentences) == 2
    ex = "The fee rose 4.5 per cent to £120."
    assert ex in page
    assert readability(doc(ex), Options())["n_words"] == 6  # The fee rose per cent to


def test_boilerplate_examples():
    from framing.extractors.boilerplate import find_boilerplate

    page = page_text("boilerplate")
    kinds = {
        "Subscribe for unlimited access — first month free.": "subscription_prompt",
        "Sign up to our morning briefing and never miss a story.": "newsletter_prompt",
        "VOICES: Why the harbour fee is the wrong answer": "cross_promo",
        "Read more: Ten ferries that changed the island": "related_link",
        "Share this article": "share_widget",
        "We use cookies to improve your experience.": "cookie_notice",
        "Skip to main content": "navigation",
        "Photo: Marta Lind / Harbour Post": "byline_credit",
        "© 2026 Harbour Post Ltd. All rights reserved.": "legal_footer",
        "Your support keeps our reporting free for everyone.": "donation_appeal",
    }
    body = ["Donations to the lifeboat charity fell by a third.",
            "LONDON (Reuters) - The central bank raised",
            "We will keep reporting,” the editor told staff.",
            "What happens next", "This article was amended on 3 May to correct a date."]
    for line in [*kinds, *body]:
        assert line in page, line
    lines = ["Harbour fees to rise", "The port authority said on Monday that fees would rise by 4 per cent.",
             *kinds, "Donations to the lifeboat charity fell by a third.",
             "LONDON (Reuters) - The central bank raised rates on Thursday, the governor said.",
             "“We will keep reporting,” the editor told staff.", "What happens next",
             "The council will vote in June.", "This article was amended on 3 May to correct a date."]
    text = "\n".join(lines)
    found = {text[r["start"]:r["end"]]: r["kind"] for r in find_boilerplate(doc(text), Options())}
    for line, kind in kinds.items():
        assert found.get(line) == kind, (line, found.get(line))
    for line in lines[-6:] + lines[:2]:
        assert line not in found, f"body line marked as boilerplate: {line!r}"


def _sentiment(text: str, target: str) -> tuple[int, float]:
    import framing

    s = text.index(target)
    labels, scores = framing.sentiment_toward([text], [(s, s + len(target))], return_scores=True)
    return int(labels[0]), float(scores[0])


def test_sentiment_examples():
    page = page_text("actor-sentiment")
    examples = ["Analysts praised Turkey's plan.", "Analysts did not praise Turkey's plan.",
                "“Russia is lying,” the minister said.", "Three people died in a Russian strike on Kharkiv."]
    for ex in examples:
        assert ex in page, ex
    praised, negated = _sentiment(examples[0], "Turkey"), _sentiment(examples[1], "Turkey")
    assert praised[0] == 1 and negated[0] != 1 and negated[1] < praised[1]
    assert _sentiment(examples[2], "Russia")[0] == -1
    label, score = _sentiment(examples[3], "Russian")
    assert label == 0 and abs(score) < 0.25, "the page says reported events score near neutral"


def test_loaded_language_examples():
    from framing.datasets.babe import load_babe
    from framing.loaded_language import LoadedLexicon

    babe = load_babe(need_data("babe"))
    lexicon = LoadedLexicon().fit(babe.text.tolist(), babe.biased_words.tolist(), babe.biased.tolist())
    page = page_text("loaded-language")
    decisions = {
        "The senator slammed the bill.": ["slammed"],
        "The senator criticised the bill.": [],
        "The minister called the plan “reckless”.": [],
        "The flood destroyed 300 homes.": ["flood"],
        "This plan is a disgrace.": [],
    }
    for sentence, words in decisions.items():
        assert sentence in page, sentence
        assert lexicon.find(sentence) == words, (sentence, lexicon.find(sentence))


def test_readability_fast_backend_agrees_with_textstat():
    """The readability page says the toolkit's own formulas agree with textstat's within a few points."""
    from framing.extractors.readability import readability

    assert "agree within a few points" in page_text("readability")
    demo = Path(__file__).resolve().parents[1] / "corpora" / "demo" / "the-daily-ledger"
    files = sorted(demo.glob("*.txt"))[:8]
    assert files, "demo corpus missing"
    tolerance = {"flesch_reading_ease": 3.0, "flesch_kincaid_grade": 1.5, "gunning_fog": 2.0,
                 "coleman_liau_index": 2.0}
    for f in files:
        d = doc(f.read_text(encoding="utf-8"))
        fast, ref = readability(d, Options(), backend="fast"), readability(d, Options(), backend="textstat")
        for key, tol in tolerance.items():
            assert abs(fast[key] - ref[key]) <= tol, (f.name, key, fast[key], ref[key])
