"""The sentiment tokenizer's split-based fast path gives exactly the regex tokens.

:func:`sentiment._tokenize_spans` tokenizes most space-separated pieces without the regex (letters
only; letters wrapped in ``_PIECE_ENDS`` marks; marks only). It must give what :func:`tokenize`
(the regex, the reference definition) gives span by span, on real-looking and on hostile text:
apostrophes inside and around words, digits with separators, underscores, whitespace other than
spaces, non-ASCII letters and numbers, NUL characters, and spans cut anywhere.
"""

from __future__ import annotations

import random
import re

from framing.extractors import sentiment as S

WORDS = ["Trump", "said", "it's", "it’s", "U.S.", "don't", "_", "__x", "x_y", "12", "3.5", "1,000", "2016,", "é",
         "ß", "İ", "ﬁ", "²", "½", "Ⅻ", "五", "٣", "a", "rock'n'roll", "Jones’", "'tis", "’", "naïve", "e\u0301", "ǅ",
         "Moscow", "Kyiv", "(AP)", "“We", "it.”"]
SEPARATORS = [" ", " ", " ", "  ", "\n", "\t", "\xa0", "\u2028", "\x1c", "", ",", ".", "-", "'", "’", "“", "(", ")",
              "—", "/", "_", "*", "…", ":", '"', "2", "$", "%", "^", "|", "#", "\u200b", "\U0001F600", "~", "+", "@"]


Tokens = tuple[list[str], list[int], list[int], list[tuple[int, int]]]


def _reference(text: str, spans: list[tuple[int, int]]) -> Tokens:
    toks: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    bounds = []
    for sp in spans:
        t, st, en = S.tokenize(text, *sp)
        bounds.append((len(toks), len(toks) + len(t)))
        toks += t
        starts += st.tolist()
        ends += en.tolist()
    return toks, starts, ends, bounds


def _fast(text: str, spans: list[tuple[int, int]]) -> Tokens:
    toks, st, en, bounds = S._tokenize_spans(text, spans)
    return toks, st.tolist(), en.tolist(), bounds


def test_piece_ends_are_single_character_tokens():
    for c in S._PIECE_ENDS:
        assert not re.match(r"[\w\s]", c), c
        assert S.tokenize(f"a{c}{c}b")[0] == ["a", c.replace("’", "'"), c.replace("’", "'"), "b"]


def test_split_tokenizer_is_the_regex_tokenizer_on_random_text():
    rnd = random.Random(0)
    for with_nul in (False, True):
        words = [*WORDS, "x\x00y"] if with_nul else WORDS
        for _ in range(6000):
            text = "".join(rnd.choice(SEPARATORS) + rnd.choice(words) for _ in range(rnd.randint(0, 10)))
            text += rnd.choice(SEPARATORS)
            cuts = sorted(rnd.randint(0, len(text)) for _ in range(2 * rnd.randint(0, 3)))
            spans = list(zip(cuts[::2], cuts[1::2])) if rnd.random() < 0.7 else [(0, len(text))]
            assert _fast(text, spans) == _reference(text, spans), (text, spans)


def test_split_tokenizer_on_news_sentences():
    text = ("Russian President Vladimir Putin said on Tuesday that the U.S.-led talks (in Geneva) had \"failed\"; "
            "Kyiv’s officials—and NATO’s—disagreed.  A 3.5% rise, 1,000 troops: rock'n'roll_style… “We won’t,” "
            "he told reporters.\nOthers didn't.")
    spans = [(0, 101), (102, 180), (181, len(text))]
    assert _fast(text, spans) == _reference(text, spans)
    assert _fast(text, []) == ([], [], [], [])
