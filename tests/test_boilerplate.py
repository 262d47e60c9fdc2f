"""Unit tests of the plain-text boilerplate extractor."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from framing.document import Document
from framing.extractors.boilerplate import block_key, classify_line, find_boilerplate
from framing.options import Options
from framing.pipeline import outlet_repetition

NEWS = "The minister said the plan would cut emissions by 2030."


def kinds(text: str, **kw) -> list[tuple[str, str]]:
    doc = Document.from_text("t", text, **kw)
    return [(r["kind"], text[r["start"] : r["end"]]) for r in find_boilerplate(doc)]


def only_kind(line: str) -> str | None:
    found = kinds(NEWS + "\n" + line + "\n" + NEWS)
    assert all(t != NEWS for _, t in found), found
    return found[0][0] if found else None


def test_each_kind_is_found():
    cases = {
        "Your donation allows us to keep sending reporters to the front line.": "donation_appeal",
        "Please consider making a contribution to support our journalism.": "donation_appeal",
        "Subscribe now to read the full story.": "subscription_prompt",
        "Sign up for our free morning newsletter.": "newsletter_prompt",
        "VOICES: Why the budget will not fix the NHS": "cross_promo",
        "READ MORE: Police name victim of crash": "related_link",
        "Read more": "related_link",
        "In photos: Storm hits the coast": "related_link",
        "Related: What we know about the strike": "related_link",
        "Join the conversation": "comments_widget",
        "Comments": "comments_widget",
        "Share this article": "share_widget",
        "Follow Jane Smith on Twitter @janesmith": "share_widget",
        "We use cookies to improve your experience on our site.": "cookie_notice",
        "Skip to main content": "navigation",
        "Reporting by Jane Smith; Editing by John Doe": "byline_credit",
        "Advertisement": "advertisement",
        "© 2024 Example Media Ltd. All rights reserved.": "legal_footer",
        "Jane Smith is a senior writer for Example News.": "byline_credit",
        "Monday, November 18, 2019": "byline_credit",
        "Get the Daily Edition by email and never miss our top stories": "newsletter_prompt",
        "We’d like to hear what you think about this article.": "comments_widget",
        "Follow The Example Times Opinion section on Facebook and Twitter.": "share_widget",
    }
    for line, kind in cases.items():
        assert only_kind(line) == kind, line


def test_news_in_a_news_sense_is_not_boilerplate():
    for line in [
        "The charity said donations fell 10% last year.",
        "Netflix added 5 million subscribers in the quarter, the company reported.",
        "Support for the measure fell to 40 per cent among voters.",
        "Making a donation to a political party is legal in most states.",
        "Facebook changed its privacy policy after the ruling.",
        "By the end of the day, prices had fallen sharply.",
        "Copyright law is being rewritten by the European Commission.",
        "Investigators were given full access to the records.",
        "Residents were told to sign up for flood alerts from the council.",
        "The party's code of conduct was breached, the panel found.",
        "Mr Smith is a former reporter who now runs a charity in Leeds, where he was born and raised in 1960.",
        "He hopes to become a member of parliament next year.",
        "By Friday the deal was done.",
        "Police will get the results by email on Monday.",
    ]:
        assert only_kind(line) is None, line


def test_glued_sentence_only_appeal_marked():
    text = "Your support makes all the difference.North Korea has vowed to back Russia."
    found = kinds(text)
    assert found == [("donation_appeal", "Your support makes all the difference.")]


def test_reader_address_run_and_news_quote_not_absorbed():
    text = (
        "Your support helps us to tell the story\n"
        "At a critical moment, we need reporters on the ground. Our journalism is free for all readers.\n"
        "We believe quality journalism should be available to everyone.\n"
        "Your support makes all the difference.\n"
        "\"We will keep fighting,\" the mayor said on Monday.\n"
    )
    found = kinds(text)
    marked = [t for _, t in found]
    assert len(found) == 4 and all(k == "donation_appeal" for k, _ in found)
    assert not any("mayor" in t for t in marked)


def test_promo_teaser_repeat():
    text = (
        NEWS + "\n"
        "VOICES: Will the trip fix the problem?\n"
        "The visit risks exposing the limits of influence, writes columnist Jane Doe:\n"
        "Will the trip fix the problem?\n"
        "The visit risks exposing the limits of influence, writes Jane Doe\n" + NEWS
    )
    found = kinds(text)
    assert [k for k, _ in found] == ["cross_promo"] * 4


def test_repeated_blocks_across_outlet():
    prompt = "Get the best of our coverage every weekday morning in one email."
    recs = [{"text": f"Story {i} is about topic {i}.\n{prompt}", "outlet": "Daily"} for i in range(3)]
    recs.append({"text": f"Other outlet.\n{prompt}", "outlet": "Other"})
    rep = outlet_repetition(recs, Options(repetition_min_docs=3, repetition_min_chars=25))
    assert block_key(prompt) in rep["Daily"]
    assert rep["Other"] == frozenset()
    assert block_key(prompt.upper() + "  ") == block_key(prompt)
    doc = Document.from_text("n", f"A new story about the council.\n{prompt}", outlet="Daily")
    recs = find_boilerplate(doc, Options(), repeated=rep["Daily"])
    assert [(r["kind"], doc.text[r["start"]:r["end"]]) for r in recs] == [("repeated", prompt)]
    assert find_boilerplate(doc, Options(), repeated=frozenset()) == []


def test_dateline_is_body():
    assert kinds("LONDON (Reuters) - Britain's economy grew 0.2% in the third quarter.") == []


def test_classify_line():
    assert classify_line("Share on Facebook") == "share_widget"
    assert classify_line("The minister resigned on Friday after a week of pressure.") is None


def test_user_lexicon(tmp_path):
    extra = tmp_path / "bp.tsv"
    extra.write_text(
        "id\tpattern\tkind\tscope\ttrigger\tsource\n"
        "my_promo\tbrought to you by\tadvertisement\tsentence\tbrought to\tmy newsroom\n",
        encoding="utf-8",
    )
    doc = Document.from_text("u", NEWS + " This page is brought to you by Acme.")
    recs = find_boilerplate(doc, Options(lexicons={"boilerplate": str(extra)}))
    assert [r["rule"] for r in recs] == ["my_promo"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400)
       | st.lists(st.sampled_from(["Comments", "Your support helps us.", "READ MORE: x", "“unclosed", "\n", "שלום",
                                   "😀", "Share", " ", "difference.North"]), max_size=30).map("".join))
def test_property_offsets_valid_and_share_in_range(text):
    doc = Document.from_text("h", text)
    recs = find_boilerplate(doc)
    last_end = -1
    for r in recs:
        assert 0 <= r["start"] < r["end"] <= len(text)
        assert r["start"] >= last_end  # sorted, non-overlapping
        last_end = r["end"]
        assert r["kind"] and r["rule"]
    doc.boilerplate = [(r["start"], r["end"], r["kind"]) for r in recs]
    assert 0.0 <= doc.boilerplate_share <= 1.0


def test_huge_single_line_does_not_crash():
    text = ("word " * 200_000) + "Your support helps us."
    recs = find_boilerplate(Document.from_text("big", text))
    assert all(0 <= r["start"] < r["end"] <= len(text) for r in recs)
