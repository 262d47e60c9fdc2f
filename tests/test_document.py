from hypothesis import given, settings
from hypothesis import strategies as st

from framing.document import Document, split_blocks, split_sentences


def sents(text):
    d = Document.from_text("t", text)
    return [text[s:e] for s, e in d.sentences]


def test_blocks_are_trimmed_non_blank_lines():
    text = "  Title \n\n First para.\r\nSecond\n   \n"
    assert [text[s:e] for s, e in split_blocks(text)] == ["Title", "First para.", "Second"]


def test_glued_sentences_are_split():
    text = "Your support makes all the difference.North Korea has vowed to back Russia."
    assert sents(text) == ["Your support makes all the difference.", "North Korea has vowed to back Russia."]


def test_abbreviations_initials_and_acronyms_stay_inside():
    text = "Mr. Smith met Dr. J. Doe in the U.S. on Sept. 5 at 5 p.m. Monday. Then he left."
    assert sents(text) == ["Mr. Smith met Dr. J. Doe in the U.S. on Sept. 5 at 5 p.m. Monday.", "Then he left."]


def test_quotes_and_question_marks():
    text = "“We will act,” she said. “Will you?” he asked. Yes!"
    assert sents(text) == ["“We will act,” she said.", "“Will you?” he asked.", "Yes!"]


def test_lower_case_after_full_stop_does_not_split():
    assert sents("It cost 3.5 bn. and rose to e.g. five.") == ["It cost 3.5 bn. and rose to e.g. five."]


def test_sentences_never_cross_blocks():
    text = "Line one has no stop\nLine two. And three."
    assert sents(text) == ["Line one has no stop", "Line two.", "And three."]


def test_boilerplate_share_and_body_sentences():
    text = "Donate now to support us.\nThe minister said talks failed."
    d = Document.from_text("t", text)
    d.boilerplate = [(0, 25, "donation_appeal")]
    assert d.body_sentences() == [d.sentences[1]]
    assert abs(d.boilerplate_share - 25 / (25 + 31)) < 1e-9
    assert d.body_text() == "The minister said talks failed."


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_offsets_valid_on_any_text(text):
    d = Document.from_text("t", text)
    for s, e in d.blocks + d.sentences:
        assert 0 <= s < e <= len(text)
        assert text[s:e].strip() == text[s:e]
    # sentences are ordered and do not overlap
    for (_, e1), (s2, _) in zip(d.sentences, d.sentences[1:]):
        assert e1 <= s2
    assert 0.0 <= d.boilerplate_share <= 1.0


def test_split_sentences_on_one_block_range():
    text = "xx A first. A second."
    assert split_sentences(text, 3, len(text)) == [(3, 11), (12, 21)]
